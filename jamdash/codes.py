"""Every rule id jamdash reports, declared once: its section, what it checks, how to fix it, and whether a metric may waive it.

Lint, the promql checks, the checks of the generated output and `jamdash diff` report these codes; the
rule tables in docs/spec.md and docs/compatibility.md are rendered from this table (tests/project/test_docs_rules.py).
"""

from __future__ import annotations

from typing import NamedTuple


class Section(NamedTuple):
    """A table of rules in the docs: its key (the marker in the docs), heading and columns."""

    key: str
    title: str
    columns: tuple[str, ...]


REGISTRY: dict[str, Code] = {}


class Code(str):
    """A rule id, which compares and prints as the id, with its documentation; declared once, below."""

    section: Section
    checks: str
    fix: str
    waivable: bool
    warning: bool
    breaking: bool

    def __new__(cls, rule_id: str, section: Section, checks: str, fix: str = "", *, waivable: bool = False,
                warning: bool = False, breaking: bool = False) -> Code:
        if rule_id in REGISTRY:
            raise ValueError(f"rule id {rule_id!r} is declared twice")
        code = super().__new__(cls, rule_id)
        code.section, code.checks, code.fix = section, checks, fix
        code.waivable, code.warning, code.breaking = waivable, warning, breaking
        REGISTRY[rule_id] = code
        return code

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (lookup, (str(self),))


def lookup(rule_id: str) -> Code:
    """The declared code of an id (KeyError for an unknown one)."""
    return REGISTRY[rule_id]


def in_section(section: Section) -> tuple[Code, ...]:
    """The codes of one docs table, in declaration order."""
    return tuple(code for code in REGISTRY.values() if code.section == section)


def waivable() -> frozenset[str]:
    """Every rule id a metric waiver may name."""
    return frozenset(rule_id for rule_id, code in REGISTRY.items() if code.waivable)


def markdown_table(section: Section) -> str:
    """The section's rule table, as the docs hold it between its markers (see sync_tables)."""
    def cells(code: Code) -> tuple[str, ...]:
        name = f"`{code}`" + (" (warning)" if code.warning else "")
        if section.columns[1] == "breaking":
            return (name, "yes" if code.breaking else "no", code.checks, code.fix)
        return (name, code.checks, code.fix)[:len(section.columns)]
    rows = [section.columns, tuple("-" * 3 for _ in section.columns)] + [cells(c) for c in in_section(section)]
    return "".join("| " + " | ".join(row) + " |\n" for row in rows)


def sync_tables(text: str) -> str:
    """text with every `<!-- rules: KEY -->` ... `<!-- /rules -->` block holding that section's current table."""
    sections = {s.key: s for s in (c.section for c in REGISTRY.values())}
    out, rest = [], text
    while (start := rest.find("<!-- rules: ")) >= 0:
        head_end = rest.index("-->", start) + 3
        key = rest[start + len("<!-- rules: "):head_end - 3].strip()
        end = rest.index("<!-- /rules -->", head_end)
        out.append(rest[:head_end] + "\n" + markdown_table(sections[key]))
        rest = rest[end:]
    return "".join(out) + rest


READING = Section("reading", "Reading the file and the YAML", ("rule", "what it checks", "how to fix"))
SHAPE = Section("shape", "Shape (the JSON Schema's checks, with positions)", ("rule", "what it checks", "how to fix"))
LABELS = Section("labels", "Labels", ("rule", "what it checks", "how to fix"))
NAMING = Section("naming", "Naming (waivable per metric, except `metric-name-snake-case`)", ("rule", "what it checks", "how to fix"))
WAIVERS = Section("waivers", "Waivers, deprecation and cardinality", ("rule", "what it checks", "how to fix"))
DEPLOYMENT = Section("deployment", "Deployment", ("rule", "what it checks", "how to fix"))
ALERTS = Section("alerts", "Alerts, recording rules and SLOs", ("rule", "what it checks", "how to fix"))
PROMTOOL = Section("promtool", "Generated-output checks (`jamdash lint`)", ("check", "what it reports"))
DASHBOARDS = Section("dashboards", "Dashboards", ("rule", "what it checks", "how to fix"))
DASHBOARD_JSON = Section("dashboard-json", "Dashboard checks on the generated JSON", ("rule", "what it checks", "how to fix"))
TELEMETRY = Section("telemetry", "Telemetry", ("rule", "what it checks", "how to fix"))
FLEET = Section("fleet", "Fleet: clusters and replicas", ("rule", "what it checks", "how to fix"))
COMPAT = Section("compat", "Compatibility", ("id", "breaking", "what", "acknowledged by"))
LIVE = Section("live", "Live checks (`jamdash check`)", ("rule", "what it checks", "how to fix"))


# Reading the file and the YAML
SPEC_UNREADABLE = Code(
    "spec-unreadable", READING,
    "The spec file can be opened and read.",
    "Check the path and its permissions.")
SPEC_ENCODING = Code(
    "spec-encoding", READING,
    "The spec is UTF-8 text without NUL bytes (not a binary file).",
    "Save it as UTF-8; check that `--spec` names the YAML file.")
SPEC_TOO_LARGE = Code(
    "spec-too-large", READING,
    "At most 4 MiB, 48 levels deep, 500,000 YAML nodes with aliases expanded; no alias that contains itself.",
    "Split long lists less deeply; remove anchors that multiply each other or refer to themselves.")
