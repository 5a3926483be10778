"""`rapportlint import`: PDF text (and PDF) into the report format.

Synthetic extracts reproduce the hazards the notes on the real reports describe; the seed tests
read ../shared/seeds and skip when it is absent."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from conftest import REAL_EXAMPLES, run_cli, seed_path
from linter.importer import import_text
from linter.importer.clean import clean_lines
from linter.importer.numbers import segmentations, split_words, tokenize_tail
from linter.importer.tables import split_header
from linter.parsing.builder import parse_report

SEEDS = {
    "000_3cdce0f130d07e45.txt": ("budsjett", "Bjerke", 2026),
    "001_46d2a15018328a56.txt": ("årsberetning", "Vestre Aker", 2024),
    "002_4fd001b7b407f4d9.txt": ("årsberetning", "Grünerløkka", 2024),
    "004_bbfe1d3ccb16203e.txt": ("årsberetning", "Sagene", 2024),
}

ECONOMY = """Årsberetning 2024 Bydel Testby

1. Innledning
Årsberetningen er bydelens tilbakemelding til byrådet.

3. Måloppnåelse og resultater
3.1 Bydelens totale ressursinnsats
3.1.1 Bydelens totale ressursinnsats – driftsregnskapet
Tabell 0.1 Brutto driftsutgifter i 1000 kr.

Brutto driftsutgifter
Regnskap

2023

Oppr.
budsjett

2024

Regulert
budsjett

2024
Regnskap
2024

Avvik
reg.bud/regn-

