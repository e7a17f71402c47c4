"""generated/docs/metrics.md: the metric catalogue, and its cross-links with runbooks.md and the dashboards."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest
from compat_specs import BASE, edited, rename_metric, write
from conftest import SPEC

from jamdash.generate import generate_all
from jamdash.model import Model
from jamdash.pipeline import build

LINK = re.compile(r"\]\(([^)#\s]*)(?:#([^)\s]+))?\)")


@pytest.fixture(scope="module")
def jam() -> tuple[Model, dict[str, str]]:
    result = build(str(SPEC))
    assert result.model is not None
    return result.model, generate_all(result.model)


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (\S+)\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def anchors(text: str) -> set[str]:
    """GitHub-style anchors of a Markdown page's headings (names here hold no spaces or punctuation)."""
    return {m.group(1).lower() for m in re.finditer(r"^#+ (\S+)$", text, flags=re.M)}


def test_every_metric_has_its_section_with_type_unit_budget_help_and_labels(jam: tuple[Model, dict[str, str]]) -> None:
    model, files = jam
    text = files["docs/metrics.md"]
    found = sections(text)
    assert list(found) == [m.name for m in model.metrics]
    for metric in model.metrics:
        body = found[metric.name]
        assert metric.help in body
        assert f"**Type:** {metric.type} · **Unit:** {metric.unit or '–'} · **Series budget:** {metric.series_budget}" \
            in body
        for label in metric.labels:
            assert f"  - `{label.name}`: " in body
            if label.closed:
                assert ", ".join(f"`{v}`" for v in label.values) in body
            else:
                assert f"Up to {label.max_values} distinct values" in body
        assert f"| [`{metric.name}`](#{metric.name}) | {metric.type} |" in text
    assert f"Series budget: {model.total_series} series in all, of at most {model.max_series}." in text


def test_alerts_and_dashboards_that_read_a_metric_are_listed(jam: tuple[Model, dict[str, str]]) -> None:
    body = sections(jam[1]["docs/metrics.md"])["jam_cleanup_failures_total"]
    # the alert reads a recording rule built on the metric
    assert "- **Alerts:** [JamCleanupFailing](runbooks.md#jamcleanupfailing)" in body
    assert "[JAM cleanup](../grafana/dashboards/jam-cleanup.json) (" in body


def test_every_link_between_the_docs_and_the_dashboards_resolves(jam: tuple[Model, dict[str, str]]) -> None:
    _, files = jam
    targets = 0
    for page in ("docs/metrics.md", "docs/runbooks.md"):
        for match in LINK.finditer(files[page]):
            target, anchor = match.group(1), match.group(2)
            if target.startswith("http"):
                continue
            path = str(PurePosixPath("docs", target or PurePosixPath(page).name)).replace("docs/../", "")
            assert path in files, f"{page} links to {target}, which is not generated"
            if anchor:
                assert anchor in anchors(files[path]), f"{page} links to {target}#{anchor}: no such heading"
            targets += 1
    assert targets > 50


def test_runbooks_link_each_alert_to_the_metrics_it_reads(jam: tuple[Model, dict[str, str]]) -> None:
    runbook = jam[1]["docs/runbooks.md"]
    section = runbook.split("## JamPendingQueueNearCap\n", 1)[1].split("\n## ", 1)[0]
    assert ("**Metrics:** [`jam_config_max_pending_packages`](metrics.md#jam_config_max_pending_packages), "
            "[`jam_package_pending_gauge`](metrics.md#jam_package_pending_gauge)") in section


def test_a_renamed_metric_says_where_it_went(tmp_path: Path) -> None:
    spec = edited(rename_metric("jam_uploads_total", "jam_stored_total", keep_deprecated=True))
    spec["metrics"]["jam_uploads_total"]["deprecated"]["until"] = "2027-01-31"
    result = build(str(write(tmp_path / "metrics_spec.yaml", spec)))
    assert result.model is not None
    text = generate_all(result.model)["docs/metrics.md"]
    assert "| [`jam_uploads_total`](#jam_uploads_total) (deprecated) | counter |" in text
    assert ("- **Deprecated:** Renamed to jam_stored_total. Renamed to [`jam_stored_total`](#jam_stored_total); "
            "queries on the old name read the new metric through a compat recording rule until 2027-01-31.") in text


def test_without_alerts_or_dashboards_it_says_none(tmp_path: Path) -> None:
    result = build(str(write(tmp_path / "metrics_spec.yaml", BASE)))
    assert result.model is not None
    text = generate_all(result.model)["docs/metrics.md"]
    assert "runbooks.md" not in text
    assert "- **Alerts:** none\n- **Dashboards:** none" in sections(text)["jam_uploads_total"]
