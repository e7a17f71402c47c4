"""Naming conventions: every generated metric, label and series name comes from here."""

from __future__ import annotations

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


def python_identifier(name: str) -> str:
    """A metric or label name as a Python identifier (they are snake_case already)."""
    return name


SECRET_SUFFIX = "_hash"


def secret_argument(field: str) -> str:
    """The helper argument of a secret field: `token_hash` is logged, `token` is passed."""
    return field.removesuffix(SECRET_SUFFIX)


def span_attribute_key(service: str, name: str) -> str:
    """The OpenTelemetry attribute key of a span attribute: namespaced by the service."""
    return f"{service}.{name}"


def child_span_name(parent: str, child: str) -> str:
    """The full name of a child span: jam.process + refine -> jam.process.refine."""
    return f"{parent}.{child}"


def span_method(service: str, span: str) -> str:
    """The helper method starting a span: jam.preimage.put -> span_preimage_put."""
    return "span_" + span.removeprefix(service + ".").replace(".", "_")
