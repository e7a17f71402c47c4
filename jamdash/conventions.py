"""Naming conventions: every generated metric, label, series, span and dashboard name comes from here."""

from __future__ import annotations

import re
from collections.abc import Sequence

BASE_UNITS = ("seconds", "bytes", "ratio", "celsius", "meters", "volts", "amperes", "joules", "grams")
RESERVED_SUFFIXES = ("_bucket", "_count", "_sum", "_created")
RESERVED_LABELS = ("le", "quantile", "job", "instance")
TYPE_WORDS = ("counter", "gauge", "histogram", "summary")

# Name parts that are not base units, and the base unit to use instead.
NON_BASE_UNITS = {
    "ms": "seconds", "msec": "seconds", "milliseconds": "seconds", "millis": "seconds",
    "us": "seconds", "microseconds": "seconds", "ns": "seconds", "nanoseconds": "seconds",
    "sec": "seconds", "secs": "seconds", "minutes": "seconds", "hours": "seconds", "days": "seconds",
    "weeks": "seconds", "kb": "bytes", "kib": "bytes", "mb": "bytes", "mib": "bytes", "gb": "bytes",
    "gib": "bytes", "kilobytes": "bytes", "megabytes": "bytes", "gigabytes": "bytes", "bits": "bytes",
    "percent": "ratio", "pct": "ratio",
}

HISTOGRAM_EXTRA_SERIES = 2  # _sum and _count
HISTOGRAM_PARTS = ("bucket", "sum", "count")  # a histogram's exposed series: <metric>_bucket, _sum, _count


def overflow_metric_name(service: str) -> str:
    """The self-metric that counts label values folded into their overflow value."""
    return f"{service}_metrics_label_overflow_total"


def histogram_series_name(metric: str, part: str) -> str:
    """A histogram's exposed series: part is 'bucket', 'sum' or 'count'."""
    return f"{metric}_{part}"


def label_cardinality(values: list[str] | tuple[str, ...] | None, max_values: int | None) -> int:
    """Distinct values a label can take: its closed values or its bound, plus the overflow value."""
    return (max_values if max_values is not None else len(values or ())) + 1


def series_budget(label_cardinalities: list[int], bucket_count: int | None) -> int:
    """Series one metric may export: the product of its label cardinalities,
    times (buckets + the +Inf bucket + 2) for a histogram."""
    product = 1
    for n in label_cardinalities:
        product *= n
    if bucket_count is None:
        return product
    return product * (bucket_count + 1 + HISTOGRAM_EXTRA_SERIES)


# --- Prometheus rules: recorded series, alerts and the links they carry ------------------------

TARGET_LABELS = ("job", "instance")  # added by Prometheus to every scraped series
BUCKET_LABEL = "le"
LONG_WINDOW_LABEL = "long_window"  # an SLO burn-rate rule's window pair, as static alert labels
SHORT_WINDOW_LABEL = "short_window"


def strip_total(metric: str) -> str:
    """A counter's name without `_total`, as recorded series name the rate of it."""
    return metric.removesuffix("_total")


def level(by: tuple[str, ...] | list[str], cluster: str = "") -> str:
    """The `level` part of a recorded name: the labels kept, led by the cluster label (when set) and job."""
    return "_".join(aggregation_labels(by, cluster))


def aggregation_labels(by: tuple[str, ...] | list[str], cluster: str = "") -> tuple[str, ...]:
    """The labels every aggregation and match keeps: the fleet's cluster label when set (one series per
    cluster), job (one per deployment), then by. The one place the cluster label joins a rule."""
    outer = (cluster, "job") if cluster else ("job",)
    return (*outer, *(label for label in by if label not in outer))


def panel_labels(by: tuple[str, ...] | list[str], cluster: str = "") -> tuple[str, ...]:
    """The labels a dashboard query keeps: the fleet's cluster label when set, then by."""
    return (cluster, *(label for label in by if label != cluster)) if cluster else tuple(by)


def in_cluster(description: str, cluster: str, labels: Sequence[str]) -> str:
    """An alert description naming the cluster its series come from, when the fleet has a cluster label."""
    if not cluster or cluster not in labels:
        return description
    return f"In cluster {{{{ $labels.{cluster} }}}}: {description}"


def replica_combine(replicas: str) -> str:
    """How the series of one deployment's replicas combine: a shared value (every replica reports the same
    store-wide count or configured limit) with max, a per-process one with sum."""
    return "max" if replicas == "shared" else "sum"


def recorded_by(by: tuple[str, ...], per_instance: bool) -> tuple[str, ...]:
    """The labels a spec recording rule keeps besides job: `instance` first when it is kept per instance."""
    return ("instance", *by) if per_instance else by


def recorded_name(by: tuple[str, ...] | list[str], metric: str, operations: str, cluster: str = "") -> str:
    """A recording rule name in Prometheus' `level:metric:operations` convention."""
    return f"{level(by, cluster)}:{metric}:{operations}"


def rate_record(metric: str, by: tuple[str, ...] | list[str], window: str, cluster: str = "") -> str:
    return recorded_name(by, strip_total(metric), f"rate{window}", cluster)


def increase_record(metric: str, by: tuple[str, ...] | list[str], window: str, cluster: str = "") -> str:
    return recorded_name(by, strip_total(metric), f"increase{window}", cluster)


