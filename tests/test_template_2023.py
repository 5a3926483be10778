"""The 2023 template as data, on a 2023 test report written as a transcription would be
(tests/fixtures/mal-2023-arsberetning.md: the clean 2024 example's facts one year back, in the
2023 outline of ../shared/template-notes.md), and on variants of it with one mistake each."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from linter.engine import CheckOptions, check_text
from linter.packs import load_pack
from linter.parsing.builder import parse_report
from linter.rules.registry import all_rules
from linter.template import match_sections

FIXTURE = Path(__file__).parent / "fixtures" / "mal-2023-arsberetning.md"
TEXT = FIXTURE.read_text(encoding="utf-8")


def _check(text: str, prefix: str = ""):
    result = check_text(text, "rapport-2023.md", CheckOptions(rules=list(all_rules().values())))
    assert not result.failed, (result.syntax_error and result.syntax_error.problems, result.pack_error)
    return [f for f in result.findings if f.code.startswith(prefix)]


def _variant(*replacements: tuple[str, str]) -> str:
    text = TEXT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def _line(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if fragment in line)


def test_the_2023_report_gives_no_finding_from_any_rule():
    # (its district «Eksempel» is made up: M105 is the configuration's business, examples/.rapportlint.toml)
    assert [f"{f.code} {f.span.line}: {f.message_nb}" for f in _check(TEXT) if f.code != "M105"] == []


def test_every_2023_template_section_is_matched_where_the_template_puts_it():
    report = parse_report(TEXT, "rapport-2023.md")
    matches = match_sections(report, load_pack("årsberetning-2023"))
    assert [m.spec.label for m in matches if m.section is None] == ["7 Vedlegg"] or all(m.section for m in matches)
    by_label = {m.spec.label: m for m in matches}
    assert by_label["4.3 Handlingsplan for mennesker med funksjonsnedsettelse"].section.number == "4.3"
    assert by_label["4.19 Bruk av konsulenter"].by == "number"
    assert by_label["6.1.1 Utkvittering av bystyrets verbalvedtak og flertallsmerknader"].section.number == "6.1.1"
    assert all(m.by == "number" for m in matches if m.section is not None and m.spec.number)


def test_the_2023_pack_has_no_2024_only_sections_and_marks_single_report_titles():
    pack = load_pack("årsberetning-2023")
    titles = {s["tittel"] for s in pack.get("seksjoner")}
    assert not titles & {"En åpen og effektiv kommune", "Folkehelsestrategi", "Forebygging og bekjemping av rasisme"}
    single = {s["nummer"] for s in pack.get("seksjoner") if s.get("belegg") == 1}
    assert {"4.6", "4.8", "4.19", "6.1.1", "6.1.2"} <= single
    assert "4.18" not in single  # the same in both years' templates


def test_6_1_and_6_2_are_accepted_as_well_as_6_1_1_and_6_1_2():
    text = _variant(("### 6.1.1 Utkvittering", "## 6.1 Utkvittering"), ("### 6.1.2 Merknader", "## 6.2 Merknader"))
    assert _check(text, "S") == []


def test_drift_from_a_title_one_report_attests_is_a_warning_never_an_error():
    text = _variant(("## 4.8 Samfunnssikkerhet og beredskap", "## 4.8 Samfunnssikkerhet, beredskap og kriseledelse"),
                    ("## 4.6 Lærlinger", "## 4.6 Gjeldsofferassistanse"))
    found = _check(text, "S")
    assert [(f.code, f.span.line, f.severity.value) for f in found] == [
        ("S106", _line(text, "## 4.6 Gjeldsofferassistanse"), "warning"),
        ("S106", _line(text, "## 4.8 Samfunnssikkerhet, beredskap"), "warning"),
    ]
    assert "har tittelen til malens 4.9" in found[0].message_nb


def test_chapter_4_numbered_one_on_is_one_finding():
    """An extra 4.3 pushes every later section of chapter 4 one number on (as a report written
    on another year's outline would): one finding for the block, not a chain."""
    import re

    def bump(match):
        return f"{match.group(1)}4.{int(match.group(2)) + 1}{match.group(3)}"

    start, end = TEXT.index("## 4.3 Handlingsplan"), TEXT.index("# 5 Miljø")
    chapter = re.sub(r"^(#+ )4\.(\d+)(\.| )", bump, TEXT[start:end], flags=re.M)
    text = TEXT[:start] + "## 4.3 En åpen og effektiv kommune\n\nBydelen har fulgt opp kravet.\n\n" + chapter + TEXT[end:]
    found = _check(text, "S")
    assert [(f.code, f.span.line) for f in found] == [("S107", _line(text, "## 4.4 Handlingsplan"))], \
        [f.message_nb for f in found]
    assert "17 seksjoner er nummerert 4.4–4.20; i malen er de 4.3–4.19" in found[0].message_nb
    assert found[0].severity.value == "warning"


def test_a_missing_numbered_parent_whose_subsections_exist_is_a_warning():
    text = _variant(("## 3.1 Bydelens totale ressursinnsats\n", ""))
    found = _check(text, "S")
    assert [(f.code, f.severity.value) for f in found] == [("S101", "warning")]
    assert "overskriften «3.1 Bydelens totale ressursinnsats» mangler; underavsnittene (3.1.1, 3.1.2, 3.1.3)" in found[0].message_nb


def test_a_section_under_its_parents_number_is_one_finding():
    text = _variant(("## 3.1 Bydelens totale ressursinnsats\n\nBydelen hadde et samlet mindreforbruk på 2 500 000 kroner netto i 2023.\n\n### 3.1.1 Bydelens driftsregnskap",
                     "## 3.1 Bydelens driftsregnskap"))
    found = _check(text, "S")
    assert [(f.code, f.span.line) for f in found] == [("S107", _line(text, "## 3.1 Bydelens driftsregnskap"))]
    assert "i malen er den 3.1.1 (og malens 3.1 «Bydelens totale ressursinnsats» mangler)" in found[0].message_nb


def test_a_missing_section_of_the_2023_template_is_an_error():
    text = _variant(("## 4.18 Rapportering jodberedskap", "## 4.18 Jod"))
    found = _check(text, "S1")
    assert ("S106", "warning") in [(f.code, f.severity.value) for f in found]  # 4.18 by number, title drifted
    text = TEXT[: TEXT.index("## 4.2 Saksbehandlingstid")] + TEXT[TEXT.index("## 4.3 Handlingsplan"):]
    found = _check(text, "S101")
    assert [(f.severity.value, "«4.2 Saksbehandlingstid» mangler" in f.message_nb) for f in found] == [("error", True)]


def test_jodberedskap_with_four_of_five_unanswered_is_one_error():
    text = TEXT
    for item in ("oppholder seg på dagtid. | Ja |", "følges opp i bydelen. | Ja |", "antall skoler. | Ja* |",
                 "gjeldende bestemmelser. | Ja |"):
        assert text.count(item) >= 1, item
    start = TEXT.index("## 4.18 Rapportering jodberedskap")
    end = TEXT.index("## 4.19")
    block = TEXT[start:end].split("\n")
    out = []
    blanked = 0
    for line in block:
        if line.startswith("| Jodberedskap –") and blanked < 4 and "dagtid: Ansvar" not in line:
            cells = line.split(" | ")
            cells[1] = ""
            line = " | ".join(cells).replace(" |  | ", " | | ")
            blanked += 1
        out.append(line)
    text = TEXT[:start] + "\n".join(out) + TEXT[end:]
    found = _check(text, "K")
    assert [(f.code, f.severity.value) for f in found] == [("K302", "error")], [f.message_nb for f in found]
    assert "4 av 5 punkter i sjekklisten «Rapportering jodberedskap» er ikke besvart" in found[0].message_nb
    assert len(found[0].details["lines"]) == 4


def test_checklist_answers_as_districts_write_them():
    # "Ja 1)", "x*", "Ja - i AMU" and "Ja*" in the fixture are answers (no finding above);
    # "vet ikke", "?" and "✓" are findings.
    text = _variant(("satsingsområder? | Ja 1) |", "satsingsområder? | vet ikke |"),
                    ("OXLO-kontakt? | x* |", "OXLO-kontakt? | ✓ |"))
    found = _check(text, "K")
    assert [(f.code, f.span.line) for f in found] == [
        ("K302", _line(text, "satsingsområder? | vet ikke")), ("K302", _line(text, "OXLO-kontakt? | ✓"))]
    assert "«vet ikke»" in found[0].message_nb and "«✓»" in found[1].message_nb


def test_a_nei_that_is_all_well_needs_no_comment_but_one_the_template_asks_about_does():
    # "Hvis ja - er dette i en egen plan? | | x" (Nei) has no comment column to fill: no finding.
    text = _variant(("bestemmelser. | Ja |", "bestemmelser. | Nei |"))
    found = _check(text, "K")
    assert [(f.code, f.span.line) for f in found] == [("K303", _line(text, "bestemmelser. | Nei |"))]
    assert found[0].message_nb.startswith("svaret «Nei» på «Jodberedskap – jodtabletter: Jodtablettene lagres")


def test_the_2023_report_against_the_2024_template_gives_few_findings_not_chains():
    text = _variant(("mal: årsberetning-2023", "mal: årsberetning-2024"))
    found = _check(text, "S")
    assert not [f for f in found if "har tittelen til malens" in f.message_nb]
    assert len([f for f in found if f.code == "S107" and "3 seksjoner er nummerert 4.3–4.5" in f.message_nb]) == 1


def test_rule_says_when_its_severity_varies():
    proc = run_cli("rule", "S101", "--lang", "en")
    assert proc.returncode == 0
    assert "Severity varies: error when the section is missing altogether; warning when only the numbered heading" in proc.stdout.decode()
    proc = run_cli("rule", "K302")
    assert "Alvorligheten varierer: feil når mer enn halvparten" in proc.stdout.decode()
