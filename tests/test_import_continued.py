"""Tables continued over a page break are one table in the import: the title printed again
(unchanged or with "(forts.)"), the header printed again, or both, between two parts of the
rows; and two tables that only look alike stay two."""

from __future__ import annotations

import pytest

from linter.importer import import_text
from linter.importer.clean import clean_lines
from linter.importer.continued import drop_repeated_titles
from linter.parsing.builder import parse_report

CAPTION = "Tabell 0.1 Brutto driftsutgifter i 1000 kr"
HEADER = ["Brutto driftsutgifter", "Regnskap", "2023", "Oppr. budsjett", "2024", "Regulert", "budsjett 2024",
          "Regnskap", "2024", "Avvik", "2024"]
ROWS = [
    ["Funksjonsområde 1", "49 377", "88 800", "57 750", "50 122", "7 628"],
    ["Funksjonsområde 2A", "649 876", "651 313", "667 732", "683 475", "-15 743"],
    ["Funksjonsområde 2B", "147 755", "136 730", "138 836", "141 419", "-2 583"],
    ["Funksjonsområde 2C", "68 690", "63 636", "67 565", "72 958", "-5 393"],
    ["Funksjonsområde 3", "828 562", "847 420", "867 073", "903 141", "-36 068"],
    ["Sum brutto utgifter, drift", "1 744 260", "1 787 899", "1 798 956", "1 851 115", "-52 159"],
]


def _text(between: list[str]) -> str:
    rows = [" ".join(r) for r in ROWS]
    return "\n".join(["Årsberetning 2024 Bydel Testby", "", "3. Måloppnåelse og resultater",
                      "3.1.1 Bydelens totale ressursinnsats – driftsregnskapet", "", CAPTION, "", *HEADER,
                      *rows[:3], "", "Side 9 av 90", "", *between, *rows[3:], "", "Teksten går videre.", ""])


@pytest.mark.parametrize("between", [
    pytest.param([f"{CAPTION} (forts.)", ""], id="title-forts"),
    pytest.param([CAPTION, ""], id="title-again"),
    pytest.param([f"{CAPTION} (forts.)", "", *HEADER], id="title-forts-and-header"),
    pytest.param([CAPTION, "", *HEADER], id="title-and-header"),
    pytest.param(HEADER, id="header-only"),
])
def test_table_over_a_page_break_is_one_table(between):
    report = parse_report(import_text(_text(between), "testby.txt").text)
    tables = [t for t in report.tables if t.type == "økonomi"]
    assert len(tables) == 1
    assert [[c.text for c in r.cells] for r in tables[0].rows] == ROWS
    assert "Regulert budsjett 2024" in tables[0].columns
    assert CAPTION not in report.source.replace(f": {CAPTION}", "")  # the repeated title is not left as text


def test_two_tables_alike_after_a_sum_stay_two():
    """Two functions' tables with the same unit line and header, the first ending in its sum:
    nothing says the second continues the first."""
    header = ["Tall i 1000 kr", "", "Netto driftsutgifter pr. KOSTRA-funksjon", *HEADER[1:]]
    text = "\n".join(["Årsberetning 2024 Bydel Testby", "", "3. Måloppnåelse og resultater", "", *header,
                      "276 Kvalifiseringsordningen 24 580 28 491 28 698 25 825 2 873",
                      "Sum FO4B 24 580 28 491 28 698 25 825 2 873", "", *header,
                      "281 Ytelser til livsopphold 135 294 129 924 145 404 150 432 -5 028",
                      "Sum FO4C 135 294 129 924 145 404 150 432 -5 028", ""])
    lines, _ = clean_lines(text)
    assert drop_repeated_titles(lines)[1] == 0
    report = parse_report(import_text(text, "testby.txt").text)
    first = next(t for t in report.tables if any(r.label.startswith("276") for r in t.rows))
    assert [r.label for r in first.rows] == ["276 Kvalifiseringsordningen", "Sum FO4B"]


def test_repeated_row_labels_are_no_repeated_header():
    """Project rows whose wrapped names repeat ("Arkitekt Rivertz" / "plass -") are rows, not a
    header printed again."""
    text = "\n".join(["Prosjekt Nummer Art Budsjett Regnskap Avvik", "Arkitekt Rivertz", "plass -",
                      "Tilgjengelighet 12300523 1 954 915 -954 915", "Arkitekt Rivertz", "plass -",
                      "Tilgjengelighet 12300523 4 196 574 -196 574", ""])
    lines, _ = clean_lines(text)
    kept, joined = drop_repeated_titles(lines)
    assert joined == 0 and len(kept) == len(lines)
