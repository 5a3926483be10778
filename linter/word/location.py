"""Where a finding is in the Word document, as the writer sees it: the heading it is under, the
paragraph number, table n, row, column, and the text there. A location is a plain dict (it goes
into JSON as it is and crosses process boundaries); ``describe`` words it in nb or en.

Keys: ``element`` (heading, paragraph, caption, table, row, cell, properties, note), ``paragraph``
(1-based, in document order, paragraphs in table cells included), ``heading`` (the nearest heading
above, with its number as Word shows it), ``table`` (1-based among the document's tables), ``row``
and ``column`` (1-based as in Word: header rows counted, merged cells by grid column), ``header``
(the column's header text), ``text`` (the paragraph or cell text, shortened), ``property``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

TEXT_SHOWN = 80


def shorten(text: str, limit: int = TEXT_SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(loc: dict, lang: str = "nb") -> str:
    en = lang == "en"
    element = loc.get("element")
    under = f" {'under' if en else 'under'} «{loc['heading']}»" if loc.get("heading") else ""
    para = f"{'paragraph' if en else 'avsnitt'} {loc.get('paragraph')}"
    text = f" («{loc['text']}»)" if loc.get("text") else ""
    if element == "properties":
        prop = loc.get("property") or ""
        return (f"the document properties ({prop}; File > Info > Properties)" if en
                else f"dokumentegenskapene ({prop}; Fil > Info > Egenskaper)")
    if element == "heading":
        return f"{'heading' if en else 'overskrift'} «{loc.get('text', '')}» ({para})"
    if element == "caption":
        return (f"the caption of table {loc.get('table')}{text}, {para}{under}" if en
                else f"tabelltittelen til tabell {loc.get('table')}{text}, {para}{under}")
    if element in ("table", "row", "cell"):
        parts = [f"{'table' if en else 'tabell'} {loc.get('table')}"]
        if element in ("row", "cell") and loc.get("row"):
            parts.append(f"{'row' if en else 'rad'} {loc['row']}")
        if element == "cell" and loc.get("column"):
            header = f" «{loc['header']}»" if loc.get("header") else ""
            parts.append(f"{'column' if en else 'kolonne'} {loc['column']}{header}")
        return ", ".join(parts) + (f": «{loc['text']}»" if loc.get("text") else "") + under + f" ({para})"
    if element == "note":
        return f"{'footnote' if en else 'fotnote'} {loc.get('note')}{text}{under}"
    return para + under + text


@dataclass(slots=True)
class SourceMap:
    """From offsets and lines of the generated report text to Word locations: cells (and other
    stretches inside a line) first, else the line's location."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    lines: list[dict | None] = field(default_factory=list)  # index: line - 1

    def add_stretch(self, start: int, end: int, place: dict) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.places.append(place)

    def add_line(self, place: dict | None) -> None:
        self.lines.append(place)

    def locate(self, line: int, offset: int, end_offset: int) -> dict | None:
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and self.starts[i] <= offset <= self.ends[i] and end_offset <= self.ends[i] + 1:
            return self.places[i]
        index = min(max(line, 1), len(self.lines)) - 1
        while index >= 0:
            if self.lines[index] is not None:
                return self.lines[index]
            index -= 1
        return None


def locate_findings(findings, source_map: SourceMap) -> None:
    """Give every finding without one the Word location of its span."""
    for finding in findings:
        if getattr(finding, "location", None) is None:
            span = finding.span
            finding.location = source_map.locate(span.line, span.offset, span.end_offset)
