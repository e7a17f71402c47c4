"""`jamdash check --metrics-url`: each kind of drift, served by a real HTTP server on loopback, is found.

The clean exposition comes from the generated module (JamMetrics.fresh()); each test edits its text
the way a drifted service would expose it, serves it, and runs the command on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import choose_encoder

from conftest import SPEC
from exposition_text import after_type, drop
from jamdash.cli import cli
from jamdash.findings import display_path
from jamdash.model import Model
from servers import Answer, http_stub

TEXT = "text/plain; version=0.0.4; charset=utf-8"
OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8"


@pytest.fixture
def clean(jam_registry: CollectorRegistry) -> str:
    """The registry's Prometheus text exposition."""
    return generate_latest(jam_registry).decode()


def run(answer: Callable[[dict[str, str]], Answer], *args: str, spec: Path = SPEC) -> tuple[int, str, str]:
    with http_stub(answer) as stub:
        result = CliRunner().invoke(cli, ["check", "--spec", str(spec), "--metrics-url", f"{stub.url}/metrics", *args])
    return result.exit_code, result.stdout, result.stderr


def check(text: str, *args: str, content_type: str = TEXT, spec: Path = SPEC) -> tuple[int, list[dict[str, object]]]:
    """Serve text, run `jamdash check --format json` on it: the exit code and the findings."""
    code, out, err = run(lambda _: (200, content_type, text.encode()), "--format", "json", *args, spec=spec)
    assert "Traceback" not in err
    return code, json.loads(out)


def rules(found: list[dict[str, object]]) -> list[str]:
    return [str(f["rule"]) for f in found]


def only(found: list[dict[str, object]], rule: str) -> dict[str, object]:
    matching = [f for f in found if f["rule"] == rule]
    assert len(matching) == 1, found
    return matching[0]


def at(model: Model, metric: str) -> tuple[int, int]:
    pos = model.metric(metric).position
    return pos.line, pos.column


def where(finding: dict[str, object]) -> tuple[int, int]:
    return int(str(finding["line"])), int(str(finding["column"]))


# --- conforming expositions ---------------------------------------------------------------------

def test_the_generated_module_conforms_in_both_formats_negotiating_openmetrics(jam_registry: CollectorRegistry) -> None:
    def negotiate(headers: dict[str, str]) -> Answer:
        encoder, content_type = choose_encoder(headers.get("accept", ""))
        return 200, content_type, encoder(jam_registry)

    with http_stub(negotiate) as stub:
        result = CliRunner().invoke(cli, ["check", "--metrics-url", f"{stub.url}/metrics"])
        accepted = stub.requests[0]["accept"]
    assert (result.exit_code, result.stdout) == (0, ""), result.output
    assert "conforms to the spec" in result.stderr
    assert accepted.startswith("application/openmetrics-text;version=1.0.0")
    assert check(generate_latest(jam_registry).decode()) == (0, [])


def test_other_prefixes_are_ignored_unless_asked(clean: str) -> None:
    text = clean + "# TYPE python_gc_objects_collected_total counter\npython_gc_objects_collected_total 3\n"
    assert check(text) == (0, [])
    code, found = check(text, "--all-metrics")
    assert code == 1 and "python_gc_objects_collected_total" in str(only(found, "live-metric-undeclared")["message"])


# --- metrics: missing, undeclared, type, unit, suffix, buckets -----------------------------------

def test_a_declared_metric_missing(clean: str, model: Model) -> None:
    code, found = check(drop(clean, "jam_reports_total", "jam_reports_created"))
    assert code == 1 and rules(found) == ["live-metric-missing"]
    assert found[0]["path"] == display_path(str(SPEC)) and where(found[0]) == at(model, "jam_reports_total")
    assert "jam_reports_total is not exposed" in str(found[0]["message"])


def test_an_undeclared_metric_with_the_service_prefix(clean: str, model: Model) -> None:
    code, found = check(clean + "# TYPE jam_handmade_total counter\njam_handmade_total 1\n")
    assert code == 1 and rules(found) == ["live-metric-undeclared"]
    assert where(found[0]) == (model.source.key(("metrics",)).line, model.source.key(("metrics",)).column)
    assert "jam_handmade_total (a counter, 1 series)" in str(found[0]["message"])


