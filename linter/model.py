"""The document model: what a parsed report is made of.

Plain dataclasses with ``slots`` rather than pydantic models: a large report has tens of thousands
of cells, the parser builds each node exactly once from text it has already validated, and
dataclass construction is several times cheaper than pydantic validation. Pydantic is used where
untrusted structured data comes in (configuration), not here.

Every node carries a :class:`Span`, so a finding can point at the exact cell and a fix can replace
exactly the characters it must.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Iterator, NamedTuple, Sequence

_new_tuple = tuple.__new__


class Span(NamedTuple):
    """A stretch of the source. Lines and columns are 1-based; columns and offsets count
    characters of the decoded text (after a byte-order mark, if any); ``end_offset`` is
    exclusive. Blocks span whole lines, line endings included, so together they tile the file;
    cells, titles and values span just their text. A NamedTuple: immutable and the cheapest
    object to build, and the parser builds one per cell."""

    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int

    def to_dict(self) -> dict[str, int]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "offset": self.offset,
            "end_offset": self.end_offset,
        }


class LineIndex:
    """Where each line of a report starts, to make the span of a stretch of its source. Blocks,
    headings, captions and list items keep their offsets and this index and make their span when
    it is read: a Span with its line number costs about 130 bytes, and a large report has tens of
    thousands of them (bench/README.md, peak memory)."""

    __slots__ = ("starts", "length")

    def __init__(self, starts: Sequence[int], length: int) -> None:
        self.starts = starts  # offset of each line's first character
        self.length = length  # of the source: no span reaches past it

    def span(self, start: int, end: int) -> Span:
        if end > self.length:
            end = self.length
        if start > end:
            start = end
        starts = self.starts
        line = bisect_right(starts, start)
        line_start = starts[line - 1]
        last = end - 1 if end - 1 > start else start
        if line == len(starts) or last < starts[line]:  # one line (most spans)
            return _new_tuple(Span, (line, start - line_start + 1, line, end - line_start + 1, start, end))
        end_line = bisect_right(starts, last, line)
        return _new_tuple(Span, (line, start - line_start + 1, end_line, end - starts[end_line - 1] + 1, start, end))


# Report figures have at most a few dozen digits; a cell with more is a typo (or hostile) and is
# reported as too large instead of computed with (linter/formulas.py).
MAX_DIGITS = 40


class ValueKind(str, Enum):
    NUMBER = "number"
    PERCENT = "percent"
    TARGET = "target"
    PLACEHOLDER = "placeholder"
    TEXT = "text"
    EMPTY = "empty"


@dataclass(slots=True, unsafe_hash=True)
class CellValue:
    """What a cell's text means. ``number`` is set for numbers, percentages and targets.

    Shared (values are cached per cell text), so never changed after it is made. Not a frozen
    dataclass: a new report reads a couple of thousand distinct texts, and frozen costs an
    ``object.__setattr__`` per field; not a NamedTuple: the rules read these fields in every sum,
    and a slot is read several times faster than a tuple field."""

    kind: ValueKind
    number: Decimal | None = None
    comparator: str | None = None  # for targets: ">", "<", ">=", "<="
    negative_zero: bool = False  # "-0"
    decimal_separator: str | None = None  # "," or "." when the number has decimals
    thousands_separator: str | None = None  # the space character used, if any
    suspect_thousands_comma: bool = False  # "1,119": a comma followed by exactly three digits
    # how a figure written irregularly was read: "valuta" ("311 000 kr"), "strek" ("311 000,-"),
    # "parentes" ("(311 000)", negative), "bokstav" ("311 OOO"), "prosentpoeng" ("-3,4pp")
    irregular: tuple[str, ...] = ()
    # Derived from ``number`` once (the sums read them for every term): the decimals shown, and
    # whether it has too many digits to compute with.
    decimals: int = field(default=0, init=False, compare=False, repr=False)
    huge: bool = field(default=False, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.number is not None:
            _, digits, exponent = self.number.as_tuple()
            if not isinstance(exponent, int):  # infinity or NaN
                self.huge = True
                return
            self.decimals = -exponent if exponent < 0 else 0
            self.huge = len(digits) + max(exponent, 0) > MAX_DIGITS or -exponent > MAX_DIGITS

    @property
    def has_number(self) -> bool:
        return self.number is not None

    @property
    def is_missing(self) -> bool:
        return self.kind in (ValueKind.PLACEHOLDER, ValueKind.EMPTY)


cell_value = CellValue


class Cell:
    """A table cell. Compact, since a large report has hundreds of thousands of them: it keeps
    its text, its (shared) value, its column and where its text starts in its row's line; the
    span and the raw text between the pipes are computed from the row when asked for."""

    __slots__ = ("text", "value", "column", "row", "_lead")

    text: str  # stripped, with "\\|" unescaped
    value: CellValue
    column: int  # 0-based index in its row
    row: "Row"

    def __init__(self, text: str, value: CellValue, column: int, row: "Row", lead: int) -> None:
        self.text = text
        self.value = value
        self.column = column
        self.row = row
        self._lead = lead  # characters from the row's first character to the text

    @property
    def span(self) -> Span:
        """The stripped text; an empty cell gets a zero-width span where text would go."""
        text = self.text
        # An escaped pipe is two characters in the source and one in ``text``; a cell holds no
        # other pipe (an unescaped one would end it).
        width = len(text) + text.count("|") if "|" in text else len(text)
        row = self.row
        first = row._column + self._lead
        offset = row._offset + self._lead
        return _new_tuple(Span, (row.line, first, row.line, first + width, offset, offset + width))

    @property
    def raw(self) -> str:
        """Exactly as in the source, between the pipes ("" for a cell the parser added to a
        short row)."""
        bounds = split_row_bounds(self.row.line_text)
        if self.column >= len(bounds):
            return ""
        start, end = bounds[self.column]
        return self.row.line_text[start:end]

    def __repr__(self) -> str:
        return f"Cell(text={self.text!r}, column={self.column}, span={self.span!r})"


class Row:
    """A table row: its cells, its place in the table, and where its line is in the source
    (the span is computed when asked for)."""

    __slots__ = ("cells", "index", "line", "_column", "_offset", "_length", "_source")

    cells: list[Cell]
    index: int  # 0-based among the table's body rows; -1 for the header
    line: int  # 1-based line number

    def __init__(self, source: str, offset: int, length: int, line: int, column: int, index: int) -> None:
        self.cells = []
        self.index = index
        self.line = line
        self._column = column  # 1-based column of the line's first character
        self._offset = offset
        self._length = length  # of the line without its line ending
        self._source = source

    @property
    def span(self) -> Span:
        first = self._column
        return _new_tuple(Span, (self.line, first, self.line, first + self._length, self._offset,
                                 self._offset + self._length))

    @property
    def line_text(self) -> str:
        """The row's line without its line ending."""
        return self._source[self._offset : self._offset + self._length]

    @property
    def label(self) -> str:
        return self.cells[0].text if self.cells else ""

    def __repr__(self) -> str:
        return f"Row(index={self.index}, line={self.line}, cells={[c.text for c in self.cells]!r})"