SPEC_EMPTY = Code("spec-empty", READING, "The file holds a YAML document.", "Start from the example above.")
YAML_SYNTAX = Code(
    "yaml-syntax", READING,
    "The text is valid YAML: one document, no tabs in indentation, closed brackets and quotes, defined aliases.",
    "Fix the YAML at the position given; indent with spaces.")
YAML_VALUE = Code(
    "yaml-value", READING,
    "Every scalar can be read (`2025-13-45` is not a date, `!!int x` not a number, no unknown or Python tags).",
    "Quote the value if you mean text, or correct it.")
YAML_KEY = Code(
    "yaml-key", READING,
    "Mapping keys are plain text: no lists or mappings as keys, no `<<` merge keys, no unquoted numbers, booleans, nulls or dates.",
    "Write the key as text, quoting it if needed (`'1':`).")
DUPLICATE_KEY = Code(
    "duplicate-key", READING,
    "No key appears twice in the same mapping.",
    "Remove or merge one of them; the message gives the line of the first.")

# Shape (the JSON Schema's checks, with positions)
WRONG_TYPE = Code(
    "wrong-type", SHAPE,
    "Each field has the right type (text, whole number, number, list, mapping, date); the spec itself is a mapping.",
    "Write the value in the expected type; quote text that YAML would read as a number, boolean or date.")
INVALID_VALUE = Code(
    "invalid-value", SHAPE,
    "Values within their allowed set or range: `type` and `multiprocess_mode` choices, `version: 1`, `max_series` and `max_values` at least 1, a duration for `scrape_interval`, snake_case `service`, non-blank reasons, valid dates.",
    "Use one of the values the message lists.")
MISSING_FIELD = Code(
    "missing-field", SHAPE,
    "Required fields are present: `version`, `max_series`, `metrics`; a metric's `type`; a waiver's `rule` and `reason`; a deprecation's `reason`.",
    "Add the field the message names.")
UNKNOWN_FIELD = Code(
    "unknown-field", SHAPE,
    "No field outside the format (usually a typo).",
    "Use the suggested name, or remove the field.")

# Labels
LABEL_NAME_SNAKE_CASE = Code(
    "label-name-snake-case", LABELS,
    "The label's key and its series name (its `name`, else its key) are snake_case; the generated code uses keys in identifiers.",
    "Rename it.")
RESERVED_LABEL = Code(
    "reserved-label", LABELS,
    "The series name is not `le`, `quantile`, `job`, `instance` or `__*`, which Prometheus reserves.",
    "Choose another name (set `name:`).")
LABEL_VALUES_OR_BOUND = Code(
    "label-values-or-bound", LABELS,
    "The label has exactly one of `values` and `max_values`, and `values` is not empty.",
    "Keep one: a closed list, or a bound for dynamic values.")
LABEL_VALUES_DUPLICATE = Code(
    "label-values-duplicate", LABELS,
    "No value is listed twice.",
    "Remove the repeated value.")
LABEL_VALUE_INVALID = Code(
    "label-value-invalid", LABELS,
    "Each value and the overflow value is non-empty plain text: no surrounding spaces, no control or invisible characters, at most 100 characters.",
    "Use a short, plain value.")
LABEL_OVERFLOW_COLLISION = Code(
    "label-overflow-collision", LABELS,
    "The overflow value is not also a declared value, so folded and real values never mix.",
    "Set another `overflow:`.")
UNDECLARED_LABEL = Code(
    "undeclared-label", LABELS,
    "Every label a metric lists is declared under `labels`.",
    "Declare it, or fix the name (the message lists the declared ones).")
LABEL_USED_TWICE = Code(
    "label-used-twice", LABELS,
    "A metric does not carry the same series label twice (directly or through two keys with the same `name`).",
    "Remove one.")
LABEL_UNUSED = Code(
    "label-unused", LABELS,
    "Every declared label is used by some metric.",
    "Use it or remove it.",
    warning=True)
BOUNDED_LABEL_UNJUSTIFIED = Code(
    "bounded-label-unjustified", LABELS,
    "A metric using a bounded label (`max_values`) names that label in its help, saying why it is needed.",
    "Justify the label in `help`, or drop it from the metric.")

# Naming (waivable per metric, except `metric-name-snake-case`)
METRIC_NAME_SNAKE_CASE = Code(
    "metric-name-snake-case", NAMING,
    "The name is snake_case (single underscores, lower case) with no `:`, which recording rules use.",
    "Use the suggested name.")
METRIC_NAME_PREFIX = Code(
    "metric-name-prefix", NAMING,
    "The name starts with `<service>_`.",
    "Add the prefix.",
    waivable=True)
COUNTER_TOTAL_SUFFIX = Code(
    "counter-total-suffix", NAMING,
    "Counters end in `_total`.",
    "Rename it `<name>_total`.",
    waivable=True)
TOTAL_SUFFIX_NOT_COUNTER = Code(
    "total-suffix-not-counter", NAMING,
    "Only counters end in `_total`.",
    "Drop `_total`, or make it a counter.",
    waivable=True)
