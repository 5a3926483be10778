"""The parser: lossless, exact spans, the section tree, and clear syntax errors."""

from __future__ import annotations

import pytest

from conftest import all_examples
from linter.model import ListBlock, Paragraph, Table, ValueKind
from linter.parsing.builder import parse_report
from linter.parsing.errors import ReportSyntaxError

SMALL = """---
bydel: Sagene
dokument: årsberetning
år: 2024
---
# Bydelsdirektørens beretning

Kort tekst.

# 3. MÅLOPPNÅELSE OG RESULTATER
### 3.1.1 Bydelens totale ressursinnsats – driftsregnskapet

: Tabell 0.1 B Netto driftsutgifter i 1000 kr {#t0-1b type=økonomi enhet="1000 kr"}
| Netto driftsutgifter | Regnskap 2024 | Avvik 2024 |
|---|---:|---:|
| Funksjonsområde 1 | 23 313 | -1 337 |
| Sum netto utgifter, drift | 1 796 480 | -10410 |

- [x] avkrysset
- [ ] ikke avkrysset
<!-- rapportlint: ignore A201 begrunnelse="forklart i teksten" -->
## 4.18 Rapportering jodberedskap
"""


@pytest.mark.parametrize("path", all_examples(), ids=lambda p: p.name)
def test_every_example_reproduces_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    report = parse_report(text, str(path))
    assert report.reproduce() == text


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t,
        lambda t: t.replace("\n", "\r\n"),
        lambda t: "\ufeff" + t,
        lambda t: t.rstrip("\n"),
        lambda t: t.replace("Kort tekst.\n", "Kort tekst.\r\n"),  # mixed line endings
        lambda t: t + "\n\n   \n",
    ],
    ids=["lf", "crlf", "bom", "no-final-newline", "mixed", "trailing-blank"],
)
def test_line_ending_and_bom_variants_reproduce(variant):
    text = variant(SMALL)
    report = parse_report(text)
    assert report.reproduce() == text
    assert [t.id for t in report.tables] == ["t0-1b"]


def test_front_matter_fields_and_metadata():
    report = parse_report(SMALL)
    assert report.district == "Sagene"
    assert report.kind == "årsberetning"
    assert report.year == 2024
    field = report.front_matter.fields["bydel"]
    assert (field.value_span.line, field.value_span.column) == (2, 8)


def test_section_tree_follows_numbers():
    report = parse_report(SMALL)
    titles = [(s.level, s.number, s.title) for s in report.sections()]
    assert titles == [
        (1, None, "Bydelsdirektørens beretning"),
        (1, "3.", "MÅLOPPNÅELSE OG RESULTATER"),
        (3, "3.1.1", "Bydelens totale ressursinnsats – driftsregnskapet"),
        (2, "4.18", "Rapportering jodberedskap"),
    ]
    chapter3 = report.section_by_number("3")
    assert [c.number for c in chapter3.children] == ["3.1.1"]
    assert report.section_by_number("4.18").is_empty
    assert not report.section_by_number("3.1.1").is_empty


def test_table_cells_have_exact_spans_and_values():
    report = parse_report(SMALL)
    table = report.tables[0]
    assert table.type == "økonomi" and table.unit == "1000 kr"
    assert table.caption.text == "Tabell 0.1 B Netto driftsutgifter i 1000 kr"
    assert table.columns == ["Netto driftsutgifter", "Regnskap 2024", "Avvik 2024"]
    cell = table.rows[1].cells[2]
    assert cell.text == "-10410" and cell.value.number == -10410
    # the span points at the cell's characters in the source
    assert report.source[cell.span.offset : cell.span.end_offset] == "-10410"
    assert cell.span.line == 17
    assert report.line_text(17)[cell.span.column - 1 :].startswith("-10410")
    assert table.rows[0].label == "Funksjonsområde 1"
    assert table.section.number == "3.1.1"


