"""Every PromQL text builder, for rules and dashboards alike; names come from jamdash.conventions, never typed here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from jamdash import conventions
from jamdash.model.deployment import Matcher

_REGEX_SPECIAL = re.compile(r"[\\.+*?()|\[\]{}^$]")


def number(value: float) -> str:
    """A float literal as short as it reads: 0.05, 1, 2.5, 1e-06."""
    text = f"{value:.15g}"
    return text


def quote(value: str) -> str:
    """A label value as a PromQL string literal: the one escaping of label values, for dashboards,
    rules, rule tests and docs alike. ``v1.2"`` becomes ``"v1.2\\""``."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def regex_union(values: Iterable[str]) -> str:
    """A regex (RE2, anchored by Prometheus) matching exactly these values: ``a|b\\.c``; quote() it."""
    return "|".join(_REGEX_SPECIAL.sub(lambda m: "\\" + m.group(), value) for value in values)


def matcher(label: str, values: Sequence[str]) -> str:
    """label="v" for one value, label=~"a|b" for several."""
    if len(values) == 1:
        return f"{label}={quote(values[0])}"
    return f"{label}=~{quote(regex_union(values))}"


def label_set(labels: Iterable[tuple[str, str]]) -> str:
    """{k1="v1", k2="v2"}: the labels in the order given."""
    return "{" + ", ".join(f"{key}={quote(value)}" for key, value in labels) + "}"


def target_matcher(matcher: Matcher) -> str:
    """label="value", label=~"regex" ...: one matcher of the deployment's target selector."""
    return f"{matcher.label}{matcher.op}{quote(matcher.value)}"


def selector(metric: str, match: Mapping[str, str] | None = None, target: Sequence[Matcher] = ()) -> str:
    """metric{<target matchers>, a="x", b="y"}: a rule's selector, the deployment's target selector first,
    then match's label values escaped, sorted."""
    parts = [target_matcher(m) for m in target] + [f"{key}={quote(value)}" for key, value in sorted((match or {}).items())]
    return f"{metric}{{{', '.join(parts)}}}" if parts else metric


def joined_selector(series: str, matchers: Sequence[str]) -> str:
    """series{m1,m2}: a dashboard's selector from matchers already written, in their order."""
    return f"{series}{{{','.join(matchers)}}}" if matchers else series


def variable(name: str) -> str:
    """A Grafana template variable reference inside a query: $name."""
    return "$" + name


def variable_matcher(label: str) -> str:
    """label=~"$label": the matcher a template variable of the same name fills in."""
    return f'{label}=~"{variable(label)}"'


def cluster_matcher(label: str) -> str:
    """label=~"$cluster": the fleet's cluster label, filtered by the `cluster` dashboard variable."""
    return f'{label}=~"{variable(conventions.CLUSTER_VARIABLE)}"'


def labels_list(labels: Sequence[str]) -> str:
    return ", ".join(labels)


def aggregate(op: str, by: Sequence[str], inner: str) -> str:
    """op by (l1, l2) (inner), or op(inner) without grouping."""
    return f"{op} by ({labels_list(by)}) ({inner})" if by else f"{op}({inner})"


def call(function: str, *args: str) -> str:
    return f"{function}({', '.join(args)})"


def range_call(function: str, series: str, window: str) -> str:
    """rate(x[5m]), increase(x[1h]) ..."""
    return f"{function}({series}[{window}])"


def on(labels: Sequence[str]) -> str:
    return f"on ({labels_list(labels)})"
