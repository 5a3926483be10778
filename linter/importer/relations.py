"""The table arithmetic the importer reads number runs with: the rule pack's own relations.

A run such as "332 005 346 116 327 868 348 448" can be cut into four cells in several ways.
The pack declares what a table of a kind must satisfy: column relations checked in each row
(``kol("Avvik*") = kol("Reg*bud*") - kol("Regnskap {år}")``), row relations checked in each
column (``rad("Sum total*") = rad("Sum Driftsutgifter") + rad("Sum Driftsinntekter")``) and the
standard sum («Sum …» adds the rows since the previous sum row). Those are read here, once, as
data; nothing about a district or a report is in this module. Without a pack the importer falls
back on the template's economy relation (Avvik = Regulert − Regnskap) and the standard sum.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from linter.importer.numbers import cell_number

# Fallback when no pack is known (a report of an unknown year or kind).
_DEFAULT_COLUMN_RELATIONS = [
    ("økonomi", 'kol("Avvik*") = kol("Reg*bud*") - kol("Regnskap {år}")'),
    ("økonomi", 'kol("Avvik*") = kol("Rev*bud*") - kol("Regnskap {år}")'),
]
_DEFAULT_SUM_TYPES = ("økonomi", "befolkning", "nøkkeltall")
_DEFAULT_NOT_SUMMABLE = ["Andel*", "*%*", "*prosent*", "Snitt*", "Gjennomsnitt*", "Mål *", "Måltall*"]
SUM_LABEL = re.compile(r"(?i)^(sum\b|totalt\b|i alt\b|total\b)")
MAX_STEPS = 20000  # work bound for one relation's search


@dataclass(slots=True)
class ColumnRelation:
    """lhs column = Σ sign × column, checked in each row."""
    name: str
    lhs: str
    terms: list[tuple[int, str]]


@dataclass(slots=True)
class RowRelation:
    """lhs row = Σ sign × row, checked in each column (labels as globs)."""
    name: str
    lhs: str
    terms: list[tuple[int, str]]


@dataclass(slots=True)
class TableArithmetic:
    columns: list[ColumnRelation] = field(default_factory=list)
    rows: list[RowRelation] = field(default_factory=list)
    standard_sum: bool = False
    not_summable: list[str] = field(default_factory=list)
    row_names: list[str] = field(default_factory=list)  # every row pattern the kind's relations name
    synonyms: Any = None  # the pack's synonyms ("Justert budsjett" is "Regulert budsjett")


@dataclass(slots=True)
class Arithmetic:
    """The relations per table kind, and the report year for ``{år}``."""
    year: int | None = None
    by_kind: dict[str, TableArithmetic] = field(default_factory=dict)
    # The text came from a PDF read by position: two spaces are always a column boundary.
    column_gaps: bool = False

    def for_kind(self, kind: str | None) -> TableArithmetic:
        return self.by_kind.get(kind or "", TableArithmetic())


def _linear(node, sign: int = 1) -> list[tuple[int, Any]] | None:
    """A sum/difference of references as [(sign, Ref)], or None when it is anything else."""
    from linter.formulas import BinOp, Neg, Ref

    if isinstance(node, Ref):
        return [(sign, node)]
    if isinstance(node, Neg):
        return _linear(node.operand, -sign)
    if isinstance(node, BinOp) and node.op in "+-":
        left = _linear(node.left, sign)
        right = _linear(node.right, sign if node.op == "+" else -sign)
        if left is None or right is None:
            return None
        return left + right
    return None


def load_arithmetic(pack, year: int | None) -> Arithmetic:
    """The pack's relations that concern one table on its own, by table kind."""
    out = Arithmetic(year=year)
    relations = (pack.get("relasjoner") or {}) if pack is not None else {}
    formulas = [(f.get("tabeller") or {}, f.get("navn") or f.get("formel"), f.get("formel"))
                for f in relations.get("formler", []) or []]
    if pack is None:
        formulas = [({"type": kind}, text, text) for kind, text in _DEFAULT_COLUMN_RELATIONS]
    standard = relations.get("standardsum") if pack is not None else {"tabelltyper": list(_DEFAULT_SUM_TYPES)}
    if standard:
        for kind in standard.get("tabelltyper", []) or []:
            entry = out.by_kind.setdefault(kind, TableArithmetic())
            entry.standard_sum = True
            entry.not_summable = list(standard.get("ikke_summerbare_kolonner") or _DEFAULT_NOT_SUMMABLE)
    if not formulas:
        return out
    from linter.formulas import FormulaError, parse_formula

    from linter.normalize import Synonyms

    synonyms = Synonyms.from_pack(pack)
    for entry in out.by_kind.values():
        entry.synonyms = synonyms
    for selector, name, text in formulas:
        # Only relations chosen by table kind alone: a title or fo pattern names a table the
        # importer cannot know yet, and a reference to another table is not this table's arithmetic.
        kind = selector.get("type") if isinstance(selector, dict) else None
        if not isinstance(kind, str):
            continue
        try:
            relation = parse_formula(text)
        except FormulaError:
            continue
        out.by_kind.setdefault(kind, TableArithmetic()).synonyms = synonyms
        names = out.by_kind[kind].row_names
        for ref in relation.refs():
            if ref.table is None and ref.row is not None and "{" not in ref.row.pattern and ref.row.pattern not in names:
                names.append(ref.row.pattern)
        if set(selector) - {"type"}:
            continue
        if relation.op != "=" or relation.crosses_tables or relation.has_sum:
            continue
        lhs, rhs = _linear(relation.lhs), _linear(relation.rhs)
        if lhs is None or rhs is None or len(lhs) != 1 or lhs[0][0] != 1:
            continue
        entry = out.by_kind.setdefault(kind, TableArithmetic())
        entry.synonyms = synonyms
        target = lhs[0][1]
        if relation.mode == "rows" and all(r.row is None for _, r in rhs) and target.row is None:
            entry.columns.append(ColumnRelation(name, target.col.pattern, [(s, r.col.pattern) for s, r in rhs]))
        elif relation.mode == "cols" and all(r.col is None and not r.row.optional for _, r in rhs) and target.col is None:
            entry.rows.append(RowRelation(name, target.row.pattern, [(s, r.row.pattern) for s, r in rhs]))
    return out


