"""Consistency rules (F): years in column headers, number formats, units and references."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from linter.model import ListBlock, Paragraph, Report, Span, Table
from linter.rules.base import Finding, Fix, Rule, RuleContext, Severity

_YEAR = re.compile(r"\b(19|20)\d\d\b")
MONEY_TYPES = ("økonomi", "ramme")


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_ACCOUNTS_ABBREVIATED = re.compile(r"^regn\b")
_BUDGET_ABBREVIATED = re.compile(r"^(oppr|rev|reg)\.? ?bud")


@lru_cache(maxsize=4096)
def _header_kind(text: str) -> str | None:
    low = text.lower()
    if "regnskap" in low or _ACCOUNTS_ABBREVIATED.match(low):
        return "regnskap"
    if "budsjett" in low or _BUDGET_ABBREVIATED.match(low):
        return "budsjett"
    if "avvik" in low:
        return "avvik"
    return None


class ColumnYearMismatch(Rule):
    """Et årstall i en kolonneoverskrift passer ikke med rapportåret.

    Hvorfor: en årsberetning for 2024 sammenligner Regnskap 2023 med budsjett og regnskap for
    2024; et budsjett for 2026 kan ikke vise regnskap for 2025, som ikke er avsluttet. Feil år
    betyr som regel at tabellen er hentet fra fjorårets rapport.

    Feil:
        | Brutto driftsutgifter | Regnskap 2022 | Oppr. budsjett 2023 | Regulert budsjett 2023 | Regnskap 2023 |

    Riktig:
        | Brutto driftsutgifter | Regnskap 2023 | Oppr. budsjett 2024 | Regulert budsjett 2024 | Regnskap 2024 |
    """

    code = "F601"
    name = "column-year-mismatch"
    family = "formater"
    severity = Severity.WARNING
    summary = ("Kolonneår passer ikke med rapportåret", "Column year does not fit the report year")
    messages = {
        "mismatch": (
            "kolonnen «{header}» passer ikke i {kind} for {year}: {expected}",
            "the column «{header}» does not fit the {kind_en} for {year}: {expected_en}",
        ),
    }

    # Allowed years, relative to the document year, per document kind and column kind.
    ALLOWED = {
        "årsberetning": {"regnskap": (-1, 0), "budsjett": (0, 0), "avvik": (0, 0)},
        "budsjett": {"regnskap": (-10, -2), "budsjett": (-1, 3)},
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        year, kind = report.year, report.kind
        rules = self.ALLOWED.get(kind or "")
        if year is None or rules is None:
            return
        for table in report.tables:
            for cell in table.header.cells[1:]:
                column_kind = _header_kind(cell.text)
                if table.type not in MONEY_TYPES and column_kind != "regnskap":
                    continue  # an accounts year is checkable anywhere; budgets only in money tables
                bounds = rules.get(column_kind or "")
                if bounds is None:
                    continue
                years = [int(m.group(0)) for m in _YEAR.finditer(cell.text)]
                if len(years) != 1:
                    continue
                low, high = year + bounds[0], year + bounds[1]
                if low <= years[0] <= high:
                    continue
                span = f"{low}" if low == high else (f"{low}–{high}" if high - low < 5 else f"til og med {high}")
                span_en = f"{low}" if low == high else (f"{low}–{high}" if high - low < 5 else f"up to {high}")
                yield self.finding(
                    report, cell.span, "mismatch", header=cell.text, year=year,
                    kind="en årsberetning" if kind == "årsberetning" else "et budsjett",
                    kind_en="annual report" if kind == "årsberetning" else "budget",
                    expected=f"{column_kind} skal gjelde {span}", expected_en=f"{column_kind} should be for {span_en}",
                    details={"table": table.id, "row": -1, "column": cell.column, "year": years[0]},
                )


def _numeric_cells(table: Table):
    for row in table.rows:
        for cell in row.cells[1:]:
            if cell.value.number is not None:
                yield row, cell


def _separators_by_table(report: Report, context: RuleContext) -> list[tuple[Table, bool, list, list]]:
    """What F602 and F603 look at, from one pass over every figure of the report (each read
    them all before): per table with any, whether it has a decimal comma, its figures with a
    decimal point and its figures with a suspect thousands comma, as (row, cell). Only those
    few cells are kept (the rules' shared analysis lives as long as the check's result)."""
    def collect() -> list[tuple[Table, bool, list, list]]:
        out = []
        for table in report.tables:
            commas = False
            points: list = []
            suspects: list = []
            for row, cell in _numeric_cells(table):
                value = cell.value
                separator = value.decimal_separator
                if separator == ".":
                    points.append((row, cell))
                elif separator == "," and not value.suspect_thousands_comma:
                    commas = True
                if value.suspect_thousands_comma:
                    suspects.append((row, cell))
            if commas or points or suspects:
                out.append((table, commas, points, suspects))
        return out

    return context.memo("formater:skilletegn", collect)


class MixedDecimalSeparator(Rule):
    """En tabell blander desimalkomma og desimalpunktum.

    Hvorfor: norsk skrivemåte er desimalkomma («28,6 %»). Et punktum midt i en tabell med
    komma er en limt inn verdi fra et annet system, og kan leses som tusenskille. Er det en
    vane i tabellen (tre eller flere celler), gir regelen ett funn for tabellen, med antallet og
    hver posisjon, ikke ett per celle.

    Feil:
        | Andel barn med barnevernstiltak | 1.7 % | 1.7 % | 0,5% |

    Riktig:
        | Andel barn med barnevernstiltak | 1,7 % | 1,7 % | 0,5% |

    Retting: bytter punktumet med komma når tallet etter punktumet ikke har tre sifre (da kan
    det ikke være et tusenskille); for en vane i hele tabellen, i alle cellene på én gang.
    """

    code = "F602"
    name = "mixed-decimal-separator"
    family = "formater"
    severity = Severity.WARNING
    summary = ("Desimalpunktum blant desimalkomma", "Decimal point among decimal commas")
    fixable = True
    messages = {
        "point": (
            "«{text}» har desimalpunktum, mens tabellen ellers bruker desimalkomma",
            "«{text}» has a decimal point while the table otherwise uses decimal commas",
        ),
        "habit": (
            "{count} tall i tabellen «{table}» har desimalpunktum, mens tabellen ellers bruker desimalkomma "
            "(første «{text}»; {positions})",
            "{count} numbers in table «{table}» have a decimal point while the table otherwise uses decimal commas "
            "(first «{text}»; {positions_en})",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table, commas, points, _ in _separators_by_table(report, context):
            if not commas or not points:
                continue
            found = []
            for row, cell in points:
                fix = None
                match = re.search(r"\d\.(\d+)", cell.text)
                if match and len(match.group(1)) != 3:
                    offset = cell.span.offset + match.start() + 1
                    fix = Fix(offset, offset + 1, ",")
                found.append((row, cell, fix))
            if len(found) >= HABIT_MIN:
                yield _habit_finding(self, report, table, found, "habit")
                continue
            for row, cell, fix in found:
                yield self.finding(report, cell.span, "point", text=cell.text, fix=fix,
                                   details={"table": table.id, "row": row.index, "column": cell.column})


# Three or more of the same slip in one table is a habit: one finding for the table.
HABIT_MIN = 3
_POSITIONS_SHOWN = 12


def _habit_finding(rule: Rule, report: Report, table: Table, found: list, key: str) -> Finding:
    """One finding for a slip repeated in a table: at the first cell, with the count, every
    position (line:column) in ``details`` and the message, and one fix that edits every cell
    it can (the text between them is kept as it is)."""
    row, cell, _ = found[0]
    positions = [f"{c.span.line}:{c.span.column}" for _, c, _ in found]
    shown = ", ".join(positions[:_POSITIONS_SHOWN]) + (" …" if len(positions) > _POSITIONS_SHOWN else "")
    fixes = [f for _, _, f in found if f is not None]
    fix = None
    if fixes:
        start, end = fixes[0].offset, fixes[-1].end_offset
        parts, cursor = [], start
        for f in fixes:
            parts.append(report.source[cursor:f.offset])
            parts.append(f.replacement)
            cursor = f.end_offset
        parts.append(report.source[cursor:end])
        fix = Fix(start, end, "".join(parts))
    return rule.finding(
        report, cell.span, key, count=len(found), table=table.title, text=cell.text,
        positions=f"linje:kolonne {shown}", positions_en=f"line:column {shown}", fix=fix,
        details={"table": table.id, "row": row.index, "column": cell.column, "count": len(found),
                 "positions": positions, "fixable": len(fixes)},
    )


class ThousandsComma(Rule):
    """Et tall ser ut til å ha komma som tusenskille («1,119» for 1 119).

    Hvorfor: norsk tusenskille er mellomrom; «1,119» leses som én komma ett-en-ni. I tabeller
    der de andre tallene er heltall, er et komma med nøyaktig tre sifre etter nesten alltid et
    engelsk tusenskille. Har andre tall i samme rad én eller to desimaler («7,2 | 7,174»), er
    raden brøker med ulik presisjon, og regelen sier ingenting. Er det en vane i tabellen (tre
    eller flere celler), gir regelen ett funn for tabellen, med antallet og hver posisjon.

    Feil:
        | Antall barn med plass | 1,119 | 1,129 | 1 140 |

    Riktig:
        | Antall barn med plass | 1 119 | 1 129 | 1 140 |

    Retting: for en vane i tabellen byttes kommaet med tabellens eget tusenskille (mellomrom
    når tabellen ikke har noe) i alle cellene; ett enkelt tall rettes ikke, for det kan være et
    desimaltall.
    """

    code = "F603"
    name = "thousands-comma"
    family = "formater"
    severity = Severity.WARNING
    summary = ("Komma som tusenskille", "Comma as a thousands separator")
    fixable = True
    messages = {
        "comma": (
            "«{text}» ser ut som {value} skrevet med komma som tusenskille; skriv «{fixed}» (eller bruk to desimaler hvis det er et desimaltall)",
            "«{text}» looks like {value} written with a comma as the thousands separator; write «{fixed}» (or two decimals if it is a fraction)",
        ),
        "habit": (
            "{count} tall i tabellen «{table}» ser ut til å ha komma som tusenskille (første «{text}»; {positions})",
            "{count} numbers in table «{table}» seem to use a comma as the thousands separator (first «{text}»; {positions_en})",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table, _, _, suspects in _separators_by_table(report, context):
            separator = None  # the table's own, looked for at its first suspect comma
            found = []
            for row, cell in suspects:
                value = cell.value
                if not value.suspect_thousands_comma or value.kind.value == "percent":
                    continue
                if _row_has_short_decimals(row):
                    continue  # "7,2 | 7,174": a row of fractions with varying precision
                if separator is None:
                    separator = _thousands_separator(table)
                comma = cell.text.find(",")
                fix = Fix(cell.span.offset + comma, cell.span.offset + comma + 1, separator) if comma >= 0 else None
                found.append((row, cell, fix))
            if len(found) >= HABIT_MIN:
                yield _habit_finding(self, report, table, found, "habit")
                continue
            for row, cell, _ in found:
                whole = cell.text.replace(",", " ", 1).strip()
                yield self.finding(report, cell.span, "comma", text=cell.text, value=whole.replace(" ", " "),
                                   fixed=whole, details={"table": table.id, "row": row.index, "column": cell.column})


def _thousands_separator(table: Table) -> str:
    """The space character the table's other numbers group thousands with (" " if none do)."""
    from collections import Counter

    seen = Counter(c.value.thousands_separator for _, c in _numeric_cells(table) if c.value.thousands_separator)
    return seen.most_common(1)[0][0] if seen else " "


