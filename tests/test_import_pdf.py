"""`rapportlint import X.pdf`: PDFs printed from the examples in the reports' layout
(tests/pdf_examples.py: wrapped labels, right-aligned figures, empty cells, a table over a page
break with its header repeated, "Side N av M" footers), imported by the words' positions and
compared with the example by structure. scripts/measure_import.py --pdf prints the same figures
for every example; here a few tables, kept fast."""

from __future__ import annotations

import pytest

from conftest import REAL_EXAMPLES, ROOT, run_cli
from linter.parsing.builder import parse_report

pytest.importorskip("fpdf")
pytest.importorskip("pdfminer")

from pdf_examples import compare, pr, render_pdf  # noqa: E402


def _import(tmp_path, markdown: str, **subset):
    source = tmp_path / "rapport.pdf"
    example = render_pdf(markdown, source, **subset)
    proc = run_cli("import", str(source))
    assert proc.returncode == 0, proc.stderr.decode()
    imported = parse_report((tmp_path / "rapport.md").read_text(encoding="utf-8"))
    return example, imported, proc.stdout.decode()


def _figures(example, imported, ids=None) -> dict[str, tuple[float, float]]:
    out = {}
    for name, (hit, produced, expected) in compare(imported, example, ids).items():
        out[name] = pr(hit, produced, expected)
        print(f"{name:<24} precision {out[name][0]:6.1%} recall {out[name][1]:6.1%} ({hit}/{produced}/{expected})")
    return out


def test_clean_example_as_pdf_keeps_sections_and_economy_tables(tmp_path):
    """The whole synthetic example (headings, paragraphs, lists, every table) printed and read
    back: every heading, every economy cell (tables with empty columns included)."""
    example, imported, _ = _import(tmp_path, (ROOT / "examples" / "ren-arsberetning-2024.md").read_text(encoding="utf-8"))
    got = _figures(example, imported)
    assert got["sections"] == (1.0, 1.0)
    precision, recall = got["cells økonomi"]
    assert precision >= 0.99 and recall >= 0.99
    assert got["cells befolkning"] == (1.0, 1.0)
    assert got["tables økonomi"][0] == 1.0  # no economy table that the example does not have


def test_real_example_tables_with_empty_cells_and_a_page_break(tmp_path):
    """Sagene's economy tables 0.1 and 0.1 B (B goes on over a page break under "(forts.)"
    with the header repeated; its "-10410" is the report's own mistake, kept as printed) and
    the population table; Bjerke's 114-row KOSTRA table over several pages is one table."""
    ids = {"t0-1", "t0-1b", "t2-2-befolkning"}
    example, imported, _ = _import(tmp_path, REAL_EXAMPLES["sagene"].read_text(encoding="utf-8"), only_tables=ids)
    got = _figures(example, imported, ids)
    assert got["cells økonomi"] == (1.0, 1.0)
    assert got["cells befolkning"] == (1.0, 1.0)
    assert sum(1 for t in imported.tables if t.type == "økonomi") == 2


def test_long_table_over_many_pages_is_one_table(tmp_path):
    example, imported, stdout = _import(tmp_path, REAL_EXAMPLES["bjerke"].read_text(encoding="utf-8"),
                                        only_tables={"kostra"})
    want = next(t for t in example.tables if t.id == "kostra")
    tables = [t for t in imported.tables if t.type == "økonomi"]
    assert len(tables) == 1
    assert [[c.text for c in r.cells] for r in tables[0].rows] == [[c.text for c in r.cells] for r in want.rows]
    assert "sideføtter fjernet: 0" not in stdout
    # The title line "Budsjett 2026 Bydel Bjerke" above the heading "Forord": the district is
    # not "Bjerke Forord".
    assert "budsjett Bjerke 2026" in stdout