def _column_index(pattern: str, header: list[str], year: int | None, synonyms=None) -> int | None:
    from linter.formulas import glob_match, substitute

    pat = substitute(pattern, {"år": str(year)} if year else {})
    if "{" in pat:
        return None
    found = [i for i, h in enumerate(header) if glob_match(pat, h, synonyms)]
    return found[0] if len(found) == 1 else None


def column_checks(arith: TableArithmetic, columns: list[str], year: int | None) -> list[tuple[str, int, list[tuple[int, int]]]]:
    """The column relations that apply to a table with these value-column headers:
    (name, lhs index, [(sign, index)])."""
    out = []
    for rel in arith.columns:
        lhs = _column_index(rel.lhs, columns, year, arith.synonyms)
        terms = [(s, _column_index(p, columns, year, arith.synonyms)) for s, p in rel.terms]
        if lhs is None or any(i is None for _, i in terms):
            continue
        out.append((rel.name, lhs, terms))
    return out


def row_satisfies(cells: tuple[str, ...], checks) -> bool:
    for _, lhs, terms in checks:
        values = [cell_number(cells[lhs])] + [cell_number(cells[i]) for _, i in terms]
        if any(v is None for v in values):
            continue  # a placeholder: nothing to check
        total = sum((s * v for (s, _), v in zip(terms, values[1:])), Decimal(0))
        if abs(values[0] - total) > Decimal(len(terms) + 1) / 2:
            return False
    return True


def summable_columns(arith: TableArithmetic, columns: list[str]) -> list[int]:
    from linter.formulas import glob_match

    return [i for i, h in enumerate(columns) if not any(glob_match(p, h, arith.synonyms) for p in arith.not_summable)]


def is_sum_label(label: str) -> bool:
    return bool(SUM_LABEL.match(label.strip()))


def sum_constraints(labels: list[str], has_figures: list[bool], arith: TableArithmetic) -> list[tuple[int, list[tuple[int, int]]]]:
    """(target row, [(sign, row)]) for the table's row relations: the standard sum (a sum row
    adds the rows since the previous sum row or group row) and the pack's row relations."""
    from linter.formulas import glob_match

    out: list[tuple[int, list[tuple[int, int]]]] = []
    if arith.standard_sum:
        block: list[int] = []
        for i, label in enumerate(labels):
            if not has_figures[i]:
                block = []
                continue
            if is_sum_label(label):
                if block:
                    out.append((i, [(1, j) for j in block]))
                block = []
            else:
                block.append(i)
    for rel in arith.rows:
        targets = [i for i, lb in enumerate(labels) if glob_match(rel.lhs, lb, arith.synonyms)]
        if len(targets) != 1:
            continue
        terms = []
        for sign, pattern in rel.terms:
            found = [i for i, lb in enumerate(labels) if glob_match(pattern, lb, arith.synonyms)]
            if len(found) != 1:
                break
            terms.append((sign, found[0]))
        else:
            out.append((targets[0], terms))
    return out