RESERVED_SUFFIX = Code(
    "reserved-suffix", NAMING,
    "The name does not end in `_bucket`, `_count`, `_sum` or `_created`, which histograms, summaries and counters export.",
    "Choose another name.",
    waivable=True)
BASE_UNIT = Code(
    "base-unit", NAMING,
    "No abbreviated or non-base unit in the name (`_ms`, `_kb`, `_minutes`, `_percent`, ...) or in `unit`.",
    "Measure in the base unit (seconds, bytes, ratio) and name it so.",
    waivable=True)
UNIT_SUFFIX = Code(
    "unit-suffix", NAMING,
    "A declared `unit` ends the name (before `_total`), and a name ending in a base unit declares it.",
    "Add the unit to the name, or `unit:` to the metric.",
    waivable=True)
HELP_MISSING = Code("help-missing", NAMING, "The metric has help text.", "Add one sentence of `help:`.", waivable=True)
TYPE_IN_NAME = Code(
    "type-in-name", NAMING,
    "The name has no type word (`counter`, `gauge`, `histogram`, `summary`).",
    "Drop the word, or waive the rule with a reason (e.g. when existing queries already use the name).",
    waivable=True)
HISTOGRAM_BUCKETS = Code(
    "histogram-buckets", NAMING,
    "Histograms have `buckets`, finite and strictly increasing; other types have none.",
    "List finite bounds in increasing order; remove `buckets` from non-histograms.",
    waivable=True)
MULTIPROCESS_MODE_GAUGE_ONLY = Code(
    "multiprocess-mode-gauge-only", NAMING,
    "`multiprocess_mode` is set on gauges only.",
    "Remove it from counters and histograms.",
    waivable=True)

# Waivers, deprecation and cardinality
UNKNOWN_WAIVER_RULE = Code(
    "unknown-waiver-rule", WAIVERS,
    "A waiver names a rule that exists and can be waived per metric.",
    "Use the suggested rule id, or fix the problem instead of waiving it.")
WAIVER_DUPLICATE = Code(
    "waiver-duplicate", WAIVERS,
    "A metric waives each rule at most once.",
    "Keep one waiver with one reason.")
DEPRECATION_TARGET = Code(
    "deprecation-target", WAIVERS,
    "`renamed_to` names a declared metric, not the metric itself and not another deprecated one.",
    "Point it at the current replacement (the message suggests one).")
DEPRECATED_RENAME_INCOMPATIBLE = Code(
    "deprecated-rename-incompatible", WAIVERS,
    "The replacement can stand in for the old name: same type, and every label of the old metric (the old series are recorded from the new one).",
    "Add the missing labels to the replacement, or keep both metrics.")
SERIES_BUDGET = Code(
    "series-budget", WAIVERS,
    "The sum of all series budgets is at most `max_series`.",
    "Drop labels, bound them tighter, use fewer buckets, or raise `max_series`.")

# Deployment
DEPLOYMENT_SELECTOR = Code(
    "deployment-selector", DEPLOYMENT,
    "`deployment.selector` is label matchers in braces (`{job=~\"ledger-.*\", namespace=\"payments\"}`): no metric name, regexes that compile; `alerting.job` is not set beside it.",
    "Fix the matchers; move `alerting.job` into the selector.")
DEPLOYMENT_TEST_LABELS = Code(
    "deployment-test-labels", DEPLOYMENT,
    "The labels the generated promtool tests give their series (`deployment.test_labels` over the selector's `=` values and `job: <service>`) match the selector; `instance` is not among them.",
    "Set `deployment.test_labels` to the labels of one real target, e.g. `job: ledger-api`.")

# Alerts, recording rules and SLOs
ALERTING_MISSING = Code(
    "alerting-missing", ALERTS,
    "Alerts and SLOs come with an `alerting` section.",
    "Add `alerting:` with `runbook_url`.")
RUNBOOK_URL_PATTERN = Code(
    "runbook-url-pattern", ALERTS,
    "`runbook_url` contains `{anchor}` or `{alert}`.",
    "Put `#{anchor}` where the section anchor goes.")
ALERT_NAME = Code(
    "alert-name", ALERTS,
    "Alert names are CamelCase and start with the service name in CamelCase (`Ledger...` for `service: ledger`, `HttpApi...` for `http_api`).",
    "Rename it, e.g. `LedgerQueueFull`.")
ALERT_INTENT = Code(
    "alert-intent", ALERTS,
    "An alert has exactly one intent or `expr`; `tests` only with `expr`.",
    "Keep one intent; drop `tests` from intents (jamdash writes those).")
ALERT_METRIC = Code(
    "alert-metric", ALERTS,
    "An intent names declared metrics of the right type (counters for ratio, rate and increase; gauges for gauge and relative_to; histograms for quantile).",
    "Fix the name or pick the right intent.")
ALERT_LABEL = Code(
    "alert-label", ALERTS,
    "`by` and `match` name labels of the metric, and `match` values are allowed values.",
    "Use the metric's labels and values.")
ALERT_UNTESTED = Code(
    "alert-untested", ALERTS,
    "A raw `expr` has a test that fires, with a `value`.",
    "Add a case with `fires: true`, `labels` and `value`.")
RECORDING_RULE_KIND = Code(
    "recording-rule-kind", ALERTS,
    "A recording rule has exactly one of rate, increase, ratio and histogram (with quantiles); a recorded ratio takes plain names.",
    "Split it into several entries.")