def test_a_type_that_differs(clean: str, model: Model) -> None:
    code, found = check(clean.replace("# TYPE jam_reports_total counter", "# TYPE jam_reports_total gauge"))
    assert code == 1 and rules(found) == ["live-type"]
    assert where(found[0]) == at(model, "jam_reports_total")
    assert "exposed as a gauge, but the spec declares a counter" in str(found[0]["message"])


def test_a_unit_that_differs(jam_registry: CollectorRegistry, model: Model) -> None:
    from prometheus_client.openmetrics.exposition import generate_latest as openmetrics

    text = openmetrics(jam_registry).decode()
    text = text.replace("# TYPE jam_config_rate_limit_requests gauge\n",
                        "# TYPE jam_config_rate_limit_requests gauge\n# UNIT jam_config_rate_limit_requests requests\n")
    code, found = check(text, content_type=OPENMETRICS)
    assert code == 1 and rules(found) == ["live-unit"]
    assert where(found[0]) == at(model, "jam_config_rate_limit_requests")
    assert "unit 'requests', but the spec's unit is none" in str(found[0]["message"])


def test_a_counter_without_its_total_suffix(clean: str, model: Model) -> None:
    text = drop(clean, "jam_reports_total", "jam_reports_created") + (
        "# TYPE jam_reports counter\njam_reports{store=\"memory\"} 1\njam_reports{store=\"postgres\"} 1\n")
    code, found = check(text)
    assert code == 1 and rules(found) == ["live-suffix"]
    assert where(found[0]) == at(model, "jam_reports_total")
    assert "exposed by" in str(found[0]["message"]) and "as jam_reports (a counter)" in str(found[0]["message"])


def test_a_histogram_exposed_without_its_type(clean: str, model: Model) -> None:
    """Without `# TYPE ... histogram` its _bucket, _sum and _count come out as untyped metrics."""
    name = "jam_package_stage_duration_seconds"
    code, found = check(clean.replace(f"# TYPE {name} histogram\n", ""))
    assert code == 1 and rules(found) == ["live-suffix"]
    assert where(found[0]) == at(model, name)
    assert f"as {name}_bucket (untyped), {name}_sum (untyped), {name}_count (untyped)" in str(found[0]["message"])


def test_buckets_that_differ(clean: str, model: Model) -> None:
    name = "jam_package_stage_duration_seconds"
    code, found = check(clean.replace(f'{name}_bucket{{le="0.001"', f'{name}_bucket{{le="0.002"'))
    assert code == 1 and rules(found) == ["live-buckets"]
    assert where(found[0]) == at(model, name)
    assert "has buckets [0.002, 0.005," in str(found[0]["message"])
    assert "but the spec's are [0.001, 0.005," in str(found[0]["message"])


# --- labels, values and budgets -----------------------------------------------------------------

def test_an_undeclared_label(clean: str, model: Model) -> None:
    code, found = check(clean.replace('jam_reports_total{store="memory"}', 'jam_reports_total{pod="a",store="memory"}'))
    assert code == 1 and rules(found) == ["live-label-undeclared"]
    assert where(found[0]) == at(model, "jam_reports_total")
    assert "with label pod, which it does not declare (labels: store)" in str(found[0]["message"])


def test_a_declared_label_missing(clean: str, model: Model) -> None:
    code, found = check(clean.replace('jam_reports_total{store="memory"}', "jam_reports_total"))
    assert code == 1 and rules(found) == ["live-label-missing"]
    assert where(found[0]) == at(model, "jam_reports_total")


def test_a_value_outside_a_closed_label(clean: str, model: Model) -> None:
    text = after_type(clean.replace('jam_reports_total{store="postgres"}', 'jam_reports_total{store="sqlite"}'),
                      "jam_reports_total", 'jam_reports_total{store="other"} 1')  # the overflow value is allowed
    code, found = check(text)
    assert code == 1 and rules(found) == ["live-label-value"]
    assert where(found[0]) == at(model, "jam_reports_total")
    assert "store='sqlite', outside its values (memory, postgres) and overflow 'other'" in str(found[0]["message"])


def test_a_bounded_label_over_max_values(clean: str, model: Model) -> None:
    extra = [f'jam_package_submit_total{{service_id="svc-{i}",store="memory"}} 1' for i in range(2, 18)]
    overflow = 'jam_package_submit_total{service_id="other",store="memory"} 1'
    code, found = check(after_type(clean, "jam_package_submit_total", *extra, overflow))
    assert code == 1 and rules(found) == ["live-label-cardinality"]
    assert where(found[0]) == at(model, "jam_package_submit_total")
    assert "17 distinct service_id values besides 'other', over max_values (16)" in str(found[0]["message"])


