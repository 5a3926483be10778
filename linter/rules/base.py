"""The rule interface: what a rule declares and what it reports.

A rule is a class with a stable code (``S101``), a kebab-case name, a default severity, a family,
a one-line summary and message templates in Norwegian and English. Its docstring is its
documentation, with the sections ``Hvorfor`` (why), ``Feil`` (a bad example), ``Riktig`` (the
good one) and optionally ``Retting`` (what ``--fix`` does); ``rapportlint rule CODE`` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

if TYPE_CHECKING:
    from linter.model import Report, Section, Span
    from linter.packs import RulePack

DOCS_BASE = "https://github.com/rapportlint/rapportlint/blob/main/docs/rules/"
# Where the rule pages are online: RAPPORTLINT_DOCS_URL, or `docs-url` in the configuration (the
# command line puts it in the environment, so worker processes see it too). The pages also ship
# in the package (linter.resources.rule_page) for reading offline.
DOCS_URL_ENV = "RAPPORTLINT_DOCS_URL"


def docs_url(code: str) -> str:
    import os

    base = os.environ.get(DOCS_URL_ENV) or DOCS_BASE
    return f"{base if base.endswith('/') else base + '/'}{code}.md"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def label(self, lang: str) -> str:
        if lang == "en":
            return self.value
        return {"error": "feil", "warning": "advarsel", "info": "info"}[self.value]


@dataclass(slots=True)
class Fix:
    """Replace source[offset:end_offset] with ``replacement``. ``applicability``: "safe" (applied
    by --fix) or "unsafe" (it changes what the report claims: only with --unsafe-fixes)."""

    offset: int
    end_offset: int
    replacement: str
    applicability: str = "safe"


@dataclass(slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    path: str
    span: "Span"
    message_nb: str
    message_en: str
    fix: Fix | None = None
    details: dict[str, Any] = field(default_factory=dict)
    # In a Word draft: where the writer sees it (linter/word/location.py); None in a text report.
    location: dict[str, Any] | None = None

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_nb

    @property
    def docs_url(self) -> str:
        return docs_url(self.code)

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code)


@dataclass(slots=True)
class RuleContext:
    """What a rule may look at besides the report: the rule pack, this rule's settings, the codes
    of the rules that run with it (``selected``, None: all), and ``shared``: one dict per report
    that every rule's context holds, for analysis several rules use (computed once with ``memo``)
    and for ``coverage`` (what was checked and what could not be, per rule family; the engine puts
    it in the file's result)."""

    pack: "RulePack | None"
    settings: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)
    selected: frozenset[str] | None = None
    # The keys of ``shared`` read after the check too (the post-pass, an output format): the
    # engine keeps them when it drops a family's analyses once that family's rules have run
    # (CheckOptions.keep_analyses). One set per check, held by every rule's context.
    kept: set[str] = field(default_factory=set)

    def memo(self, key: str, compute: Any, keep: bool = False) -> Any:
        """``compute()`` once per report under ``key``. ``keep``: read after the check as well
        (else the engine may drop it when the rules of the family that made it are done)."""
        if keep:
            self.kept.add(key)
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]

    def sections(self, report: "Report") -> "list[Section]":
        """``list(report.sections())``, made once per report: walking the section tree is a
        generator per level, and several rules of every family walk it."""
        return self.memo("sections", lambda: list(report.sections()))

    def set_coverage(self, family: str, summary: dict[str, Any]) -> None:
        self.shared.setdefault("coverage", {})[family] = summary

    def runs(self, code: str) -> bool:
        """Whether rule ``code`` runs too. A rule that leaves a case to another rule ("S101 says
        it") must report the case itself when that rule is not selected, or it is never said."""
        return self.selected is None or code in self.selected


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    family: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[tuple[str, str]]  # (nb, en)
    messages: ClassVar[dict[str, tuple[str, str]]]  # key -> (nb, en) str.format templates
    fixable: ClassVar[bool] = False
    # What a pack may set under «regler: CODE:», as {key: (type, default)}. Plain typing types
    # (bool, list[str], Literal[...]): the pack's settings are checked against them with pydantic
    # when the pack is loaded, so a mistyped key is an error ("mente du ...?"), never ignored.
    pack_settings: ClassVar[dict[str, tuple[Any, Any]]] = {}
    # (nb, en): when and why a finding's severity differs from ``severity``; None when it never does.
    severity_varies: ClassVar[tuple[str, str] | None] = None

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        report: "Report",
        span: "Span",
        key: str,
        *,
        severity: Severity | None = None,
        fix: Fix | None = None,
        details: dict[str, Any] | None = None,
        **args: Any,
    ) -> Finding:
        nb, en = self.messages[key]
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            path=report.display_path,
            span=span,
            message_nb=nb.format(**args),
            message_en=en.format(**args),
            fix=fix,
            details=details or {},
        )

    @classmethod
    def doc(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")
