"""Errors in a report's text: where, what, and how to fix it, in Norwegian and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class SyntaxProblem:
    line: int
    column: int
    message_nb: str
    message_en: str
    hint_nb: str = ""
    hint_en: str = ""
    # The rule code the problem is reported under when the rest of the file is checked anyway
    # (linter/rules/syntax.py), and where exactly (offsets into the text, for a Span).
    code: str = "P004"
    offset: int = 0
    end_offset: int = 0

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_nb

    def hint(self, lang: str) -> str:
        return self.hint_en if lang == "en" else self.hint_nb


class ReportSyntaxError(Exception):
    """One or more problems that stop a report from being read. Carries all that were found."""

    def __init__(self, path: str, problems: list[SyntaxProblem]):
        self.path = path
        self.problems = problems
        first = problems[0]
        super().__init__(f"{path}:{first.line}:{first.column}: {first.message_en}")


class ReportInputError(Exception):
    """A report that cannot be read at all (not UTF-8, too large, a directory, unreadable)."""

    def __init__(self, path: str, message_nb: str, message_en: str):
        self.path = path
        self.message_nb = message_nb
        self.message_en = message_en
        super().__init__(f"{path}: {message_en}")

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_nb
