"""Checking one document open in an editor, exactly as `rapportlint check FILE` checks that file:
the nearest configuration (.rapportlint.toml / pyproject.toml), its rule selection, severities,
per-file ignores and districts, the rule pack the report names, the inline suppressions, and the
post-pass over the run (a D701 already said by an A2xx/I5xx rule is dropped). Files the
configuration's include/exclude leave out are not checked, and the editor is told why.

Spans count characters of the text without its byte-order mark; the editor counts UTF-16 code
units (or UTF-8 / UTF-32, as negotiated) from the start of the line: :class:`Positions`
converts both ways. No pygls here.
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.engine import CheckOptions, FileResult
    from linter.model import Span

LANGS = ("nb", "en")


@dataclass(slots=True)
class Settings:
    """The client's settings (initializationOptions, or «rapportlint» in workspace/didChangeConfiguration)."""

    lang: str | None = None  # None: RAPPORTLINT_LANG, the configuration's «lang», the client's locale, nb
    unsafe_fixes: bool = False  # also offer unsafe fixes (the configuration's «unsafe-fixes» does too)
    # While the writer types (changes closer together than this), wait until the typing pauses this
    # long before checking again; a change after a pause is checked at once. A check of the
    # largest example takes about 75 ms on a quiet machine (bench/README.md).
    debounce_ms: int = 75

    @classmethod
    def from_client(cls, data: object, base: "Settings | None" = None) -> "Settings":
        settings = Settings(**{name: getattr(base, name) for name in cls.__slots__}) if base else Settings()
        if isinstance(data, dict) and isinstance(data.get("rapportlint"), dict):
            data = data["rapportlint"]  # {"rapportlint": {...}} as VS Code and Neovim send it
        if not isinstance(data, dict):
            return settings
        lang = data.get("lang")
        if lang in LANGS:
            settings.lang = lang
        unsafe = data.get("unsafeFixes", data.get("unsafe-fixes"))
        if isinstance(unsafe, bool):
            settings.unsafe_fixes = unsafe
        debounce = data.get("debounceMs")
        if isinstance(debounce, int) and not isinstance(debounce, bool) and 0 <= debounce <= 5000:
            settings.debounce_ms = debounce
        return settings


def locale_lang(locale: str | None) -> str | None:
    """The client's locale as a message language: English for en-*, bokmål for Norwegian."""
    if not locale:
        return None
    base = locale.replace("_", "-").split("-")[0].lower()
    if base == "en":
        return "en"
    if base in ("nb", "no", "nn"):
        return "nb"
    return None


class Positions:
    """Offsets and spans of the checked text ⇄ editor positions (0-based line, character in the
    negotiated encoding: "utf-16" by default)."""

    def __init__(self, text: str, encoding: str = "utf-16"):
        self.bom = text.startswith("\ufeff")
        self.source = text[1:] if self.bom else text
        self.encoding = encoding
        starts = [0]
        find = self.source.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self.line_starts = starts

    def units(self, text: str) -> int:
        if self.encoding == "utf-32" or text.isascii():
            return len(text)
        if self.encoding == "utf-8":
            return len(text.encode("utf-8"))
        return len(text.encode("utf-16-le")) // 2

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of a character offset into the source."""
        offset = max(0, min(offset, len(self.source)))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[line]
        character = self.units(self.source[start:offset])
        if line == 0 and self.bom:
            character += self.units("\ufeff")
        return line, character

    def span_range(self, span: "Span") -> tuple[tuple[int, int], tuple[int, int]]:
        return self.position(span.offset), self.position(span.end_offset)

    def offset(self, line: int, character: int) -> int:
        """The character offset of an editor position (clamped to the line)."""
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.source)
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.source)
        if line == 0 and self.bom:
            character = max(0, character - self.units("\ufeff"))
        text = self.source[start:end]
        if self.encoding == "utf-32" or text.isascii():
            return start + min(character, len(text))
        counted = 0
        for index, char in enumerate(text):
            if counted >= character:
                return start + index
            counted += self.units(char)
        return start + len(text)

    @property
    def newline(self) -> str:
        """The line ending the document uses (a new line written into it uses the same)."""
        first = self.source.find("\n")
        return "\r\n" if first > 0 and self.source[first - 1] == "\r" else "\n"


@dataclass(slots=True)
class Problem:
    """Why a document has no findings: it could not be checked (nb, en), and where."""

    message_nb: str
    message_en: str
    line: int = 1  # 1-based
    column: int = 1
    severity: str = "error"  # "error", or "info" for a file that is not a report

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_nb


@dataclass(slots=True)
class Checked:
    """One check of one version of a document: what the features answer from."""

    uri: str
    text: str
    version: int | None
    positions: Positions
    lang: str = "nb"
    result: "FileResult | None" = None
    options: "CheckOptions | None" = None
    unsafe_fixes: bool = False
    docs_base: str | None = None  # the configuration's docs-url
    problems: list[Problem] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list:
        return self.result.findings if self.result is not None else []

    @property
    def report(self):
        return self.result.report if self.result is not None else None

    def docs_url(self, code: str) -> str:
        """The rule's page: RAPPORTLINT_DOCS_URL, else the configuration's docs-url, else the
        project's repository (as `rapportlint check` links it)."""
        from linter.rules.base import DOCS_BASE, DOCS_URL_ENV

        base = os.environ.get(DOCS_URL_ENV) or self.docs_base or DOCS_BASE
        return f"{base if base.endswith('/') else base + '/'}{code}.md"


