"""Tables whose cells a PDF's positions have already read (pdf.py, text tables): each row one
line, its cells separated by ``CELL_SEPARATOR``, the header first. Nothing is guessed here: the
cells are taken as they are; only the caption above, a header printed again after a page break
and the table's kind are read."""

from __future__ import annotations

import re

from linter.importer.clean import CELL_SEPARATOR, TABLE_START, Line
from linter.importer.tables import _THOUSANDS as THOUSANDS, TableOut

_CONTINUED = re.compile(r"(?i)\s*[(\[]?\s*(forts(\.|ettelse|att)?|fortsetter|continued)\s*[)\]]?\.?\s*$")
MAX_CAPTION = 100


def is_positioned(text: str) -> bool:
    return CELL_SEPARATOR in text or text.startswith(TABLE_START)


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.removeprefix(TABLE_START).split(CELL_SEPARATOR)]


def read_positioned(lines: list[Line], start: int, end: int, section_title: str, floor: int = 0) -> TableOut:
    """The table whose header is line ``start``: its rows (every line of cells up to the first
    other line; a caption "… (forts.)" and the header printed again after a page break are
    passed over), the caption just above the header (no blank line between, not a sentence)."""
    header = _cells(lines[start].text)
    width = len(header)
    caption, first = "", start
    if start - 1 >= floor and lines[start - 1].text and len(lines[start - 1].text) <= MAX_CAPTION \
            and not lines[start - 1].text.endswith(".") and not is_positioned(lines[start - 1].text):
        caption, first = lines[start - 1].text, start - 1
    rows: list[list[str]] = []
    j = last = start + 1
    while j < end:
        text = lines[j].text
        if not text:
            j += 1
            continue
        if is_positioned(text):
            cells = _cells(text)
            if text.startswith(TABLE_START) and cells != header:
                break  # another table's header
            if cells != header:  # (the header printed again after a page break)
                rows.append((cells + [""] * width)[:width])
            last = j = j + 1
            continue
        # "Måltabell FO3 (forts.)" and the header again: the table goes on.
        k = j + 1
        while k < end and not lines[k].text:
            k += 1
        if _CONTINUED.search(text) and k < end and is_positioned(lines[k].text) and _cells(lines[k].text) == header:
            j = k
            continue
        break
    table = TableOut(caption=_CONTINUED.sub("", caption).strip(), header=header, rows=rows, start=first, end=last,
                     type=_kind(header, caption, section_title), rows_structured=len(rows))
    if THOUSANDS.search(caption + " " + " ".join(header)):
        table.unit = "1000 kr"
    return table


def _kind(header: list[str], caption: str, section_title: str) -> str | None:
    from linter.importer.tables import table_type
    from linter.importer.vocabulary import words

    titles = [w.lower() for w in words("måltabell_kolonner")]
    if titles and [h.lower() for h in header[: len(titles)]] == titles:
        return "måltabell"
    from linter.importer.structured import CHECKLIST_HEADER

    if CHECKLIST_HEADER.search(" ".join(header)):
        return "sjekkliste"
    answers = [w.lower() for w in words("svarkolonner")]
    if any(header[-1].lower().startswith(a) for a in answers):
        return "verbalvedtak"
    return table_type(" ".join(header) + " " + caption, section_title)