skap 2024
Funksjonsområde 1 85 077 85 802 91 505 92 962 -1 457
Funksjonsområde 2A 804 218 784 253 792 000 836 134 -44 134
82 • Årsberetning 2024 • Bydel Testby
Funksjonsområde 3 884 163 869 268 869 824 915 353 -45 529
Sum brutto utgifter, drift 1 773 458 1 739 323 1 753 329 1 844 449 -91 120
Funk.omr. 4, Sosiale tjenester 567 156 566 093 608 564 661 997 -53 433
og ytelser (brutto utg.)
Sum brutto utgift +
sosialhjelp 2 340 614 2 305 416 2 361 893 2 506 446 -144 553
Side 10 av 93
"""


def _table(report, caption_start: str):
    return next(t for t in report.tables if t.caption and t.caption.text.startswith(caption_start))


# ---------------------------------------------------------------- numbers
def test_grouping_reads_only_valid_numbers():
    start, toks = tokenize_tail("0 år 989 1 094 882 974 11,99 11,7".split())
    assert start == 2
    assert segmentations(tuple(toks), 6, 0) == [(0, ("989", "1 094", "882", "974", "11,99", "11,7"))]


def test_function_code_ambiguity_is_enumerated():
    _, toks = tokenize_tail("9 912 201".split())
    readings = {cells for _, cells in segmentations(tuple(toks), 2, 0)}
    assert readings == {("9 912", "201"), ("9", "912 201")}


def test_wide_gap_is_a_cell_boundary():
    words, gaps = split_words("Funksjonsområde 1 49 377  88 800  57 750")
    start, toks = tokenize_tail(words, gaps)
    assert segmentations(tuple(toks[-6:]), 3, 0) == [(0, ("49 377", "88 800", "57 750"))]


def test_split_header_joins_wrapped_column_titles():
    label, cols = split_header("Brutto driftsutgifter Regnskap 2023 Oppr. Budsjett 2024 Regulert budsjett 2024 "
                               "Regnskap 2024 Avvik reg.bud/regn- skap 2024".split())
    assert label == "Brutto driftsutgifter"
    assert cols == ["Regnskap 2023", "Oppr. Budsjett 2024", "Regulert budsjett 2024", "Regnskap 2024",
                    "Avvik reg.bud/regn-skap 2024"]


# ---------------------------------------------------------------- clean-up
def test_footers_and_doubled_blank_lines_are_removed():
    body = "\n".join(f"Linje {n} i teksten\u202fher" for n in range(30))
    doubled = body.replace("\n", "\n\n") + "\n\nØkonomiplan for 2026-2029\n\nSide 10 av 93\n\nMer tekst\n\nØkonomiplan for 2026-2029\n\nSide 11 av 93\n"
    lines, stats = clean_lines(doubled)
    texts = [l.text for l in lines]
    assert stats.doubled_blank_lines
    assert not any("Side 1" in t or "Økonomiplan" in t for t in texts)
    assert "" not in texts[:30]  # the extractor's blank after every line is gone
    assert texts[0] == "Linje 0 i teksten her"  # U+202F read as a space


# ---------------------------------------------------------------- economy table
def test_economy_table_split_with_formula_and_sums():
    result = import_text(ECONOMY, "testby.txt")
    report = parse_report(result.text)
    table = _table(report, "Tabell 0.1")
    assert table.type == "økonomi" and table.unit == "1000 kr"
    assert table.columns[1:] == ["Regnskap 2023", "Oppr. budsjett 2024", "Regulert budsjett 2024", "Regnskap 2024",
                                 "Avvik reg.bud/regn-skap 2024"]
    rows = {r.label: [c.text for c in r.cells[1:]] for r in table.rows}
    # "Funksjonsområde 3 884 163 …": the 3 belongs to the label; the grouping is settled by the sum row.
    assert rows["Funksjonsområde 3"] == ["884 163", "869 268", "869 824", "915 353", "-45 529"]
    assert rows["Funksjonsområde 2A"] == ["804 218", "784 253", "792 000", "836 134", "-44 134"]
    # Label wrapped after its figures, and the next label wrapped before them.
    assert "Funk.omr. 4, Sosiale tjenester og ytelser (brutto utg.)" in rows
    assert "Sum brutto utgift + sosialhjelp" in rows
    assert result.summary.ambiguous == []
    assert result.summary.footers_dropped == 2
    assert "Side 10" not in result.text and "•" not in result.text
    assert report.front_matter.get("bydel") == "Testby" and report.year == 2024
    assert [s.number for s in report.sections()] == ["1.", "3.", "3.1", "3.1.1"]


def test_row_that_cannot_be_settled_is_kept_raw_with_a_marker():
    # No sum row and no Avvik column: "1 200 300 400" can be 1 200 | 300 400 or 1 200 300 | 400.
    text = ("Årsberetning 2024 Bydel Testby\n\n1. Innledning\n\nAntall Resultat 2023 Resultat 2024\n"
            "Besøk 12 30\nBrukere 1 200 300 400\nMøter 7 9\n")
    result = import_text(text, "x.txt")
    report = parse_report(result.text)
    assert [a.line for a in result.summary.ambiguous] == [7]
    assert "<!-- rapportlint-import: tvetydig rad (linje 7 i uttrekket)" in result.text
    assert "\nBrukere 1 200 300 400\n" in result.text
    table = report.tables[0]
    assert [r.label for r in table.rows] == ["Besøk", "Møter"]


def test_function_adjustment_table_reads_function_codes_checked_by_sum():
    text = """Årsberetning 2024 Bydel Testby

3.3 Funksjonsområde 2A: Barnehager
201 Barnehage 1 2 3 4 -1
211 Styrket tilbud 1 2 3 4 -1
Sum netto utgifter 2 4 6 8 -2

Funksjon Beskrivelse Funksjons-
område
700 431  FO2A Barnehager - opprinnelig vedtatt ramme  FO2A
9 912 201
Komm.dir sak 1 av 15/2 - Komp. redusert foreldrebetaling og gratis
kjernetid  FO2A
3 136 211
Komm.dir sak 8 av 10/4 - Styrke språkutviklingen  FO2A
713 479 Sum
"""
    report = parse_report(import_text(text, "x.txt").text)
    ramme = next(t for t in report.tables if t.type == "ramme")
    got = [[c.text for c in r.cells] for r in ramme.rows]
    assert got[0] == ["700 431", "", "FO2A Barnehager - opprinnelig vedtatt ramme", "FO2A"]
    assert got[1][:2] == ["9 912", "201"]
    assert got[1][2].endswith("gratis kjernetid")
    assert got[2][:2] == ["3 136", "211"]
    assert got[-1][0] == "713 479"


# ---------------------------------------------------------------- checklists and verbalvedtak
def test_checklist_answers_on_their_own_line_at_line_end_and_before_comment():
    text = """Årsberetning 2024 Bydel Testby

