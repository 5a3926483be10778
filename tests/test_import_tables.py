"""`rapportlint import`: tables of figures the arithmetic and the layout settle.

Each synthetic extract shows one way a district's PDF text prints a table (a column title's
year on a line of its own, two whole tables one after the other, an empty cell shown only by
the layout, a header whose words do not split into columns, …) and asserts the import cell by
cell. The measured test at the end reads the real seeds (../shared) and skips without them."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import REAL_EXAMPLES, ROOT, seed_path
from linter.importer import import_text
from linter.importer.numbers import cell_counts, segmentations, tokenize_tail
from linter.importer.tables import split_header, split_header_lines, split_super_header
from linter.parsing.builder import parse_report

HEAD = "Årsberetning 2024 Bydel Testby\n\n3. Måloppnåelse og resultater\n3.7 Funksjonsområde 4 Sosiale tjenester\n"
FO_HEADER = """Netto driftsutgifter pr.
KOSTRA-funksjon

Regnskap
2023

Oppr.
Budsjett

2024

Regulert
budsjett

2024
Regnskap

2024

Avvik reg.bud
- regnskap

2024
"""


def _tables(text: str):
    result = import_text(text, "testby.txt")
    report = parse_report(result.text)
    return result, report, [[[c.text for c in r.cells] for r in t.rows] for t in report.tables]


def test_year_line_ending_a_column_title_is_header_not_a_row():
    text = HEAD + """Tabell med fordeling av avvik på øremerkede midler og ordinær drift Tall i 1000 kr

Netto driftsutgifter pr. KOSTRA-funksjon

Avvik
reg.bud/
regnskap

2024

Avvik
ørmerkede

midler
2024

Avvik
ordinær

