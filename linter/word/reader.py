"""What a Word document really stores, read from its XML with python-docx's package and parser.

- Headings: the paragraph's outline level (its own ``w:outlineLvl`` or its style's, through
  ``w:basedOn``), else a style named Heading N / Overskrift N.
- Numbers Word computes and shows but that are not in the text (heading numbers, numbered
  lists): from ``w:numPr`` (the paragraph's or its style's) and the numbering definitions
  (``w:abstractNum`` levels: start, format, ``lvlText`` like "%1.%2", restarts, ``w:lvlOverride``).
- Tables: the grid (``w:gridSpan``), vertical merges (``w:vMerge``), header rows (``w:tblHeader``),
  alternative text (``w:tblCaption``/``w:tblDescription``); tracked deleted rows are left out.
- Check boxes: content controls (``w14:checkbox``), Wingdings symbols (``w:sym``), ☒/☐ characters.
- Tracked changes read as if accepted (``w:ins``/``w:moveTo`` kept, ``w:del``/``w:moveFrom``
  dropped), each recorded; comments ignored; footnotes kept with their number as Word shows it.

Paragraphs are numbered 1, 2, ... in document order, those in table cells included: the
"avsnitt" findings point at.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _attr(el, name: str, ns: str = W) -> str | None:
    return None if el is None else el.get(f"{{{ns}}}{name}")


CHECKED, UNCHECKED = "☒", "☐"
CHECKED_CHARS = frozenset("☒☑⊠🗹")
# Wingdings code points Word's Insert Symbol uses for boxes.
_SYMBOL_BOXES = {"F0FE": CHECKED, "F078": CHECKED, "F0FD": CHECKED, "F0A8": UNCHECKED, "F06F": UNCHECKED}


@dataclass(slots=True)
class Change:
    kind: str  # "innsatt", "slettet", "flyttet", "formatering"
    author: str
    date: str
    text: str


@dataclass(slots=True)
class Para:
    number: int  # 1-based in document order, paragraphs in tables included
    text: str
    style: str = ""
    level: int | None = None  # heading level (1-9)
    label: str | None = None  # the number or bullet Word shows before the text ("4.18", "•", "1.")
    list_kind: str | None = None  # "bullet" or "number" for a list paragraph that is no heading
    list_level: int = 0
    changes: list[Change] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)  # footnote numbers as Word shows them
    role: str = ""  # "title" (Title/Subtitle), "caption" (Caption/Bildetekst)


@dataclass(slots=True)
class CellData:
    text: str
    grid_column: int  # 0-based first grid column
    span: int  # grid columns covered
    vmerge: str | None  # "restart", "continue" or None
    paragraph: int  # number of the cell's first paragraph
    checkbox: bool | None  # True ticked, False an empty box, None no box
    changes: list[Change] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)


@dataclass(slots=True)
class RowData:
    cells: list[CellData]
    header: bool  # w:tblHeader: repeated as header row on each page
    number: int  # 1-based row number in the Word table (deleted rows not counted)


@dataclass(slots=True)
class TableData:
    number: int  # 1-based among the document's tables
    rows: list[RowData]
    width: int  # grid columns
    alt_title: str = ""
    alt_description: str = ""
    paragraph: int = 0  # first paragraph in it
    changes: list[Change] = field(default_factory=list)


@dataclass(slots=True)
class WordDocument:
    blocks: list  # Para and TableData in body order (nested tables are flattened into their cell's text)
    footnotes: dict[int, str]  # number as shown -> text
    properties: dict[str, str]  # core (title, subject, keywords) and custom properties, lower-case names
    paragraphs: int = 0


# ---------------------------------------------------------------------------- styles
@dataclass(slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None


def _styles(doc) -> tuple[dict[str, _Style], str | None]:
    out: dict[str, _Style] = {}
    default = None
    try:
        root = doc.styles.element
    except Exception:  # noqa: BLE001 - a document without a styles part
        return out, None
    for st in root.iterfind(_w("style")):
        if _attr(st, "type") != "paragraph":
            continue
        sid = _attr(st, "styleId") or ""
        name_el = st.find(_w("name"))
        based = st.find(_w("basedOn"))
        ppr = st.find(_w("pPr"))
        outline = num_id = ilvl = None
        if ppr is not None:
            o = ppr.find(_w("outlineLvl"))
            if o is not None and (_attr(o, "val") or "").isdigit():
                outline = int(_attr(o, "val"))
            numpr = ppr.find(_w("numPr"))
            if numpr is not None:
                n, i = numpr.find(_w("numId")), numpr.find(_w("ilvl"))
                num_id = _attr(n, "val")
                ilvl = int(_attr(i, "val")) if i is not None and (_attr(i, "val") or "").isdigit() else None
        out[sid] = _Style(_attr(name_el, "val") or sid, _attr(based, "val"), outline, num_id, ilvl)
        if _attr(st, "default") in ("1", "true"):
            default = sid
    return out, default


def _chain(styles: dict[str, _Style], sid: str | None):
    seen = set()
    while sid and sid in styles and sid not in seen:
        seen.add(sid)
        yield sid, styles[sid]
        sid = styles[sid].based_on


_HEADING_NAME = re.compile(r"(?i)^(?:heading|overskrift)\s*([1-9])$")
_TITLE_NAMES = {"title", "tittel", "subtitle", "undertittel"}
_CAPTION_NAME = re.compile(r"(?i)caption|bildetekst|tabelltittel|tabelltekst")


# ---------------------------------------------------------------------------- numbering
@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None
    legal: bool = False
    style: str | None = None


class Numbering:
    """Counters as Word keeps them: one set per abstract list, shared by every w:num that refers
    to it ("continue numbering"); a w:num with a start override restarts that level the first
    time it is used ("restart numbering" / "set numbering value")."""

    def __init__(self, doc):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, _Level | int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.restarted: set[str] = set()
        try:
            root = doc.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part: nothing is numbered
            return
        for an in root.iterfind(_w("abstractNum")):
            self.abstract[_attr(an, "abstractNumId") or ""] = {int(_attr(lvl, "ilvl") or 0): _level(lvl)
                                                               for lvl in an.iterfind(_w("lvl"))}
        for num in root.iterfind(_w("num")):
            aid = _attr(num.find(_w("abstractNumId")), "val") or ""
            overrides: dict[int, _Level | int] = {}
            for ov in num.iterfind(_w("lvlOverride")):
                ilvl = int(_attr(ov, "ilvl") or 0)
                lvl = ov.find(_w("lvl"))
                start = ov.find(_w("startOverride"))
                if lvl is not None:
                    overrides[ilvl] = _level(lvl)
                elif start is not None and (_attr(start, "val") or "").lstrip("-").isdigit():
                    overrides[ilvl] = int(_attr(start, "val"))
            self.nums[_attr(num, "numId") or ""] = (aid, overrides)

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        aid, _ = self.nums.get(num_id, ("", {}))
        for ilvl, lvl in self.abstract.get(aid, {}).items():
            if lvl.style == style_id:
                return ilvl
        return None

    def next_label(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """The label Word shows for the next paragraph of list ``num_id`` at level ``ilvl``, and
        "bullet" or "number"; None when it shows nothing."""
        if num_id not in self.nums:
            return None
        aid, overrides = self.nums[num_id]
        levels = dict(self.abstract.get(aid, {}))
        starts: dict[int, int] = {}
        for k, ov in overrides.items():
            if isinstance(ov, _Level):
                levels[k] = ov
            else:
                starts[k] = ov
        if ilvl not in levels:
            return None
        counts = self.counters.setdefault(aid, [None] * 10)
        lvl = levels[ilvl]
        if starts and num_id not in self.restarted:
            self.restarted.add(num_id)
            for k, start in starts.items():
                if 0 <= k < 10:
                    counts[k] = start - 1 if k == ilvl else None

        def start_of(k: int) -> int:
            return starts.get(k, levels[k].start if k in levels else 1)

        counts[ilvl] = start_of(ilvl) if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 10):
            d = levels.get(deeper)
            # lvlRestart 0: never restarts; n: restarts after level n (1-based); default: after any higher level
            if d is not None and d.restart is not None and (d.restart == 0 or d.restart - 1 > ilvl):
                continue
            counts[deeper] = None
        if lvl.fmt == "bullet":
            return (lvl.text or "•"), "bullet"
        if lvl.fmt == "none" and "%" not in lvl.text:
            return (lvl.text.strip() or None, "number") if lvl.text.strip() else None

        def value(match) -> str:
            k = int(match.group(1)) - 1
            n = counts[k] if k < len(counts) and counts[k] is not None else start_of(k)
            fmt = "decimal" if lvl.legal else (levels[k].fmt if k in levels else "decimal")
            return _format(n, fmt)

        label = re.sub(r"%([1-9])", value, lvl.text).strip()
        return (label, "number") if label else None


def _level(el) -> _Level:
    def val(tag):
        return _attr(el.find(_w(tag)), "val")

    start = val("start")
    restart = val("lvlRestart")
    legal = el.find(_w("isLgl"))
    return _Level(start=int(start) if start and start.lstrip("-").isdigit() else 1, fmt=val("numFmt") or "decimal",
                  text=val("lvlText") or "", restart=int(restart) if restart and restart.isdigit() else None,
                  legal=legal is not None and _attr(legal, "val") not in ("0", "false"), style=val("pStyle"))


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        m = max(n, 1)
        letter = chr(ord("a") + (m - 1) % 26) * ((m - 1) // 26 + 1)  # Word repeats: y, z, aa, bb
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        r = _roman(n)
        return r.lower() if fmt == "lowerRoman" else r
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out or str(n)


# ---------------------------------------------------------------------------- text
class _Text:
    """The visible text of a paragraph with tracked changes accepted, and what was met on the way."""

    def __init__(self, notes: "_Notes"):
        self.parts: list[str] = []
        self.changes: list[Change] = []
        self.notes: list[int] = []
        self.checkbox: bool | None = None
        self.note_numbers = notes
        self.field_depth: list[str] = []  # per open complex field: "code" or "result"

    def text(self) -> str:
        return "".join(self.parts)

    def walk(self, el) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            local = tag.rsplit("}", 1)[-1]
            ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
            if ns == MC and local == "AlternateContent":
                continue  # drawings and text boxes
            if ns != W:
                continue
            if local == "r":
                self.run(child)
            elif local in ("ins", "moveTo"):
                before = len(self.parts)
                self.walk(child)
                self._change(child, "innsatt" if local == "ins" else "flyttet", "".join(self.parts[before:]))
            elif local in ("del", "moveFrom"):
                deleted = "".join(t.text or "" for t in child.iter(_w("delText"), _w("t")))
                self._change(child, "slettet" if local == "del" else "flyttet", deleted)
            elif local == "sdt":
                self.content_control(child)
            elif local in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo"):
                self.walk(child)
            elif local == "pPr":
                change = child.find(_w("pPrChange"))
                if change is not None:
                    self._change(change, "formatering", "")
                mark = child.find(_w("rPr"))
                if mark is not None:
                    for kind in ("ins", "del"):
                        m = mark.find(_w(kind))
                        if m is not None:
                            self._change(m, "innsatt" if kind == "ins" else "slettet", "¶")

    def _change(self, el, kind: str, text: str) -> None:
        self.changes.append(Change(kind, _attr(el, "author") or "", (_attr(el, "date") or "")[:10], text))

    def content_control(self, sdt) -> None:
        props = sdt.find(_w("sdtPr"))
        box = props.find(f"{{{W14}}}checkbox") if props is not None else None
        if box is not None:
            checked = box.find(f"{{{W14}}}checked")
            on = _attr(checked, "val", W14) in ("1", "true")
            self.parts.append(CHECKED if on else UNCHECKED)
            return
        content = sdt.find(_w("sdtContent"))
        if content is not None:
            self.walk(content)

    def run(self, r) -> None:
        rpr = r.find(_w("rPr"))
        if rpr is not None and rpr.find(_w("rPrChange")) is not None:
            self._change(rpr.find(_w("rPrChange")), "formatering", "")
        vanish = rpr.find(_w("vanish")) if rpr is not None else None
        if vanish is not None and _attr(vanish, "val") not in ("0", "false"):
            return  # hidden text: Word does not show it
        for child in r:
            local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if local == "fldChar":
                kind = _attr(child, "fldCharType")
                if kind == "begin":
                    self.field_depth.append("code")
                elif kind == "separate" and self.field_depth:
                    self.field_depth[-1] = "result"
                elif kind == "end" and self.field_depth:
                    self.field_depth.pop()
                continue
            if self.field_depth and self.field_depth[-1] == "code":
                continue  # a field's instruction (PAGE, REF _Toc...), not its shown result
            if local == "t":
                self.parts.append(child.text or "")
            elif local == "tab":
                self.parts.append("\t")
            elif local in ("br", "cr"):
                if _attr(child, "type") in (None, "textWrapping"):
                    self.parts.append("\n")
            elif local == "noBreakHyphen":
                self.parts.append("-")
            elif local == "sym":
                code = (_attr(child, "char") or "").upper()
                if code in _SYMBOL_BOXES:
                    self.parts.append(_SYMBOL_BOXES[code])
                else:
                    try:
                        point = int(code, 16)
                        self.parts.append(chr(point - 0xF000) if 0xF020 <= point <= 0xF0FF else chr(point))
                    except ValueError:
                        pass
            elif local in ("footnoteReference", "endnoteReference"):
                number = self.note_numbers.number(local[:-9], _attr(child, "id") or "")
                if number is not None:
                    self.notes.append(number)
                    self.parts.append(f"\x00{number}\x00")  # placed by the converter
            elif local == "sdt":
                self.content_control(child)


class _Notes:
    """Footnote and endnote numbers as Word shows them: 1, 2, 3 in the order they are referred to."""

    def __init__(self, texts: dict[tuple[str, str], str]):
        self.texts = texts
        self.order: dict[tuple[str, str], int] = {}
        self.shown: dict[int, str] = {}

    def number(self, kind: str, note_id: str) -> int | None:
        key = (kind, note_id)
        if key not in self.texts:
            return None
        if key not in self.order:
            self.order[key] = len(self.order) + 1
            self.shown[self.order[key]] = self.texts[key]
        return self.order[key]


# ---------------------------------------------------------------------------- document
def load(data: bytes) -> WordDocument:
    """Read a .docx package (checked by package.check_package first). Raises WordUnavailable
    without python-docx."""
    from linter.word.package import WordUnavailable

    try:
        import docx
    except ImportError:
        raise WordUnavailable() from None
    doc = docx.Document(io.BytesIO(data))
    return _Reader(doc).read()


class _Reader:
    def __init__(self, doc):
        self.doc = doc
        self.styles, self.default_style = _styles(doc)
        self.numbering = Numbering(doc)
        self.notes = _Notes(self._note_texts())
        self.paragraph_count = 0
        self.table_count = 0

    def read(self) -> WordDocument:
        blocks: list = []
        self.blocks(self.doc.element.body, blocks)
        return WordDocument(blocks, dict(self.notes.shown), self._properties(), self.paragraph_count)

    def blocks(self, parent, out: list) -> None:
        for child in parent:
            if child.tag == _w("p"):
                out.append(self.paragraph(child))
            elif child.tag == _w("tbl"):
                out.append(self.table(child))
            elif child.tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    self.blocks(content, out)  # a block content control (e.g. a table of contents)
            elif child.tag == _w("customXml"):
                self.blocks(child, out)

    # -------------------------------------------------------------- paragraphs
    def paragraph(self, p) -> Para:
        self.paragraph_count += 1
        number = self.paragraph_count
        walker = _Text(self.notes)
        walker.walk(p)
        text = walker.text()
        ppr = p.find(_w("pPr"))
        sid = _attr(ppr.find(_w("pStyle")), "val") if ppr is not None else None
        sid = sid or self.default_style
        style = self.styles.get(sid or "")
        name = style.name if style else (sid or "")
        para = Para(number, text, name, changes=walker.changes, notes=walker.notes)
        if name.strip().lower() in _TITLE_NAMES:
            para.role = "title"
        elif _CAPTION_NAME.search(name):
            para.role = "caption"
        para.level = self._outline(ppr, sid)
        label = self._label(ppr, sid)
        if label is not None:
            if para.level is not None:
                para.label = label[0] if label[1] == "number" else None
            else:
                para.label, para.list_kind, para.list_level = label[0], label[1], label[2]
        return para

    def _outline(self, ppr, sid: str | None) -> int | None:
        own = ppr.find(_w("outlineLvl")) if ppr is not None else None
        if own is not None and (_attr(own, "val") or "").isdigit():
            value = int(_attr(own, "val"))
            return value + 1 if value < 9 else None
        for _, style in _chain(self.styles, sid):
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else None
            m = _HEADING_NAME.match(style.name.strip())
            if m:
                return int(m.group(1))
        return None

    def _label(self, ppr, sid: str | None) -> tuple[str, str, int] | None:
        num_id = ilvl = None
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        if numpr is not None:
            n, i = numpr.find(_w("numId")), numpr.find(_w("ilvl"))
            num_id = _attr(n, "val")
            if i is not None and (_attr(i, "val") or "").isdigit():
                ilvl = int(_attr(i, "val"))
        if num_id is None:
            for style_id, style in _chain(self.styles, sid):
                if style.num_id is not None:
                    num_id = style.num_id
                    if ilvl is None:
                        ilvl = style.ilvl if style.ilvl is not None else self.numbering.level_for_style(num_id, style_id)
                    break
        if num_id is None or num_id == "0":
            return None  # numId 0: numbering switched off for this paragraph
        ilvl = ilvl or 0
        label = self.numbering.next_label(num_id, ilvl)
        return None if label is None else (label[0], label[1], ilvl)

    # -------------------------------------------------------------- tables
    def table(self, tbl) -> TableData:
        self.table_count += 1
        table = TableData(self.table_count, [], 0, paragraph=self.paragraph_count + 1)
        tblpr = tbl.find(_w("tblPr"))
        if tblpr is not None:
            table.alt_title = _attr(tblpr.find(_w("tblCaption")), "val") or ""
            table.alt_description = _attr(tblpr.find(_w("tblDescription")), "val") or ""
        grid = tbl.find(_w("tblGrid"))
        width = len(grid.findall(_w("gridCol"))) if grid is not None else 0
        row_number = 0
        for tr in tbl.iterfind(_w("tr")):
            trpr = tr.find(_w("trPr"))
            deleted = trpr is not None and trpr.find(_w("del")) is not None
            if trpr is not None:
                for kind in ("ins", "del"):
                    mark = trpr.find(_w(kind))
                    if mark is not None:
                        table.changes.append(Change("innsatt" if kind == "ins" else "slettet", _attr(mark, "author") or "",
                                                    (_attr(mark, "date") or "")[:10], "rad"))
            header = trpr is not None and trpr.find(_w("tblHeader")) is not None \
                and _attr(trpr.find(_w("tblHeader")), "val") not in ("0", "false")
            skip = 0
            if trpr is not None:
                before = trpr.find(_w("gridBefore"))
                skip = int(_attr(before, "val") or 0) if before is not None else 0
            column = skip
            cells: list[CellData] = []
            for tc in self._cells(tr):
                cell = self.cell(tc, column)
                column += cell.span
                cells.append(cell)
            if deleted:
                continue  # a tracked deleted row: read as accepted, so gone
            row_number += 1
            table.rows.append(RowData(cells, header, row_number))
            width = max(width, column)
        table.width = width
        return table

    def _cells(self, tr):
        for child in tr:
            if child.tag == _w("tc"):
                yield child
            elif child.tag in (_w("sdt"), _w("customXml")):
                content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
                if content is not None:
                    yield from (c for c in content if c.tag == _w("tc"))

    def cell(self, tc, column: int) -> CellData:
        tcpr = tc.find(_w("tcPr"))
        span, vmerge = 1, None
        if tcpr is not None:
            gs = tcpr.find(_w("gridSpan"))
            if gs is not None and (_attr(gs, "val") or "").isdigit():
                span = max(1, int(_attr(gs, "val")))
            vm = tcpr.find(_w("vMerge"))
            if vm is not None:
                vmerge = "restart" if _attr(vm, "val") == "restart" else "continue"
        texts, changes, notes = [], [], []
        first = self.paragraph_count + 1
        inner: list = []
        self.blocks(tc, inner)
        for block in inner:
            if isinstance(block, Para):
                shown = block.text if not block.label or block.list_kind is None else f"{block.label} {block.text}"
                texts.append(shown)
                changes.extend(block.changes)
                notes.extend(block.notes)
            else:  # a table nested in a cell: its text, row by row
                for row in block.rows:
                    texts.append(" ".join(c.text for c in row.cells if c.text))
                changes.extend(block.changes)
        text = "\n".join(t for t in texts if t.strip()).strip()
        checkbox = None
        bare = text.replace(" ", "")
        if bare and all(ch in CHECKED_CHARS or ch == UNCHECKED for ch in bare):
            checkbox = any(ch in CHECKED_CHARS for ch in bare)
        return CellData(text, column, span, vmerge, first, checkbox, changes, notes)

    # -------------------------------------------------------------- parts
    def _part_xml(self, suffix: str):
        from docx.oxml import parse_xml

        for part in self.doc.part.package.iter_parts():
            if str(part.partname).endswith(suffix):
                element = getattr(part, "element", None)
                return element if element is not None else parse_xml(part.blob)
        return None

    def _note_texts(self) -> dict[tuple[str, str], str]:
        texts: dict[tuple[str, str], str] = {}
        for kind, suffix, tag in (("footnote", "/footnotes.xml", "footnote"), ("endnote", "/endnotes.xml", "endnote")):
            root = self._part_xml(suffix)
            if root is None:
                continue
            for note in root.iterfind(_w(tag)):
                if _attr(note, "type") not in (None, "normal"):
                    continue  # separators
                walker = _Text(_Notes({}))
                lines = []
                for p in note.iter(_w("p")):
                    walker.parts = []
                    walker.walk(p)
                    lines.append(walker.text().strip())
                texts[(kind, _attr(note, "id") or "")] = " ".join(t for t in lines if t)
        return texts

    def _properties(self) -> dict[str, str]:
        props: dict[str, str] = {}
        core = self.doc.core_properties
        for key in ("title", "subject", "keywords", "category", "comments"):
            value = getattr(core, key, None)
            if value:
                props[key] = str(value)
        custom = self._part_xml("docProps/custom.xml")
        if custom is not None:
            for prop in custom:
                name = (prop.get("name") or "").strip().lower()
                value = "".join(child.text or "" for child in prop).strip()
                if name and value:
                    props[f"custom:{name}"] = value
        return props
