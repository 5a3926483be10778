"""Comparing section titles the way a reader would: ignoring case, dashes, punctuation and
spacing, and tolerating small typos ("RAPPORTING" for "rapportering")."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2019": "'", "\u00a0": " ", "\u202f": " "})
_NOISE = re.compile(r"[^\wæøå%/+&()-]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def normalize_title(title: str) -> str:
    text = title.translate(_DASHES).lower()
    text = re.sub(r"\s*-\s*", " - ", text)
    text = _NOISE.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" .:-")


def title_similarity(a: str, b: str) -> float:
    """1.0 for the same title after normalisation; otherwise difflib's ratio."""
    na, nb = normalize_title(a), normalize_title(b)
    if na == nb:
        return 1.0
    return _ratio(na, nb)


@lru_cache(maxsize=65536)
def _ratio(a: str, b: str) -> float:
    # Every report section is compared with every template section; reports repeat titles
    # ("Økonomi", "Måloppnåelse" under each funksjonsområde), so most pairs come back.
    return SequenceMatcher(None, a, b, autojunk=False).ratio()
