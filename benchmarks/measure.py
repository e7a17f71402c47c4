"""Side-by-side timing: interleaved repetitions, medians of paired ratios, never absolute gates."""

from __future__ import annotations

import math
import os
import resource
import statistics
import subprocess
import time
import timeit
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field


# `jamdash generate`'s runtime dependencies, as issue 16 lists them: a cold run is compared with importing them
DEPENDENCIES = ("click", "yaml", "jinja2", "grafanalib.core", "prometheus_client", "pydantic", "promql_parser")


def imports(modules: Iterable[str]) -> str:
    """A `python -c` statement importing modules."""
    return "import " + ", ".join(modules)


FLOOR = imports(DEPENDENCIES)


@dataclass
class Row:
    """One row of a benchmark table (and of its --json output)."""

    key: str
    what: str
    ratio: float
    detail: str
    target: str
    passed: bool | None  # None: reported for information, no target
    unit: str = "x"


def table(rows: Sequence[Row], widths: tuple[int, int, int, int] = (66, 8, 34, 10)) -> str:
    """The rows as a text table; widths of the measurement, ratio, detail and target columns."""
    what, ratio, detail, target = widths
    lines = [f"{'measurement':<{what}} {'ratio':>{ratio}}  {'detail':<{detail}} {'target':<{target}} status"]
    for row in rows:
        status = "-" if row.passed is None else ("PASS" if row.passed else "MISS")
        lines.append(f"{row.what:<{what}} {row.ratio:>{ratio - 1}.2f}{row.unit:1}  {row.detail:<{detail}} "
                     f"{row.target:<{target}} {status}")
    return "\n".join(lines)


@dataclass
class Samples:
    """Per-variant timings from interleaved rounds: samples[name][round] in seconds (or s/op)."""

    times: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.times.setdefault(name, []).append(seconds)

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])

    def ratio(self, numerator: str, denominator: str) -> float:
        """The median of per-round ratios: each round's pair ran back to back, under the same load."""
        pairs = zip(self.times[numerator], self.times[denominator], strict=True)
        return statistics.median(a / b for a, b in pairs if b > 0) if self.times[denominator] else math.nan

    def difference(self, minuend: str, subtrahend: str) -> float:
        """The median of per-round differences, in the samples' unit."""
        pairs = zip(self.times[minuend], self.times[subtrahend], strict=True)
        return statistics.median(a - b for a, b in pairs)


def interleave(variants: dict[str, Callable[[], float]], rounds: int, warm_up: bool = True) -> Samples:
    """Runs every variant once per round, rotating the order so none always goes first,
    after one untimed warm-up run each (caches, bytecode) unless warm_up is False."""
    samples = Samples()
    names = list(variants)
    for name in names if warm_up else ():
        variants[name]()
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            samples.add(name, variants[name]())
    return samples


def per_op(stmt: str, setup: str, env: dict[str, object], number: int) -> Callable[[], float]:
    """Seconds per execution of stmt, with setup's names bound as locals of the timing loop: CPU time of
    this thread, so time spent waiting for a core on a busy machine is not counted."""
    timer = timeit.Timer(stmt, setup=setup, globals=env, timer=time.thread_time)

    def run() -> float:
        return timer.timeit(number) / number

    return run


def process_env(overrides: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """This environment, but with bytecode caching on: a user's second run reads .pyc files, and the
    dependencies being compared against have theirs from pip; compiling jamdash every run is unfair.
    overrides sets variables (None: removes one)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for name, value in (overrides or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


# The working directory of every timed process: `python -c` puts it first on sys.path, so from the
# repository's root a `-c` run would import the repository's jamdash/, not the copy on PYTHONPATH.
NEUTRAL_CWD = "/"


def wall(command: Sequence[str], before: Callable[[], list[str]] | None = None,
         env: Mapping[str, str | None] | None = None) -> Callable[[], float]:
    """Wall-clock seconds of one fresh process, run in NEUTRAL_CWD; `before` may supply extra arguments per
    run, env overrides variables of process_env()."""
    environment = process_env(env)

    def run() -> float:
        args = [*command, *(before() if before else [])]
        start = time.perf_counter()
        subprocess.run(args, env=environment, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cwd=NEUTRAL_CWD)
        return time.perf_counter() - start

    return run


def cpu(command: Sequence[str], before: Callable[[], list[str]] | None = None,
        env: Mapping[str, str | None] | None = None) -> Callable[[], float]:
    """CPU seconds (user + system) of one fresh process, as wall() runs it: time spent waiting for a core on a
    busy machine is not counted (the runs must not overlap: children's times are summed per process)."""
    timed = wall(command, before, env)

    def run() -> float:
        start = resource.getrusage(resource.RUSAGE_CHILDREN)
        timed()
        end = resource.getrusage(resource.RUSAGE_CHILDREN)
        return end.ru_utime - start.ru_utime + end.ru_stime - start.ru_stime

    return run


def import_cost(command: Sequence[str], module: str) -> Callable[[], float]:
    """Seconds `python -X importtime` charges to importing module (itself and what it alone pulls in),
    in one fresh process: immune to the noise of starting the interpreter."""
    env = process_env()

    def run() -> float:
        result = subprocess.run([command[0], "-X", "importtime", *command[1:]], env=env, check=True, cwd=NEUTRAL_CWD,
                                capture_output=True, text=True)
        for line in result.stderr.splitlines():
            fields = [field.strip() for field in line.split("|")]
            if len(fields) == 3 and fields[2] == module:
                return int(fields[1]) / 1e6
        raise RuntimeError(f"{module} not in -X importtime output")

    return run
