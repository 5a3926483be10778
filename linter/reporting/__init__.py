"""Output formats, one module each. Every formatter's ``render(run, lang=..., colour=...,
show_source=...)`` takes a :class:`Run` (or, for old callers, the list of checked files) and
returns the text to print."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.baseline import Outcome
    from linter.engine import FileResult

FORMATS = {
    "text": "linter.reporting.text",
    "concise": "linter.reporting.concise",
    "json": "linter.reporting.json_format",
    "jsonl": "linter.reporting.jsonl",
    "sarif": "linter.reporting.sarif",
    "github": "linter.reporting.github",
    "gitlab": "linter.reporting.gitlab",
    "junit": "linter.reporting.junit",
    "html": "linter.reporting.html",
}


@dataclass(slots=True)
class Run:
    """Everything one `rapportlint check` found, as the formatters see it."""

    results: list["FileResult"]
    audit: bool = False  # suppressions were not applied; list them with their reasons
    baseline: "Outcome | None" = None
    fail_on: str = "error"
    extra: dict = field(default_factory=dict)

    def __iter__(self):  # formatters written for a list of results iterate it
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)


def as_run(run) -> Run:
    return run if isinstance(run, Run) else Run(list(run))


def formatter_module(name: str):
    from importlib import import_module

    return import_module(FORMATS[name])


def get_formatter(name: str):
    return formatter_module(name).render
