"""Indicator rules (I): every indicator has a target and a result for the report year, and the
printed Avvik agrees with them. Nøkkeltall tables (results only) are not indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Iterator, NamedTuple

from linter.model import Cell, Report, Row, Span, Table, ValueKind
from linter.parsing.numbers import parse_cell_value
from linter.rules.base import Finding, Rule, RuleContext, Severity
from linter.template import find_section

INDICATOR_TYPES = ("indikatorer", "måltabell")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_POINTS = re.compile(r"\s*(pp|p\.p\.|%-?poeng|prosentpoeng)\s*$", re.IGNORECASE)


@dataclass(slots=True)
class Column:
    index: int
    kind: str  # "result", "target", "expected", "deviation", "other"
    year: int | None
    header: str


# Column vocabulary when no pack gives one (`indikatorer: kolonner:`): globs on the folded header,
# tried in this order (an "Avvik 2024 (resultat − måltall)" header is a deviation).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "avvik": ("*avvik*",),
    "mål": ("måltall*", "mål", "mål *"),
    "forventet": ("*forventet*", "*prognose*"),
    "resultat": ("*resultat*", "*siste måling*"),
}
_KINDS = {"avvik": "deviation", "mål": "target", "forventet": "expected", "resultat": "result"}


def _settings(context: RuleContext | None) -> dict:
    if context is None or context.pack is None:
        return {}
    return context.pack.get("indikatorer") or {}


def _vocabulary(context: RuleContext | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if context is None or context.pack is None:
        return _DEFAULT_VOCABULARY
    return context.pack.derived("indicators:vocabulary", lambda: _vocabulary_of(_settings(context)))


def _vocabulary_of(settings: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    columns = settings.get("kolonner") or {}
    return tuple((kind, tuple(columns.get(kind) or DEFAULT_COLUMNS[kind])) for kind in DEFAULT_COLUMNS)


_DEFAULT_VOCABULARY = _vocabulary_of({})


def classify(table: Table, context: RuleContext | None = None) -> list[Column]:
    """The kind of each value column (every I5 rule asks, for every indicator table: once per
    report and table through the rule context)."""
    vocabulary = _vocabulary(context)
    if context is None:
        return _classify(table, vocabulary)
    memo = context.shared.setdefault("indikatorkolonner", {})
    key = (id(table), vocabulary)  # the tables live as long as the report the memo belongs to
    found = memo.get(key)
    if found is None:
        found = memo[key] = _classify(table, vocabulary)
    return list(found)


def _classify(table: Table, vocabulary) -> list[Column]:
    out = []
    for cell in table.header.cells[1:]:
        text = cell.text.strip()
        kind, year = _header_kind(text, vocabulary)
        out.append(Column(cell.column, kind, year, text))
    return out


@lru_cache(maxsize=8192)
def _header_kind(text: str, vocabulary) -> tuple[str, int | None]:
    """A header's kind and year under a column vocabulary (reports repeat their headers)."""
    from linter.normalize import glob_match

    years = [int(m.group(0)) for m in _YEAR.finditer(text)]
    year = years[-1] if years else None
    for name, patterns in vocabulary:
        if any(glob_match(pattern, text) for pattern in patterns):
            return _KINDS[name], year
    if year is not None and re.fullmatch(r"(19|20)\d\d", text):
        return "result", year  # a header that is only a year holds that year's result
    return "other", year


def indicator_tables(report: Report) -> Iterable[Table]:
    return (t for t in report.tables if t.type in INDICATOR_TYPES)


def _years(report: Report, context: RuleContext) -> tuple[int, int] | None:
    year = report.year if report.year is not None else (context.pack.year if context.pack is not None else None)
    if year is None:
        return None
    settings = (context.pack.get("indikatorer") or {}) if context.pack is not None else {}
    return year + int(settings.get("resultatår", 0)), year + int(settings.get("målår", 0))


def _label_column(table: Table) -> int:
    for cell in table.header.cells:
        if cell.text.strip().lower().startswith("indikator"):
            return cell.column
    return 0


def indicator_rows(table: Table, context: RuleContext | None = None) -> tuple[Row, ...]:
    """Rows that are indicators: a label and at least one value (group and goal rows have none).
    Every I5 rule asks for every indicator table: once per report and table through the context."""
    if context is None:
        return _indicator_rows(table, classify(table))
    memo = context.shared.setdefault("indikatorrader", {})
    key = (id(table), _vocabulary(context))  # as classify's memo
    found = memo.get(key)
    if found is None:
        found = memo[key] = _indicator_rows(table, classify(table, context))
    return found


def _indicator_rows(table: Table, columns: list[Column]) -> tuple[Row, ...]:
    label = _label_column(table)
    value_columns = [c.index for c in columns if c.kind != "other"]
    rows = []
    for row in table.rows:
        cells = row.cells
        if label >= len(cells) or not cells[label].text.strip():
            continue
        if not any(i < len(cells) and cells[i].text.strip() for i in value_columns):
            continue
        rows.append(row)
    return tuple(rows)


