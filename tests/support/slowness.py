"""The `slow` marker at work: slow files run first, and unmarked slow tests are named at the end.

pytest-xdist (`--dist loadfile --no-loadscope-reorder`) hands files to workers in collection order, so
a slow file collected last would run alone at the end while the other worker idles. Files holding a
`slow` test are collected first (longest-first scheduling, with the marker as the estimate), and the
many quick files fill the workers' tails.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

SLOW_SECONDS = 5.0  # docs/architecture.md: tests that take more than about five seconds are marked slow

_durations: defaultdict[str, float] = defaultdict(float)
_unmarked: set[str] = set()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: each file keeps its order


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _durations[report.nodeid] += report.duration
    if "slow" not in report.keywords:
        _unmarked.add(report.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    over = sorted((nodeid for nodeid in _unmarked if _durations[nodeid] > SLOW_SECONDS),
                  key=lambda nodeid: -_durations[nodeid])
    if over:
        terminalreporter.section(f"tests over {SLOW_SECONDS:.0f} s without @pytest.mark.slow")
        for nodeid in over:
            terminalreporter.write_line(f"{_durations[nodeid]:6.1f} s  {nodeid}")
