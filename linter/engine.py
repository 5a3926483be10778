"""Checking reports: read, parse, choose the rule pack, run the selected rules, apply severity
overrides and inline suppressions; many files in parallel processes with results in input order."""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from linter.model import Report, Span
from linter.packs import RulePack, RulePackError, load_pack, nearest_pack_id
from linter.parsing.builder import (
    DEFAULT_MAX_BYTES,
    decode_report_bytes,
    parse_report,
    read_report_file,
)
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
    # Run in a worker process while the model is still there (the output format's own work, e.g.
    # the HTML page's section of this file), so the model need not be sent back: (result, index).
    prepare: Callable[["FileResult", int], None] | None = None
    # Keep every rule family's shared analysis in FileResult.shared after the check (the editor's
    # hover reads the arithmetic one). Off, each family's analyses are dropped once its last rule
    # has run, so a large report never holds them all at once (bench/README.md, peak memory);
    # what is read after the check (RuleContext.memo(keep=True): the facts) is kept either way.
    keep_analyses: bool = False


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
    tracebacks: list[str] = field(default_factory=list)  # of internal errors, for --debug
    source_map: Any = None  # a .docx: linter.word.location.SourceMap from the checked text to the document
    prepared: dict = field(default_factory=dict)  # what CheckOptions.prepare made in the worker
    # The rules' RuleContext.shared of this check (the arithmetic analysis, ...), for the editor's
    # hover; like ``report``, not sent back from worker processes.
    shared: dict = field(default_factory=dict)
    # The kept source split into lines, made on the first line_text (the text output quotes a line
    # per finding: splitting the source for each was a third of the output's time on 200 reports).
    lines: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def internal_errors(self) -> list[Finding]:
        """The X999 findings: a rule (or rapportlint) failed on this file (exit code 2)."""
        return [f for f in self.findings if f.code == INTERNAL_ERROR]
    coverage: dict = field(default_factory=dict)  # per rule family: what was checked, what could not be

    def line_text(self, line: int) -> str:
        if self.report is not None:
            return self.report.line_text(line)
        if self.source is None:
            return ""
        lines = self.lines
        if lines is None:
            lines = self.lines = self.source.split("\n")
        return lines[line - 1].rstrip("\r") if 1 <= line <= len(lines) else ""

    @property
    def failed(self) -> bool:
        """True when the file could not be checked at all (exit code 2)."""
        return bool(self.syntax_error or self.input_error or self.pack_error)


INTERNAL_ERROR = "X999"


