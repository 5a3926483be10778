"""Human output: file:line:col, code, severity, message, then the offending line with a caret."""

from __future__ import annotations

from linter.engine import FileResult

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"


def render(results: list[FileResult], lang: str = "nb", colour: bool = False, show_source: bool = True) -> str:
    out: list[str] = []
    counts = {"error": 0, "warning": 0, "info": 0}
    for result in results:
        for problem_text in _failure_lines(result, lang):
            out.append(problem_text)
        for finding in result.findings:
            counts[finding.severity.value] += 1
            sev = finding.severity.label(lang)
            if colour:
                sev = f"{_COLOURS[finding.severity.value]}{sev}{_RESET}"
                code = f"{_BOLD}{finding.code}{_RESET}"
            else:
                code = finding.code
            out.append(f"{finding.path}:{finding.span.line}:{finding.span.column}: {code} [{sev}] {finding.message(lang)}")
            if show_source and result.report is not None:
                out.extend(_excerpt(result, finding))
    failed = sum(1 for r in results if r.failed)
    total = sum(counts.values())
    if lang == "en":
        summary = f"{len(results)} file(s) checked: {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info"
        if failed:
            summary += f"; {failed} file(s) could not be checked"
        if not total and not failed:
            summary = f"{len(results)} file(s) checked: no findings"
    else:
        summary = f"{len(results)} fil(er) kontrollert: {counts['error']} feil, {counts['warning']} advarsler, {counts['info']} info"
        if failed:
            summary += f"; {failed} fil(er) kunne ikke kontrolleres"
        if not total and not failed:
            summary = f"{len(results)} fil(er) kontrollert: ingen funn"
    out.append(summary)
    return "\n".join(out) + "\n"


def _failure_lines(result: FileResult, lang: str) -> list[str]:
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


def _excerpt(result: FileResult, finding) -> list[str]:
    report = result.report
    line = report.line_text(finding.span.line)
    if not line.strip():
        return []
    col = finding.span.column
    width = 1
    if finding.span.end_line == finding.span.line:
        width = max(1, finding.span.end_column - col)
    width = min(width, max(1, len(line) - col + 1))
    gutter = f"{finding.span.line:>5} | "
    return [f"{gutter}{line}", " " * (len(gutter) + col - 1) + "^" * width]
