"""The importer's vocabulary (column words, caption starts, unit words) as data:
rules/importer/ordforrad.yaml. What varies between districts and years is a word in that file,
never a code path."""

from __future__ import annotations

import re
from functools import cache

from linter.resources import rule_packs_dir

FILE = "importer/ordforrad.yaml"


@cache
def vocabulary() -> dict[str, list[str]]:
    from linter.packs import _read_yaml

    data = _read_yaml(rule_packs_dir() / FILE)
    if not isinstance(data, dict):
        raise ValueError(f"{rule_packs_dir() / FILE}: expected a mapping of word lists")
    return {k: [str(w) for w in v] for k, v in data.items() if isinstance(v, list)}


def words(key: str) -> list[str]:
    return vocabulary().get(key, [])


def alternation(key: str) -> str:
    """The words as one regular-expression alternation, longest first."""
    return "|".join(re.escape(w) for w in sorted(words(key), key=len, reverse=True))
