"""The report grammar's parser at run time: LALR(1) with a contextual lexer, driven by tables that
lark computed from ``grammars/report.lark`` (``linter/parsing/tables.py`` makes them).

lark builds the same parser, but ``import lark`` alone (its grammar loader, its Earley parsers,
logging...) cost a fresh process more than parsing a whole report. This module is only the part
that runs: a lexer that, in each parser state, tries the terminals that state accepts (one
alternation per state, in lark's order, so the same terminal wins), the shift/reduce loop, and
lark's tree shaping (``?rule`` inlined when it has one child, ``_rule`` spliced into its parent,
``-> alias``). Its trees, tokens and errors carry what lark's do (``Tree.data``/``children``;
``Token.type``/``start_pos``/``end_pos``/``line``/``column``; ``UnexpectedCharacters.allowed``,
``UnexpectedToken.token``/``expected``): tests/test_lalr.py parses the examples and broken
inputs with both and compares.
"""

from __future__ import annotations

import re
from typing import Any


class Token(str):
    """A terminal's text with its kind and position (what lark's ``Token`` carries)."""

    type: str
    value: str
    start_pos: int | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    end_pos: int | None

    def __new__(cls, type: str, value: str, start_pos: int | None = None, line: int | None = None,
                column: int | None = None, end_line: int | None = None, end_column: int | None = None,
                end_pos: int | None = None) -> "Token":
        token = str.__new__(cls, value)
        token.__dict__.update(type=type, value=value, start_pos=start_pos, line=line, column=column,
                              end_line=end_line, end_column=end_column, end_pos=end_pos)
        return token

    def __reduce__(self):
        return (self.__class__, (self.type, self.value, self.start_pos, self.line, self.column,
                                 self.end_line, self.end_column, self.end_pos))

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Token) and self.type != other.type:
            return False
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__


class Tree:
    """A rule's node: its name (the alias when the rule has one) and its children."""

    __slots__ = ("data", "children")

    def __init__(self, data: str, children: list) -> None:
        self.data = data
        self.children = children

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tree) and self.data == other.data and self.children == other.children

    def __hash__(self) -> int:
        return hash((self.data, tuple(self.children)))


class UnexpectedInput(Exception):
    """The text does not fit the grammar at ``pos_in_stream``."""

    pos_in_stream: int | None = None
    line: int | None = None
    column: int | None = None


class UnexpectedCharacters(UnexpectedInput):
    """No terminal the parser could accept here (nor any other) matches the text at this point."""

    def __init__(self, text: str, pos: int, line: int, column: int, allowed: set[str],
                 token_history: list[Token] | None = None) -> None:
        self.pos_in_stream = pos
        self.line = line
        self.column = column
        self.allowed = allowed
        self.char = text[pos]
        self.token_history = token_history
        super().__init__(f"no terminal matches {text[pos:pos + 20]!r} at line {line} column {column}; "
                         f"expected one of {sorted(allowed)}")


class UnexpectedToken(UnexpectedInput):
    """A terminal matched, but the parser cannot take it here (``$END``: the text ended early)."""

    def __init__(self, token: Token, expected: set[str], token_history: list[Token] | None = None) -> None:
        self.token = token
        self.expected = expected
        self.pos_in_stream = token.start_pos
        self.line = token.line
        self.column = token.column
        self.token_history = token_history
        super().__init__(f"unexpected {token.type} {str(token)[:20]!r} at line {token.line} column "
                         f"{token.column}; expected one of {sorted(expected)}")


_PROMOTE = 256  # uses of a lexer made of several runs before its own alternation is compiled


class _Runs:
    """A lexer tried as runs of terminals in order, until it has been used _PROMOTE times."""

    __slots__ = ("parser", "lexer", "runs", "uses")

    def __init__(self, parser: "Parser", lexer: int, runs: list[re.Pattern]) -> None:
        self.parser = parser
        self.lexer = lexer
        self.runs = runs
        self.uses = 0

    def match(self, text: str, pos: int, end: int) -> re.Match | None:
        self.uses += 1
        if self.uses == _PROMOTE:
            parser = self.parser
            parser._scanners[self.lexer] = parser._compile(parser._lexer_terminals[self.lexer])
        for run in self.runs:
            found = run.match(text, pos, end)
            if found is not None:
                return found
        return None


