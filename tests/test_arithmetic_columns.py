"""The column-wise evaluation of default sums (linter/rules/arithmetic.py: ``_Columns``,
``_sum_checks`` with a store, ``_RunningSums`` over prefix sums) gives exactly what the
check-by-check evaluation gives (``finish_check``, and the running sums as they were appended
row by row): the same checks, differences and slack to the exponent, on every table of the
examples and on generated tables full of rounding edges, placeholders, text and huge figures.
Also: the compact analysis the rules keep reports what the full one does."""

from __future__ import annotations

import random
from decimal import Decimal, localcontext

import pytest

from conftest import all_examples
from linter.engine import choose_pack
from linter.formulas import ARITHMETIC, cell_status, half_of, _exact_table, is_group_row, is_sum_label, summable_columns
from linter.parsing.builder import parse_report
from linter.rules import arithmetic
from linter.rules.arithmetic import DEFAULT_NOT_SUMMABLE, _Columns, _is_part_of, _RunningSums, _sum_checks
from linter.rules.base import RuleContext


def _shape(check) -> tuple:
    return (check.code, check.source, check.name, check.reported.key, repr(check.diff), repr(check.slack),
            check.holds, check.skipped, check.too_large, [m.key for m in check.missing],
            [(repr(coef), ref.key) for coef, ref in check.terms()])


class _RowByRowSums:
    """The running sums as they were before the prefix sums: appended per detail row, per column
    (the reference the new ones must agree with)."""

    def __init__(self, table, columns):
        self.columns = columns
        self.exact = _exact_table(table)
        self.reset()

    def reset(self):
        self.rows = []
        self.total = {c: [Decimal(0)] for c in self.columns}
        self.slack = {c: [Decimal(0)] for c in self.columns}
        self.bad = {c: [0] for c in self.columns}

    def add(self, row):
        self.rows.append(row)
        for col in self.columns:
            total, slack, bad = self.total[col], self.slack[col], self.bad[col]
            if col < len(row.cells):
                value = row.cells[col].value
                status = cell_status(row.cells[col])
                if status == "number" and not value.huge:
                    total.append(total[-1] + value.number)
                    slack.append(slack[-1] + half_of(value, self.exact))
                    bad.append(bad[-1])
                    continue
                if status == "zero":
                    total.append(total[-1])
                    slack.append(slack[-1])
                    bad.append(bad[-1])
                    continue
            total.append(total[-1])
            slack.append(slack[-1])
            bad.append(bad[-1] + 1)

    def subtotal_of(self, row):
        run = self.rows
        if not run:
            return []
        cells = [c for c in self.columns if c < len(row.cells) and cell_status(row.cells[c]) == "number"]
        if any(row.cells[c].value.huge for c in cells):
            return []
        nonzero = len([c for c in cells if row.cells[c].value.number])
        if len(cells) < 2 or not nonzero:
            return []
        if nonzero < 2:
            above = run[-1]
            same = all(col < len(above.cells) and cell_status(above.cells[col]) in ("number", "zero")
                       and (above.cells[col].value.number or Decimal(0)) == row.cells[col].value.number
                       for col in cells)
            return [above] if same else []
        end = len(run)

        def misses(length, allowed):
            start = end - length
            missed = 0
            for col in cells:
                value = row.cells[col].value
                total, slack, bad = self.total[col], self.slack[col], self.bad[col]
                allowed_slack = slack[end] - slack[start] + half_of(value, self.exact) if length > 1 else Decimal(0)
                if bad[end] != bad[start] or abs(value.number - (total[end] - total[start])) > allowed_slack:
                    missed += 1
                    if missed > allowed:
                        break
            return missed

        if misses(end, 1) <= (1 if len(cells) >= 4 and nonzero >= 3 else 0):
            return list(run)
        for length in range(min(end - 1, arithmetic.MAX_SUBTOTAL_SPAN), 0, -1):
            if misses(length, 0) == 0:
                return run[-length:]
        return []