def quantile_record(histogram: str, quantile: float, by: tuple[str, ...] | list[str], window: str,
                    cluster: str = "") -> str:
    """e.g. job_store:<service>_package_process_duration_seconds:p99_rate5m."""
    return recorded_name(by, histogram, f"p{quantile_digits(quantile)}_rate{window}", cluster)


def ratio_record(service: str, errors: str, total: str, by: tuple[str, ...] | list[str], window: str,
                 cluster: str = "") -> str:
    """e.g. job:<service>_package_process_fail_per_package_process:ratio_rate5m."""
    denominator = strip_total(total).removeprefix(f"{service}_")
    return recorded_name(by, f"{strip_total(errors)}_per_{denominator}", f"ratio_rate{window}", cluster)


CLUSTER_VARIABLE = "cluster"
"""The dashboard variable that picks clusters when the spec's fleet sets a cluster label."""


def slo_errors_record(service: str, slo: str, by: tuple[str, ...] | list[str], window: str, cluster: str = "") -> str:
    """An SLO's error ratio when it is not one counter over another: job:shop_slo_upload_latency_errors:ratio_rate5m."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", slo).lower()
    return recorded_name(by, f"{service}_slo_{snake}_errors", f"ratio_rate{window}", cluster)


def quantile_digits(quantile: float) -> str:
    """0.99 -> '99', 0.999 -> '999', 0.5 -> '50'."""
    digits = f"{quantile:.6f}".split(".")[1].rstrip("0")
    return digits.ljust(2, "0")


def alert_anchor(alert: str) -> str:
    """The Markdown heading anchor of an alert's runbook section (GitHub style: lower case)."""
    return alert.lower()


def runbook_url(pattern: str, alert: str) -> str:
    """The runbook_url annotation: the spec's pattern with {anchor} and {alert} filled in."""
    return pattern.replace("{anchor}", alert_anchor(alert)).replace("{alert}", alert)


def rule_group(service: str, kind: str) -> str:
    """A rule group's name: <service>.recording, <service>.alerts, <service>.slo.processing-success ..."""
    return f"{service}.{kind}"


# --- Names derived from the spec's `service` ---------------------------------------------------

def camel(service: str) -> str:
    """The service name in CamelCase, the prefix of its alert names and classes: http_api -> HttpApi."""
    return "".join(word.capitalize() for word in service.split("_"))


def default_title(service: str) -> str:
    """The service's name for people when the spec sets no `title`: http_api -> Http Api."""
    return " ".join(word.capitalize() for word in service.split("_") if word)


def slo_alert(service: str, slo: str, kind: str) -> str:
    """An SLO's burn-rate alert: <Service><Slo>BudgetBurnPage or ...Ticket."""
    return f"{camel(service)}{slo}BudgetBurn{kind.capitalize()}"


def rule_file(service: str, kind: str) -> str:
    """A Prometheus rule file under generated/: prometheus/<service>_<kind>.rules.yaml."""
    return f"prometheus/{service}_{kind}.rules.yaml"


def dashboards_mount(service: str) -> str:
    """Where the provisioned dashboards' JSON is mounted in Grafana: one folder per service."""
    return f"/var/lib/grafana/dashboards/{service}"


def sample_instance(service: str) -> str:
    """The instance label of promtool input series."""
    return f"{service}-0:8000"


SECRET_SUFFIX = "_hash"


def secret_argument(field: str) -> str:
    """The helper argument of a secret field: `token_hash` is logged, `token` is passed."""
    return field.removesuffix(SECRET_SUFFIX)


def span_attribute_key(service: str, name: str) -> str:
    """The OpenTelemetry attribute key of a span attribute: namespaced by the service."""
    return f"{service}.{name}"


def child_span_name(parent: str, child: str) -> str:
    """The full name of a child span: shop.checkout + pay -> shop.checkout.pay."""
    return f"{parent}.{child}"


def span_method(service: str, span: str) -> str:
    """The helper method starting a span: shop.order.put -> span_order_put."""
    return "span_" + span.removeprefix(service + ".").replace(".", "_")


# --- Grafana dashboards -------------------------------------------------------------

RATE_INTERVAL = "$__rate_interval"
"""Grafana's range for rate(): at least four scrape intervals, whatever the zoom."""

ALL_VALUE = ".+"
"""The regex a multi-value template variable stands for when 'All' is selected."""

_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_UID_MAX = 40  # Grafana rejects longer dashboard uids


def slug(text: str) -> str:
    """Lower-case words joined by '-', as Grafana slugs titles: 'Pending packages' -> 'pending-packages'."""
    return _SLUG_DROP.sub("-", text.lower()).strip("-")


DEPRECATED_TAG = "deprecated"  # the Grafana tag of a deprecated dashboard, to find them all in the dashboard list


def dashboard_uid(name: str, service: str) -> str:
    """The stable Grafana uid of the dashboard declared under `name`: '<service>-' + slug(name)."""
    return f"{service}-{slug(name)}"[:_UID_MAX]


def dashboard_path(name: str, service: str) -> str:
    """The URL path of a dashboard below the Grafana root: /d/<uid>/<slug>."""
    return f"/d/{dashboard_uid(name, service)}/{slug(name)}"
