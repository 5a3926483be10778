"""Facts (linter/facts/, rules D701–D703, `rapportlint facts`): the repeated figures the notes in
../shared/notes/ describe are paired, the real contradictions are reported, the clean example
gives none, and the facts of several reports in one run are compared across documents."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLES, REAL_EXAMPLES, ROOT, run_cli
from linter.engine import CheckOptions, check_path, choose_pack
from linter.facts.compare import disagreements
from linter.facts.crossdoc import finish_run
from linter.facts.extract import report_facts
from linter.parsing.builder import parse_report
from linter.rules.registry import all_rules, select_rules

CLEAN = EXAMPLES / "ren-arsberetning-2024.md"


def _facts(path: Path):
    report = parse_report(path.read_text(encoding="utf-8"), str(path), path)
    pack, _ = choose_pack(report, None)
    return report_facts(report, pack)


def _pairs(path: Path) -> set[tuple]:
    """Each disagreement as (scenarios and years, lines of its occurrences)."""
    return {(tuple(sorted({(f.scenario, f.year) for f in d.facts})), tuple(sorted({f.line for f in d.facts})))
            for d in disagreements(_facts(path))}


# ------------------------------------------------------------------ the real examples
# Every contradiction between repeated figures that the notes list for the tables, with the
# example's line numbers (notes: 004 §8 cross-table, 002 items 10 and 12, 001 item 33, 000 item 21).
R = "resultat"
EXPECTED = {
    "sagene": {
        ((("regnskap", 2023),), (115, 326)),  # FO1 table Σ 39 194 vs Tabell 0.1 B 38 444 (also A203)
        ((("regnskap", 2023),), (119, 590)),  # FO3 654 340 vs 659 819 (also A203)
        (((R, 2022),), (364, 400)),  # barnehagelærere 50 % vs nøkkeltall 45,3
        (((R, 2023),), (444, 464)),  # undersøkelser innen 3 mnd 100 % vs 96,0 %
        (((R, 2023),), (736, 756)),  # behandlet innen 2 uker 95 % vs 90 %
        (((R, 2022),), (737, 754)),  # viktigste inntektskilde 55 % vs 58 %
    },
    "grunerlokka": {
        ((("regnskap", 2023),), (109, 764)),  # FO3 700 748 vs Tabell 0.1 B 711 748 (also A203)
        # «opprinnelig vedtatt ramme» vs Oppr. budsjett 2024 (notes 002 item 12): FO2B, FO3, FO4A, FO4C
        ((("opprinnelig-budsjett", 2024),), (107, 421, 436)),
        ((("opprinnelig-budsjett", 2024),), (109, 764, 779)),
        ((("opprinnelig-budsjett", 2024),), (920, 935)),
        ((("opprinnelig-budsjett", 2024),), (983, 996)),
        (((R, 2021), (R, 2022)), (459, 466)),  # undersøkelser: nøkkeltall 97/91 vs måltall-tabellen 100/97,5 %
        (((R, 2021), (R, 2022)), (1030, 1040)),  # behandlet innen 2 uker: 92,87/89,35 vs 95/90 %
    },
    "vestre-aker": {
        (((R, 2021), (R, 2022)), (334, 368)),  # barnehagelærere
        # 96/98 % vs 99 %; the text under the nøkkeltall says they are Oslo's figures, not the
        # district's: for 2023 a finding the tables alone cannot tell from a contradiction
        (((R, 2022), (R, 2023)), (477, 486)),
        (((R, 2024),), (909, 935)),  # sosialhjelpsmottakere 885 vs 879 (notes: three different counts)
        (((R, 2022), (R, 2023)), (940, 953)),  # inconsistent FO4 history between nøkkeltall and indicators
        (((R, 2023),), (942, 952)),
    },
    "bjerke": {
        # the duplicate indicator row with different values (notes 000 item 21): one finding
        ((("forventet", 2025), (R, 2023), (R, 2024)), (1201, 1202)),
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_contradictions_are_found(name):
    assert _pairs(REAL_EXAMPLES[name]) == EXPECTED[name]


def test_repeated_figures_are_paired_and_agreeing_ones_give_nothing():
    facts = _facts(REAL_EXAMPLES["sagene"])
    by_key = {}
    for fact in facts:
        if fact.comparable:
            by_key.setdefault(fact.key, []).append(fact)
    # FO2A in Tabell 0.1 B and the FO2A table (602 350 vs 602 351: a sum of rounded items)
    fo2a = by_key[("fo:2A", "netto", "opprinnelig-budsjett", 2024, None)]
    assert sorted(f.line for f in fo2a) == [116, 378]
    assert all(a.agrees(b) for a in fo2a for b in fo2a)
    # the bydel total in Tabell 0.1 B and in 7.2.1 per enhet (1 834 595 both)
    total = by_key[("sum:totalt", "netto", "opprinnelig-budsjett", 2024, None)]
    assert {f.table_id for f in total} == {"t0-1b", "t7-2-1-enhet"}
    # sick leave: the HMS table's Totalt is a fact of its own concept, with a % unit and precision 0,01
    sick = by_key[("sykefravær:totalt", None, "resultat", 2024, None)]
    assert sick[0].text == "11,25 %" and sick[0].precision == Decimal("0.01") and sick[0].base_unit == "%"


@pytest.mark.parametrize("name", sorted(REAL_EXAMPLES))
def test_comparable_only_extraction_is_the_comparable_facts(name):
    """D701 builds only the facts that can be paired; they are exactly the comparable ones of
    the full extraction, with the same slack for totals (counted over every figure above)."""
    path = REAL_EXAMPLES[name]
    report = parse_report(path.read_text(encoding="utf-8"), str(path), path)
    pack, _ = choose_pack(report, None)
    every = report_facts(report, pack)
    only = report_facts(report, pack, comparable_only=True)
    assert only == [f for f in every if f.comparable]
    assert len(only) < len(every)


def test_precision_makes_13_3_and_13_2_percent_disagree_but_13_3_and_13_25_agree(tmp_path):
    text = """---
