"""Word documents made in the tests, in the layout of the city's Word template: a title page,
Heading 1-6 styles numbered automatically by a numbering definition ("%1", "%1.%2", ...), Caption
paragraphs or a merged title row above tables, two-row headers with merged cells (vMerge/gridSpan)
marked as header rows, check boxes as content controls, lists with their own numbering, custom
document properties for bydel/dokument/år/mal, a Word comment, one footnote and one tracked change.

``docx_from_report(markdown)`` builds one from a report in the project's format (the examples),
so the test can compare what rapportlint reads from Word with what it reads from the example.
Raw XML goes through python-docx's oxml where python-docx has no call for it.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from linter.model import Comment, Heading, ListBlock, Paragraph, Table
from linter.parsing.builder import parse_report

W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
HEADING_NUM_ID = 50
BULLET_ABSTRACT, NUMBER_ABSTRACT, HEADING_ABSTRACT = 51, 52, 50
_YEAR_HEADER = re.compile(r"^(.*\S)\s+((?:19|20)\d\d)$")


def _numbering(doc) -> None:
    """Heading numbering "%1", "%1.%2", ... tied to Heading 1-6, and list definitions."""
    numbering = doc.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading{i + 1}"/>'
        f'<w:lvlText w:val="{".".join(f"%{k + 1}" for k in range(i + 1))}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i in range(6))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{HEADING_ABSTRACT}">'
                                  f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'))
    numbering.insert(1, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{BULLET_ABSTRACT}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>'))
    numbering.insert(2, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUMBER_ABSTRACT}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{HEADING_NUM_ID}"><w:abstractNumId w:val="{HEADING_ABSTRACT}"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{HEADING_NUM_ID + 1}"><w:abstractNumId w:val="{BULLET_ABSTRACT}"/></w:num>'))
    for level in range(6):  # the heading styles carry the numbering, as in the template
        style = doc.styles[f"Heading {level + 1}"]
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{HEADING_NUM_ID}"/></w:numPr>'))


class _Builder:
    def __init__(self, report, tracked_change: bool, footnote: bool):
        self.report = report
        self.doc = Document()
        _numbering(self.doc)
        self.counters = [0] * 6
        self.next_num = HEADING_NUM_ID + 10
        self.tables = 0
        self.want_change = tracked_change
        self.want_footnote = footnote
        self.want_comment = True

    # -------------------------------------------------------------- helpers
    def numbering_off(self, paragraph) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))

    def list_num(self, start: int) -> int:
        num = self.next_num
        self.next_num += 1
        self.doc.part.numbering_part.element.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num}"><w:abstractNumId w:val="{NUMBER_ABSTRACT}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'))
        return num

    def checkbox(self, parent, checked: bool) -> None:
        """A check box content control (Developer > Check Box Content Control) in a paragraph."""
        mark = "☒" if checked else "☐"
        parent._p.append(parse_xml(
            f'<w:sdt {nsdecls("w")} {W14}><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
            f'<w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/>'
            f'</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>{mark}</w:t></w:r></w:sdtContent></w:sdt>'))

    def text_paragraph(self, lines: list[str], style: str | None = None):
        paragraph = self.doc.add_paragraph(style=style)
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        return paragraph

    # -------------------------------------------------------------- blocks
    def build(self):
        fm = self.report.front_matter.fields if self.report.front_matter else {}
        if "tittel" in fm:
            self.doc.add_paragraph(fm["tittel"].value, style="Title")
        _custom_properties(self.doc, {k: fm[k].value for k in ("bydel", "dokument", "år", "mal", "status") if k in fm})
        for block in self.report.blocks:
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, ListBlock):
                self.list_block(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Comment) and self.want_comment and self.doc.paragraphs:
                # A Word comment on the paragraph before: rapportlint ignores comments.
                runs = [r for p in reversed(self.doc.paragraphs) for r in p.runs][:1]
                if runs:
                    self.doc.add_comment(runs, text=" ".join(block.text.split())[:200], author="Revisor")
                    self.want_comment = False
        return self.doc

    def heading(self, heading: Heading) -> None:
        level = min(heading.level, 6)
        paragraph = self.doc.add_paragraph(style=f"Heading {level}")
        number = heading.number
        auto = None
        if number and re.fullmatch(r"\d+(\.\d+)*", number) and number.count(".") + 1 == level:
            trial = self.counters[:]
            trial[level - 1] += 1
            for deeper in range(level, 6):
                trial[deeper] = 0
            auto = ".".join(str(trial[k] or 1) for k in range(level))
            if auto == number:
                self.counters = trial
        if number and auto == number:
            paragraph.add_run(heading.title)  # the number comes from the numbering definition
        else:
            self.numbering_off(paragraph)  # typed by hand, or no number: Word's numbering switched off
            paragraph.add_run(f"{number} {heading.title}" if number else heading.title)

    def paragraph(self, block: Paragraph) -> None:
        lines = block.text.split("\n")
        if self.want_change and len(lines) == 1 and len(lines[0].split()) >= 4:
            self.want_change = False
            head, last = lines[0].rsplit(" ", 1)
            paragraph = self.doc.add_paragraph(head + " ")
            # Tracked: "utkast " deleted and the last word inserted, not yet accepted or rejected.
            paragraph._p.append(parse_xml(
                f'<w:del {nsdecls("w")} w:id="901" w:author="Kari Nordmann" w:date="2025-02-03T10:00:00Z">'
                f'<w:r><w:delText xml:space="preserve">utkast </w:delText></w:r></w:del>'))
            paragraph._p.append(parse_xml(
                f'<w:ins {nsdecls("w")} w:id="902" w:author="Kari Nordmann" w:date="2025-02-03T10:00:00Z">'
                f'<w:r><w:t>{_xml(last)}</w:t></w:r></w:ins>'))
            return
        paragraph = self.text_paragraph(lines)
        if self.want_footnote and len(lines) == 1 and len(lines[0]) > 30:
            self.want_footnote = False
            _add_footnote(self.doc, paragraph, "Kilde: bydelens regnskap.")

    def list_block(self, block: ListBlock) -> None:
        num = None
        for item in block.items:
            raw = self.report.source[item.span.offset:item.span.end_offset].strip()
            numbered = re.match(r"^(\d+)[.)]\s", raw)
            if item.task is not None:
                paragraph = self.doc.add_paragraph()
                self.checkbox(paragraph, item.task)
                paragraph.add_run(" " + item.text)
                continue
            paragraph = self.doc.add_paragraph(item.text, style="List Paragraph")
            if numbered and raw.startswith(numbered.group(1) + "."):
                num = num or self.list_num(int(numbered.group(1)))
                ref = num
            else:
                ref = HEADING_NUM_ID + 1
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{ref}"/></w:numPr>'))

    def table(self, table: Table) -> None:
        self.tables += 1
        caption = table.caption
        attributes = "{}"
        caption_text = ""
        if caption is not None:
            caption_text = caption.text.strip()
            if caption.attributes_span is not None:
                span = caption.attributes_span
                attributes = self.report.source[span.offset:span.end_offset]
        header = [c.text for c in table.header.cells]
        width = len(header)
        title_row = bool(caption_text) and self.tables % 2 == 0 and width > 1
        if caption_text and not title_row:
            self.doc.add_paragraph(caption_text, style="Caption")
        split = [_YEAR_HEADER.match(h) for h in header]
        two_rows = width > 2 and sum(1 for m in split[1:] if m) >= 2
        rows = len(table.rows) + (2 if two_rows else 1) + (1 if title_row else 0)
        word = self.doc.add_table(rows=rows, cols=width)
        word.style = "Table Grid"
        # Alternative text (Table Properties > Alt Text): the attribute block, read by rapportlint.
        word._tbl.tblPr.append(parse_xml(f'<w:tblDescription {nsdecls("w")} w:val="{_xml(attributes)}"/>'))
        r = 0
        if title_row:
            merged = word.rows[0].cells[0].merge(word.rows[0].cells[width - 1])  # gridSpan over the width
            merged.text = caption_text
            r = 1
        if two_rows:
            top, bottom = word.rows[r], word.rows[r + 1]
            for c, h in enumerate(header):
                m = split[c] if c > 0 else None
                if m:
                    top.cells[c].text = m.group(1)
                    bottom.cells[c].text = m.group(2)
                else:
                    top.cells[c].text = h
                    _vmerge(top.cells[c], "restart")
                    _vmerge(bottom.cells[c], None)
            # The same year over neighbouring columns: one merged cell (gridSpan) in the lower row.
            c = 1
            while c < width:
                end = c
                while end + 1 < width and split[c] and split[end + 1] and split[end + 1].group(2) == split[c].group(2):
                    end += 1
                if end > c:
                    bottom.cells[c].merge(bottom.cells[end]).text = split[c].group(2)
                c = end + 1
            for row in (top, bottom):
                _header_row(row)
            r += 2
        else:
            for c, h in enumerate(header):
                word.rows[r].cells[c].text = h
            _header_row(word.rows[r])
            r += 1
        ticks = table.type == "sjekkliste"
        tick_columns = {c for c, h in enumerate(header) if h.strip().lower() in ("ja", "nei", "delvis", "kryss av", "x")}
        for row in table.rows:
            cells = word.rows[r].cells
            for c, cell in enumerate(row.cells[:width]):
                if ticks and c in tick_columns and cell.text in ("x", ""):
                    paragraph = cells[c].paragraphs[0]
                    self.checkbox(paragraph, cell.text == "x")
                else:
                    cells[c].text = cell.text
            r += 1


def _vmerge(cell, value: str | None) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(parse_xml(f'<w:vMerge {nsdecls("w")}' + (f' w:val="{value}"/>' if value else "/>")))


def _header_row(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _custom_properties(doc, values: dict[str, str]) -> None:
    """File > Info > Properties > Advanced > Custom: docProps/custom.xml."""
    if not values:
        return
    props = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i + 2}" name="{_xml(k)}">'
        f'<vt:lpwstr>{_xml(v)}</vt:lpwstr></property>' for i, (k, v) in enumerate(values.items()))
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' + props + "</Properties>")
    part = Part(PackURI("/docProps/custom.xml"), "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                xml.encode("utf-8"), doc.part.package)
    doc.part.package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _add_footnote(doc, paragraph, text: str) -> None:
    """A footnote (References > Insert Footnote): word/footnotes.xml and a reference run."""
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {nsdecls("w")}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {_xml(text)}</w:t></w:r>'
           '</w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", xml.encode("utf-8"),
                doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                  f'<w:footnoteReference w:id="1"/></w:r>'))


def docx_from_report(markdown: str, path: Path, tracked_change: bool = True, footnote: bool = False) -> Path:
    report = parse_report(markdown, str(path))
    _Builder(report, tracked_change, footnote).build().save(str(path))
    return path


def qualified(tag: str) -> str:
    return qn(tag)
