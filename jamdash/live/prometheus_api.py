"""The parts of Prometheus' HTTP API the live checks read: rules, alerts and instant queries."""

from __future__ import annotations

import json
from typing import Any

from jamdash.live.access import NO_ACCESS, Access
from jamdash.live.client import Unreachable, request


class PrometheusApi:
    """A Prometheus, or any server with its /api/v1 (VictoriaMetrics, Thanos, Mimir's prometheus prefix)."""

    def __init__(self, url: str, timeout: float, access: Access = NO_ACCESS) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.access = access

    def _data(self, path: str, form: dict[str, str] | None = None) -> Any:
        answer = request(f"{self.url}/api/v1/{path}", self.timeout, accept="application/json", form=form,
                         access=self.access)
        try:
            body = json.loads(answer.body)
        except ValueError:
            raise Unreachable(f"{answer.url}: the answer is not JSON; is this a Prometheus API URL?") from None
        if not isinstance(body, dict) or body.get("status") != "success" or "data" not in body:
            error = body.get("error", "no data") if isinstance(body, dict) else "not an API answer"
            raise Unreachable(f"{answer.url}: {' '.join(str(error).split())}")
        return body["data"]

    def rule_groups(self) -> list[dict[str, Any]]:
        """Every loaded rule group, with its rules' health and last errors."""
        return self._list("rules", "groups")

    def alerts(self) -> list[dict[str, Any]]:
        """Pending and firing alerts."""
        return self._list("alerts", "alerts")

    def _list(self, endpoint: str, key: str) -> list[dict[str, Any]]:
        """The list under key in an API answer's data."""
        data = self._data(endpoint)
        found = data.get(key) if isinstance(data, dict) else None
        if not isinstance(found, list):
            raise Unreachable(f"{self.url}/api/v1/{endpoint}: the answer holds no {key} list")
        return found

    def vector(self, expr: str) -> list[tuple[dict[str, str], float]]:
        """An instant query's series: (labels, value); POSTed, as selectors of many names are long."""
        data = self._data("query", form={"query": expr})
        if not isinstance(data, dict) or data.get("resultType") != "vector":
            raise Unreachable(f"{self.url}/api/v1/query: expected a vector result for {expr}")
        try:
            return [(dict(r["metric"]), float(r["value"][1])) for r in data["result"]]
        except (KeyError, IndexError, TypeError, ValueError):
            raise Unreachable(f"{self.url}/api/v1/query: a malformed vector result for {expr}") from None
