"""End to end: a real Prometheus scraping the real service under faulty traffic sees every spec metric move."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SPEC
from servers import loopback_port, prometheus, wait_until

from jamdash.pipeline import build
from jamdash.service.launch import launched

pytestmark = pytest.mark.slow

# Retention (120s) outlasts the test, so cleanup has nothing old enough to delete yet.
MAY_STAY_ZERO = {"jam_cleanup_deleted_packages_total", "jam_cleanup_deleted_reports_total",
                 "jam_cleanup_deleted_preimages_total"}


def test_every_spec_metric_reaches_prometheus_from_the_faulty_service(tmp_path: Path) -> None:
    model = build(str(SPEC)).model
    assert model is not None
    queries = {m.name: f"sum({m.name}_count)" if m.type == "histogram" else f"sum({m.name})"
               for m in model.metrics if not m.synthetic}
    port, target = loopback_port()
    with prometheus(tmp_path, targets=[target]) as prom, \
            launched("faulty", cleanup_interval=1.0, log=tmp_path / "jam.log", port=port):
        prom.wait_for_scrape()

        def still_zero() -> list[str]:
            values = {name: prom.query(query) for name, query in queries.items()}
            return [name for name, result in values.items()
                    if not result or (float(result[0]["value"][1]) == 0 and name not in MAY_STAY_ZERO)]

        wait_until(lambda: not still_zero(), 40, "every metric to have data")
        assert prom.query('up{job="jam"}')[0]["value"][1] == "1"
        by_reason = {r["metric"]["reason"] for r in prom.query("jam_preimage_quota_reject_total > 0")}
        assert by_reason == {"too_large", "unsupported_media"}
        codes = {r["metric"]["code_class"] for r in prom.query('jam_http_requests_total{endpoint="package_submit"} > 0')}
        assert codes == {"2xx", "4xx", "5xx"}  # accepted, rate-limited, pending cap
