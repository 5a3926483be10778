"""Error recovery: after a grammar error the parser goes on from the next blank line or heading,
so one run reports every independent error (capped), in file order, and never makes one up."""

from __future__ import annotations

import pytest

from linter.parsing.builder import MAX_PROBLEMS, parse_report
from linter.parsing.errors import ReportSyntaxError

HEAD = "---\nbydel: Sagene\ndokument: årsberetning\når: 2024\n---\n"


def problems(text):
    with pytest.raises(ReportSyntaxError) as info:
        parse_report(text, "r.md")
    return [(p.line, p.column, p.message_en) for p in info.value.problems]


def test_independent_errors_are_all_reported_in_file_order():
    text = HEAD + (
        "# 1 Innledning\n"           # 6
        "\n"
        "| A | B |\n"                # 8
        "|---|---|\n"
        "| 1 | 2 | 3 |\n"            # 10: extra cell (found in the clean stretch before the next error)
        "\n"
        "| C | D |\n"                # 12
        "| 1 | 2 |\n"                # 13: no delimiter row
        "| 3 | 4 |\n"
        "\n"
        ": Tabell uten tabell {#t9}\n"  # 16
        "\n"                         # 17: caption not followed by its table
        "## 1.2 Mer\n"
        "\n"
        "<!-- aldri avsluttet\n"     # 20
        "| E |\n"                    # 21: read on after the comment; a lone row has no delimiter
        "\n"
        "# 2 Slutt\n"
        "| G | H |\n"                # 24
        "Tekst\n"                    # 25: no delimiter row
    )
    found = problems(text)
    assert [(line, col) for line, col, _ in found] == [(10, 11), (13, 1), (17, 1), (20, 1), (22, 1), (25, 1)]
    assert found[0][2] == "the row has 3 cells but the header row has 2"
    assert found[1][2] == "the table has no delimiter row below its header row"
    assert found[2][2] == "a caption line (starting with ': ') must stand directly above a table"
    assert found[3][2] == "the HTML comment is never closed"


def test_unterminated_front_matter_does_not_hide_the_body():
    found = problems("---\nbydel: Sagene\n\n# 1 Innledning\n| a |\n| b |\n")
    assert [(line, col) for line, col, _ in found] == [(1, 1), (6, 1)]
    assert found[0][2] == "the front matter opens on line 1 but is never closed with ---"


def test_cell_count_errors_after_a_grammar_error_are_reported_too():
    text = HEAD + "| A |\n| 1 |\n\n| A | B |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n"
    assert [line for line, _, _ in problems(text)] == [7, 11, 12]


def test_the_number_of_problems_is_capped():
    text = HEAD + "".join(f"# {i} Kapittel\n| A |\n| 1 |\n\n" for i in range(1, 3 * MAX_PROBLEMS))
    found = problems(text)
    assert len(found) == MAX_PROBLEMS
    assert [line for line, _, _ in found] == [8 + 4 * i for i in range(MAX_PROBLEMS)]


def test_text_inside_a_comment_is_not_taken_for_an_error():
    # The blank line inside the comment is not a place to cut: nothing is made up there.
    text = HEAD + "<!-- en kommentar\n\n| A |\n| 1 |\n-->\n| X |\n| 1 |\n"
    assert [line for line, _, _ in problems(text)] == [12]


def test_a_clean_report_after_recovery_code_still_parses():
    text = HEAD + "# 1 Innledning\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    assert parse_report(text).reproduce() == text