def test_empty_cell_is_placed_by_its_column_where_no_sum_decides(tmp_path):
    """Two columns with no relation between them and no sum row: from a text extract the
    empty cell could be either (the row stays raw); in a PDF its x-position says which."""
    markdown = """---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 1. Innledning

: Aktivitet {#aktivitet type=nøkkeltall}
| Antall | Resultat 2023 | Resultat 2024 |
|---|---:|---:|
| Besøk | 12 | 30 |
| Brukere | | 400 |
| Møter | 7 | |
| Kurs | 3 | 5 |
"""
    _, imported, stdout = _import(tmp_path, markdown)
    rows = [[c.text for c in r.cells] for t in imported.tables for r in t.rows]
    assert rows == [["Besøk", "12", "30"], ["Brukere", "", "400"], ["Møter", "7", ""], ["Kurs", "3", "5"]]
    assert "tvetydige rader beholdt som råtekst: 0" in stdout


def test_checklist_ticks_go_to_the_column_they_stand_in(tmp_path):
    """A checklist with a column per answer: flattened, every "x" looks alike; by its
    x-position under the "Ja  Delvis  Nei" header it goes to its own column."""
    markdown = """---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 3.8 Styring og kontroll

: Internkontroll {#internkontroll type=sjekkliste}
| Spørsmål | Ja | Delvis | Nei | Hvis nei eller delvis, kommenter |
|---|---|---|---|---|
| Er det etablert et risikobasert helhetlig system for internkontroll i virksomheten? | x | | | |
| Etterleves rutinene og prosedyrene i virksomheten? | | x | | |
| Er alle vesentlige avvik, spesielle hendelser og svakheter fulgt opp? | | | x | |
"""
    _, imported, _ = _import(tmp_path, markdown)
    table = next(t for t in imported.tables if t.type == "sjekkliste")
    assert [[c.text for c in r.cells[1:4]] for r in table.rows] == [["x", "", ""], ["", "x", ""], ["", "", "x"]]


def test_checklist_comment_beside_its_question_stays_in_the_comment_column(tmp_path):
    """A comment wrapped beside its question prints interleaved with it line by line; read by
    the words' left edges and the gaps between rows, question and comment stay apart."""
    markdown = """---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 4.7 Rapportering innen HR-området

: HR/HMS-området {#hms type=sjekkliste}
| | Ja | Nei | Hvis nei, kommentarer |
|---|---|---|---|
| Er det fastsatt oppdaterte mål på HMS-området for 2024? | x | | |
| Virksomheten bes oppgi antall brudd på arbeidsmiljølovens arbeidstidsbestemmelser i 2024. | | | Antall: 12 Kommentar: Bruddene gjaldt vaktbytter i turnus og er fulgt opp med hver enhet. |
| Hvordan har virksomheten behandlet bruddene i AMU? | | | Kommentar: Bruddene er lagt fram for AMU hvert kvartal. |
| Har virksomheten involvert vernetjenesten i arbeidet med oppfølging av brudd på arbeidstidsbestemmelsene? | | x | |
"""
    example, imported, _ = _import(tmp_path, markdown)
    table = next(t for t in imported.tables if t.type == "sjekkliste")
    want = next(t for t in example.tables if t.type == "sjekkliste")
    assert [[c.text for c in r.cells] for r in table.rows] == [[c.text for c in r.cells] for r in want.rows]


