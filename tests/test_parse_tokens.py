"""The grammar reads runs of lines as one token (a table's body rows, a paragraph, a list) and a
block's last token takes the blank lines after it; the model must be what a line-by-line reading
gives: one Row per row line, one Blank per blank line, blocks ending where they did."""

from __future__ import annotations

from linter.model import Blank, Comment, Heading, ListBlock, Paragraph, Table, ThematicBreak
from linter.parsing.builder import parse_report

HEAD = "---\nbydel: Sagene\ndokument: årsberetning\når: 2024\n---\n"


def kinds(text: str) -> list[str]:
    report = parse_report(HEAD + text, recover=True)
    assert report.reproduce() == HEAD + text
    names = {Blank: "blank", Comment: "comment", Heading: "heading", ListBlock: "list", Paragraph: "paragraph",
             Table: "table", ThematicBreak: "break"}
    return [names[type(block)] for block in report.blocks]


def test_blank_lines_after_each_block_kind_are_blank_blocks():
    text = ("# 1 Tittel\n \n\t\n"
            "Tekst som\nfortsetter.\n\n\n"
            "- a\n- b\n  \n"
            "<!-- kommentar -->\n\n"
            "***\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n")
    assert kinds(text) == ["heading", "blank", "blank", "paragraph", "blank", "blank", "list", "blank",
                           "comment", "blank", "break", "blank", "table", "blank"]
    report = parse_report(HEAD + text)
    for block in report.blocks:
        if isinstance(block, Blank):  # exactly one blank line each, line ending included
            piece = report.source[block.span.offset:block.span.end_offset]
            assert piece.strip(" \t\r") == "\n" and block.span.end_line == block.span.line
    heading = report.blocks[0]
    assert report.source[heading.span.offset:heading.span.end_offset] == "# 1 Tittel\n"
    paragraph = report.blocks[3]
    assert paragraph.text == "Tekst som fortsetter." and (paragraph.span.line, paragraph.span.end_line) == (9, 10)


def test_a_thematic_break_ends_a_paragraph_and_a_list():
    assert kinds("Tekst\n---\nmer tekst\n") == ["paragraph", "break", "paragraph"]
    assert kinds("Tekst\n___\n") == ["paragraph", "break"]
    assert kinds("- a\n* * *\n- b\n") == ["list", "break", "list"]


def test_table_rows_after_a_blank_line_are_a_new_table():
    report = parse_report(HEAD + "| a | b |\n|---|---|\n| 1 | 2 |\n\n| c | d |\n|---|---|\n| 3 | 4 |\n| 5 | 6 |\n")
    first, second = report.tables
    assert [r.label for r in first.rows] == ["1"] and [r.label for r in second.rows] == ["3", "5"]
    assert [r.span.line for r in second.rows] == [12, 13] and [r.index for r in second.rows] == [0, 1]


def test_a_caption_above_a_blank_line_is_still_alone():
    report = parse_report(HEAD + ": Tabell 1 {#t1}\n\n| a |\n|---|\n| 1 |\n", recover=True)
    assert [p.code for p in report.problems] == ["P004"]
    assert report.tables[0].caption is None


def test_cells_of_body_rows_point_at_their_exact_text_with_crlf_escapes_and_an_open_end():
    text = HEAD.replace("\n", "\r\n") + "| a | b |\r\n|---|---|\r\n|  x\\|y  | 12 |\r\n| z | 3 \r\n|  |   |\r\n"
    report = parse_report(text)
    rows = report.tables[0].rows
    assert [[c.text for c in row.cells] for row in rows] == [["x|y", "12"], ["z", "3"], ["", ""]]
    for row in rows:
        assert report.source[row.span.offset:row.span.end_offset] == report.line_text(row.span.line)
        for cell in row.cells:
            assert report.source[cell.span.offset:cell.span.end_offset] == cell.raw.strip(" \t")
            assert cell.span.line == row.span.line == row.line
    assert rows[0].cells[0].raw == "  x\\|y  " and rows[1].cells[1].raw == " 3"
    assert rows[2].cells[1].span.offset == rows[2].span.offset + 5  # empty: after the space following its pipe