SLO_SLI = Code(
    "slo-sli", ALERTS,
    "An SLO has either `errors` and `total`, or `latency` whose `below` is one of the histogram's bucket bounds.",
    "Give errors and total (counters), or latency: {histogram, below: a bucket bound}.")
SLO_WINDOWS = Code(
    "slo-windows", ALERTS,
    "The SLO period divides into whole-millisecond windows.",
    "Choose a period or divisors that divide evenly.")
PROMQL_PARSE = Code("promql-parse", ALERTS, "The expression parses.", "Fix the PromQL at the position given.")
PROMQL_UNKNOWN_METRIC = Code(
    "promql-unknown-metric", ALERTS,
    "Every selected series is a declared metric, a histogram's `_bucket`/`_sum`/`_count`, a recorded series or `up`.",
    "Declare the metric or fix its name.")
PROMQL_HISTOGRAM_NAME = Code(
    "promql-histogram-name", ALERTS,
    "A histogram is queried through its series, not its bare name.",
    "Use `_bucket`, `_sum` or `_count`.")
PROMQL_UNKNOWN_LABEL = Code(
    "promql-unknown-label", ALERTS,
    "Matchers, `by`/`without` and `on()` use labels the series carry.",
    "Use a declared label, or `job`/`instance`.")
PROMQL_LABEL_VALUE = Code(
    "promql-label-value", ALERTS,
    "Matchers of closed labels use allowed values (regexes must match one).",
    "Use one of the listed values.")
PROMQL_RATE_WINDOW = Code(
    "promql-rate-window", ALERTS,
    "Range windows are at least 4 × `scrape_interval`.",
    "Widen the window.")
PROMQL_COUNTER_FUNCTION = Code(
    "promql-counter-function", ALERTS,
    "`rate`, `increase`, `irate` and `resets` apply to counters only.",
    "Use `deriv`/`delta` on gauges, or the right metric.")
PROMQL_HISTOGRAM_QUANTILE = Code(
    "promql-histogram-quantile", ALERTS,
    "`histogram_quantile` reads `_bucket` series and keeps `le`.",
    "Aggregate `by (..., le)` over `_bucket`.")
RECORD_NAME = Code(
    "record-name", ALERTS,
    "Recorded names follow `level:metric:operations`.",
    "Built by conventions; report a bug.")
ALERT_DUPLICATE = Code("alert-duplicate", ALERTS, "No two alerts (SLO ones included) share a name.", "Rename one.")
ALERT_SCALAR = Code(
    "alert-scalar", ALERTS,
    "An alert's expression returns a vector.",
    "Compare a vector, not a scalar.")
ALERT_ANNOTATION_MISSING = Code(
    "alert-annotation-missing", ALERTS,
    "Alerts carry `summary`, `description` and `runbook_url`.",
    "Fill them in.")
ALERT_ANNOTATION_PARAM = Code(
    "alert-annotation-param", ALERTS,
    "Every `{name}` in an annotation is a known parameter.",
    "Use a listed parameter or `params`.")
ALERT_ANNOTATION_TEMPLATE = Code(
    "alert-annotation-template", ALERTS,
    "Annotations render like Prometheus would, against sample labels of the expression's result: every `$labels.x` is a label the series carry, and only known template functions are used.",
    "Use labels the expression keeps (add them to `by`).")
ALERT_TEST_LABELS = Code(
    "alert-test-labels", ALERTS,
    "A raw expr's firing test expects exactly the labels the expression yields.",
    "Fix the test's `labels`.")
QUANTILE_THRESHOLD_BUCKETS = Code(
    "quantile-threshold-buckets", ALERTS,
    "A quantile alert's threshold lies strictly between two bucket bounds less than half the threshold apart, "
    "below the last bound. histogram_quantile interpolates inside a bucket: on a bound, observations just above "
    "it read as anywhere up to the next bound; between far bounds, the threshold means little.",
    "Add bounds just below and just above the threshold (2 and 3 around 2.5), or move the threshold between "
    "two close bounds.",
    warning=True)
ALERT_DESCRIPTION_UNITS = Code(
    "alert-description-units", ALERTS,
    "A description prints its threshold in the unit it prints the value in: next to humanizeDuration a "
    "`{..._duration}` parameter, next to humanizePercentage `{above_percent}`.",
    "Use `{above_duration}`, `{<param>_duration}` or `{above_percent}`.",
    warning=True)
ALERT_DESCRIPTION_WINDOW = Code(
    "alert-description-window", ALERTS,
    "A description names only windows of its alert's expression, and none when the expression is an `or` of "
    "conditions over different windows (it cannot know which one fired).",
    "Name the expression's window (`{window}`); split an `or` of windows into one alert (or rule) per branch.",
    warning=True)
ALERT_DESCRIPTION_COUNT = Code(
    "alert-description-count", ALERTS,
    "A value counted with `increase()` is rounded before a description prints it: increase() extrapolates, so "
    "one event reads as 1.02.",
    "Wrap the expression's increase in `round()` (intents do), or print the value with `printf \"%.0f\"`.",
    warning=True)

