"""Arithmetic rules (A2xx) on the real examples, the formula language, pack errors and --fix.

The real mistakes are those catalogued in ../shared/notes/; rounding-only differences (Bjerke's
KOSTRA «Sum total» off by +4/+3 over 40 functions) must not be findings."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest

from conftest import EXAMPLES, REAL_EXAMPLES, run_cli
from linter.engine import CheckOptions, check_path, check_text
from linter.formulas import FormulaError, parse_formula
from linter.packs import RulePackError, load_pack
from linter.parsing.builder import parse_report
from linter.rules.arithmetic import analyse
from linter.rules.registry import select_rules

A_RULES = select_rules(["A"], ["A207"])  # A207 (relation not run) is tested on its own


def _a_findings(path):
    assert path.is_file(), f"examples/{path.name} is missing: the tests read the real examples"
    result = check_path(path, CheckOptions(rules=A_RULES))
    assert not result.failed
    return result


def _where(finding):
    return (finding.code, finding.details["row_label"], finding.details["column_header"])


def _errors(result):
    return [f for f in result.findings if f.severity.value == "error"]


def test_grunerlokka_population_and_fo3_transfer():
    result = _a_findings(REAL_EXAMPLES["grunerlokka"])
    errors = _errors(result)
    # per rule, so a change to another A rule does not fail this one's assertion
    assert [_where(f) for f in errors if f.code == "A201"] == [("A201", "Sum bydel", "01.01.2024")]
    assert [_where(f) for f in errors if f.code == "A203"] == [("A203", "Sum netto utgifter *)", "Regnskap 2023")]
    by_code = {f.code: f for f in errors}
    assert by_code["A201"].details["reported"] == "65 532"
    assert by_code["A201"].details["computed"] == "65602"
    assert by_code["A201"].details["slack"] == "0"  # head counts are exact
    cross = by_code["A203"]
    assert cross.details["table"] == "fo3-okonomi"
    assert cross.details["difference"] == "-11000"
    assert cross.details["margin"] == "2"
    assert "t0-1b gir 711 748 (avvik -11 000" in cross.message_nb
    assert cross.fix is None  # both tables add up on their own: we cannot tell which is wrong


def test_grunerlokka_rounding_only_differences_are_no_findings():
    """FO2C Regnskap 2023 (112 255 vs 112 256) and FO4A+4B+4C (+1) are rounding."""
    path = REAL_EXAMPLES["grunerlokka"]
    assert path.is_file(), f"examples/{path.name} is missing: the tests read the real examples"
    report = parse_report(path.read_text(encoding="utf-8"), str(path))
    checks = analyse(report, load_pack("årsberetning-2024")).checks
    rounding = [c for c in checks if c.diff and c.holds and c.op == "="]
    assert rounding, "the example has rounding differences that must hold"
    assert any(c.table.id == "fo2c-okonomi" and c.diff == Decimal(-1) for c in rounding)
    assert {c.name for c in checks} >= {
        "Avvik = Regulert budsjett − Regnskap",
        "FO-tabellens sum = FO-raden i Tabell 0.1 B",
        "FO4 i Tabell 0.1 B = Sum FO4A + Sum FO4B + Sum FO4C",
        "Sum bydel = Sum 0-17 år + 18-24 år + 25-66 år + Sum 67 år +",
        "Menn % + Kvinner % = 100",
    }


def test_bjerke_kostra_sum_total_is_only_rounding():
    path = REAL_EXAMPLES["bjerke"]
    result = _a_findings(path)
    assert _errors(result) == []
    report = parse_report(path.read_text(encoding="utf-8"), str(path))
    checks = analyse(report, load_pack("budsjett-2026")).checks
    kostra = [c for c in checks if c.name == "Sum total = summen av KOSTRA-funksjonene"]
    assert len(kostra) == 4
    assert all(len(c.rhs.terms) == 40 for c in kostra)
    assert sorted(c.diff for c in kostra) == [Decimal(-2), Decimal(1), Decimal(3), Decimal(4)]
    assert all(c.holds and c.slack == Decimal("20.5") for c in kostra)  # (40 + 1) / 2
    names = {c.name for c in checks}
    assert "Ramme = Konsekvensjustert ramme + Kompensasjon + Endringer" in names
    assert "Vedtatt budsjett forrige år = funksjonsområdets opprinnelige budsjett" in names
    assert "endringskategoriene = summen av rammeoversiktene (Ramme)" in names


def test_sagene_real_failures():
    result = _a_findings(REAL_EXAMPLES["sagene"])
    errors = {_where(f): f for f in _errors(result)}
    assert ("A201", "Sum 0-17 år", "01.01.2023") in errors
    assert ("A201", "Sum bydel", "01.01.2024") in errors
    subtotal = errors[("A201", "Sum netto utgifter, drift", "Avvik reg.bud - regnskap 2024")]
    assert subtotal.details["reported"] == "-10410"
    assert subtotal.details["computed"] == "-1654"
    assert len(subtotal.details["checks"]) == 3  # column sum, Avvik formula, grand total
    assert subtotal.fix is not None and subtotal.fix.replacement == "-1 654"
    # the grand total (28 682) is right: it is not reported on its own
    assert not any(label.startswith("Sum netto utgift +") for _, label, _ in errors)
    transfers = sorted(f.details["difference"] for f in _errors(result)
                       if f.code == "A203" and f.details["column_header"] == "Regnskap 2023")
    assert transfers == ["-5479", "750"]
    assert any(label.startswith("Sum utførte timer HSP") and col == "Mar" for _, label, col in errors)


def test_vestre_aker_kjonnsbalanse_130_percent():
    result = _a_findings(REAL_EXAMPLES["vestre-aker"])
    errors = [f for f in _errors(result) if f.code == "A204"]
    assert len(errors) == 1 and "130 %" in errors[0].message_nb


def test_clean_example_has_no_arithmetic_finding():
    result = _a_findings(EXAMPLES / "ren-arsberetning-2024.md")
    assert result.findings == []


def test_forty_rounded_rows_off_by_twenty_hold_and_by_21_do_not():
    rows = "\n".join(f"| Driftsutgifter {i} | 10 |" for i in range(40))

    def report(total):
        return ("---\nbydel: T\ndokument: årsberetning\når: 2024\n---\n"
                ": {#k type=økonomi enhet=\"1000 kr\"}\n| KOSTRA | Regn 2024 |\n|---|---:|\n"
                f"{rows}\n| Sum total | {total} |\n")

    assert check_text(report(420), "t.md", CheckOptions(rules=A_RULES)).findings == []
    found = check_text(report(421), "t.md", CheckOptions(rules=A_RULES)).findings
    assert [f.code for f in found] == ["A201"]
    assert found[0].details["slack"] == "20.5"
    assert len(found[0].details["summed_rows"]) == 40
    assert found[0].details["summed_rows"][0] == {"label": "Driftsutgifter 0", "line": 9, "value": "10"}


def test_english_messages():
    text = ("---\nbydel: T\ndokument: årsberetning\når: 2024\n---\n"
            ": {#t type=økonomi enhet=\"1000 kr\"}\n| | 2024 |\n|---|---:|\n| A | 1 |\n| B | 2 |\n| Sum | 9 |\n")
    finding = check_text(text, "t.md", CheckOptions(rules=A_RULES)).findings[0]
    assert finding.message("en") == ("«Sum» / «2024» is 9 but 2 rows (lines 9–10) add up to 3 "
                                     "(difference 6, allowed rounding ±1,5)")


@pytest.mark.parametrize("formula, column", [
    ('rad("a") = ', 12),
    ('rad("a") == 3', 11),
    ('rad("a") = sum(rad("b") .. )', 28),
])
def test_malformed_formulas_say_where(formula, column):
    with pytest.raises(FormulaError) as info:
        parse_formula(formula)
    assert info.value.column == column


@pytest.mark.parametrize("formula, text", [
    ('rad("a") = kol("b")', "blander rad- og kolonnereferanser"),
    ('rad("a") = rad("b") * rad("c")', "× er bare lov med et tall"),
    ('tabeller(fo="1").rad("a") = 1', "må stå i sum"),
    ('tabell(farge="rød").rad("a") = 1', "ukjent tabellattributt «farge»"),
])
def test_formulas_that_parse_but_mean_nothing(formula, text):
    with pytest.raises(FormulaError) as info:
        parse_formula(formula)
    assert text in info.value.message_nb


def test_formula_language_has_no_eval():
    relation = parse_formula('rad("__import__(\'os\')") = 2 × rad("b") - -3')
    assert relation.rhs.op == "-"


def _bad_pack(tmp_path, formula):
    pack = tmp_path / "bad-2024.yaml"
    pack.write_text(
        "id: årsberetning-2099\ndokument: årsberetning\når: 2099\n"
        f"relasjoner:\n  formler:\n    - navn: x\n      formel: '{formula}'\n", encoding="utf-8")
    return pack


def test_malformed_pack_formula_is_a_pack_error(tmp_path):
    pack = _bad_pack(tmp_path, 'rad("Sum") = sum(rad("A") .. )')
    with pytest.raises(RulePackError) as info:
        load_pack(str(pack))
    assert info.value.key == "relasjoner/formler/0/formel"
    assert str(pack) in info.value.message("nb")


def test_malformed_pack_formula_exits_2(tmp_path):
    pack = _bad_pack(tmp_path, 'kol("Avvik") = kol("A") -')
    report = tmp_path / "r.md"
    report.write_text("---\nbydel: T\ndokument: årsberetning\når: 2024\n---\n", encoding="utf-8")
    done = run_cli("check", "--ruleset", str(pack), str(report))
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "relasjoner/formler/0/formel" in err and "slutter for tidlig" in err and "Traceback" not in err


FIXABLE = """---
bydel: Test
dokument: årsberetning
år: 2024
---
: Tabell 0.1 B Netto driftsutgifter i 1000 kr. {#t0-1b type=økonomi enhet="1000 kr"}
| Netto driftsutgifter | Regulert budsjett 2024 | Regnskap 2024 | Avvik 2024 |
|---|---:|---:|---:|
| Funksjonsområde 1 | 50 559 | 38 775 | 11 784 |
| Funksjonsområde 3 | 709 981 | 720 391 | -10 410 |
| Sum netto utgifter, drift | 760 540 | 759 166 | -10410 |
"""


def test_fix_end_to_end_then_nothing_left(tmp_path):
    path = tmp_path / "r.md"
    path.write_text(FIXABLE, encoding="utf-8")
    first = run_cli("check", "--select", "A", "--no-source", str(path))
    assert first.returncode == 1 and "skal trolig være 1 374" in first.stdout.decode()
    safe_only = run_cli("check", "--select", "A", "--fix", str(path))  # an inferred figure is an unsafe fix
    assert safe_only.returncode == 1 and path.read_text(encoding="utf-8") == FIXABLE
    assert "1 usikre rettinger er ikke gjort: de endrer økonomiske tall" in safe_only.stderr.decode()
    fixed = run_cli("check", "--select", "A", "--fix", "--unsafe-fixes", str(path))
    assert fixed.returncode == 0, fixed.stdout.decode()
    assert "rettet 1 funn" in fixed.stderr.decode()
    text = path.read_text(encoding="utf-8")
    assert text == FIXABLE.replace("| -10410 |", "| 1 374 |")
    again = run_cli("check", "--select", "A", "--fix", "--unsafe-fixes", "--format", "json", str(path))
    assert again.returncode == 0
    assert "rettet 0 funn" in again.stderr.decode()
    assert path.read_text(encoding="utf-8") == text


def test_fix_on_the_real_sagene_subtotal(tmp_path):
    source = REAL_EXAMPLES["sagene"]
    assert source.is_file(), f"examples/{source.name} is missing: the tests read the real examples"
    path = tmp_path / source.name
    shutil.copy(source, path)
    run_cli("check", "--select", "A", "--fix", "--unsafe-fixes", str(path))
    text = path.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith("| Sum netto utgifter, drift |"))
    assert line.endswith("| -1 654 |") and "-10410" not in line
    again = check_path(path, CheckOptions(rules=A_RULES))
    assert not any(f.fix for f in again.findings)


def test_json_details_for_the_html_report(tmp_path):
    path = tmp_path / "r.md"
    path.write_text(FIXABLE, encoding="utf-8")
    done = run_cli("check", "--select", "A", "--format", "json", str(path))
    data = json.loads(done.stdout)
    text = json.dumps(data, ensure_ascii=False)
    for key in ("table", "row", "column", "reported", "computed", "difference", "slack", "margin", "summed_rows"):
        assert f'"{key}"' in text


# ------------------------------------------------------------------ never silent: A207 and coverage

A207_RULES = select_rules(["A207"], None)


def _report(table: str, front: str = "") -> str:
    return "---\nbydel: Test\ndokument: årsberetning\når: 2024\n---\n" + front + table


def test_a_relation_whose_column_is_spelled_otherwise_is_reported_with_the_closest_headers():
    text = _report(": Tabell 0.1 B Netto {#t0-1b type=økonomi enhet=\"1000 kr\"}\n"
                   "| Netto | Regulert budsjett 2024 | Regnskap 2024 | Budsjettavvik 24 |\n|---|---:|---:|---:|\n"
                   "| Funksjonsområde 1 | 500 | 450 | 50 |\n")
    findings = check_text(text, "t.md", CheckOptions(rules=A207_RULES)).findings
    assert [f.code for f in findings] == ["A207"]
    finding = findings[0]
    assert finding.severity.value == "info"
    assert finding.span.line == 6
    assert finding.details["relation"] == "Avvik = Regulert budsjett − Regnskap"
    assert finding.details["selector"] == 'kol("Avvik*")'
    assert finding.details["candidates"][0] == "Budsjettavvik 24"
    assert "ble ikke kontrollert: kol(\"Avvik*\") finnes ikke i t0-1b" in finding.message_nb
    assert "was not checked" in finding.message_en


def test_header_synonyms_and_spacing_let_the_relation_run():
    """«Justert» for «Regulert», «0.1.B» for «0.1 B»: the checks run (and find the real error)."""
    text = _report(": Tabell 0.1.B Netto {#t0-1b type=økonomi enhet=\"1000 kr\"}\n"
                   "| Netto | Justert budsjett 2024 | Regnskap 2024 | Avvik 2024 |\n|---|---:|---:|---:|\n"
                   "| Funksjonsområde 1 | 500 | 450 | 40 |\n"
                   "\n: Tall i 1000 kr {#fo1 type=økonomi enhet=\"1000 kr\" fo=1}\n"
                   "| KOSTRA | Justert budsjett 2024 | Regnskap 2024 | Avvik 2024 |\n|---|---:|---:|---:|\n"
                   "| 120 Administrasjon | 500 | 450 | 50 |\n| Totalt netto utgifter | 500 | 450 | 50 |\n")
    result = check_text(text, "t.md", CheckOptions(rules=select_rules(["A"], None)))
    codes = sorted((f.code, f.details.get("row_label")) for f in result.findings)
    assert codes == [("A202", "Funksjonsområde 1")]
    names = {c["relation"] for c in result.findings[0].details["checks"]}
    # both the row's Avvik formula and the FO table's «Totalt» (= Sum) point at the 40
    assert names == {"Avvik = Regulert budsjett − Regnskap", "FO-tabellens sum = FO-raden i Tabell 0.1 B"}
    assert result.findings[0].details["computed"] == "50"
    arithmetic = result.coverage["aritmetikk"]
    assert arithmetic["relations"]["not_run"] == [] or all(i["optional"] or "ingen tabell" in i["reason"]
                                                          for i in arithmetic["relations"]["not_run"])
    # the FO table's «Totalt» row was checked against Tabell 0.1.B (synonym Sum = Totalt)
    assert arithmetic["by_source"]["pakke"]["held"] >= 3


def test_coverage_tells_checked_from_not_checked():
    clean = check_path(EXAMPLES / "ren-arsberetning-2024.md", CheckOptions(rules=select_rules(None, None)))
    arithmetic = clean.coverage["aritmetikk"]
    assert arithmetic["checks"]["run"] > 100
    assert arithmetic["checks"]["failed"] == 0 and arithmetic["checks"]["held"] == arithmetic["checks"]["run"]
    not_run = {i["relation"]: i for i in arithmetic["relations"]["not_run"]}
    assert all(i["optional"] or i["reason"].startswith("ingen tabell") for i in not_run.values())
    sagene = check_path(REAL_EXAMPLES["sagene"], CheckOptions(rules=select_rules(None, None)))
    assert sagene.coverage["aritmetikk"]["checks"]["failed"] >= 6


def test_a_left_side_missing_in_a_table_is_recorded_at_every_point_with_its_table():
    """A relationship whose left side (one column of the table) is missing is not found at every
    row it would be checked in; the miss is resolved once (formulas.Evaluator.evaluate) but counted
    at each row, and the nearest miss still wins over it in the coverage."""
    from linter.formulas import Evaluator

    text = _report(": Tabell {#t type=økonomi}\n| Netto | Regnskap 2024 | Budsjett 2024 |\n|---|---:|---:|\n"
                   "| A | 1 | 2 |\n| B | 3 | 4 |\n| C | 5 | 6 |\n")
    report = parse_report(text)
    table = report.tables[0]
    result = Evaluator(report).evaluate(parse_formula('kol("Avvik*") = kol("Budsjett*") - kol("Regnskap*")'), table,
                                        source="formel", name="avvik")
    assert result.resolved == 0 and result.checks == []
    assert [(m.kind, m.pattern, m.table is table, m.after_lhs) for m in result.not_found] == [
        ("kol", "Avvik*", True, False)] * 3
    # the right side missing is found per row, after the left side: the nearest miss
    result = Evaluator(report).evaluate(parse_formula('kol("Regnskap*") = kol("Budsjett*") - kol("Avvik*")'), table,
                                        source="formel", name="avvik")
    assert [(m.kind, m.pattern, m.after_lhs) for m in result.not_found] == [("kol", "Avvik*", True)] * 3