def printable_name(name: str) -> str:
    """A file name that can be printed and written in every format. Bytes of a name that are not
    UTF-8 reach Python as lone surrogates, which no UTF-8 output can hold: show them as \\xNN."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        try:
            return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return name.encode("utf-8", "backslashreplace").decode("utf-8")


def check_path(path: Path | str, options: CheckOptions, display: str | None = None) -> FileResult:
    shown = printable_name(display or str(path))
    if Path(path).suffix.lower() == ".docx":  # a Word draft: converted in memory, findings located in Word
        try:
            from linter.word.check import check_docx

            return check_docx(Path(path), options, shown)
        except Exception as exc:  # noqa: BLE001 - a bug in the Word reader is X999 on this file, not the end of a run
            return _crashed(FileResult(shown), None, exc)
    try:
        text = read_report_file(Path(path), options.max_bytes)
    except ReportInputError as exc:
        exc.path = shown
        return FileResult(shown, input_error=exc)
    except Exception as exc:  # noqa: BLE001 - one unreadable file must not end a run over 300
        return _crashed(FileResult(shown), None, exc)
    return check_text(text, shown, options, path=Path(path))


def check_bytes(data: bytes, display: str, options: CheckOptions) -> FileResult:
    display = printable_name(display)
    try:
        text = decode_report_bytes(data, display, options.max_bytes)
    except ReportInputError as exc:
        return FileResult(display, input_error=exc)
    return check_text(text, display, options)


def check_text(text: str, display: str, options: CheckOptions, path: Path | None = None) -> FileResult:
    result = FileResult(display)
    # The rules allocate a few objects per cell (checks, cell references, facts) and keep most of
    # them until the end: the cyclic garbage collector's full passes over the whole model found
    # nothing to free and cost a third of the time of a large report (bench/README.md). Off while
    # checking, as while parsing; back on after.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _check_text(text, display, options, path, result)
    except Exception as exc:  # noqa: BLE001 - a bug in the engine: this file gets X999, the run goes on
        _crashed(result, None, exc)
    finally:
        if was_enabled:
            gc.enable()
    return result


def _check_text(text: str, display: str, options: CheckOptions, path: Path | None, result: FileResult) -> None:
    try:
        # Read around what cannot be parsed: its problems are findings (P rules) and the rest
        # of the report is checked. Only binary data still raises.
        report = parse_report(text, display, path, recover=True)
    except ReportSyntaxError as exc:
        result.syntax_error = exc
        return
    result.report = report
    result.source = report.source
    try:
        pack, notes = choose_pack(report, options.ruleset)
    except RulePackError as exc:
        result.pack_error = exc
        return
    result.pack_id = pack.id if pack else None
    selected = frozenset(rule.code for rule in options.rules)
    findings = [note for note in notes if note.code in selected]
    shared: dict = {}  # per-report analysis the rules share (RuleContext.memo)
    kept: set[str] = {"coverage"}  # the keys of shared that outlive their family's rules
    result.shared = shared
    before = set(shared)  # the keys there when the current family's first rule started
    rules = options.rules
    for index, rule_class in enumerate(rules):
        try:
            rule = rule_class()
            settings = pack.rule_settings(rule.code) if pack else {}
            if rule.code in options.settings:  # from the configuration (e.g. bydeler for M105)
                settings = {**settings, **options.settings[rule.code]}
            context = RuleContext(pack=pack, settings=settings, shared=shared, selected=selected, kept=kept)
            found = list(rule.check(report, context))
            wrong = next((f for f in found if not isinstance(f, Finding)), None)
            if wrong is not None:
                raise TypeError(f"check() yielded {type(wrong).__name__}, not a Finding")
            findings.extend(found)
        except Exception as exc:  # noqa: BLE001 - fault isolation: the other rules still run
            _crashed(result, rule_class, exc)
        if not options.keep_analyses:
            family = getattr(rule_class, "family", None)
            if index + 1 == len(rules) or getattr(rules[index + 1], "family", None) != family:
                # The family is done: its analyses (a few times the input's size on a large
                # report) go before the next family makes its own.
                for key in [key for key in shared if key not in before and key not in kept]:
                    del shared[key]
                before = set(shared)
    result.coverage = shared.get("coverage", {})
    template = sys.modules.get("linter.template")  # imported by the rules that match sections
    if template is not None:
        template.forget_last()
    from linter import suppressions

    findings, result.suppressed, result.suppressions = suppressions.apply(report, findings, selected, options.audit)
    if options.severity:
        _override_severities(findings, options.severity)
    findings.extend(result.findings)  # the internal errors: never suppressed, never overridden
    findings.sort(key=Finding.sort_key)
    result.findings = findings


def _crashed(result: FileResult, rule_class: "type[Rule] | None", exc: BaseException) -> FileResult:
    """Record an exception as an X999 finding on the file (at its start), naming the rule and the
    package it comes from; the traceback is kept for --debug."""
    import traceback

    from linter.rules.registry import rule_package

    error = f"{type(exc).__name__}: {exc}"
    if len(error) > 300:
        error = error[:300] + "…"
    from linter.rules.suppressions import InternalError

    if rule_class is None:
        package, key, args = "rapportlint", "engine", {"error": error}
    else:
        package = rule_package(rule_class)
        key = "rule"
        args = {"rule": getattr(rule_class, "code", "?"), "name": getattr(rule_class, "name", rule_class.__name__),
                "package": package, "error": error}
    nb, en = InternalError.messages[key]
    result.findings.append(Finding(
        code=INTERNAL_ERROR, name=InternalError.name, severity=Severity.ERROR, path=result.path,
        span=Span(1, 1, 1, 1, 0, 0), message_nb=nb.format(**args), message_en=en.format(**args),
        details={"rule": args.get("rule"), "package": package, "exception": type(exc).__name__},
    ))
    result.tracebacks.append("".join(traceback.format_exception(exc)))
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

        # fork where there is one: the workers inherit what this process has loaded. Checking the
        # first file here first loads it all once (lark and the grammar's tables, the packs, the
        # modules and patterns the rules import on first use), instead of once in every worker.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        tasks = _with_post_pass(tasks)
        if method == "fork":
            first = tasks.pop(0)
            results[first[0]] = _worker(first)
            if progress:
                progress(1)
            # What the first check loaded is kept for the run: out of the collector's sight, so
            # neither process scans it again (nor, in a worker, copies its pages by touching it).
            gc.freeze()
        # Largest first: the run ends when the last worker is done, and a large report last would
        # keep one worker busy while the other waits. The results still go to their own places.
        tasks.sort(key=_size, reverse=True)
        context = multiprocessing.get_context(method)
        # Off in this process while the results arrive: unpickling them allocates many objects
        # that are all kept, and each full pass rescanned every result received so far.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
                for index, result in zip((t[0] for t in tasks), pool.map(_worker, tasks, chunksize=1)):
                    results[index] = result
                    if progress:
                        progress(1)
        finally:
            if was_enabled:
                gc.enable()
    else:
        for index, item, options in tasks:
            results[index] = check_path(Path(item), options)
            if progress:
                progress(1)
    return results  # type: ignore[return-value]


def _size(task: tuple) -> int:
    try:
        return os.stat(task[1]).st_size
    except OSError:
        return 0


def _with_post_pass(tasks: list) -> list:
    """Each task with whether its worker also sends what the cross-document post-pass (D702)
    needs of the report: decided here from the start of each file (which reports can meet
    another), so the post-pass does not parse those reports again in this process, one after
    another (200 reports of five districts: 9.5 s of this process's time before)."""
    from linter.facts.crossdoc import to_compare

    heads = []
    for _, item, options in tasks:
        head = None
        if any(rule.code == "D702" for rule in options.rules) and Path(item).suffix.lower() != ".docx":
            try:
                with open(item, "rb") as source:
                    head = source.read(16000).decode("utf-8", "replace")[:4000]
            except OSError:
                head = None
        heads.append(head)
    try:
        wanted = to_compare(heads)
    except Exception:  # noqa: BLE001 - an optimisation only: the post-pass then reads the reports itself
        wanted = [False] * len(tasks)
    return [(index, Path(item), options, want) for (index, item, options), want in zip(tasks, wanted)]


def _worker(task: tuple) -> FileResult:
    index, path, options, *post_pass = task
    # The collector stays off for the whole task, not only the check: turned back on at its end,
    # its first passes walked the whole model still held (it is freed only below), about a tenth
    # of a worker's time. One young-generation pass after the model is dropped frees its cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = check_path(path, options)
        if options.prepare is not None and result.report is not None:
            # The post-pass's per-file part first, so what the format prepares is what it will show.
            from linter.facts.crossdoc import drop_doubles

            drop_doubles(result)
            try:
                options.prepare(result, index)
            except Exception as exc:  # noqa: BLE001 - the output is then made from the model, as without it
                result.prepared = {}
                result.tracebacks.append(f"{type(exc).__name__}: {exc}")
                options = CheckOptions(rules=options.rules, keep_report=True)
        if post_pass and post_pass[0] and result.report is not None:
            from linter.facts.crossdoc import post_pass_data

            try:
                result.prepared["post_pass"] = post_pass_data(result, options)
            except Exception:  # noqa: BLE001 - the post-pass then reads this report itself, as without
                result.prepared.pop("post_pass", None)
        if not options.keep_report:
            result.report = None  # sending the model back costs more than it is worth
            result.shared = {}
            gc.collect(0)
    finally:
        if was_enabled:
            gc.enable()
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
        from linter.rules.metadata import RulePackNearestYear

        at = Span(span.line, span.column, span.line, span.column, span.offset, span.offset)
        notes.append(RulePackNearestYear().finding(report, at, "nearest", kind=kind, year=year, pack=pack.id,
                                                   details={"pack": pack.id}))
    return pack, notes