# Generated-output checks (`jamdash lint`)
PROMTOOL_CHECK_RULES = Code("promtool-check-rules", PROMTOOL, "A rule file promtool rejects, at its line.")
PROMTOOL_TEST_RULES = Code("promtool-test-rules", PROMTOOL, "A failing promtool test, at the line of its `name:`.")
ALERT_WITHOUT_TEST = Code(
    "alert-without-test", PROMTOOL,
    "An alert in the rule files that no test expects to fire (a hand-added alert, say).")
RECORD_WITHOUT_TEST = Code(
    "record-without-test", PROMTOOL,
    "A recorded series of the recording rules that no `promql_expr_test` evaluates.")

# Dashboards
DASHBOARD_UNKNOWN_METRIC = Code(
    "dashboard-unknown-metric", DASHBOARDS,
    "Every metric a panel, reference line or `target_metric` names is declared (or is the overflow self-metric).",
    "Fix the name, or declare the metric.")
DASHBOARD_UNKNOWN_LABEL = Code(
    "dashboard-unknown-label", DASHBOARDS,
    "`by` and `match` name labels the metric has; every entry of `variables` is a label some metric has.",
    "Use one of the labels the message lists.")
DASHBOARD_UNKNOWN_LABEL_VALUE = Code(
    "dashboard-unknown-label-value", DASHBOARDS,
    "`match` keeps only declared values of closed labels.",
    "Use a declared value; match bounded labels nowhere.")
DASHBOARD_KIND_METRIC_TYPE = Code(
    "dashboard-kind-metric-type", DASHBOARDS,
    "The metric fits the panel kind: counters for `rate` and `ratio`, histograms for `quantiles` and `heatmap`, gauges for `value`, `age` and reference lines.",
    "Pick the kind that fits the metric, or another metric.")
DASHBOARD_UNKNOWN_LINK = Code(
    "dashboard-unknown-link", DASHBOARDS,
    "`link` names another dashboard of the spec.",
    "Use one of the dashboard keys the message lists.")
DASHBOARD_UNKNOWN_UNIT = Code(
    "dashboard-unknown-unit", DASHBOARDS,
    "`unit` is a Grafana unit id.",
    "Use one such as `reqps`, `ops`, `s`, `bytes`, `percentunit`.")
DASHBOARD_KEY = Code(
    "dashboard-key", DASHBOARDS,
    "A dashboard key is lower-case words joined by `-`, so it is its own uid slug.",
    "Rename the key.")
DASHBOARD_PANEL_SHAPE = Code(
    "dashboard-panel-shape", DASHBOARDS,
    "The panel's fields fit together: one of `metric`/`series`; `over` exactly on ratios; heatmap kind and display together, without `by`; quantiles in (0, 1); reference lines on time series.",
    "Follow the message.")
DASHBOARD_UNKNOWN_RECORDING = Code(
    "dashboard-unknown-recording", DASHBOARDS,
    "A panel with `recorded:` is a `quantiles` or `ratio` panel of one `metric`, and a `per_instance` `recording_rules` entry records it: same histogram (all the panel's quantiles) or the same plain errors/total, that window, and `by` exactly the panel's `by` and `match` keys plus the dashboard variables the metric has.",
    "Add the entry the message suggests, or drop `recorded`.")
DASHBOARD_PANEL_TITLE_DUPLICATE = Code(
    "dashboard-panel-title-duplicate", DASHBOARDS,
    "Panel titles are unique within a dashboard.",
    "Rename one panel.")
DASHBOARD_REFERENCE_ALERT = Code(
    "dashboard-reference-alert", DASHBOARDS,
    "A reference line's `alert` is a gauge alert (it has a threshold to draw).",
    "Name one of the gauge alerts the message lists, or draw a `metric`.")
ALERT_UNKNOWN_DASHBOARD = Code(
    "alert-unknown-dashboard", DASHBOARDS,
    "An alert's or SLO's `dashboard` names a dashboard of the spec (same uid `<service>-<slug>`), so its `dashboard_url` opens.",
    "Use one of the dashboard keys the message lists.")
DASHBOARD_LINK_DEPRECATED = Code(
    "dashboard-link-deprecated", DASHBOARDS,
    "A panel's `link` or an alert's or SLO's `dashboard` names a dashboard that is not `deprecated:` (a warning): once the deprecated one is removed, the link is an error.",
    "Point it at the dashboard that replaces the deprecated one.",
    warning=True)
COMPAT_RECORD_REMOVED = Code(
    "compat-record-removed", COMPAT,
    "a recorded series a `recording_rules` entry asked for is gone (dashboards and alerts outside the spec may read it)",
    "a waiver with this id on the metric it recorded",
    waivable=True,
    breaking=True)
COMPAT_DASHBOARD_REMOVED = Code(
    "compat-dashboard-removed", COMPAT,
    "a dashboard is gone, or its uid changed (links and bookmarks to it break)",
    "the dashboard being deprecated in the base (tell its users first: it then says so in Grafana)",
    breaking=True)
COMPAT_EVENT_FIELD_REMOVED = Code(
    "compat-event-field-removed", COMPAT,
    "a log event, or a field of one, is gone, or a field changed kind (log queries and parsers break)",
    "a removal: the event or field being deprecated in the base; a kind change: nothing (add a field under a new name instead)",
    breaking=True)
