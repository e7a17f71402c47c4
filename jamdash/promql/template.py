"""Render Prometheus annotation templates the way Prometheus does, for the subset rules use.

Supported: ``{{ $labels.x }}``, ``{{ $value }}``, ``{{ $externalLabels.x }}``, pipes into
humanize, humanize1024, humanizePercentage, humanizeDuration, title, toUpper, toLower, and
``printf "fmt" args``. Anything else is reported as unsupported rather than guessed at.
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Callable, Mapping
from decimal import Decimal

_ACTION = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.S)


class TemplateError(ValueError):
    """A template jamdash cannot render, or that names a label the series do not carry."""


def go_float(value: float) -> str:
    """A float64 as Go's fmt %v prints it (strconv 'g', shortest): 0.5, 100, 1e+06, 2.5e-05."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    exp = len(digits) + int(exponent) - 1  # decimal exponent of the first digit
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:  # strconv's shortest 'g' switches to %e from 1e+06
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp >= len(text) - 1:
        return prefix + text + "0" * (exp - len(text) + 1)
    if exp >= 0:
        return prefix + text[: exp + 1] + "." + text[exp + 1:]
    return prefix + "0." + "0" * (-exp - 1) + text


def _g4(value: float) -> str:
    """Go's %.4g."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return f"{value:.4g}"


def _scaled_up(value: float, base: int, prefixes: tuple[str, ...]) -> str:
    """value divided by base while it is at least base, with the prefix of the last division."""
    prefix = ""
    for p in prefixes:
        if abs(value) < base:
            break
        prefix, value = p, value / base
    return f"{_g4(value)}{prefix}"


def _scaled_down(value: float) -> str:
    """A value under 1 multiplied by 1000 until it is at least 1, with the SI prefix of the last step."""
    prefix = ""
    for p in ("m", "u", "n", "p", "f", "a", "z", "y"):
        if abs(value) >= 1:
            break
        prefix, value = p, value * 1000
    return f"{_g4(value)}{prefix}"


def humanize(value: float) -> str:
    """Prometheus' humanize: SI prefixes, 4 significant digits (1.5k, 250m)."""
    if math.isinf(value) or math.isnan(value) or value == 0:
        return _g4(value)
    if abs(value) >= 1:
        return _scaled_up(value, 1000, ("k", "M", "G", "T", "P", "E", "Z", "Y"))
    return _scaled_down(value)


def humanize1024(value: float) -> str:
    if abs(value) <= 1 or math.isinf(value) or math.isnan(value):
        return _g4(value)
    return _scaled_up(value, 1024, ("ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"))


def humanize_percentage(value: float) -> str:
    return f"{_g4(value * 100)}%"


def humanize_duration(value: float) -> str:
    if math.isinf(value) or math.isnan(value):
        return _g4(value)
    if value == 0:
        return f"{_g4(value)}s"
    if abs(value) >= 1:
        sign = "-" if value < 0 else ""
        value = abs(value)
        whole = int(value)
        seconds, minutes, hours, days = whole % 60, (whole // 60) % 60, (whole // 3600) % 24, whole // 86400
        if days:
            return f"{sign}{days}d {hours}h {minutes}m {seconds}s"
        if hours:
            return f"{sign}{hours}h {minutes}m {seconds}s"
        if minutes:
            return f"{sign}{minutes}m {seconds}s"
        return f"{sign}{_g4(value)}s"
    return f"{_scaled_down(value)}s"


def _text(value: object) -> str:
    return go_float(value) if isinstance(value, float) else str(value)


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TemplateError(f"{value!r} is not a number") from None


FUNCTIONS: dict[str, Callable[..., str]] = {
    "humanize": lambda v: humanize(_number(v)),
    "humanize1024": lambda v: humanize1024(_number(v)),
    "humanizePercentage": lambda v: humanize_percentage(_number(v)),
    "humanizeDuration": lambda v: humanize_duration(_number(v)),
    "title": lambda v: _text(v).title(),
    "toUpper": lambda v: _text(v).upper(),
    "toLower": lambda v: _text(v).lower(),
    "printf": lambda fmt, *args: _printf(str(fmt), args),
}


def _printf(fmt: str, args: tuple[object, ...]) -> str:
    converted = tuple(a if isinstance(a, str) else _number(a) for a in args)
    try:
        return re.sub(r"%v", "%s", fmt) % converted
    except (TypeError, ValueError) as exc:
        raise TemplateError(f"printf {fmt!r}: {exc}") from None


def render(template: str, labels: Mapping[str, str], value: float,
           external_labels: Mapping[str, str] | None = None) -> str:
    """The annotation Prometheus would write for a series with these labels and this value."""
    out: list[str] = []
    pos = 0
    for match in _ACTION.finditer(template):
        before = template[pos:match.start()]
        out.append(before.rstrip() if match.group(1) else before)
        result = _pipeline(match.group(2).strip(), labels, value, external_labels or {})
        out.append(result)
        pos = match.end()
        if match.group(3):
            rest = template[pos:]
            pos += len(rest) - len(rest.lstrip())
    out.append(template[pos:])
    if "{{" in "".join(out[-1:]) or "}}" in template[pos:]:
        raise TemplateError("unbalanced {{ }} in the template")
    return "".join(out)


def _pipeline(text: str, labels: Mapping[str, str], value: float, external: Mapping[str, str]) -> str:
    if not text:
        raise TemplateError("empty {{ }} action")
    result: object = None
    for i, command in enumerate(text.split("|")):
        words = _words(command)
        if not words:
            raise TemplateError(f"empty command in {{{{ {text} }}}}")
        if words[0] in FUNCTIONS:
            args = [_operand(w, labels, value, external) for w in words[1:]]
            if i > 0:
                args.append(result)
            result = FUNCTIONS[words[0]](*args)
        elif len(words) == 1 and i == 0:
            result = _operand(words[0], labels, value, external)
        else:
            raise TemplateError(f"'{words[0]}' is not a template function jamdash knows "
                                f"({', '.join(sorted(FUNCTIONS))})")
    return _text(result)


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command.strip(), posix=False)
    except ValueError as exc:
        raise TemplateError(f"cannot read {command.strip()!r}: {exc}") from None


def _operand(word: str, labels: Mapping[str, str], value: float, external: Mapping[str, str]) -> object:
    if word == "$value":
        return value
    for prefix, table, what in (("$labels.", labels, "the alert's series"), ("$externalLabels.", external,
                                                                              "the external labels")):
        if word.startswith(prefix):
            name = word[len(prefix):]
            if name not in table:
                raise TemplateError(f"{word}: label '{name}' is not on {what} (they carry: "
                                    f"{', '.join(sorted(table)) or 'no labels'})")
            return table[name]
    if word.startswith('"') and word.endswith('"') and len(word) >= 2:
        return word[1:-1].encode().decode("unicode_escape")
    try:
        return float(word)
    except ValueError:
        raise TemplateError(f"cannot render '{word}': jamdash knows $labels.<name>, $value, "
                            "$externalLabels.<name>, strings, numbers and template functions") from None
