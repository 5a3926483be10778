"""What the editor shows, computed from one check of a document (:class:`Checked`): diagnostics,
hover (a sum cell's computed sum and the rows it covers, from the arithmetic analysis the A2 rules
made; a rule's explanation), code actions (the findings' fixes; a suppression with a reason) and
the outline (sections, with their tables as children)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from lsprotocol import types

from linter.lsp.document import Checked
from linter.model import Table

if TYPE_CHECKING:
    from linter.formulas import Check
    from linter.model import Cell, Report, Row, Section, Span
    from linter.rules.base import Finding

SOURCE = "rapportlint"
SHOW_REASON = "rapportlint.showReason"  # puts the cursor in a new suppression's begrunnelse
FIX_ALL = types.CodeActionKind.SourceFixAll + ".rapportlint"
MAX_ROWS_SHOWN = 40

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def _pos(pair: tuple[int, int]) -> types.Position:
    return types.Position(line=pair[0], character=pair[1])


def span_range(checked: Checked, span: "Span") -> types.Range:
    start, end = checked.positions.span_range(span)
    return types.Range(start=_pos(start), end=_pos(end))


def offset_range(checked: Checked, offset: int, end_offset: int) -> types.Range:
    return types.Range(start=_pos(checked.positions.position(offset)), end=_pos(checked.positions.position(end_offset)))


# ---------------------------------------------------------------------------- diagnostics
def diagnostics(checked: Checked) -> list[types.Diagnostic]:
    """Every finding, with its rule code linked to the rule's page; and, when the document could
    not be checked, why (never an empty list in silence; a file the configuration says is no
    report is only logged)."""
    out = [_diagnostic(checked, finding) for finding in checked.findings]
    for problem in checked.problems:
        if problem.severity == "info":
            continue  # a file that is not a report: the server logs why (window/logMessage), as check lists it
        start = checked.positions.offset(problem.line - 1, 0) + problem.column - 1
        line_end = checked.positions.offset(problem.line - 1, 10**9)
        out.append(types.Diagnostic(
            range=offset_range(checked, min(start, line_end), line_end), message=problem.message(checked.lang),
            severity=_SEVERITY[problem.severity], source=SOURCE))
    return out


def _diagnostic(checked: Checked, finding: "Finding") -> types.Diagnostic:
    return types.Diagnostic(
        range=span_range(checked, finding.span),
        message=finding.message(checked.lang),
        severity=_SEVERITY[finding.severity.value],
        code=finding.code,
        code_description=types.CodeDescription(href=checked.docs_url(finding.code)),
        source=SOURCE,
        data={"name": finding.name, "fixable": finding.fix is not None},
    )


# ---------------------------------------------------------------------------- hover
def hover(checked: Checked, line: int, character: int) -> types.Hover | None:
    """A figure's arithmetic (the relationships it is the result of or counted in) and the
    explanation of each rule with a finding under the cursor (or named in a directive there)."""
    report = checked.report
    if report is None:
        return None
    offset = checked.positions.offset(line, character)
    parts: list[str] = []
    found = cell_at(report, offset)
    if found is not None:
        text = sum_hover(checked, *found)
        if text:
            parts.append(text)
    codes = [f.code for f in checked.findings if _covers(f.span, offset)]
    codes += directive_codes_at(report, offset)
    for code in dict.fromkeys(codes):
        text = rule_explanation(code, checked.lang)
        if text:
            parts.append(text)
    if not parts:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


def _covers(span: "Span", offset: int) -> bool:
    return span.offset <= offset <= span.end_offset  # the cursor just after the last character counts


def cell_at(report: "Report", offset: int) -> tuple["Table", "Row", "Cell"] | None:
    """The table cell under ``offset`` (a continued table's rows belong to its first part)."""
    for table in report.tables:
        parts = [table, *table.continuations]
        if not any(part.span.offset <= offset < part.span.end_offset for part in parts):
            continue
        for row in table.rows:
            if row.span.offset <= offset < row.span.end_offset:
                for cell in row.cells:
                    if cell.span.offset <= offset <= cell.span.end_offset:
                        return table, row, cell
    return None


_DIRECTIVE_CODE = re.compile(r"\b[A-Z][0-9]{3}\b")


def directive_codes_at(report: "Report", offset: int) -> list[str]:
    """The rule code under the cursor in a ``<!-- rapportlint: ignore CODE ... -->`` directive."""
    for directive in report.directives:
        if not directive.span.offset <= offset < directive.span.end_offset:
            continue
        text = report.source[directive.span.offset:directive.span.end_offset]
        for match in _DIRECTIVE_CODE.finditer(text):
            if directive.span.offset + match.start() <= offset <= directive.span.offset + match.end():
                return [match.group(0)]
    return []


def rule_explanation(code: str, lang: str) -> str | None:
    """The rule's page (linter/ruledocs.py: the docstring's Hvorfor / Feil / Riktig / Retting)."""
    from linter.ruledocs import GENERATED, RuleDocError, render_page
    from linter.rules.registry import all_rules

    rule = all_rules().get(code)
    if rule is None:
        return None
    try:
        page = render_page(rule)
    except RuleDocError:  # a plug-in rule without the sections: its docstring as it is
        page = f"# {rule.code} {rule.name}\n\n{rule.doc()}"
    page = page.replace(GENERATED + "\n", "", 1)
    if lang == "en":
        page = f"**{rule.code} {rule.name}: {rule.summary[1]}** (the rule pages are in Norwegian)\n\n" + page
    return page


def arithmetic_of(checked: Checked):
    """Every arithmetic check of this result (the A2 rules keep only what they report: the
    report is analysed again, once per checked text, with the pack the check used)."""
    from linter.rules.arithmetic import full_analysis

    result = checked.result
    if result is None or result.report is None:
        return None
    kept = result.shared.get("aritmetikk")
    if kept is not None:
        pack = kept.pack
    else:  # no A2 rule was selected
        from linter.packs import RulePackError, load_pack

        try:
            pack = load_pack(result.pack_id) if result.pack_id else None
        except RulePackError:
            pack = None
    return full_analysis(result.report, pack, result.shared)


def sum_hover(checked: Checked, table: "Table", row: "Row", cell: "Cell") -> str | None:
    """The relationships that compute this figure (a sum: the computed sum and the rows it covers)
    and, briefly, those it is counted in."""
    from decimal import localcontext

    from linter.formulas import ARITHMETIC

    analysis = arithmetic_of(checked)
    if analysis is None:
        return None
    en = checked.lang == "en"
    computing = [c for c in analysis.checks if c.reported.cell is cell]
    counted = [c for c in analysis.checks if c.reported.cell is not cell and any(r.cell is cell for _, r in c.terms())]
    if not computing and not counted:
        return _unchecked_sum(table, row, cell, en)
    lines: list[str] = []
    with localcontext(ARITHMETIC):
        for check in computing:
            lines += _computing_lines(check, cell, en)
        if counted:
            lines.append("")
            lines.append("**Counted in**" if en else "**Inngår i**")
            for check in counted[:10]:
                target = check.reported
                lines.append(f"- {_label(target.row, en)} / {_column(target.table, target.cell.column)} "
                             f"({'line' if en else 'linje'} {target.cell.span.line}): {check.name}")
    return "\n".join(lines).strip()


def _unchecked_sum(table: "Table", row: "Row", cell: "Cell", en: bool) -> str | None:
    """A figure of a sum row that no relationship computes: say so, and why when it is known."""
    from linter.formulas import is_sum_label

    if cell.column == 0 or cell.value.number is None or not is_sum_label(row.label):
        return None
    if table.incomplete:
        return ("**Sum not checked**: the table is incomplete (rows are missing or were repaired: "
                "`ufullstendig=ja` or a row of the wrong width), so its sums cannot be trusted" if en else
                "**Summen er ikke kontrollert**: tabellen er ufullstendig (rader mangler eller er reparert: "
                "`ufullstendig=ja` eller en rad med feil bredde), så summene kan ikke stoles på")
    return ("**Sum not checked**: no relationship computes this figure (a column that is not summed, such as "
            "a share or an average, or a table type without the standard sum)" if en else
            "**Summen er ikke kontrollert**: ingen sammenheng beregner dette tallet (en kolonne som ikke summeres, "
            "som en andel eller et snitt, eller en tabelltype uten standardsum)")


_SOURCES = {
    "standard": ("standardsum", "the standard sum"),
    "struktur": ("delsummer", "subtotals"),
    "pakke": ("regelpakken", "the rule pack"),
    "formel": ("tabellens formel", "the table's formula"),
    "prosentgruppe": ("prosentgruppe", "percent group"),
}


def _computing_lines(check: "Check", cell: "Cell", en: bool) -> list[str]:
    kind = {"sum": ("Sum", "Sum"), "formel": ("Formel", "Formula"), "kryss": ("Mot annen tabell", "Across tables")}
    title = kind.get(check.kind, ("Sammenheng", "Relationship"))[1 if en else 0]
    source = _SOURCES.get(check.source, (check.source, check.source))[1 if en else 0]
    name = f": {check.name}" if check.name and check.name.lower() != "sum" else ""
    lines = [f"**{title}** ({check.code}, {source}){name}", ""]
    if check.skipped:
        missing = ", ".join(f"{_label(r.row, en)} «{r.cell.text}»" for r in check.missing[:5])
        lines.append(f"Not checked: no figure in {missing}" if en else f"Ikke kontrollert: mangler tall i {missing}")
    else:
        computed = _number(check.computed, cell.text)
        verdict = (("holds" if en else "stemmer") if check.holds else ("does not hold" if en else "stemmer ikke"))
        lines.append(f"{'Computed' if en else 'Beregnet'}: **{computed}** · {'reported' if en else 'oppgitt'}: "
                     f"{cell.text or '(tom)'} · {verdict} ({'difference' if en else 'avvik'} {_number(check.diff)}, "
                     f"{'rounding allows' if en else 'avrunding tillater'} ±{_number(check.slack)})")
    terms = [(coef, ref) for coef, ref in check.terms() if ref.cell is not cell]
    if terms:
        lines += ["", f"| | {'Row' if en else 'Rad'} | {'Column' if en else 'Kolonne'} | {'Line' if en else 'Linje'} | "
                      f"{'Value' if en else 'Verdi'} |", "|---|---|---|---:|---:|"]
        own = check.coefficient(check.reported.key)
        for coef, ref in terms[:MAX_ROWS_SHOWN]:
            # moved to the computed side, a term changes sign: + when its coefficient is opposite the cell's
            sign = "−" if (coef > 0) == (own > 0) else "+"
            factor = abs(coef / own) if own else abs(coef)
            times = "" if factor == 1 else f"{_number(factor)} × "
            where = "" if ref.table is check.reported.table else f" ({ref.table.id or ref.table.title})"
            lines.append(f"| {sign} | {_escape(_label(ref.row, en))}{_escape(where)} | {_escape(_column(ref.table, ref.cell.column))} | "
                         f"{ref.cell.span.line} | {times}{_escape(ref.cell.text)} |")
        if len(terms) > MAX_ROWS_SHOWN:
            lines.append(f"| | … {len(terms) - MAX_ROWS_SHOWN} {'more' if en else 'til'} | | | |")
    lines.append("")
    return lines


def _label(row: "Row", en: bool) -> str:
    return row.label or (f"row {row.index + 1}" if en else f"rad {row.index + 1}")


def _column(table: "Table", column: int) -> str:
    return table.columns[column] if column < len(table.columns) else str(column + 1)


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def _number(value, example: str = "") -> str:
    from decimal import Decimal

    from linter.parsing.numbers import format_like

    if not isinstance(value, Decimal):
        return str(value)
    sample = example if any(ch.isdigit() for ch in example) else "1 000"
    if value != value.to_integral_value():
        exponent = value.normalize().as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        sample = "0," + "0" * decimals
    return format_like(value, sample).replace("%", "").strip()


# ---------------------------------------------------------------------------- code actions
def code_actions(checked: Checked, start: tuple[int, int], end: tuple[int, int],
                 only: Iterable[str] | None = None) -> list[types.CodeAction]:
    """For each finding in the range: its fix (safe ones always, unsafe ones when the
    configuration or the client allows them) and a suppression with a reason; and one action
    that applies every safe fix of the document."""
    report = checked.report
    if report is None:
        return []
    first = checked.positions.offset(*start)
    last = checked.positions.offset(*end)
    wanted = {str(getattr(kind, "value", kind)) for kind in only or ()}
    actions: list[types.CodeAction] = []
    if _wanted(types.CodeActionKind.QuickFix.value, wanted):
        for finding in checked.findings:
            if not _overlaps(finding.span, first, last):
                continue
            action = fix_action(checked, finding)
            if action is not None:
                actions.append(action)
            action = suppression_action(checked, finding)
            if action is not None:
                actions.append(action)
    if _wanted(FIX_ALL, wanted):
        action = fix_all_action(checked)
        if action is not None:
            actions.append(action)
    return actions


def _overlaps(span: "Span", first: int, last: int) -> bool:
    return span.offset <= last and first <= span.end_offset


def _wanted(kind: str, only: set[str]) -> bool:
    """An action kind the client asked for (kinds are hierarchical: «source» covers «source.fixAll»)."""
    return not only or any(kind == w or kind.startswith(w + ".") for w in only)


def fix_action(checked: Checked, finding: "Finding") -> types.CodeAction | None:
    fix = finding.fix
    if fix is None or (fix.applicability != "safe" and not checked.unsafe_fixes):
        return None
    en = checked.lang == "en"
    old = checked.positions.source[fix.offset:fix.end_offset]
    if fix.replacement and old:
        what = f"«{old}» → «{fix.replacement}»"
    elif fix.replacement:
        what = (f"insert «{fix.replacement.strip()}»" if en else f"sett inn «{fix.replacement.strip()}»")
    else:
        what = f"remove «{old.strip()}»" if en else f"fjern «{old.strip()}»"
    unsafe = fix.applicability != "safe"
    title = f"{'Fix' if en else 'Rett'} {finding.code}: {what}"
    if unsafe:
        title += " (unsafe: changes a figure)" if en else " (usikker: endrer et tall)"
    edit = types.TextEdit(range=offset_range(checked, fix.offset, fix.end_offset), new_text=fix.replacement)
    return types.CodeAction(
        title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[_diagnostic(checked, finding)],
        is_preferred=not unsafe, edit=_edit(checked, [edit]))


def fix_all_action(checked: Checked) -> types.CodeAction | None:
    """Every safe fix at once (overlapping ones left to the next time, as --fix does)."""
    from linter.fixes import chosen_fixes

    fixes, _ = chosen_fixes(checked.findings, unsafe=False)
    if not fixes:
        return None
    edits, cursor = [], -1
    for fix in sorted(fixes, key=lambda f: (f.offset, f.end_offset)):
        if fix.offset < cursor:
            continue
        edits.append(types.TextEdit(range=offset_range(checked, fix.offset, fix.end_offset), new_text=fix.replacement))
        cursor = fix.end_offset
    en = checked.lang == "en"
    return types.CodeAction(
        title=(f"rapportlint: fix all safe fixes ({len(edits)})" if en else f"rapportlint: rett alt som trygt kan rettes ({len(edits)})"),
        kind=FIX_ALL, edit=_edit(checked, edits))


def _edit(checked: Checked, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    document = types.OptionalVersionedTextDocumentIdentifier(uri=checked.uri, version=checked.version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=list(edits))])


