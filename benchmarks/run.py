"""jamdash benchmarks: every figure a ratio of two things measured side by side in this run.

    python benchmarks/run.py            # full run, a few minutes on a quiet machine
    python benchmarks/run.py --quick    # a smoke run: the same rows, each on less work (docs/benchmarks.md)
    python benchmarks/run.py --json results.json

Targets come from issues 2 and 16 (section e, the telemetry runtime: issue 5, see telemetry.py); a
MISS is reported, never raised: absolute times depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib.metadata import version
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # jamdash itself, when run from a checkout without installing

from measure import DEPENDENCIES, FLOOR, Row, import_cost, imports, interleave, per_op, table, wall  # noqa: E402
from synthetic import write_scaled, write_small  # noqa: E402
import telemetry  # noqa: E402

SPEC = ROOT / "metrics_spec.yaml"
MODULE_DIR = ROOT / "generated" / "python"
FLOOR_WITHOUT_GRAFANALIB = imports(m for m in DEPENDENCIES if m != "grafanalib.core")
# generate imports pydantic-core, not pydantic: the floor of what it imports (pydantic's lazy package is ~5 % more)
FLOOR_IMPORTED = imports("pydantic_core" if m == "pydantic" else m for m in DEPENDENCIES)


@dataclass(frozen=True)
class Plan:
    hot_rounds: int
    hot_number: int
    import_runs: int
    generate_runs: int
    scale_rounds: int
    lint_runs: int
    full_lint_runs: int
    warm_up: bool = True  # one untimed run of each variant first (the pre-commit lint's cache fill always runs)
    scale_factors: tuple[int, int, int] = (1, 10, 100)  # (d): the JAM spec's metrics copied this many times
    small_lint_spec: bool = False  # (f) on synthetic.SMALL instead of the JAM spec (fewer promtool cases)


FULL = Plan(hot_rounds=21, hot_number=100_000, import_runs=41, generate_runs=21, scale_rounds=5, lint_runs=15,
            full_lint_runs=5)
# A smoke run of the script: every row, each measured once on less work (docs/benchmarks.md, "--quick").
QUICK = Plan(hot_rounds=5, hot_number=10_000, import_runs=1, generate_runs=1, scale_rounds=1, lint_runs=1,
             full_lint_runs=1, warm_up=False, scale_factors=(1, 10, 40), small_lint_spec=True)


def jamdash_command() -> list[str]:
    script = Path(sys.executable).parent / "jamdash"
    return [str(script)] if script.exists() else [sys.executable, "-m", "jamdash.cli"]


def hot_path(plan: Plan, module_dir: Path) -> list[Row]:
    """(a) a generated update vs a pre-bound prometheus_client child vs labels(**kw); and the generated
    update split into its lookup (vs the module's own pre-bound child) and its lean child's method."""
    sys.path.insert(0, str(module_dir))
    import jam_metrics
    from prometheus_client import CollectorRegistry, Counter, Histogram

    from jamdash.pipeline import build

    model = build(str(SPEC)).model
    assert model is not None
    registry = CollectorRegistry()
    plain = Counter("bench_requests_total", "Bench.", ("store",), registry=registry)
    pair = Counter("bench_pairs_total", "Bench.", ("endpoint", "code_class"), registry=registry)
    timed = Histogram("bench_seconds", "Bench.", ("store",), registry=registry,
                      buckets=model.metric("jam_package_process_duration_seconds").buckets)
    # The module's own child comes from a second set: a lookup in the first would store this file's key
    # tuple, and the timed statement's own constant key would then no longer be found by identity.
    own = jam_metrics.JamMetrics.fresh().jam_http_requests_total["status", "2xx"]
    env: dict[str, object] = {"m": jam_metrics.JamMetrics.fresh(), "plain": plain, "pair": pair, "timed": timed,
                              "lean2": own}
    setup = ("metrics = m; family = plain; child = plain.labels('memory'); child2 = pair.labels('status', '2xx'); "
             "hchild = timed.labels('memory'); own2 = lean2")
    op = {
        "generated": 'metrics.jam_attestations_total["memory"].inc()',
        "generated2": 'metrics.jam_http_requests_total["status", "2xx"].inc()',
        "child": "child.inc()",
        "child2": "child2.inc()",
        "labels": 'family.labels(store="memory").inc()',
        "own2": "own2.inc()",
        "observe": 'metrics.jam_package_process_duration_seconds["memory"].observe(0.3)',
        "hchild": "hchild.observe(0.3)",
    }
    samples = interleave({name: per_op(stmt, setup, env, plan.hot_number) for name, stmt in op.items()},
                         plan.hot_rounds)
    ns = {name: samples.median(name) * 1e9 for name in samples.times}
    ratio = {(a, b): samples.ratio(a, b) for a, b in (("generated", "child"), ("labels", "generated"),
                                                     ("generated2", "child2"), ("generated2", "own2"),
                                                     ("own2", "child2"), ("observe", "hchild"))}

    def row(key: str, what: str, a: str, b: str, target: str, passed: bool | None) -> Row:
        return Row(key, what, ratio[a, b], f"{ns[a]:.0f} vs {ns[b]:.0f} ns", target, passed)

    return [
        row("a.generated_vs_child", 'generated m.x["memory"].inc() / pre-bound child.inc()', "generated", "child",
            "<= 1.15x", ratio["generated", "child"] <= 1.15),
        row("a.labels_vs_generated", 'labels(store="memory").inc() / generated', "labels", "generated", ">= 4x",
            ratio["labels", "generated"] >= 4),
        row("a.generated2_vs_child", 'generated, 2 labels m.x["status", "2xx"] / pre-bound child', "generated2",
            "child2", "<= 1.15x", ratio["generated2", "child2"] <= 1.15),
        row("a.generated2_vs_own_child", '  of which the lookup: m.x["status", "2xx"].inc() / its own child',
            "generated2", "own2", "(info)", None),
        row("a.own_child_vs_child", "  and its lean inc(): its own child / prometheus_client's child",
            "own2", "child2", "(info)", None),
        row("a.observe_vs_child", 'generated m.x["memory"].observe(0.3) / pre-bound Histogram child', "observe",
            "hchild", "<= 1.15x", ratio["observe", "hchild"] <= 1.15),
    ]


def import_time(plan: Plan, module_dir: Path) -> list[Row]:
    """(b) importing the generated module vs `import prometheus_client`, fresh processes."""
    prefix = f"import sys; sys.path.insert(0, {str(module_dir)!r}); "
    python = [sys.executable, "-I", "-c"]
    samples = interleave({
        "generated": wall([*python, prefix + "import jam_metrics"]),
        "instance": wall([*python, prefix + "import jam_metrics; jam_metrics.JamMetrics()"]),
        "client": wall([*python, prefix + "import prometheus_client"]),
        "own": import_cost([*python, prefix + "import prometheus_client, jam_metrics"], "jam_metrics"),
        "client_own": import_cost([*python, prefix + "import prometheus_client"], "prometheus_client"),
    }, plan.import_runs, warm_up=plan.warm_up)
    extra_ms = samples.difference("generated", "client") * 1e3
    ms = {name: samples.median(name) * 1e3 for name in samples.times}
    return [
        Row("b.import_vs_client", "import jam_metrics / import prometheus_client",
            samples.ratio("generated", "client"),
            f"{ms['generated']:.1f} vs {ms['client']:.1f} ms, {extra_ms:+.1f} ms", "<= +15 ms",
            extra_ms <= 15),
        Row("b.instance_vs_client", "import jam_metrics + JamMetrics() / import prometheus_client",
            samples.ratio("instance", "client"),
            f"{ms['instance']:.1f} ms, {samples.difference('instance', 'client') * 1e3:+.1f} ms", "(info)", None),
        Row("b.own_import", "-X importtime: jam_metrics on top / prometheus_client itself",
            samples.ratio("own", "client_own"), f"{ms['own']:.2f} vs {ms['client_own']:.1f} ms", "(info)", None),
    ]


def source_copy(scratch: Path) -> Path:
    """jamdash's package copied without __pycache__: run from there under PYTHONDONTWRITEBYTECODE=1,
    every jamdash module is compiled from source each run (a development machine here)."""
    target = scratch / "source"
    shutil.copytree(ROOT / "jamdash", target / "jamdash", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def generate_cold(plan: Plan, scratch: Path) -> list[Row]:
    """(c) `jamdash generate` in a fresh process vs importing its dependencies; bytecode caching on (a
    user's second run), and under PYTHONDONTWRITEBYTECODE=1 with jamdash compiled from source."""
    outputs = count()
    out = lambda: ["--out", str(scratch / f"out{next(outputs)}")]  # noqa: E731
    source = source_copy(scratch)
    from_source = [sys.executable, "-c", "import sys; from jamdash.cli import main; sys.argv[0] = 'jamdash'; main()"]
    samples = interleave({
        "generate": wall([*jamdash_command(), "generate", "--spec", str(SPEC)], before=out),
        "generate_source": wall([*from_source, "generate", "--spec", str(SPEC)], before=out,
                                env={"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(source)}),
        "floor": wall([sys.executable, "-c", FLOOR]),
        "floor_without_grafanalib": wall([sys.executable, "-c", FLOOR_WITHOUT_GRAFANALIB]),
        "floor_imported": wall([sys.executable, "-c", FLOOR_IMPORTED]),
    }, plan.generate_runs, warm_up=plan.warm_up)
    ratio = samples.ratio("generate", "floor")
    ms = {name: samples.median(name) * 1e3 for name in samples.times}
    return [
        Row("c.generate_vs_floor", "jamdash generate (cold) / import of its dependencies", ratio,
            f"{ms['generate']:.0f} vs {ms['floor']:.0f} ms", "<= 1.5x", ratio <= 1.5),
        Row("c.generate_source_vs_floor", "the same, PYTHONDONTWRITEBYTECODE=1: jamdash compiled from source",
            samples.ratio("generate_source", "floor"), f"{ms['generate_source']:.0f} vs {ms['floor']:.0f} ms",
            "(info)", None),
        Row("c.generate_vs_floor_imported", "the same, pydantic_core in the floor for pydantic (generate imports only it)",
            samples.ratio("generate", "floor_imported"),
            f"{ms['generate']:.0f} vs {ms['floor_imported']:.0f} ms", "(info)", None),
        Row("c.generate_vs_floor_without_grafanalib", "jamdash generate (cold) / the same floor without grafanalib",
            samples.ratio("generate", "floor_without_grafanalib"),
            f"{ms['generate']:.0f} vs {ms['floor_without_grafanalib']:.0f} ms", "(info)", None),
    ]


def lint_cost(plan: Plan, scratch: Path) -> list[Row]:
    """(f) `jamdash lint` vs `jamdash generate`, fresh processes: as a pre-commit hook runs it on an
    unchanged spec (promtool's passes remembered, in a cache folder of this run), and with --no-cache
    (every promtool run, as CI does)."""
    outputs = count()
    out = lambda: ["--out", str(scratch / f"lint-out{next(outputs)}")]  # noqa: E731
    cache = {"JAMDASH_CACHE_DIR": str(scratch / "cache"), "JAMDASH_NO_CACHE": None}
    spec, target = SPEC, ROOT / "generated"
    if plan.small_lint_spec:
        spec, target = write_small(scratch), scratch / "small-generated"
        wall([*jamdash_command(), "generate", "--spec", str(spec), "--out", str(target)], env=cache)()
    lint = [*jamdash_command(), "lint", "--spec", str(spec), "--out", str(target)]
    generate = wall([*jamdash_command(), "generate", "--spec", str(spec)], before=out, env=cache)
    wall(lint, env=cache)()  # fills the cache: the lint timed below is a pre-commit run on an unchanged spec
    samples = interleave({"lint": wall(lint, env=cache), "generate": generate}, plan.lint_runs, warm_up=plan.warm_up)
    # no warm-up: --no-cache has nothing to warm, and both commands' bytecode is warm from the rounds above
    full = interleave({"lint": wall([*lint, "--no-cache"], env=cache), "generate": generate}, plan.full_lint_runs,
                      warm_up=False)
    ratio = samples.ratio("lint", "generate")
    ms = {name: samples.median(name) * 1e3 for name in samples.times}
    full_ms = {name: full.median(name) * 1e3 for name in full.times}
    return [
        Row("f.lint_vs_generate", "jamdash lint, unchanged spec (pre-commit) / jamdash generate", ratio,
            f"{ms['lint']:.0f} vs {ms['generate']:.0f} ms", "<= 3x", ratio <= 3),
        Row("f.lint_no_cache_vs_generate", "jamdash lint --no-cache (every promtool run) / jamdash generate",
            full.ratio("lint", "generate"), f"{full_ms['lint']:.0f} vs {full_ms['generate']:.0f} ms", "(info)", None),
    ]


def scaling(plan: Plan, scratch: Path) -> list[Row]:
    """(d) in-process build + generate_all on the JAM spec copied 1, 10 and 100 times (--quick: 1, 10, 40)."""
    from jamdash.generate import generate_all
    from jamdash.pipeline import build

    def run(path: Path) -> Callable[[], float]:
        def once() -> float:
            start = time.thread_time()
            result = build(str(path))
            assert result.model is not None, result.findings[:5]
            generate_all(result.model)
            return time.thread_time() - start
        return once

    low, mid, high = plan.scale_factors
    specs = {name: write_scaled(SPEC, factor, scratch) for name, factor in (("x1", low), ("x10", mid), ("x100", high))}
    # Warm-up, even --quick (one round: a cold run's one-off costs, imports and compiled templates, could pass
    # for a smaller spec's); --quick warms up on the smallest spec only, which pays them all.
    for path, _ in specs.values() if plan.warm_up else [specs["x1"]]:
        run(path)()
    samples = interleave({name: run(path) for name, (path, _) in specs.items()}, plan.scale_rounds)
    ms = {name: samples.median(name) * 1e3 for name in samples.times}
    metrics = {name: n for name, (_, n) in specs.items()}
    # Fixed costs (schema, dashboards, rules) do not grow with the metric count, so linearity is judged
    # on the marginal cost per added metric: from 10x to 100x against from 1x to 10x.
    marginal = {name: statistics.median(
        (later - earlier) / (metrics[name] - metrics[base])
        for later, earlier in zip(samples.times[name], samples.times[base], strict=True))
        for name, base in (("x10", "x1"), ("x100", "x10"))}
    growth = marginal["x100"] / marginal["x10"] if marginal["x10"] > 0 else math.nan
    return [
        Row("d.x10_vs_x1", f"generate {metrics['x10']} metrics / {metrics['x1']} metrics (ideal <= {mid // low}x)",
            samples.ratio("x10", "x1"), f"{ms['x10']:.0f} vs {ms['x1']:.0f} ms", "(info)", None),
        Row("d.x100_vs_x10", f"generate {metrics['x100']} metrics / {metrics['x10']} metrics (ideal <= {high // mid}x)",
            samples.ratio("x100", "x10"), f"{ms['x100']:.0f} vs {ms['x10']:.0f} ms", "(info)", None),
        Row("d.marginal", f"cost per added metric, {mid}x->{high}x / {low}x->{mid}x (1.0 = linear)", growth,
            f"{marginal['x100'] * 1e6:.0f} vs {marginal['x10'] * 1e6:.0f} us/metric", "<= 1.25x", growth <= 1.25),
    ]


SECTIONS = ("a", "b", "c", "d", "e", "f")


def machine() -> str:
    cpu = platform.processor() or "unknown cpu"
    try:
        names = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), load {load:.2f}; "
            f"Python {platform.python_version()}, prometheus_client {version('prometheus-client')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke run, not a measurement")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="run only this section (a, b, c, d, e, f; repeatable)")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    print(f"jamdash benchmarks ({'quick' if args.quick else 'full'}) on {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="jamdash-bench-") as scratch:
        module_dir = Path(scratch) / "module"  # a copy, so its __pycache__ stays out of generated/
        shutil.copytree(MODULE_DIR, module_dir, ignore=shutil.ignore_patterns("__pycache__"))
        sections: dict[str, Callable[[], list[Row]]] = {
            "a": lambda: hot_path(plan, module_dir), "b": lambda: import_time(plan, module_dir),
            "c": lambda: generate_cold(plan, Path(scratch)), "d": lambda: scaling(plan, Path(scratch)),
            "e": lambda: telemetry.rows(args.quick), "f": lambda: lint_cost(plan, Path(scratch))}
        rows = [row for key, run in sections.items() if not args.only or key in args.only for row in run()]
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
