"""Checking reports: read, parse, choose the rule pack, run the selected rules, apply severity
overrides and inline suppressions; many files in parallel processes with results in input order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from linter.model import Report, Span
from linter.packs import RulePack, RulePackError, load_pack, nearest_pack_id
from linter.parsing.builder import DEFAULT_MAX_BYTES, decode_report_bytes, parse_report, read_report_file
from linter.parsing.errors import ReportInputError, ReportSyntaxError
from linter.rules.base import Finding, Rule, RuleContext, Severity

if TYPE_CHECKING:
    from linter.suppressions import Suppression


@dataclass(slots=True)
class CheckOptions:
    rules: list[type[Rule]]
    ruleset: str | None = None  # forced pack id or path
    max_bytes: int = DEFAULT_MAX_BYTES
    severity: dict[str, str] = field(default_factory=dict)  # code or prefix -> severity
    audit: bool = False  # apply no suppression, but count what each would cover
    keep_report: bool = True  # False in worker processes: the model is not sent back
    settings: dict[str, dict] = field(default_factory=dict)  # code -> settings added to the pack's (configuration)


@dataclass(slots=True)
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    syntax_error: ReportSyntaxError | None = None
    input_error: ReportInputError | None = None
    pack_error: RulePackError | None = None
    pack_id: str | None = None
    report: Report | None = None
    source: str | None = None
    suppressed: list[Finding] = field(default_factory=list)
    suppressions: list["Suppression"] = field(default_factory=list)

    def line_text(self, line: int) -> str:
        if self.report is not None:
            return self.report.line_text(line)
        if self.source is None:
            return ""
        lines = self.source.split("\n")
        return lines[line - 1].rstrip("\r") if 1 <= line <= len(lines) else ""

    @property
    def failed(self) -> bool:
        """True when the file could not be checked at all (exit code 2)."""
        return bool(self.syntax_error or self.input_error or self.pack_error)


def check_path(path: Path, options: CheckOptions, display: str | None = None) -> FileResult:
    shown = display or str(path)
    try:
        text = read_report_file(path, options.max_bytes)
    except ReportInputError as exc:
        exc.path = shown
        return FileResult(shown, input_error=exc)
    return check_text(text, shown, options, path=path)


def check_bytes(data: bytes, display: str, options: CheckOptions) -> FileResult:
    try:
        text = decode_report_bytes(data, display, options.max_bytes)
    except ReportInputError as exc:
        return FileResult(display, input_error=exc)
    return check_text(text, display, options)


def check_text(text: str, display: str, options: CheckOptions, path: Path | None = None) -> FileResult:
    result = FileResult(display)
    try:
        # Read around what cannot be parsed: its problems are findings (P rules) and the rest
        # of the report is checked. Only binary data still raises.
        report = parse_report(text, display, path, recover=True)
    except ReportSyntaxError as exc:
        result.syntax_error = exc
        return result
    result.report = report
    result.source = report.source
    try:
        pack, notes = choose_pack(report, options.ruleset)
    except RulePackError as exc:
        result.pack_error = exc
        return result
    result.pack_id = pack.id if pack else None
    findings = list(notes)
    for rule_class in options.rules:
        rule = rule_class()
        settings = pack.rule_settings(rule.code) if pack else {}
        if rule.code in options.settings:
            settings = {**settings, **options.settings[rule.code]}
        findings.extend(rule.check(report, RuleContext(pack=pack, settings=settings)))
    from linter import suppressions

    selected = {rule.code for rule in options.rules}
    findings, result.suppressed, result.suppressions = suppressions.apply(report, findings, selected, options.audit)
    if options.severity:
        _override_severities(findings, options.severity)
    findings.sort(key=Finding.sort_key)
    result.findings = findings
    return result


def _override_severities(findings: list[Finding], overrides: dict[str, str]) -> None:
    """The longest matching code or prefix wins (``A`` = warning, ``A201`` = error)."""
    for finding in findings:
        best = max((p for p in overrides if finding.code.startswith(p)), key=len, default=None)
        if best is not None:
            finding.severity = Severity(overrides[best])


# ---------------------------------------------------------------------------- many files
Item = tuple["Path | str", CheckOptions]  # a path, or "-" for standard input, with its options


def check_many(items: Sequence[Item], jobs: int = 1, stdin: Callable[[], tuple[bytes, str]] | None = None,
               progress: Callable[[int], None] | None = None) -> list[FileResult]:
    """Check every item; results in the items' order whatever ``jobs`` is. Standard input is
    read here, in this process; files are checked in ``jobs`` worker processes when there are
    several. ``progress(n)`` is called as each file is done."""
    results: list[FileResult | None] = [None] * len(items)
    tasks = []
    for index, (item, options) in enumerate(items):
        if item == "-":
            data, name = stdin() if stdin else (b"", "<stdin>")
            results[index] = check_bytes(data, name, options)
            if progress:
                progress(1)
        else:
            tasks.append((index, item, options))
    if jobs > 1 and len(tasks) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork where there is one: the workers inherit the loaded rules and packs
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
            for index, result in zip((t[0] for t in tasks), pool.map(_worker, tasks, chunksize=1)):
                results[index] = result
                if progress:
                    progress(1)
    else:
        for index, item, options in tasks:
            results[index] = check_path(item, options)
            if progress:
                progress(1)
    return results  # type: ignore[return-value]


def _worker(task: tuple[int, Path, CheckOptions]) -> FileResult:
    _, path, options = task
    result = check_path(path, options)
    if not options.keep_report:
        result.report = None  # sending the model back costs more than it is worth
    return result


def choose_pack(report: Report, forced: str | None) -> tuple[RulePack | None, list[Finding]]:
    """The pack named by --ruleset, else the front matter's ``mal``, else dokument-år (or the
    nearest earlier year of that document kind, said in an info finding)."""
    if forced:
        return load_pack(forced), []
    if report.front_matter is None:
        return None, []
    mal = report.front_matter.fields.get("mal")
    if mal and mal.value:
        try:
            return load_pack(mal.value), []
        except RulePackError as exc:
            raise RulePackError(f"{report.display_path}:{mal.value_span.line}:{mal.value_span.column}", "mal",
                                exc.message_nb, exc.message_en) from None
    kind, year = report.kind, report.year
    if not kind or year is None:
        return None, []
    pack_id = nearest_pack_id(kind, year)
    if pack_id is None:
        return None, []
    pack = load_pack(pack_id)
    notes = []
    if pack.year != year:
        span = report.front_matter.span
        notes.append(Finding(
            code="M103",
            name="rule-pack-nearest-year",
            severity=Severity.INFO,
            path=report.display_path,
            span=Span(span.line, span.column, span.line, span.column, span.offset, span.offset),
            message_nb=f"ingen regelpakke for {kind} {year}; bruker {pack.id} (sett «mal:» for å velge)",
            message_en=f"no rule pack for {kind} {year}; using {pack.id} (set «mal:» to choose)",
        ))
    return pack, notes