COMPAT_ALERT_CHANGED = Code(
    "compat-alert-changed", COMPAT,
    "an alert was added or removed, or its threshold, window, `for`, severity or expression changed")
COMPAT_RECORD_CHANGED = Code(
    "compat-record-changed", COMPAT,
    "a recorded series was added, or one only an alert or SLO read (not a `recording_rules` entry) is gone")
COMPAT_SLO_CHANGED = Code(
    "compat-slo-changed", COMPAT,
    "an SLO was added or removed, or its objective, period, SLI or burn windows changed")
COMPAT_DASHBOARD_CHANGED = Code(
    "compat-dashboard-changed", COMPAT, "a dashboard was added, retitled or deprecated, or a panel added or removed")
COMPAT_EVENT_CHANGED = Code("compat-event-changed", COMPAT, "a log event or a field of one was added or deprecated")

# Dashboard checks on the generated JSON
TEMPLATE_DATASOURCE = Code(
    "template-datasource", DASHBOARD_JSON,
    "The dashboard has a `datasource` variable of type datasource listing `prometheus`, labelled `Data source` (a warning).",
    "Generated that way; a hand edit broke it.")
TEMPLATE_JOB = Code(
    "template-job", DASHBOARD_JSON,
    "`job` and `instance` query variables on `${datasource}`, multi-select with an All value of `.+`, labelled `Job`/`Instance` (a warning).",
    "As above.")
TEMPLATE_INSTANCE = Code(
    "template-instance", DASHBOARD_JSON,
    "`job` and `instance` query variables on `${datasource}`, multi-select with an All value of `.+`, labelled `Job`/`Instance` (a warning).",
    "As above.")
PANEL_DATASOURCE = Code(
    "panel-datasource", DASHBOARD_JSON,
    "Every panel and target uses the templated data source.",
    "As above.")
PANEL_UNITS = Code(
    "panel-units", DASHBOARD_JSON,
    "Every panel has a valid Grafana unit (a heatmap: its y axis).",
    "Set `unit` on the panel.")
PANEL_TITLE_DESCRIPTION = Code(
    "panel-title-description", DASHBOARD_JSON,
    "Every panel has a title and a description.",
    "Set `description` (or fix the metrics' help).")
PANEL_NO_TARGETS = Code("panel-no-targets", DASHBOARD_JSON, "Every panel has a query.", "Give the panel a metric.")
TARGET_PROMQL = Code(
    "target-promql", DASHBOARD_JSON,
    "Every query parses as PromQL (Grafana variables substituted).",
    "Report a jamdash bug: queries are generated.")
TARGET_RATE_INTERVAL = Code(
    "target-rate-interval", DASHBOARD_JSON,
    "`rate`/`irate` use `$__rate_interval`.",
    "As above.")
TARGET_COUNTER_AGG = Code(
    "target-counter-agg", DASHBOARD_JSON,
    "A `_total` series is read only inside `rate`, `irate` or `increase`.",
    "As above.")
TARGET_JOB = Code(
    "target-job", DASHBOARD_JSON,
    'Every selector has `job=~"$job"` and `instance=~"$instance"`.',
    "As above.")
TARGET_INSTANCE = Code(
    "target-instance", DASHBOARD_JSON,
    'Every selector has `job=~"$job"` and `instance=~"$instance"`.',
    "As above.")
DASHBOARD_UNDECLARED_METRIC = Code(
    "dashboard-undeclared-metric", DASHBOARD_JSON,
    "A panel query reads only declared series or generated recording rules, and every template variable's `label_values()` reads a series that exists (a histogram's `_count`, not its bare name, which has no series).",
    "Declare the metric, or fix the query.")
METRIC_COVERAGE = Code(
    "metric-coverage", DASHBOARD_JSON,
    "Every spec metric is on a dashboard or read by a generated alert or recording rule. A summary line (`metric coverage: N of M ...`) is printed on stderr.",
    "Add a panel, or waive `metric-coverage` on the metric with the reason; a waiver on a shown metric is a `waiver-unused` warning.",
    waivable=True)

# Telemetry
TELEMETRY_NAME = Code(
    "telemetry-name", TELEMETRY,
    "Event and field names are snake_case, not Python keywords, not `span_*` or a `Telemetry` method name; no two fields or params become the same helper argument.",
    "Rename it.")
TELEMETRY_UNKNOWN_LABEL = Code(
    "telemetry-unknown-label", TELEMETRY,
    "A field, param, attribute or status field names a declared label.",
    "Declare the label or fix the key.")
TELEMETRY_LABEL_VALUES = Code(
    "telemetry-label-values", TELEMETRY,
    "A field or attribute naming a label shares its declared values: no narrower `values`, `enum` for a closed label, `identifier` for a bounded one; a fixed attribute value is one of the label's.",
    "Drop `values`, change the kind, or fix the value.")
TELEMETRY_FIELD_KIND = Code(
    "telemetry-field-kind", TELEMETRY,
    "`values` only on enums (which need values or a label), `keys` only on counts, fixed `value` only on label attributes.",
    "Move or remove the option.")
SECRET_FIELD_NAME = Code(
    "secret-field-name", TELEMETRY,
    "A secret field's name ends in `_hash`: the record says what it holds.",
    "Rename `token` to `token_hash`; the helper still takes `token`.")
