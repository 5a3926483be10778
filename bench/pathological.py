"""Pathological reports, each growing with ``n``: inputs that once crashed rapportlint or took
quadratic (or exponential) time. bench/benchmark.py times them at several sizes (the time should
grow like n); tests/test_pathological.py checks the exact finding each one gives."""

from __future__ import annotations

HEAD = "---\nbydel: Sagene\ndokument: årsberetning\når: 2024\n---\n\n# 1 Innledning\n\n"


def huge_number(n: int) -> str:
    """A sum over a figure with n digits (Decimal overflow / InvalidOperation)."""
    return HEAD + (": T {#t type=økonomi enhet=\"1000 kr\"}\n| Post | Regnskap |\n|---|---:|\n"
                   f"| A | {'9' * n} |\n| B | 1 |\n| Sum | 5 |\n")


def huge_percent(n: int) -> str:
    """A Menn % / Kvinner % pair (A204) with an n-digit share."""
    return HEAD + ("| Kategori | Menn % | Kvinner % |\n|---|---:|---:|\n"
                   f"| Totalt | {'9' * n} % | 1 % |\n")


def long_formula(n: int) -> str:
    """A table formula with n terms (RecursionError when built recursively)."""
    terms = " + ".join(f"rad('r{i}')" for i in range(n))
    return HEAD + (f": T {{#t type=økonomi enhet=\"1000 kr\" formel=\"rad('Sum') = {terms}\"}}\n"
                   "| Post | Regnskap |\n|---|---:|\n| r1 | 1 |\n| Sum | 1 |\n")


def unary_minuses(n: int) -> str:
    """A table formula with n unary minuses in a row."""
    return HEAD + (f": T {{#t type=økonomi enhet=\"1000 kr\" formel=\"rad('Sum') = {'-' * n}rad('A')\"}}\n"
                   "| Post | Regnskap |\n|---|---:|\n| A | 1 |\n| Sum | 1 |\n")


def glob_label(n: int) -> str:
    """A formula glob ``*a*a*a*a*a*a*a*a*ab`` against an n-character label of a's (a regex with
    one ``.*`` per star backtracks exponentially)."""
    return HEAD + (": T {#t type=økonomi enhet=\"1000 kr\" formel=\"rad('Sum') = rad('*a*a*a*a*a*a*a*a*ab')\"}\n"
                   f"| Post | Regnskap |\n|---|---:|\n| {'a' * n}b | 1 |\n| Sum | 20 |\n")


def wrong_long_sum(n: int) -> str:
    """A sum over n rows that is wrong (the blame once recomputed every check per candidate)."""
    rows = "".join(f"| Post {i} | {i} |\n" for i in range(n))
    return HEAD + (": T {#t type=økonomi enhet=\"1000 kr\"}\n| Post | Regnskap |\n|---|---:|\n"
                   f"{rows}| Sum | 1 |\n")


def many_suppressions(n: int) -> str:
    """n suppression comments, each above a paragraph (each once scanned the file from the top)."""
    return HEAD + "".join(f"<!-- rapportlint: ignore A201 begrunnelse=\"gammel\" -->\nAvsnitt {i}.\n\n"
                          for i in range(n))


def wide_table(n: int) -> str:
    """An n-column table with a sum row (Table.columns was rebuilt on every access)."""
    header = "| Post |" + "".join(f" K{i} |" for i in range(n))
    return HEAD + (": T {#t type=økonomi enhet=\"1000 kr\"}\n" + header + "\n|---|" + "---:|" * n + "\n"
                   "| A |" + " 1 |" * n + "\n| B |" + " 2 |" * n + "\n| Sum |" + " 3 |" * (n - 1) + " 30 |\n")


# name: (generator, the size the issue reported as crashing or hanging)
INPUTS = {
    "huge-number": (huge_number, 1_000_000),
    "huge-percent": (huge_percent, 100_000),
    "long-formula": (long_formula, 5_000),
    "unary-minuses": (unary_minuses, 5_000),
    "glob-label": (glob_label, 5_000),
    "wrong-long-sum": (wrong_long_sum, 4_000),
    "many-suppressions": (many_suppressions, 20_000),
    "wide-table": (wide_table, 10_000),
}