4.18 Rapportering jodberedskap
Jodberedskap Kryss av Kommentar
Jodberedskap – dagtid:
Ansvar, rutiner og prosedyrer m.m. er
implementert og løpende følges opp i bydelen.

Ja

Jodberedskap – dagtid:
Det er forhåndslagret jodtabletter i alle barnehager. X
Jodberedskap – fritidsberedskap:
Bydelen har inngått avtale med tilstrekkelig
antall skoler.

Nei Avtalen er under arbeid
med to skoler.

Jodberedskap – jodtabletter:
Jodtablettene lagres i henhold til gjeldende bestemmelser.
Eventuelle ytterligere kommentarer:
"""
    report = parse_report(import_text(text, "x.txt").text)
    table = next(t for t in report.tables if t.type == "sjekkliste")
    assert table.columns == ["Jodberedskap", "Kryss av", "Kommentar"]
    answers = [(r.cells[1].text, r.cells[2].text) for r in table.rows]
    assert answers == [("Ja", ""), ("X", ""), ("Nei", "Avtalen er under arbeid med to skoler."), ("", "")]
    assert table.rows[0].label.startswith("Jodberedskap – dagtid: Ansvar")


def test_verbalvedtak_codes_titles_and_utkvittering():
    text = """Årsberetning 2024 Bydel Testby

6 Oppfølging av verbalvedtak og flertallsmerknader
6.1 Utkvittering av bystyrets verbalvedtak og merknader

Helse og omsorg Bydelens kommentar

H3/2024  Fagdekning hjemmesykepleie (85%)

Hjemmetjenesten legger til rette for helsefagarbeidere.

H69/2019

Ulike aktivitets- og arbeidstilbud

Bydelen har tilbudet Kastanjen.

H67/2020  Kompensasjon for tomgangsleie i Omsorg+ Fulgt opp.
"""
    report = parse_report(import_text(text, "x.txt").text)
    table = next(t for t in report.tables if t.type == "verbalvedtak")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["", "Helse og omsorg", ""]
    assert rows[1] == ["H3/2024", "Fagdekning hjemmesykepleie (85%)", "Hjemmetjenesten legger til rette for helsefagarbeidere."]
    assert rows[2] == ["H69/2019", "Ulike aktivitets- og arbeidstilbud", "Bydelen har tilbudet Kastanjen."]
    assert rows[3] == ["H67/2020", "Kompensasjon for tomgangsleie i Omsorg+", "Fulgt opp."]


# ---------------------------------------------------------------- headings
def test_headings_split_wrapped_and_not_list_items():
    text = """Årsberetning 2024 Bydel Testby
 1. Innledning
