"""The language server's answers, computed in this process from one check of a document
(linter/lsp/document.py, linter/lsp/features.py): positions in the editor's units, documents that
cannot be checked, unsafe fixes, suppressions in the front matter, the outline's nesting. The
protocol itself is tested end to end in tests/test_lsp.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, all_examples

pytest.importorskip("lsprotocol", reason="the language server needs pygls (in the test extra)")
from lsprotocol import types  # noqa: E402

from linter.lsp import features  # noqa: E402
from linter.lsp.document import Positions, Settings, check_document, locale_lang, path_of  # noqa: E402

REN = EXAMPLES / "ren-arsberetning-2024.md"
SUM_ROW = "| Sum brutto utgifter, drift | 1 330 000 | 1 375 000 | 1 387 000 | 1 384 500 | 2 500 |"


def _check(path: Path, text: str | None = None, **settings):
    text = path.read_text(encoding="utf-8") if text is None else text
    return check_document(path.resolve().as_uri(), text, 1, Settings(**settings))


def _apply(text: str, positions: Positions, edits: list[types.TextEdit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = positions.offset(edit.range.start.line, edit.range.start.character)
        end = positions.offset(edit.range.end.line, edit.range.end.character)
        text = text[:start] + edit.new_text + text[end:]
    return text


# ---------------------------------------------------------------------------- positions
def test_positions_count_utf16_units_and_keep_the_byte_order_mark():
    text = "\ufeffa😀b\r\næøå x\n"
    positions = Positions(text)
    assert positions.source.startswith("a") and positions.newline == "\r\n"
    assert positions.position(0) == (0, 1)  # after the BOM the editor sees
    assert positions.position(2) == (0, 4)  # after the emoji: two UTF-16 units
    assert positions.offset(0, 4) == 2 and positions.offset(0, 1) == 0
    second = positions.source.index("x")
    assert positions.position(second) == (1, 4) and positions.offset(1, 4) == second
    assert positions.offset(9, 0) == len(positions.source) and positions.offset(-1, 3) == 0
    utf8 = Positions("æ😀x", "utf-8")
    assert utf8.position(2) == (0, 6) and utf8.offset(0, 6) == 2
    assert Positions("a😀x", "utf-32").position(2) == (0, 2)


def test_client_settings_and_locale():
    settings = Settings.from_client({"lang": "en", "unsafeFixes": True, "debounceMs": 20})
    assert (settings.lang, settings.unsafe_fixes, settings.debounce_ms) == ("en", True, 20)
    changed = Settings.from_client({"rapportlint": {"lang": "nb"}}, settings)
    assert (changed.lang, changed.unsafe_fixes, changed.debounce_ms) == ("nb", True, 20)
    kept = Settings.from_client({"lang": "de", "debounceMs": -5, "unsafeFixes": "ja"})
    assert (kept.lang, kept.unsafe_fixes, kept.debounce_ms) == (None, False, Settings().debounce_ms)
    assert Settings.from_client(None) == Settings()
    assert [locale_lang(x) for x in ("en-US", "nb-NO", "no", "nn", "de-DE", None)] == ["en", "nb", "nb", "nb", None, None]
    assert path_of("untitled:Untitled-1") is None and path_of("file:///tmp/a%20b.md") == Path("/tmp/a b.md")


# ---------------------------------------------------------------------------- documents that cannot be checked
def test_a_broken_configuration_is_one_error_at_the_top(tmp_path: Path):
    (tmp_path / ".rapportlint.toml").write_text('selct = ["A"]\n', encoding="utf-8")
    report = tmp_path / REN.name
    checked = _check(report, REN.read_text(encoding="utf-8"))
    (diagnostic,) = features.diagnostics(checked)
    assert diagnostic.severity == types.DiagnosticSeverity.Error and diagnostic.range.start.line == 0
    assert "selct" in diagnostic.message and "mente du «select»" in diagnostic.message


def test_an_unknown_rule_pack_is_an_error_at_mal(tmp_path: Path):
    text = REN.read_text(encoding="utf-8").replace("mal: årsberetning-2024", "mal: årsberetning-2099", 1)
    assert "årsberetning-2099" in text
    checked = _check(tmp_path / "r.md", text)
    (diagnostic,) = features.diagnostics(checked)
    line = text.split("\n").index("mal: årsberetning-2099")
    assert diagnostic.range.start.line == line and "årsberetning-2099" in diagnostic.message


def test_binary_data_is_an_error_where_it_is(tmp_path: Path):
    checked = _check(tmp_path / "r.md", "---\nbydel: Sagene\n---\nab\x00c\n")
    (diagnostic,) = features.diagnostics(checked)
    assert diagnostic.range.start == types.Position(line=3, character=2) and "NUL" in diagnostic.message
    assert features.hover(checked, 0, 0) is None and features.document_symbols(checked) == []
    assert features.code_actions(checked, (0, 0), (9, 0)) == []


def test_an_unsaved_buffer_is_checked_with_the_configuration_from_here():
    checked = check_document("untitled:Untitled-1", REN.read_text(encoding="utf-8"), 3)
    assert checked.result is not None and checked.version == 3
    assert "M105" in [d.code for d in features.diagnostics(checked)]  # «Eksempel»: examples/.rapportlint.toml is not read


# ---------------------------------------------------------------------------- fixes and suppressions
def test_unsafe_fixes_only_when_allowed(tmp_path: Path):
    text = REN.read_text(encoding="utf-8").replace(SUM_ROW, SUM_ROW.replace("1 384 500", "1 384 000"))
    checked = _check(REN, text)
    a201 = next(f for f in checked.findings if f.code == "A201")
    assert a201.fix is not None and a201.fix.applicability == "unsafe"
    line, character = checked.positions.position(a201.span.offset)
    titles = [a.title for a in features.code_actions(checked, (line, character), (line, character))]
    assert not any(t.startswith("Rett A201") for t in titles) and any(t.startswith("Undertrykk A201") for t in titles)
    for allowed in (_check(REN, text, unsafe_fixes=True), _unsafe_by_configuration(tmp_path, text)):
        actions = features.code_actions(allowed, (line, character), (line, character))
        fix = next(a for a in actions if a.title.startswith("Rett A201"))
        assert "usikker" in fix.title and not fix.is_preferred
        fixed = _apply(text, allowed.positions, fix.edit.document_changes[0].edits)
        assert SUM_ROW in fixed


def _unsafe_by_configuration(tmp_path: Path, text: str):
    (tmp_path / ".rapportlint.toml").write_text('unsafe-fixes = true\nbydeler = ["Eksempel"]\n', encoding="utf-8")
    return _check(tmp_path / REN.name, text)


def test_fix_all_applies_every_safe_fix_once(tmp_path: Path):
    text = REN.read_text(encoding="utf-8").replace("| 3,9 % |", "| 3.9 % |", 1).replace("| 6,1 % |", "| 6.1 % |", 1)
    checked = _check(REN, text, lang="en")
    action = next(a for a in features.code_actions(checked, (0, 0), (0, 0), only=["source"])
                  if a.kind == features.FIX_ALL)
    assert action.title == "rapportlint: fix all safe fixes (2)"
    assert _apply(text, checked.positions, action.edit.document_changes[0].edits) == REN.read_text(encoding="utf-8")
    assert [a.kind for a in features.code_actions(checked, (0, 0), (0, 0), only=["quickfix"])] == []


def test_a_finding_in_the_front_matter_is_suppressed_for_the_file(tmp_path: Path):
    text = REN.read_text(encoding="utf-8")
    report = tmp_path / REN.name  # no configuration here: «Eksempel» is not one of Oslo's districts (M105)
    checked = _check(report, text)
    m105 = next(f for f in checked.findings if f.code == "M105")
    line, character = checked.positions.position(m105.span.offset)
    action = next(a for a in features.code_actions(checked, (line, character), (line, character))
                  if a.title.startswith("Undertrykk M105"))
    inserted = _apply(text, checked.positions, action.edit.document_changes[0].edits)
    closing = text.split("\n").index("---", 1)
    assert inserted.split("\n")[closing + 1] == '<!-- rapportlint: ignore-file M105 begrunnelse="" -->'
    assert action.command.arguments == [checked.uri, closing + 1, len('<!-- rapportlint: ignore-file M105 begrunnelse="')]
    codes = [f.code for f in _check(report, inserted).findings]
    assert "M105" in codes and "X901" in codes  # no reason yet: it does not apply
    reasoned = inserted.replace('begrunnelse=""', 'begrunnelse="Testbydel for opplæring"')
    assert [f.code for f in _check(report, reasoned).findings] == []


def test_no_suppression_is_offered_for_a_suppression_finding(tmp_path: Path):
    text = REN.read_text(encoding="utf-8").replace("## 2.2 Befolkningsgrunnlag", "<!-- rapportlint: ignore A201 -->\n## 2.2 Befolkningsgrunnlag")
    checked = _check(REN, text)
    x901 = next(f for f in checked.findings if f.code == "X901")
    assert features.suppression_action(checked, x901) is None


# ---------------------------------------------------------------------------- hover and outline
def test_hover_in_english_and_on_a_directive_code():
    text = REN.read_text(encoding="utf-8").replace(
        "## 2.2 Befolkningsgrunnlag", '<!-- rapportlint: ignore S102 begrunnelse="x" -->\n## 2.2 Befolkningsgrunnlag')
    checked = _check(REN, text, lang="en")
    lines = text.split("\n")
    row = lines.index("| Sum bydel | 45 000 | 45 700 |")
    hover = features.hover(checked, row, lines[row].index("45 700"))
    assert "Computed: **45 700**" in hover.contents.value and "| 67 år + | 01.01.2025 |" in hover.contents.value
    directive = next(i for i, line in enumerate(lines) if "ignore S102" in line)
    hover = features.hover(checked, directive, lines[directive].index("S102") + 1)
    assert "S102 section-empty" in hover.contents.value and "(the rule pages are in Norwegian)" in hover.contents.value
    assert features.hover(checked, 0, 0) is None  # the front matter fence: nothing to say


def test_hover_on_a_sum_when_no_arithmetic_rule_is_selected(tmp_path: Path):
    (tmp_path / ".rapportlint.toml").write_text('select = ["F"]\n', encoding="utf-8")
    text = REN.read_text(encoding="utf-8")
    checked = _check(tmp_path / REN.name, text)
    assert "aritmetikk" not in checked.result.shared
    lines = text.split("\n")
    row = lines.index("| Sum bydel | 45 000 | 45 700 |")
    hover = features.hover(checked, row, lines[row].index("45 000"))
    assert "Beregnet: **45 000**" in hover.contents.value


@pytest.mark.parametrize("path", all_examples(), ids=lambda p: p.name)
def test_the_outline_nests_properly_in_every_example(path: Path):
    checked = _check(path)
    symbols = features.document_symbols(checked)
    assert symbols

    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    def inside(inner: types.Range, outer: types.Range) -> bool:
        return key(outer.start) <= key(inner.start) and key(inner.end) <= key(outer.end)

    def walk(items, parent=None):
        for item in items:
            assert item.name.strip()
            assert inside(item.selection_range, item.range)
            if parent is not None:
                assert inside(item.range, parent.range), (item.name, parent.name)
            yield item
            yield from walk(item.children or [], item)

    everything = list(walk(symbols))
    report = checked.report
    assert len([s for s in everything if s.kind == types.SymbolKind.Namespace]) == len(list(report.sections()))
    assert len([s for s in everything if s.kind == types.SymbolKind.Array]) == len(report.tables)
