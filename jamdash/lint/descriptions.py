"""Rules on alert descriptions in the spec: a threshold printed in the unit the value is printed in."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jamdash import codes
from jamdash.findings import WARNING, Finding
from jamdash.lint.context import LintContext

_PARAM = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


def units(ctx: LintContext) -> Iterator[Finding]:
    for name, alert in ctx.spec.alerts.items():
        text = alert.description
        numeric = {key for key, value in alert.params.items() if isinstance(value, float | int)}
        if alert.expr is None:
            numeric.add("above")
        path = ("alerts", name, "description")
        for param in dict.fromkeys(_PARAM.findall(text)):
            if "humanizeDuration" in text and param in numeric:
                yield ctx.at(path, codes.ALERT_DESCRIPTION_UNITS,
                             f"{name} prints its value with humanizeDuration but the threshold as the number "
                             f"{{{param}}}; write {{{param}_duration}}", WARNING)
            elif "humanizePercentage" in text and param == "above":
                yield ctx.at(path, codes.ALERT_DESCRIPTION_UNITS,
                             f"{name} prints its value with humanizePercentage but the threshold as the share "
                             "{above}; write {above_percent}", WARNING)


RULES = (units,)