Tekst.
2
Situasjonsbeskrivelse og utfordringer i sektoren
1. Bydelen skal prioritere dette.
2.1. Organisasjon/bemanning
3.2.5 Mål, tiltak og resultatindikatorer, samt nøkkeltall for
tjenesteproduksjon
Tekst om mål.
"""
    report = parse_report(import_text(text, "x.txt").text)
    got = [(s.number, s.title) for s in report.sections()]
    assert got == [
        ("1.", "Innledning"),
        ("2", "Situasjonsbeskrivelse og utfordringer i sektoren"),
        ("2.1.", "Organisasjon/bemanning"),
        ("3.2.5", "Mål, tiltak og resultatindikatorer, samt nøkkeltall for tjenesteproduksjon"),
    ]


def test_text_that_looks_like_markup_is_escaped():
    text = "Årsberetning 2024 Bydel Testby\n\n1. Innledning\n# ikke en overskrift\n| ikke en tabell\n: ikke en tekst\n<!-- ikke\n"
    result = import_text(text, "x.txt")
    report = parse_report(result.text)
    assert [s.title for s in report.sections()] == ["Innledning"]
    assert report.tables == []


# ---------------------------------------------------------------- the real seeds
@pytest.fixture(scope="module")
def seed_imports():
    cache = {}

    def get(name):
        if name not in cache:
            path = seed_path(name)
            cache[name] = import_text(path.read_text(encoding="utf-8"), name)
        return cache[name]

    return get


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_imports_and_parses(seed_imports, name):
    result = seed_imports(name)
    report = parse_report(result.text, name)
    kind, district, year = SEEDS[name]
    assert (report.kind, report.district, report.year) == (kind, district, year)
    summary = result.summary
    # Vestre Aker really lacks 3.1 and 3.2.1 (numbering mistakes the notes catalogue).
    assert summary.template_sections_found >= summary.template_sections_required - 2
    economy = [t for t in report.tables if t.type == "økonomi"]
    assert len(economy) >= 7
    assert summary.rows_structured > 150
    # Every ambiguous row is in the output with its marker.
    assert result.text.count("rapportlint-import: tvetydig rad") == len(summary.ambiguous)


def test_grunerlokka_tables_match_the_seed(seed_imports):
    report = parse_report(seed_imports("002_4fd001b7b407f4d9.txt").text)
    t01 = _table(report, "Tabell 0.1 Brutto")
    rows = {r.label: [c.text for c in r.cells[1:]] for r in t01.rows}
    assert rows["Funksjonsområde 3"] == ["884 163", "869 268", "869 824", "915 353", "-45 529"]
    assert rows["Sum brutto utgift + sosialhjelp"] == ["2 672 664", "2 613 156", "2 679 893", "2 858 572", "-178 679"]
    ramme = next(t for t in report.tables if t.type == "ramme" and any(r.cells[1].text == "201" for r in t.rows))
    first = [[c.text for c in r.cells[:2]] for r in ramme.rows[:3]]
    assert first == [["700 431", ""], ["6 638", "201/211"], ["9 912", "201"]]


def test_real_mistakes_found_after_import(tmp_path, seed_imports):
    """The catalogued mistakes the current rules can see, found on the imported seeds."""
    expected = {
        "001_46d2a15018328a56.txt": [("V403", "H69/2019"), ("K302", "Jodberedskap"), ("S106", "Miljø- og klimaarbeid"),
                                     ("F605", "vedlegg")],
        "002_4fd001b7b407f4d9.txt": [("S107", "i malen er den 3.1.1"), ("S106", "Merknader for kommunerevisjonen"),
                                     ("F605", "vedlegg")],
        "004_bbfe1d3ccb16203e.txt": [("S1", "")],
        "000_3cdce0f130d07e45.txt": [("S101", "Måltabell"), ("S106", "Budjsettpremisser")],
    }
    import json

    for name, wanted in expected.items():
        path = tmp_path / (name + ".md")
        path.write_text(seed_imports(name).text, encoding="utf-8")
        proc = run_cli("check", "--format", "json", str(path))
        assert proc.returncode in (0, 1), proc.stderr.decode()
        findings = json.loads(proc.stdout)
        text = [(f["code"], f["message"]) for f in findings["findings"]]
        for code, fragment in wanted:
            assert any(c.startswith(code) and fragment.lower() in m.lower() for c, m in text), (name, code, fragment)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_perturbed_seed_chapters_import(name):
    """No per-seed special cases: each chapter alone, and the whole with footers moved about,
    still imports into a file that parses."""
    text = seed_path(name).read_text(encoding="utf-8")
    lines = text.split("\n")
    rng = random.Random(name)
    footer = "Side {} av 93"
    for _ in range(15):
        lines.insert(rng.randrange(len(lines)), footer.format(rng.randrange(1, 93)))
    shuffled = "\n".join(lines)
    report = parse_report(import_text(shuffled, name).text)
    assert "Side " not in "".join(t.text for t in report.tables for r in t.rows for t in [r.cells[0]])
    cuts = [i for i, line in enumerate(text.split("\n")) if re.match(r"^\s?\d\.?\s+[A-ZÆØÅ]", line)]
    cuts = cuts + [len(text.split("\n"))]
    parts = text.split("\n")
    for a, b in zip(cuts, cuts[1:]):
        chunk = "\n".join(parts[a:b])
        parse_report(import_text(chunk, "kapittel.txt").text)


# ---------------------------------------------------------------- command line
def test_cli_import_txt_summary_and_no_overwrite(tmp_path):
    source = tmp_path / "testby.txt"
    source.write_text(ECONOMY, encoding="utf-8")
    out = tmp_path / "testby.md"
    proc = run_cli("import", str(source), "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    stdout = proc.stdout.decode()
    assert "seksjoner: 4" in stdout and "tabeller: 1" in stdout and "tabellrader strukturert: 6" in stdout
    assert "linjer beholdt som råtekst" in stdout
    before = out.read_text(encoding="utf-8")
    again = run_cli("import", str(source), "-o", str(out))
    assert again.returncode == 2 and "--force" in again.stderr.decode()
    assert out.read_text(encoding="utf-8") == before
    forced = run_cli("import", str(source), "-o", str(out), "--force")
    assert forced.returncode == 0
    check = run_cli("check", str(out))
    assert check.returncode in (0, 1) and b"Traceback" not in check.stderr


def test_cli_import_missing_input(tmp_path):
    proc = run_cli("import", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and b"finnes ikke" in proc.stderr


def _make_pdf(path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("Helvetica", size=9)
    pages = [ECONOMY.split("Tabell 0.1")[0].split("\n"), ("Tabell 0.1" + ECONOMY.split("Tabell 0.1")[1]).split("\n")]
    for page in pages:
        pdf.add_page()
        for line in page:
            if line.strip() and not line.startswith(("Side", "82 •")):
                pdf.cell(0, 5, line.replace("–", "-").replace("•", "-"), new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 5, f"Side {pdf.page_no()} av 2", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_cli_import_pdf_end_to_end(tmp_path):
    pytest.importorskip("pdfminer")
    source = tmp_path / "testby.pdf"
    _make_pdf(source)
    proc = run_cli("import", str(source))
    assert proc.returncode == 0, proc.stderr.decode()
    report = parse_report((tmp_path / "testby.md").read_text(encoding="utf-8"))
    table = _table(report, "Tabell 0.1")
    rows = {r.label: [c.text for c in r.cells[1:]] for r in table.rows}
    assert rows["Funksjonsområde 3"] == ["884 163", "869 268", "869 824", "915 353", "-45 529"]
    assert "Side 1 av 2" not in report.source


def test_cli_import_pdf_without_the_extra(tmp_path):
    source = tmp_path / "x.pdf"
    source.write_bytes(b"%PDF-1.4\n")
    # Hide pdfminer from the child process.
    block = tmp_path / "block"
    (block / "pdfminer").mkdir(parents=True)
    (block / "pdfminer" / "__init__.py").write_text("raise ImportError('blocked for the test')\n")
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = dict(os.environ, PYTHONPATH=f"{block}{os.pathsep}{ROOT}")
    proc = subprocess.run([sys.executable, "-m", "linter", "import", str(source)], capture_output=True, env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert b"rapportlint[pdf]" in proc.stderr and b"Traceback" not in proc.stderr


def test_rammeoversikt_label_ending_in_a_year_is_not_an_amount():
    from linter.importer.tables import read_amount_list

    text = "\n".join([
        "Beskrivelse tiltak Tiltak Avdeling 2026",
        "Konsekvensjustert ramme 159 268",
        "Omstillingstiltak:",
        "Forventet mindreforbruk på flyktningeområdet i",
        "2026",
        " Bydel Bjerke -1 500",
        "Omstillingstiltak:",
        "Midlertidig reduksjon i bemanning ved NAV",
        "Bjerke 2026",
        " Bydel Bjerke -1 200",
        "Økonomiplan",
        "Sum Innsparingstiltak -2 700",
        "Ramme 2026-2029 156 568",
    ])
    lines, _ = clean_lines(text)
    table = read_amount_list(lines, 0, len(lines))
    rows = [(r[0], r[2], r[3]) for r in table.rows]
    assert rows == [
        ("Konsekvensjustert ramme", "", "159 268"),
        ("Omstillingstiltak: Forventet mindreforbruk på flyktningeområdet i 2026", "Bydel Bjerke", "-1 500"),
        ("Omstillingstiltak: Midlertidig reduksjon i bemanning ved NAV Bjerke 2026", "Bydel Bjerke", "-1 200"),
        ("Sum Innsparingstiltak", "", "-2 700"),
        ("Ramme 2026-2029", "", "156 568"),
    ]
