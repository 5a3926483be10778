"""The shortcuts the rules take for speed give the answers of the work they skip: memos per
rule pack (``RulePack.derived``), the template matches indexed by number and title, the
prefilter before the case-blind reference patterns (F605)."""

from __future__ import annotations

import dataclasses
import random
import re
import sys
from pathlib import Path

import pytest

from linter.engine import choose_pack
from linter.packs import load_pack
from linter.parsing.builder import parse_report

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.md"))


def test_examples_exist():
    assert len(EXAMPLES) >= 5


@pytest.fixture(scope="module")
def parsed():
    out = []
    for path in EXAMPLES:
        report = parse_report(path.read_text(encoding="utf-8"), str(path), path, recover=True)
        pack, _ = choose_pack(report, None)
        assert pack is not None, path
        out.append((report, pack))
    return out


# ------------------------------------------------------------------ F605's prefilter

def test_reference_prefilter_knows_every_character_the_patterns_match_case_blind():
    """Every character that re.IGNORECASE matches to a letter of the words looked for either
    lowercases to that letter or makes the prefilter give up (scan with the patterns)."""
    from linter.rules.consistency import _FOLDS_APART

    letters = set("vedlgskapitunjøfrom")
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for letter in letters:
        for ch in set(re.findall(f"(?i){re.escape(letter)}", every)):
            assert ch.lower() == letter or ch in _FOLDS_APART, (letter, hex(ord(ch)))


def test_reference_prefilter_never_drops_a_match():
    from linter.rules.consistency import _PROMISED_ATTACHMENT, _REFERENCE, _may_refer

    words = ["vedlegg", "Vedlegg", "VEDLEGG", "kapittel", "Kap.", "punkt", "PUNKT", "avsnitt", "seksjon",
             "vedlegges", "følger som vedlegg", "FØLGER SOM VEDLEGG", "se vedlegg", "avsnıtt", "ſeksjon",
             "avsnİtt", "\u212aap.", "kap", "vedlegg til"]
    tails = [" 7.4", " 3", " 4.18.2", "", " til", ".", " 12,5"]
    rng = random.Random(17)
    texts = []
    for _ in range(3000):
        parts = [rng.choice(["Det vises til ", "", "Se ", "x", "Bydelen ", "(", "«"]), rng.choice(words),
                 rng.choice(tails), rng.choice(["", " og ", ". Rapporten ", " "]), rng.choice(words + [""]),
                 rng.choice(tails)]
        texts.append("".join(parts))
    for report_path in EXAMPLES:
        texts.extend(report_path.read_text(encoding="utf-8").split("\n\n"))
    for text in texts:
        references, promises = _may_refer(text)
        if _REFERENCE.search(text):
            assert references, text
        if _PROMISED_ATTACHMENT.search(text):
            assert promises, text


# ------------------------------------------------------------------ memos per pack

def test_pack_memo_gives_what_the_pack_data_gives(parsed):
    from linter.facts.taxonomy import _taxonomy_of, taxonomy_for
    from linter.normalize import Synonyms
    from linter.template import _section_specs, section_specs

    for _, pack in parsed:
        fresh = _section_specs(pack)
        kept = section_specs(pack)
        assert kept is section_specs(pack)  # made once per pack
        assert [(s.number, s.title, s.aliases, s.required, s.index, s.other_numbers, s.evidence,
                 s.parent.index if s.parent else None) for s in kept] == \
               [(s.number, s.title, s.aliases, s.required, s.index, s.other_numbers, s.evidence,
                 s.parent.index if s.parent else None) for s in fresh]
        assert taxonomy_for(pack) is _taxonomy_of(pack)  # the same built taxonomy (per content)
        assert Synonyms.from_pack(pack) == Synonyms.of(pack.get("synonymer") or ())


def test_a_replaced_pack_gets_its_own_memo():
    from linter.template import section_specs

    pack = load_pack("årsberetning-2024")
    section_specs(pack)
    data = dict(pack.data)
    data["seksjoner"] = [{"nummer": "1", "tittel": "Bare én seksjon"}]
    other = dataclasses.replace(pack, data=data)
    assert [s.title for s in section_specs(other)] == ["Bare én seksjon"]
    assert len(section_specs(pack)) > 1


# ------------------------------------------------------------------ the template index

def test_matched_section_by_index_is_the_scan_of_the_matches(parsed):
    from linter.template import match_sections, matched_section
    from linter.titles import normalize_title

    def scanned(report, pack, number=None, title=None):
        for match in match_sections(report, pack):
            if number is not None and match.spec.number == number:
                return match.section
            if number is None and title is not None and normalize_title(match.spec.title) == normalize_title(title):
                return match.section
        return None

    asked = 0
    for report, pack in parsed:
        matches = match_sections(report, pack)
        numbers = {m.spec.number for m in matches if m.spec.number} | {"99.9", "1", "4.18"}
        titles = {m.spec.title for m in matches} | {m.spec.title.upper() + " " for m in matches} | {"Ingen slik"}
        for number in numbers:
            assert matched_section(report, pack, number=number) is scanned(report, pack, number=number)
            asked += 1
        for title in titles:
            assert matched_section(report, pack, title=title) is scanned(report, pack, title=title)
            asked += 1
        assert matched_section(report, pack) is None
    assert asked > 500
