"""Loading the lark grammars, once per process and lazily (lark is not imported at CLI start)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from linter.resources import grammars_dir

if TYPE_CHECKING:
    from lark import Lark


@cache
def report_parser() -> "Lark":
    from lark import Lark

    # cache=True stores the analysed LALR tables on disk, keyed by grammar and lark version:
    # a cold CLI start then skips the grammar analysis.
    return Lark.open(
        str(grammars_dir() / "report.lark"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=False,
        maybe_placeholders=False,
        cache=True,
    )
