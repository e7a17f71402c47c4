"""Annotation templates render the way Prometheus renders them, and bad ones are reported."""

from __future__ import annotations

import pytest

from jamdash.promql.template import (
    TemplateError, go_float, humanize, humanize_duration, humanize_percentage, render,
)


@pytest.mark.parametrize(("value", "text"), [
    (0.5, "0.5"), (100.0, "100"), (123456.0, "123456"), (1e6, "1e+06"), (1234567.0, "1.234567e+06"),
    (2.5e-05, "2.5e-05"), (0.0001, "0.0001"), (-3.0, "-3"), (0.0, "0"), (float("inf"), "+Inf"),
])
def test_value_prints_like_go(value: float, text: str) -> None:
    assert go_float(value) == text


def test_humanize_functions_match_prometheus() -> None:
    assert humanize(1500) == "1.5k"
    assert humanize(0.25) == "250m"
    assert humanize(240) == "240"
    assert humanize(0) == "0"
    assert humanize_percentage(0.1) == "10%"
    assert humanize_percentage(0.26) == "26%"
    assert humanize_duration(10800) == "3h 0m 0s"
    assert humanize_duration(30) == "30s"
    assert humanize_duration(0.004) == "4ms"
    assert humanize_duration(90061) == "1d 1h 1m 1s"


def test_labels_value_pipes_and_printf_render() -> None:
    text = "{{ $value | humanizePercentage }} in {{ $labels.store }} ({{ printf \"%.2f\" $value }}, {{$value}})"
    assert render(text, {"store": "memory"}, 0.5) == "50% in memory (0.50, 0.5)"


def test_trim_markers_drop_surrounding_space() -> None:
    assert render("a  {{- $labels.x -}}  b", {"x": "X"}, 1) == "aXb"


@pytest.mark.parametrize(("template", "error"), [
    ("{{ $labels.nope }}", "label 'nope' is not on the alert's series"),
    ("{{ $value | frobnicate }}", "'frobnicate' is not a template function"),
    ("{{ if $value }}x{{ end }}", "'if' is not a template function"),
    ("{{ }}", "empty"),
    ("{{ .Labels.x }}", "cannot render '.Labels.x'"),
])
def test_what_prometheus_would_not_render_is_an_error(template: str, error: str) -> None:
    with pytest.raises(TemplateError, match=error):
        render(template, {"store": "memory"}, 1.0)