def _row_has_short_decimals(row) -> bool:
    """True when another number in the row has one or two decimals after a comma."""
    for cell in row.cells:
        value = cell.value
        if value.decimal_separator == "," and not value.suspect_thousands_comma and value.number is not None:
            if 0 < -value.number.as_tuple().exponent <= 2:
                return True
    return False


_UNIT_IN_CAPTION = re.compile(r"\b(?:i|tall i|beløp i)\s+(1000|1 000|mill\.?|millioner)\s*(kr|kroner)?", re.IGNORECASE)


class EconomyTableUnitMissing(Rule):
    """En økonomitabell oppgir ikke enhet.

    Hvorfor: 27 280 er 27 millioner kroner i en tabell i 1000 kr og 27 tusen i en tabell i kroner.
    Hver tabell med beløp (type=økonomi eller ramme) skal ha `enhet=` i attributtene.

    Feil:
        : Tall i 1000 kr {#fo1-okonomi type=økonomi fo=1}

    Riktig:
        : Tall i 1000 kr {#fo1-okonomi type=økonomi enhet="1000 kr" fo=1}

    Retting: når tabellteksten sier enheten («Tall i 1000 kr»), legges `enhet="1000 kr"` til.
    """

    code = "F604"
    name = "economy-table-unit-missing"
    family = "formater"
    severity = Severity.WARNING
    summary = ("Økonomitabell uten enhet", "Economy table without a unit")
    fixable = True
    messages = {
        "missing": (
            "tabellen «{table}» har beløp, men oppgir ikke enhet (enhet=\"1000 kr\", \"kr\" ...)",
            "table «{table}» holds amounts but gives no unit (enhet=\"1000 kr\", \"kr\" ...)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table in report.tables:
            if table.type not in MONEY_TYPES or table.unit or table.caption is None:
                continue
            if not any(True for _ in _numeric_cells(table)):
                continue
            fix = None
            caption = table.caption
            match = _UNIT_IN_CAPTION.search(caption.text)
            if match and caption.attributes_span is not None and match.group(1).replace(" ", "") == "1000":
                end = caption.attributes_span.end_offset - 1  # before the closing brace
                if report.source[end] == "}":
                    fix = Fix(end, end, ' enhet="1000 kr"')
            span = caption.attributes_span or caption.span
            yield self.finding(report, span, "missing", table=table.title, fix=fix,
                               details={"table": table.id})


_REFERENCE = re.compile(
    r"\b(?P<kind>vedlegg|kapittel|kap\.|punkt|avsnitt|seksjon)\s+(?P<number>\d+(?:\.\d+)+|\d+)(?![\d.,]*\d)",
    re.IGNORECASE,
)
_PROMISED_ATTACHMENT = re.compile(
    r"\b(vedlegges|følger som vedlegg|er vedlegg til|ligger som vedlegg|se vedlegg)\b(?!\s+\d)", re.IGNORECASE
)


class ReferenceMissing(Rule):
    """Teksten viser til et vedlegg eller avsnitt som ikke finnes.

    Hvorfor: «se vedlegg 7.4» uten et 7.4 betyr at rapporteringen (for eksempel miljø og klima
    i OsloSkjema) mangler i rapporten. Det samme gjelder «Rapporten vedlegges årsberetningen»
    når rapporten ikke har noe vedleggskapittel.

    Feil:
        Det vises til vedlegg 7.4 for bydelens rapportering på miljø og klima i OsloSkjema.

    Riktig:
        Det vises til vedlegg 7.4 for bydelens rapportering på miljø og klima i OsloSkjema.
        ...
        ## 7.4 Rapportering på miljø og klima i OsloSkjema
    """

    code = "F605"
    name = "reference-missing"
    family = "formater"
    severity = Severity.ERROR
    summary = ("Henvisning til vedlegg eller avsnitt som ikke finnes", "Reference to a missing attachment or section")
    messages = {
        "number": (
            "teksten viser til {kind} {number}, men rapporten har ikke noe avsnitt {number}",
            "the text refers to {kind} {number}, but the report has no section {number}",
        ),
        "attachment": (
            "teksten lover et vedlegg («{phrase}»), men rapporten har ikke noe vedleggskapittel",
            "the text promises an attachment («{phrase}»), but the report has no attachment chapter",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        sections = context.sections(report)
        numbers = {s.number.rstrip(".") for s in sections if s.number}
        has_attachments = any(s.title.strip().lower().startswith("vedlegg") for s in sections)
        for block in report.blocks:
            if isinstance(block, Paragraph):
                texts = [(block.text, block.span)]
            elif isinstance(block, ListBlock):
                texts = [(item.text, item.span) for item in block.items]
            else:
                continue
            for text, span in texts:
                references, promises = _may_refer(text)
                if not references and (has_attachments or not promises):
                    continue
                source_start = span.offset
                raw = None  # the block's source, cut only when a reference is found
                for match in _REFERENCE.finditer(text) if references else ():
                    number = match.group("number")
                    if number in numbers:
                        continue
                    if "." not in number and match.group("kind").lower() != "vedlegg":
                        continue  # "kapittel 4" is fine when chapter 4 is unnumbered text; only exact numbers
                    raw = raw if raw is not None else report.source[span.offset:span.end_offset]
                    yield self.finding(report, _locate(report, raw, source_start, match.group(0), span), "number",
                                       kind=match.group("kind").lower(), number=number,
                                       details={"reference": number})
                if not has_attachments and promises:
                    for match in _PROMISED_ATTACHMENT.finditer(text):
                        raw = raw if raw is not None else report.source[span.offset:span.end_offset]
                        yield self.finding(report, _locate(report, raw, source_start, match.group(0), span),
                                           "attachment", phrase=match.group(0), details={"reference": "vedlegg"})


# Characters that re.IGNORECASE matches to a letter of the patterns above where str.lower()
# does not give that letter (dotless i, long s; capital I with dot, whose full lowercase is
# two characters). tests/test_rule_shortcuts.py checks every character.
_FOLDS_APART = ("\u0131", "\u017f", "\u0130")


def _may_refer(text: str) -> tuple[bool, bool]:
    """Whether ``_REFERENCE`` and ``_PROMISED_ATTACHMENT`` can match the text at all: each match
    holds one of the words looked for here. Scanning with the case-blind patterns was most of
    the rule's time, and most paragraphs hold none of the words."""
    for ch in _FOLDS_APART:
        if ch in text:
            return True, True
    low = text.lower()
    attachment = "vedlegg" in low
    if attachment or "kap" in low or "punkt" in low or "avsnitt" in low or "seksjon" in low:
        # one of the words followed by a number, as _REFERENCE needs (in the lowered text:
        # lower() keeps every other character where it was)
        return _REFERENCE_HINT.search(low) is not None, attachment
    return False, attachment


_REFERENCE_HINT = re.compile(r"(?:vedlegg|kapittel|kap\.|punkt|avsnitt|seksjon)\s+\d")


def _locate(report: Report, raw: str, start: int, needle: str, fallback: Span) -> Span:
    """The span of ``needle`` inside a block's source text (paragraph lines may wrap)."""
    index = raw.find(needle)
    if index < 0:
        return fallback
    offset = start + index
    line = fallback.line + raw.count("\n", 0, index)
    line_start = report.line_starts[line - 1] if line - 1 < len(report.line_starts) else start
    column = offset - line_start + 1
    return Span(line, column, line, column + len(needle), offset, offset + len(needle))