def test_verbalvedtak_columns_wrapped_side_by_side_are_read_as_cells(tmp_path):
    """Code, decision and utkvittering wrap side by side and print interleaved line by line;
    by the answer column's left edge and the gaps between rows each cell keeps its text."""
    markdown = """---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 6.1 Utkvittering av bystyrets verbalvedtak og merknader

: Bystyrets verbalvedtak {#verbalvedtak type=verbalvedtak}
| Kode | Vedtak | Utkvittering |
|---|---|---|
| H3 | Fagdekning hjemmesykepleie: andelen autorisert helsepersonell i hjemmesykepleien skal i snitt være minimum 85 % | Fagdekningen var 81,6% per 31. desember; stillinger gjøres om fra ikke-fag til fag ved naturlig avgang. |
| H58 | Aktive tiltak for å sikre at fritt brukervalg blir kjent | Fritt brukervalg omtales i vedtak og kartleggingssamtaler, og byrådsavdelingens brosjyre deles ut. |
| K70/2022 | Rutiner for å melde avvik om spesialpedagogisk hjelp | Bydelen har rutiner for å sikre hjelpen og er i gang med å lage rutine for å melde avvik. |
"""
    example, imported, _ = _import(tmp_path, markdown)
    table = next(t for t in imported.tables if t.type == "verbalvedtak")
    want = next(t for t in example.tables if t.type == "verbalvedtak")
    # The caption above the header is still read as a group row (the text path does the same).
    rows = [[c.text for c in r.cells] for r in table.rows if r.cells[0].text]
    assert rows == [[c.text for c in r.cells] for r in want.rows]


