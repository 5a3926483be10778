"""Human output: file:line:col, code, severity, message, then the offending line with a caret;
colour when the output is a terminal. With --audit, every suppression and its reason; with a
baseline, the entries that no longer occur."""

from __future__ import annotations

from linter.engine import FileResult
from linter.reporting import as_run
from linter.reporting.common import counts

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"


def render(run, lang: str = "nb", colour: bool = False, show_source: bool = True, **_: object) -> str:
    run = as_run(run)
    results = run.results
    en = lang == "en"
    out: list[str] = []
    for result in results:
        out.extend(failure_lines(result, lang))
        for finding in result.findings:
            sev = finding.severity.label(lang)
            code = finding.code
            location = f"{finding.path}:{finding.span.line}:{finding.span.column}:"
            if colour:
                sev = f"{_COLOURS[finding.severity.value]}{sev}{_RESET}"
                code = f"{_BOLD}{code}{_RESET}"
                location = f"{_BOLD}{location}{_RESET}"
            out.append(f"{location} {code} [{sev}] {finding.message(lang)}")
            if show_source:
                out.extend(_excerpt(result, finding, colour))
    if run.audit:
        out.extend(_audit_lines(results, lang))
    if run.baseline is not None and run.baseline.stale:
        out.append("Baseline entries that no longer occur:" if en else "Baseline-oppføringer som ikke lenger finnes:")
        for entry in run.baseline.stale:
            out.append(f"  {entry.path}: {entry.code} ×{entry.count} {entry.message}")
    out.append(summary_line(run, lang))
    return "\n".join(out) + "\n"


def summary_line(run, lang: str) -> str:
    results = run.results
    found = counts(results)
    failed = sum(1 for r in results if r.failed)
    suppressed = sum(len(r.suppressed) for r in results)
    total = sum(found.values())
    if lang == "en":
        summary = f"{len(results)} file(s) checked: {found['error']} error(s), {found['warning']} warning(s), {found['info']} info"
        if not total and not failed:
            summary = f"{len(results)} file(s) checked: no findings"
        if suppressed:
            summary += f" ({suppressed} suppressed; see --audit)"
        if run.baseline is not None:
            summary += f"; {run.baseline.matched} in the baseline"
        if failed:
            summary += f"; {failed} file(s) could not be checked"
    else:
        summary = f"{len(results)} fil(er) kontrollert: {found['error']} feil, {found['warning']} advarsler, {found['info']} info"
        if not total and not failed:
            summary = f"{len(results)} fil(er) kontrollert: ingen funn"
        if suppressed:
            summary += f" ({suppressed} undertrykt; se --audit)"
        if run.baseline is not None:
            summary += f"; {run.baseline.matched} i baseline"
        if failed:
            summary += f"; {failed} fil(er) kunne ikke kontrolleres"
    return summary


def _audit_lines(results: list[FileResult], lang: str) -> list[str]:
    en = lang == "en"
    found = [(r, s) for r in results for s in r.suppressions]
    lines = [f"Suppressions ({len(found)}), not applied (--audit):" if en
             else f"Undertrykkelser ({len(found)}), ikke brukt (--audit):"]
    for result, s in found:
        scope = {"ignore": "ignore", "ignore-range": f"ignore-start…end {s.lines[0][0]}–{s.lines[0][1]}",
                 "ignore-file": "ignore-file"}[s.kind]
        scope += f" {','.join(s.codes)}"
        if s.row:
            scope += f' rad="{s.row}"'
        covered = f"{s.count} finding(s)" if en else f"{s.count} funn"
        lines.append(f"  {result.path}:{s.span.line}: {scope} — "
                     f"{'reason' if en else 'begrunnelse'}: «{s.reason}» ({covered})")
    return lines


def failure_lines(result: FileResult, lang: str) -> list[str]:
    lines = []
    label = "error" if lang == "en" else "feil"
    if result.input_error:
        lines.append(f"{result.path}: {label}: {result.input_error.message(lang)}")
    if result.pack_error:
        prefix = "rule pack" if lang == "en" else "regelpakke"
        lines.append(f"{result.path}: {label}: {prefix}: {result.pack_error.message(lang)}")
    if result.syntax_error:
        for p in result.syntax_error.problems:
            lines.append(f"{result.path}:{p.line}:{p.column}: {label}: {p.message(lang)}")
            hint = p.hint(lang)
            if hint:
                lines.append(f"    {'hint' if lang == 'en' else 'tips'}: {hint}")
    return lines


_failure_lines = failure_lines


def _excerpt(result: FileResult, finding, colour: bool = False) -> list[str]:
    line = result.line_text(finding.span.line)
    if not line.strip():
        return []
    col = finding.span.column
    width = 1
    if finding.span.end_line == finding.span.line:
        width = max(1, finding.span.end_column - col)
    width = min(width, max(1, len(line) - col + 1))
    gutter = f"{finding.span.line:>5} | "
    caret = " " * (len(gutter) + col - 1) + "^" * width
    if colour:
        gutter = f"{_DIM}{gutter}{_RESET}"
        caret = f"{_COLOURS[finding.severity.value]}{caret}{_RESET}"
    return [f"{gutter}{line}", caret]