def suppression_action(checked: Checked, finding: "Finding") -> types.CodeAction | None:
    """Insert ``<!-- rapportlint: ignore CODE [rad="…"] begrunnelse="" -->`` above the block the
    finding is in (``ignore-file`` below the front matter for a finding in it). The reason is left
    for the writer: until it is written the directive does not apply (X901 says so), and the
    cursor is put between its quotes."""
    placed = suppression_text(checked, finding)
    if placed is None:
        return None
    offset, text, reason_at = placed
    en = checked.lang == "en"
    position = _pos(checked.positions.position(offset))
    edit = types.TextEdit(range=types.Range(start=position, end=position), new_text=text)
    reason_line = position.line + text[:reason_at].count("\n")
    reason_character = checked.positions.units(text[text.rfind("\n", 0, reason_at) + 1:reason_at])
    kind = "ignore-file" if "ignore-file" in text else "ignore"
    title = (f"Suppress {finding.code} here with a reason ({kind})" if en
             else f"Undertrykk {finding.code} her med en begrunnelse ({kind})")
    return types.CodeAction(
        title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[_diagnostic(checked, finding)],
        edit=_edit(checked, [edit]),
        command=types.Command(title="begrunnelse", command=SHOW_REASON,
                              arguments=[checked.uri, reason_line, reason_character]))


