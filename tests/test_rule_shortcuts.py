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


# ------------------------------------------------------------------ memos per report

def test_indicator_rows_and_deviation_rows_kept_per_report_are_the_computed_ones(parsed):
    from linter.rules.base import RuleContext
    from linter.rules.indicators import (_deviation_rows, _deviation_rows_of, _indicator_rows, _indicator_tables,
                                         _settings, classify, indicator_rows)

    tables = 0
    for report, pack in parsed:
        context = RuleContext(pack=pack, shared={})
        for table, _, columns, result, target, deviation in _indicator_tables(report, context):
            kept = indicator_rows(table, context)
            assert kept is indicator_rows(table, context)
            assert list(kept) == list(_indicator_rows(table, classify(table, context)))
            if result and target and deviation:
                lower = tuple(_settings(context).get("lavere_er_bedre") or ())
                fresh = _deviation_rows_of(table, result, target, deviation, context, lower)
                assert _deviation_rows(table, result, target, deviation, context) == fresh
            tables += 1
    assert tables > 10


def test_checklist_answers_kept_per_report_are_read_afresh(parsed):
    from linter.rules.base import RuleContext
    from linter.rules.checklists import _checklists, read_answer

    rows = 0
    for report, pack in parsed:
        context = RuleContext(pack=pack, shared={})
        checklists = _checklists(report, context)
        assert checklists is _checklists(report, context)
        for table, lay in checklists.readable:
            for row in table.rows:
                assert checklists.answer(row, lay) == read_answer(row, lay, checklists.vocab)
                rows += 1
    assert rows > 50


def _i510_one_pass(rule, report, context):
    """I510 as it was before it followed only the repeated indicators: every figure compared as
    it comes (the reference the two-pass version must equal)."""
    from linter.normalize import Synonyms, fold
    from linter.rules.indicators import (_TOTAL_LABEL, INDICATOR_TYPES, REPEATED_TYPES, _label, _label_column,
                                         _number, _Occurrences, _settings, _target_number, _half_unit, classify)

    synonyms = Synonyms.from_pack(context.pack)
    aliases = {}
    for group in _settings(context).get("aliaser", ()) or ():
        names = [fold(str(name), synonyms) for name in group]
        for name in names[1:]:
            aliases[name] = names[0]
    seen, found, coverage = {}, [], {"run": 0, "held": 0, "failed": 0}
    for table in report.tables:
        if table.type not in REPEATED_TYPES:
            continue
        label_column = _label_column(table)
        columns = [c for c in classify(table, context) if c.kind in ("result", "target") and c.year is not None]
        for row in table.rows if columns else ():
            if label_column >= len(row.cells):
                continue
            key = fold(row.cells[label_column].text, synonyms)
            if len(key.split()) < 2 or _TOTAL_LABEL.match(key):
                continue
            key = aliases.get(key, key)
            for column in columns:
                cell = row.cells[column.index]
                number = _number(cell) if column.kind == "result" else _target_number(cell)
                if number is None:
                    continue
                occurrences = seen.setdefault((key, column.kind, column.year), _Occurrences())
                half = _half_unit(cell)
                indicator_table = table.type in INDICATOR_TYPES
                if not occurrences.any_other(table, indicator_table):
                    occurrences.add(table, row, cell, number, half, indicator_table)
                    continue
                coverage["run"] += 1
                differing = occurrences.first_differing(table, indicator_table, cell.value.comparator, number, half)
                occurrences.add(table, row, cell, number, half, indicator_table)
                if differing is None:
                    coverage["held"] += 1
                    continue
                coverage["failed"] += 1
                found.append((cell.span, _label(table, row), differing[2].span))
    return found, coverage


def test_i510_following_only_repeated_indicators_finds_what_comparing_every_figure_finds(parsed):
    from linter.rules.base import RuleContext
    from linter.rules.indicators import IndicatorValueDiffers

    rule = IndicatorValueDiffers()
    compared = 0
    for report, pack in parsed:
        # the examples, and the same report twice over (every indicator repeated, with its findings)
        for doubled in (False, True):
            if doubled:
                text = report.source + "\n\n" + report.source.split("\n---\n", 1)[-1]
                report = parse_report(text, "doubled.md", None, recover=True)
            context = RuleContext(pack=pack, shared={})
            found = [(f.span, f.details["row"], f.details["column"]) for f in rule.check(report, context)]
            coverage = context.shared["coverage"]["indikatorer"]["samme_indikator"]
            expected, expected_coverage = _i510_one_pass(rule, report, RuleContext(pack=pack, shared={}))
            assert [span for span, _, _ in found] == [span for span, _, _ in expected]
            assert coverage == expected_coverage
            compared += coverage["run"]
    assert compared > 100
