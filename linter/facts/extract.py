"""Every numeric cell of a typed table becomes a :class:`Fact`; the taxonomy (pack data) says
what its row and column are."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from linter.facts.model import Fact
from linter.facts.taxonomy import Taxonomy, taxonomy_for, year_in
from linter.model import ValueKind

if TYPE_CHECKING:
    from linter.model import Report, Row, Table
    from linter.packs import RulePack

NOT_FACT_TYPES = frozenset({"sjekkliste", "verbalvedtak", "tekst"})
_VALUE_KINDS = (ValueKind.NUMBER, ValueKind.PERCENT, ValueKind.TARGET)
_PERCENT = ValueKind.PERCENT
_TOTAL = re.compile(r"^(sum|totalt?|i alt)\b")
ONE = Decimal(1)
ZERO = Decimal(0)
_PRECISIONS = tuple(Decimal(1).scaleb(-d) for d in range(41))  # the unit of a figure with d decimals
_HALVES = tuple(p / 2 for p in _PRECISIONS)
# The taxonomy's lookups (labels, headers, row concepts) live as long as the process (a batch, the
# language server): emptied when they pass this many, so they stay bounded.
MEMO_LIMIT = 50_000


def report_facts(report: "Report", pack: "RulePack | None", comparable_only: bool = False) -> list[Fact]:
    taxonomy = taxonomy_for(pack)
    if taxonomy is None:
        return []
    return extract(report, taxonomy, comparable_only)


def extract(report: "Report", taxonomy: Taxonomy, comparable_only: bool = False) -> list[Fact]:
    """Every fact of the report; with ``comparable_only`` just those that can be paired
    (``Fact.comparable``), which is all the duplicate check needs: most figures of a report are
    not (a row the taxonomy does not know), and building them is most of the extraction's time."""
    facts: list[Fact] = []
    # what every fact of the report shares (report.year reads the front matter each time)
    document = (report.display_path, report.district, report.kind, report.year, taxonomy.unit_of("%"))
    for table in report.tables:
        if table.caption is None or table.type in NOT_FACT_TYPES or not table.rows:
            continue
        facts.extend(_table_facts(document, table, taxonomy, comparable_only))
    taxonomy.save_lookups()
    return facts


def _label_column(row: "Row", value_columns: set[int]) -> int | None:
    """The label: the last text cell before the first figure, outside the value columns (the
    "Indikator" column after "Hovedmål" and "Delmål"); when a figure comes first (a
    Rammeoversikt printing the amount first), the first text cell."""
    last_text = first_text = None
    figure_first = False
    for cell in row.cells:
        kind = cell.value.kind
        if cell.column in value_columns:
            if kind in _VALUE_KINDS:
                break
            continue
        if kind == ValueKind.TEXT:
            if first_text is None:
                first_text = cell.column
            if not figure_first:
                last_text = cell.column
        elif kind in _VALUE_KINDS:
            if last_text is not None:
                break
            figure_first = True
    return first_text if figure_first else last_text


