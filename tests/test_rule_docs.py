"""Every rule documents itself: why, a bad example and a good one, in both languages' summary."""

from __future__ import annotations

import re

import pytest

from linter.rules.registry import all_rules

RULES = list(all_rules().values())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_declares_identity(rule):
    assert re.fullmatch(r"[A-Z][0-9]{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.family
    nb, en = rule.summary
    assert nb and en and nb != en
    for key, (mnb, men) in rule.messages.items():
        assert mnb and men, key


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_docstring_has_why_bad_and_good(rule):
    doc = rule.doc()
    assert "Hvorfor:" in doc, f"{rule.code} lacks 'Hvorfor:'"
    assert re.search(r"^Feil:\s*$", doc, re.M), f"{rule.code} lacks a 'Feil:' example"
    assert re.search(r"^Riktig:\s*$", doc, re.M), f"{rule.code} lacks a 'Riktig:' example"
    if rule.fixable:
        assert "Retting:" in doc, f"{rule.code} is fixable but does not say what --fix does"


def test_codes_and_names_are_unique():
    names = [r.name for r in RULES]
    assert len(set(names)) == len(names)