METRIC_LINK_UNKNOWN = Code(
    "metric-link-unknown", TELEMETRY,
    "An event or span updates a declared metric.",
    "Declare the metric or fix the name.")
METRIC_LINK_OP = Code(
    "metric-link-op", TELEMETRY,
    "The op fits the metric type (counter: `inc`; gauge: `inc`, `dec`, `set`, `set_to_current_time`; histogram: `observe`); spans only `inc` counters or `observe` seconds histograms.",
    "Use the matching op or metric.")
METRIC_LINK_VALUE = Code(
    "metric-link-value", TELEMETRY,
    "`set` and `observe` have a value; a value is a numeric field (or `field.key`); milliseconds only feed seconds metrics; `set_to_current_time` takes none.",
    "Point `value` at a count, size or duration field.")
METRIC_LINK_WHEN = Code(
    "metric-link-when", TELEMETRY,
    "`when` names a field of the event; its `values` are among the enum's; presence is tested only on optional fields.",
    "Fix the field or values.")
METRIC_LINK_LABEL = Code(
    "metric-link-label", TELEMETRY,
    "Every label of an updated metric has exactly one source whose values the label declares; a span's metric labels are constants or fixed values.",
    "Add a param with the label, map it under `labels`, or restrict with `when`.")
SPAN_NAME = Code(
    "span-name", TELEMETRY,
    "Spans are `<service>.` plus dotted snake_case words; children are one word.",
    "Rename the span.")
STATUS_FIELD = Code(
    "status-field", TELEMETRY,
    "Enum status fields name a label, bools and ints do not; a mirrored `metric` is an unlabelled gauge.",
    "Fix the field.")
TELEMETRY_CONSTANT = Code(
    "telemetry-constant", TELEMETRY,
    "Each constant has a status field with that label, to read it from at start-up.",
    "Add the status field.")
HEALTH_CLEANUP_EVENT = Code(
    "health-cleanup-event", TELEMETRY,
    "`health.cleanup_event` is a declared event, and `cleanup_enabled` a status field.",
    "Declare them.")

# Fleet: clusters and replicas
FLEET_CLUSTER_LABEL = Code(
    "fleet-cluster-label", FLEET,
    "`fleet.cluster_label` is not a declared label's name, nor job, instance or le.",
    "Name the label your scrapers add to every series, e.g. cluster.")
FLEET_CLUSTER_DROPPED = Code(
    "fleet-cluster-dropped", FLEET,
    "With `fleet.cluster_label`, every `by (...)` and `on (...)` of every rule (raw expressions included) "
    "keeps the cluster label, so no two clusters' series are summed or matched together.",
    "Add the cluster label to the aggregation's `by (...)` or the match's `on (...)`.")
REPLICAS_MIXED = Code(
    "replicas-mixed", FLEET,
    "A ratio (alert, SLO, recording rule or dashboard panel), a gauge alert's `relative_to` and a panel's "
    "reference line divide or compare metrics whose `replicas` agree, so both sides combine replicas alike.",
    "Declare both metrics `replicas: shared` (every replica reports the same shared value) or both per_process.")
REPLICAS_HISTOGRAM = Code(
    "replicas-histogram", FLEET,
    "`replicas: shared` is on a counter or gauge: a histogram's buckets are always per process.",
    "Remove `replicas` from the histogram.")


# Compatibility
COMPAT_METRIC_REMOVED = Code(
    "compat-metric-removed", COMPAT,
    "a metric is gone",
    "the metric being deprecated in the base",
    breaking=True)
COMPAT_METRIC_RENAMED = Code(
    "compat-metric-renamed", COMPAT,
    "a metric is gone and one with the same type, unit, labels and buckets appeared",
    "keeping the old metric as `deprecated: {reason, renamed_to}` (then it is not gone)",
    breaking=True)
COMPAT_DEPENDENCY_GONE = Code(
    "compat-dependency-gone", COMPAT,
    "a metric is gone while an alert, recording rule or dashboard of the spec still reads it",
    "nothing: update the readers first",
    breaking=True)
COMPAT_TYPE_CHANGED = Code(
    "compat-type-changed", COMPAT,
    "counter, gauge or histogram changed",
    "a waiver with this id on the metric",
    waivable=True,
    breaking=True)
COMPAT_UNIT_CHANGED = Code("compat-unit-changed", COMPAT, "the unit changed", "a waiver", waivable=True, breaking=True)
COMPAT_BUCKETS_CHANGED = Code(
    "compat-buckets-changed", COMPAT,
    "a histogram's buckets changed (quantiles across the change are wrong)",
    "a waiver",
    waivable=True,
    breaking=True)
COMPAT_LABEL_REMOVED = Code(
    "compat-label-removed", COMPAT,
    "a metric lost a label",
    "a waiver",
    waivable=True,
    breaking=True)
COMPAT_LABEL_RENAMED = Code(
    "compat-label-renamed", COMPAT,
    "a label's name changed (by its `name:` or a removed/added label with the same values)",
    "a waiver",
    waivable=True,
    breaking=True)
COMPAT_LABEL_VALUE_REMOVED = Code(
    "compat-label-value-removed", COMPAT,
    "a closed label no longer takes a value, its overflow value changed, or a bounded label became closed; reported once per label, at its declaration, with the metrics that carry it",
    "a waiver on every metric that carries the label",
    waivable=True,
    breaking=True)