def suppression_text(checked: Checked, finding: "Finding") -> tuple[int, str, int] | None:
    """(offset to insert at, the directive line, where its reason goes in it), or None for a
    finding no directive can suppress (X9, an internal error)."""
    report = checked.report
    if report is None or finding.code.startswith("X9"):
        return None
    newline = checked.positions.newline
    line = finding.span.line
    front = report.front_matter
    if front is not None and front.span.line <= line < front.span.end_line + (front.span.end_column > 1):
        directive = f'<!-- rapportlint: ignore-file {finding.code} begrunnelse="'
        return front.span.end_offset, directive + '" -->' + newline, len(directive)
    block = next((b for b in report.blocks if b.span.line <= line and _covers_line(b.span, line)), None)
    if block is None:
        return None
    row = ""
    if isinstance(block, Table):
        label = next((r.label for r in [*block.rows] if r.span.line == line), None)
        if label and '"' not in label:
            row = f' rad="{label}"'
        elif label and "»" not in label:
            row = f" rad=«{label}»"
    directive = f'<!-- rapportlint: ignore {finding.code}{row} begrunnelse="'
    return block.span.offset, directive + '" -->' + newline, len(directive)


def _covers_line(span: "Span", line: int) -> bool:
    last = span.end_line - 1 if span.end_line > span.line and span.end_column == 1 else span.end_line
    return span.line <= line <= last


