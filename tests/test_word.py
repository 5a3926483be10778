"""Word drafts (.docx), end to end: documents generated from each example in the layout of the
city's Word template (tests/word_support.py) are checked directly and imported, and compared with
the example: the same sections, the same cells, the same findings at the same places; findings
point at what the writer sees in Word in every output format; hostile packages are clear errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

pytest.importorskip("docx", reason="python-docx (the extra rapportlint[word], in the test extra) is not installed")

from conftest import EXAMPLES, ROOT, all_examples, run_cli  # noqa: E402
from word_support import docx_from_report  # noqa: E402

from linter.engine import CheckOptions, check_path  # noqa: E402
from linter.model import Heading, Table  # noqa: E402
from linter.rules.registry import select_rules  # noqa: E402

EXAMPLE_NAMES = [p.stem for p in all_examples()]
SETTINGS = {"M105": {"ekstra_bydeler": ["Eksempel"]}}  # examples/.rapportlint.toml


@pytest.fixture(scope="session")
def word_examples(tmp_path_factory) -> dict[str, Path]:
    """Every example as a Word document, made once per session."""
    folder = tmp_path_factory.mktemp("word")
    (folder / ".rapportlint.toml").write_text((EXAMPLES / ".rapportlint.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return {name: docx_from_report((EXAMPLES / f"{name}.md").read_text(encoding="utf-8"), folder / f"{name}.docx")
            for name in EXAMPLE_NAMES}


@pytest.fixture(scope="session")
def checked(word_examples):
    options = CheckOptions(rules=select_rules(None, None), settings=SETTINGS)
    return {name: (check_path(EXAMPLES / f"{name}.md", options), check_path(path, options))
            for name, path in word_examples.items()}


def _address(report, finding) -> tuple:
    """Where a finding is in a report's structure, whatever the line numbers: the heading it is
    under, and the table, row and column when it is in one."""
    line = finding.span.line
    heading = None
    for block in report.blocks:
        if block.span.line > line:
            break
        if isinstance(block, Heading):
            heading = (block.number, block.title)
    for n, table in enumerate(report.tables):
        if table.span.line <= line <= table.span.end_line:
            for row in [table.header, *table.rows]:
                if row.span.line == line:
                    column = next((c.column for c in row.cells if c.span.offset <= finding.span.offset <= c.span.end_offset),
                                  None)
                    return heading, n, row.index, column
            return heading, n, None, None
    return heading, None, None, None


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_a_word_document_reads_as_its_example(checked, name):
    example, word = checked[name]
    assert example.report is not None and word.report is not None and not word.failed, word.input_error
    # the same sections, with the numbers Word computes from its numbering definitions
    sections = [(h.number, h.title, h.level) for h in example.report.blocks if isinstance(h, Heading)]
    assert [(h.number, h.title, h.level) for h in word.report.blocks if isinstance(h, Heading)] == sections
    # the same tables: captions, attributes, header (from merged two-row headers) and every cell
    def tables(report):
        return [(t.caption.text if t.caption else "", t.caption.attributes if t.caption else {},
                 [[c.text for c in row.cells] for row in [t.header, *t.rows]])
                for t in report.blocks if isinstance(t, Table)]
    assert tables(word.report) == tables(example.report)
    # the same findings at the same places, and one more: the tracked change left in the draft
    expected = Counter((f.code, _address(example.report, f)) for f in example.findings)
    found = Counter((f.code, _address(word.report, f)) for f in word.findings if f.code != "M107")
    assert found == expected
    assert [f.code for f in word.findings].count("M107") == 1
    assert example.findings or name.startswith("ren"), "a real example has findings to compare"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_finding_points_at_what_the_writer_sees(checked, name):
    _, word = checked[name]
    for finding in word.findings:
        where = finding.location
        assert where is not None and where["paragraph"] >= 1, finding
        if where["element"] != "cell":
            continue
        table, cell = next((t, c) for t in word.report.blocks if isinstance(t, Table) for r in [t.header, *t.rows]
                           for c in r.cells if c.span.offset <= finding.span.offset <= c.span.end_offset)
        assert where.get("text", "") == " ".join(cell.text.split())[:80] or where["text"].endswith("…")
        assert where.get("header") == (table.columns[cell.column] or None)
        assert where["column"] == cell.column + 1


def test_check_prints_heading_table_row_column_and_cell(word_examples):
    proc = run_cli("check", "--no-color", str(word_examples["vestre-aker-arsberetning-2024"]),
                   cwd=word_examples["vestre-aker-arsberetning-2024"].parent)
    out = proc.stdout.decode()
    assert proc.returncode == 1, proc.stderr.decode()
    assert ("vestre-aker-arsberetning-2024.docx: tabell 1, rad 2, kolonne 2 «1/1/2024»: «1,494» under "
            "«2.1 Organisasjon/bemanning» (avsnitt 20): F603 [advarsel] «1,494» ser ut som 1 494") in out
    assert "overskrift «3.3.4 Hovedoversikt økonomi FO2A netto driftsutgifter» (avsnitt 657): S103" in out
    assert "M107 [advarsel] sporet endring som ikke er godtatt eller avvist (slettet «utkast» (Kari Nordmann" in out
    assert "10 feil, 44 advarsler, 2 info" in out  # the example's 10/43/2 and the tracked change


def test_every_output_format_carries_the_word_location(checked):
    from linter.reporting import Run, formatter_module

    _, word = checked["vestre-aker-arsberetning-2024"]
    run = Run([word])
    place_nb = "tabell 1, rad 2, kolonne 2 «1/1/2024»: «1,494»"
    document = json.loads(formatter_module("json").render(run, lang="nb"))
    schema = json.loads((ROOT / "linter" / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    f603 = next(f for f in document["findings"] if f["code"] == "F603")
    assert f603["location"] == {"element": "cell", "paragraph": 20, "heading": "2.1 Organisasjon/bemanning",
                                "text": "1,494", "table": 1, "row": 2, "column": 2, "header": "1/1/2024",
                                "description": f"{place_nb} under «2.1 Organisasjon/bemanning» (avsnitt 20)"}
    outputs = {fmt: formatter_module(fmt).render(run, lang="nb")
               for fmt in ("text", "concise", "sarif", "github", "gitlab", "junit", "jsonl", "html")}
    for fmt, text in outputs.items():
        assert place_nb in text.replace("&#x27;", "'").replace("&quot;", '"'), fmt
    sarif = json.loads(outputs["sarif"])
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "F603")
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith(place_nb)
    assert "region" not in result["locations"][0]["physicalLocation"]
    gitlab = json.loads(outputs["gitlab"])
    assert any(i["location"]["lines"]["begin"] == 20 for i in gitlab if i["check_name"].startswith("F603"))
    assert "::warning file=" in outputs["github"] and f"F603 {place_nb}" in outputs["github"]
    english = formatter_module("concise").render(run, lang="en")
    assert "table 1, row 2, column 2 «1/1/2024»: «1,494» under «2.1 Organisasjon/bemanning» (paragraph 20): F603" in english


def test_import_writes_the_report_and_it_gives_the_same_findings(word_examples, checked, tmp_path):
    path = word_examples["sagene-arsberetning-2024"]
    target = tmp_path / "sagene.md"
    proc = run_cli("import", str(path), "-o", str(target))
    assert proc.returncode == 0, proc.stderr.decode()
    summary = proc.stdout.decode()
    assert "Importerte sagene-arsberetning-2024.docx (Word): årsberetning Sagene 2024 (mal årsberetning-2024)" in summary
    assert "sporede endringer (lest som godtatt, regel M107): 1" in summary
    imported = check_path(target, CheckOptions(rules=select_rules(None, None), settings=SETTINGS))
    _, direct = checked["sagene-arsberetning-2024"]
    assert Counter((f.code, _address(imported.report, f)) for f in imported.findings) == \
        Counter((f.code, _address(direct.report, f)) for f in direct.findings)


def test_fix_on_a_word_document_is_refused_and_nothing_is_written(word_examples, tmp_path):
    path = tmp_path / "vestre.docx"
    path.write_bytes(word_examples["vestre-aker-arsberetning-2024"].read_bytes())
    before = path.read_bytes()
    for option in ("--fix", "--diff"):
        proc = run_cli("check", option, str(path))
        assert proc.returncode == 2
        assert "--fix og --diff retter bare rapporter i tekstformatet, ikke Word-dokumenter" in proc.stderr.decode()
        assert "ingenting er skrevet" in proc.stderr.decode()
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["vestre.docx"]


# ---------------------------------------------------------------------------- what Word stores
def _styled_document(path: Path) -> Path:
    """Headings in a custom style with an outline level and a Norwegian heading style name, numbering
    with a start value, a restart (lvlOverride) and a hand-typed number, a Wingdings check box, a
    ☒ character, a footnote, a comment and a tracked deleted table row."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from word_support import _add_footnote, _custom_properties

    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="%1"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="70"><w:abstractNumId w:val="77"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="71"><w:abstractNumId w:val="77"/>'
                               f'<w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'))
    top = doc.styles.add_style("Overskrift 1", WD_STYLE_TYPE.PARAGRAPH)  # Norwegian name, no outline level
    custom = doc.styles.add_style("Bydel tittel 2", WD_STYLE_TYPE.PARAGRAPH)  # a custom style with an outline level
    custom.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))

    def numbered(paragraph, num: int, ilvl: int) -> None:
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'))

    doc.add_paragraph("Årsberetning 2024", style="Title")
    doc.add_paragraph("Bydel Sagene", style="Title")
    numbered(doc.add_paragraph("Måloppnåelse og resultater", style=top), 70, 0)          # 3 (start value)
    numbered(doc.add_paragraph("Bydelens totale ressursinnsats", style=custom), 70, 1)   # 3.1
    numbered(doc.add_paragraph("Funksjonsområde 1", style=custom), 70, 1)                 # 3.2
    numbered(doc.add_paragraph("Særskilt rapportering", style=top), 70, 0)               # 4
    numbered(doc.add_paragraph("Internkontroll", style=custom), 71, 1)                    # 4.5 (start override)
    paragraph = doc.add_paragraph("Rutinene er fulgt opp i alle enheter")
    _add_footnote(doc, paragraph, "Gjelder også private barnehager.")
    doc.add_comment(paragraph.runs, text="Sjekk dette med økonomi", author="Revisor")
    box = doc.add_paragraph()
    box._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>'))
    box.add_run(" Jodberedskap er gjennomgått")
    doc.add_paragraph("4.18 Rapportering jodberedskap", style="Heading 2")  # a number typed by hand
    table = doc.add_table(rows=4, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Jodberedskap", "Kryss av"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Ansvar og rutiner er implementert", "☒"
    table.rows[2].cells[0].text, table.rows[2].cells[1].text = "Slettet rad", "x"
    table.rows[2]._tr.get_or_add_trPr().append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="5" w:author="Ola" w:date="2025-01-10T09:00:00Z"/>'))
    table.rows[3].cells[0].text, table.rows[3].cells[1].text = "Jodtablettene lagres riktig", "☐"
    _custom_properties(doc, {"mal": "årsberetning-2024"})
    doc.save(str(path))
    return path


def test_word_numbering_styles_boxes_notes_and_changes_are_read_as_word_shows_them(tmp_path):
    from linter.word.check import read_converted

    converted = read_converted(_styled_document(tmp_path / "stil.docx"), "stil.docx", 10_000_000)
    lines = converted.text.splitlines()
    assert lines[:8] == ["---", "bydel: Sagene", "dokument: årsberetning", "år: 2024", "mal: årsberetning-2024",
                         "tittel: Årsberetning 2024 Bydel Sagene", "kilde: stil.docx", "---"]
    headings = [line for line in lines if line.startswith("#")]
    assert headings == ["# 3 Måloppnåelse og resultater", "## 3.1 Bydelens totale ressursinnsats",
                        "## 3.2 Funksjonsområde 1", "# 4 Særskilt rapportering", "## 4.5 Internkontroll",
                        "## 4.18 Rapportering jodberedskap"]
    assert "Rutinene er fulgt opp i alle enheter1)" in lines  # the footnote's number as Word shows it
    assert "1) Gjelder også private barnehager." in lines     # and its text as a note right after
    assert "Sjekk dette" not in converted.text                 # comments are not the report's text
    assert "- [x] Jodberedskap er gjennomgått" in lines        # a Wingdings box starts a task item
    assert ": {#t4-18-sjekkliste type=sjekkliste}" in lines    # typed from its header (Kryss av)
    assert "| Ansvar og rutiner er implementert | x |" in lines and "| Jodtablettene lagres riktig |  |" in lines
    assert "Slettet rad" not in converted.text.split("<!--")[0] + "".join(
        line for line in lines if line.startswith("|"))         # the deleted row is read as accepted
    assert any(line.startswith("<!-- rapportlint-word: sporet endring: slettet «rad» (Ola, 2025-01-10)") for line in lines)


# ---------------------------------------------------------------------------- hostile packages
def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


HOSTILE = {
    "zip-not-a-document": (lambda: _zip({"notes.txt": b"hello"}), (),
                           "filen er en ZIP-pakke, men ikke et Word-dokument (den mangler word/document.xml)"),
    "encrypted": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200) + "EncryptedPackage".encode("utf-16-le") + bytes(300),
                  (), "Word-dokumentet er passordbeskyttet (kryptert) og kan ikke leses: fjern passordet i Word"),
    "old-doc-named-docx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), (),
                           "dette er et eldre Word-dokument (.doc), ikke .docx: åpne det i Word og lagre det som"),
    "damaged-zip": (lambda: b"PK\x03\x04" + bytes(100), (), "Word-dokumentet er skadet (ZIP-pakken kan ikke leses"),
    "zip-bomb": (lambda: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(40_000_000)}), (),
                 "Word-pakken ser ut som en ZIP-bombe: word/document.xml pakkes ut til 40000000 byte"),
    "huge-document": (lambda: _zip({"[Content_Types].xml": b"<Types/>",
                                    "word/document.xml": b"<w:p>" + os.urandom(60_000).hex().encode() + b"</w:p>"}),
                      ("--max-bytes", "100000"),
                      "dokumentet er for stort: word/document.xml er 120011 byte utpakket, over grensen på 100000 byte"),
    "broken-xml": (lambda: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}), (),
                   "Word-dokumentet kan ikke leses ("),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_word_file_is_a_clear_error(tmp_path, kind):
    make, options, message = HOSTILE[kind]
    path = tmp_path / "rapport.docx"
    path.write_bytes(make())
    proc = run_cli("check", *options, str(path))
    err = proc.stderr.decode() + proc.stdout.decode()
    assert proc.returncode == 2, err
    assert message in err
    assert "Traceback" not in err and "intern feil" not in err and "X999" not in err
    imported = run_cli("import", str(path), "-o", str(tmp_path / "ut.md"))
    assert imported.returncode == 2 and imported.stderr.decode().startswith("rapportlint import: ")
    assert (message in imported.stderr.decode()) or options  # import has no --max-bytes: the huge file fails later
    assert "Traceback" not in imported.stderr.decode()
    assert not (tmp_path / "ut.md").exists()