def test_escaped_pipe_stays_in_its_cell():
    text = "| A | B |\n|---|---|\n| x \\| y | 2 |\n"
    table = parse_report(text).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["x | y", "2"]


def test_empty_cell_is_empty_with_a_position():
    text = "| A | B |\n|---|---|\n| x |  |\n"
    cell = parse_report(text).tables[0].rows[0].cells[1]
    assert cell.value.kind is ValueKind.EMPTY
    assert cell.span.line == 3 and cell.span.column == 7


def test_task_lists_directives_and_paragraphs():
    report = parse_report(SMALL)
    lists = [b for b in report.blocks if isinstance(b, ListBlock)]
    assert [(i.text, i.task) for i in lists[0].items] == [("avkrysset", True), ("ikke avkrysset", False)]
    assert [d.body for d in report.directives] == ['ignore A201 begrunnelse="forklart i teksten"']
    assert any(isinstance(b, Paragraph) and b.text == "Kort tekst." for b in report.blocks)
    assert all(isinstance(t, Table) for t in report.tables)


def test_text_that_looks_like_markup_stays_text():
    text = "#hashtag er ikke en overskrift\n-10 410 er et tall\n1.5 mill. kr\n"
    report = parse_report(text)
    assert list(report.sections()) == []
    assert isinstance(report.blocks[0], Paragraph)
    assert report.reproduce() == text


def _error(text):
    with pytest.raises(ReportSyntaxError) as info:
        parse_report(text, "r.md")
    return info.value.problems


def test_table_without_delimiter_row():
    problems = _error("Tekst\n\n| A | B |\n| 1 | 2 |\n")
    assert (problems[0].line, problems[0].column) == (4, 1)
    assert "skillelinjen" in problems[0].message_nb
    assert "delimiter row" in problems[0].message_en
    assert "|---|" in problems[0].hint_nb


def test_row_with_more_cells_than_header_points_at_the_extra_cell():
    problems = _error("| A | B |\n|---|---|\n| 1 | 2 | 3 |\n")
    assert (problems[0].line, problems[0].column) == (3, 11)
    assert "3 celler" in problems[0].message_nb and "2" in problems[0].message_nb


def test_several_table_errors_are_reported_together():
    problems = _error("| A | B |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n")
    assert [p.line for p in problems] == [3, 4]


def test_unterminated_front_matter():
    problems = _error("---\nbydel: Sagene\n\n# 1 Innledning\n")
    assert problems[0].line == 1
    assert "aldri avsluttet" in problems[0].message_nb


def test_caption_not_followed_by_table():
    problems = _error(": Tabell 1 {#t1}\n\n| A |\n|---|\n")
    assert problems[0].line == 2
    assert "rett over en tabell" in problems[0].message_nb


def test_bad_caption_attribute():
    problems = _error(': Tabell {#t1 type=økonomi "1000 kr"}\n| A |\n|---|\n')
    assert problems[0].line == 1 and problems[0].column == 28
    assert "attributtet" in problems[0].message_nb


def test_unterminated_comment():
    problems = _error("Tekst\n\n<!-- rapportlint: ignore\nmer tekst\n")
    assert problems[0].line == 3
    assert "aldri avsluttet" in problems[0].message_nb


def test_bad_front_matter_line():
    problems = _error("---\nbydel Sagene\n---\n")
    assert problems[0].line == 2
    assert "nøkkel: verdi" in problems[0].hint_nb


def test_row_without_closing_pipe_keeps_its_last_cell():
    table = parse_report("| A | B |\n|---|---|\n| x | 2\n").tables[0]
    assert [c.text for c in table.rows[0].cells] == ["x", "2"]


def test_row_with_escaped_pipe_and_no_closing_pipe():
    table = parse_report("| A | B |\n|---|---|\n| x \\| y | 2\n").tables[0]
    assert [c.text for c in table.rows[0].cells] == ["x | y", "2"]