def _table_facts(document: tuple, table: "Table", taxonomy: Taxonomy, comparable_only: bool = False) -> list[Fact]:
    path, district, kind, doc_year, percent_info = document
    headers = table.columns
    caption_text = table.caption.text if table.caption else ""
    context = taxonomy.fold(f"{caption_text} {headers[0] if headers else ''}")
    section_title = table.section.title if table.section is not None else ""
    measure = (taxonomy.measure_of(caption_text) or (taxonomy.measure_of(headers[0]) if headers else None)
               or taxonomy.measure_of(section_title))
    table_fo = (table.caption.attributes.get("fo") or "").upper() or None
    unit = table.unit
    unit_info = taxonomy.unit_of(unit)
    is_indicator = table.type in taxonomy.indicator_types
    columns = []  # (index, header, scenario, year, value column?)
    for index, header in enumerate(headers):
        scenario = taxonomy.scenario_of(header)
        if scenario is None and not header.strip() and is_indicator and index > 0:
            scenario = taxonomy.empty_header
        columns.append((index, header, scenario, year_in(header) or doc_year, taxonomy.is_value_column(header)))
    counts = [0] * len(headers)  # figures above in each column, for the slack of a total
    table_id, title, table_type = table.id, table.title, table.type
    table_ref = table_id or f"linje-{table.span.line}"
    value_columns = {index for index, _, scenario, _, is_value in columns if scenario and is_value}
    code = taxonomy.table_code.search(taxonomy.fold(caption_text)) if taxonomy.table_code else None
    qualifier = f"@{code.group(1)}" if code else ""
    memo = taxonomy._memo
    if len(memo) > MEMO_LIMIT:
        taxonomy.forget_lookups()
    # The rows first: label, concept and measure. A row whose concept is only its label
    # ("rad:...") gives no comparable fact, and a table where no such fact is a total (whose
    # slack needs the count of figures above it) needs no figure counted: with
    # ``comparable_only`` (D701) most rows of a report are then passed by without reading a cell.
    rows = []
    for row in table.rows:
        label_col = _label_column(row, value_columns)
        label = row.cells[label_col].text if label_col is not None else ""
        forms = memo.get(("f", label))
        if forms is None:
            forms = memo[("f", label)] = taxonomy.forms(label)
        is_total = any(_TOTAL.match(form) for form in forms)
        # not keyed by the table: a label no rule knows is «rad:<table>:<label>», made per row, so
        # the memo grows with the distinct labels and contexts, not with every table of every report
        memo_key = ("c", forms, table_type, table_fo, context, is_indicator)
        found = memo.get(memo_key)
        if found is None:
            found = memo[memo_key] = _concept(forms, label, table, table_fo, context, taxonomy, is_indicator)
        concept, rule = found
        if concept is None:
            concept = f"rad:{table_ref}:{forms[0]}"
        if qualifier and concept.startswith("indikator:"):
            concept += qualifier
        paired = not concept.startswith("rad:")
        rows.append((row, label_col, label, is_total, concept, rule, paired))
    if comparable_only and not any(entry[6] for entry in rows):
        return []
    # an indicator's total has no slack (it is rounded once): then nothing needs counting either
    counted = not comparable_only or (not is_indicator and any(e[3] and e[6] for e in rows))
    facts = []
    width = len(columns)
    for row, label_col, label, is_total, concept, rule, paired in rows:
        if comparable_only and not paired:
            if counted and not is_total:
                for cell in row.cells:  # only the count of figures above, for a later total
                    column = cell.column
                    if column == label_col or column >= width:
                        continue
                    value = cell.value
                    if value.kind not in _VALUE_KINDS or value.number is None or not value.number.is_finite():
                        continue
                    if abs(value.number.adjusted()) > 30 or not columns[column][4]:
                        continue
                    counts[column] += 1
            continue
        row_measure = (rule.measure if rule is not None and rule.measure else None) or (
            taxonomy.measure_of(label) if label else None) or measure
        for cell in row.cells:
            if cell.column == label_col or cell.column >= width:
                continue
            value = cell.value
            if value.kind not in _VALUE_KINDS or value.number is None or not value.number.is_finite():
                continue
            if abs(value.number.adjusted()) > 30:  # no report figure; Decimal arithmetic would overflow
                continue
            index, header, scenario, year, is_value = columns[cell.column]
            if not is_value:
                continue
            if rule is not None and rule.scenario:
                scenario = rule.scenario
            if year is not None and rule is not None:
                year += rule.year_offset
            # A total of n rounded amounts may be off by n × precision / 2; an indicator's total
            # (sick leave "Totalt") is computed from the raw data and rounded once.
            above = counts[cell.column]
            if not is_total:
                counts[cell.column] += 1
            if comparable_only and (not scenario or year is None or concept.startswith("rad:")):
                continue  # what Fact.comparable says, before the fact is built
            decimals = value.decimals
            if decimals < len(_PRECISIONS):
                precision, half = _PRECISIONS[decimals], _HALVES[decimals]
            else:
                precision = Decimal(1).scaleb(-decimals)
                half = precision / 2
            if value.kind is _PERCENT:
                cell_unit, info = "%", percent_info
            else:
                cell_unit, info = unit, unit_info
            if is_total and not is_indicator:
                slack = precision * above / 2
                half = half + slack
            else:
                slack = ZERO
            span = cell.span
            number = value.number
            # the bounds are not stored (two Decimals a figure, a third of what the facts kept after
            # the check weigh): Fact.bounds() makes them when a comparison needs them
            factor, base_unit = (ONE, None) if info is None else (info[1], info[0])
            # positional: the fields of Fact in their order (a fact per figure; keywords cost more)
            facts.append(Fact(
                path, district, kind, doc_year, table_id, title, table_type, label, row.index,
                header, cell.column, concept, row_measure, scenario, year, value.comparator, number,
                cell.text, cell_unit, base_unit, factor, precision, slack, span.line, span.column,
                span.end_line, span.end_column, span.offset, span.end_offset,
            ))
    return facts


def _concept(forms: tuple[str, ...], label: str, table: "Table", table_fo: str | None, context: str, taxonomy: Taxonomy,
             is_indicator: bool) -> tuple[str | None, object]:
    """(concept, the row rule that gave it); (None, None): only its label (the caller makes
    «rad:<table>:<label>»)."""
    for rule in taxonomy.rows:
        if rule.table_types and table.type not in rule.table_types:
            continue
        if rule.table is not None and not rule.table.search(context):
            continue
        match = next((m for m in map(rule.pattern.search, forms) if m is not None), None)
        if match is None:
            continue
        if rule.concept is None:
            break  # explicitly no concept
        groups = {k: v for k, v in match.groupdict().items() if v}
        concept = rule.concept
        if "{fo}" in concept:
            fo = (groups.get("fo") or table_fo or "").upper()
            if not fo:
                if not rule.without_fo:
                    continue
                concept = rule.without_fo
            groups["fo"] = fo
        try:
            return concept.format(**groups), rule
        except (KeyError, IndexError):
            continue
    else:
        if is_indicator and sum(ch.isalpha() for ch in forms[0]) >= 3:
            return f"indikator:{taxonomy.canonical_indicator(label)}", None
    return None, None