def path_of(uri: str) -> Path | None:
    """The file a file:// URI names; None for an unsaved buffer (untitled:) or another scheme."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and len(path) > 2 and path[0] == "/" and path[2] == ":":
        path = path[1:]  # file:///C:/...
    return Path(path)


def check_document(uri: str, text: str, version: int | None = None, settings: Settings | None = None,
                   client_lang: str | None = None, encoding: str = "utf-16") -> Checked:
    """Check the editor's text of ``uri`` as `rapportlint check` checks the file at that path."""
    from linter import config as configuration
    from linter.engine import CheckOptions, check_text
    from linter.rules.registry import select_rules

    settings = settings or Settings()
    env_lang = os.environ.get("RAPPORTLINT_LANG")
    chosen_lang = settings.lang or (env_lang if env_lang in LANGS else None)
    checked = Checked(uri, text, version, Positions(text, encoding), lang=chosen_lang or client_lang or "nb")
    path = path_of(uri)
    scheme = uri.split(":", 1)[0].lower()
    if path is None and scheme != "untitled":  # a diff view's «git:» copy, say: its file is checked as itself
        checked.problems.append(Problem(f"ikke kontrollert: ikke en fil ({scheme}:)", f"not checked: not a file ({scheme}:)",
                                        severity="info"))
        return checked
    # The editor may have changed a configuration file since the last check: read it again.
    configuration.forget_cached()
    try:
        file_config = configuration.config_for(path)
    except configuration.ConfigError as exc:
        checked.problems.append(Problem("konfigurasjonen kan ikke leses: " + exc.message("nb"),
                                        "the configuration cannot be read: " + exc.message("en")))
        return checked
    checked.lang = chosen_lang or file_config.lang or client_lang or "nb"
    checked.unsafe_fixes = settings.unsafe_fixes or file_config.unsafe_fixes
    checked.docs_base = file_config.docs_url
    if path is not None:
        from linter.discovery import discover

        found = discover([str(path)], configuration.config_for, reports_only=True)
        if found.skipped:
            skipped = found.skipped[0]
            checked.problems.append(Problem(f"ikke kontrollert: {skipped.reason_nb}", f"not checked: {skipped.reason_en}",
                                            severity="info"))
            return checked
    chosen, ignored = configuration.selection_for(file_config, path, configuration.Overrides())
    options = CheckOptions(
        rules=select_rules(chosen, ignored or None), ruleset=file_config.ruleset, severity=file_config.severity,
        settings={"M105": {"ekstra_bydeler": file_config.districts}} if file_config.districts else {},
        keep_analyses=True)  # the hover reads the arithmetic analysis (features.arithmetic_of)
    display = str(path) if path is not None else uri
    result = check_text(text, display, options, path=path)
    from linter.facts.crossdoc import finish_run

    finish_run([result], [options])
    checked.result, checked.options = result, options
    checked.tracebacks = list(result.tracebacks)
    checked.problems.extend(_failures(result))
    return checked


def _failures(result: "FileResult") -> list[Problem]:
    """What stopped the check (binary data, an unknown rule pack), with its place when known."""
    problems = []
    if result.input_error is not None:
        error = result.input_error
        problems.append(Problem(error.message("nb"), error.message("en")))
    if result.syntax_error is not None:
        for problem in result.syntax_error.problems:
            problems.append(Problem(f"{problem.message_nb} {problem.hint_nb}".strip(),
                                    f"{problem.message_en} {problem.hint_en}".strip(), problem.line, problem.column))
    if result.pack_error is not None:
        pack_error = result.pack_error
        line, column = _place(pack_error.path)  # «report:line:column» when the front matter's «mal» names it
        if (line, column) != (1, 1):  # the place is the diagnostic's; the message names the value
            named = result.report.front_matter.get("mal") if result.report and result.report.front_matter else None
            where = f"{pack_error.key} «{named}»" if named else pack_error.key
            problems.append(Problem(f"regelpakke: {where}: {pack_error.message_nb}",
                                    f"rule pack: {where}: {pack_error.message_en}", line, column))
        else:
            problems.append(Problem("regelpakke: " + pack_error.message("nb"), "rule pack: " + pack_error.message("en")))
    return problems


def _place(where: str) -> tuple[int, int]:
    """(line, column) from a «path:line:column» location; (1, 1) when it has none."""
    parts = where.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return int(parts[1]), int(parts[2])
    return 1, 1
