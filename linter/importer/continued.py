"""Tables continued over a page break, read as one table.

A table that does not fit on its page goes on on the next one under its title again ("Tabell
0.1 Brutto driftsutgifter (forts.)", or the same title unchanged) and often with its header
printed again. In the extract that is page furniture in the middle of the table's rows: the
rows before and after it belong to one table, whose sums need both parts. Here the repeated
title and header are taken out before the tables are read, when they stand between two rows of
figures (only blank lines or a dropped page footer between): the rows then read straight on.
What is left (a title repeated far from its table, a header printed differently) is joined
after reading (convert._join_continued).
"""

from __future__ import annotations

import re

from linter.importer.clean import Line

CONTINUED = re.compile(r"(?i)\s*[(\[]?\s*(forts(\.|ettelse|att)?|fortsetter|continued)\s*[)\]]?\.?\s*$")
MAX_HEADER_LINES = 24


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", CONTINUED.sub("", text)).strip().lower()


def drop_repeated_titles(lines: list[Line]) -> tuple[list[Line], int]:
    """``lines`` without the titles and headers repeated inside a continued table; how many
    repetitions were taken out."""
    from linter.importer.relations import is_sum_label
    from linter.importer.tables import CAPTION, UNIT, is_header_line, is_numeric_line, numeric_tail

    def row_of_figures(text: str) -> bool:
        return is_numeric_line(text) and len(numeric_tail(text)[1]) >= 2

    def nonblank(k: int, step: int) -> int:
        while 0 <= k < len(lines) and not lines[k].text:
            k += step
        return k

    def header_block(first: int) -> tuple[str | None, list[str]]:
        """The title (when there is one just above) and the header lines over a table's first row."""
        header: list[str] = []
        k = nonblank(first - 1, -1)
        while k >= 0 and len(header) < MAX_HEADER_LINES:
            text = lines[k].text
            if UNIT.match(text):
                break
            if CAPTION.match(text) and len(text) <= 160:
                return _key(text), header
            if is_numeric_line(text) or len(text) > 80 and text.count("  ") < 2:
                break
            header.insert(0, text)
            k = nonblank(k - 1, -1)
        return None, header

    def repetition(k: int, title: str | None, header: list[str], last_row: str, sums: int) -> int | None:
        """Where the rows go on when the lines from ``k`` are the title and/or the header again."""
        titled = k < len(lines) and CAPTION.match(lines[k].text) and (
            title is not None and _key(lines[k].text) == title or CONTINUED.search(lines[k].text))
        if titled:
            k = nonblank(k + 1, 1)  # the title again, or a title saying the table goes on
        n = 0
        while header and k < len(lines) and n < len(header) and lines[k].text == header[n]:
            n += 1
            k = nonblank(k + 1, 1)
        if 0 < n < len(header) or k >= len(lines):
            return None
        if not titled:
            # The header alone again: a page break only when it is a header (lines of column
            # words, or one line set out in columns by a PDF's positions; not a wrapped label
            # that repeats) and the table had not just ended in its one sum (a table of
            # subtotals, "Sum 201 …", "Sum 211 …", breaks anywhere).
            gridded = len(header) == 1 and header[0].count("  ") >= 2
            if n == 0 or sum(map(is_header_line, header)) < 2 and not gridded or is_sum_label(last_row) and sums == 1:
                return None
        if not is_numeric_line(lines[k].text) and not _label_then_figures(lines, k, is_numeric_line):
            return None
        return k

    drop: set[int] = set()
    joined = 0
    title, header, sums = None, [], 0
    i = 0
    while i < len(lines):
        text = lines[i].text
        if not text or not row_of_figures(text):
            i += 1
            continue
        before = nonblank(i - 1, -1)
        if before < 0 or not is_numeric_line(lines[before].text):
            found_title, found_header = header_block(i)
            # Lines above a row that are its own wrapped label keep the table's header as it was.
            if found_title or any(is_header_line(h) or h.count("  ") >= 2 for h in found_header) or not header:
                title, header, sums = found_title, found_header, 0
        sums += is_sum_label(text)
        k = nonblank(i + 1, 1)
        if (title or header) and k < len(lines) and not is_numeric_line(lines[k].text):
            going_on = repetition(k, title, header, text, sums)
            if going_on is not None:
                drop.update(range(i + 1, going_on))  # the title, the header and the blank lines
                joined += 1
                i = going_on
                continue
        i += 1
    return [line for n, line in enumerate(lines) if n not in drop], joined


def _label_then_figures(lines: list[Line], k: int, is_numeric_line) -> bool:
    """A row whose label wraps onto a line of its own before its figures."""
    return k + 1 < len(lines) and len(lines[k].text) <= 80 and bool(lines[k + 1].text) and is_numeric_line(lines[k + 1].text)