def _compare_table(table, rng: random.Random) -> int:
    """Every sum row of the table against several row sets, and the subtotals found row by row;
    returns how many checks were compared."""
    columns = list(summable_columns(tuple(table.columns), DEFAULT_NOT_SUMMABLE, None))
    store = _Columns(table)
    compared = 0
    with localcontext(ARITHMETIC):
        for position, row in enumerate(table.rows):
            if not is_sum_label(row.label.strip()) and rng.random() > 0.3:
                continue
            above = table.rows[:position]
            choices = [above, [r for r in above if not _is_part_of(r.label)],
                       rng.sample(above, k=rng.randint(0, len(above))) if above else []]
            for rows in choices:
                fast = [_shape(c) for c in _sum_checks(table, row, rows, columns, store)]
                slow = [_shape(c) for c in _sum_checks(table, row, rows, columns, None)]
                assert fast == slow, (table.id, row.label, [r.label for r in rows])
                compared += len(fast)
        new, old = _RunningSums(table, columns, store), _RowByRowSums(table, columns)
        for row in table.rows:
            if is_sum_label(row.label.strip()) or is_group_row(row):
                new.reset()
                old.reset()
                continue
            found, expected = new.subtotal_of(row), old.subtotal_of(row)
            assert found == expected, (table.id, row.label)
            if found:
                new.reset()
                old.reset()
            elif not _is_part_of(row.label):
                new.add(row)
                old.add(row)
    return compared


@pytest.mark.parametrize("path", all_examples(), ids=lambda p: p.name)
def test_column_wise_sums_equal_the_per_check_evaluation_on_every_example_table(path):
    report = parse_report(path.read_text(encoding="utf-8"), recover=True)
    rng = random.Random(path.name)
    compared = sum(_compare_table(table, rng) for table in report.tables)
    assert compared > 50  # the examples have many sums: a comparison that compared nothing fails


HEAD = "---\nbydel: Testbydel\ndokument: årsberetning\når: 2024\n---\n\n# 1 Innledning\n\n"
FIGURES = ["1", "2", "7", "10", "1,5", "0,25", "-3", "-0", "0", "12 000", "1 234,5", "0,05", "3,50", "5 %",
           "12,5 %", "(11)", "311 000 kr"]
NOT_FIGURES = ["", "-", "–", "NA", "*", "x", "tekst", "9" * 45]
LABELS = ["Post", "Enhet A", "herav del", "Hvorav noe", "123 Funksjon", "Annet"]


def _generated(rng: random.Random, tables: int) -> str:
    parts = [HEAD]
    for number in range(tables):
        kind, unit = rng.choice([("økonomi", "1000 kr"), ("befolkning", "antall"), ("nøkkeltall", "personer"),
                                 ("økonomi", "kr")])
        width = rng.randint(2, 5)
        parts.append(f': Tabell {number} {{#t{number} type={kind} enhet="{unit}"}}\n')
        parts.append("| Post | " + " | ".join(f"K{c}" for c in range(1, width)) + " |\n")
        parts.append("|---|" + "---:|" * (width - 1) + "\n")
        sums = [Decimal(0)] * width
        count = 0
        for _ in range(rng.randint(2, 14)):
            if rng.random() < 0.2 and count:
                # a sum (labelled or not) at a rounding edge: exact, ± half the slack, just over it
                label = rng.choice(["Sum", "Totalt", "I alt", "Delsum uten navn", "Avdeling"])
                # an unlabelled subtotal is found from the numbers: mostly right, sometimes at the edge
                edges = ([Decimal(0)] * 6 + [Decimal("0.5"), Decimal(1)] if label in ("Delsum uten navn", "Avdeling")
                         else [Decimal(0), Decimal(count + 1) / 2, Decimal(count + 1) / 2 + 1, Decimal(1),
                               Decimal("0.5"), -Decimal(count) / 2])
                cells = []
                for c in range(1, width):
                    edge = rng.choice(edges)
                    value = sums[c] + edge
                    cells.append(f"{value:f}".replace(".", ","))
                parts.append(f"| {label} | " + " | ".join(cells) + " |\n")
                sums, count = [Decimal(0)] * width, 0
                continue
            if rng.random() < 0.1:
                parts.append(f"| Gruppe {count} |" + " |" * (width - 1) + "\n")
                continue
            cells = []
            label = rng.choice(LABELS)
            for c in range(1, width):
                text = rng.choice(FIGURES) if rng.random() < 0.93 else rng.choice(NOT_FIGURES)
                cells.append(text)
                if _is_part_of(label):
                    continue  # «herav»: a part of the row above, in no sum
                try:
                    sums[c] += Decimal(text.replace(" ", "").replace(",", ".").rstrip("%").strip())
                except ArithmeticError:
                    pass
            if rng.random() < 0.1:
                cells = cells[: rng.randint(0, len(cells))]  # a short row
            parts.append(f"| {label} | " + " | ".join(cells) + " |\n")
            count += 1
        parts.append("\n")
    return "".join(parts)


