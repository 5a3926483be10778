"""Rule tests as data (sqlfluff style): tests/cases/<CODE>.yaml, one file per rule.

    rule: S101
    pack: packs/mini-2024.yaml     # optional (also per case): a pack id, or a path relative to tests/cases/;
                                   # default: chosen from the front matter
    also: [S102]                   # optional (also per case): rules run beside it (X902 needs the rule it names;
                                   # "rule_fixtures:Class" names a test-only rule in tests/);
                                   # only this rule's findings are compared
    cases:
      - name: a short description
        report: |                  # the report text (front matter optional)
          ...
        others: [...]              # optional: more reports checked in the same run (D702)
        expect:                    # this rule's findings, in order; [] means none
          - line: 7
            column: 1              # optional
            severity: warning      # optional
            contains: "mangler"    # optional: a piece of the Norwegian message
            contains_en: "missing" # optional: a piece of the English message
        fixed: |                   # optional: the text after applying this rule's fixes
          ...

Every registered rule has its file, with a case it passes, a case it fails and its English
message asserted at least once; a fixable rule has a case with ``fixed``. Each case runs this
rule alone (plus ``also``) and compares this rule's findings only, so a change to another rule
never fails it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from linter.engine import CheckOptions, check_text
from linter.fixes import apply_fixes
from linter.rules.registry import all_rules

CASES_DIR = Path(__file__).parent / "cases"


def _rule(name: str, rules: dict):
    """A registered code, or "module:Class" for a rule that exists only for tests."""
    if ":" in name:
        import importlib

        module, _, attribute = name.partition(":")
        return getattr(importlib.import_module(module), attribute)
    return rules[name]


@cache
def _case_files() -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(CASES_DIR.glob("*.yaml"))}


def _load_cases():
    params = []
    for code, data in _case_files().items():
        path = CASES_DIR / f"{code}.yaml"
        for case in data["cases"]:
            pack = case.get("pack", data.get("pack"))  # a case may name its own pack
            if pack and pack.endswith(".yaml"):
                pack = str(CASES_DIR / pack)
            assert data["rule"] == path.stem, f"{path.name} names rule {data['rule']}"
            # X999's cases make a rule fail on purpose (tests/conftest.py fails any other test that does)
            marks = [pytest.mark.internal_errors_expected] if data["rule"] == "X999" else []
            params.append(pytest.param(data["rule"], pack, case, id=f"{path.stem}:{case['name']}", marks=marks))
    return params


@pytest.mark.parametrize("code, pack, case", _load_cases())
def test_rule_case(code, pack, case):
    rules = all_rules()
    assert code in rules, f"tests/cases/{code}.yaml: no rule {code} is registered"
    also = case.get("also", _case_files()[code].get("also", []))
    chosen = [_rule(c, rules) for c in [code, *also] if c in rules or ":" in c]
    options = CheckOptions(rules=chosen, ruleset=pack)
    result = check_text(case["report"], "case.md", options)
    assert not result.failed, (result.syntax_error and result.syntax_error.problems, result.pack_error)
    if case.get("others"):  # more reports in the same run: the post-pass compares them (D702)
        from linter.facts.crossdoc import finish_run

        others = [check_text(text, f"other-{n}.md", options) for n, text in enumerate(case["others"], 1)]
        finish_run([result, *others], [options] * (1 + len(others)))
    found = [f for f in result.findings if f.code == code]
    expected = case.get("expect", [])
    assert len(found) == len(expected), [f"{f.span.line}:{f.span.column} {f.message_nb}" for f in found]
    for finding, want in zip(found, expected):
        assert finding.span.line == want["line"], finding.message_nb
        if "column" in want:
            assert finding.span.column == want["column"], finding.message_nb
        if "severity" in want:
            assert finding.severity.value == want["severity"]
        if "contains" in want:
            assert want["contains"] in finding.message_nb, finding.message_nb
        if "contains_en" in want:
            assert want["contains_en"] in finding.message_en, finding.message_en
    if "fixed" in case:
        fixed, _ = apply_fixes(case["report"], [f.fix for f in found if f.fix])
        assert fixed == case["fixed"]


def test_every_rule_has_a_case_file_that_passes_fails_and_asserts_its_english_message():
    files = _case_files()
    problems = []
    for code, rule in all_rules().items():
        data = files.get(code)
        if data is None:
            problems.append(f"{code}: no tests/cases/{code}.yaml")
            continue
        cases = data["cases"]
        expectations = [want for case in cases for want in case.get("expect", [])]
        if not any(not case.get("expect") for case in cases):
            problems.append(f"{code}: no case it passes (expect: [])")
        if not expectations:
            problems.append(f"{code}: no case it fails")
        if not any("contains_en" in want for want in expectations):
            problems.append(f"{code}: its English message is never asserted (contains_en)")
        if rule.fixable and not any("fixed" in case for case in cases):
            problems.append(f"{code}: fixable, but no case shows the fix (fixed)")
    assert not problems, "\n".join(problems)


def test_every_case_file_names_a_registered_rule():
    """A rule that is removed or renamed leaves its case file failing, not silently unused."""
    unknown = sorted(set(_case_files()) - set(all_rules()))
    assert unknown == []
