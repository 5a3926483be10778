"""Rule tests as data (sqlfluff style): tests/cases/<CODE>.yaml, one file per rule.

    rule: S101
    pack: packs/mini-2024.yaml     # optional (also per case): a pack id, or a path relative to tests/cases/;
                                   # default: chosen from the front matter
    cases:
      - name: a short description
        report: |                  # the report text (front matter optional)
          ...
        expect:                    # this rule's findings, in order; [] means none
          - line: 7
            column: 1              # optional
            severity: warning      # optional
            contains: "mangler"    # optional: a piece of the Norwegian message
        fixed: |                   # optional: the text after applying this rule's fixes
          ...
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from linter.engine import CheckOptions, check_text
from linter.fixes import apply_fixes
from linter.rules.registry import all_rules

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases():
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            pack = case.get("pack", data.get("pack"))  # a case may name its own pack
            if pack and pack.endswith(".yaml"):
                pack = str(CASES_DIR / pack)
            params.append(pytest.param(data["rule"], pack, case, id=f"{path.stem}:{case['name']}"))
    return params


@pytest.mark.parametrize("code, pack, case", _load_cases())
def test_rule_case(code, pack, case):
    rule = all_rules()[code]
    result = check_text(case["report"], "case.md", CheckOptions(rules=[rule], ruleset=pack))
    assert not result.failed, (result.syntax_error and result.syntax_error.problems, result.pack_error)
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
    if "fixed" in case:
        fixed, _ = apply_fixes(case["report"], [f.fix for f in found if f.fix])
        assert fixed == case["fixed"]