@pytest.mark.parametrize("seed", range(8))
def test_column_wise_sums_equal_the_per_check_evaluation_on_generated_tables(seed):
    rng = random.Random(seed)
    report = parse_report(_generated(rng, 40), recover=True)
    assert len(report.tables) >= 35
    compared = sum(_compare_table(table, rng) for table in report.tables)
    assert compared > 100


@pytest.mark.parametrize("path", all_examples(), ids=lambda p: p.name)
def test_the_compact_analysis_reports_what_the_full_one_does(path):
    report = parse_report(path.read_text(encoding="utf-8"), recover=True)
    pack, _ = choose_pack(report, None)
    full = arithmetic.analyse(report, pack)
    shared: dict = {}
    compact = arithmetic.analyse(report, pack, RuleContext(pack=pack, shared=shared))
    assert compact.compact and not full.compact
    assert compact.checks == [] and all(not run.not_found for run in compact.relations)
    assert shared["coverage"]["aritmetikk"] == full.coverage()
    assert [(p.code, p.cell.key, p.should_be, p.diagnosed, len(p.checks)) for p in compact.problems] == [
        (p.code, p.cell.key, p.should_be, p.diagnosed, len(p.checks)) for p in full.problems]
    assert [compact.not_run_reason(run) for run in compact.relations if not run.ran] == [
        arithmetic._not_run_reason(run, full.tables) for run in full.relations if not run.ran]
    # the hover's analysis: every check, made once per checked text
    again = arithmetic.full_analysis(report, pack, shared)
    assert len(again.checks) == len(full.checks) and arithmetic.full_analysis(report, pack, shared) is again


def _analysis_shape(analysis) -> tuple:
    return ([_shape(c) for c in analysis.checks],
            [(run.name, run.resolved, [(m.kind, m.pattern, m.table.id if m.table is not None else None, m.after_lhs)
                                       for m in run.not_found]) for run in analysis.relations])


FORMULA_TABLE = """: T{n} {{#f{n} type=økonomi enhet="1000 kr" formel="{formula}"}}
| Post | Regulert budsjett 2024 | Regnskap 2024 | Avvik 2024 |
|---|---:|---:|---:|
| A | 500 | 450 | 50 |
| B | 10 | 12 | -2 |
| C | 7 | x | 7 |
| D | 1,5 | 0,5 | 1 |
| Kort | 3 |
| Sum | 518,5 | 462,5 | 56 |
| Sum igjen | 1 | 2 |

"""
FORMULAS = [
    "kol('Avvik*') = kol('Reg*bud*') - kol('Regnskap {år}')",
    "kol('Avvik*') = kol?('Finnes ikke') + kol('Reg*bud*') - kol('Regnskap*')",
    "kol('Avvik*') = kol('Finnes ikke') - kol('Regnskap*')",
    "kol('Finnes ikke') = kol('Regnskap*')",
    "kol('Avvik*') = -kol('Regnskap*') + 2 * kol('Reg*bud*') - kol('Reg*bud*')",
    "rad('Sum') = rad('A') + rad('B') + rad('C') + rad('D') + rad?('Kort')",
    "rad('Sum*') = rad('A') + rad('Finnes ikke')",
    "rad('Kort') <= rad('A') + 0,5 * rad('B')",
    "rad('Sum igjen') >= rad('D') - rad('B') ± 1",
]


def test_relationships_by_lines_equal_the_point_by_point_resolution(monkeypatch):
    """``Evaluator._line_lin`` (each reference found once per table) gives what ``lin`` gives
    point by point: the same checks, and the same misses at the same points, on the examples'
    relationships and on table formulas with optional, missing and short references."""
    from linter.formulas import Evaluator

    text = HEAD + "".join(FORMULA_TABLE.format(n=n, formula=f) for n, f in enumerate(FORMULAS))
    reports = [parse_report(text, recover=True)] + [parse_report(p.read_text(encoding="utf-8"), recover=True)
                                                   for p in all_examples()]
    by_lines = []
    for report in reports:
        pack, _ = choose_pack(report, None)
        by_lines.append(_analysis_shape(arithmetic.analyse(report, pack)))
    monkeypatch.setattr(Evaluator, "_lines", lambda self, relation: None)
    for report, expected in zip(reports, by_lines):
        pack, _ = choose_pack(report, None)
        assert _analysis_shape(arithmetic.analyse(report, pack)) == expected
    assert sum(len(checks) for checks, _ in by_lines) > 500
    assert len(by_lines[0][0]) > 10  # the formula tables were checked, not all skipped
