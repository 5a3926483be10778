"""A table continued under "(forts.)" is one table for the rules (linter/parsing/continuation.py)."""

from __future__ import annotations

from linter.engine import CheckOptions, check_text
from linter.parsing.builder import parse_report
from linter.rules.registry import all_rules

SPLIT = """---
bydel: Test
dokument: årsberetning
år: 2024
---
# 3 Måloppnåelse og resultater

: Tabell 0.1 Brutto driftsutgifter i 1000 kr {#t0-1 type=økonomi enhet="1000 kr"}
| Brutto driftsutgifter | Regnskap 2024 |
|---|---:|
| Funksjonsområde 1 | 100 |
| Funksjonsområde 2A | 200 |

Fortsetter på neste side.

: Tabell 0.1 Brutto driftsutgifter i 1000 kr (forts.) {#t0-1-forts type=økonomi enhet="1000 kr"}
| Brutto driftsutgifter | Regnskap 2024 |
|---|---:|
| Funksjonsområde 3 | 300 |
| Sum brutto utgifter, drift | {total} |
"""


def _sums(text):
    result = check_text(text, "t.md", CheckOptions(rules=[all_rules()["A201"]], ruleset="årsberetning-2024"))
    assert not result.failed
    return [f for f in result.findings if f.code == "A201"]


def test_the_parts_are_one_table_and_the_file_is_kept():
    text = SPLIT.replace("{total}", "600")
    report = parse_report(text, "t.md")
    assert report.reproduce() == text
    assert [t.id for t in report.tables] == ["t0-1"]
    table = report.tables[0]
    assert [r.label for r in table.rows] == ["Funksjonsområde 1", "Funksjonsområde 2A", "Funksjonsområde 3",
                                             "Sum brutto utgifter, drift"]
    assert [r.index for r in table.rows] == [0, 1, 2, 3]
    assert [r.span.line for r in table.rows] == [11, 12, 19, 20]  # each row keeps its own line
    assert [t.id for t in table.continuations] == ["t0-1-forts"]
    assert _sums(text) == []


def test_a_sum_in_the_second_part_sums_the_rows_of_both():
    findings = _sums(SPLIT.replace("{total}", "650"))
    assert [(f.span.line, f.details.get("computed")) for f in findings] == [(20, "600")]


def test_a_different_header_or_no_forts_is_a_table_of_its_own():
    other_header = SPLIT.replace("{total}", "600").replace(
        "(forts.) {#t0-1-forts type=økonomi enhet=\"1000 kr\"}\n| Brutto driftsutgifter | Regnskap 2024 |",
        "(forts.) {#t0-1-forts type=økonomi enhet=\"1000 kr\"}\n| Netto driftsutgifter | Regnskap 2024 |")
    assert len(parse_report(other_header, "t.md").tables) == 2
    no_forts = SPLIT.replace("{total}", "600").replace(" (forts.)", "")
    assert len(parse_report(no_forts, "t.md").tables) == 2
