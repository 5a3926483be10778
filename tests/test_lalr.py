"""The report parser that runs without lark (linter/parsing/lalr.py) against lark itself.

Its tables are prebuilt from grammars/report.lark into linter/parsing/report_tables.py; these
tests fail when that module is stale, and compare every tree, token and error with what lark's
own LALR parser with the contextual lexer gives for the same text: the examples, every test input
file, and lines of the examples cut, shuffled, doubled and mangled at random.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from linter.parsing import lalr, report_tables, tables
from linter.parsing.grammar import report_parser, report_tables as loaded_tables

GRAMMAR = ROOT / "grammars" / "report.lark"


@pytest.fixture(scope="module")
def lark_parser():
    from lark import Lark

    return Lark.open(str(GRAMMAR), **tables.LARK_OPTIONS)


def test_prebuilt_tables_are_made_from_the_grammar_as_it_is_now():
    assert report_tables.GRAMMAR == GRAMMAR.read_text(encoding="utf-8"), \
        "grammars/report.lark changed: run `python -m linter.parsing.tables`"
    text = (ROOT / "linter" / "parsing" / "report_tables.py").read_text(encoding="utf-8")
    assert text == tables.module_text(GRAMMAR), "stale linter/parsing/report_tables.py: run `python -m linter.parsing.tables`"


def test_a_check_loads_the_prebuilt_tables_and_an_edited_grammar_is_built_with_lark(monkeypatch):
    assert loaded_tables() is report_tables.TABLES
    monkeypatch.setattr(report_tables, "GRAMMAR", report_tables.GRAMMAR + "\n// edited\n")
    built = loaded_tables()
    assert built is not report_tables.TABLES and built == report_tables.TABLES


def _shape(node):
    """A tree or token as plain data, lark's or ours alike."""
    if hasattr(node, "children"):
        return (node.data, [_shape(child) for child in node.children])
    return (node.type, str(node), node.start_pos, node.end_pos, node.line, node.column, node.end_line, node.end_column)


def _outcome(parse, text: str, start: int = 0, end: int | None = None):
    try:
        return ("tree", _shape(parse(text, start, end)))
    except Exception as exc:  # both parsers' errors, compared by what the builder reads from them
        token = getattr(exc, "token", None)
        return (type(exc).__name__, getattr(exc, "pos_in_stream", None), getattr(exc, "line", None),
                getattr(exc, "column", None), sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ()),
                None if token is None else _shape(token))


def _both(lark_parser, text: str, start: int = 0, end: int | None = None):
    from lark import TextSlice

    theirs = _outcome(lambda t, s, e: lark_parser.parse(TextSlice(t, s, len(t) if e is None else e)), text, start, end)
    ours = _outcome(report_parser().parse, text, start, end)
    return theirs, ours


def _inputs() -> list[Path]:
    return sorted(p for p in list(EXAMPLES.rglob("*.md")) + list((ROOT / "tests").rglob("*.md")) if p.is_file())


def test_same_trees_and_errors_as_lark_on_every_input_file(lark_parser):
    paths = _inputs()
    assert len(paths) > 10
    trees = errors = 0
    for path in paths:
        text = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
        if text and not text.endswith("\n"):
            text += "\n"
        theirs, ours = _both(lark_parser, text)
        assert ours == theirs, path
        trees += ours[0] == "tree"
        errors += ours[0] != "tree"
    assert trees > 5 and errors > 0  # both paths were compared


def test_same_trees_and_errors_as_lark_on_mangled_examples(lark_parser):
    rng = random.Random(17)
    sources = [p.read_text(encoding="utf-8").splitlines(keepends=True) for p in sorted(EXAMPLES.glob("*.md"))]
    kinds = set()
    for round_ in range(300):
        lines = list(rng.choice(sources))
        start = rng.randrange(len(lines))
        lines = lines[start : start + rng.randint(1, 60)]
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(lines))
            change = rng.randrange(7)
            if change == 0:
                del lines[at]
            elif change == 1:
                lines.insert(at, lines[rng.randrange(len(lines))])
            elif change == 2:
                lines[at] = lines[at].replace("|", "", 1)
            elif change == 3:
                lines.insert(at, rng.choice(["---\n", "<!-- open\n", ": Tabell\n", "\n", "***\n", "|---|\n", "# \n", "x\r\n"]))
            elif change == 4:
                lines[at] = lines[at].lstrip("#| :")
            elif change == 5:
                rng.shuffle(lines)
            else:
                lines[at] = "    " + lines[at]
            if not lines:
                lines = ["\n"]
        text = "".join(lines)
        if not text.endswith("\n"):
            text += "\n"
        if round_ % 5 == 0:  # front matter opened, perhaps never closed
            text = "---\n" + text
        start = rng.randrange(len(text) + 1) if round_ % 3 == 0 else 0
        end = rng.randrange(start, len(text) + 1) if round_ % 4 == 0 else None  # may end inside a line
        theirs, ours = _both(lark_parser, text, start, end)
        assert ours == theirs, (round_, text[:300], start, end)
        kinds.add(ours[0])
    assert {"tree", "UnexpectedToken", "UnexpectedCharacters"} <= kinds


def test_tokens_behave_as_lark_tokens():
    import pickle

    token = lalr.Token("TEXT", "tekst\n", 3, 1, 4, 2, 1, 9)
    assert token == "tekst\n" and str(token) == "tekst\n" and token != lalr.Token("BLANK", "tekst\n")
    again = pickle.loads(pickle.dumps(token))
    assert again == token and (again.type, again.start_pos, again.end_pos, again.line) == ("TEXT", 3, 9, 1)


@pytest.mark.parametrize("promote", [1, 10**9])
def test_a_lexer_tried_as_shared_runs_matches_as_its_own_alternation(lark_parser, monkeypatch, promote):
    # The lexers inside a table are tried as runs of terminals shared with the others until
    # _PROMOTE uses, then as their own alternation: both give lark's tokens and errors.
    from lark import TextSlice

    monkeypatch.setattr(lalr, "_PROMOTE", promote)
    parser = lalr.Parser(loaded_tables())
    for path in _inputs():
        text = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
        if text and not text.endswith("\n"):
            text += "\n"
        theirs = _outcome(lambda t, s, e: lark_parser.parse(TextSlice(t, s, len(t) if e is None else e)), text)
        assert _outcome(parser.parse, text) == theirs, path
    kinds = {type(scanner) for scanner in parser._scanners if scanner is not None}
    assert kinds == ({lalr.re.Pattern} if promote == 1 else {lalr.re.Pattern, lalr._Runs})
    if promote > 1:  # each terminal compiled in fewer patterns than there are lexers having it
        compiled = sum(len(names) for names in parser._runs)
        assert compiled < sum(len(names) for names in parser._lexer_terminals)