# ---------------------------------------------------------------------------- outline
def document_symbols(checked: Checked) -> list[types.DocumentSymbol]:
    """The front matter, then the sections as a tree, each with its tables as children."""
    report = checked.report
    if report is None:
        return []
    en = checked.lang == "en"
    symbols: list[types.DocumentSymbol] = []
    front = report.front_matter
    if front is not None:
        summary = " ".join(v for v in (front.get("bydel"), front.get("dokument"), front.get("år")) if v)
        rng = span_range(checked, front.span)
        symbols.append(types.DocumentSymbol(
            name="Front matter" if en else "Forside (front matter)", detail=summary or None,
            kind=types.SymbolKind.Object, range=rng, selection_range=rng))
    for block in report.root.blocks:
        if isinstance(block, Table):
            symbols.append(_table_symbol(checked, block, en))
    for section in report.root.children:
        symbols.append(_section_symbol(checked, section, en))
    return symbols


def _section_end(section: "Section") -> int:
    end = section.heading.span.end_offset if section.heading else 0
    if section.blocks:
        end = max(end, section.blocks[-1].span.end_offset)
    for block in section.blocks:  # a continued table's later parts have left the section's blocks
        for part in getattr(block, "continuations", ()):
            end = max(end, part.span.end_offset)
    for child in section.children:
        end = max(end, _section_end(child))
    return end