class Parser:
    """Parses a text with the tables of ``linter/parsing/tables.py`` (``tables_from_lark``)."""

    def __init__(self, tables: dict[str, Any]) -> None:
        patterns = dict(tables["terminals"])  # name -> regular expression, in lark's order
        self._order = [name for name, _ in tables["terminals"]]
        self._patterns = patterns
        # actions[state][symbol]: a state to shift to (>= 0), or ~rule to reduce by
        self._actions: list[dict[str, int]] = [dict(entry) for entry in tables["actions"]]
        self._rules: list[tuple[str, int, str, bool, tuple | None]] = [
            (origin, size, name, expand1, None if include is None else tuple(map(tuple, include)))
            for origin, size, name, expand1, include in tables["rules"]]
        self._lexer_of_state: list[int] = list(tables["state_lexers"])
        self._lexer_terminals: list[tuple[str, ...]] = [tuple(names) for names in tables["lexers"]]
        self._scanners: list[re.Pattern | _Runs | None] = [None] * len(self._lexer_terminals)
        self._runs: dict[tuple[str, ...], re.Pattern] = {}
        self._lexers_of: dict[str, frozenset[int]] | None = None
        self._root: re.Pattern | None = None
        self._start: int = tables["start_state"]
        self._end: int = tables["end_state"]

    def _scanner(self, lexer: int) -> re.Pattern | _Runs:
        # Compiled on first use, as lark does: a report needs a few of them. The lexers share
        # most terminals (those inside a table are another's plus one or two of their own), and
        # compiling is per pattern text: so a lexer is first split into runs of terminals that
        # the same lexers have, each run compiled once for all of them and tried in order (the
        # first match wins, as in one alternation). A lexer of one run is that run's pattern;
        # one of several gets its own alternation after _PROMOTE uses, so that a warm parse
        # matches once per token as before.
        scanner = self._scanners[lexer]
        if scanner is None:
            runs = [self._run(run) for run in self._split(self._lexer_terminals[lexer])]
            scanner = self._scanners[lexer] = runs[0] if len(runs) == 1 else _Runs(self, lexer, runs)
        return scanner

    def _split(self, names: tuple[str, ...]) -> list[tuple[str, ...]]:
        """``names`` cut where the set of lexers having the terminal changes."""
        if self._lexers_of is None:
            self._lexers_of = {name: frozenset(i for i, terminals in enumerate(self._lexer_terminals)
                                               if name in terminals) for name in self._order}
        runs: list[tuple[str, ...]] = []
        for name in names:
            if runs and self._lexers_of[runs[-1][-1]] == self._lexers_of[name]:
                runs[-1] += (name,)
            else:
                runs.append((name,))
        return runs or [()]

    def _run(self, names: tuple[str, ...]) -> re.Pattern:
        pattern = self._runs.get(names)
        if pattern is None:
            pattern = self._runs[names] = self._compile(names)
        return pattern

    def _compile(self, names: tuple[str, ...]) -> re.Pattern:
        return re.compile("|".join(f"(?P<{name}>{self._patterns[name]})" for name in names))

    def parse(self, text: str, start: int = 0, end: int | None = None) -> Tree:
        """The tree of ``text[start:end]`` (positions, lines and columns are those in ``text``);
        UnexpectedCharacters or UnexpectedToken where it does not fit."""
        if end is None:
            end = len(text)
        line = text.count("\n", 0, start) + 1
        line_start = text.rfind("\n", 0, start) + 1
        actions = self._actions
        rules = self._rules
        lexer_of_state = self._lexer_of_state
        scanners = self._scanners
        new_str = str.__new__
        state_stack = [self._start]
        value_stack: list = []
        token = None
        pos = start
        while pos < end:
            state = state_stack[-1]
            lexer = lexer_of_state[state]
            scanner = scanners[lexer] or self._scanner(lexer)
            match = scanner.match(text, pos, end)
            if match is None:
                self._unexpected_characters(text, pos, end, line, pos - line_start + 1, lexer, token)
            value = match.group(0)
            kind = match.lastgroup
            column = pos - line_start + 1
            first_line = line
            newlines = value.count("\n")
            if newlines:
                line += newlines
                line_start = pos + value.rindex("\n") + 1
            end_pos = pos + len(value)
            # Token(...) made directly: a token per line run, the hottest line of a parse
            token = new_str(Token, value)
            token.__dict__ = {"type": kind, "value": value, "start_pos": pos, "line": first_line, "column": column,
                              "end_line": line, "end_column": end_pos - line_start + 1, "end_pos": end_pos}
            pos = end_pos
            while True:  # reduce as often as needed, then shift the token
                action = actions[state].get(kind)
                if action is None:
                    raise UnexpectedToken(token, {s for s in actions[state] if s.isupper()})
                if action >= 0:
                    state_stack.append(action)
                    value_stack.append(token)
                    break
                self._reduce(rules[~action], state_stack, value_stack)
                state = state_stack[-1]
        if token is None:
            end_token = Token("$END", "", 0, 1, 1)
        else:
            end_token = Token("$END", "", token.start_pos, token.line, token.column, token.end_line,
                              token.end_column, token.end_pos)
        while True:
            state = state_stack[-1]
            action = actions[state].get("$END")
            if action is None or action >= 0:
                raise UnexpectedToken(end_token, {s for s in actions[state] if s.isupper()})
            self._reduce(rules[~action], state_stack, value_stack)
            if state_stack[-1] == self._end:
                return value_stack[-1]

    def _reduce(self, rule: tuple, state_stack: list[int], value_stack: list) -> None:
        origin, size, name, expand1, include = rule
        if size:
            children = value_stack[-size:]
            del state_stack[-size:]
            del value_stack[-size:]
        else:
            children = []
        if include is not None:  # lark's child filter: tokens dropped, _rules spliced in
            kept: list = []
            for index, splice in include:
                if splice:
                    if kept:
                        kept += children[index].children
                    else:
                        kept = children[index].children
                else:
                    kept.append(children[index])
            children = kept
        value = children[0] if expand1 and len(children) == 1 else Tree(name, children)
        state_stack.append(self._actions[state_stack[-1]][origin])
        value_stack.append(value)

    def _unexpected_characters(self, text: str, pos: int, end: int, line: int, column: int, lexer: int,
                               last: Token | None) -> None:
        """As lark's contextual lexer: when a terminal of another state matches here, the error
        is that token in the wrong place; else no terminal matches at all."""
        allowed = set(self._lexer_terminals[lexer]) or {"<END-OF-FILE>"}
        if self._root is None:
            self._root = self._compile(tuple(self._order))
        match = self._root.match(text, pos, end)
        if match is not None:
            value = match.group(0)
            token = Token(match.lastgroup, value, pos, line, column)
            newlines = value.count("\n")
            end_line = line + newlines
            line_start = pos + value.rindex("\n") + 1 if newlines else pos - column + 1
            token.__dict__.update(end_line=end_line, end_column=pos + len(value) - line_start + 1,
                                  end_pos=pos + len(value))
            raise UnexpectedToken(token, allowed, token_history=[last])
        raise UnexpectedCharacters(text, pos, line, column, allowed, token_history=[last] if last else None)
