"""Applying fixes: replace exactly the characters a finding names. Each fix carries an
applicability (ruff's model): ``safe`` fixes (formats) are applied by --fix, ``unsafe`` ones
(a financial figure inferred from the others, A201-A203) only with --unsafe-fixes too. Writing
is linter/atomic.py."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Iterable

from linter.atomic import write_atomic  # noqa: F401 - kept importable from here for plug-ins

if TYPE_CHECKING:
    from linter.rules.base import Finding, Fix

SAFE, UNSAFE = "safe", "unsafe"


def chosen_fixes(findings: Iterable["Finding"], unsafe: bool) -> tuple[list["Fix"], int]:
    """The fixes to apply, and how many unsafe ones were left out."""
    chosen, left_out = [], 0
    for finding in findings:
        fix = finding.fix
        if fix is None:
            continue
        if fix.applicability == SAFE or unsafe:
            chosen.append(fix)
        else:
            left_out += 1
    return chosen, left_out


def apply_fixes(source: str, fixes: list["Fix"]) -> tuple[str, int]:
    """Apply non-overlapping fixes (later ones that overlap an applied one are skipped, to be
    picked up by the next run). Returns the new text and how many fixes were applied."""
    applied = 0
    parts = []
    cursor = 0
    for fix in sorted(fixes, key=lambda f: (f.offset, f.end_offset)):
        if fix.offset < cursor:
            continue
        parts.append(source[cursor : fix.offset])
        parts.append(fix.replacement)
        cursor = fix.end_offset
        applied += 1
    parts.append(source[cursor:])
    return "".join(parts), applied


def unified_diff(name: str, before: str, after: str) -> str:
    """What --fix would change, as a unified diff (for --diff)."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
