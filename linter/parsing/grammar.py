"""Loading the report grammar's parser, once per process and lazily.

The parser runs from the LALR tables lark computed for ``grammars/report.lark``, prebuilt in
``linter/parsing/report_tables.py`` (``python -m linter.parsing.tables`` writes it): a check
neither imports lark nor analyses the grammar. The prebuilt tables are used only while the grammar
on disk is the text they were made from; after an edit the tables are built from the grammar with
lark (its own cache on disk keeps the analysis), so a stale module is slower, never wrong.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from linter.resources import grammars_dir

if TYPE_CHECKING:
    from linter.parsing.lalr import Parser


@cache
def report_parser() -> "Parser":
    from linter.parsing.lalr import Parser

    return Parser(report_tables())


def report_tables() -> dict[str, Any]:
    from linter.parsing import report_tables as prebuilt

    path = grammars_dir() / "report.lark"
    try:
        grammar = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return prebuilt.TABLES  # no grammar beside the package: the tables made from it are all there is
    if grammar == prebuilt.GRAMMAR:
        return prebuilt.TABLES
    from linter.parsing.tables import tables_from_lark

    return tables_from_lark(path, cache=True)
