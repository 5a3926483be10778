"""The indicator rules on the real examples: the same indicator in two tables (I510) and the
Avvik sign conventions (I504/I509), as catalogued in ../shared/notes/."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, REAL_EXAMPLES
from linter.engine import CheckOptions, check_path
from linter.rules.registry import all_rules


def _findings(path, code):
    if not path.exists():
        pytest.skip(f"{path.name} is not in examples/")
    result = check_path(path, CheckOptions(rules=list(all_rules().values())))
    assert not result.failed
    return sorted((f.span.line, f.details.get("year"), f.details.get("reported"), f.details.get("other"))
                  for f in result.findings if f.code == code)


def test_grunerlokka_indicator_history_differs_from_the_key_figures():
    # notes 002 §E19: FO2B 2021/2022 100 % / 97,50 % vs 97 / 91; FO4 95 % / 90 % vs 92,87 / 89,35
    assert _findings(REAL_EXAMPLES["grunerlokka"], "I510") == [
        (466, 2021, "100", "97"), (466, 2022, "97.50", "91"),
        (1040, 2021, "95", "92.87"), (1040, 2022, "90", "89.35"),
    ]


def test_sagene_indicator_history_differs_from_the_key_figures():
    # notes 004 §8.3 no. 30, 31, 33
    assert _findings(REAL_EXAMPLES["sagene"], "I510") == [
        (464, 2023, "96.0", "100"), (754, 2022, "58", "55"), (756, 2023, "90", "95"),
    ]


def test_vestre_aker_indicator_history_differs_from_the_key_figures():
    # notes 001 §E35 (2 uker 2023; viktigste kilde til livsopphold 2022, 2023) and §W36 (3 måneder)
    assert _findings(REAL_EXAMPLES["vestre-aker"], "I510") == [
        (486, 2022, "99", "96"), (952, 2023, "86", "80"), (953, 2022, "45", "48"), (953, 2023, "42", "46"),
    ]


def test_repeated_indicator_with_equal_values_is_no_finding():
    # Bjerke repeats the FO1 indicator in all six måltabeller with the same values
    assert _findings(REAL_EXAMPLES["bjerke"], "I510") == []
    assert _findings(EXAMPLES / "ren-arsberetning-2024.md", "I510") == []


def test_sagene_dropped_signs_stay_errors_under_the_stated_convention():
    # notes 004 #14, #16, #18: "Avvik 2024 (Resultat-måltall)" with the minus sign dropped
    lines = [line for line, *_ in _findings(REAL_EXAMPLES["sagene"], "I504")]
    assert lines == [648, 650, 652]
    assert _findings(REAL_EXAMPLES["sagene"], "I509") == []


def test_comparison_target_is_checked_on_vestre_aker():
    # ">74", result 63, Avvik -11: checked now, and it holds
    result = check_path(REAL_EXAMPLES["vestre-aker"], CheckOptions(rules=[all_rules()["I504"]]))
    assert [f for f in result.findings if f.code == "I504"] == []
    from linter.rules.indicators import _deviation_rows, _indicator_tables
    from linter.packs import load_pack
    from linter.rules.base import RuleContext

    report = result.report
    tables = {t.table.id: t for t in _indicator_tables(report, RuleContext(pack=load_pack("årsberetning-2024")))}
    fo1 = tables["fo1-indikatorer"]
    rows = _deviation_rows(fo1.table, fo1.result, fo1.target, fo1.deviation)
    assert [(r.diff, r.reported, r.fits(1)) for r in rows] == [(-11, -11, True)]


def test_coverage_says_what_the_indicator_checks_covered():
    result = check_path(REAL_EXAMPLES["vestre-aker"], CheckOptions(rules=list(all_rules().values())))
    indicators = result.coverage["indikatorer"]
    deviation = indicators["avvik"]
    assert deviation["run"] == deviation["held"] + deviation["failed"] and deviation["run"] > 0
    # FO2A stops at «Måltall 2024» (notes 001 §5): not checked, and said so with the reason
    assert {"table": "fo2a-indikatorer-mal01", "line": 322, "reason": "ingen kolonne for resultat 2024, avvik 2024",
            "reason_en": "no column for the result 2024, deviation 2024"} in deviation["not_run"]
    assert indicators["samme_indikator"] == {"run": 8, "held": 4, "failed": 4}


def test_column_classification_is_shared_per_report_and_pack():
    """The I5 rules share one classification per table through the report's context; a pack
    with another column vocabulary gets its own, and a caller changing its list changes nothing."""
    import dataclasses

    from linter.packs import load_pack
    from linter.parsing.builder import parse_report
    from linter.rules.base import RuleContext
    from linter.rules.indicators import classify, indicator_tables

    path = REAL_EXAMPLES["vestre-aker"]
    report = parse_report(path.read_text(encoding="utf-8"), str(path), path)
    pack = load_pack("årsberetning-2024")
    table = next(t for t in indicator_tables(report) if any(c.kind == "target" for c in classify(t)))
    shared: dict = {}
    first = classify(table, RuleContext(pack=pack, shared=shared))
    assert [c.kind for c in first] == [c.kind for c in classify(table)]
    first.clear()
    assert classify(table, RuleContext(pack=pack, shared=shared)) == classify(table)
    # a pack that calls no header a target: its own classification, in the same shared memo
    data = dict(pack.data)
    data["indikatorer"] = {**(data.get("indikatorer") or {}), "kolonner": {"mål": ["ingen slik kolonne"]}}
    other = dataclasses.replace(pack, data=data)
    kinds = [c.kind for c in classify(table, RuleContext(pack=other, shared=shared))]
    assert "target" not in kinds
    assert "target" in [c.kind for c in classify(table, RuleContext(pack=pack, shared=shared))]