def test_a_metric_over_its_series_budget(clean: str, model: Model) -> None:
    """64 series (one of them also in the clean exposition) of a metric whose budget is 3 stores x 17 service ids."""
    extra = [f'jam_package_submit_total{{service_id="svc-{i % 16}",store="{store}"}} 1'
             for store in ("memory", "postgres", "other", "sqlite") for i in range(16)]
    code, found = check(after_type(clean, "jam_package_submit_total", *extra))
    assert code == 1 and sorted(rules(found)) == ["live-label-value", "live-series-budget"]
    budget = only(found, "live-series-budget")
    assert where(budget) == at(model, "jam_package_submit_total")
    assert "has 64 series, over its budget of 51" in str(budget["message"])


def test_the_total_over_max_series(clean: str, model: Model, tmp_path: Path) -> None:
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(SPEC.read_text().replace("max_series: 1000", f"max_series: {model.total_series}"))
    extra = "# TYPE jam_handmade_total counter\n" + "".join(f'jam_handmade_total{{n="{i}"}} 1\n' for i in range(200))
    code, found = check(clean + extra, spec=spec)
    assert code == 1 and sorted(rules(found)) == ["live-max-series", "live-metric-undeclared"]
    over = only(found, "live-max-series")
    assert where(over) == (8, 1)  # max_series: in the spec
    assert f"over max_series ({model.total_series})" in str(over["message"])


# --- output and exit codes ----------------------------------------------------------------------

def test_text_and_github_output(clean: str, model: Model) -> None:
    drifted = clean.replace("# TYPE jam_reports_total counter", "# TYPE jam_reports_total gauge")
    line, column = at(model, "jam_reports_total")
    shown = display_path(str(SPEC))
    code, out, _ = run(lambda _: (200, TEXT, drifted.encode()))
    assert code == 1 and out.startswith(f"{shown}:{line}:{column}: error: [live-type] jam_reports_total is exposed as")
    code, out, _ = run(lambda _: (200, TEXT, drifted.encode()), "--format", "github")
    assert code == 1 and out.startswith(f"::error file={shown},line={line},col={column},title=live-type::")


@pytest.mark.parametrize(("answer", "message"), [
    ((200, TEXT, b"<html>not metrics</html>"), "not a valid Prometheus text exposition"),
    ((200, OPENMETRICS, b"# TYPE jam_x counter\njam_x_total 1\n"), "not a valid OpenMetrics exposition"),
    ((500, "text/plain", b"boom"), "HTTP 500"),
    ((200, TEXT, b"\xff\xfe"), "not UTF-8"),
])
def test_an_unparsable_or_failing_endpoint_exits_2_with_one_line(answer: Answer, message: str) -> None:
    code, out, err = run(lambda _: answer)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("error: http://127.0.0.1:") and message in err, err


def test_an_unreachable_endpoint_exits_2_without_its_credentials() -> None:
    with http_stub(lambda _: (200, TEXT, b"")) as stub:
        port = stub.url.rsplit(":", 1)[1]
    result = CliRunner().invoke(cli, ["check", "--metrics-url", f"http://jam:s3cret@127.0.0.1:{port}/metrics"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: http://127.0.0.1:{port}/metrics: cannot connect: [Errno 111] Connection refused\n"


def test_credentials_in_the_url_are_sent_as_basic_authentication(clean: str) -> None:
    with http_stub(lambda _: (200, TEXT, clean.encode())) as stub:
        url = stub.url.replace("//", "//jam:s3cret@") + "/metrics"
        result = CliRunner().invoke(cli, ["check", "--metrics-url", url])
        sent = stub.requests[0]["authorization"]
    assert result.exit_code == 0 and "s3cret" not in result.output
    assert sent == "Basic amFtOnMzY3JldA=="  # jam:s3cret


@pytest.mark.parametrize(("args", "message"), [
    ([], "give --metrics-url, --prometheus-url or both"),
    (["--prometheus-url", "http://127.0.0.1:9", "--selector", "cluster"], "Invalid value for --selector"),
    (["--metrics-url", "ftp://example.org/metrics"], "not an http:// or https:// URL"),
])
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["check", *args])
    assert result.exit_code == 2 and message in result.stderr, result.stderr
