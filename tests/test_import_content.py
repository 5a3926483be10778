"""`rapportlint import` of the non-economy elements: verbalvedtak, answers to goals and
measures, checklists, indicator tables. Small synthetic extracts, one per capability, printed
the way the real reports' PDF text prints them."""

from __future__ import annotations

from linter.importer import import_text
from linter.parsing.builder import parse_report

HEAD = "Årsberetning 2024 Bydel Testby\n\n"


def _tables(text: str, kind: str):
    report = parse_report(import_text(HEAD + text, "x.txt").text)
    return [t for t in report.tables if t.type == kind]


def _rows(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def test_verbalvedtak_without_year_with_decision_text_and_answer_line():
    text = """6 Oppfølging av verbalvedtak og flertallsmerknader
6.1 Utkvittering av bystyrets verbalvedtak og merknader

H3 Fagdekning hjemmesykepleie
For helsetjenester i hjemmet skal andel autorisert helsepersonell være minimum 85 %.

Bydel Testby:
Fagdekningen er 81,6 % per 31. desember.

H7/2018 Skolehelsetilbud for ungdommer med kort botid eller tidligere skolegang i
Oslo
Byrådet bes sikre et godt skolehelsetilbud.

Bydel Testby:

Bydelen har ingen videregående skole.
K37 (R10)/2016 Åpenhet og ytringsfrihet
Alle ansatte skal kunne delta i offentlig debatt.
 Bydel Testby:
Det er etablert rutiner.
K2 /2016  Fagbrev for praksiskandidater Ivaretatt
6.2 Merknader fra kommunerevisjonen
Ingen merknader.
"""
    [table] = _tables(text, "verbalvedtak")
    assert _rows(table) == [
        ["H3", "Fagdekning hjemmesykepleie: For helsetjenester i hjemmet skal andel autorisert helsepersonell være minimum 85 %.",
         "Fagdekningen er 81,6 % per 31. desember."],
        ["H7/2018", "Skolehelsetilbud for ungdommer med kort botid eller tidligere skolegang i Oslo: Byrådet bes sikre et godt "
         "skolehelsetilbud.", "Bydelen har ingen videregående skole."],
        ["K37 (R10)/2016", "Åpenhet og ytringsfrihet: Alle ansatte skal kunne delta i offentlig debatt.", "Det er etablert rutiner."],
        ["K2 /2016", "Fagbrev for praksiskandidater", "Ivaretatt"],
    ]


def test_verbalvedtak_group_headings_and_answer_after_a_wide_gap():
    text = """6 Oppfølging av verbalvedtak og flertallsmerknader
6.1 Utkvittering av byrådets verbalvedtak og merknader

Helse og omsorg Bydelens kommentar

H32/2022

Krav om at søkere til stillinger skal beherske
norsk språk skriftlig og muntlig.  Krav til språkprøver er fulgt opp.

Oppvekst og utdanning

Bydelens kommentar

K8/2024
Ikke pålegge barnehager kjøttfri mat Fulgt opp
"""
    [table] = _tables(text, "verbalvedtak")
    assert _rows(table) == [
        ["", "Helse og omsorg", ""],
        ["H32/2022", "Krav om at søkere til stillinger skal beherske norsk språk skriftlig og muntlig.",
         "Krav til språkprøver er fulgt opp."],
        ["", "Oppvekst og utdanning", ""],
        ["K8/2024", "Ikke pålegge barnehager kjøttfri mat", "Fulgt opp"],
    ]


def test_local_verbalvedtak_codes_with_colon_and_answers_below_or_after_a_gap():
    text = """7 Vedlegg
7.1 Utkvittering av BU’s verbalvedtak for budsjett 2024

Verbalvedtak   Utkvittering

VO1: Ungdomstiltak  BU-møte 13.06.2024

VO3: Mat i barnehagene (Mattilbud i
bydelens barnehager)

BU-møte 07.11.2024

VM3 - Oversikt over, og
energieffektivisering av, tomme
kommunale leiligheter

BU-møte 21.03.2024
"""
    [table] = _tables(text, "verbalvedtak")
    assert _rows(table) == [
        ["VO1", "Ungdomstiltak", "BU-møte 13.06.2024"],
        ["VO3", "Mat i barnehagene (Mattilbud i bydelens barnehager)", "BU-møte 07.11.2024"],
        ["VM3", "Oversikt over, og energieffektivisering av, tomme kommunale leiligheter", "BU-møte 21.03.2024"],
    ]


def test_decision_quoted_in_prose_is_one_row():
    text = """6 Oppfølging av verbalvedtak og merknader
6.1 Utkvittering av verbalvedtak og flertallsmerknader

Bystyret fattet i sitt møte 13.12.2023, sak 441-23 følgende vedtak: “Bystyret ber byrådet
rapportere om arbeidet mot rasisme i årsberetningen for 2024. Oppfølgingen av vedtaket er
beskrevet under kapittel 4.19.

6.2 Merknader for kommunerevisjonen og kontrollutvalget
Ingen.
"""
    [table] = _tables(text, "verbalvedtak")
    assert _rows(table) == [[
        "Bystyret fattet i sitt møte 13.12.2023, sak 441-23 følgende vedtak: “Bystyret ber byrådet rapportere om arbeidet mot "
        "rasisme i årsberetningen for 2024.", "Oppfølgingen av vedtaket er beskrevet under kapittel 4.19."]]


def test_answers_to_goals_and_measures_become_a_table_with_the_goals_kept():
    text = """7 Vedlegg
7.3 Tildelingsbrevet 2024 - mål og tiltak utkvittering
7.3.1 Funksjonsområde 2A

Mål 01: Barn og unge skal ha et trygt oppvekstmiljø som
fremmer helse og læring

Tiltak 1: Videreføre arbeidet med Barnehjernevernet og gi rask hjelp til
barn og familier.

Bydel Testby: Barnehagene og barnevernet samarbeider.
Oslohjelpa er et lavterskeltilbud.

Tiltak 2: Delta i utvikling av lokale handlingsplaner
Presisering: Planene oppdateres i 2024.

Mål 02 Barnehagebarn skal møte medarbeidere med høy kompetanse

Tiltak 1: Videreføre lederutdanning.

Bydel Testby: 5 ansatte har tatt lederutdanning.
"""
    result = import_text(HEAD + text, "x.txt").text
    assert "- Mål 01: Barn og unge skal ha et trygt oppvekstmiljø som fremmer helse og læring" in result
    assert "- Mål 02 Barnehagebarn skal møte medarbeidere med høy kompetanse" in result
    [table] = [t for t in parse_report(result).tables if t.type == "verbalvedtak"]
    assert table.columns == ["Tiltak", "Mål", "Presisering", "Utkvittering"]
    assert _rows(table) == [
        ["Tiltak 1: Videreføre arbeidet med Barnehjernevernet og gi rask hjelp til barn og familier.", "Mål 01", "",
         "Barnehagene og barnevernet samarbeider. Oslohjelpa er et lavterskeltilbud."],
        ["Tiltak 2: Delta i utvikling av lokale handlingsplaner", "Mål 01", "Planene oppdateres i 2024.", ""],
        ["Tiltak 1: Videreføre lederutdanning.", "Mål 02", "", "5 ansatte har tatt lederutdanning."],
    ]


def test_indicator_table_with_percentage_points_and_wrapped_names():
    text = """3.3.5 Mål, tiltak og resultatindikatorer

Resultatindikatorer Resultat
2022

Resultat
2023

Måltall
2024

Resultat
2024

Avvik
2024

Andel barnehagelærere i prosent av
grunnbemanningen i kommunale
barnehager

50% 46% 50 % 51 % 1,0 pp

Andelen barne- og
ungdomsarbeidere i kommunale
barnehager

21% 22% 25 % 22 % -3,0pp
"""
    [table] = _tables(text, "indikatorer")
    assert _rows(table) == [
        ["Andel barnehagelærere i prosent av grunnbemanningen i kommunale barnehager", "50%", "46%", "50 %", "51 %", "1,0 pp"],
        ["Andelen barne- og ungdomsarbeidere i kommunale barnehager", "21%", "22%", "25 %", "22 %", "-3,0pp"],
    ]


def test_targets_with_a_comparison_are_one_cell():
    text = """3.6.5 Mål, tiltak og resultatindikatorer

Resultatindikatorer Resultat 2022 Resultat 2023 Måltall 2024 Måltall 2025

Andel som tilbys introduksjonsprogram innen 3 mnd. 17 % 51 % > 66 % > 66 %
Andel fast ansatte i heltidsstillinger 70 68 >74 >74
"""
    [table] = _tables(text, "indikatorer")
    assert _rows(table) == [
        ["Andel som tilbys introduksjonsprogram innen 3 mnd.", "17 %", "51 %", "> 66 %", "> 66 %"],
        ["Andel fast ansatte i heltidsstillinger", "70", "68", ">74", ">74"],
    ]


def test_goal_table_cells_continued_after_the_figures_and_a_repeated_header():
    """Labels printed after the data: a page break cuts a row's wrapped text cells; the
    figures come first, then the running title and the header again, then the rest of each
    cell. The rest is given back to the row's cells by where the writer wrapped."""
    text = """Budsjett 2026 Bydel Testby økonomiplan 2026-2029 Rammeoversikt Måltabell

Hovedmål Delmål Indikator 2023 Siste
måling
2024
Forventet
2025
Mål
2026
SET - 4.1 Flere lever
frie og selvstendige
FO2A (SET) 4.1
Flere lever frie og
FO2A (SET) Andel som
bosettes innen 6 mnd.
95,0 % 92,0 % 100,0 % 100,0 %

Økonomiplan for 2026-2029

Hovedmål Delmål Indikator 2023 Siste
måling
2024
Forventet
2025
Mål
2026
liv i en mangfoldig
by
selvstendige liv i en
mangfoldig by
fra innvilget
oppholdstillatelse
UTD - 1.1 Andelen
barn som går i
barnehage, øker
FO2A (UTD) 1.1
Andelen barn som går
i barnehage, øker
FO2A (UTD) Andel barn
i barnehage 1-5 år
88,0 % 89,0 % 90,0 % 90,0 %
"""
    report = parse_report(import_text(text, "x.txt").text)
    [table] = [t for t in report.tables if t.type == "måltabell"]
    assert _rows(table) == [
        ["SET - 4.1 Flere lever frie og selvstendige liv i en mangfoldig by",
         "FO2A (SET) 4.1 Flere lever frie og selvstendige liv i en mangfoldig by",
         "FO2A (SET) Andel som bosettes innen 6 mnd. fra innvilget oppholdstillatelse",
         "95,0 %", "92,0 %", "100,0 %", "100,0 %"],
        ["UTD - 1.1 Andelen barn som går i barnehage, øker", "FO2A (UTD) 1.1 Andelen barn som går i barnehage, øker",
         "FO2A (UTD) Andel barn i barnehage 1-5 år", "88,0 %", "89,0 %", "90,0 %", "90,0 %"],
    ]


def test_indicator_width_proven_by_a_row_and_label_column_title_above_the_header():
    """"Resultatindikator" (a caption word) titles the label column; rows that lost their
    empty Avvik cell do not narrow the table when a row fits only the header's width; a
    label wrapped after a number ("… over 67") goes on before the next line's figures."""
    text = """3.6.5 Mål, tiltak og resultatindikatorer

Resultatindikator
Resultat

2022
Resultat

2023
Måltall

2024
Resultat

2024
Avvik
2024

Antall betalingspliktige liggedøgn 164 52 40 *

Antall brukere som har mottatt tjenestene 1365 986 900 1 006 +106

Andel mottakere av helsetjenester i hjemmet over 67
år som er kartlagt for ernæringsmessig risiko 2) 46,7 % 73.9 % 60 % 64,33 % 4,33 %

Antall brukere med aktivitetstid4) 40 21 65 20 -45
"""
    [table] = _tables(text, "indikatorer")
    assert table.columns == ["Resultatindikator", "Resultat 2022", "Resultat 2023", "Måltall 2024", "Resultat 2024", "Avvik 2024"]
    rows = _rows(table)
    assert rows == [
        ["Antall brukere som har mottatt tjenestene", "1365", "986", "900", "1 006", "+106"],
        ["Andel mottakere av helsetjenester i hjemmet over 67 år som er kartlagt for ernæringsmessig risiko 2)",
         "46,7 %", "73.9 %", "60 %", "64,33 %", "4,33 %"],
        ["Antall brukere med aktivitetstid4)", "40", "21", "65", "20", "-45"],
    ]
    # The row that lost a cell and that nothing places is left raw with its readings, and said so.
    assert table.incomplete


def test_checklist_answer_in_words_heading_row_numbered_items_and_prose_after_it():
    """Never a paragraph of prose in one cell: an answer in words goes to the answer column, a
    heading row stands alone, numbered items answered with a reference are rows, and the
    paragraph after the checklist stays text."""
    text = """4 Særskilt rapportering
4.4 Handlingsplan for mennesker med funksjonsnedsettelse

Områder fra handlingsplanen Ja/nei

Har virksomheten utarbeidet handlingsplan for mennesker
med funksjonsnedsettelser? Ja

Er det utarbeidet konkrete tiltak på handlingsplanens
satsingsområder? 1)

Det jobbes med tiltak i
tjenestene selv om vi ikke har en

aktiv handlingsplan

Tiltak gjennomført i 2024

1. Fremkommelighet kontrolleres ved utleie av fortau Se kapittel 4.5

2. Velferdsteknologi brukes aktivt Ja

3. Startet arbeidet med å legge inn CRPD kurs i
kompetansemodul for ansatte Se kapittel 4.5

Bydelens handlingsplan for mennesker med funksjonsnedsettelse gikk ut i 2020. I påvente av ny
handlingsplan sentralt fra Oslo kommune har det ikke blitt utarbeidet en ny. Bydelen vil vurdere
hvordan ny planstruktur skal se ut og om det skal utformes en ny handlingsplan.
"""
    result = import_text(HEAD + text, "x.txt").text
    [table] = [t for t in parse_report(result).tables if t.type == "sjekkliste"]
    assert table.columns == ["Områder fra handlingsplanen", "Ja/nei"]
    assert _rows(table) == [
        ["Har virksomheten utarbeidet handlingsplan for mennesker med funksjonsnedsettelser?", "Ja"],
        ["Er det utarbeidet konkrete tiltak på handlingsplanens satsingsområder? 1)",
         "Det jobbes med tiltak i tjenestene selv om vi ikke har en aktiv handlingsplan"],
        ["Tiltak gjennomført i 2024", ""],
        ["1. Fremkommelighet kontrolleres ved utleie av fortau", "Se kapittel 4.5"],
        ["2. Velferdsteknologi brukes aktivt", "Ja"],
        ["3. Startet arbeidet med å legge inn CRPD kurs i kompetansemodul for ansatte", "Se kapittel 4.5"],
    ]
    assert "\nBydelens handlingsplan for mennesker med funksjonsnedsettelse gikk ut i 2020." in result


def test_tick_columns_placed_by_the_extracts_cell_markers_and_spacing():
    nb = "\u202f"
    text = f"""3.8 Styring og kontroll

Spørsmål Ja Delvis Nei Hvis nei eller delvis,

kommenter

Er det etablert et risikobasert helhetlig system for
internkontroll i virksomheten?

{nb}  {nb}x  {nb}  Fullstendig risikovurdering gjenstår

Etterleves rutinene og prosedyrene i virksomheten? {nb}x  {nb}  {nb}

Er alle vesentlige avvik fulgt opp? {nb}  {nb}  x{nb}
"""
    [table] = _tables(text, "sjekkliste")
    assert table.columns == ["Spørsmål", "Ja", "Delvis", "Nei", "Hvis nei eller delvis, kommenter"]
    assert [[c.text for c in r.cells[1:]] for r in table.rows] == [
        ["", "x", "", "Fullstendig risikovurdering gjenstår"],
        ["x", "", "", ""],
        ["", "", "x", ""],
    ]
    spaced = """3.8 Styring og kontroll

Spørsmål Ja Delvis Nei Hvis nei eller delvis, kommenter

Er det etablert tiltak og kontrollaktiviteter som følge av risikovurderingen?   x    

Er det utarbeidet nødvendige rutiner og prosedyrer? x      

Er alle anmerkninger fra tilsyn fulgt opp? x
"""
    [table] = _tables(spaced, "sjekkliste")
    assert [[c.text for c in r.cells[1:4]] for r in table.rows] == [["", "x", ""], ["x", "", ""], ["x", "", ""]]
    # The last x says nothing of its column: it stands under Ja, and a marker says so.
    assert "kryss uten lesbar kolonne" in import_text(HEAD + spaced, "x.txt").text


def test_answer_without_a_gap_is_split_at_a_capital_with_a_marker():
    text = """7 Vedlegg
7.1 Utkvittering av BU’s verbalvedtak for budsjett 2024

Verbalvedtak   Utkvittering

VO1: Ungdomstiltak  BU-møte 13.06.2024

VO2: Skolemat Rutiner er utarbeidet, søknadsfrist 010224

VM1: Bruk av bydelens lokaler Gjennomføres
"""
    result = import_text(HEAD + text, "x.txt").text
    [table] = [t for t in parse_report(result).tables if t.type == "verbalvedtak"]
    assert _rows(table)[1] == ["VO2", "Skolemat", "Rutiner er utarbeidet, søknadsfrist 010224"]
    assert "ved første store bokstav" in result and "kontroller VO2" in result
