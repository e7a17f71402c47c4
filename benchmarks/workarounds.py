"""Each speed workaround of `jamdash generate`, removed in turn: cold runs of jamdash copies side by side.

    python benchmarks/workarounds.py [ROUNDS]

Every variant is a copy of jamdash/ with one workaround taken out by a text patch (a patch that no
longer applies stops the run: update it with the code), and `all_out` with every one taken out.
Bytecode caching on, one cache folder. Timed in CPU seconds (user + system) of each process: a
workaround saves tens of milliseconds, less than wall clock's noise on a busy machine.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from itertools import count
from pathlib import Path

from measure import FLOOR, cpu, interleave

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "metrics_spec.yaml"
# variant -> (file under jamdash/, text, replacement): the workaround each takes out
PATCHES: dict[str, list[tuple[str, str, str]]] = {
    "base": [],
    "no_exit_freeze": [("cli.py", "        gc.freeze()\n", "        pass\n")],
    "no_gc_pause": [("commands/generate.py", "    enabled = gc.isenabled()\n    gc.disable()\n    try:\n        yield\n    finally:\n        gc.freeze()\n        if enabled:\n            gc.enable()\n", "    yield\n"),
                    ("commands/generate.py", "    gc.freeze()\n    try:\n        yield\n    finally:\n        gc.unfreeze()\n", "    yield\n")],
    "no_jinja_cache": [("generate/render.py", '    folder = cache_folder("jinja", compiled=True)\n', "    folder = None\n")],
    "no_yamltext": [("generate/yamltext.py", "    text = _fast_dump(data) if fast else None\n", "    text = None\n")],
    "no_frozen_records": [("record.py", "    own = [name for name in (*_SHARED,",
                           "    return dataclasses.dataclass(frozen=True, kw_only=kw_only)(cls)\n    own = [name for name in (*_SHARED,")],
    "no_dataclass_cache": [("commands/dataclass_code.py", '    folder = cache.folder("dataclass", compiled=True)\n',
                            "    folder = None\n")],
}


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="jamdash-workarounds-") as scratch:
        run(rounds, Path(scratch))


def run(rounds: int, scratch: Path) -> None:
    outputs = count()
    variants = {}
    every = [patch for patches in PATCHES.values() for patch in patches]
    for name, patches in {**PATCHES, "all_out": every}.items():
        target = scratch / name
        shutil.copytree(ROOT / "jamdash", target / "jamdash", ignore=shutil.ignore_patterns("__pycache__"))
        for rel, old, new in patches:
            path = target / "jamdash" / rel
            text = path.read_text(encoding="utf-8")
            if old not in text:
                raise SystemExit(f"{name}: the patch of jamdash/{rel} no longer applies; update PATCHES")
            path.write_text(text.replace(old, new), encoding="utf-8")
        variants[name] = cpu([sys.executable, "-c", "import sys; from jamdash.cli import main; sys.argv[0] = 'jamdash'; main()",
                              "generate", "--spec", str(SPEC)],
                             before=lambda: ["--out", str(scratch / f"out{next(outputs)}")],
                             env={"PYTHONPATH": str(target), "JAMDASH_CACHE_DIR": str(scratch / "cache")})
    variants["floor"] = cpu([sys.executable, "-c", FLOOR])
    samples = interleave(variants, rounds)
    print(f"{'variant':<20} {'CPU':>8}  {'/ base':>7}  {'/ floor':>7}")
    for name in variants:
        print(f"{name:<20} {samples.median(name) * 1e3:6.0f} ms  {samples.ratio(name, 'base'):6.3f}x  "
              f"{samples.ratio(name, 'floor'):6.3f}x", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
