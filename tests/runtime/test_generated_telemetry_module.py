"""The generated jam_telemetry module as code: typed (mypy --strict), stdlib-only, and fine without OpenTelemetry."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import GENERATED, ROOT

MODULE = GENERATED / "python" / "jam_telemetry.py"

BLOCK_OTEL = textwrap.dedent("""
    import importlib.abc, sys

    class NoOpenTelemetry(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "opentelemetry" or name.startswith("opentelemetry."):
                raise ModuleNotFoundError(f"No module named {name!r}")
            return None

    sys.meta_path.insert(0, NoOpenTelemetry())
""")

WITHOUT_OTEL = BLOCK_OTEL + textwrap.dedent("""
    import io, json, logging
    from dataclasses import dataclass
    stream = io.StringIO()
    logging.getLogger("jam").addHandler(logging.StreamHandler(stream))
    logging.getLogger("jam").setLevel(logging.INFO)
    import jam_telemetry
    from jam_metrics import JamMetrics
    assert not jam_telemetry.HAVE_OPENTELEMETRY

    @dataclass
    class Config:
        enabled: bool = True
        store: str = "postgres"
        rate_limit_per_minute: int = 1
        max_preimage_bytes: int = 1
        max_pending_packages: int = 1
        cleanup_enabled: bool = False

    tel = jam_telemetry.Telemetry(JamMetrics.fresh(), Config(), hash_key="k", tracing=True)
    assert not tel.tracing
    header = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    out = {}
    with tel.incoming({"traceparent": header}):
        with tel.span_process(pkg_id="p", service_id="s") as process, process.refine():
            tel.package_submit(pkg_id="p", service_id="s", token="t", pending_count=1)
        tel.inject(out)
    assert out == {"traceparent": header}, out
    assert tel.health(lambda: True)[0] == 200
    lines = stream.getvalue().splitlines()
    assert "opentelemetry is not installed" in lines[0], lines
    assert json.loads(lines[1])["trace_id"] == header[3:35], lines
    print("ok", sorted(m for m in sys.modules if m.startswith("opentelemetry")))
""")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=MODULE.parent, capture_output=True, text=True,
                          timeout=60)


def test_it_runs_without_opentelemetry() -> None:
    result = _python(WITHOUT_OTEL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok []"


def test_it_imports_only_the_standard_library_and_its_siblings() -> None:
    code = BLOCK_OTEL + textwrap.dedent("""
        before = set(sys.modules)
        import jam_metrics
        after_metrics = set(sys.modules)
        import jam_telemetry
        new = {m.split(".")[0] for m in set(sys.modules) - after_metrics}
        print(" ".join(sorted(m for m in new if m not in sys.stdlib_module_names and not m.startswith("_"))))
    """)
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["jam_telemetry"]


def test_mypy_strict_accepts_it(mypy_cache: str) -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", mypy_cache, "--python-version", "3.11",
                             str(MODULE)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={"MYPYPATH": str(MODULE.parent), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