def test_without_python_docx_the_message_says_how_to_install_it(word_examples):
    path = word_examples["ren-arsberetning-2024"]
    code = ("import sys; sys.modules['docx'] = None; from linter.cli import main; "
            f"sys.argv = ['rapportlint', 'check', {str(path)!r}]; main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60)
    out = proc.stdout.decode() + proc.stderr.decode()
    assert proc.returncode == 2, out
    assert "Word-støtte er ikke installert: installer den med «pip install 'rapportlint[word]'»" in out
    assert "Traceback" not in out


def test_a_folder_checks_word_drafts_and_lists_what_it_passes_by(word_examples, tmp_path):
    source = word_examples["ren-arsberetning-2024"]
    (tmp_path / ".rapportlint.toml").write_text('bydeler = ["Eksempel"]\n', encoding="utf-8")
    (tmp_path / "utkast.docx").write_bytes(source.read_bytes())
    (tmp_path / "importert.docx").write_bytes(source.read_bytes())
    (tmp_path / "importert.md").write_text((EXAMPLES / "ren-arsberetning-2024.md").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    (tmp_path / "~$utkast.docx").write_bytes(b"\x0bKari")
    proc = run_cli("check", "--no-color", ".", cwd=tmp_path)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "2 fil(er) kontrollert: 0 feil, 1 advarsler, 0 info" in out, out + err  # utkast.docx's tracked change
    assert "utkast.docx: avsnitt" in out and "M107" in out
    assert "importert.docx: ikke kontrollert: importert.md ved siden av kontrolleres (importert fra dette dokumentet)" in err
    assert "~$utkast.docx: ikke kontrollert: Words låsefil for et åpent dokument, ikke en rapport" in err
