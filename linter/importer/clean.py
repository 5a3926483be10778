"""Cleaning a PDF text extract before it is read: page furniture out, whitespace normalised.

What the extracts do (see the notes on the four real reports): page footers land anywhere,
even inside tables ("Side 10 av 93", "82 • Årsberetning 2024 • Bydel Testby"); some
extractors put a blank line after every line; a page start is marked by one leading space;
U+202F and no-break spaces stand in for spaces; lines of only spaces are empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An empty table cell placed by position (a PDF read as a grid, pdf.py): a word of its own, so
# the cells of a row keep their columns; it never reaches the output.
EMPTY_CELL = "\u2400"
# Between the cells of a table row a PDF's positions have already read (pdf.py, text tables):
# the importer takes the cells as they are (positioned.py).
CELL_SEPARATOR = "\u241f"
TABLE_START = "\u241e"  # before the header's cells: a new table begins (pdf.py, text tables)

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\f": ""})
_PAGE_OF = re.compile(r"(?i)^(side|page|s\.)\s*\d{1,4}\s*(av|of|/)\s*\d{1,4}$")
_BULLET_FOOTER = re.compile(r"^(\d{1,4}\s*•\s*[^•]{3,80}•\s*[^•]{3,80}|[^•]{3,80}•\s*[^•]{3,80}•\s*\d{1,4})$")
_LONE_PAGE = re.compile(r"^-?\s*\d{1,3}\s*-?$")


@dataclass(slots=True)
class Line:
    number: int  # 1-based line number in the input
    text: str  # stripped, whitespace normalised
    spaces: int = 0  # a line of only spaces: how many (an empty table cell in some extracts)
    open_end: bool = False  # the line ends without a space (in extracts that end words with one: a word broken)

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass(slots=True)
class CleanStats:
    footers_dropped: int = 0
    doubled_blank_lines: bool = False


def clean_lines(text: str) -> tuple[list[Line], CleanStats]:
    """The input's lines, stripped and normalised, without page footers; blank lines kept
    (as empty ``Line``) except the doubled ones."""
    stats = CleanStats()
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [Line(i + 1, re.sub(r" {2,}", "  ", s.translate(_SPACES)).strip(), len(s) if s and not s.strip() else 0,
                  bool(s) and not s.translate(_SPACES)[-1:].isspace())
             for i, s in enumerate(raw)]
    lines = _drop_footers(lines, stats)
    if _blank_doubled(lines):
        stats.doubled_blank_lines = True
        lines = _undouble(lines)
    return lines, stats


def _drop_footers(lines: list[Line], stats: CleanStats) -> list[Line]:
    drop: set[int] = set()
    # A running title printed just above "Side N av M" ("Økonomiplan for 2026-2029"): drop it
    # wherever it stands right above such a footer, but only when that happens more than once.
    above: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if _PAGE_OF.match(line.text) or _BULLET_FOOTER.match(line.text):
            drop.add(i)
            j = i - 1
            while j >= 0 and not lines[j].text and i - j < 4:
                j -= 1
            if j >= 0 and i - j < 4 and len(lines[j].text) < 60:
                above.setdefault(lines[j].text, []).append(j)
    for positions in above.values():
        if len(positions) >= 2:
            drop.update(positions)
    stats.footers_dropped = len(drop)
    return [line for i, line in enumerate(lines) if i not in drop]


def _blank_doubled(lines: list[Line]) -> bool:
    """True when nearly every text line is followed by a blank one (an extractor's habit)."""
    texts = sum(1 for line in lines if line.text)
    if texts < 20:
        return False
    followed = sum(1 for a, b in zip(lines, lines[1:]) if a.text and not b.text)
    return followed / texts > 0.8


def _undouble(lines: list[Line]) -> list[Line]:
    """Drop one blank line of every run: a single blank was the extractor's, two were a real
    paragraph break."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        if lines[i].text:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and not lines[j].text:
            j += 1
        if j - i >= 2:
            out.append(lines[i])
        i = j
    return out