drift 2024
201 Barnehage 2 921 2 650 272
211 Styrket tilbud til førskolebarn 2 388 0 2 388
221 Barnehagelokaler og skyss 74 0 74
Sum netto utgifter *) 5 383 2 650 2 733
"""
    result, report, tables = _tables(text)
    assert report.tables[0].columns[1:] == ["Avvik reg.bud/ regnskap 2024", "Avvik ørmerkede midler 2024",
                                            "Avvik ordinær drift 2024"]
    assert tables[0][0] == ["201 Barnehage", "2 921", "2 650", "272"]
    assert result.summary.ambiguous == []


def test_two_whole_tables_with_their_own_totals_stay_two():
    """"Sum FO4B" and then "Sum FO4C" under the same header: not one table over a page break.
    Each takes its fo= from its sum row (a part of the section's funksjonsområde 4)."""
    text = HEAD + "Tall i 1000 kr\n\n" + FO_HEADER + """276 Kvalifiseringsordningen 24 580  28 491 28 698 25 825 2 873
Sum FO4B *) 24 580 28 491 28 698 25 825 2 873

Tall i 1000 kr

""" + FO_HEADER + """281 Ytelser til livsopphold 135 294  129 924 145 404 150 432 -5 028
Sum FO4C *) 135 294 129 924 145 404 150 432 -5 028

4. Særskilt rapportering
"""
    _, report, tables = _tables(text)
    economy = [t for t in report.tables if t.type == "økonomi"]
    assert len(economy) == 2
    assert [t.caption.attributes.get("fo") for t in economy] == ["4B", "4C"]
    assert tables[1][0] == ["281 Ytelser til livsopphold", "135 294", "129 924", "145 404", "150 432", "-5 028"]


def test_table_continued_without_its_total_is_still_joined():
    text = HEAD + "Tall i 1000 kr\n\n" + FO_HEADER + """242 Råd og veiledning 61 474 42 747 62 330 56 793 5 537
243 Tilbud til personer med rusproblemer 31 339 16 719 17 730 10 081 7 649

Tall i 1000 kr

""" + FO_HEADER + """273 Arbeidsrettede tiltak 10 512 10 957 11 763 11 174 589
Sum FO4A *) 103 325 70 423 91 823 78 048 13 775
"""
    _, report, tables = _tables(text)
    assert sum(1 for t in report.tables if t.type == "økonomi") == 1
    assert len(tables[0]) == 4


def test_placeholder_only_row_goes_to_the_computed_column_and_the_sum_still_reads_the_rest():
    text = HEAD + "Tall i 1000 kr\n\n" + FO_HEADER + """213 Voksenopplæring

-
242 Råd, veiledning og sosialt
forebyggende arbeid 61 474 42 747 62 330 56 793 5 537
265 Kommunalt disponerte
boliger 10 447 816 1 607 9 862 -8 255
Sum FO4A *) 71 921 43 563 63 937 66 655 -2 718
"""
    result, _, tables = _tables(text)
    assert tables[0][0] == ["213 Voksenopplæring", "", "", "", "", "-"]
    # "10 | 447 816 | …" also satisfies Avvik; the sum row settles it.
    assert tables[0][2] == ["265 Kommunalt disponerte boliger", "10 447", "816", "1 607", "9 862", "-8 255"]
    assert result.summary.ambiguous == []


def test_empty_cell_placed_by_the_layout_when_the_arithmetic_ties():
    """"0 0 332 -332" for five columns: the blank may be Regnskap 2023 or Oppr. budsjett, and
    every sum holds either way (both are nothing). A line of only spaces between the label and
    the figures shows the empty cell comes first; a wider gap shows where one is inside."""
    text = HEAD + "Tall i 1000 kr\n\n" + FO_HEADER + """100 Politisk styring 504  1 255 1 255 1 521 -266

110 Kontroll og revisjon
 

0 0 332 -332
180 Div. fellesutgifter 1 0 0  0
Sum netto utgifter *) 505 1 255 1 255 1 853 -598
"""
    result, _, tables = _tables(text)
    assert tables[0][1] == ["110 Kontroll og revisjon", "", "0", "0", "332", "-332"]
    assert tables[0][2] == ["180 Div. fellesutgifter", "1", "0", "0", "", "0"]
    assert result.summary.ambiguous == []


def test_without_a_layout_hint_the_tie_stays_raw_with_its_readings():
    text = HEAD + "Tall i 1000 kr\n\n" + FO_HEADER + """100 Politisk styring 504  1 255 1 255 1 521 -266
110 Kontroll og revisjon 0 0 332 -332
Sum netto utgifter *) 504 1 255 1 255 1 853 -598
"""
    result, _, tables = _tables(text)
    assert [a.line for a in result.summary.ambiguous] == [text.split("\n").index("110 Kontroll og revisjon 0 0 332 -332") + 1]
    assert "måter" in result.text and "tvetydig rad" in result.text


ENHET_HEADER = """Enhet
Opprinnelig

budsjett
Justert

budsjett
Regnskap

2024
Avvik

Særskilt
øremerkede

midler

Resultat
2024
"""


def test_header_rebuilt_from_its_lines_to_the_width_of_the_rows():
    """"Avvik" / "Særskilt øremerkede midler" are two titles though "Avvik" usually goes on
    ("Avvik reg.bud"): the rows' width says so."""
    text = HEAD + "Per enhet fremstår resultatet slik (i tusen kroner):\n\n" + ENHET_HEADER + """
Psykisk helse, avh.og
mestring 91 397 92 387 107 398 -15 012 330 -15 342
Helsestasjon og legesenter 38 700 45 759 47 365 -1 606 0 -1 606
Nav 271 583 309 851 282 275 27 576 1 124 26 453

Sum 401 680 447 997 437 038 10 958 1 454 9 505
"""
    result, report, tables = _tables(text)
    assert report.tables[0].columns == ["Enhet", "Opprinnelig budsjett", "Justert budsjett", "Regnskap 2024", "Avvik",
                                        "Særskilt øremerkede midler", "Resultat 2024"]
    assert report.tables[0].type == "økonomi"
    assert tables[0][0] == ["Psykisk helse, avh.og mestring", "91 397", "92 387", "107 398", "-15 012", "330", "-15 342"]
    assert result.summary.ambiguous == []


def test_one_row_table_width_chosen_by_the_packs_relations():
    """One row and no sum: the header's lines group into five or six titles; only with six do
    the pack's relations hold for exactly one reading (Avvik = Justert (= Regulert, a pack
    synonym) − Regnskap; Resultat = Avvik − Særskilt øremerkede midler). The sentence ending
    in ":" above is not part of the header."""
    text = HEAD + "Følgende resultat meldes for de ulike enhetene i 2024:\n\n" + ENHET_HEADER + """
Ungdomstiltakene 17 372 20 480 20 036 444 1 163 -719

Prosentavvik mellom resultat 2024 og justert budsjett er -3,5 %.
"""
    _, report, tables = _tables(text)
    assert report.tables[0].columns[0] == "Enhet"
    assert tables[0] == [["Ungdomstiltakene", "17 372", "20 480", "20 036", "444", "1 163", "-719"]]
    assert "Følgende resultat meldes" in report.source


def test_split_header_lines_soft_boundaries_only_when_needed():
    lines = ["Enhet", "Opprinnelig", "budsjett", "Regnskap", "2024", "Avvik", "Særskilt", "øremerkede", "midler"]
    assert split_header_lines(lines, 3) == ("Enhet", ["Opprinnelig budsjett", "Regnskap 2024",
                                                      "Avvik Særskilt øremerkede midler"])
    assert split_header_lines(lines, 4)[1][-2:] == ["Avvik", "Særskilt øremerkede midler"]
    assert split_header_lines(lines, 6) is None


def test_label_title_with_years_and_plan_and_prognosis_tables():
    assert split_header("Økonomiplan (i mill kr) 2023 2024 2025 2026".split()) == (
        "Økonomiplan (i mill kr)", ["2023", "2024", "2025", "2026"])
    text = HEAD + """Endringene fra siste prognose per område (i millioner kr):

Prognoser/resultat pr område 2024 NOV DES Endring
NOV-DES

Møllehjulet bosenter -1,3 -1,1 0,1
Ambulant team 1,2 1,0 -0,2
FACT 0,1 0,1 0,0
"""
    _, report, tables = _tables(text)
    assert report.tables[0].columns == ["Prognoser/resultat pr område 2024", "NOV", "DES", "Endring NOV-DES"]
    assert report.tables[0].type == "økonomi"
    assert tables[0][0] == ["Møllehjulet bosenter", "-1,3", "-1,1", "0,1"]


def test_amounts_of_one_row_are_of_one_magnitude():
    """"224 861 206 000 247 550 276 073 -28 523": "224 | 861 206 000 | …" satisfies Avvik too,
    and the sum row repeats the row; the amount columns are versions of one amount."""
    text = HEAD + "Tall i 1000 kr\n\n" + FO_HEADER + """281 Ytelser til livsopphold 224 861 206 000 247 550 276 073 -28 523
Sum FO4C *) 224 861 206 000 247 550 276 073 -28 523
"""
    result, _, tables = _tables(text)
    assert tables[0][1] == ["Sum FO4C *)", "224 861", "206 000", "247 550", "276 073", "-28 523"]
    assert result.summary.ambiguous == []


def test_cell_counts_agree_with_the_search():
    for line in ["224 861 206 000 247 550 276 073 -28 523", "1 0 0 0", "0 5 * 7,5 % 1 083", "12 094 281"]:
        _, toks = tokenize_tail(line.split())
        toks = tuple(toks)
        assert cell_counts(toks) == {k for k in range(1, 12) if segmentations(toks, k, 0, limit=1)}


BUDGET_HEAD = "Budsjett 2026 Bydel Testby\nØkonomiplan 2026-2029\n\nBudsjettvedtak\n\n"
KOSTRA_HEADER = "KOSTRA-funksjon, kontotype Regn 2024 Oppr. bud\n\n2025\n\nRev. bud 2025 Øk.plan 2026\n\n"


def test_header_printed_again_after_a_page_break_is_not_a_label():
    text = BUDGET_HEAD + KOSTRA_HEADER + """Driftsutgifter 6 383 5 428 5 573 5 703
Driftsinntekter -1 174 -568 -568 -582
Sum 233 - Annet forebyggende helsearbeid 5 209 4 860 5 005 5 121
""" + KOSTRA_HEADER + """Driftsutgifter 75 773 77 575 77 833 81 532
Driftsinntekter -9 277 -9 611 -9 611 -9 851
Sum 234 - Aktiviseringstjenester 66 496 67 964 68 222 71 681
"""
    _, _, tables = _tables(text)
    rows = [r for t in tables for r in t]
    assert ["Driftsutgifter", "75 773", "77 575", "77 833", "81 532"] in rows
    assert not any("KOSTRA" in r[0] for r in rows)


def test_coded_label_wrapped_above_its_figures_and_a_gap_inside_a_number():
    """"11 - Kjøp av varer …" / "egenproduksjon" / "0 0 0 15 501": the first row, not header;
    "14 -" / "Overføringsutgifter 20 0 0 0": one label; "1  557 728": one number when the row
    reads no other way (a wide gap is only a hint in a text extract)."""
    text = BUDGET_HEAD + """Funksjonsområde, kontogruppe, kontotype Regn 2024 Oppr. bud 2025 Rev. bud 2025 Øk.plan 2026

11 - Kjøp av varer og tjenester som inngår i kommunal

egenproduksjon

0 0 0 15 501
14 -
Overføringsutgifter 20 0 0 0
Konsekvensjustert ramme 1 557 591 1 557 728 1 557 728 1  557 728
"""
    _, report, tables = _tables(text)
    assert report.tables[0].columns[1:] == ["Regn 2024", "Oppr. bud 2025", "Rev. bud 2025", "Øk.plan 2026"]
    assert tables[0][0] == ["11 - Kjøp av varer og tjenester som inngår i kommunal egenproduksjon", "0", "0", "0", "15 501"]
    assert tables[0][1] == ["14 - Overføringsutgifter", "20", "0", "0", "0"]
    assert tables[0][2] == ["Konsekvensjustert ramme", "1 557 591", "1 557 728", "1 557 728", "1 557 728"]


INVESTMENT_HEADER = """Prosjektnavn
Prosjekt-
nummer

Arts-
gruppe

Bystyre-
vedtatt
ferdig
(kv/år)

Faktisk/
forventet

ferdig
(kv/år)

Dok 3
2024

Regulert
budsjett

2024 (inkl.
y.disp- fra

2023)
Regnskap

2024
Avvik  (VII-

VIII) Kommentarer/årsak til avvik
"""


def test_investment_table_amounts_placed_by_its_own_relation():
    """Avvik = VII − VIII places the amounts whose cells vanished ("31 0 31": Dok 3 empty;
    "369 000 369 000": Regnskap empty), completion dates go to their columns, names wrapped
    before their project line and comments after it stay whole."""
    text = HEAD.replace("3.7 Funksjonsområde 4 Sosiale tjenester", "3.1.2 Bydelens investeringer") + INVESTMENT_HEADER + """Barnehager inventar og utstyr 105073 000-599 04/25 31 0 31
Gangforbindelse Jerpefaret - \nGrindbakken skole 108064 000-599 04/25 157 0 157

Har vært uenighet med leverandør
knyttet til leveransen

Kjøp av el-biler 114023 000-599 Løpende Løpende 3024 3430 -406
HALLENPARKEN - \nOPPGRADERING 121023 2340 0 369 000 369 000
Parkøkologisk senter 11904819 1

   
-1 473 000 555 653

-2 028
653
Sum kap.007 Bydel Testby -1 063 000 -1 234 070 171 070
* Budsjett- og regnskapstall skal kun være sum finansieringsbehov.
"""
    text = text.replace("\\n", "\n")
    result, report, tables = _tables(text)
    table = next(t for t in report.tables if t.columns[0] == "Prosjektnavn")
    assert table.type == "økonomi" and len(table.columns) == 10
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Barnehager inventar og utstyr", "105073", "000-599", "", "04/25", "", "31", "0", "31", ""]
    assert rows[1][0] == "Gangforbindelse Jerpefaret - Grindbakken skole"
    assert rows[1][-1] == "Har vært uenighet med leverandør knyttet til leveransen"
    assert rows[2][3:9] == ["Løpende", "Løpende", "", "3024", "3430", "-406"]
    assert rows[3][5:9] == ["0", "369 000", "", "369 000"]
    assert rows[4][6:9] == ["-1 473 000", "555 653", "-2 028 653"]
    assert rows[5][0] == "Sum kap.007 Bydel Testby" and rows[5][6:9] == ["-1 063 000", "-1 234 070", "171 070"]
    assert result.summary.ambiguous == []
    assert "* Budsjett- og regnskapstall" in report.source


def test_investment_name_broken_mid_word_is_joined_where_the_extract_marks_word_ends():
    text = HEAD + INVESTMENT_HEADER.replace("\n", " \n") + """SOFIENBERGPAR
KEN - 
OPPGRADERING 
STRØM 119061 2340 0 116 000 17 350 98 649 

KJØP AV NY 
DAGSENTERBUS
S 122079 2100 0 1 800 000 -298 836 2 098 836 
Sum kap.002 1 916 000 -281 486 2 197 485 
"""
    _, report, _ = _tables(text)
    table = next(t for t in report.tables if t.columns[0] == "Prosjektnavn")
    assert [r.label for r in table.rows] == ["SOFIENBERGPARKEN - OPPGRADERING STRØM", "KJØP AV NY DAGSENTERBUSS",
                                             "Sum kap.002"]


def test_investment_row_the_relation_does_not_settle_is_raw():
    text = HEAD + INVESTMENT_HEADER + """Prosjekt A 105073 000-599 04/25 31 0 31
Prosjekt B 105074 000-599 04/25 500 200 100
Sum kap.007 531 200 331
"""
    result, _, _ = _tables(text)
    assert [a.text for a in result.summary.ambiguous] == ["Prosjekt B 105074 000-599 04/25 500 200 100"]
    assert "ingen plassering av beløpene stemmer med Avvik = VII − VIII" in result.text


def test_function_adjustments_ungrouped_amount_div_and_hyphenated_description():
    text = """Årsberetning 2024 Bydel Testby

3.4 Funksjonsområde 2B: Barnevern
i 1000 kr Funksjon Beskrivelse

Funksjons-
område

167 832     FO2B Barnevern - opprinnelig vedtatt ramme   FO2B

 -686  252
Bystyrets sak 183 av 19/6 - Revidert budsjett 2024 - Ferie-
/deltidsjobber ung.   FO2B

1083  252
Byrådens sak 51 av 28/6 - Komp. for høye døgnpriser ved
institusjonsopphold   FO2B

758 div. Overførte tilskuddsmidler fra 2023 til 2024  FO2B

168 987     Sum
"""
    result, report, _ = _tables(text)
    ramme = next(t for t in report.tables if t.type == "ramme")
    got = [[c.text for c in r.cells] for r in ramme.rows]
    assert got[1] == ["-686", "252", "Bystyrets sak 183 av 19/6 - Revidert budsjett 2024 - Ferie-/deltidsjobber ung.", "FO2B"]
    assert got[2][:2] == ["1083", "252"]
    assert got[3][:3] == ["758", "div.", "Overførte tilskuddsmidler fra 2023 til 2024"]
    assert got[-1][0] == "168 987" and result.summary.ambiguous == []


def test_rammeoversikt_label_continued_after_a_page_break_and_hyphenated_words():
    from linter.importer.clean import clean_lines
    from linter.importer.tables import read_amount_list

    text = "\n".join([
        "Beskrivelse tiltak Tiltak Avdeling 2026",
        "Konsekvensjustert ramme 159 268",
        "Omstillingstiltak:", "Vurdering av BPA-", "vedtak under 25 timer", "pr uke", " Bydel Testby -2 000",
        "Tilleggsinnstilling", "Flytting", " Bydel Testby -4 429",
        "Økonomiplan for 2026-2029", "", "Side 68 av 93", "Økonomiplan",
        "Beskrivelse tiltak Tiltak Avdeling 2026",
        "integrerings1tilskudd", "mellom FO4AB og", "FO4C",
        "Tilleggsinnstilling", "Tilskudd til utviklings-", "og innovasjonsprogram", " Bydel Testby 1 490",
        "Ramme 2026-2029 154 329",
    ])
    lines, _ = clean_lines(text)
    table = read_amount_list(lines, 0, len(lines))
    assert [r[0] for r in table.rows] == [
        "Konsekvensjustert ramme",
        "Omstillingstiltak: Vurdering av BPA-vedtak under 25 timer pr uke",
        "Tilleggsinnstilling Flytting integrerings1tilskudd mellom FO4AB og FO4C",
        "Tilleggsinnstilling Tilskudd til utviklings- og innovasjonsprogram",
        "Ramme 2026-2029",
    ]


HMS_HEAD = "Årsberetning 2024 Bydel Testby\n\n4. Særskilt rapportering\nTabellen under viser tallene for bydelen i 2024.\n\n"


def test_gender_and_pay_balance_table_with_a_year_column_and_coded_labels(tmp_path):
    """Each category over two year rows; the year column has no title; "Stillingskategori 1"
    / "0058 Sykepleier" is one label; "1,011,100" one figure. The real mistake (32 % + 98 %)
    is reported by `check` after import."""
    from conftest import run_cli

    text = HMS_HEAD + """Kjønnsbalanse Lønnsbalanse

Kategori

Menn
%

Kvinner
%

Total
(N)

Menn
(kr)

Kvinner
(kr)

Kvinner andel
av menn %

Totalt i virksomheten 2024 32 98 2,486 497,613 532,842 107

2023 32 68 2,530 469,158 496,671 106

Toppleders ledergruppe
inkl. toppleder

2024 9 91 11 1,011,100 1,161,540 115

2023 27 73 15 1,069,975 1,103,382 103

Stillingskategori 1
0058 Sykepleier

2024 34 66 90 624,410 600,700 96

2023 37 63 90 605,245 586,689 97
"""
    result, report, tables = _tables(text)
    table = report.tables[0]
    assert table.caption.text == "Kjønnsbalanse Lønnsbalanse" and table.type == "nøkkeltall"
    assert table.columns == ["Kategori", "", "Menn %", "Kvinner %", "Total (N)", "Menn (kr)", "Kvinner (kr)",
                             "Kvinner andel av menn %"]
    assert tables[0][2] == ["Toppleders ledergruppe inkl. toppleder", "2024", "9", "91", "11", "1,011,100",
                            "1,161,540", "115"]
    assert tables[0][4][:2] == ["Stillingskategori 1 0058 Sykepleier", "2024"]
    assert tables[0][1][:2] == ["", "2023"] and result.summary.ambiguous == []
    path = tmp_path / "imported.md"
    path.write_text(result.text, encoding="utf-8")
    assert "summerer til 130 %" in run_cli("check", "--select", "A204", str(path)).stdout.decode()


def test_two_level_header_with_titles_repeating_under_upper_titles():
    text = HMS_HEAD + """Rapportering av fast ansatte på heltid og deltid

Alle
ansat
te
Heltid Deltid Ufrivillig deltid Midlertidig ansatte
Total
t
Tota
lt
Menn
%
Kvinne
r %
Tota
lt
Menn
%
Kvinn
er %
Tota
lt
Menn
%
Kvinne
r %
Tota
lt
Menn
%
Kvinne
r %

2024 1567 650 23,57 76,43 339 29,50 70,50 (N) % % 43 25,58 74,42

2023 1497 626 22,20 77,8 291 30,93 69,07 (N) % % 51 29,41 70,59
"""
    # Words end with a space in this extract; a word broken over lines does not.
    text = "\n".join(line if line in ("ansat", "Total", "Tota", "Kvinne", "Kvinn") or not line else line + " "
                     for line in text.split("\n"))
    _, report, tables = _tables(text)
    table = report.tables[0]
    assert table.caption.text == "Rapportering av fast ansatte på heltid og deltid"
    assert table.columns[1:5] == ["Alle ansatte Totalt", "Heltid Totalt", "Heltid Menn %", "Heltid Kvinner %"]
    assert table.columns[-3:] == ["Midlertidig ansatte Totalt", "Midlertidig ansatte Menn %",
                                  "Midlertidig ansatte Kvinner %"]
    assert tables[0][0] == ["2024", "1567", "650", "23,57", "76,43", "339", "29,50", "70,50", "(N)", "%", "%", "43",
                            "25,58", "74,42"]


def test_split_super_header_needs_the_repeats_to_add_up():
    from linter.importer.clean import clean_lines

    lines, _ = clean_lines("Heltid Deltid Ufrivillig deltid\nTotalt Menn % Totalt Menn % Totalt Menn %\n")
    assert split_super_header([l for l in lines if l.text], 6)[2] == [
        "Heltid Totalt", "Heltid Menn %", "Deltid Totalt", "Deltid Menn %", "Ufrivillig deltid Totalt",
        "Ufrivillig deltid Menn %"]
    assert split_super_header([l for l in lines if l.text], 7) is None


# ---------------------------------------------------------------- measured on the real seeds
def _measure():
    spec = importlib.util.spec_from_file_location("measure_import", ROOT / "scripts" / "measure_import.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("measure_import", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind,min_recall,min_precision", [("økonomi", 0.97, 0.995), ("ramme", 0.97, 0.99)])
def test_economy_and_ramme_cells_on_the_seeds(kind, min_recall, min_precision):
    measure = _measure()
    hit = produced = expected = 0
    for seed, example in measure.PAIRS.items():
        source = seed_path(seed).read_text(encoding="utf-8")
        mine = parse_report(import_text(source, seed).text)
        theirs = parse_report((ROOT / "examples" / example).read_text(encoding="utf-8"))
        a = measure.cells(measure.tables_by_type(mine).get(kind, []))
        b = measure.cells(measure.tables_by_type(theirs).get(kind, []))
        hit += sum((a & b).values())
        produced += sum(a.values())
        expected += sum(b.values())
    assert hit / expected >= min_recall, (hit, expected)
    assert hit / produced >= min_precision, (hit, produced)


def test_no_false_cross_table_finding_after_import(tmp_path):
    """A table the import cannot read must not make `check` report a sum across tables it
    could not see: the FO4 parts of Grünerløkka all read, so no A203 but the real one."""
    from linter.engine import CheckOptions, check_text
    from linter.rules.registry import all_rules

    source = seed_path("002_4fd001b7b407f4d9.txt").read_text(encoding="utf-8")
    text = import_text(source, "gl.txt").text
    result = check_text(text, "gl.md", CheckOptions(rules=[all_rules()["A203"]]))
    reported = sorted(str(f.details.get("reported")) for f in result.findings if f.code == "A203")
    example = check_text(REAL_EXAMPLES["grunerlokka"].read_text(encoding="utf-8"), "ex.md",
                         CheckOptions(rules=[all_rules()["A203"]]))
    assert reported == sorted(str(f.details.get("reported")) for f in example.findings if f.code == "A203")


def test_lone_percent_sign_after_a_figure_is_an_empty_percent_cell():
    """«1 % 100 %» under Totalt, Menn %, Kvinner %: the extract joins the lone «%» (an empty
    percent cell) to the figure before it, leaving one figure short. The reading that puts every
    percentage under a percent header is the table's, not one with an invented vanished cell."""
    text = HMS_HEAD + """Rapportering av fast ansatte på heltid og deltid

Heltid Deltid Ufrivillig deltid
Totalt Menn % Kvinner % Totalt Menn % Kvinner % Totalt Menn % Kvinner %

2024 946 23 % 77 % 1 % 100 % 247 28 % 72 %

2023 954 23 % 77 % 176 31 % 69 % 267 23 % 77 %
"""
    result, report, tables = _tables(text)
    assert tables[0][0] == ["2024", "946", "23 %", "77 %", "1", "%", "100 %", "247", "28 %", "72 %"]
    # and `check` reads the percent groups of the imported table without a false sum
    from linter.engine import CheckOptions, check_text
    from linter.rules.registry import select_rules

    findings = check_text(result.text, "testby.md", CheckOptions(rules=select_rules(["A204"], []))).findings
    assert [(f.severity.value, str(f.details.get("reported"))) for f in findings] == [("info", "%")]


def test_percent_group_pairs_repeated_headers_with_the_nearest_column():
    """Sub-headers repeated under group titles the table lost ("Menn %", "Kvinner %" twice): each
    «Menn %» makes 100 with the «Kvinner %» beside it, not with the first one in the table."""
    from linter.engine import CheckOptions, check_text
    from linter.rules.registry import select_rules

    text = """# Årsberetning 2024

: Heltid og deltid {#t-hd type=nøkkeltall}
| | Totalt | Menn % | Kvinner % | Totalt | Menn % | Kvinner % |
|---|---:|---:|---:|---:|---:|---:|
| 2024 | 946 | 23 % | 77 % | 202 | 28 % | 72 % |
| 2023 | 954 | 23 % | 77 % | 176 | 31 % | 60 % |
"""
    findings = check_text(text, "t.md", CheckOptions(rules=select_rules(["A204"], []))).findings
    assert [(f.severity.value, f.span.line) for f in findings] == [("error", 7)]
    assert "91 %" in findings[0].message_nb


def test_monthly_table_with_its_average_below_each_row_is_structured_and_its_sum_checked():
    """A monthly table whose «Snitt» is set below each row's figures (after a line of only
    spaces), under a title line and a label-column title, with a label ending in a number above
    figures of their own: 13 columns, every row whole, and `check` finds the sum's mistake (Mar)."""
    rows = [("Team A", "1 401 1 536 1 541 1 484 1 615 1 511 1 631 1 783 1 862 1 729 1 423 1 620", "1 595"),
            ("Team B og\nGate 61", "2 700 2 359 2 473 2 445 2 247 2 203 2 314 2 182 2 071 2 220 2 036 2 106", "2 280"),
            ("Natt", "179 135 148 154 155 148 150 154 150 171 140 91", "148"),
            ("Sum utførte timer", "4 280 4 030 4 262 4 083 4 017 3 862 4 095 4 119 4 083 4 120 3 599 3 817", "4 023")]
    body = "".join(f"{label}\n\n{figures}\n           \n\n{average}\n\n" for label, figures, average in rows)
    text = HEAD + ("\nHjemmetjenesten - hjemmesykepleie\n\n\nAntall utførte timer pr\nmnd\n\n"
                   "Jan Feb Mar Apr Mai Jun Jul Aug Sep Okt Nov Des  Snitt\n\n") + body
    result, report, tables = _tables(text)
    table = report.tables[0]
    assert table.columns[1:] == ["Jan", "Feb", "Mar", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Des",
                                 "Snitt"]
    assert [r[0] for r in tables[0]] == ["Team A", "Team B og Gate 61", "Natt", "Sum utførte timer"]
    assert tables[0][0][-1] == "1 595" and tables[0][2][1:3] == ["179", "135"]
    from linter.engine import CheckOptions, check_text
    from linter.rules.registry import select_rules

    findings = check_text(result.text, "testby.md", CheckOptions(rules=select_rules(["A201"], []))).findings
    assert [(f.details["column_header"], str(f.details["reported"])) for f in findings] == [("Mar", "4 262")]