def solve(choices: list[list[tuple[str, ...]]], constraints, columns: list[int],
          extra: list[list[tuple[str, ...]]] | None = None) -> list[list[tuple[str, ...]]]:
    """Narrow each row's readings with the row relations. A relation no combination of readings
    satisfies is left out (the report's own mistake, which `check` will report); a relation
    narrows a row to the readings found in some combination that satisfies it. Repeated until
    nothing changes."""
    choices = [list(c) for c in choices]
    changed = True
    rounds = 0
    while changed and rounds < 5:
        changed = False
        rounds += 1
        for target, terms in constraints:
            rows = [(-1, target)] + [(s, r) for s, r in terms]
            if any(not choices[r] for _, r in rows):
                continue
            if all(len(choices[r]) == 1 for _, r in rows) and not (extra and any(extra[r] for _, r in rows)):
                continue
            kept = _satisfying(choices, rows, columns)
            if kept is None and extra and any(extra[r] for _, r in rows):
                # No full reading fits: a cell may have vanished. Try the readings with empty cells.
                widened = [list(c) + [e for e in (extra[i] or []) if e not in c] for i, c in enumerate(choices)]
                kept = _satisfying(widened, rows, columns)
                if kept is not None:
                    for _, r in rows:
                        choices[r] = [c for c in widened[r] if c in kept[r]] or choices[r]
                    changed = True
                    continue
            if kept is None:
                kept = _relation(choices, rows, columns)
            if kept is None:
                continue
            for r, allowed in kept.items():
                narrowed = [c for c in choices[r] if c in allowed]
                if narrowed and len(narrowed) < len(choices[r]):
                    choices[r] = narrowed
                    changed = True
    return choices


def _relation(choices, rows, columns) -> dict[int, set] | None:
    kept = _satisfying(choices, rows, columns)
    if kept is None and len(columns) > 1:
        # The report's own mistake in one column (a wrong sum cell) must not keep the relation
        # from reading the other columns: drop one column at a time.
        found = [k for k in (_satisfying(choices, rows, [c for c in columns if c != col]) for col in columns)
                 if k is not None]
        kept = found[0] if len(found) == 1 else None
    return kept


def _satisfying(choices, rows, columns) -> dict[int, set] | None:
    """For each row in the relation, the readings that take part in a combination satisfying
    it in every summable column; None when no combination does (or the search is too big)."""
    unique_rows = []
    for _, r in rows:
        if r not in unique_rows:
            unique_rows.append(r)
    if len(unique_rows) != len(rows):
        return None
    slack = Decimal(len(rows)) / 2
    steps = [0]
    found: dict[int, set] = {r: set() for r in unique_rows}
    any_solution = [False]

    def recurse(col_pos: int, cands: dict[int, list]) -> None:
        if steps[0] > MAX_STEPS:
            return
        if col_pos == len(columns):
            any_solution[0] = True
            for r, cs in cands.items():
                found[r].update(cs)
            return
        col = columns[col_pos]
        groups = []
        for sign, r in rows:
            by_value: dict[str, list] = {}
            for c in cands[r]:
                by_value.setdefault(c[col] if col < len(c) else "", []).append(c)
            groups.append((sign, r, list(by_value.items())))
        for pick in itertools.product(*(g[2] for g in groups)):
            steps[0] += 1
            if steps[0] > MAX_STEPS:
                return
            values = [cell_number(text) for text, _ in pick]
            target_value = values[0]
            if target_value is None:
                ok = True  # nothing to check in this column
            else:
                total = sum(((g[0] * (v or 0)) for g, v in zip(groups[1:], values[1:])), Decimal(0))
                ok = abs(target_value - total) <= slack
            if ok:
                recurse(col_pos + 1, {g[1]: cs for g, (_, cs) in zip(groups, pick)})

    recurse(0, {r: list(choices[r]) for r in unique_rows})
    if steps[0] > MAX_STEPS or not any_solution[0]:
        return None
    return {r: set(cs) for r, cs in found.items()}
