"""The normaliser every selector goes through (linter/normalize.py): spellings that districts
vary must fold to one form; synonyms come from the pack and only add matches."""

from __future__ import annotations

import pytest

from linter.normalize import Synonyms, closest, fold, glob_match
from linter.packs import load_pack

PACK_SYNONYMS = Synonyms.from_pack(load_pack("årsberetning-2024"))


@pytest.mark.parametrize("variants", [
    ("Tabell 0.1 B Netto", "Tabell 0.1B Netto", "Tabell 0.1.B  Netto", "tabell 0.1 b netto"),
    ("Sum 0-17 år", "Sum 0–17 år", "Sum 0 − 17 år", "SUM 0-17\u00a0år"),
    ("Overførte prosjektmidler", "Overførte prosjekt-midler", "Overførte prosjekt\u2011midler"),
    ("Sum netto utgifter", "Sum netto utgifter *)", "Sum netto utgifter 1)", "Sum netto utgifter\u00b9"),
    ("Menn %", "Menn%", "Menn\u202f%"),
    ("Funksjonsområde 2A", "Funksjonsområde 2 A", "Funksjonsområde 2.A"),
])
def test_spellings_fold_to_one_form(variants):
    assert len({fold(v) for v in variants}) == 1, [fold(v) for v in variants]


@pytest.mark.parametrize("left, right", [
    ("Oppr. budsjett 2024", "Opprinnelig budsjett 2024"),
    ("Regulert budsjett 2024", "Justert budsjett 2024"),
    ("Overført prosjekt-midler", "Overførte prosjektmidler"),
    ("Sum drift", "Totalt drift"),
    ("Sum drift", "I alt drift"),
    ("Funk.omr. 4", "Funksjonsområde 4"),
])
def test_pack_synonyms(left, right):
    assert fold(left) != fold(right)
    assert fold(left, PACK_SYNONYMS) == fold(right, PACK_SYNONYMS)


def test_the_single_letter_words_are_not_glued_to_a_number():
    assert fold("Barn 2024 i alt") == "barn 2024 i alt"


@pytest.mark.parametrize("pattern, text, expected", [
    ("Tabell 0.1 B *", "Tabell 0.1.B Netto driftsutgifter i 1000 kr.", True),
    ("Tabell 0.1 B *", "Tabell 0.1 Brutto driftsutgifter", False),
    ("Reg*bud*", "Justert budsjett 2024", True),
    ("Reg*bud*", "Regnskap 2024", False),
    ("Sum *", "Totalt drift 2023", True),
    ("Tot*", "Totalt drift 2023", True),  # a synonym never takes a match away
    ("Fun* 4*", "Funksjonsområde 4A", True),
    ("Fun* 4*", "Funksjonsområde 3 2024", False),
    ("2?", "2 A", True),
    ("Sum ??? - *", "Sum 201 – Førskole", True),
    ("Sum *, drift", "Sum brutto utgifter, drift", True),
    ("Avvik", "Avvik 2024", False),
])
def test_glob_on_the_folded_form(pattern, text, expected):
    assert glob_match(pattern, text, PACK_SYNONYMS) is expected


def test_glob_has_no_catastrophic_backtracking():
    assert not glob_match("*a*a*a*a*a*a*a*a*a*a*ab", "a" * 20000)
    assert glob_match("*a*a*a*b", "a" * 20000 + "b")


def test_closest_names_the_near_candidates_first():
    found = closest("Tabell 0.1 C *", ["Befolkning 2024", "Tabell 0.1 B Netto", "Tabell 0.1 Brutto"])
    assert found[:2] == ["Tabell 0.1 B Netto", "Tabell 0.1 Brutto"]
    assert "Befolkning 2024" not in found


def test_a_trailing_i_alt_reads_as_a_leading_sum():
    assert fold("Netto utgifter, drift i alt", PACK_SYNONYMS) == fold("Sum netto utgifter, drift", PACK_SYNONYMS)
    assert glob_match("Sum netto utgifter*", "Netto utgifter i alt *)", PACK_SYNONYMS)


@pytest.mark.parametrize("label, folded", [
    ("Brutto driftsutgifter per barn (f.251)", "brutto driftsutgifter per barn f 251"),
    ("Antall sosialhjelpsmottakere (KOSTRA bydel nivå 3)", "antall sosialhjelpsmottakere kostra bydel nivå 3"),
    ("Antall uker 3)", "antall uker"),
])
def test_a_number_closing_a_parenthesis_is_no_footnote(label, folded):
    assert fold(label) == folded


# ---------------------------------------------------------------- the fast paths equal the plain ones

def _plain_base(text: str, footnotes: bool) -> str:
    """normalize._base without its guards: every step on every text."""
    import unicodedata

    from linter import normalize as n

    if footnotes:
        text = text.translate(n._SUPERSCRIPTS)
    text = unicodedata.normalize("NFKC", text).translate(n._DASHES).casefold()
    if footnotes:
        text = n._FOOTNOTE.sub("", text)
        if text.count("(") < text.count(")"):
            text = n._NUMBER_FOOTNOTE.sub("", text)
    for pattern, replacement in ((n._WORD_HYPHEN, ""), (n._DIGIT_RANGE, "-"), (n._LONE_HYPHEN, " "),
                                 (n._NOT_NUMBER_POINT, " "), (n._PUNCTUATION, " "), (n._SPACES, " "),
                                 (n._CODE_LETTER, r"\1"), (n._PERCENT, "%")):
        text = pattern.sub(replacement, text)
    return text


def _regex_glob(pattern: str, text: str) -> bool:
    """A glob matched with one regex (the reference for the part-by-part matcher)."""
    import re as regex

    from linter.normalize import fold_pattern

    pieces = [p for p in fold_pattern(pattern) if p != ""]
    body = "".join(".*" if p == "*" else "".join("." if ch == "?" else regex.escape(ch) for ch in p) for p in pieces)
    return regex.fullmatch(body, text, regex.DOTALL) is not None


def test_fold_and_globs_fast_paths_equal_the_plain_functions():
    import random

    from linter import normalize as n

    rng = random.Random(17)
    alphabet = "aæø AZ09-–—−‐﹣－\u00ad*()%.,¹²⁽ \u00a0\t_+<>=iox"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        for footnotes in (True, False):
            assert n._base(text, footnotes) == _plain_base(text, footnotes), repr(text)
    for _ in range(3000):
        pattern = "".join(rng.choice("ab ?*%1") for _ in range(rng.randint(0, 6)))
        text = "".join(rng.choice("ab %1") for _ in range(rng.randint(0, 8)))
        folded = n.fold(text)
        assert n._compile(pattern, None).match(folded) == _regex_glob(pattern, folded), (pattern, text)
