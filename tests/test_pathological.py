"""Inputs that once crashed rapportlint (Decimal overflow, RecursionError) or took quadratic or
exponential time: each gives its exact finding at the size that broke it. How the time grows
with the size is measured in bench/benchmark.py (no timed tests here)."""

from __future__ import annotations

import importlib.util

import pytest
from conftest import ROOT

from linter.engine import CheckOptions, check_text
from linter.rules.registry import all_rules


def _inputs():
    spec = importlib.util.spec_from_file_location("pathological", ROOT / "bench" / "pathological.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.INPUTS


INPUTS = _inputs()
SKIPPED_TOO_LARGE = (
    "kontrollen {check} for {target} er hoppet over: {cell} har {digits} sifre, for mange til å regne med "
    "(høyst 40); er tallet skrevet riktig?",
    "the check {check} of {target} was skipped: {cell} has {digits} digits, too many to compute with "
    "(at most 40); is the figure written correctly?",
)
TOO_DEEP = ("ugyldig formel i t: formelen har for mange ledd eller nivåer (høyst 200); del den opp",
            "invalid formula in t: the formula has too many terms or levels (at most 200); split it up")

EXPECTED = {
    "huge-number": ("A201", 12, 7, *(m.format(check="sum", target="«Sum» / «Regnskap»", cell="«A» / «Regnskap»",
                                              digits=1_000_000) for m in SKIPPED_TOO_LARGE)),
    "huge-percent": ("A204", 11, 12, *(m.format(check="Menn % + Kvinner % = 100", target="«Totalt» / «Menn %»",
                                                cell="«Totalt» / «Menn %»", digits=100_000) for m in SKIPPED_TOO_LARGE)),
    "long-formula": ("A206", 9, 5, *TOO_DEEP),
    "unary-minuses": ("A206", 9, 5, *TOO_DEEP),
    "glob-label": ("A201", 13, 9, "«Sum» / «Regnskap» er 20, men 1 rader (linje 12) summerer til 1 (avvik 19, tillatt avrunding ±1)",
                   "«Sum» / «Regnskap» is 20 but 1 rows (lines 12) add up to 1 (difference 19, allowed rounding ±1)"),
    "wrong-long-sum": ("A201", 4012, 9,
                       "«Sum» / «Regnskap» er 1, men 4000 rader (linje 12–4011) summerer til 7 998 000 "
                       "(avvik -7 997 999, tillatt avrunding ±2 000,5)",
                       "«Sum» / «Regnskap» is 1 but 4000 rows (lines 12–4011) add up to 7 998 000 "
                       "(difference -7 997 999, allowed rounding ±2 000,5)"),
    "wide-table": ("A201", 14, 40005, "«Sum» / «K9999» er 30, men 2 rader (linje 12–13) summerer til 3 (avvik 27, "
                   "tillatt avrunding ±1,5)",
                   "«Sum» / «K9999» is 30 but 2 rows (lines 12–13) add up to 3 (difference 27, allowed rounding ±1,5)"),
}


def _findings(name: str, code_prefix: str):
    generate, size = INPUTS[name]
    result = check_text(generate(size), f"{name}.md", CheckOptions(rules=list(all_rules().values())))
    assert not result.failed and not result.internal_errors
    return [f for f in result.findings if f.code.startswith(code_prefix)]  # one rule, or a family


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pathological_input_gives_its_exact_finding(name):
    code, line, column, nb, en = EXPECTED[name]
    findings = _findings(name, code)  # this rule only: A207 (relation not run) may add its own
    assert [(f.code, f.span.line, f.span.column, f.message_nb, f.message_en) for f in findings] == \
        [(code, line, column, nb, en)]


def test_a_figure_of_exactly_40_digits_is_still_added_up_exactly():
    generate, _ = INPUTS["huge-number"]
    result = check_text(generate(40), "x.md", CheckOptions(rules=list(all_rules().values())))
    [finding] = [f for f in result.findings if f.code == "A201"]
    assert finding.details["computed"] == "1" + "0" * 40  # 99…9 + 1, not rounded to 28 digits
    assert finding.details["difference"] == "-" + "9" * 39 + "5"


def test_20000_suppressions_each_find_their_own_paragraph():
    findings = _findings("many-suppressions", "X9")
    assert len(findings) == 20_000
    assert {f.code for f in findings} == {"X902"}
    assert findings[-1].span.line == 8 + 3 * 19_999 + 1
    assert findings[-1].message_en == f"the suppression of A201 is unused: no A201 finding on line {findings[-1].span.line + 1}"


def test_glob_with_many_stars_matches_like_a_glob():
    from linter.formulas import glob_match

    pattern = "*a*a*a*a*a*a*a*a*ab"
    assert glob_match(pattern, "a" * 50_000 + "b")
    assert not glob_match(pattern, "a" * 50_000)  # the case that backtracked for minutes
    assert glob_match("Sum*", "Sum netto") and not glob_match("Sum*", "Netto sum")
    assert glob_match("*drift", "Sum drift") and glob_match("a*b*c", "abc") and not glob_match("a*b*c", "acb")
    assert glob_match("R?gnskap *", "Regnskap 2024") and not glob_match("ab*ba", "aba")
    assert glob_match("*", "") and glob_match("**", "x") and not glob_match("?", "")