def _section_symbol(checked: Checked, section: "Section", en: bool) -> types.DocumentSymbol:
    heading = section.heading
    name = " ".join(p for p in (heading.number, heading.title) if p).strip() if heading else ""
    selection = span_range(checked, heading.title_span if heading and heading.title else heading.span)
    children = [_table_symbol(checked, block, en) for block in section.blocks if isinstance(block, Table)]
    children += [_section_symbol(checked, child, en) for child in section.children]
    return types.DocumentSymbol(
        name=name or ("(untitled section)" if en else "(seksjon uten tittel)"),
        kind=types.SymbolKind.Namespace,
        range=offset_range(checked, heading.span.offset, _section_end(section)),
        selection_range=selection, children=children or None)


def _table_symbol(checked: Checked, table: "Table", en: bool) -> types.DocumentSymbol:
    end = max([table.span.end_offset] + [part.span.end_offset for part in table.continuations])
    detail = " ".join(p for p in (f"#{table.id}" if table.id else "", table.type or "",
                                  f"{len(table.rows)} {'rows' if en else 'rader'}") if p)
    selection = span_range(checked, table.caption.span if table.caption else table.header.span)
    return types.DocumentSymbol(
        name=table.title, detail=detail, kind=types.SymbolKind.Array,
        range=offset_range(checked, table.span.offset, end), selection_range=selection)
