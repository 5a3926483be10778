"""The report grammar's LALR tables, computed by lark and written as a Python module.

``grammars/report.lark`` is the source of truth. lark analyses it (LALR(1), contextual lexer, the
options the tool has always used) and this module takes out what ``linter/parsing/lalr.py`` needs
to run it: each terminal's regular expression in lark's matching order, each parser state's
actions and the terminals its lexer tries, and each rule's tree shaping. The result is written to
``linter/parsing/report_tables.py`` together with the grammar's text, so a check loads the tables
without importing lark; when the grammar on disk differs from the text the tables were made from,
``linter/parsing/grammar.py`` builds them here with lark instead. Regenerate after editing the
grammar (tests/test_lalr.py fails until then):

    python -m linter.parsing.tables

States are numbered in the order a walk from the start state meets them (symbols in sorted
order) and rules are sorted, so the output depends on the grammar, not on lark's set ordering.
"""

from __future__ import annotations

import pprint
from pathlib import Path
from typing import Any

# The options the report grammar is built with (they shape the tree the builder reads).
LARK_OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "contextual", "propagate_positions": False,
                                "maybe_placeholders": False}

_MODULE = Path(__file__).resolve().parent / "report_tables.py"


class UnsupportedGrammar(Exception):
    """The grammar uses a lark feature linter/parsing/lalr.py does not run."""


def tables_from_lark(grammar_path: Path, cache: bool = False) -> dict[str, Any]:
    """The tables of the grammar at ``grammar_path``, analysed by lark."""
    from lark import Lark
    from lark.lexer import PatternRE
    from lark.parsers.lalr_analysis import Shift

    parser = Lark.open(str(grammar_path), cache=cache, **LARK_OPTIONS)
    frontend = parser.parser
    lexer = frontend.lexer
    root = lexer.root_lexer
    if parser.options.postlex is not None or root.ignore_types or root.user_callbacks:
        raise UnsupportedGrammar("%ignore, a postlexer or lexer callbacks")
    if any(not isinstance(t.pattern, PatternRE) for t in root.terminals):
        raise UnsupportedGrammar("string terminals (write them as /regular expressions/)")
    terminals = [(str(t.name), str(t.pattern.to_regexp())) for t in root.terminals]  # sorted as lark matches them
    order = {name: index for index, (name, _) in enumerate(terminals)}

    table = frontend.parser._parse_table
    start = table.start_states["start"]
    # Canonical numbering: breadth first from the start state, symbols in sorted order.
    number = {start: 0}
    queue = [start]
    for state in queue:
        for symbol in sorted(table.states[state]):
            action, target = table.states[state][symbol]
            if action is Shift and target not in number:
                number[target] = len(number)
                queue.append(target)
    rules = sorted({arg for actions in table.states.values() for action, arg in actions.values() if action is not Shift},
                   key=lambda r: (r.origin.name, r.order, [s.name for s in r.expansion], r.alias or ""))
    rule_index = {rule: index for index, rule in enumerate(rules)}

    lexers: list[tuple[str, ...]] = []
    state_lexers = []
    actions = []
    for state in queue:
        names = tuple(sorted((str(name) for name in table.states[state] if name in order), key=order.__getitem__))
        if names != tuple(t.name for t in lexer.lexers[state].terminals):
            raise UnsupportedGrammar(f"state {state}: lark's lexer tries {lexer.lexers[state].terminals}")
        if names not in lexers:
            lexers.append(names)
        state_lexers.append(lexers.index(names))
        actions.append(sorted((str(symbol), number[arg] if action is Shift else ~rule_index[arg])
                              for symbol, (action, arg) in table.states[state].items()))

    shaped = []
    for rule in rules:
        options = rule.options
        if options.keep_all_tokens or options.template_source:
            raise UnsupportedGrammar(f"rule {rule}: keep_all_tokens or a template")
        include = [(i, not sym.is_term and sym.name.startswith("_")) for i, sym in enumerate(rule.expansion)
                   if not (sym.is_term and sym.filter_out)]
        needs_filter = len(include) < len(rule.expansion) or any(splice for _, splice in include)
        shaped.append((str(rule.origin.name), len(rule.expansion), str(rule.alias or rule.origin.name),
                       bool(options.expand1 and not rule.alias), include if needs_filter else None))
    return {
        "terminals": terminals,
        "lexers": lexers,
        "state_lexers": state_lexers,
        "actions": actions,
        "rules": shaped,
        "start_state": 0,
        "end_state": number[table.end_states["start"]],
    }


def module_text(grammar_path: Path) -> str:
    """The text of linter/parsing/report_tables.py for the grammar at ``grammar_path``."""
    import lark

    grammar = grammar_path.read_text(encoding="utf-8")
    tables = tables_from_lark(grammar_path)
    return (
        '"""Generated by `python -m linter.parsing.tables` from grammars/report.lark: do not edit.\n\n'
        "The report grammar's LALR tables (lark " + lark.__version__ + ", options " + repr(LARK_OPTIONS) + "),\n"
        'read by linter/parsing/lalr.py. GRAMMAR is the text they were made from."""\n\n'
        f"GRAMMAR = {grammar!r}\n\n"
        f"TABLES = {pprint.pformat(tables, width=120, sort_dicts=False)}\n"
    )


def main() -> None:
    from linter.resources import grammars_dir

    text = module_text(grammars_dir() / "report.lark")
    if _MODULE.exists() and _MODULE.read_text(encoding="utf-8") == text:
        print(f"{_MODULE} is up to date")
        return
    from linter.atomic import write_atomic

    write_atomic(_MODULE, text)
    print(f"wrote {_MODULE}")


if __name__ == "__main__":
    main()
