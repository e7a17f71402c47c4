"""The conformance check for a service's own tests: a prometheus_client registry against the spec, no network.

    from shop_metrics import ShopMetrics
    from jamdash.live import assert_conforms

    def test_metrics_conform() -> None:
        metrics = ShopMetrics.fresh()
        ...  # run the code that updates them
        assert_conforms(metrics.registry, spec="metrics_spec.yaml")

It lives in jamdash, not in the generated module: it compares the module with the *current* spec (a
check inside the module could only compare it with itself), and it is the code behind
`jamdash check --metrics-url`, so both report the same findings.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from jamdash.findings import Finding, format_text, has_errors
from jamdash.live import conformance
from jamdash.live.exposition import collect

if TYPE_CHECKING:
    from prometheus_client.registry import Collector

    from jamdash.model import Model


class NonConformance(AssertionError):
    """The registry differs from the spec; `findings` holds every difference, the message lists them."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"the metrics differ from the spec:\n{format_text(findings)}")
        self.findings = findings


def findings(registry: Collector, spec: str = "metrics_spec.yaml", all_prefixes: bool = False) -> list[Finding]:
    """Every difference between what the registry would expose and the spec (see `jamdash check`)."""
    return conformance.check(_model(spec), collect(registry), all_prefixes)


def assert_conforms(registry: Collector, spec: str = "metrics_spec.yaml", all_prefixes: bool = False) -> None:
    """Raise NonConformance (an AssertionError, so pytest shows it as a failure) when the registry's
    metrics differ from the spec: missing or undeclared metrics, types, buckets, labels, values, budgets."""
    found = findings(registry, spec, all_prefixes)
    if has_errors(found):
        raise NonConformance(found)


def _model(spec: str) -> Model:
    path = os.path.abspath(spec)
    try:
        changed = os.stat(path).st_mtime_ns
    except OSError as exc:
        raise FileNotFoundError(f"{spec}: cannot read the spec ({exc.strerror})") from None
    return _built(path, changed)


@lru_cache(maxsize=4)
def _built(path: str, changed: int) -> Model:
    """The resolved model of the spec at path, as it was at that modification time (tests call this often)."""
    from jamdash.pipeline import build

    result = build(path)
    if result.model is None:
        raise ValueError(f"{path} has errors; run `jamdash lint`:\n{format_text(result.findings)}")
    return result.model
