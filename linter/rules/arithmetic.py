"""Arithmetic rules (A2): sums, row formulas and cross-table consistency, with the interval rule
for rounded figures.

Relationships come from three places, in this order of precedence: a ``formel="..."`` in the
table's attribute line, the rule pack's ``relasjoner``, and the default (a "Sum …"/"Totalt" row
adds up the rows since the previous sum row or group row). All of them are evaluated once per
report (``analyse``); each rule reports the failures of its own kind.

When several failing checks point at one cell, and changing that one cell would make all of them
hold without breaking any check that holds, that cell is reported once, as the likely error, with
the value it should have; if it is a sum or Avvik cell (the computed side of a relationship),
``--fix`` writes that value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Literal

from itertools import accumulate

from linter.model import ValueKind
from linter.rules.base import Finding, Fix, Rule, RuleContext, Severity

if TYPE_CHECKING:
    from linter.formulas import Check, CellRef
    from linter.model import Report, Table
    from linter.packs import RulePack

# Used when no rule pack is chosen (a report without front matter).
DEFAULT_SUM_TYPES = ("økonomi", "befolkning", "nøkkeltall", "indikatorer")
DEFAULT_NOT_SUMMABLE = ("Andel*", "*%*", "*prosent*", "Snitt*", "Gjennomsnitt*", "Mål *", "Måltall*",
                        "*andel av*")
DEFAULT_PERCENT_GROUPS = (("Menn %", "Kvinner %"),)
PART_OF_LABELS = ("herav", "hvorav", "derav", "av dette")
MONEY_TYPES = ("økonomi", "ramme", "befolkning")  # where the default sum is trusted in every column

CODE_ORDER = ("A201", "A202", "A203", "A204")

_FORMULAS: Any = None


def _formulas() -> Any:
    """linter.formulas, imported when first needed (not at start-up) and then read from here: an
    import statement costs about a microsecond, and the sums' helpers run thousands of times per
    report (in small tables, that was a third of the default sums)."""
    global _FORMULAS
    if _FORMULAS is None:
        import linter.formulas

        _FORMULAS = linter.formulas
    return _FORMULAS


@dataclass(slots=True)
class Problem:
    """What the rules report: one failing check, or one cell that several failing checks blame."""

    code: str
    checks: list["Check"]
    cell: "CellRef"
    should_be: Decimal | None = None  # set when the cell was diagnosed
    diagnosed: bool = False
    fixable: bool = False


@dataclass(slots=True)
class RelationRun:
    """One declared relationship (a pack formula, or one part of a table's formel) over the
    whole report: where it applied, how often it resolved, and what was not found where not."""

    name: str
    formula: str
    source: str  # "pakke" or "formel"
    selector: dict[str, Any]  # the pack's «tabeller», or {"id": ...} for a table's own formula
    optional: bool = False  # the pack says «valgfri: ja»: not running is no finding
    tables: list["Table"] = field(default_factory=list)
    incomplete: list["Table"] = field(default_factory=list)  # matched, but marked ufullstendig
    resolved: int = 0
    checks: list["Check"] = field(default_factory=list)
    not_found: list[Any] = field(default_factory=list)  # formulas.Unresolved

    @property
    def ran(self) -> bool:
        return self.resolved > 0


@dataclass(slots=True)
class Analysis:
    checks: list["Check"] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    formula_errors: list[tuple["Table", Any]] = field(default_factory=list)  # (table, FormulaError)
    relations: list[RelationRun] = field(default_factory=list)
    structures: dict[int, str] = field(default_factory=dict)  # id(sum row) -> the structure tried
    tables: list["Table"] = field(default_factory=list)
    # set by compact(): the coverage as it was, and why each relationship that did not run did not
    compact_coverage: dict[str, Any] | None = None
    reasons: dict[int, tuple[str, str, str, list[str]]] = field(default_factory=dict)  # id(run) -> reason
    pack: Any = None  # the rule pack analysed with (the hover analyses again with the same)

    @property
    def compact(self) -> bool:
        """Only what the rules report is kept: not every check (see ``compact``)."""
        return self.compact_coverage is not None

    def not_run_reason(self, run: RelationRun) -> tuple[str, str, str, list[str]]:
        found = self.reasons.get(id(run))
        if found is None:
            found = self.reasons[id(run)] = _not_run_reason(run, self.tables)
        return found

    def make_compact(self) -> None:
        """Keep what the rules report (the problems, their checks, the formula errors, the
        relationships' counts and why the ones that did not run did not) and drop the rest:
        every check that held, and every point a relationship was not found at. The analysis
        stays in RuleContext.shared until the check's result is dropped; the language server's
        hover, which needs every check, analyses the report again (``full_analysis``)."""
        self.compact_coverage = self.coverage()
        for run in self.relations:
            run.checks = []
            run.not_found = []
        self.checks = []
        self.structures = {}

    def coverage(self) -> dict[str, Any]:
        """What was checked and what could not be (JSON-able; --format json and --statistics)."""
        if self.compact_coverage is not None:
            return self.compact_coverage
        def tally(checks) -> dict[str, int]:
            checks = list(checks)
            return {"run": len(checks), "held": sum(c.holds and not c.skipped for c in checks),
                    "failed": sum(not c.holds and not c.skipped for c in checks),
                    "skipped": sum(c.skipped for c in checks)}

        sources = sorted({c.source for c in self.checks})
        not_run = []
        for run in self.relations:
            if run.ran:
                continue
            reason_nb, reason_en, selector, candidates = self.not_run_reason(run)
            not_run.append({"relation": run.name, "source": run.source, "optional": run.optional,
                            "selector": selector, "reason": reason_nb, "reason_en": reason_en,
                            "candidates": candidates})
        return {
            "checks": tally(self.checks),
            "by_source": {source: tally(c for c in self.checks if c.source == source) for source in sources},
            "relations": {"declared": len(self.relations), "run": sum(r.ran for r in self.relations),
                          "not_run": not_run},
        }


def analyse(report: "Report", pack: "RulePack | None", context: RuleContext | None = None) -> Analysis:
    """Every relationship of the report, evaluated once: the A2 rules share it through the rule
    context (computed afresh without one)."""
    if context is None:
        return _analyse_exact(report, pack)

    def compute() -> Analysis:
        analysis = _analyse_exact(report, pack)
        analysis.make_compact()  # kept with the result: only what the rules report (see make_compact)
        context.set_coverage("aritmetikk", analysis.coverage())
        return analysis

    return context.memo("aritmetikk", compute)


def full_analysis(report: "Report", pack: "RulePack | None", shared: dict) -> Analysis:
    """Every check of the report (the language server's hover shows the sum of any cell): the
    rules keep a compact analysis, so this analyses the report again, once per checked text,
    kept in ``shared`` (the editor's result of that text) for the next hover."""
    found = shared.get("aritmetikk_alle")
    if found is None:
        found = shared["aritmetikk_alle"] = _analyse_exact(report, pack)
    return found


def _analyse_exact(report: "Report", pack: "RulePack | None") -> Analysis:
    from decimal import localcontext

    from linter.formulas import ARITHMETIC

    with localcontext(ARITHMETIC):  # exact sums: the default 28 digits would round
        return _analyse(report, pack)


def _relations_config(pack: "RulePack | None") -> dict:
    return dict(pack.get("relasjoner") or {}) if pack else {}


CODE_FOR_KIND = {"sum": "A201", "formel": "A202", "kryss": "A203"}


def _coded(checks: list, code: str | None) -> list:
    """The rules, not the evaluator, choose the codes: the pack's «kode», else by kind."""
    for check in checks:
        check.code = code or CODE_FOR_KIND[check.kind]
    return checks


def _analyse(report: "Report", pack: "RulePack | None") -> Analysis:
    from linter.formulas import Evaluator, FormulaError, flush_formulas, parse_formula, table_matches
    from linter.normalize import Synonyms, fold

    config = _relations_config(pack)
    synonyms = Synonyms.from_pack(pack)
    evaluator = Evaluator(report, synonyms)
    analysis = Analysis(tables=list(report.tables), pack=pack)
    standard = config.get("standardsum") or {}
    sum_types = tuple(standard.get("tabelltyper", DEFAULT_SUM_TYPES)) if pack else DEFAULT_SUM_TYPES
    not_summable = tuple(standard.get("ikke_summerbare_kolonner", DEFAULT_NOT_SUMMABLE))
    groups = [tuple(g) for g in config.get("prosentgrupper", DEFAULT_PERCENT_GROUPS if not pack else ())]
    pack_formulas = []
    for entry in config.get("formler", []) or []:
        relation = parse_formula(entry["formel"])  # validated at pack load
        run = RelationRun(entry.get("navn") or entry["formel"], entry["formel"], "pakke",
                          dict(entry.get("tabeller") or {}), optional=bool(entry.get("valgfri")))
        analysis.relations.append(run)
        pack_formulas.append((entry, relation, run, _selector_key(run.selector)))

    for table in report.tables:
        claimed: set[tuple] = set()
        # (1) the table's own formulas
        own: list = []
        text = table.caption.attributes.get("formel") if table.caption else None
        if text:
            for part in (p.strip() for p in text.split(";")):
                if not part:
                    continue
                try:
                    relation = parse_formula(part)
                except FormulaError as exc:
                    analysis.formula_errors.append((table, exc))
                    continue
                run = RelationRun(part, part, "formel", {"id": table.id} if table.id else {}, tables=[table])
                analysis.relations.append(run)
                result = evaluator.evaluate(relation, table, source="formel", name=part, skip_columns=not_summable)
                _record(run, result)
                own.extend(_coded(result.checks, None))
        _claim(own, claimed, set())
        analysis.checks.extend(own)
        incomplete = table.incomplete  # ufullstendig=ja, or a row the parser had to repair (P001)
        # (2) the rule pack's relationships
        from_pack: list = []
        variables = evaluator.variables(table)
        # many relationships share a selector, and tables of the same caption recur (in a report,
        # across reports): match each selector once per caption
        caption = table.caption
        caption_key = (caption.text, tuple(sorted(caption.attributes.items()))) if caption else None
        memo_key = (caption_key, tuple(sorted(variables.items())), synonyms)
        matches = _SELECTOR_MATCHES.get(memo_key)
        if matches is None:
            if len(_SELECTOR_MATCHES) > 10_000:
                _SELECTOR_MATCHES.clear()
            matches = _SELECTOR_MATCHES[memo_key] = {}
        for entry, relation, run, selector_key in pack_formulas:
            matched = matches.get(selector_key)
            if matched is None:
                matched = matches[selector_key] = table_matches(table, run.selector, variables, synonyms)
            if not matched:
                continue
            if incomplete:
                run.incomplete.append(table)
                continue
            run.tables.append(table)
            margin = Decimal(str(entry["margin"])) if entry.get("margin") is not None else None
            result = evaluator.evaluate(relation, table, source="pakke", name=run.name, margin=margin,
                                        skip_columns=not_summable)
            _record(run, result)
            for check in _coded(result.checks, entry.get("kode")):
                check.description = entry.get("beskrivelse")
                from_pack.append(check)
        if incomplete:
            continue  # rows are missing (e.g. left as raw text by the importer): no sum can be trusted
        kept = _claim(from_pack, claimed, set(claimed))
        analysis.checks.extend(kept)
        # (3) the default sums
        if table.type in sum_types or (table.type is None and not pack):
            defaults = list(_default_sums(table, not_summable, synonyms, analysis.structures))
            if table.type not in MONEY_TYPES:
                defaults = _drop_structural_mismatches(defaults)
            analysis.checks.extend(_claim(defaults, claimed, set(claimed)))
        if groups:
            folded = [fold(h, synonyms) for h in table.columns]  # once per table, not per group
            for group in groups:
                analysis.checks.extend(_percent_group(table, group, synonyms, folded))
    flush_formulas()  # the tables' own formulas parsed afresh: kept for the next run
    analysis.problems = _diagnose(analysis.checks)
    return analysis


# (caption, variables, synonyms) -> {selector: whether the pack selector matches such a table}
_SELECTOR_MATCHES: dict[tuple, dict[str, bool]] = {}


def _selector_key(selector: dict) -> str:
    import json

    return json.dumps(selector, sort_keys=True, ensure_ascii=False, default=str)


def _record(run: RelationRun, result) -> None:
    run.resolved += result.resolved
    run.checks.extend(result.checks)
    run.not_found.extend(result.not_found)


def _not_run_reason(run: RelationRun, all_tables: list) -> tuple[str, str, str, list[str]]:
    """Why a relationship did not run anywhere: (nb, en, the selector, the closest candidates)."""
    from collections import Counter

    if not run.tables:
        described = ", ".join(f"{k}={v!r}" if v is not None else f"{k}=ingen" for k, v in run.selector.items())
        selector = f"tabeller: {{{described}}}"
        if run.incomplete:
            ids = ", ".join(sorted({t.id or t.title for t in run.incomplete}))
            return (f"tabellen(e) {ids} er merket ufullstendig", f"the table(s) {ids} are marked ufullstendig",
                    selector, [])
        candidates = []
        title = run.selector.get("tittel")
        if title:
            patterns = title if isinstance(title, list) else [title]
            candidates = _closest(str(patterns[0]), tuple(t.caption.text for t in all_tables if t.caption))
        return (f"ingen tabell passer til {selector}", f"no table matches {selector}", selector, candidates)
    # where the left side was found, the miss is nearest to running: name that selector first
    nearest = [m for m in run.not_found if m.after_lhs] or run.not_found
    counted = Counter((m.kind, m.pattern) for m in nearest)
    if not counted:
        return ("ingen celler å kontrollere", "no cells to check", "", [])
    (kind, pattern), _ = counted.most_common(1)[0]
    tables = [m.table for m in nearest if (m.kind, m.pattern) == (kind, pattern) and m.table is not None]
    if kind == "tabell":
        selector = f"tabell({pattern})"
        pool = [t.caption.text for t in all_tables if t.caption]
    elif kind == "rad":
        selector = f'rad("{pattern}")'
        pool = [r.label for t in tables for r in t.rows]
    else:
        selector = f'kol("{pattern}")'
        pool = [h for t in tables for h in t.columns[1:]]
    candidates = _closest(pattern, tuple(pool))
    names = list(dict.fromkeys(t.id or t.title or f"linje {t.span.line}" for t in tables))
    where = ", ".join(names[:5]) + (f" og {len(names) - 5} tabeller til" if len(names) > 5 else "")
    where_en = ", ".join(names[:5]) + (f" and {len(names) - 5} more tables" if len(names) > 5 else "")
    if not names:
        where, where_en = "rapporten", "the report"
    return (f"{selector} finnes ikke i {where}", f"{selector} not found in {where_en}", selector, candidates)


@lru_cache(maxsize=1024)
def _closest_memo(pattern: str, pool: tuple[str, ...]) -> tuple[str, ...]:
    """normalize.closest, remembered: the same relationships miss the same labels at every check."""
    from linter.normalize import closest

    return tuple(closest(pattern, pool))


def _closest(pattern: str, pool: tuple[str, ...]) -> list[str]:
    return list(_closest_memo(pattern, pool))


def _target(check: "Check") -> tuple:
    mode = getattr(check, "mode", "cols")
    if mode == "rows":
        return (id(check.table), "col", check.reported.cell.column)
    if mode == "cell":
        return (id(check.table), "cell", check.reported.key)
    return (id(check.table), "row", check.reported.row.index)


def _claim(checks: list, claimed: set, earlier: set) -> list:
    """Drop checks whose target an earlier (higher-precedence) source already claimed. Only
    relationships inside one table compete: a cross-table check does not replace a sum."""
    kept = [c for c in checks if c.code == "A203" or _target(c) not in earlier]
    claimed.update(_target(c) for c in kept if c.code != "A203")
    return kept


def _default_sums(table: "Table", not_summable: tuple[str, ...], synonyms=None,
                  structures: dict | None = None) -> Iterable["Check"]:
    """The sums a table's structure implies. A «Sum …»/«Totalt»/«I alt» row is checked against
    the first structure that explains it in every column: (1) the rows since the previous sum
    or group row; (2) the subtotals recognised since the previous sum row and the rows after
    them; (3) every subtotal since the previous group row and the rows after the last of them;
    (4) every detail row since the previous group row. A row without such a label is a
    subtotal when the numbers say so: it equals, within the rounding slack, the sum of the two
    or more rows since the previous subtotal in every column, at least two of them not zero
    (a department after its units).
    When no structure explains a total, the first one tried is reported, naming the others."""
    from linter.formulas import is_group_row, is_sum_label, summable_columns

    columns = list(summable_columns(tuple(table.columns), not_summable, synonyms))

    def parts(rows: list) -> list:
        return [r for r in rows if not _is_part_of(r.label)]

    store = _Columns(table)
    running = _RunningSums(table, columns, store)  # the pending detail rows' sums, for subtotals
    block: list = []  # rows since the previous labelled sum row or group row (the plain structure)
    pending: list = []  # detail rows since the previous subtotal
    subtotals: list = []  # subtotal rows (labelled or recognised) since the previous group row
    implicit: list = []  # the subtotals recognised from the numbers
    details: list = []  # every detail row since the previous group row
    for row in table.rows:
        label = row.label.strip()
        if is_sum_label(label):
            candidates: list[tuple[str, str, list]] = []
            plain = parts(block)
            if plain:
                candidates.append(("radene siden forrige sumrad", "the rows since the previous sum row", plain))
            if implicit:
                in_block = {id(r) for r in block}
                local = [r for r in implicit if id(r) in in_block] + parts(pending)
            else:
                local = parts(pending)
            if implicit and len(local) >= 2 and local != plain:
                candidates.append(("delsummene siden forrige sumrad og radene etter dem",
                                   "the subtotals since the previous sum row and the rows after them", local))
            structured = subtotals + parts(pending)
            # a total over one subtotal alone is no structure (consecutive sum rows of
            # different things, or a total of figures in another table)
            if subtotals and len(structured) >= 2 and structured not in (plain, local):
                candidates.append(("delsummene og radene etter dem", "the subtotals and the rows after them",
                                   structured))
            flat = parts(details)
            if subtotals and len(flat) >= 2 and flat not in (plain, local, structured):
                candidates.append(("alle detaljradene", "every detail row", flat))
            chosen = None
            tried = []
            for index, (name_nb, name_en, rows) in enumerate(candidates):
                checks = _sum_checks(table, row, rows, columns, store)
                tried.append((name_nb, name_en, rows, checks))
                if checks and all(c.holds or c.skipped for c in checks):
                    chosen = index
                    break
            if tried:
                # none explains it everywhere: report the structure that explains the most columns
                pick = chosen if chosen is not None else max(
                    range(len(tried)), key=lambda i: (sum(c.holds for c in tried[i][3]),
                                                      -sum(abs(c.diff) for c in tried[i][3]), -i))
                name_nb, name_en, rows, checks = tried[pick]
                if len(candidates) > 1:
                    for check in checks:
                        check.name = f"sum av {name_nb}"
                    tried_nb = "; ".join(_structure_text(n, r) for n, _, r, _ in tried)
                    tried_en = "; ".join(_structure_text(n, r) for _, n, r, _ in tried)
                    for check in checks:
                        check.structure = (tried_nb, tried_en)
                yield from checks
            if chosen is not None and chosen > 0:
                subtotals = [row]  # a total over the subtotals: the next level's first subtotal
            elif subtotals:
                in_block = {id(r) for r in block}
                subtotals = [s for s in subtotals if id(s) not in in_block] + [row]
            else:
                subtotals = [row]
            block, pending = [], []
            running.reset()
        elif is_group_row(row):
            block, pending, subtotals, implicit, details = [], [], [], [], []
            running.reset()
        else:
            covered = running.subtotal_of(row)
            if covered:
                checks = _sum_checks(table, row, covered, columns, store)
                for check in checks:
                    check.source = "struktur"
                    check.name = "delsum"
                yield from checks
                subtotals.append(row)
                implicit.append(row)
                pending = []
                running.reset()
            else:
                pending.append(row)
                if not _is_part_of(row.label):
                    running.add(row)
                details.append(row)
            block.append(row)


_ZERO = Decimal(0)
# finish_check's statuses of a cell (linter/formulas.py)
_NUMBER, _ZERO_CELL, _TEXT, _HUGE = "number", "zero", "text", "huge"
_FIGURES = frozenset({_NUMBER, _ZERO_CELL})
# a cell that stops a running sum: anything but a figure or a zero (None: the row is too short)
_BADNESS = {_NUMBER: 0, _ZERO_CELL: 0, _TEXT: 1, _HUGE: 1, "missing": 1, None: 1}


@lru_cache(maxsize=8192)
def _is_part_of(label: str) -> bool:
    """«herav …»: a part of the row above, not a row of the sum."""
    return label.strip().casefold().startswith(PART_OF_LABELS)


MAX_SUBTOTAL_SPAN = 40  # rows a subtotal recognised from the numbers may cover (besides all of them)


class _RunningSums:
    """Running sums, per column, of the detail rows since the previous subtotal, so that whether
    a row is their subtotal (or the subtotal of the last few of them) is known in time linear in
    the table's size. The sums are prefix sums over the whole table's rows (a «herav» row counts
    nothing), made per column when first asked for: the rows since the previous subtotal are a
    range of positions, and a «herav» row inside it adds nothing, as it was never added."""

    def __init__(self, table: "Table", columns: list[int], store: "_Columns"):
        self.table = table
        self.columns = columns
        self.store = store
        self._prefix: dict[int, tuple[list, list, list]] = {}
        self._lists: list[tuple] | None = None  # (column, statuses, figures, halves), when first asked
        self.reset()

    def reset(self) -> None:
        self.rows: list = []
        self.positions: list[int] = []

    def add(self, row) -> None:
        self.rows.append(row)
        self.positions.append(self.store.position(row))

    def _sums(self, col: int) -> tuple[list, list, list]:
        """Per position, the cumulative total, slack and count of cells without a figure (only
        compared, never printed: their exponents do not matter)."""
        found = self._prefix.get(col)
        if found is None:
            statuses, numbers, halves = self.store.column(col)
            part_of = self.store.part_of()
            bad = list(accumulate(map(_BADNESS.__getitem__, statuses), initial=0))
            if any(part_of) or col in self.store.odd:
                # a «herav» row counts nothing; a cell without a figure adds no slack
                good = [status == _NUMBER and not part for status, part in zip(statuses, part_of)]
                numbers = [n if g else _ZERO for n, g in zip(numbers, good)]
                halves = [h if g else _ZERO for h, g in zip(halves, good)]
                bad = list(accumulate([0 if g or part or status == _ZERO_CELL else 1
                                       for status, g, part in zip(statuses, good, part_of)], initial=0))
            # else: figures and halves are 0 wherever a cell has no figure (column() makes them so)
            total = list(accumulate(numbers, initial=_ZERO))
            slack = list(accumulate(halves, initial=_ZERO))
            found = self._prefix[col] = (total, slack, bad)
        return found

    def subtotal_of(self, row) -> list:
        """The rows right above ``row`` that it is the sum of, in every column (at least two
        columns not zero: in one column a row equal to the rows above it is too often chance; a
        row with one figure only when it repeats the one row above it): all the rows since the
        previous subtotal, else the longest run of the last rows that fits (a unit's rows after a
        unit that was not recognised), else nothing."""
        run = self.rows
        if not run:
            return []
        store = self.store
        position = store.position(row)
        if self._lists is None:
            self._lists = [(col,) + store.column(col) for col in self.columns]
        cells = []
        for col, statuses, numbers, halves in self._lists:
            status = statuses[position]
            if status == _NUMBER:
                cells.append((col, numbers[position], halves[position]))
            elif status == _HUGE:
                return []  # reported by the sum's own check; no subtotal is inferred from it
        nonzero = len([c for c in cells if c[1]])
        if len(cells) < 2 or not nonzero:
            return []
        if nonzero < 2:
            # one figure only: a subtotal just when it repeats the single row above it exactly
            above = run[-1]
            cell_status = _formulas().cell_status
            same = all(col < len(above.cells) and cell_status(above.cells[col]) in ("number", "zero")
                       and (above.cells[col].value.number or Decimal(0)) == row.cells[col].value.number
                       for col, _, _ in cells)
            return [above] if same else []
        positions = self.positions
        end = len(run)
        last = positions[-1] + 1
        wanted = [(number, half) + self._sums(col) for col, number, half in cells]

        def misses(length: int, allowed: int) -> int:
            start = positions[end - length]
            missed = 0
            for number, half, total, slack, bad in wanted:
                # a "subtotal" of one row must repeat it exactly: within rounding, 2 would be 1
                allowed_slack = slack[last] - slack[start] + half if length > 1 else _ZERO
                if bad[last] != bad[start] or abs(number - (total[last] - total[start])) > allowed_slack:
                    missed += 1
                    if missed > allowed:
                        break
            return missed

        # all the rows since the previous subtotal, in every column; or in all columns but one
        # when at least three others hold: a subtotal that carries an error in one figure is still
        # a subtotal (its own check then reports the error)
        if misses(end, 1) <= (1 if len(cells) >= 4 and nonzero >= 3 else 0):
            return list(run)
        # the first column rules out most lengths: tried inline before the other columns
        number, half, total, slack, bad = wanted[0]
        total_last, slack_last, bad_last = total[last], slack[last], bad[last]
        for length in range(min(end - 1, MAX_SUBTOTAL_SPAN), 0, -1):
            start = positions[end - length]
            if bad_last != bad[start]:
                continue
            difference = abs(number - (total_last - total[start]))
            if (difference > slack_last - slack[start] + half) if length > 1 else difference > _ZERO:
                continue
            if misses(length, 0) == 0:
                return run[-length:]
        return []


def _structure_text(name: str, rows: list) -> str:
    lines = sorted({r.span.line for r in rows})
    shown = ", ".join(map(str, lines[:6])) + (", …" if len(lines) > 6 else "")
    return f"{name} ({shown})"


class _Columns:
    """The summable columns of one table, each read once when a sum first needs it: per row (by
    position) the cell's status (None where the row is too short), its figure (0 when it has
    none) and half its rounding unit. A sum over some rows is then a few passes in C over these
    lists (``_sum_checks``), not a Python loop over the terms of one check per column."""

    __slots__ = ("table", "exact", "_where", "_columns", "_part_of", "odd")

    def __init__(self, table: "Table"):
        self.table = table
        self.exact = _formulas()._exact_table(table)
        # a row's position is its index in every parsed table (checked, not assumed)
        aligned = all(row.index == position for position, row in enumerate(table.rows))
        self._where = None if aligned else {id(row): position for position, row in enumerate(table.rows)}
        self._columns: dict[int, tuple[list, list, list]] = {}
        self._part_of: list[bool] | None = None
        self.odd: set[int] = set()  # columns where a cell without a figure has a rounding unit

    def position(self, row) -> int:
        return row.index if self._where is None else self._where[id(row)]

    def positions(self, rows: list) -> list[int]:
        if self._where is None:
            return [row.index for row in rows]
        where = self._where
        return [where[id(row)] for row in rows]

    def part_of(self) -> list[bool]:
        """Per position: a «herav» row (a part of the row above, not a row of a sum)."""
        if self._part_of is None:
            self._part_of = [_is_part_of(row.label) for row in self.table.rows]
        return self._part_of

    def column(self, col: int) -> tuple[list, list, list]:
        found = self._columns.get(col)
        if found is None:
            formulas = _formulas()
            _HALVES, ZERO, cell_status, half_of = formulas._HALVES, formulas.ZERO, formulas.cell_status, formulas.half_of
            number_kind, percent_kind = ValueKind.NUMBER, ValueKind.PERCENT
            exact = self.exact
            # formulas._status and half_of in comprehensions: this runs for every cell of a summed
            # column, and a figure's (shared) value decides its status and half alone
            cells = [row.cells[col] if col < len(row.cells) else None for row in self.table.rows]
            figures = [cell is not None and (cell.value.kind is number_kind or cell.value.kind is percent_kind)
                       and not cell.value.huge for cell in cells]
            statuses = [_NUMBER if figure else (None if cell is None else (
                _HUGE if cell.value.kind is number_kind or cell.value.kind is percent_kind else cell_status(cell)))
                for cell, figure in zip(cells, figures)]
            numbers = [cell.value.number if figure else ZERO for cell, figure in zip(cells, figures)]
            halves = [(ZERO if exact and cell.value.decimals == 0 and cell.value.kind is number_kind
                       else _HALVES[cell.value.decimals]) if figure  # not huge: decimals <= MAX_DIGITS
                      else (ZERO if cell is None else half_of(cell.value, exact))
                      for cell, figure in zip(cells, figures)]
            if any(half and not figure for half, figure in zip(halves, figures)):
                self.odd.add(col)  # a cell without a figure has a rounding unit (no parsed value does)
            found = self._columns[col] = (statuses, numbers, halves)
        return found


def _sum_checks(table: "Table", row, rows: list, columns: list[int],
                store: "_Columns | None" = None) -> list["Check"]:
    """The checks «row = the sum of rows» in each column; what ``finish_check`` gives, with the
    sums of the columns that apply computed from ``store`` (equal to the term-by-term sum:
    exact, the same exponent, and never a negative zero)."""
    formulas = _formulas()
    _ONE, ZERO, Check, CellRef = formulas._ONE, formulas.ZERO, formulas.Check, formulas.CellRef
    Lin, SumLin, finish_check = formulas.Lin, formulas.SumLin, formulas.finish_check

    out = []
    width = len(row.cells)
    if store is None:
        for col in columns:
            if col >= width:
                continue
            reported = CellRef(table, row, row.cells[col])
            check = finish_check(Check("A201", "standard", "sum", table, reported, Lin([(_ONE, reported)]),
                                       SumLin(table, rows, col), "=", ZERO))
            if check is not None:
                out.append(check)
        return out
    own_position = store.position(row)
    positions = store.positions(rows)
    for col in columns:
        if col >= width:
            continue
        statuses, numbers, halves = store.column(col)
        own = statuses[own_position]
        if own == _TEXT or own == _ZERO_CELL:
            continue  # text: not a figure; an empty total is not a claim
        seen = set(map(statuses.__getitem__, positions))
        seen.discard(None)
        if _TEXT in seen or (len(seen) == 1 and _ZERO_CELL in seen):
            continue  # text among the rows, or nothing to add up
        reported = CellRef(table, row, row.cells[col])
        check = Check("A201", "standard", "sum", table, reported, Lin([(_ONE, reported)]),
                      SumLin(table, rows, col), "=", ZERO)
        if own != _NUMBER or not seen <= _FIGURES:
            out.append(finish_check(check))  # a missing or too large figure: skipped, with which
            continue
        total = ZERO + numbers[own_position]
        diff = total - sum(map(numbers.__getitem__, positions), ZERO)
        check.diff = diff + ZERO - ZERO  # as finish_check: the sides' constants
        check.slack = (ZERO + halves[own_position] + sum(map(halves.__getitem__, positions), ZERO)) + ZERO
        check.holds = abs(check.diff) <= check.slack
        out.append(check)
    return out


def _drop_structural_mismatches(checks: list) -> list:
    """In tables of counts and key figures the rows above a «Sum …» row are not always its parts
    (budget rows between actual rows, «Totalt liggedøgn» over rows of places). A default sum that
    fails in every column it was checked in is such a row, not an error; one that holds in
    some columns and fails in others is a real mistake (Sagene's «Sum utførte timer» in March)."""
    by_row: dict[int, list] = {}
    for check in checks:
        by_row.setdefault(id(check.reported.row), []).append(check)
    kept = []
    for row_checks in by_row.values():
        evaluated = [c for c in row_checks if not c.skipped]
        if len(evaluated) >= 2 and all(not c.holds for c in evaluated):
            continue
        kept.extend(row_checks)
    return kept


def _percent_group(table: "Table", group: tuple[str, ...], synonyms=None,
                   headers: list[str] | None = None) -> Iterable["Check"]:
    """Columns that end with the group's headers and share a prefix ("Heltid Menn %",
    "Heltid Kvinner %") must make 100 in every row. ``headers``: the table's folded headers."""
    from linter.formulas import Check, CellRef, Lin, finish_check
    from linter.normalize import fold

    if headers is None:
        headers = [fold(h, synonyms) for h in table.columns]
    suffixes = [fold(s, synonyms) for s in group]
    for index, header in enumerate(headers):
        if not index or not header.endswith(suffixes[0]):
            continue
        prefix = header[: len(header) - len(suffixes[0])]
        members = [index]
        for suffix in suffixes[1:]:
            # Headers repeated under a group row the import could not attach ("Menn %", "Kvinner %"
            # for Heltid, then for Deltid): the nearest such column is the partner.
            matches = [j for j, h in enumerate(headers) if j and h == prefix + suffix]
            if not matches:
                break
            match = min(matches, key=lambda j: (abs(j - index), j < index))
            members.append(match)
        if len(members) != len(suffixes):
            continue
        for row in table.rows:
            if any(col >= len(row.cells) for col in members):
                continue
            cells = [CellRef(table, row, row.cells[col]) for col in members]
            lhs = Lin([(Decimal(1), c) for c in cells])
            rhs = Lin([], Decimal(100))
            check = finish_check(Check("A204", "prosentgruppe", " + ".join(group) + " = 100", table, cells[0],
                                       lhs, rhs, "=", Decimal(0), mode="rows"))
            if check is not None:
                yield check


def _diagnose(checks: list["Check"]) -> list[Problem]:
    """Group the failing checks that share cells; blame one cell when exactly one cell explains
    every failure in its group and breaks nothing that holds."""
    failing = [c for c in checks if not c.holds and not c.skipped]
    # only cells of failing checks are grouped and blamed: index just those (most checks hold).
    # A cell is keyed by its identity (one Cell object per table position): no key tuple per term.
    wanted = {id(cell) for c in failing for side in (c.lhs, c.rhs) for cell in side.cells()}
    by_cell: dict[int, list] = {}
    if wanted:
        for check in checks:
            if check.skipped:
                continue
            keys = {id(cell) for cell in check.lhs.cells()}
            keys.update(id(cell) for cell in check.rhs.cells())
            for key in keys & wanted:
                by_cell.setdefault(key, []).append(check)
    # connected components of failing checks over shared cells
    parent = {id(c): id(c) for c in failing}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for key, members in by_cell.items():
        bad = [m for m in members if not m.holds]
        for other in bad[1:]:
            parent[find(id(other))] = find(id(bad[0]))
    components: dict[int, list] = {}
    for check in failing:
        components.setdefault(find(id(check)), []).append(check)

    problems = []
    for group in components.values():
        code = min((c.code for c in group), key=lambda c: CODE_ORDER.index(c) if c in CODE_ORDER else 99)
        blamed = _blame(group, by_cell)
        if blamed is not None:
            ref, value = blamed
            lhs_cells = {c.reported.key for c in group}
            problems.append(Problem(code, group, ref, value, diagnosed=True,
                                    fixable=ref.key in lhs_cells and all(c.op == "=" for c in group)))
        else:
            for check in group:
                problems.append(Problem(check.code, [check], check.reported))
    for check in checks:
        if check.skipped:
            problems.append(Problem(check.code, [check], check.missing[0]))
    return problems


def _blame(group: list["Check"], by_cell: dict) -> tuple["CellRef", Decimal] | None:
    if any(c.op != "=" for c in group):
        return None
    common = None
    refs = {}
    coefficients: dict[int, dict] = {}  # per check, once: a sum over 4000 rows has 4000 candidates

    def coefficient(check, key) -> Decimal:
        found = coefficients.get(id(check))
        if found is None:
            found = coefficients[id(check)] = {}
            for coef, ref in check.terms():
                found[id(ref.cell)] = found.get(id(ref.cell), Decimal(0)) + coef
        return found.get(key, Decimal(0))

    for check in group:
        keys = set()
        for _, ref in check.terms():
            keys.add(id(ref.cell))
            refs[id(ref.cell)] = ref
        common = keys if common is None else common & keys
    candidates = []
    for key in common or ():
        ref = refs[key]
        first = group[0]
        coef = coefficient(first, key)
        if coef == 0 or ref.cell.value.number is None and ref.cell.text:
            continue
        current = ref.cell.value.number if ref.cell.value.number is not None else Decimal(0)
        proposed = current - first.diff / coef
        exponent = ref.cell.value.number.as_tuple().exponent if ref.cell.value.number is not None else 0
        if isinstance(exponent, int):
            try:
                proposed = proposed.quantize(Decimal(1).scaleb(exponent))
            except ArithmeticError:  # decimal.InvalidOperation: no value of this precision fits
                continue
        change = current - proposed
        if all(c.within(c.diff - coefficient(c, key) * change) for c in by_cell.get(key, [])):
            candidates.append((ref, proposed))
    if len(candidates) == 1:
        return candidates[0]
    return None


# ------------------------------------------------------------------ formatting and findings

def _fmt(value: Decimal, example: str = "") -> str:
    from linter.parsing.numbers import format_like

    sample = example if example and any(ch.isdigit() for ch in example) else "1 000"
    if value != value.to_integral_value():
        exponent = value.normalize().as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        sample = "0," + "0" * decimals
    text = format_like(value, sample)
    return text.replace("%", "").strip() if "%" in text else text


def _plain(value: Decimal) -> str:
    """A Decimal as a plain JSON-able string ("-8756", "20.5"), never in exponent form."""
    return f"{value.normalize():f}"


def _cell_desc(ref: "CellRef") -> str:
    column = ref.table.columns[ref.cell.column] if ref.cell.column < len(ref.table.columns) else ""
    label = ref.row.label or f"rad {ref.row.index + 1}"
    return f"«{label}» / «{column}»" if column else f"«{label}»"


def _lines(refs: list["CellRef"]) -> str:
    lines = sorted({r.cell.span.line for r in refs})
    if not lines:
        return ""
    if len(lines) > 1 and lines == list(range(lines[0], lines[-1] + 1)):
        return f"{lines[0]}–{lines[-1]}"
    if len(lines) > 6:
        return ", ".join(map(str, lines[:5])) + ", …"
    return ", ".join(map(str, lines))


def _details(problem: Problem) -> dict[str, Any]:
    ref = problem.cell
    check = problem.checks[0]
    detail: dict[str, Any] = {
        "table": ref.table.id,
        "table_line": ref.table.span.line,
        "row": ref.row.index,
        "row_label": ref.row.label,
        "column": ref.cell.column,
        "column_header": ref.table.columns[ref.cell.column] if ref.cell.column < len(ref.table.columns) else None,
        "reported": ref.cell.text,
    }
    if problem.diagnosed:
        detail["computed"] = _plain(problem.should_be)
        detail["difference"] = _plain((ref.cell.value.number or Decimal(0)) - problem.should_be)
    elif not check.skipped:
        detail["computed"] = _plain(check.computed)
        detail["difference"] = _plain(check.diff)
    if check.structure:
        detail["structures_tried"] = check.structure[1]
    detail["slack"] = _plain(check.slack)
    detail["margin"] = _plain(check.margin)
    detail["checks"] = [
        {
            "code": c.code,
            "source": c.source,
            "relation": c.name,
            "reported_cell": {"table": c.reported.table.id, "line": c.reported.cell.span.line,
                              "column": c.reported.cell.column},
            "difference": _plain(c.diff),
            "slack": _plain(c.slack),
            "margin": _plain(c.margin),
            # which table, row and column each selector matched
            "terms": [
                {"table": r.table.id, "line": r.cell.span.line, "row": r.row.index, "label": r.row.label,
                 "column": r.cell.column,
                 "column_header": r.table.columns[r.cell.column] if r.cell.column < len(r.table.columns) else None,
                 "value": r.cell.text, "coefficient": _plain(coef)}
                for coef, r in c.terms()
            ],
        }
        for c in problem.checks
    ]
    detail["summed_rows"] = [
        {"label": r.row.label, "line": r.cell.span.line, "value": r.cell.text}
        for _, r in problem.checks[0].rhs.terms
    ]
    return detail


class _ArithmeticRule(Rule):
    family = "aritmetikk"
    missing_policy = "hopp_over"  # or "rapporter": a check with a missing cell is an error
    pack_settings = {"manglende": (Literal["hopp_over", "rapporter"], "hopp_over")}

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        from decimal import localcontext

        from linter.formulas import ARITHMETIC

        analysis = analyse(report, context.pack, context)
        policy = context.settings.get("manglende", self.missing_policy)
        findings = []
        with localcontext(ARITHMETIC):  # the messages compute differences too
            for problem in analysis.problems:
                if problem.code != self.code:
                    continue
                check = problem.checks[0]
                if check.skipped:
                    findings.append(self._skipped(report, problem, policy))
                else:
                    findings.append(self._failure(report, problem))
        return findings

    def _skipped(self, report, problem: Problem, policy: str) -> Finding:
        check = problem.checks[0]
        ref = problem.cell
        if check.too_large:
            from linter.formulas import MAX_DIGITS

            digits = sum(ch.isdigit() for ch in ref.cell.text)
            return self.finding(report, ref.cell.span, "too_large", details=_details(problem), cell=_cell_desc(ref),
                                digits=digits, most=MAX_DIGITS, relation=check.name, target=_cell_desc(check.reported))
        args: dict[str, Any] = dict(cell=_cell_desc(ref), value=ref.cell.text, relation=check.name,
                    target=_cell_desc(check.reported))
        return self.finding(report, ref.cell.span, "missing",
                            severity=self.severity if policy == "rapporter" else Severity.INFO,
                            details=_details(problem), **args)

    def _failure(self, report, problem: Problem) -> Finding:
        ref = problem.cell
        check = problem.checks[0]
        reported = ref.cell.value.number or Decimal(0)
        margin_nb = margin_en = ""
        if check.margin:
            margin_nb = f", herav margin {_fmt(check.margin)}"
            margin_en = f", margin {_fmt(check.margin)} included"
        if problem.diagnosed:
            fix = None
            if problem.fixable:
                from linter.parsing.numbers import format_like

                example = _neighbour_example(ref)
                # unsafe: it infers a financial figure from the others ("skal trolig være")
                fix = Fix(ref.cell.span.offset, ref.cell.span.end_offset, format_like(problem.should_be, example),
                          applicability="unsafe")
            relations = "; ".join(sorted({c.name for c in problem.checks}))
            return self.finding(
                report, ref.cell.span, "diagnosed" if len(problem.checks) > 1 else "diagnosed_one", fix=fix, details=_details(problem),
                cell=_cell_desc(ref), reported=ref.cell.text or "(tom)", computed=_fmt(problem.should_be, ref.cell.text),
                difference=_fmt(reported - problem.should_be), n=len(problem.checks), relations=relations,
            )
        terms = [r for _, r in check.rhs.terms]
        other_tables = sorted({r.table.id or r.table.title for r in terms if r.table is not ref.table})
        args: dict[str, Any] = dict(
            cell=_cell_desc(ref), reported=ref.cell.text or "(tom)", computed=_fmt(check.computed, ref.cell.text),
            difference=_fmt(check.diff), slack=_fmt(check.slack), margin_nb=margin_nb, margin_en=margin_en,
            relation=check.name, n=len(terms), lines=_lines(terms), tables=", ".join(other_tables),
            tried_nb=f"; ingen struktur forklarer summen, prøvde: {check.structure[0]}" if check.structure else "",
            tried_en=f"; no structure explains the total, tried: {check.structure[1]}" if check.structure else "",
        )
        return self.finding(report, ref.cell.span, self._message_key(check), details=_details(problem), **args)

    def _message_key(self, check) -> str:
        return "mismatch"


def _neighbour_example(ref: "CellRef") -> str:
    """The text of a neighbouring figure in the same column, so a fix looks like its neighbours
    (the wrong cell itself may lack the thousands space, as Sagene's "-10410")."""
    col = ref.cell.column
    best = ref.cell.text
    for row in ref.table.rows:
        if row is ref.row or col >= len(row.cells):
            continue
        cell = row.cells[col]
        if cell.value.thousands_separator:
            return cell.text
        if cell.value.has_number and not best:
            best = cell.text
    return best or "0"


_DIAGNOSED_ONE = (
    "{cell} er {reported}, men skal trolig være {computed} (avvik {difference}; {relations}): "
    "de andre tallene stemmer med sine kontroller",
    "{cell} is {reported} but should probably be {computed} (difference {difference}; {relations}): "
    "the other figures agree with their checks",
)
_MISSING = (
    "kontrollen {relation} for {target} er hoppet over: {cell} er «{value}» (mangler verdi)",
    "the check {relation} of {target} was skipped: {cell} is «{value}» (no value)",
)
_TOO_LARGE = (
    "kontrollen {relation} for {target} er hoppet over: {cell} har {digits} sifre, for mange til å regne med "
    "(høyst {most}); er tallet skrevet riktig?",
    "the check {relation} of {target} was skipped: {cell} has {digits} digits, too many to compute with "
    "(at most {most}); is the figure written correctly?",
)
_DIAGNOSED = (
    "{cell} er {reported}, men skal trolig være {computed} (avvik {difference}): {n} kontroller "
    "peker på denne cellen ({relations})",
    "{cell} is {reported} but should probably be {computed} (difference {difference}): {n} checks "
    "point at this cell ({relations})",
)


class SumMismatch(_ArithmeticRule):
    """En sumrad stemmer ikke med radene den summerer, også når avrunding er tatt med.

    Hvorfor: summene i økonomitabellene (Tabell 0.1, 0.1 B, hovedoversiktene per funksjonsområde),
    befolkningstabellene og rammeoversiktene er det leserne og kommunerevisjonen stoler på. Tall
    vises avrundet (oftest til 1000 kr); et vist tall v står for [v − ½, v + ½], så en sum av n
    avrundede tall kan avvike med inntil (n + 1)/2 uten at noe er galt. Større avvik er en feil.

    En rad som heter «Sum …», «Totalt» eller «I alt» summerer radene siden forrige sumrad eller
    grupperad, med mindre tabellens formel eller regelpakken sier noe annet. Delsummer uten
    «Sum» i navnet (en avdeling etter enhetene sine) kjennes igjen på tallene: en rad som i
    hver kolonne er summen av de to eller flere radene rett over den (innenfor avrundingen).
    En totalsum kontrolleres da mot delsummene; bare når ingen struktur (radene siden forrige
    sumrad, delsummene og radene etter dem, alle detaljradene) forklarer summen, er det et funn,
    og meldingen sier hvilke strukturer som ble prøvd. En tabell merket
    `ufullstendig=ja` (rader mangler, f.eks. etter import) summeres ikke.

    Feil:
        | Netto driftsutgifter | Regnskap 2024 |
        |---|---:|
        | Funksjonsområde 1 | 10 |
        | Funksjonsområde 2A | 20 |
        | Sum netto utgifter, drift | 40 |

    Riktig:
        | Netto driftsutgifter | Regnskap 2024 |
        |---|---:|
        | Funksjonsområde 1 | 10 |
        | Funksjonsområde 2A | 20 |
        | Sum netto utgifter, drift | 30 |

    Retting: når flere kontroller peker på samme sumcelle (kolonnesummen og Avvik-formelen i samme
    rad, for eksempel), og én verdi får alle til å stemme uten å bryte noe annet, skriver
    --fix --unsafe-fixes den verdien i cellen, formatert som nabocellene. Det er en usikker
    retting (den endrer et økonomisk tall): --fix alene lar den stå, og --diff --unsafe-fixes
    viser den først. Ellers rettes ingenting: da vet vi ikke om det er summen eller en av radene
    som er feil.
    """

    code = "A201"
    name = "sum-mismatch"
    severity = Severity.ERROR
    summary = ("Sum stemmer ikke med radene", "Sum does not match its rows")
    fixable = True
    messages = {
        "mismatch": (
            "{cell} er {reported}, men {n} rader (linje {lines}) summerer til {computed} "
            "(avvik {difference}, tillatt avrunding ±{slack}{margin_nb}){tried_nb}",
            "{cell} is {reported} but {n} rows (lines {lines}) add up to {computed} "
            "(difference {difference}, allowed rounding ±{slack}{margin_en}){tried_en}",
        ),
        "diagnosed": _DIAGNOSED,
        "diagnosed_one": _DIAGNOSED_ONE,
        "missing": _MISSING,
        "too_large": _TOO_LARGE,
    }


class FormulaMismatch(_ArithmeticRule):
    """En celle stemmer ikke med en formel i samme tabell (Avvik = Regulert budsjett − Regnskap,
    rammeoversiktens kjede, eller en formel i tabellens attributter).

    Hvorfor: Avvik-kolonnen og rammeoversiktens mellomsummer regnes ut fra andre tall i samme
    rad eller tabell; et avvik som ikke er differansen mellom budsjett og regnskap, forteller
    leseren noe annet enn regnskapet. Avrunding tas med som for summer.

    Formlene skrives i regelpakkens «relasjoner» eller i tabellens attributtlinje:
    {#t formel="kol('Avvik*') = kol('Regulert budsjett*') - kol('Regnskap {år}')"}.

    Feil:
        | Netto driftsutgifter | Regulert budsjett 2024 | Regnskap 2024 | Avvik 2024 |
        |---|---:|---:|---:|
        | Funksjonsområde 1 | 500 | 450 | 40 |

    Riktig:
        | Netto driftsutgifter | Regulert budsjett 2024 | Regnskap 2024 | Avvik 2024 |
        |---|---:|---:|---:|
        | Funksjonsområde 1 | 500 | 450 | 50 |

    Retting: som for A201: bare når kontrollene sammen peker ut én Avvik- eller sumcelle.
    """

    code = "A202"
    name = "formula-mismatch"
    severity = Severity.ERROR
    summary = ("Celle stemmer ikke med formelen", "Cell does not match its formula")
    fixable = True
    messages = {
        "mismatch": (
            "{cell} er {reported}, men {relation} gir {computed} "
            "(avvik {difference}, tillatt avrunding ±{slack}{margin_nb})",
            "{cell} is {reported} but {relation} gives {computed} "
            "(difference {difference}, allowed rounding ±{slack}{margin_en})",
        ),
        "diagnosed": _DIAGNOSED,
        "diagnosed_one": _DIAGNOSED_ONE,
        "missing": _MISSING,
        "too_large": _TOO_LARGE,
    }


class CrossTableMismatch(_ArithmeticRule):
    """Et tall som skal være likt i to tabeller, er ulikt (hver FO-tabells sumrad og FO-raden i
    Tabell 0.1 B, rammeoversikten og budsjettet per funksjonsområde).

    Hvorfor: hovedoversiktene per funksjonsområde «overføres hovedoversikten, tabell 0.1.B».
    Når tallene ikke stemmer, er én av tabellene feil, og leseren vet ikke hvilken. Avrunding
    tas med: summer av avrundede tall kan avvike litt.

    Feil:
        : Tall i 1000 kr {#fo3 type=økonomi fo=3}
        | Sum netto utgifter *) | 700 748 |
        : Tabell 0.1 B Netto driftsutgifter i 1000 kr. {#t0-1b type=økonomi}
        | Funksjonsområde 3 | 711 748 |

    Riktig:
        : Tall i 1000 kr {#fo3 type=økonomi fo=3}
        | Sum netto utgifter *) | 711 748 |
        : Tabell 0.1 B Netto driftsutgifter i 1000 kr. {#t0-1b type=økonomi}
        | Funksjonsområde 3 | 711 748 |

    Retting: bare når kontrollene sammen peker ut én sumcelle (se A201); når begge tabellene
    stemmer internt, vet vi ikke hvilken som er feil, og ingenting rettes.
    """

    code = "A203"
    name = "cross-table-mismatch"
    severity = Severity.ERROR
    summary = ("Tall stemmer ikke mellom tabeller", "Figures differ between tables")
    fixable = True
    messages = {
        "mismatch": (
            "{cell} er {reported}, men {tables} gir {computed} "
            "(avvik {difference}, tillatt avrunding ±{slack}{margin_nb}; {relation})",
            "{cell} is {reported} but {tables} gives {computed} "
            "(difference {difference}, allowed rounding ±{slack}{margin_en}; {relation})",
        ),
        "diagnosed": _DIAGNOSED,
        "diagnosed_one": _DIAGNOSED_ONE,
        "missing": _MISSING,
        "too_large": _TOO_LARGE,
    }


class PercentGroupNot100(_ArithmeticRule):
    """Andeler som skal utgjøre 100 % (Menn % + Kvinner %), gjør det ikke.

    Hvorfor: kjønnsbalansen i HMS-rapporteringen (4.7) oppgir andeler menn og kvinner; summen
    er 100 % når tallene er riktige. 32 % + 98 % = 130 % er en skrivefeil. Avrunding tas med:
    30,4 % + 69,7 % er innenfor.

    Feil:
        | Kategori | Menn % | Kvinner % |
        |---|---:|---:|
        | Totalt i virksomheten | 32 % | 98 % |

    Riktig:
        | Kategori | Menn % | Kvinner % |
        |---|---:|---:|
        | Totalt i virksomheten | 32 % | 68 % |
    """

    code = "A204"
    name = "percent-group-not-100"
    severity = Severity.ERROR
    summary = ("Andeler summerer ikke til 100 %", "Shares do not add up to 100 %")
    messages = {
        "mismatch": (
            "{cell}: andelene i raden summerer til {total} %, ikke 100 % "
            "(tillatt avrunding ±{slack})",
            "{cell}: the shares in the row add up to {total} %, not 100 % (allowed rounding ±{slack})",
        ),
        "diagnosed": _DIAGNOSED,
        "diagnosed_one": _DIAGNOSED_ONE,
        "missing": _MISSING,
        "too_large": _TOO_LARGE,
    }

    def _failure(self, report, problem: Problem) -> Finding:
        check = problem.checks[0]
        total = sum((coef * (r.cell.value.number or Decimal(0)) for coef, r in check.lhs.terms), Decimal(0))
        return self.finding(report, check.reported.cell.span, "mismatch", details=_details(problem),
                            cell=_cell_desc(check.reported), total=_fmt(total), slack=_fmt(check.slack))


class PrecisionFinerThanUnit(Rule):
    """Et tall er skrevet mer presist enn tabellens enhet (desimaler i en tabell i 1000 kr).

    Hvorfor: en tabell i hele 1000 kr viser avrundede tall; et tall med desimaler der er enten
    en skrivefeil (komma for mellomrom) eller et tall i en annen enhet. Det er ingen feil i
    summene, derfor bare til informasjon.

    Feil:
        : Tabell 0.1 B Netto driftsutgifter i 1000 kr. {#t0-1b type=økonomi enhet="1000 kr"}
        | Funksjonsområde 1 | 66 139,4 |

    Riktig:
        : Tabell 0.1 B Netto driftsutgifter i 1000 kr. {#t0-1b type=økonomi enhet="1000 kr"}
        | Funksjonsområde 1 | 66 139 |
    """

    code = "A205"
    name = "precision-finer-than-unit"
    family = "aritmetikk"
    severity = Severity.INFO
    summary = ("Tall mer presist enn enheten", "Figure more precise than the unit")
    messages = {
        "precise": (
            "«{text}» har {decimals} desimal(er), men tabellen er i hele {unit}",
            "«{text}» has {decimals} decimal(s) but the table is in whole {unit}",
        ),
    }
    WHOLE_UNITS = ("1000 kr", "1 000 kr", "tusen kroner", "i tusen kroner")

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        from linter.model import ValueKind

        for table in report.tables:
            unit = (table.unit or "").strip()
            if unit.casefold() not in self.WHOLE_UNITS:
                continue
            for row in table.rows:
                for cell in row.cells[1:]:
                    value = cell.value
                    if value.kind is not ValueKind.NUMBER or not value.decimal_separator or value.suspect_thousands_comma:
                        continue
                    exponent = value.number.as_tuple().exponent
                    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                    if decimals:
                        yield self.finding(report, cell.span, "precise", text=cell.text, decimals=decimals, unit=unit,
                                           details={"table": table.id, "row": row.index, "column": cell.column})


class InvalidTableFormula(Rule):
    """En formel i tabellens attributtlinje (formel="...") kan ikke leses.

    Hvorfor: en formel som ikke kan leses, kontrollerer ingenting; uten denne meldingen ville
    feilen gå upåaktet hen. Formelspråket er beskrevet i docs/formulas.md.

    Feil:
        : {#t type=økonomi formel="rad('Sum') = sum(rad('A') .. )"}

    Riktig:
        : {#t type=økonomi formel="rad('Sum') = sum(rad('A') .. rad('C'))"}
    """

    code = "A206"
    name = "invalid-table-formula"
    family = "aritmetikk"
    severity = Severity.ERROR
    summary = ("Ugyldig formel i tabellen", "Invalid formula in the table")
    messages = {
        "invalid": ("ugyldig formel i {table}: {error}", "invalid formula in {table}: {error_en}"),
    }

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        for table, error in analyse(report, context.pack, context).formula_errors:
            span = table.caption.attributes_span or table.caption.span
            yield self.finding(report, span, "invalid", table=table.id or table.title,
                               error=error.message_nb, error_en=error.message_en,
                               details={"table": table.id})


class RelationNotRun(Rule):
    """En relasjon som regelpakken eller tabellen erklærer, ble ikke kontrollert noe sted i
    rapporten: tabellen, raden eller kolonnen den viser til, finnes ikke.

    Hvorfor: en kontroll som ikke finner det den skal kontrollere, må ikke se ut som en kontroll
    som fant alt i orden. Meldingen sier hvilken velger (tabell, rad(...) eller kol(...)) som ikke
    fant noe, og hvilke titler, radnavn eller kolonneoverskrifter i filen som ligner mest; ofte
    er det en skrivemåte regelpakken bør kjenne (et synonym), eller en tabell som mangler.
    Velgere sammenlignes på normalisert form (store/små bokstaver, mellomrom, bindestreker,
    tegnsetting og pakkens synonymer), så små forskjeller i skrivemåte stopper ingen kontroll.
    En relasjon merket `valgfri: true` i pakken, eller en som ingen tabell i rapporten er valgt
    for (pakkens «tabeller»), gir ingen melding, men står i dekningsoversikten (`--format json`,
    `--statistics`).

    Feil:
        : Tabell 0.1 B Netto driftsutgifter i 1000 kr. {#t0-1b type=økonomi}
        | Netto driftsutgifter | Regnskap 2024 | Budsjettavvik |
        |---|---:|---:|
        | Funksjonsområde 1 | 450 | 50 |

    Riktig:
        : Tabell 0.1 B Netto driftsutgifter i 1000 kr. {#t0-1b type=økonomi}
        | Netto driftsutgifter | Regulert budsjett 2024 | Regnskap 2024 | Avvik 2024 |
        |---|---:|---:|---:|
        | Funksjonsområde 1 | 500 | 450 | 50 |
    """

    code = "A207"
    name = "relation-not-run"
    family = "aritmetikk"
    severity = Severity.INFO
    summary = ("Relasjon ble ikke kontrollert", "Relationship was not checked")
    messages = {
        "not_run": (
            "relasjonen «{relation}» ble ikke kontrollert: {reason}{near_nb}",
            "the relationship «{relation}» was not checked: {reason_en}{near_en}",
        ),
    }

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        analysis = analyse(report, context.pack, context)
        for run in analysis.relations:
            # A relation whose «tabeller» match no table does not apply to this report (the
            # coverage summary still lists it); one whose tables are here but whose rows, columns
            # or other table are not is a check that could not run.
            if run.ran or run.optional or not (run.tables or run.incomplete):
                continue
            reason_nb, reason_en, selector, candidates = analysis.not_run_reason(run)
            near = ", ".join(f"«{c}»" for c in candidates)
            table = (run.tables or run.incomplete or [None])[0]
            yield self.finding(
                report, _relation_span(report, table), "not_run",
                relation=run.name, reason=reason_nb, reason_en=reason_en,
                near_nb=f" (nærmest i filen: {near})" if near else "",
                near_en=f" (closest in the file: {near})" if near else "",
                details={"relation": run.name, "formula": run.formula, "source": run.source,
                         "selector": selector, "candidates": candidates,
                         "tables": [t.id for t in run.tables],
                         "table": table.id if table is not None else None},
            )


def _relation_span(report: "Report", table: "Table | None"):
    """The table's caption (or first line), else the front matter, else the file's first line."""
    from linter.model import Span

    if table is not None:
        if table.caption is not None:
            return table.caption.attributes_span or table.caption.span
        return table.header.span
    if report.front_matter is not None:
        span = report.front_matter.span
        return Span(span.line, span.column, span.line, span.column, span.offset, span.offset)
    return Span(1, 1, 1, 1, 0, 0)


NUMBER_TABLE_TYPES = ("økonomi", "indikatorer")  # where text in a number column is a finding (A209)


def number_columns(table: "Table") -> list[int]:
    """Columns (not the label column) where at least half of the filled cells are figures."""
    from linter.model import ValueKind

    figures = (ValueKind.NUMBER, ValueKind.PERCENT, ValueKind.TARGET)
    out = []
    for col in range(1, len(table.columns)):
        filled = [row.cells[col].value.kind for row in table.rows
                  if col < len(row.cells) and row.cells[col].value.kind is not ValueKind.EMPTY]
        numbers = sum(kind in figures for kind in filled)
        if numbers and numbers * 2 >= len(filled):
            out.append(col)
    return out


_IRREGULAR_NB = {
    "valuta": "valuta i cellen (enheten hører hjemme i tabellens enhet)",
    "strek": "«,-» etter beløpet",
    "parentes": "parentes, lest som minus",
    "bokstav": "bokstaven O, I eller l i stedet for et siffer",
}
_IRREGULAR_EN = {
    "valuta": "a currency in the cell (the unit belongs in the table's unit)",
    "strek": "«,-» after the amount",
    "parentes": "parentheses, read as minus",
    "bokstav": "the letter O, I or l for a digit",
}


class AmountWrittenIrregularly(Rule):
    """Et beløp er skrevet med valuta, «,-», regnskapsparentes eller bokstaver for sifre.

    Hvorfor: «311 000 kr», «kr 311 000», «311 000,-», «(311 000)» og «311 OOO» leses av
    mennesker, men er ikke tallformatet rapportene ellers bruker; en maskin (og et regneark)
    kan lese dem feil eller ikke i det hele tatt. Cellen leses likevel, så summene kontrolleres
    med den (parentes betyr minus, som i regnskap), og dette funnet sier hva som ble lest.
    En kolonne der alle beløpene har valuta («kr 501 522,20» i hele kolonnen, som i malens
    lønnstabell), følger en konvensjon og gir ikke funn.

    Feil:
        | Post | Regnskap 2024 |
        |---|---:|
        | Lønn | 311 000 kr |
        | Refusjoner | (11 000) |

    Riktig:
        | Post | Regnskap 2024 |
        |---|---:|
        | Lønn | 311 000 |
        | Refusjoner | -11 000 |

    Retting: --fix skriver tallet slik cellen ble lest, formatert som nabocellene i kolonnen.
    """

    code = "A208"
    name = "amount-written-irregularly"
    family = "aritmetikk"
    severity = Severity.WARNING
    summary = ("Beløp skrevet uvanlig", "Amount written irregularly")
    fixable = True
    messages = {
        "irregular": (
            "«{text}» er lest som {value}: {how}; skriv bare tallet",
            "«{text}» was read as {value}: {how_en}; write the figure alone",
        ),
    }

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        from linter.parsing.numbers import format_like

        from linter.formulas import CellRef

        for table in report.tables:
            if table.type is None:
                continue
            convention = None  # the currency columns, found only for a table with an irregular figure
            for row in table.rows:
                for cell in row.cells[1:]:
                    if not cell.value.irregular:
                        continue
                    if convention is None and "valuta" in cell.value.irregular:
                        convention = _currency_columns(table)
                    notes = [n for n in cell.value.irregular if n in _IRREGULAR_NB
                             and not (n == "valuta" and convention is not None and cell.column in convention)]
                    if not notes or cell.value.number is None:
                        continue
                    example = _neighbour_example(CellRef(table, row, cell))
                    if parse_irregular(example) or not example.strip():
                        example = "1 000"
                    exponent = cell.value.number.as_tuple().exponent
                    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                    if decimals:
                        example = "1 000," + "0" * decimals
                    value = format_like(cell.value.number, example)
                    yield self.finding(
                        report, cell.span, "irregular",
                        fix=Fix(cell.span.offset, cell.span.end_offset, value),
                        text=cell.text, value=value,
                        how="; ".join(_IRREGULAR_NB[n] for n in notes),
                        how_en="; ".join(_IRREGULAR_EN[n] for n in notes),
                        details={"table": table.id, "row": row.index, "row_label": row.label,
                                 "column": cell.column, "column_header": table.columns[cell.column]
                                 if cell.column < len(table.columns) else None,
                                 "read_as": _plain(cell.value.number), "irregular": notes},
                    )


def _currency_columns(table: "Table") -> set[int]:
    """Columns where every figure carries its currency («kr 501 522,20» throughout, as the HMS
    template prints it): a convention of the table, not an irregular cell."""
    out = set()
    for col in range(1, len(table.columns)):
        figures = [row.cells[col].value for row in table.rows
                   if col < len(row.cells) and row.cells[col].value.number is not None]
        if figures and all("valuta" in v.irregular for v in figures):
            out.add(col)
    return out


def parse_irregular(text: str) -> bool:
    from linter.parsing.numbers import parse_cell_value

    return bool(parse_cell_value(text).irregular)


class TextInNumberColumn(Rule):
    """Tekst i en tallkolonne i en økonomi- eller indikatortabell.

    Hvorfor: en celle som ikke er et tall, kan ikke være med i summer, Avvik-formler eller
    sammenligninger med måltall; uten dette funnet ville kontrollene hoppe over den uten et
    ord. Plassholdere som «NA», «N/A», «(N)», «-», «–», «—» og «..» betyr «ingen verdi» og er
    ikke tekst; et beløp med valuta eller parentes leses (se A208).

    Feil:
        | Netto driftsutgifter | Regnskap 2024 |
        |---|---:|
        | Funksjonsområde 1 | ca. 450 |
        | Funksjonsområde 2A | 700 |

    Riktig:
        | Netto driftsutgifter | Regnskap 2024 |
        |---|---:|
        | Funksjonsområde 1 | 450 |
        | Funksjonsområde 2A | 700 |
    """

    code = "A209"
    name = "text-in-number-column"
    family = "aritmetikk"
    severity = Severity.WARNING
    summary = ("Tekst i en tallkolonne", "Text in a number column")
    pack_settings = {"tabelltyper": (list[str], list(NUMBER_TABLE_TYPES))}
    messages = {
        "text": (
            "«{text}» i tallkolonnen «{header}» er ikke et tall: cellen er ikke med i summer og "
            "kontroller (skriv tallet, eller «NA» / «-» når det ikke finnes et tall)",
            "«{text}» in the number column «{header}» is not a number: the cell takes no part in sums "
            "and checks (write the figure, or «NA» / «-» when there is none)",
        ),
    }

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        from linter.model import ValueKind

        types = tuple(context.settings.get("tabelltyper", NUMBER_TABLE_TYPES))
        for table in report.tables:
            if table.type not in types:
                continue
            for col in number_columns(table):
                header = table.columns[col]
                for row in table.rows:
                    if col >= len(row.cells):
                        continue
                    cell = row.cells[col]
                    if cell.value.kind is not ValueKind.TEXT:
                        continue
                    yield self.finding(report, cell.span, "text", text=cell.text, header=header,
                                       details={"table": table.id, "row": row.index, "row_label": row.label,
                                                "column": col, "column_header": header})
