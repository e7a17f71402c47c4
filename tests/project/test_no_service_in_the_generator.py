"""The generator names no service: "jam" appears only in the reference service (jamdash/service/)."""

from __future__ import annotations

import re

from conftest import ROOT

PACKAGE = ROOT / "jamdash"


def test_jam_is_named_only_by_the_reference_service() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or path.suffix not in (".py", ".j2") or "service" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"(?i)jam", re.sub(r"(?i)jamdash", "", line)):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "name the service from the spec instead:\n" + "\n".join(offenders)