def _label(table: Table, row: Row) -> str:
    text = " ".join(row.cells[_label_column(table)].text.split())
    return text if len(text) <= 70 else text[:69].rstrip() + "…"


def _column(columns: list[Column], kind: str, year: int) -> Column | None:
    return next((c for c in columns if c.kind == kind and c.year == year), None)


class IndicatorTable(NamedTuple):
    """An indicator table with its columns for the report year: result (year), target (the
    target year) and deviation (year); any of them may be missing."""

    table: Table
    years: tuple[int, int]
    columns: list[Column]
    result: Column | None
    target: Column | None
    deviation: Column | None


def _indicator_tables(report: Report, context: RuleContext) -> Iterator[IndicatorTable]:
    years = _years(report, context)
    if years is None:
        return
    for table in indicator_tables(report):
        columns = classify(table, context)
        yield IndicatorTable(table, years, columns, _column(columns, "result", years[0]),
                             _column(columns, "target", years[1]), _column(columns, "deviation", years[0]))


def _table_span(table: Table) -> Span:
    return table.caption.span if table.caption is not None else table.header.span


def _caption_span(table: Table) -> Span:
    span = _table_span(table)
    return Span(span.line, 1, span.line, 1, span.offset, span.offset)


def _number(cell: Cell) -> Decimal | None:
    value = cell.value
    if value.number is not None and value.comparator is None:
        return value.number
    if value.kind is ValueKind.TEXT and _POINTS.search(cell.text):
        inner = parse_cell_value(_POINTS.sub("", cell.text).strip())
        if inner.number is not None and inner.comparator is None:
            return inner.number
    return None


class _Occurrences:
    """The earlier occurrences of one indicator (name, result or target, year), grouped by value:
    an indicator repeated in many tables (or reports pasted together) is compared with each
    distinct value once, not with every earlier occurrence (quadratic in the repetitions)."""

    def __init__(self) -> None:
        self.count = 0
        self.indicator_count = 0  # occurrences in indicator tables
        self.per_table: dict[int, int] = {}
        self.by_value: dict[tuple, list] = {}  # (comparator, number, half) -> [(order, table, row, cell, number, is indicator)]

    def add(self, table, row, cell, number, half, indicator_table: bool) -> None:
        entry = (self.count, table, row, cell, number, indicator_table)
        self.by_value.setdefault((cell.value.comparator, number, half), []).append(entry)
        self.count += 1
        self.indicator_count += indicator_table
        self.per_table[id(table)] = self.per_table.get(id(table), 0) + 1

    def any_other(self, table, indicator_table: bool) -> bool:
        """An earlier occurrence in another table, one of the two an indicator table."""
        if indicator_table:
            return self.count - self.per_table.get(id(table), 0) > 0
        return self.indicator_count > 0  # this table is none: the other one must be

    def first_differing(self, table, indicator_table: bool, comparator, number, half):
        """The earliest occurrence in another table (one of the two an indicator table) whose
        value differs beyond both roundings, as (table, row, cell, number); None when all agree."""
        best = None
        for (other_comparator, other_number, other_half), entries in self.by_value.items():
            if comparator == other_comparator and abs(number - other_number) <= half + other_half:
                continue
            for order, other_table, row, cell, value, other_indicator in entries:
                if other_table is not table and (indicator_table or other_indicator):
                    if best is None or order < best[0]:
                        best = (order, other_table, row, cell, value)
                    break
        return None if best is None else best[1:]


def _half_unit(cell: Cell) -> Decimal:
    return _half_unit_of(cell.text)


_DECIMALS = re.compile(r"[.,](\d+)")
_HALF = Decimal("0.5")


@lru_cache(maxsize=4096)
def _half_unit_of(text: str) -> Decimal:
    match = _DECIMALS.search(text)
    return Decimal(5).scaleb(-(len(match.group(1)) + 1)) if match else _HALF


