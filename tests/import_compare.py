"""Comparing an imported report with its hand-written example, element by element: shared by
scripts/measure_import.py (the seeds' text path and, with --pdf, the examples printed as PDF)
and tests/pdf_examples.py. Each takes the text normalisation its caller compares with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from linter.titles import normalize_title


def sections(report, title: Callable[[str], str] = lambda t: t) -> Counter:
    """(number, normalised title) of every section."""
    return Counter(((s.number or "").rstrip("."), normalize_title(title(s.title))) for s in report.sections())


def tables_by_type(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for t in report.tables:
        out.setdefault(t.type or "-", []).append(t)
    return out


def cells(tables, norm: Callable[[str], str]) -> Counter:
    """(normalised row label, column, normalised text) of every non-empty cell after the label."""
    found: Counter = Counter()
    for t in tables:
        for row in t.rows:
            label = norm(row.label)
            for cell in row.cells[1:]:
                if cell.text:
                    found[(label, cell.column, norm(cell.text))] += 1
    return found


def matched_tables(mine: list, theirs: list, norm: Callable[[str], str]) -> int:
    """How many of ``theirs`` an imported table of ``mine`` matches: at least half of its row
    labels (each imported table matched once)."""
    count, used = 0, set()
    for t in theirs:
        labels = {norm(r.label) for r in t.rows if r.label}
        if not labels:
            continue
        for n, m in enumerate(mine):
            if n not in used and len(labels & {norm(r.label) for r in m.rows}) >= max(1, len(labels) // 2):
                used.add(n)
                count += 1
                break
    return count
