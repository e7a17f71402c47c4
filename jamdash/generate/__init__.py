"""generate: turn the Model into (path, text) pairs, one generator per output kind; no disk access."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jamdash.generate import (
    alertmanager,
    compat_rules,
    docs_metrics,
    docs_telemetry,
    grafana,
    grafana_provisioning,
    kubernetes_alertmanager,
    kubernetes_rules,
    prometheus_rules,
    promtool_tests,
    python_metrics,
    python_telemetry,
    readme,
    rule_backends,
    runbooks,
    schema,
)
from jamdash.model import Model

Generator = Callable[[Model], Iterable[tuple[str, str]]]

GENERATORS: tuple[Generator, ...] = (
    compat_rules.generate,
    docs_metrics.generate,
    docs_telemetry.generate,
    grafana.generate,
    grafana_provisioning.generate,
    python_metrics.generate,
    python_telemetry.generate,
    readme.generate,
    schema.generate,
    prometheus_rules.generate,
    kubernetes_rules.generate,
    rule_backends.generate,
    alertmanager.generate,
    kubernetes_alertmanager.generate,
    runbooks.generate,
    promtool_tests.generate,
)


def generate_all(model: Model) -> dict[str, str]:
    """Every output file by its path below the output directory, sorted by path."""
    files: dict[str, str] = {}
    for generator in GENERATORS:
        for path, text in generator(model):
            if path in files:
                raise ValueError(f"two generators write {path}")
            files[path] = text if text.endswith("\n") else text + "\n"
    return dict(sorted(files.items()))