def split_row_bounds(line: str) -> list[tuple[int, int]]:
    """Cell boundaries (start, end) in a row line (without its line ending), between unescaped
    pipes."""
    first = line.index("|")
    trimmed = line.rstrip()
    last = trimmed.rfind("|")
    if last == first:
        # "| a" with no closing pipe: the only cell runs to the end of the line.
        return [(first + 1, len(trimmed))]
    bounds = []
    start = first + 1
    if "\\" not in line:
        pos = line.find("|", start)
        while pos != -1 and pos <= last:
            bounds.append((start, pos))
            start = pos + 1
            pos = line.find("|", start, last + 1)
    else:
        i = start
        while i <= last:
            ch = line[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "|":
                bounds.append((start, i))
                start = i + 1
            i += 1
    # A row without its closing pipe ("| a | b") still has text after the last pipe: a cell.
    if last < len(trimmed) - 1:
        bounds.append((last + 1, len(trimmed)))
    return bounds


@dataclass(slots=True)
class Caption:
    text: str  # the caption without the attribute block
    attributes: dict[str, str]
    _start: int = field(repr=False)
    _end: int = field(repr=False)
    _attributes_start: int = field(repr=False)  # -1: no attribute block
    _attributes_end: int = field(repr=False)
    _lines: LineIndex = field(repr=False, compare=False)

    @property
    def span(self) -> Span:
        return self._lines.span(self._start, self._end)

    @property
    def attributes_span(self) -> Span | None:
        if self._attributes_start < 0:
            return None
        return self._lines.span(self._attributes_start, self._attributes_end)


@dataclass(slots=True)
class Table:
    caption: Caption | None
    header: Row
    delimiter_span: Span
    rows: list[Row]
    span: Span
    section: "Section | None" = None
    damaged: bool = False  # a row had the wrong number of cells (reported by the parser, P001)
    _columns: list[str] | None = field(default=None, repr=False, compare=False)
    # Parts of this table printed on later pages under "(forts.)": their rows are in ``rows``
    # (linter/parsing/continuation.py); the parts stay in Report.blocks for lossless output.
    continuations: list["Table"] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        """Rows are missing or damaged: marked ``ufullstendig`` or repaired by the parser. Its
        sums cannot be trusted."""
        return self.damaged or bool(self.caption and self.caption.attributes.get("ufullstendig"))

    @property
    def id(self) -> str | None:
        return self.caption.attributes.get("id") if self.caption else None

    @property
    def type(self) -> str | None:
        return self.caption.attributes.get("type") if self.caption else None

    @property
    def unit(self) -> str | None:
        return self.caption.attributes.get("enhet") if self.caption else None

    @property
    def title(self) -> str:
        if self.caption and self.caption.text:
            return self.caption.text
        return self.id or f"tabell på linje {self.span.line}"

    @property
    def columns(self) -> list[str]:
        """The header texts; built once (rules ask for it per cell: a 10 000-column table would
        otherwise cost 10 000² steps)."""
        if self._columns is None:
            self._columns = [cell.text for cell in self.header.cells]
        return self._columns


@dataclass(slots=True)
class Paragraph:
    text: str
    _start: int = field(repr=False)
    _end: int = field(repr=False)
    _lines: LineIndex = field(repr=False, compare=False)
    section: "Section | None" = None

    @property
    def span(self) -> Span:
        return self._lines.span(self._start, self._end)


@dataclass(slots=True)
class ListItem:
    text: str  # without the marker and the task box
    task: bool | None  # None: not a task item; True: [x]; False: [ ]
    indent: int
    _start: int = field(repr=False)
    _end: int = field(repr=False)
    _lines: LineIndex = field(repr=False, compare=False)

    @property
    def span(self) -> Span:
        return self._lines.span(self._start, self._end)


@dataclass(slots=True)
class ListBlock:
    items: list[ListItem]
    span: Span
    section: "Section | None" = None


@dataclass(slots=True)
class Comment:
    text: str  # between <!-- and -->
    span: Span
    section: "Section | None" = None


@dataclass(slots=True)
class Directive:
    """A ``<!-- rapportlint: ... -->`` comment; its meaning is up to the rules that read it."""

    body: str  # what follows "rapportlint:"
    span: Span


class Blank:
    """A blank line (one per line: reports have thousands). Kept as its line number and the
    report's LineIndex: a blank line is a whole line, so where it starts and ends is where its line
    and the next one start; the span is computed when read (a blank line starts at column 1)."""

    __slots__ = ("line", "_lines")

    def __init__(self, line: int, lines: LineIndex) -> None:
        self.line = line
        self._lines = lines

    @property
    def span(self) -> Span:
        lines = self._lines
        starts = lines.starts
        line = self.line
        offset = starts[line - 1]
        end = starts[line] if line < len(starts) else lines.length
        return _new_tuple(Span, (line, 1, line, end - offset + 1, offset, end))

    def __repr__(self) -> str:
        return f"Blank(span={self.span!r})"


@dataclass(slots=True)
class ThematicBreak:
    span: Span


@dataclass(slots=True)
class Heading:
    level: int  # number of '#'
    number: str | None  # "4.18", "6." (as written)
    title: str
    _start: int = field(repr=False)
    _end: int = field(repr=False)
    _number_at: int = field(repr=False)  # where the number starts, from _start (when there is one)
    _title_at: int = field(repr=False)  # where the title starts and ends, from _start
    _title_end: int = field(repr=False)
    _lines: LineIndex = field(repr=False, compare=False)

    @property
    def span(self) -> Span:
        return self._lines.span(self._start, self._end)

    @property
    def number_span(self) -> Span | None:
        if self.number is None:
            return None
        start = self._start + self._number_at
        return self._lines.span(start, start + len(self.number))

    @property
    def title_span(self) -> Span:
        return self._lines.span(self._start + self._title_at, self._start + self._title_end)


Block = Heading | Table | Paragraph | ListBlock | Comment | Blank | ThematicBreak


@dataclass(slots=True)
class Section:
    heading: Heading | None  # None for the document root
    level: int  # 0 for the root
    parent: "Section | None" = None
    children: list["Section"] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # content up to the first sub-heading

    @property
    def number(self) -> str | None:
        return self.heading.number if self.heading else None

    @property
    def number_parts(self) -> tuple[int, ...]:
        num = self.number
        if not num:
            return ()
        return tuple(int(p) for p in num.rstrip(".").split(".") if p.isdigit())

    @property
    def title(self) -> str:
        return self.heading.title if self.heading else ""

    @property
    def span(self) -> Span | None:
        return self.heading.span if self.heading else None

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def content_blocks(self) -> Iterator[Block]:
        """Every block under this section, sub-sections included (headings excluded)."""
        yield from self.blocks
        for child in self.children:
            yield from child.content_blocks()

    @property
    def is_empty(self) -> bool:
        """True when the section has nothing but blank lines and comments, own or nested."""
        return not any(
            not isinstance(block, (Blank, Comment)) for block in self.content_blocks()
        ) and all(child.is_empty for child in self.children)

    @property
    def has_own_content(self) -> bool:
        return any(not isinstance(block, (Blank, Comment)) for block in self.blocks)


@dataclass(slots=True)
class MetaField:
    key: str
    value: str
    span: Span  # the whole line
    value_span: Span


@dataclass(slots=True)
class FrontMatter:
    fields: dict[str, MetaField]
    span: Span
    late: bool = False  # found below blank lines or comments instead of on line 1

    def get(self, key: str) -> str | None:
        entry = self.fields.get(key)
        return entry.value if entry else None


@dataclass(slots=True)
class Report:
    path: Path | None
    display_path: str
    source: str  # decoded text without the byte-order mark
    bom: bool
    front_matter: FrontMatter | None
    blocks: list[Block]
    root: Section
    tables: list[Table]
    directives: list[Directive]
    line_starts: Sequence[int]  # offset of each line's first character (an array of ints: compact)
    problems: list = field(default_factory=list)  # SyntaxProblem: what the parser read around (P rules)

    # ------------------------------------------------------------ metadata
    @property
    def district(self) -> str | None:
        return self.front_matter.get("bydel") if self.front_matter else None

    @property
    def kind(self) -> str | None:
        return self.front_matter.get("dokument") if self.front_matter else None

    @property
    def year(self) -> int | None:
        raw = (self.front_matter.get("år") or "").strip() if self.front_matter else ""
        # ASCII digits only ("²" is a digit to str.isdigit, not to int) and short enough for int().
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None

    # ------------------------------------------------------------ navigation
    def sections(self) -> Iterator[Section]:
        for child in self.root.children:
            yield from child.walk()

    def section_by_number(self, number: str) -> Section | None:
        wanted = number.rstrip(".")
        for section in self.sections():
            if section.number and section.number.rstrip(".") == wanted:
                return section
        return None

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending."""
        if line < 1 or line > len(self.line_starts):
            return ""
        start = self.line_starts[line - 1]
        end = self.source.find("\n", start)
        text = self.source[start:] if end < 0 else self.source[start:end]
        return text.rstrip("\r")

    def reproduce(self) -> str:
        """Rebuild the source from the parsed nodes (front matter and blocks tile the file)."""
        spans = [block.span for block in self.blocks]
        if self.front_matter:
            spans.append(self.front_matter.span)  # late front matter (below a blank line) sits among the blocks
        spans.sort(key=lambda span: span.offset)
        return ("\ufeff" if self.bom else "") + "".join(self.source[s.offset : s.end_offset] for s in spans)
