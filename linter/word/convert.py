"""A read Word document (reader.WordDocument) as report-format text (docs/format.md), with a
source map from every line and cell of that text back to the Word document.

- Front matter: custom document properties named bydel, dokument, år, mal, status win; else the
  text importer's detection (linter/importer/convert.detect_meta) over the title, subject and
  text; Title/Subtitle paragraphs before the first heading are the ``tittel``.
- Headings: ``#`` per outline level, the number Word shows before the title.
- Tables: the caption is a Caption/Bildetekst paragraph (or a "Tabell n" line) right above, or a
  first row merged over the whole width; the header is every header row (``w:tblHeader``, else
  the first) joined per grid column top-down; merged cells hold their text in their first
  column. Attributes come from an attribute block ``{...}`` in the table's alternative text or
  caption, else they are inferred as the text importer does (type from the header, unit from
  the caption, FO from the caption or section).
- Check boxes: ☒ is ``x``, ☐ is empty; a paragraph starting with a box is a task item.
- Tracked changes: a ``<!-- rapportlint-word: sporet endring: ... -->`` comment where they are
  (rule M107 reports it); footnotes as numbered notes right after their paragraph or table.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from linter.word.location import SourceMap, shorten
from linter.word.reader import CHECKED_CHARS, UNCHECKED, Change, Para, TableData, WordDocument

CHANGE_MARKER = "rapportlint-word: sporet endring"
_NOTE = re.compile("\x00(\\d+)\x00")
_FIGURE = re.compile(r"[-−–+]?\(?\d[\d  \u202f,.]*\)?\s?%?")
_CAPTION_TEXT = re.compile(r"(?i)^(tabell|tab\.)\s*\d")
_ATTRIBUTES = re.compile(r"\{[^{}]*\}")
_UNIT = ((re.compile(r"(?i)\b(i\s+)?(1\s?000|tusen)\s*(kr|kroner)\b|\bi\s+hele\s+1000"), "1000 kr"),
         (re.compile(r"(?i)\bmill\.?\s*(kr|kroner)\b"), "mill. kr"),
         (re.compile(r"(?i)\bi\s+(kr|kroner)\b"), "kr"))
_FIGURE_TYPES = ("økonomi", "ramme", "indikatorer", "nøkkeltall", "måltabell")


@dataclass(slots=True)
class Converted:
    text: str
    source_map: SourceMap
    kind: str | None = None
    district: str | None = None
    year: int | None = None
    template: str | None = None
    sections: int = 0
    tables: int = 0
    tables_by_type: Counter = field(default_factory=Counter)
    changes: int = 0
    notes: int = 0
    inferred_tables: int = 0


def convert(doc: WordDocument, source_name: str, import_note: bool = False) -> Converted:
    return _Converter(doc, source_name).run(import_note)


class _Converter:
    def __init__(self, doc: WordDocument, source_name: str):
        self.doc = doc
        self.source_name = source_name
        self.lines: list[str] = []
        self.offset = 0
        self.map = SourceMap()
        self.heading: str | None = None
        self.fo: str | None = None
        self.ids: Counter = Counter()
        self.result = Converted("", self.map)

    # -------------------------------------------------------------- output
    def line(self, text: str, place: dict | None) -> None:
        self.lines.append(text)
        self.map.add_line(place)
        self.offset += len(text) + 1

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.line("", None)

    def place(self, element: str, paragraph: int, text: str = "", **extra) -> dict:
        where = {"element": element, "paragraph": paragraph, "heading": self.heading}
        if text:
            where["text"] = shorten(text)
        where.update({k: v for k, v in extra.items() if v is not None})
        return where

    # -------------------------------------------------------------- document
    def run(self, import_note: bool) -> Converted:
        blocks = self.doc.blocks
        first_heading = next((i for i, b in enumerate(blocks) if isinstance(b, Para) and b.level and b.text.strip()),
                             len(blocks))
        titles = [b for b in blocks[:first_heading] if isinstance(b, Para) and b.role == "title" and b.text.strip()]
        self.front_matter(titles)
        if import_note:
            self.line(f"<!-- rapportlint-word: laget av «rapportlint import» fra {_comment_safe(self.source_name)}. "
                      f"Tabelltyper uten attributter i alternativ tekst er gjettet fra overskriftene. -->", None)
            self.blank()
        skip = {id(t) for t in titles}
        for i, block in enumerate(blocks):
            if id(block) in skip:
                continue
            if isinstance(block, TableData):
                caption = None
                if i > 0 and isinstance(blocks[i - 1], Para) and id(blocks[i - 1]) in skip:
                    caption = blocks[i - 1]
                self.table(block, caption)
            elif self._is_caption(blocks, i):
                skip.add(id(block))  # written with the table below
            else:
                self.paragraph(block)
        text = "\n".join(self.lines).rstrip("\n") + "\n"
        self.result.text = text
        return self.result

    def _is_caption(self, blocks: list, i: int) -> bool:
        block = blocks[i]
        if i + 1 >= len(blocks) or not isinstance(blocks[i + 1], TableData) or block.level or not block.text.strip():
            return False
        return block.role == "caption" or bool(_CAPTION_TEXT.match(block.text.strip())) and len(block.text) < 250

    def front_matter(self, titles: list[Para]) -> None:
        from linter.importer.convert import detect_meta

        props = self.doc.properties
        every = [props.get(k, "") for k in ("title", "subject", "keywords", "category")]
        for block in self.doc.blocks:
            if isinstance(block, Para):
                every.append(block.text)
            else:
                every.extend(c.text for r in block.rows for c in r.cells)
        # Paragraphs kept apart: "Bydel Sagene" on the title page is not "Bydel Sagene Måloppnåelse".
        kind, district, year = detect_meta("\n.\n".join(every), self.source_name)

        def custom(*names: str) -> str | None:
            return next((props[f"custom:{n}"] for n in names if f"custom:{n}" in props), None)

        kind = custom("dokument") or kind
        district = custom("bydel") or district
        year_text = custom("år", "ar", "aar")
        if year_text and year_text.strip().isdigit():
            year = int(year_text.strip())
        template = custom("mal")
        if template is None and kind and year:
            from linter.packs import nearest_pack_id

            template = nearest_pack_id(kind, year)
        title = " ".join(_NOTE.sub("", t.text).strip() for t in titles) or props.get("title")
        self.result.kind, self.result.district, self.result.year, self.result.template = kind, district, year, template

        def prop(name: str, source: str) -> dict:
            return {"element": "properties", "paragraph": titles[0].number if titles and source == "tekst" else 1,
                    "heading": None, "property": name, "source": source}

        self.line("---", prop("bydel, dokument, år", "egenskap"))
        for key, value, custom_name in (("bydel", district, "bydel"), ("dokument", kind, "dokument"),
                                        ("år", year, "år"), ("mal", template, "mal"),
                                        ("status", custom("status"), "status")):
            if value:
                source = "egenskap" if custom(custom_name) or (custom_name == "år" and year_text) else "tekst"
                self.line(f"{key}: {_yaml_value(str(value))}", prop(key, source))
        if title:
            self.line(f"tittel: {_yaml_value(' '.join(title.split()))}", prop("tittel", "tekst" if titles else "egenskap"))
        self.line(f"kilde: {_yaml_value(self.source_name)}", prop("kilde", "egenskap"))
        self.line("---", prop("bydel, dokument, år", "egenskap"))
        self.line("", None)

    # -------------------------------------------------------------- paragraphs
    def changes(self, changes: list[Change], place: dict) -> None:
        if not changes:
            return
        self.result.changes += 1
        described = "; ".join(_describe_change(c) for c in changes[:5])
        if len(changes) > 5:
            described += f"; og {len(changes) - 5} til"
        self.blank()
        self.line(f"<!-- {CHANGE_MARKER}: {_comment_safe(described)} -->", place)
        self.blank()

    def notes(self, numbers: list[int], heading_place: dict) -> None:
        for n in numbers:
            text = self.doc.footnotes.get(n)
            if text is None:
                continue
            self.result.notes += 1
            place = dict(heading_place, element="note", note=n, text=shorten(text))
            self.line(f"{n}) {_escape_text(' '.join(text.split()))}", place)
        if numbers:
            self.blank()

    def paragraph(self, para: Para) -> None:
        text = _NOTE.sub(lambda m: f"{m.group(1)})", para.text).replace("\t", " ")
        if para.level and text.strip():
            title = text.replace("\n", " ").strip()  # as Word shows it (a double space is the writer's)
            shown = f"{para.label} {title}" if para.label else title
            self.heading = shown
            from linter.importer.convert import _FO

            fo = _FO.search(title)
            if fo and para.level <= 2:
                self.fo = fo.group(1)
            elif para.level == 1:
                self.fo = None
            place = self.place("heading", para.number, shown)
            self.changes(para.changes, place)
            self.blank()
            self.line(f"{'#' * min(para.level, 6)} {_escape_heading(shown)}", place)
            self.line("", None)
            self.result.sections += 1
            self.notes(para.notes, place)
            return
        if not text.strip():
            if para.changes:
                self.changes(para.changes, self.place("paragraph", para.number))
            self.blank()
            return
        place = self.place("paragraph", para.number, text)
        self.changes(para.changes, place)
        stripped = text.strip()
        if stripped[0] in CHECKED_CHARS or stripped[0] == UNCHECKED:
            box = "[x]" if stripped[0] in CHECKED_CHARS else "[ ]"
            self.line(f"- {box} {' '.join(stripped[1:].split())}", place)
        elif para.list_kind is not None:
            indent = "  " * para.list_level
            body = " ".join(text.split())
            if para.list_kind == "number" and re.fullmatch(r"\d{1,9}[.)]", para.label or ""):
                self.line(f"{indent}{para.label} {body}", place)
            elif para.list_kind == "number" and para.label:
                self.line(f"{indent}- {para.label} {body}", place)
            else:
                self.line(f"{indent}- {body}", place)
            self.result.notes += 0
            if para.notes:
                self.blank()
                self.notes(para.notes, place)
            return
        else:
            self.blank()
            for part in text.split("\n"):
                if part.strip():
                    self.line(_escape_text(part.rstrip()), place)
        self.blank()
        self.notes(para.notes, place)

    # -------------------------------------------------------------- tables
    def table(self, table: TableData, caption_para: Para | None) -> None:
        rows = [r for r in table.rows if r.cells]
        if not rows:
            return
        width = max(table.width, 1)
        caption = _NOTE.sub("", caption_para.text).replace("\n", " ").strip() if caption_para else ""
        caption_number = caption_para.number if caption_para else table.paragraph
        # A first row merged over the whole width is the table's title.
        if width > 1 and len(rows) > 1 and len(rows[0].cells) == 1 and rows[0].cells[0].span >= width:
            if not caption:
                caption = rows[0].cells[0].text.replace("\n", " ").strip()
                caption_number = rows[0].cells[0].paragraph
            rows = rows[1:]
        header_count = 0
        while header_count < len(rows) - 1 and rows[header_count].header:
            header_count += 1
        header_count = max(header_count, 1)
        header_rows, body = rows[:header_count], rows[header_count:]
        header = []
        for column in range(width):
            texts: list[str] = []
            for row in header_rows:
                cell = _covering(row, column)
                if cell is None or cell.vmerge == "continue":
                    continue
                t = _cell_text(cell)
                if t and (not texts or texts[-1] != t):
                    texts.append(t)
            header.append(" ".join(texts))
        attributes = self.attributes(table, caption, header)
        self.result.tables += 1
        # Tracked changes in the table: one comment per changed cell, pointing at the cell.
        self.blank()
        for change in table.changes:
            self.changes([change], self.place("table", table.paragraph, table=table.number))
        for row in rows:
            for cell in row.cells:
                if cell.changes:
                    self.changes(cell.changes, self.cell_place(table, row, cell, header))
        self.blank()
        table_place = self.place("table", caption_number, caption, table=table.number)
        if caption or attributes not in ("", "{}"):
            block = "" if attributes == "{}" else attributes
            self.line(f": {_escape_caption(caption)} {block}".rstrip().replace(":  {", ": {"), table_place)
        header_place = {**table_place, "element": "row", "row": header_rows[-1].number}
        self.row(header, [(_covering(header_rows[-1], c), header_rows[-1]) for c in range(width)], table, header,
                 header_place)
        numeric = [c > 0 and any(_FIGURE.fullmatch(_cell_text(_covering(r, c)) or "x") for r in body) for c in range(width)]
        self.line("|" + "|".join("---:" if n else "---" for n in numeric) + "|", header_place)
        notes: list[int] = []
        for row in body:
            texts, cells = [], []
            for column in range(width):
                cell = _covering(row, column)
                own = cell is not None and cell.grid_column == column and cell.vmerge != "continue"
                texts.append(_cell_text(cell) if own else "")
                cells.append((cell, row))
                if own:
                    notes.extend(cell.notes)
            row_place = {**table_place, "element": "row", "row": row.number,
                         "text": shorten(texts[0]) if texts and texts[0] else None}
            self.row(texts, cells, table, header, {k: v for k, v in row_place.items() if v is not None})
        self.line("", None)
        self.notes(notes, table_place)

    def row(self, texts: list[str], cells: list, table: TableData, header: list[str], row_place: dict) -> None:
        line = "|"
        stretches = []
        for column, text in enumerate(texts):
            start = self.offset + len(line)
            line += " " + text.replace("|", "\\|") + " "
            cell, row = cells[column]
            if cell is not None:
                place = self.cell_place(table, row, cell, header, column)
                if row_place.get("element") == "row" and texts is header:  # a header joined from several rows
                    place["text"] = shorten(text) if text else None
                    place = {k: v for k, v in place.items() if v is not None}
                stretches.append((start, self.offset + len(line), place))
            line += "|"
        for start, end, place in stretches:
            self.map.add_stretch(start, end, place)
        self.line(line, row_place)

    def cell_place(self, table: TableData, row, cell, header: list[str], column: int | None = None) -> dict:
        column = cell.grid_column if column is None else column
        return self.place("cell", cell.paragraph, _cell_text(cell), table=table.number, row=row.number,
                          column=column + 1, header=header[column] if column < len(header) and header[column] else None)

    def attributes(self, table: TableData, caption: str, header: list[str]) -> str:
        """The attribute block: as the writer gave it (alternative text or caption), else inferred."""
        for source in (table.alt_description, table.alt_title, caption):
            found = _ATTRIBUTES.search(source or "")
            if found:
                return found.group()
        from linter.importer.convert import _FO, _slug
        from linter.importer.structured import CHECKLIST_HEADER, goal_table_header
        from linter.importer.tables import table_type

        self.result.inferred_tables += 1
        header_text = " ".join(header)
        low = [h.strip().lower() for h in header]
        if CHECKLIST_HEADER.search(header_text) or {"ja", "nei"} <= set(low) or "svar" in low:
            kind = "sjekkliste"
        elif any("vedtak" in h for h in low) and any("utkvittering" in h for h in low):
            kind = "verbalvedtak"
        elif goal_table_header(header_text):
            kind = "måltabell"
        else:
            kind = table_type(header_text, self.heading or "")
        number = (self.heading or "").split(" ")[0] if self.heading and self.heading[:1].isdigit() else None
        base = _slug((number or self.heading or "tabell") + (f" {kind}" if kind else ""))
        self.ids[base] += 1
        parts = [f"#{base}" if self.ids[base] == 1 else f"#{base}-{self.ids[base]}"]
        if kind:
            parts.append(f"type={kind}")
            self.result.tables_by_type[kind] += 1
        unit = next((u for pattern, u in _UNIT if pattern.search(caption)), None)
        if unit and kind in ("økonomi", "ramme"):
            parts.append(f'enhet="{unit}"')
        fo = _FO.search(caption)
        fo_value = fo.group(1) if fo else self.fo
        if fo_value and kind in _FIGURE_TYPES:
            parts.append(f"fo={fo_value}")
        return "{" + " ".join(parts) + "}"


def _covering(row, column: int):
    for cell in row.cells:
        if cell.grid_column <= column < cell.grid_column + cell.span:
            return cell
    return None


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if cell.checkbox is not None:
        return "x" if cell.checkbox else ""
    text = cell.text.replace("\n", " ").strip()
    bare = _NOTE.sub("", text).strip()
    if _FIGURE.fullmatch(bare):
        return bare  # a figure keeps no note marker: it would be read as text
    return _NOTE.sub(lambda m: f"{m.group(1)})", text)


def _describe_change(change: Change) -> str:
    who = ", ".join(x for x in (change.author, change.date) if x)
    what = f" «{shorten(change.text, 60)}»" if change.text.strip() else ""
    return f"{change.kind}{what}" + (f" ({who})" if who else "")


def _escape_text(text: str) -> str:
    text = text.replace("<!--", "&lt;!--")
    if re.match(r"^(#{1,6}(\s|$)|:\s|\||-{3,}\s*$|\*{3,}\s*$|_{3,}\s*$)", text.lstrip()):
        return "\\" + text.lstrip()
    return text


def _escape_heading(text: str) -> str:
    return text.replace("<!--", "&lt;!--")


def _escape_caption(text: str) -> str:
    return text.replace("{", "(").replace("}", ")")


def _comment_safe(text: str) -> str:
    return text.replace("--", "- -").replace("\n", " ")


def _yaml_value(value: str) -> str:
    if re.search(r"[:#\"']", value) or value != value.strip():
        return '"' + value.replace('"', "'") + '"'
    return value