class IndicatorResultColumnMissing(Rule):
    """En indikatortabell har ingen resultatkolonne for rapportåret.

    Hvorfor: årsberetningen skal vise hva som ble oppnådd. En tabell som slutter på
    «Måltall 2024» er planen limt inn uten resultater: ingen av indikatorene er rapportert.

    Feil:
        | Resultatindikator | Resultat 2021 | Resultat 2022 | Måltall 2023 | Måltall 2024 |

    Riktig:
        | Resultatindikator | Resultat 2022 | Resultat 2023 | Måltall 2024 | Resultat 2024 | Avvik 2024 |
    """

    code = "I501"
    name = "indicator-result-column-missing"
    family = "indikatorer"
    severity = Severity.ERROR
    summary = ("Ingen resultatkolonne for rapportåret", "No result column for the report year")
    messages = {
        "missing": (
            "indikatortabellen «{table}» har ingen kolonne for resultat {year} ({count} uten resultat; kolonnene er {columns})",
            "indicator table «{table}» has no column for the {year} result ({count_en} without a result; its columns are {columns})",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table, years, columns, result, _, _ in _indicator_tables(report, context):
            if result is not None:
                continue
            rows = list(indicator_rows(table, context))
            if not rows:
                continue
            shown = ", ".join(c.header for c in columns if c.kind != "other")
            yield self.finding(report, _caption_span(table), "missing", table=table.title, year=years[0],
                               count=f"{len(rows)} indikator" + ("er" if len(rows) != 1 else ""),
                               count_en=f"{len(rows)} indicator" + ("s" if len(rows) != 1 else ""),
                               columns=shown or "ingen",
                               details={"table": table.id, "year": years[0]})


class IndicatorTargetMissing(Rule):
    """En indikator mangler måltall for året.

    Hvorfor: uten mål kan ingen vurdere om resultatet er godt nok; malen krever måltall for
    hver indikator.

    Feil:
        | Korttid (0-16 dager) | 4,1 % | | 4,1 % |

    Riktig:
        | Korttid (0-16 dager) | 4,1 % | 4,0 % | 4,1 % |
    """

    code = "I502"
    name = "indicator-target-missing"
    family = "indikatorer"
    severity = Severity.WARNING
    summary = ("Indikator uten måltall", "Indicator without a target")
    messages = {
        "column": (
            "indikatortabellen «{table}» har ingen kolonne for måltall {year}",
            "indicator table «{table}» has no column for the {year} target",
        ),
        "cell": (
            "«{indicator}» har ikke måltall for {year}",
            "«{indicator}» has no target for {year}",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table, years, columns, _, target, _ in _indicator_tables(report, context):
            rows = list(indicator_rows(table, context))
            if not rows:
                continue
            if target is None:
                yield self.finding(report, _caption_span(table), "column", table=table.title, year=years[1],
                                   details={"table": table.id, "year": years[1]})
                continue
            for row in rows:
                cell = row.cells[target.index]
                if cell.value.is_missing:
                    yield self.finding(report, cell.span, "cell", indicator=_label(table, row), year=years[1],
                                       details={"table": table.id, "row": row.index, "column": target.index})


class IndicatorResultMissing(Rule):
    """En indikator har mål, men ikke resultat for rapportåret.

    Hvorfor: resultatet er det årsberetningen skal rapportere; «*» eller en tom celle sier at
    tallet mangler. Forklar i tilfelle hvorfor, og rapporter det så snart det finnes.

    Feil:
        | Dekningsgrad 1-5 åringer | 93 % | 95 % | 93 % | * | * |

    Riktig:
        | Dekningsgrad 1-5 åringer | 93 % | 95 % | 93 % | 94 % | 1 |
    """

    code = "I503"
    name = "indicator-result-missing"
    family = "indikatorer"
    severity = Severity.WARNING
    summary = ("Indikator uten resultat for rapportåret", "Indicator without a result for the report year")
    messages = {
        "missing": (
            "«{indicator}» har mål, men ikke resultat for {year}{shown}",
            "«{indicator}» has a target but no {year} result{shown}",
        ),
        "no-column": (
            "indikatortabellen har ingen resultatkolonne for {year}, så ingen indikator har resultat (I501 kjøres ikke)",
            "the indicator table has no {year} result column, so no indicator has a result (I501 does not run)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table, years, columns, result, target, _ in _indicator_tables(report, context):
            if result is None or target is None:
                # I501 (no result column) / I502 say it for the whole table; without I501 it is said here.
                if result is None and not context.runs("I501"):
                    yield self.finding(report, _table_span(table), "no-column", year=years[0],
                                       details={"table": table.id})
                continue
            for row in indicator_rows(table, context):
                cell = row.cells[result.index]
                if not cell.value.is_missing or row.cells[target.index].value.is_missing:
                    continue
                shown = f" («{cell.text}»)" if cell.text else ""
                yield self.finding(report, cell.span, "missing", indicator=_label(table, row), year=years[0],
                                   shown=shown, details={"table": table.id, "row": row.index, "column": result.index})


class IndicatorDeviationWrong(Rule):
    """Avviket stemmer ikke med resultat og måltall.

    Hvorfor: Avvik skal være resultat − måltall (eller omvendt). Når overskriften sier regelen
    («Avvik 2024 (Resultat-måltall)»), skal hver rad følge den. Ellers kan hver rad bruke den ene
    eller den andre regelen (en tabell som blander dem, får én I509); en rad som ikke stemmer med
    noen av dem, er feil. Mål med sammenligning («>74», «<150», «≥ 80 %») regnes med tallet sitt.
    Avrunding i de viste tallene tolereres.

    Feil:
        | Avvik 2024 (Resultat-måltall) |
        | Antall brukere med aktivitetstid | 52 | 70 | 60 | 47 | 13 |

    Riktig:
        | Avvik 2024 (Resultat-måltall) |
        | Antall brukere med aktivitetstid | 52 | 70 | 60 | 47 | -13 |
    """

    code = "I504"
    name = "indicator-deviation-wrong"
    family = "indikatorer"
    severity = Severity.ERROR
    summary = ("Avvik ≠ resultat − måltall", "Deviation ≠ result − target")
    messages = {
        "wrong": (
            "avviket for «{indicator}» er {reported}, men {formula} = {computed}",
            "the deviation for «{indicator}» is {reported}, but {formula_en} = {computed}",
        ),
        "neither": (
            "avviket for «{indicator}» er {reported}, men resultat − måltall = {computed} (og måltall − resultat = {opposite})",
            "the deviation for «{indicator}» is {reported}, but result − target = {computed} (and target − result = {opposite})",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        coverage: dict[str, Any] = {"tables": 0, "run": 0, "held": 0, "failed": 0, "skipped": 0, "not_run": []}
        _set_coverage(context, "avvik", coverage)
        for table, years, columns, result, target, deviation in _indicator_tables(report, context):
            if not any(True for _ in indicator_rows(table, context)):
                continue
            coverage["tables"] += 1
            missing = [(nb, en, year) for nb, en, year, column in (
                ("resultat", "result", years[0], result), ("måltall", "target", years[1], target),
                ("avvik", "deviation", years[0], deviation)) if column is None]
            if missing:
                coverage["not_run"].append({
                    "table": table.id or table.title, "line": _table_span(table).line,
                    "reason": "ingen kolonne for " + ", ".join(f"{nb} {year}" for nb, _, year in missing),
                    "reason_en": "no column for the " + ", ".join(f"{en} {year}" for _, en, year in missing)})
                continue
            rows = _deviation_rows(table, result, target, deviation, context)
            coverage["skipped"] += sum(1 for _ in indicator_rows(table, context)) - len(rows)
            stated = _stated_convention(deviation.header)
            for row in rows:
                coverage["run"] += 1
                if stated is not None:
                    if row.fits(stated):
                        coverage["held"] += 1
                        continue
                    sign, key = stated, "wrong"
                elif row.fits(1) or row.fits(-1):
                    coverage["held"] += 1
                    continue  # either convention is allowed per row; I509 says it when a table mixes them
                else:
                    sign, key = 1, "neither"
                coverage["failed"] += 1
                computed = row.diff * sign
                formula = "resultat − måltall" if sign > 0 else "måltall − resultat"
                formula_en = "result − target" if sign > 0 else "target − result"
                yield self.finding(
                    report, row.cell.span, key, indicator=_label(table, row.row), reported=row.cell.text,
                    formula=formula, formula_en=formula_en, computed=_fmt(computed), opposite=_fmt(-computed),
                    details={"table": table.id, "row": row.row.index, "column": deviation.index,
                             "reported": str(row.reported), "computed": str(computed),
                             "difference": str(row.reported - computed), "slack": str(row.slack)},
                )


class IndicatorDeviationSignMixed(Rule):
    """En indikatortabell blander to fortegnsregler for Avvik.

    Hvorfor: noen rader viser resultat − måltall, andre måltall − resultat. Leseren kan da ikke
    se av fortegnet om et avvik er godt eller dårlig, og en rad med et tapt minustegn ser ut som
    den andre regelen. Skriv regelen i overskriften («Avvik 2024 (resultat − måltall)») og følg
    den i alle rader. Tabeller der «lavere er bedre»-indikatorene (mål som «<150», og navnene
    regelpakken lister i `indikatorer: lavere_er_bedre:`) har motsatt fortegn av de andre, slik
    at positivt avvik alltid er bedre enn målet, regnes som én regel.

    Feil:
        | Resultatindikator | Måltall 2024 | Resultat 2024 | Avvik 2024 |
        | Antall mottakere | 40 | 43 | 3 |
        | Antall brukere | 420 | 280 | 140 |

    Riktig:
        | Resultatindikator | Måltall 2024 | Resultat 2024 | Avvik 2024 (resultat − måltall) |
        | Antall mottakere | 40 | 43 | 3 |
        | Antall brukere | 420 | 280 | -140 |
    """

    code = "I509"
    name = "indicator-deviation-sign-mixed"
    family = "indikatorer"
    severity = Severity.WARNING
    summary = ("Avvik med blandet fortegnsregel", "Deviations with mixed sign conventions")
    messages = {
        "mixed": (
            "«{column}» blander fortegnsregler: {minus} med måltall − resultat ({minus_rows}), {plus} med resultat − måltall ({plus_rows})",
            "«{column}» mixes sign conventions: {minus} with target − result ({minus_rows}), {plus} with result − target ({plus_rows})",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table, years, columns, result, target, deviation in _indicator_tables(report, context):
            if result is None or target is None or deviation is None:
                continue
            if _stated_convention(deviation.header) is not None:
                continue  # I504 checks every row against the stated rule
            rows = _deviation_rows(table, result, target, deviation, context)
            plus = [r for r in rows if r.fits(1) and not r.fits(-1)]
            minus = [r for r in rows if r.fits(-1) and not r.fits(1)]
            if not plus or not minus:
                continue
            # "positive is better": lower-is-better targets ("<150") use target − result, the others result − target
            if all(r.lower_is_better for r in minus) and not any(r.lower_is_better for r in plus):
                continue
            header = table.header.cells[deviation.index]
            shown = lambda rs: ", ".join(f"«{_label(table, r.row)}»" for r in rs[:3]) + (" …" if len(rs) > 3 else "")  # noqa: E731
            yield self.finding(report, header.span, "mixed", column=deviation.header,
                               minus=_rows_word(len(minus)), plus=_rows_word(len(plus)),
                               minus_rows=shown(minus), plus_rows=shown(plus),
                               details={"table": table.id, "row": -1, "column": deviation.index,
                                        "minus_rows": [r.row.index for r in minus],
                                        "plus_rows": [r.row.index for r in plus]})


def _set_coverage(context: RuleContext, key: str, summary: dict) -> None:
    """What the indicator checks covered (coverage["indikatorer"][key] in --format json): checks
    run, held, failed, skipped (a value that is not a number), and tables not checked, with why."""
    shared = getattr(context, "shared", None)
    if isinstance(shared, dict):
        shared.setdefault("coverage", {}).setdefault("indikatorer", {})[key] = summary


def _rows_word(count: int) -> str:
    return f"{count} rad" if count == 1 else f"{count} rader"


@dataclass(slots=True)
class _DeviationRow:
    row: Row
    cell: Cell  # the Avvik cell
    diff: Decimal  # result − target
    reported: Decimal
    slack: Decimal
    lower_is_better: bool  # the target is "<" or "≤", or the pack says so (lavere_er_bedre)

    def fits(self, sign: int) -> bool:
        """True when the printed Avvik is (result − target) × sign within the rounding slack; a
        zero difference fits both conventions."""
        return abs(self.reported - self.diff * sign) <= self.slack


def _deviation_rows(table: Table, result: Column, target: Column, deviation: Column,
                    context: RuleContext | None = None) -> list[_DeviationRow]:
    """The rows whose result, target and Avvik are numbers (I504 and I509 both ask: once per
    report and table through the context)."""
    lower_is_better = tuple(_settings(context).get("lavere_er_bedre") or ())
    if context is None:
        return _deviation_rows_of(table, result, target, deviation, context, lower_is_better)
    memo = context.shared.setdefault("avvikrader", {})
    key = (id(table), _vocabulary(context), result.index, target.index, deviation.index, lower_is_better)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _deviation_rows_of(table, result, target, deviation, context, lower_is_better)
    return found


def _deviation_rows_of(table: Table, result: Column, target: Column, deviation: Column,
                       context: RuleContext | None, lower_is_better: tuple) -> list[_DeviationRow]:
    from linter.normalize import glob_match

    label = _label_column(table)
    rows = []
    for row in indicator_rows(table, context):
        r, m, a = (row.cells[c.index] for c in (result, target, deviation))
        nr, nm, na = _number(r), _target_number(m), _number(a)
        if nr is None or nm is None or na is None:
            continue
        slack = _half_unit(r) + _half_unit(m) + _half_unit(a)
        lower = (m.value.comparator or "").startswith("<") or any(
            glob_match(pattern, row.cells[label].text) for pattern in lower_is_better)
        rows.append(_DeviationRow(row, a, nr - nm, na, slack, lower))
    return rows


def _target_number(cell: Cell) -> Decimal | None:
    """A target's number, comparison targets («>74», «<150», «≥ 80 %») included."""
    value = cell.value
    if value.number is not None:
        return value.number
    return _number(cell)


_CONVENTION = re.compile(r"\(?\s*(resultat|måltall|mål)\s*[-−–]\s*(resultat|måltall|mål)\s*\)?", re.IGNORECASE)


def _stated_convention(header: str) -> int | None:
    """+1 for «resultat − måltall» in the header, −1 for «måltall − resultat», None when unstated."""
    match = _CONVENTION.search(header)
    if match is None:
        return None
    first, second = match.group(1).lower(), match.group(2).lower()
    if first == "resultat" and second != "resultat":
        return 1
    if first != "resultat" and second == "resultat":
        return -1
    return None


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}".replace(".", ",")
    return text.replace("-", "−") if text.startswith("-") else text


def _is_share_or_rate(table: Table, row: Row) -> bool:
    label = row.cells[_label_column(table)].text.lower()
    if "andel" in label or " pr " in f" {label} " or " per " in f" {label} ":
        return True
    return any(c.value.kind is ValueKind.PERCENT for c in row.cells[1:])


class IndicatorTargetZero(Rule):
    """Et måltall (eller forventet verdi) på 0 for en andel eller rate.

    Hvorfor: «0 %» som mål for en andel, eller 0 som mål for en rate per innbygger, er nesten
    alltid en manglende verdi som er vist som 0. Et mål på 0 for et antall (for eksempel brudd
    på bistandsplikten) kan være ment, og flagges ikke.

    Feil:
        | Andel avsluttede undersøkelser innen 3 mnd. | 97,0 % | 84,0 % | 0,0 % | 100,0 % |

    Riktig:
        | Andel avsluttede undersøkelser innen 3 mnd. | 97,0 % | 84,0 % | 95,0 % | 100,0 % |
    """

    code = "I505"
    name = "indicator-target-zero"
    family = "indikatorer"
    severity = Severity.WARNING
    summary = ("Mål 0 for en andel eller rate", "Target of 0 for a share or rate")
    messages = {
        "zero": (
            "{columns} er {value} for «{indicator}», en andel eller rate med tidligere resultater: trolig en manglende verdi",
            "{columns_en} {verb} {value} for «{indicator}», a share or rate with earlier results: probably a missing value",
        ),
        "all-zero": (
            "alle verdiene for «{indicator}», også målet, er 0: indikatoren er ikke målt eller ikke fylt ut "
            "(I506 kjøres ikke)",
            "every value of «{indicator}», the target too, is 0: the indicator was not measured or not filled in "
            "(I506 does not run)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table in indicator_tables(report):
            columns = classify(table, context)
            history = [c for c in columns if c.kind == "result"]
            for row in indicator_rows(table, context):
                if not _is_share_or_rate(table, row):
                    continue
                past = [_number(row.cells[c.index]) for c in history]
                if not any(v not in (None, 0) for v in past):
                    # No result at all: I506 says it when every value is 0; without I506 it is said here.
                    valued = [row.cells[c.index].value.number for c in columns
                              if c.kind in ("result", "target", "expected")]
                    if valued and all(v == 0 for v in valued) and not context.runs("I506"):
                        yield self.finding(report, row.cells[_label_column(table)].span, "all-zero",
                                           indicator=_label(table, row),
                                           details={"table": table.id, "row": row.index})
                    continue
                zero = [c for c in columns if c.kind in ("target", "expected")
                        and row.cells[c.index].value.number == 0 and row.cells[c.index].value.comparator is None]
                if not zero:
                    continue
                names = [f"«{c.header}»" for c in zero]
                cell = row.cells[zero[0].index]
                yield self.finding(report, cell.span, "zero", columns=" og ".join(names),
                                   columns_en=" and ".join(names), verb="are" if len(zero) > 1 else "is",
                                   value=cell.text, indicator=_label(table, row),
                                   details={"table": table.id, "row": row.index, "column": zero[0].index,
                                            "columns": [c.index for c in zero]})


class IndicatorNoMeasurement(Rule):
    """En indikator har bare nuller: ingen måling er rapportert.

    Hvorfor: når alle resultatene er 0 (og målet også er 0, eller det er en andel med
    et mål over 0), er indikatoren ikke målt; tallene er tomme felt vist som 0. Skriv
    «*» med en forklaring, eller fyll inn målingen.

    Feil:
        | Andel sosialhjelpsmottakere med supplerende sosialhjelp | 0,0 % | 0,0 % | 0,0 % | 0,0 % |

    Riktig:
        | Andel sosialhjelpsmottakere med supplerende sosialhjelp | 31,0 % | 33,5 % | 32,0 % | 30,0 % |
    """

    code = "I506"
    name = "indicator-no-measurement"
    family = "indikatorer"
    severity = Severity.WARNING
    summary = ("Indikator med bare nuller", "Indicator with only zeros")
    messages = {
        "all-zero": (
            "alle verdiene for «{indicator}» er 0: indikatoren er ikke målt eller ikke fylt ut",
            "every value of «{indicator}» is 0: the indicator was not measured or not filled in",
        ),
        "no-result": (
            "«{indicator}» har bare 0 som resultat ({columns}), men mål {target}: trolig ingen måling",
            "«{indicator}» has only 0 as results ({columns}) but a target of {target}: probably not measured",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table in indicator_tables(report):
            columns = classify(table, context)
            valued = [c for c in columns if c.kind in ("result", "target", "expected")]
            history = [c for c in columns if c.kind == "result"]
            targets = [c for c in columns if c.kind == "target"]
            for row in indicator_rows(table, context):
                cells = [row.cells[c.index] for c in valued]
                numbers = [c.value.number for c in cells if c.value.number is not None]
                details = {"table": table.id, "row": row.index, "column": _label_column(table)}
                label_cell = row.cells[_label_column(table)]
                if numbers and len(numbers) == len(cells) and all(n == 0 for n in numbers):
                    yield self.finding(report, label_cell.span, "all-zero", indicator=_label(table, row), details=details)
                    continue
                if not history or not targets or not _is_share_or_rate(table, row):
                    continue
                past = [row.cells[c.index] for c in history]
                target = row.cells[targets[-1].index]
                if all(c.value.number == 0 for c in past) and target.value.number:
                    yield self.finding(report, past[0].span, "no-result", indicator=_label(table, row),
                                       columns=", ".join(c.header for c in history), target=target.text,
                                       details=details)


class IndicatorDuplicate(Rule):
    """Samme indikator står to ganger i samme tabell med ulike tall.

    Hvorfor: to rader for samme indikator gir to svar på samme spørsmål; minst én av dem er feil.

    Feil:
        | Andel deltakere i kvalifiseringsprogram ... | 69,0 % | 67,0 % | 70,0 % | 70,0 % |
        | Andel deltakere i kvalifiseringsprogram ... | 0 | 0 | 0 | >67% |

    Riktig:
        | Andel deltakere i kvalifiseringsprogram ... | 69,0 % | 67,0 % | 70,0 % | 70,0 % |
    """

    code = "I507"
    name = "indicator-duplicate"
    family = "indikatorer"
    severity = Severity.ERROR
    summary = ("Samme indikator to ganger med ulike tall", "The same indicator twice with different values")
    messages = {
        "duplicate": (
            "«{indicator}» står også på linje {line} i samme tabell, med andre tall",
            "«{indicator}» is also on line {line} of the same table, with other values",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        from linter.normalize import Synonyms, fold

        synonyms = Synonyms.from_pack(context.pack)
        for table in indicator_tables(report):
            label = _label_column(table)
            seen: dict[str, Row] = {}
            for row in indicator_rows(table, context):
                key = fold(row.cells[label].text, synonyms)
                first = seen.get(key)
                if first is None:
                    seen[key] = row
                    continue
                values = [c.text for c in row.cells[label + 1 :]]
                if values == [c.text for c in first.cells[label + 1 :]]:
                    continue
                yield self.finding(report, row.cells[label].span, "duplicate", indicator=_label(table, row),
                                   line=first.span.line,
                                   details={"table": table.id, "row": row.index, "column": label,
                                            "first_line": first.span.line})


class IndicatorTableMissing(Rule):
    """Et funksjonsområde har ingen indikatortabell der malen krever en.

    Hvorfor: de obligatoriske resultatindikatorene skal rapporteres under «Mål, tiltak og
    resultatindikatorer» for hvert funksjonsområde som har dem. Regelpakken sier hvor
    (`indikatorer: påkrevd_i:`).

    Feil:
        ### 3.2.5 Mål, tiltak og resultatindikatorer, samt nøkkeltall for tjenesteproduksjon
        Bydelens parker skal oppleves som trivelige og trygge.

    Riktig:
        ### 3.2.5 Mål, tiltak og resultatindikatorer, samt nøkkeltall for tjenesteproduksjon
        : Resultatindikatorer FO1 {#fo1-indikatorer type=indikatorer fo=1}
        | Resultatindikator | Resultat 2022 | Resultat 2023 | Måltall 2024 | Resultat 2024 | Avvik 2024 |
    """

    code = "I508"
    name = "indicator-table-missing"
    family = "indikatorer"
    severity = Severity.ERROR
    summary = ("Indikatortabell mangler", "Indicator table missing")
    messages = {
        "missing": (
            "«{section}» har ingen indikatortabell (type=indikatorer); malen krever resultatindikatorer her",
            "«{section}» has no indicator table (type=indikatorer); the template requires result indicators here",
        ),
        "no-section": (
            "seksjonen «{section}» finnes ikke, så indikatortabellen malen krever der mangler (S101 kjøres ikke)",
            "the section «{section}» is not there, so the indicator table the template requires there is missing "
            "(S101 does not run)",
        ),
        "empty-section": (
            "seksjonen «{section}» er tom, så indikatortabellen malen krever der mangler (S102 kjøres ikke)",
            "the section «{section}» is empty, so the indicator table the template requires there is missing "
            "(S102 does not run)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        settings = (context.pack.get("indikatorer") or {}) if context.pack is not None else {}
        for ref in settings.get("påkrevd_i", ()):
            section = find_section(report, context.pack, ref)
            if section is None or section.heading is None or section.is_empty:
                # S101 (missing) / S102 (empty) say it; without them it is said here.
                missing = section is None or section.heading is None
                if not context.runs("S101" if missing else "S102"):
                    span = Span(1, 1, 1, 1, 0, 0) if missing else section.heading.title_span
                    yield self.finding(report, span, "no-section" if missing else "empty-section", section=ref,
                                       details={"section": ref})
                continue
            if any(t.type in INDICATOR_TYPES for t in section.content_blocks() if isinstance(t, Table)):
                continue
            # Some districts put the table in the FO's situasjonsbeskrivelse: anywhere in the FO counts.
            parent = section.parent
            if parent is not None and parent.heading is not None and any(
                isinstance(t, Table) and t.type in INDICATOR_TYPES for t in parent.content_blocks()
            ):
                continue
            label = f"{section.number} {section.title}" if section.number else section.title
            yield self.finding(report, section.heading.title_span, "missing", section=label,
                               details={"section": section.number, "title": section.title})


REPEATED_TYPES = INDICATOR_TYPES + ("nøkkeltall",)
_TOTAL_LABEL = re.compile(r"^(sum|totalt?|i alt)\b")


class IndicatorValueDiffers(Rule):
    """Samme indikator har ulike tall for samme år i to tabeller.

    Hvorfor: et resultat (eller et måltall) som står både i indikatortabellen og blant
    nøkkeltallene (eller i to funksjonsområders tabeller), er ett tall; når de to tabellene viser
    ulike tall for samme år, er minst ett av dem feil. Indikatorer er like når etikettene er like etter normalisering
    (store/små bokstaver, mellomrom, bindestreker, fotnotemerker, pakkens synonymer) eller når
    regelpakken sier at to navn er samme indikator (`indikatorer: aliaser:`). Minst én av de to
    tabellene er en indikatortabell (to nøkkeltallstabeller kan bruke samme radnavn, «Bydelen
    totalt», for ulike mål), og etiketter på ett ord («Oslo», «Kvinner») er kategorier, ikke
    indikatorer. Avrunding tolereres (98,6 og 99 % er samme tall).

    Feil:
        | Andel søknader om økonomisk sosialhjelp - behandlet innen 2 uker | 90 % | 80 % | 74% |   (nøkkeltall 2022-2024)
        | Andel søknader om økonomisk sosialhjelp - behandlet innen 2 uker | 86% | 86% | 90% | 74% | -16% |   (indikator: 2022, 2023)

    Riktig:
        | Andel søknader om økonomisk sosialhjelp - behandlet innen 2 uker | 86 % | 86 % | 74% |
        | Andel søknader om økonomisk sosialhjelp - behandlet innen 2 uker | 86% | 86% | 90% | 74% | -16% |
    """

    code = "I510"
    name = "indicator-value-differs"
    family = "indikatorer"
    severity = Severity.WARNING
    summary = ("Samme indikator med ulike tall i to tabeller", "The same indicator with different values in two tables")
    messages = {
        "differs": (
            "«{indicator}» {kind} {year} er {value} her, men {other} i «{other_table}» (linje {line})",
            "«{indicator}» {kind_en} {year} is {value} here, but {other} in «{other_table}» (line {line})",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        from linter.normalize import Synonyms, fold

        synonyms = Synonyms.from_pack(context.pack)
        settings = _settings(context)
        aliases: dict[str, str] = {}
        for group in settings.get("aliaser", ()) or ():
            names = [fold(str(name), synonyms) for name in group]
            for name in names[1:]:
                aliases[name] = names[0]
        coverage = {"run": 0, "held": 0, "failed": 0}
        _set_coverage(context, "samme_indikator", coverage)
        # Every figure by (indicator, kind, year) first, in report order; an indicator stated once
        # (most of them) is compared with nothing, so only the repeated ones are followed below.
        stated: dict[tuple[str, str, int], list] = {}
        order = 0
        for table in report.tables:
            if table.type not in REPEATED_TYPES:
                continue
            label_column = _label_column(table)
            columns = [c for c in classify(table, context) if c.kind in ("result", "target") and c.year is not None]
            if not columns:
                continue
            # another table, and at least one of the two an indicator table: two key-figure
            # tables may share a row name for different measures
            indicator_table = table.type in INDICATOR_TYPES
            for row in table.rows:
                if label_column >= len(row.cells):
                    continue
                key = fold(row.cells[label_column].text, synonyms)
                # a one-word label ("Bydel", "Oslo", "Kvinner") is a category, not an indicator's name
                if len(key.split()) < 2 or _TOTAL_LABEL.match(key):
                    continue
                key = aliases.get(key, key)
                for column in columns:
                    cell = row.cells[column.index]
                    number = _number(cell) if column.kind == "result" else _target_number(cell)
                    if number is None:
                        continue
                    entry = (order, table, row, cell, column, number, indicator_table)
                    order += 1
                    found = stated.get((key, column.kind, column.year))
                    if found is None:
                        stated[(key, column.kind, column.year)] = [entry]
                    else:
                        found.append(entry)
        differences = []
        for entries in stated.values():
            if len(entries) < 2:
                continue
            occurrences = _Occurrences()
            for order, table, row, cell, column, number, indicator_table in entries:
                half = _half_unit(cell)
                if not occurrences.any_other(table, indicator_table):
                    occurrences.add(table, row, cell, number, half, indicator_table)
                    continue
                coverage["run"] += 1
                differing = occurrences.first_differing(table, indicator_table, cell.value.comparator, number, half)
                occurrences.add(table, row, cell, number, half, indicator_table)
                if differing is None:
                    coverage["held"] += 1
                    continue
                coverage["failed"] += 1
                differences.append((order, table, row, cell, column, number, differing))
        differences.sort(key=lambda found: found[0])  # report order, as they were found before
        for _, table, row, cell, column, number, (other_table, other_row, other_cell, other_number) in differences:
            yield self.finding(
                report, cell.span, "differs", indicator=_label(table, row),
                kind="resultat" if column.kind == "result" else "måltall",
                kind_en="result" if column.kind == "result" else "target", year=column.year, value=cell.text, other=other_cell.text,
                other_table=other_table.title, line=other_cell.span.line,
                details={"table": table.id, "row": row.index, "column": column.index,
                         "other_table": other_table.id, "other_row": other_row.index,
                         "other_column": other_cell.column, "reported": str(number),
                         "other": str(other_number), "year": column.year, "kind": column.kind},
            )
