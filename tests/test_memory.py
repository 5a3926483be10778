"""What a check keeps in memory (issue 17, target 4: peak memory of a large report): the parse
frees lark's tree as it builds the model, each rule family's analyses go once its rules have run
(unless the editor asks to keep them), and nothing holds a report after its check."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from linter.engine import CheckOptions, check_text
from linter.model import Report, Row, Section, Table
from linter.parsing.builder import parse_report
from linter.rules.base import Rule, RuleContext
from linter.rules.registry import all_rules

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAGENE = EXAMPLES / "sagene-arsberetning-2024.md"


def _rules() -> list[type[Rule]]:
    return list(all_rules().values())


def test_parse_frees_the_syntax_tree_while_building():
    # Before, the whole tree (about five times the text) lived beside the finished model: the
    # parse's peak was 1.45 times what the model keeps; freed block by block it is 1.1.
    text = SAGENE.read_text(encoding="utf-8")
    parse_report(text)
    gc.collect()
    tracemalloc.start()
    try:
        report = parse_report(text, recover=True)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.tables
    assert peak <= 1.25 * kept, (peak, kept)


def test_family_analyses_are_dropped_unless_kept():
    text = SAGENE.read_text(encoding="utf-8")
    plain = check_text(text, "sagene", CheckOptions(rules=_rules()))
    kept = check_text(text, "sagene", CheckOptions(rules=_rules(), keep_analyses=True))
    # The arithmetic analysis (the editor's hover) and the indicator columns are per-family work.
    assert "aritmetikk" not in plain.shared and "indikatorkolonner" not in plain.shared
    assert "aritmetikk" in kept.shared and "indikatorkolonner" in kept.shared
    # Read after the check (the post-pass, the HTML page), so kept either way; so is coverage.
    assert "facts:comparable" in plain.shared
    assert plain.coverage == kept.coverage and "aritmetikk" in plain.coverage
    assert [(f.code, f.span, f.message_nb) for f in plain.findings] == \
        [(f.code, f.span, f.message_nb) for f in kept.findings]


class _Spy(Rule):
    """A rule of a family of its own, after the arithmetic rules: it records what it sees."""

    code = "Z999"
    name = "spion"
    family = "spion"
    summary = ("spion", "spy")
    messages: dict = {}
    seen: list[set[str]] = []

    def check(self, report: Report, context: RuleContext):
        _Spy.seen.append(set(context.shared))
        context.memo("spion", lambda: object())
        return iter(())


def test_the_next_family_no_longer_sees_the_previous_ones_analysis():
    arithmetic = [rule for code, rule in all_rules().items() if code.startswith("A2")]
    _Spy.seen = []
    text = SAGENE.read_text(encoding="utf-8")
    result = check_text(text, "sagene", CheckOptions(rules=[*arithmetic, _Spy]))
    assert _Spy.seen == [{"coverage"}]
    assert set(result.shared) == {"coverage"}
    _Spy.seen = []
    result = check_text(text, "sagene", CheckOptions(rules=[*arithmetic, _Spy], keep_analyses=True))
    assert _Spy.seen == [{"coverage", "aritmetikk"}]
    assert set(result.shared) == {"coverage", "aritmetikk", "spion"}


def test_no_report_outlives_its_check():
    # The section matching kept the last report it matched (a module-level memo): a large model
    # stayed alive after its check, through the next one.
    text = SAGENE.read_text(encoding="utf-8")
    result = check_text(text, "sagene", CheckOptions(rules=_rules()))
    assert isinstance(result.report, Report) and result.findings
    del result
    gc.collect()
    assert not [obj for obj in gc.get_objects() if isinstance(obj, (Report, Section, Table, Row))]


def test_what_the_result_keeps_holds_no_model():
    # The findings, the coverage and the kept facts hold spans and texts, never the cells or rows
    # they are about: without its report a result keeps no model alive.
    text = SAGENE.read_text(encoding="utf-8")
    result = check_text(text, "sagene", CheckOptions(rules=_rules()))
    assert result.shared["facts:comparable"] and result.findings
    result.report = None
    gc.collect()
    assert not [obj for obj in gc.get_objects() if isinstance(obj, Report)]


def _expected(source: str, start: int, end: int) -> tuple[int, int, int, int, int, int]:
    line = source.count("\n", 0, start) + 1
    end_line = source.count("\n", 0, max(end - 1, start)) + 1
    return (line, start - (source.rfind("\n", 0, start) + 1) + 1,
            end_line, end - (source.rfind("\n", 0, max(end - 1, start)) + 1) + 1, start, end)


def test_spans_made_when_read_are_exact():
    # Blank lines keep their line number, headings, captions, paragraphs and list items offsets and make their span when read
    # (LineIndex): every span is where its text is, line and column counted from the source.
    from linter.model import Blank, Caption, Heading, ListBlock, Paragraph

    checked = 0
    for path in sorted(EXAMPLES.glob("*.md")):
        report = parse_report(path.read_text(encoding="utf-8"), recover=True)
        source = report.source
        spans = []
        for block in report.blocks:
            if isinstance(block, Heading):
                spans.append(block.span)
                title = block.title_span
                assert source[title.offset:title.end_offset].strip() == block.title
                spans.append(title)
                if block.number is not None:
                    assert source[block.number_span.offset:block.number_span.end_offset] == block.number
                    spans.append(block.number_span)
                else:
                    assert block.number_span is None
            elif isinstance(block, Blank):
                spans.append(block.span)
                assert not source[block.span.offset:block.span.end_offset].strip()
                assert source[block.span.end_offset - 1:block.span.end_offset] in ("\n", "")
            elif isinstance(block, Paragraph):
                spans.append(block.span)
                assert source[block.span.offset:block.span.end_offset].split()[0] == block.text.split()[0]
            elif isinstance(block, ListBlock):
                for item in block.items:
                    spans.append(item.span)
                    assert item.text in source[item.span.offset:item.span.end_offset]
        for table in report.tables:
            caption = table.caption
            if isinstance(caption, Caption):
                spans.append(caption.span)
                assert source[caption.span.offset:caption.span.end_offset].lstrip().startswith(":")
                if caption.attributes_span is not None:
                    attributes = source[caption.attributes_span.offset:caption.attributes_span.end_offset]
                    assert attributes.startswith("{")
                    spans.append(caption.attributes_span)
        for span in spans:
            assert tuple(span) == _expected(source, span.offset, span.end_offset), span
            checked += 1
    assert checked > 1000


def test_a_check_leaves_no_exception_cycles():
    # The collector is off during a check, so what only it can free stays until the check ends:
    # an exception kept with its traceback (a formula's reference not found) held its frame and
    # every cell list in it (at 10x, 3x the input during the arithmetic rules). The model's own
    # cycles (a cell and its row) are expected; frames and tracebacks are not.
    text = SAGENE.read_text(encoding="utf-8")
    check_text(text, "sagene", CheckOptions(rules=_rules()))
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = check_text(text, "sagene", CheckOptions(rules=_rules()))
        assert result.findings
        del result
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        kinds = {type(obj).__name__ for obj in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert "Cell" in kinds  # the model itself: the test sees cyclic garbage
    assert not kinds & {"frame", "traceback"}, sorted(kinds)