bydel: Test
dokument: årsberetning
år: 2024
---
: Resultatindikatorer {#fo1 type=indikatorer fo=1}
| Resultatindikatorer | Resultat 2024 |
|---|---:|
| Sykefravær | {a} |

: Sykefravær {#hms type=indikatorer enhet="%"}
| Sykefravær i % | Resultat 2024 |
|---|---:|
| Totalt | {b} |
"""
    def found(a, b):
        path = tmp_path / "r.md"
        path.write_text(text.replace("{a}", a).replace("{b}", b), encoding="utf-8")
        return disagreements(_facts(path))

    assert len(found("13,3 %", "13,2 %")) == 1
    assert found("13,3 %", "13,25 %") == []


def test_clean_example_has_no_fact_findings():
    assert disagreements(_facts(CLEAN)) == []
    result = check_path(CLEAN, CheckOptions(rules=select_rules(["D"], None)))
    assert result.findings == []


def test_a_contradiction_a_pack_relation_reports_is_not_reported_twice():
    options = CheckOptions(rules=select_rules(None, None))
    result = check_path(REAL_EXAMPLES["sagene"], options)
    finish_run([result], [options])
    at_326 = [f.code for f in result.findings if f.span.line == 326]
    assert "A203" in at_326 and "D701" not in at_326
    # the indicator pair at 736/756 is reported once: by D701, or by the indicator rules (I5xx) when they do
    pair = [f.code for f in result.findings if f.span.line in (736, 756) and f.code[:2] in ("D7", "I5")]
    assert len(pair) == 1, pair


# ------------------------------------------------------------------ across documents
def _previous_year(source: str) -> str:
    """A 2023 report made of the 2024 report's 2023 columns (Regnskap/Resultat 2023)."""
    district = re.search(r"^bydel: (.+)$", source, re.M).group(1)
    out = ["---", f"bydel: {district}", "dokument: årsberetning", "år: 2023", "---", ""]
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(": ") and i + 2 < len(lines) and lines[i + 1].startswith("|"):
            header = [c.strip() for c in lines[i + 1].strip().strip("|").split("|")]
            keep = [0] + [k for k, h in enumerate(header) if re.fullmatch(r"(Regnskap|Resultat) 2023", h)]
            body = []
            j = i + 3
            while j < len(lines) and lines[j].startswith("|"):
                body.append(lines[j])
                j += 1
            if len(keep) > 1:
                out.append(line)
                for n, row in enumerate([lines[i + 1]] + body):
                    cells = row.strip().strip("|").split("|")
                    out.append("| " + " | ".join(cells[k].strip() for k in keep) + " |")
                    if n == 0:
                        out.append("|" + "|".join("---" for _ in keep) + "|")
                out.append("")
            i = j
            continue
        i += 1
    return "\n".join(out) + "\n"


@pytest.fixture()
def two_years(tmp_path):
    source = CLEAN.read_text(encoding="utf-8")
    (tmp_path / "ren-arsberetning-2024.md").write_text(source, encoding="utf-8")
    previous = _previous_year(source)
    (tmp_path / "ren-arsberetning-2023.md").write_text(previous, encoding="utf-8")
    return tmp_path, previous


def _d702(tmp_path, *extra):
    proc = run_cli("check", str(tmp_path), "--select", "D", "--format", "json", *extra)
    assert proc.returncode in (0, 1), proc.stderr
    return [f for f in json.loads(proc.stdout)["findings"] if f["code"] == "D702"]


def test_previous_year_report_agrees(two_years):
    tmp_path, previous = two_years
    assert "Regnskap 2023" in previous and previous.count("\n: ") >= 5
    assert _d702(tmp_path) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_changed_figure_gives_one_finding_pointing_at_both_files(two_years, jobs):
    tmp_path, previous = two_years
    line = next(l for l in previous.splitlines() if l.startswith("| 120 "))
    changed = line.rsplit("|", 2)
    value = changed[1].strip()
    new_line = f"{changed[0]}| {int(value.replace(' ', '')) + 700} |"
    (tmp_path / "ren-arsberetning-2023.md").write_text(previous.replace(line, new_line), encoding="utf-8")
    found = _d702(tmp_path, "--jobs", jobs)
    assert len(found) == 1, found
    finding = found[0]
    assert finding["path"].endswith("ren-arsberetning-2024.md")
    related = finding["details"]["related"]
    assert [r["path"].endswith("ren-arsberetning-2023.md") for r in related] == [True]
    sarif = json.loads(run_cli("check", str(tmp_path), "--select", "D702", "--format", "sarif").stdout)
    result = sarif["runs"][0]["results"][0]
    uris = [result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]] + [
        r["physicalLocation"]["artifactLocation"]["uri"] for r in result["relatedLocations"]]
    assert uris[0].endswith("2024.md") and uris[1].endswith("2023.md")


def test_a_single_file_gives_no_cross_document_finding(two_years):
    tmp_path, previous = two_years
    (tmp_path / "ren-arsberetning-2023.md").write_text(previous.replace("| 120 ", "| 120 Adm | 1 |"), encoding="utf-8")
    proc = run_cli("check", str(tmp_path / "ren-arsberetning-2024.md"), "--select", "D", "--format", "json")
    assert proc.returncode in (0, 1) and b"D702" not in proc.stdout


# ------------------------------------------------------------------ rapportlint facts
def test_facts_csv_is_for_excel_with_a_norwegian_locale():
    proc = run_cli("facts", str(CLEAN))
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert rows and set(rows[0]) >= {"bydel", "dokument", "år", "tabell", "radtekst", "begrep", "kolonnetekst",
                                     "scenario", "periode", "verdi", "enhet", "presisjon", "fil", "linje"}
    fo1 = next(r for r in rows if r["tabell"] == "t0-1b" and r["radtekst"] == "Funksjonsområde 1"
               and r["kolonnetekst"] == "Regnskap 2024")
    assert (fo1["begrep"], fo1["scenario"], fo1["periode"], fo1["verdi"], fo1["måling"]) == \
        ("fo:1", "regnskap", "2024", "41500", "netto")
    assert any("," in r["verdi"] for r in rows if r["enhet"] == "%")  # decimal comma


def test_facts_json_follows_the_published_schema():
    proc = run_cli("facts", str(EXAMPLES), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    schema = json.loads((ROOT / "linter" / "schemas" / "facts.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert len({f["fil"] for f in data["fakta"]}) == 5
    assert len(data["fakta"]) > 5000


def test_facts_of_a_missing_file_is_exit_2():
    proc = run_cli("facts", "does-not-exist.md")
    assert proc.returncode == 2 and "finnes ikke" in proc.stderr.decode("utf-8")


def test_rules_are_registered():
    assert {"D701", "D702", "D703"} <= set(all_rules())


def test_html_key_figures_mark_the_disagreeing_cell_and_link_both_files(two_years, tmp_path_factory):
    tmp_path, previous = two_years
    line = next(l for l in previous.splitlines() if l.startswith("| Funksjonsområde 1 |") and "40 000" in l)
    # the 2023 report's FO1 accounts in Tabell 0.1 B no longer match the 2024 report's Regnskap 2023,
    # nor the 2023 report's own FO1 table: one D701 in the 2023 report, and no D702 on top of it
    (tmp_path / "ren-arsberetning-2023.md").write_text(previous.replace(line, "| Funksjonsområde 1 | 40 900 |", 1),
                                                      encoding="utf-8")
    out = tmp_path_factory.mktemp("html") / "r.html"
    proc = run_cli("check", str(tmp_path), "--format", "html", "-o", str(out))
    assert proc.returncode in (0, 1), proc.stderr
    page = out.read_text(encoding="utf-8")
    assert 'id="key-figures"' in page
    marked = re.findall(r'<td class="n disagree" data-line="(\d+)"><a href="#(doc-\d-fact-\d+-\d+)">([^<]+)</a>', page)
    assert [(m[0], m[2]) for m in marked] == [("23", "40 900")]
    assert f'id="{marked[0][1]}"' in page  # the link goes to the finding
    # the previous-year column of the 2024 report: a D702 in the 2024 report linking to the 2023 file
    (tmp_path / "ren-arsberetning-2023.md").write_text(
        previous.replace(line, "| Funksjonsområde 1 | 40 900 |").replace("| Sum netto utgifter | 40 000 |",
                                                                           "| Sum netto utgifter | 40 900 |"),
        encoding="utf-8")
    proc = run_cli("check", str(tmp_path), "--format", "html", "-o", str(out), "--jobs", "2")
    page = out.read_text(encoding="utf-8")
    assert re.search(r'class="related" href="#doc-1">[^<]*ren-arsberetning-2023\.md:\d+:\d+</a>', page)


def _small(district: str, fo1: str) -> str:
    return f"""---
bydel: {district}
dokument: årsberetning
år: 2024
---
: Tabell 0.1 B Netto driftsutgifter i 1000 kr. {{#t0-1b type=økonomi enhet="1000 kr"}}
| Netto driftsutgifter | Regnskap 2024 |
|---|---:|
| Funksjonsområde 1 | {fo1} |
"""


@pytest.mark.parametrize("city, expected", [("3 001", 0), ("3 100", 1)])
def test_city_level_figure_against_the_sum_over_districts(tmp_path, city, expected):
    (tmp_path / "a.md").write_text(_small("Alna", "1 000"), encoding="utf-8")
    (tmp_path / "b.md").write_text(_small("Bjerke", "2 000"), encoding="utf-8")
    (tmp_path / "oslo.md").write_text(_small("Oslo", city), encoding="utf-8")
    found = _d702(tmp_path)
    assert len(found) == expected
    if expected:
        assert found[0]["path"].endswith("oslo.md") and "summen over 2 bydeler i kjøringen er 3000" in found[0]["message"]
        assert sorted(r["path"][-4:] for r in found[0]["details"]["related"]) == ["a.md", "b.md"]


def test_budget_repeats_are_paired_as_the_notes_describe():
    """Notes 000: each FO's Rammeoversikt «Vedtatt budsjett forrige år videreført» = its Oppr. bud
    2025 and «Ramme 2026-2029» = its Øk.plan 2026 (14/14 hold); the KOSTRA and per-enhet totals
    and the Endringskategorier agree; the FO1 indicator is repeated in six måltabeller."""
    by_key: dict[tuple, list] = {}
    for fact in _facts(REAL_EXAMPLES["bjerke"]):
        if fact.comparable:
            by_key.setdefault(fact.key, []).append(fact)
    ramme = [k for k, v in by_key.items() if k[0].startswith("fo:") and len(v) == 2
             and {f.table_type for f in v} == {"økonomi", "ramme"}]
    assert len(ramme) == 14
    assert {k[2] for k in ramme} == {"opprinnelig-budsjett", "økonomiplan"}
    total = by_key[("sum:totalt", "netto", "opprinnelig-budsjett", 2025, None)]
    assert {f.table_id for f in total} == {"endringskategorier", "kostra", "enhet-bydel"}
    repeated = by_key[("indikator:andel fast ansatte i heltidsstillinger", None, "resultat", 2024, None)]
    assert len(repeated) == 6
    for group in (total, repeated, *(by_key[k] for k in ramme)):
        assert all(a.agrees(b) for a in group for b in group)


@pytest.mark.parametrize("spelling", ["Netto utgifter *) i alt", "Totalt netto utgifter", "I alt netto utgifter 1)"])
def test_total_rows_read_through_the_pack_synonyms(spelling):
    """«X i alt» and «Totalt X» are «Sum X» to the taxonomy, as to every selector: the FO total."""
    from linter.facts.taxonomy import taxonomy_for
    from linter.packs import load_pack

    taxonomy = taxonomy_for(load_pack("årsberetning-2024"))
    assert taxonomy.fold(spelling) == taxonomy.fold("Sum netto utgifter *)") == "sum netto utgifter"
    text = ("---\ntype: årsberetning\når: 2024\nbydel: Test\n---\n\n# 1 Økonomi\n\n"
            ": Tall i 1000 kr {#t type=økonomi enhet=\"1000 kr\" fo=3}\n"
            "| Kontotype | Regnskap 2024 |\n|---|---:|\n| Driftsutgifter | 10 |\n"
            f"| {spelling} | 10 |\n")
    report = parse_report(text, "t.md", None)
    concepts = {f.row_label: f.concept for f in report_facts(report, load_pack("årsberetning-2024"))}
    assert concepts[spelling] == "fo:3"
