"""Human output: file:line:col, code, severity, message, then the offending line with a caret;
colour when the output is a terminal. With --audit, every suppression and its reason; with a
baseline, the entries that no longer occur."""

from __future__ import annotations

from linter.engine import FileResult
from linter.reporting import as_run
from linter.reporting.common import counts, where

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"


def render(run, lang: str = "nb", colour: bool = False, show_source: bool = True, **_: object) -> str:
    run = as_run(run)
    results = run.results
    en = lang == "en"
    show_fixes = bool(run.extra.get("show_fixes"))
    out: list[str] = []
    for result in results:
        out.extend(failure_lines(result, lang))
        for finding in result.findings:
            sev = finding.severity.label(lang)
            code = finding.code
            location = f"{where(finding, lang)}:"
            if colour:
                sev = f"{_COLOURS[finding.severity.value]}{sev}{_RESET}"
                code = f"{_BOLD}{code}{_RESET}"
                location = f"{_BOLD}{location}{_RESET}"
            out.append(f"{location} {code} [{sev}] {finding.message(lang)}")
            if show_source and finding.location is None:  # a Word draft's place already quotes its text
                out.extend(_excerpt(result, finding, colour))
            if show_fixes and finding.fix is not None:
                out.extend(fix_lines(result, finding, lang))
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
    fixable = sum(1 for r in results for f in r.findings if f.fix is not None and f.fix.applicability == "safe")
    unsafe = sum(1 for r in results for f in r.findings if f.fix is not None and f.fix.applicability != "safe")
    hidden = {k: v for k, v in (run.extra.get("hidden") or {}).items() if v}
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
        if fixable or unsafe:
            summary += f"; {fixable} can be fixed with --fix" + (f", {unsafe} more with --unsafe-fixes" if unsafe else "") \
                + " (see --show-fixes)"
        if hidden:
            summary += "; hidden by --min-severity: " + ", ".join(f"{n} {sev}" for sev, n in sorted(hidden.items()))
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
        if fixable or unsafe:
            summary += f"; {fixable} kan rettes med --fix" + (f", {unsafe} til med --unsafe-fixes" if unsafe else "") \
                + " (se --show-fixes)"
        if hidden:
            labels = {"error": "feil", "warning": "advarsler", "info": "info"}
            summary += "; skjult av --min-severity: " + ", ".join(f"{n} {labels[sev]}" for sev, n in sorted(hidden.items()))
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


def fix_lines(result: FileResult, finding, lang: str) -> list[str]:
    """What --fix would write: the text it replaces and the replacement, shortened."""
    fix = finding.fix
    source = result.report.source if result.report is not None else (result.source or "")
    before = source[fix.offset:fix.end_offset]
    label = "fix" if lang == "en" else "retting"
    if fix.applicability != "safe":
        label += " (--unsafe-fixes)" if lang == "en" else " (usikker: --unsafe-fixes)"
    if not before:
        return [f"    {label}: {'insert' if lang == 'en' else 'sett inn'} «{_one_line(fix.replacement)}»"]
    # Whole lines around the fix, so each edit is shown with the number it is in.
    line_start = source.rfind("\n", 0, fix.offset) + 1
    line_end = source.find("\n", fix.end_offset)
    line_end = len(source) if line_end < 0 else line_end
    changes = _changes(source[line_start:line_end],
                       source[line_start:fix.offset] + fix.replacement + source[fix.end_offset:line_end])
    shown = ", ".join(f"«{a}» → «{b}»" for a, b in changes[:_FIX_CHANGES_SHOWN])
    more = len(changes) - _FIX_CHANGES_SHOWN
    if more > 0:
        shown += f" {'and' if lang == 'en' else 'og'} {more} {'more' if lang == 'en' else 'til'}"
    return [f"    {label}: {shown}"]


_FIX_CHANGES_SHOWN = 6


def _changes(before: str, after: str) -> list[tuple[str, str]]:
    """Each edit of a fix as (old word, new word): the changed characters widened to the word
    around them in the old text (a fix over a whole table changes a character here and there)."""
    from difflib import SequenceMatcher

    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        a, b = i1, i2
        while a > 0 and not before[a - 1].isspace() and before[a - 1] != "|":
            a -= 1
        while b < len(before) and not before[b].isspace() and before[b] != "|":
            b += 1
        out.append((_one_line(before[a:b]), _one_line(after[j1 - (i1 - a) : j2 + (b - i2)])))
    return out


def _one_line(text: str) -> str:
    return text.replace("\n", "⏎")


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