def _cells(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def _import_here(tmp_path, markdown: str):
    """As ``_import``, in this process (the command itself is tested above): the example and
    the import of its PDF."""
    from linter.importer.convert import import_path

    source = tmp_path / "rapport.pdf"
    example = render_pdf(markdown, source)
    return example, parse_report(import_path(source).text)


def _imported_and_wanted(tmp_path, markdown: str, kind: str):
    """The first table of ``kind`` imported from the PDF of ``markdown``, and the example's."""
    example, imported = _import_here(tmp_path, markdown)
    return (next(t for t in imported.tables if t.type == kind),
            next(t for t in example.tables if t.type == kind))


def test_goal_table_read_by_position_with_empty_cells(tmp_path):
    """A budget's Måltabell: Hovedmål, Delmål and Indikator wrap side by side (interleaved line by
    line when flattened), a row with no Hovedmål, a row with no figures; read by the columns'
    left edges and the wider gap between rows, every cell is where the example has it."""
    markdown = """---
bydel: Testby
dokument: budsjett
år: 2026
---

# Kommunens tjenesteområder

## Funksjonsområde 3: Helse og omsorg

### Måltabell

: Måltabell FO3 {#fo3-maltabell type=måltabell enhet="%" fo=3}
| Hovedmål | Delmål | Indikator | 2023 | Siste måling 2024 | Forventet 2025 | Mål 2026 |
|---|---|---|---:|---:|---:|---:|
| HLS - 3.2 Kommunen beholder og rekrutterer helsepersonell med rett kompetanse | FO3 (HLS) 3.2 Kommunen beholder og rekrutterer helsepersonell med rett kompetanse | FO3 (HLS) Andel kommunale årsverk i omsorgstjenestene med relevant fagutdanning | 88,0 % | 94,0 % | 90,0 % | 90,0 % |
| | | FO3 (HLS) Antall innbyggere 65 år og eldre innlagt på sykehus med hoftebrudd pr 1 000 innbyggere | 7,9 | 7,5 | | 0,0 |
| HLS - 5.1 Innbyggerne får god og forsvarlig helsehjelp når de trenger det | | | | | | |
"""
    table, want = _imported_and_wanted(tmp_path, markdown, "måltabell")
    assert _cells(table) == _cells(want)
    assert table.caption is not None and table.caption.text == "Måltabell FO3"


def test_measures_and_answers_read_by_position(tmp_path):
    """A table Tiltak | Mål | Utkvittering outside a verbalvedtak section: the measure, its goal
    and the answer wrap side by side; each keeps its own column."""
    markdown = """---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 7. Vedlegg

## 7.3 Tildelingsbrevet 2024 - mål og tiltak utkvittering

### 7.3.1 Funksjonsområde 2A

: {#t7-3-1 type=verbalvedtak}
| Tiltak | Mål | Utkvittering |
|---|---|---|
| Tiltak 1: Videreføre utviklingsarbeidet med Barnehjernevernet og gi riktig og rask hjelp til barn og familier gjennom Oslohjelpa. | Mål 01 | Barnehagene og barnevernet samarbeider, blant annet om barnevernsøvelser. |
| Tiltak 2: Delta i utvikling av lokale handlingsplaner | Mål 01 | Barneverntjenesten har representert bydelen i workshop om lokal handlingsplan, og arbeidet fortsetter i 2025 med egne møter. |
| Tiltak 1: Videreføre arbeidsplassbasert barnehagelærerutdanning. | Mål 02 | |
"""
    table, want = _imported_and_wanted(tmp_path, markdown, "verbalvedtak")
    assert [c.text for c in table.header.cells] == ["Tiltak", "Mål", "Utkvittering"]
    assert _cells(table) == _cells(want)


def test_column_empty_in_every_row_is_found_from_its_title(tmp_path):
    """A Rammeoversikt whose «Tiltak» column is empty in every row: the column shows only in the
    header, and the rows' department and amount keep their columns (typed ramme, as the
    section's text reader types it)."""
    markdown = """---
bydel: Testby
dokument: budsjett
år: 2026
---

# Kommunens tjenesteområder

## Funksjonsområde 1: Administrasjon og fellestjenester

### Rammeoversikt

: Rammeoversikt FO1 {#fo1-ramme type=ramme enhet="1000 kr" fo=1}
| Beskrivelse tiltak | Tiltak | Avdeling | 2026 |
|---|---|---|---:|
| Vedtatt budsjett forrige år videreført | | | 43 503 |
| Omstillingstiltak: Arbeid med frivillighet | | Bydel Testby | -400 |
| Omstillingstiltak: Driftsjustering HR | | Bydel Testby | -800 |
| Sum Omstillingstiltak | | | -1 200 |
"""
    table, want = _imported_and_wanted(tmp_path, markdown, "ramme")
    assert len(table.header.cells) == 4
    assert _cells(table) == _cells(want)


def test_amount_first_with_wrapped_description_read_by_position(tmp_path):
    """«Tall i 1000 kr. | Funksjon | Beskrivelse | Funksjonsområde»: the amount is the label, a
    code with a slash stands right-aligned among the function codes, the description wraps
    beside them; every cell keeps its column (typed ramme as the text reader types it)."""
    markdown = """---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 3. Måloppnåelse og resultater

## 3.5 Funksjonsområde 2C: Aktivitetstilbud for barn og unge

### 3.5.4 Hovedoversikt økonomi FO2C

: {#fo2c-ramme type=ramme enhet="1000 kr" fo=2C}
| Tall i 1000 kr. | Funksjon | Beskrivelse | Funksjonsområde |
|---:|---|---|---|
| 116 410 | | FO2C Aktivitetstilbud for barn og unge, helsestasjon og skolehelsetjeneste - opprinnelig vedtatt ramme | FO2C |
| 6 984 | 231/232 | Overførte tilskuddsmidler fra 2023 til 2024 | FO2C |
| 800 | 231 | Bystyrets sak 183 av 19/6 - Revidert budsjett 2024 - Ferie-/deltidsjobber ung. | FO2C |
| 124 194 | | Sum | |
"""
    table, want = _imported_and_wanted(tmp_path, markdown, "ramme")
    assert _cells(table) == _cells(want)


def test_wide_month_table_with_a_year_in_the_labels(tmp_path):
    """Thirteen figure columns (a month each and the year's average) under a header the
    positions set out title by title, labels ending in a year ("Antall brudd på AML 2022"): the
    year stays in the label (no gap before it), the width is the header's."""
    markdown = """---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 7. Vedlegg

## 7.2 Økonomirapport

### 7.2.4 Aktivitets- og nøkkeltall

: {#aml type=nøkkeltall}
| Brudd på Arbeidsmiljøloven | Jan | Feb | Mar | Apr | Mai | Jun | Jul | Aug | Sep | Okt | Nov | Des | Snitt i året |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| Antall brudd på AML 2023 | 352 | 253 | 291 | 286 | 234 | 223 | 257 | 218 | 203 | 282 | 260 | 368 | 269 |
| Antall brudd på AML 2024 | 306 | 258 | 239 | 167 | 140 | 236 | 234 | 224 | 189 | 191 | 185 | 270 | 220 |

: {#plasser type=nøkkeltall}
| Barnehageplasser 2024 | Jan | Feb | Mar | Apr | Mai | Jun | Aug | Sep | Okt | Nov | Des | Snitt i året |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| Kommunale barnehager - 1-2 år | 703 | 702 | 707 | 706 | 705 | 700 | 596 | 619 | 638 | 686 | 698 | 680 |
| Sum kommunale barnehager | 1 381 | 1 378 | 1 376 | 1 374 | 1 369 | 1 359 | 1 277 | 1 299 | 1311 | 1364 | 1369 | 983 |
"""
    example, imported = _import_here(tmp_path, markdown)
    tables = [t for t in imported.tables if t.type == "nøkkeltall"]
    assert [_cells(t) for t in tables] == [_cells(t) for t in example.tables]


def test_investment_table_with_columns_empty_in_every_row(tmp_path):
    """Ten columns, four of them empty in every row (shown only by their titles), titles wider
    than the figures under them, project names wrapped above their figures."""
    markdown = """---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 3. Måloppnåelse og resultater

## 3.1.2 Bydelens investeringer

: Investeringsprosjekter {#inv type=økonomi}
| Prosjektnavn | Prosjektnummer | Artsgruppe | Bystyrevedtatt ferdig | Faktisk/ forv. ferdig | Dok 3 2024 | Reg. budsj. 2024 (inkl. y.disp- fra 2023) | Regnskap 2024 | Avvik (VII-VIII) | Kommentarer/årsak til avvik |
|---|---|---|---|---|---:|---:|---:|---:|---|
| Arkitekt Rivertz plass | 12405423 | 1 | | | | 3 250 000 | | 3 250 000 | |
| Arkitekt Rivertz plass - Tilgjengelighet | 12300523 | 4 | | | | | 196 574 | -196 574 | |
| Iladalen parkøkologisk senter | 12405422 | 7 | | | | -370 000 | | -370 000 | |
"""
    table, want = _imported_and_wanted(tmp_path, markdown, "økonomi")
    assert len(table.header.cells) == 10
    assert _cells(table) == _cells(want)


def test_table_without_title_continued_under_its_header_alone_is_one_table(tmp_path):
    """A table with no caption that goes on over a page break with only its header printed
    again at the top of the next page is one table; a label line with a row gap on both sides
    ("Enhet uten tall") is a row of empty cells, not the first line of the next row's label."""
    rows = "\n".join(f"| Enhet {n} | {100 + n} | {200 + n} |" if n != 5 else "| Enhet uten tall | | |" for n in range(1, 81))
    markdown = f"""---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 7. Vedlegg

## 7.2 Aktivitetstall

: {{#prognose type=økonomi}}
| Prognose pr område | NOV | DES |
|---|---:|---:|
{rows}
"""
    example, imported = _import_here(tmp_path, markdown)
    tables = [t for t in imported.tables if t.rows]
    assert len(tables) == 1
    assert _cells(tables[0]) == _cells(example.tables[0])


def _budget_table(caption: str, rows: list[tuple[str, int, int]]) -> str:
    """A unit's budget table ending in its own total (the rows summed), in the budgets' layout."""
    lines = [f": {caption} {{#{_slug_for_test(caption)} type=økonomi enhet=\"1000 kr\"}}" if caption else
             f": {{#t{len(rows)} type=økonomi enhet=\"1000 kr\"}}",
             "| Enhet, kontogruppe, kontotype | Regn 2024 | Øk.plan 2026 |", "|---|---:|---:|"]
    lines += [f"| {label} | {a:,} | {b:,} |".replace(",", " ") for label, a, b in rows]
    total = (sum(a for _, a, _ in rows), sum(b for _, _, b in rows))
    lines.append(f"| Sum total {caption or 'enheten'} | {total[0]:,} | {total[1]:,} |".replace(",", " "))
    return "\n".join(lines)


def _slug_for_test(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower().translate(str.maketrans("æøå", "eoa")))


@pytest.mark.parametrize("captions, first_label", [
    (("Helse og mestring", "Avsetninger"), "10 - Lønn"),
    (("", ""), "10 - Lønn"),
    # (the first row's label wraps above its figures, under the header: the title is still the title)
    (("Helse og mestring", "Avsetninger"), "11 - Kjøp av varer og tjenester som inngår i kommunal egenproduksjon"),
])
def test_tables_under_unnumbered_subheadings_stay_apart(tmp_path, captions, first_label):
    """Two tables of the same columns, each ending in its own total, under unnumbered
    subheadings and titled by a plain line over the header ("Helse og mestring"): two tables,
    each total checked over its own rows only (no A201). Read together, the second total was
    checked over both tables' rows."""
    from linter.engine import CheckOptions, check_text
    from linter.importer.convert import import_path
    from linter.rules.registry import all_rules

    first = _budget_table(captions[0], [("10 - Lønn", 376_242, 333_782), ("11 - Kjøp av varer og tjenester", 205_541, 221_205),
                                        ("16 - Salgsinntekter", -53_496, -53_625)])
    second = _budget_table(captions[1], [(first_label, 51, 40_904), ("11 - Kjøp av varer og tjenester", 2, 15_022),
                                         ("17 - Refusjoner", -5, 0)])
    markdown = f"""---
bydel: Testby
dokument: budsjett
år: 2026
---

# Budsjettvedtak

## Budsjett per enhet

{first}

## Avsetninger og fond

{second}
"""
    source = tmp_path / "budsjett.pdf"
    render_pdf(markdown, source)
    text = import_path(source).text
    imported = parse_report(text)
    tables = [t for t in imported.tables if t.rows]
    assert len(tables) == 2, text
    assert [len(t.rows) for t in tables] == [4, 4]
    if captions[0]:
        assert [t.caption.text if t.caption else "" for t in tables] == list(captions)
    rules = [r for code, r in all_rules().items() if code.startswith("A2")]
    findings = check_text(text, "budsjett.md", CheckOptions(rules=rules)).findings
    assert not [f for f in findings if f.code == "A201"], [f.message for f in findings]


def test_heading_after_a_short_table_ends_it(tmp_path):
    """A table of one row and its sum, then a heading and a list of figures at the right edge
    within a few lines: the heading (larger type) ends the table, whose header and cells are
    read by position (the figures below were taken for the same table, and the table was left
    to the text readers, which split its wrapped header into the wrong columns)."""
    markdown = """---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 3. Økonomi

## 3.7 Funksjonsområde 4

### 3.7.4 Hovedoversikt økonomi FO4C

: Tall i 1000 kr {#fo4c type=økonomi enhet="1000 kr" fo=4C}
| Netto driftsutgifter pr. KOSTRA-funksjon | Regnskap 2023 | Oppr. Budsjett 2024 | Regulert budsjett 2024 | Regnskap 2024 | Avvik reg.bud - regnskap 2024 |
|---|---:|---:|---:|---:|---:|
| 281 Ytelser til livsopphold | 135 294 | 129 924 | 145 404 | 150 432 | -5 028 |
| Sum FO4C | 135 294 | 129 924 | 145 404 | 150 432 | -5 028 |

### 3.7.5 Nøkkeltall for tjenesteproduksjon

: {#fo4-tall type=nøkkeltall fo=4}
| Økonomisk og sosial trygghet | |
|---|---:|
| Antall sosialhjelpsmottakere (KOSTRA bydel nivå 3) | 2141 |
| Antall deltakere i introduksjonsordningen 31.12. | 136 |
"""
    example, imported = _import_here(tmp_path, markdown)
    table = next(t for t in imported.tables if t.type == "økonomi")
    want = example.tables[0]
    assert [c.text for c in table.header.cells] == [c.text for c in want.header.cells]
    assert _cells(table) == _cells(want)


def test_column_titles_broken_inside_a_word_are_joined(tmp_path):
    """Thirteen narrow columns whose titles are broken inside their words ("Helti" / "d",
    "Men" / "n %") over rows named by their year: the titles are joined again where the line
    was full and the joined word is a column word ("Menn", "Kvinner") or the piece has no
    vowel ("Helti" / "d"); the year is the row's label; and the share check (Menn % +
    Kvinner % = 100) finds on the import what it finds on the example (A204, 33 % + 57 %)."""
    groups = ["Heltid", "Deltid", "Ufrivillig deltid", "Midlertidig ansatte"]
    titles = ["Alle ansatte Totalt"] + [f"{g} {t}" for g in groups for t in ("Totalt", "Menn %", "Kvinner %")]
    markdown = f"""---
bydel: Testby
dokument: årsberetning
år: 2024
---

# 4. Særskilt rapportering

## 4.7 Likestilling

: Rapportering av fast ansatte på heltid og deltid {{#heltid type=nøkkeltall}}
| År | {" | ".join(titles)} |
|---|{"---:|" * len(titles)}
| 2024 | 1025 | 746 | 22 % | 78 % | 279 | 27 % | 73 % | 5 | 40 % | 60 % | 93 | 33 % | 57 % |
| 2023 | 1044 | 753 | 23 % | 77 % | 291 | 26 % | 74 % | 7 | 43 % | 57 % | 97 | 24 % | 76 % |
"""
    from linter.engine import CheckOptions, check_text
    from linter.importer.convert import import_path
    from linter.rules.registry import all_rules

    source = tmp_path / "rapport.pdf"
    example = render_pdf(markdown, source)
    text = import_path(source).text
    table = next(t for t in parse_report(text).tables if t.rows)
    header = [c.text for c in table.header.cells]
    assert header[0] == "År" and len(header) == 14, header
    assert [h for h in header if h.startswith("Heltid")] == ["Heltid Totalt", "Heltid Menn %", "Heltid Kvinner %"]
    group = header[8:11]  # one prefix for the group's three titles, however its words broke
    prefix = group[0].removesuffix("Totalt")
    assert prefix and group == [prefix + "Totalt", prefix + "Menn %", prefix + "Kvinner %"], group
    assert _cells(table) == _cells(example.tables[0])
    options = CheckOptions(rules=[all_rules()["A204"]])

    def shares(text: str) -> list[tuple[str, str]]:
        return [(f.code, str(f.details.get("reported"))) for f in check_text(text, "rapport.md", options).findings]

    want = shares(markdown)
    assert len(want) == 1 and shares(text) == want


def test_row_of_empty_cells_with_a_dash_is_a_row(tmp_path):
    """Sagene's FO4A table opens with "213 Voksenopplæring", its cells empty but for a "-" in
    the last: a row of its own with that dash in its column, not a label holding the empty
    cells' marks."""
    from linter.importer.convert import import_path

    source = tmp_path / "rapport.pdf"
    example = render_pdf(REAL_EXAMPLES["sagene"].read_text(encoding="utf-8"), source, only_tables={"fo4a-okonomi"})
    imported = parse_report(import_path(source).text)
    table = next(t for t in imported.tables if t.type == "økonomi")
    assert _cells(table) == _cells(next(t for t in example.tables if t.id == "fo4a-okonomi"))
