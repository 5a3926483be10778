"""Comparing section titles the way a reader would: ignoring case, dashes, punctuation and
spacing, and tolerating small typos ("RAPPORTING" for "rapportering")."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2019": "'", "\u00a0": " ", "\u202f": " "})
_NOISE = re.compile(r"[^\wæøå%/+&()-]+")
_SPACES = re.compile(r"\s+")
_TRAILING_YEAR = re.compile(r"\s+(19|20)\d\d$")
_CODE = re.compile(r"\b\w*\d\w*\b")


@lru_cache(maxsize=4096)
def normalize_title(title: str) -> str:
    text = title.translate(_DASHES).lower()
    text = re.sub(r"\s*-\s*", " - ", text)
    text = _NOISE.sub(" ", text)
    text = _SPACES.sub(" ", text).strip(" .:-")
    # "Miljø- og klimarapportering 2024": the report year after a template title is not drift.
    return _TRAILING_YEAR.sub("", text)


@lru_cache(maxsize=8192)
def title_similarity(a: str, b: str) -> float:
    """1.0 for the same title after normalisation; otherwise difflib's ratio. Titles that carry
    different codes or numbers ("Funksjonsområde 2A" and "2B", "FO4AB" and "FO4C") never match
    fuzzily: one letter apart is a different section, not a typo."""
    na, nb = normalize_title(a), normalize_title(b)
    if na == nb:
        return 1.0
    if _CODE.findall(na) != _CODE.findall(nb):
        return 0.0
    return _ratio(na, nb)


@lru_cache(maxsize=65536)
def _ratio(a: str, b: str) -> float:
    # Every report section is compared with every template section; reports repeat titles
    # ("Økonomi", "Måloppnåelse" under each funksjonsområde), so most pairs come back.
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def same_title(a: str, b: str) -> bool:
    return normalize_title(a) == normalize_title(b)
