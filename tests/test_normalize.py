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