COMPAT_METRIC_ADDED = Code("compat-metric-added", COMPAT, "a new metric")
COMPAT_METRIC_DEPRECATED = Code("compat-metric-deprecated", COMPAT, "a metric became deprecated (with where it went)")
COMPAT_LABEL_ADDED = Code("compat-label-added", COMPAT, "a metric gained a label")
COMPAT_LABEL_VALUE_ADDED = Code("compat-label-value-added", COMPAT, "a label takes more values")

# Dashboard checks on the generated JSON
WAIVER_UNUSED = Code(
    "waiver-unused", DASHBOARD_JSON,
    "A `metric-coverage` waiver is on a metric that a dashboard or rule does show (a warning).",
    "Remove the waiver.",
    warning=True)

# Live checks (`jamdash check`): one exposition, or a registry in a service's tests, against the spec
LIVE_METRIC_MISSING = Code(
    "live-metric-missing", LIVE,
    "Every metric the generated module exports is exposed (old names of renamed metrics aside: Prometheus records them).",
    "Deploy a service built with the current generated module.")
LIVE_METRIC_UNDECLARED = Code(
    "live-metric-undeclared", LIVE,
    "Every exposed metric with the service's prefix (`<service>_`) is declared; other prefixes only with `--all-metrics`.",
    "Declare it under `metrics:`, or stop exporting it.")
LIVE_TYPE = Code(
    "live-type", LIVE,
    "A metric's `# TYPE` is the declared type.",
    "Register the metric through the generated module, not by hand.")
LIVE_UNIT = Code(
    "live-unit", LIVE,
    "A metric's OpenMetrics `# UNIT` is the declared unit (the text format carries none).",
    "As above.")
LIVE_SUFFIX = Code(
    "live-suffix", LIVE,
    "Series carry their type's names: a counter's end in `_total`, a histogram's are `_bucket`, `_sum` and `_count`.",
    "As above.")
LIVE_BUCKETS = Code(
    "live-buckets", LIVE,
    "A histogram's bucket bounds are the spec's `buckets`.",
    "As above.")
LIVE_LABEL_UNDECLARED = Code(
    "live-label-undeclared", LIVE,
    "Series carry no label their metric does not declare (`le` on buckets aside).",
    "As above.")
LIVE_LABEL_MISSING = Code(
    "live-label-missing", LIVE,
    "Series carry every label their metric declares.",
    "As above.")
LIVE_LABEL_VALUE = Code(
    "live-label-value", LIVE,
    "A closed label takes only its `values` and its overflow value.",
    "Update values through the generated module, which folds unknown ones into the overflow value.")
LIVE_LABEL_CARDINALITY = Code(
    "live-label-cardinality", LIVE,
    "A bounded label takes at most `max_values` distinct values besides its overflow value.",
    "As above.")
LIVE_SERIES_BUDGET = Code(
    "live-series-budget", LIVE,
    "A metric has no more series than its budget (with `--prometheus-url`: on any one target).",
    "Find the label taking unbounded values; bound it in the spec or fold it in the service.")
LIVE_MAX_SERIES = Code(
    "live-max-series", LIVE,
    "The service's metrics have no more series than `max_series` in all.",
    "Find the metrics over their budget, or undeclared ones.")
# Live checks: a running Prometheus against the spec and the rule files it generates
LIVE_GROUP_MISSING = Code(
    "live-group-missing", LIVE,
    "Prometheus has loaded every generated rule group.",
    "Add the generated rule file to `rule_files:` (or apply the PrometheusRule) and reload.")
LIVE_GROUP_STALE = Code(
    "live-group-stale", LIVE,
    "No group of the service (`<service>.*`, `<service>_*`) is loaded that the spec no longer generates.",
    "Remove the old rule file and reload.")
LIVE_RULE_MISSING = Code(
    "live-rule-missing", LIVE,
    "A loaded group holds every rule generated for it.",
    "Deploy the current generated rule files.")
LIVE_RULE_UNDECLARED = Code(
    "live-rule-undeclared", LIVE,
    "A loaded group holds no rule the spec does not generate.",
    "As above.")
LIVE_RULE_CHANGED = Code(
    "live-rule-changed", LIVE,
    "A loaded rule has the generated expression (compared as parsed PromQL), `for`, labels and annotations.",
    "As above.")
LIVE_RULE_UNHEALTHY = Code(
    "live-rule-unhealthy", LIVE,
    "Every rule of the service's groups evaluates without error (`health`, `lastError`).",
    "Read the error; a rule file not from this spec, or series with clashing labels, are the usual causes.")
LIVE_SERIES_ABSENT = Code(
    "live-series-absent", LIVE,
    "Every metric the generated module exports has series for the job (and `--selector`).",
    "Check the scrape job's name (`--job`, `alerting.job`) and that the target is up.")
LIVE_RECORDED_ABSENT = Code(
    "live-recorded-absent", LIVE,
    "Every recorded series that alerts, dashboard panels or other rules read has series for the job.",
    "Load its rule group; check the series it is recorded from.")
LIVE_ALERT_ACTIVE = Code(
    "live-alert-active", LIVE,
    "Information, never a failure: an alert of the spec is pending or firing for the job.",
    "Follow its runbook.")
