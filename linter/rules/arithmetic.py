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
from typing import TYPE_CHECKING, Any, Iterable, Literal

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
class Analysis:
    checks: list["Check"] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    formula_errors: list[tuple["Table", Any]] = field(default_factory=list)  # (table, FormulaError)


_CACHE: dict[int, tuple["Report", str | None, Analysis]] = {}


def analyse(report: "Report", pack: "RulePack | None") -> Analysis:
    """Every relationship of the report, evaluated once (the A2 rules share it)."""
    key = id(report)
    cached = _CACHE.get(key)
    pack_id = pack.id if pack else None
    if cached and cached[0] is report and cached[1] == pack_id:
        return cached[2]
    from decimal import localcontext

    from linter.formulas import ARITHMETIC

    with localcontext(ARITHMETIC):
        analysis = _analyse(report, pack)
    _CACHE.clear()  # one report at a time: keep memory flat over a large run
    _CACHE[key] = (report, pack_id, analysis)
    return analysis


def _relations_config(pack: "RulePack | None") -> dict:
    return dict(pack.get("relasjoner") or {}) if pack else {}


def _analyse(report: "Report", pack: "RulePack | None") -> Analysis:
    from linter.formulas import Evaluator, FormulaError, parse_formula, table_matches

    config = _relations_config(pack)
    evaluator = Evaluator(report)
    analysis = Analysis()
    standard = config.get("standardsum") or {}
    sum_types = tuple(standard.get("tabelltyper", DEFAULT_SUM_TYPES)) if pack else DEFAULT_SUM_TYPES
    not_summable = tuple(standard.get("ikke_summerbare_kolonner", DEFAULT_NOT_SUMMABLE))
    groups = [tuple(g) for g in config.get("prosentgrupper", DEFAULT_PERCENT_GROUPS if not pack else ())]
    pack_formulas = []
    for entry in config.get("formler", []) or []:
        pack_formulas.append((entry, parse_formula(entry["formel"])))  # validated at pack load

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
                own.extend(evaluator.evaluate(relation, table, code=None, source="formel", name=part,
                                              skip_columns=not_summable))
        _claim(own, claimed, set())
        analysis.checks.extend(own)
        if table.incomplete:
            continue  # rows are missing (e.g. left as raw text by the importer): no sum can be trusted
        # (2) the rule pack's relationships
        from_pack: list = []
        variables = evaluator.variables(table)
        for entry, relation in pack_formulas:
            if not table_matches(table, dict(entry.get("tabeller") or {}), variables):
                continue
            margin = Decimal(str(entry["margin"])) if entry.get("margin") is not None else None
            for check in evaluator.evaluate(relation, table, code=entry.get("kode"), source="pakke",
                                            name=entry.get("navn") or entry["formel"], margin=margin,
                                            skip_columns=not_summable):
                check.description = entry.get("beskrivelse")
                from_pack.append(check)
        kept = _claim(from_pack, claimed, set(claimed))
        analysis.checks.extend(kept)
        # (3) the default sums
        if table.type in sum_types or (table.type is None and not pack):
            defaults = list(_default_sums(table, not_summable))
            if table.type not in MONEY_TYPES:
                defaults = _drop_structural_mismatches(defaults)
            analysis.checks.extend(_claim(defaults, claimed, set(claimed)))
        for group in groups:
            analysis.checks.extend(_percent_group(table, group))
    analysis.problems = _diagnose(analysis.checks)
    return analysis


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


def _default_sums(table: "Table", not_summable: tuple[str, ...]) -> Iterable["Check"]:
    from linter.formulas import Check, CellRef, Lin, finish_check, glob_match, is_group_row, is_sum_label

    columns = [i for i, header in enumerate(table.columns)
               if i and not any(glob_match(p, header) for p in not_summable)]
    block: list = []
    for row in table.rows:
        label = row.label.strip()
        if is_sum_label(label):
            details = [r for r in block if not r.label.strip().casefold().startswith(PART_OF_LABELS)]
            if details:
                for col in columns:
                    if col >= len(row.cells):
                        continue
                    lhs = Lin([(Decimal(1), CellRef(table, row, row.cells[col]))])
                    rhs = Lin([(Decimal(1), CellRef(table, r, r.cells[col])) for r in details if col < len(r.cells)])
                    check = finish_check(Check("A201", "standard", "sum", table, lhs.terms[0][1], lhs, rhs, "=",
                                               Decimal(0)))
                    if check is not None:
                        yield check
            block = []
        elif is_group_row(row):
            block = []
        else:
            block.append(row)


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


def _percent_group(table: "Table", group: tuple[str, ...]) -> Iterable["Check"]:
    """Columns that end with the group's headers and share a prefix ("Heltid Menn %",
    "Heltid Kvinner %") must make 100 in every row."""
    from linter.formulas import Check, CellRef, Lin, finish_check, normalise

    headers = [normalise(h) for h in table.columns]
    suffixes = [normalise(s) for s in group]
    for index, header in enumerate(headers):
        if not index or not header.endswith(suffixes[0]):
            continue
        prefix = header[: len(header) - len(suffixes[0])]
        members = [index]
        for suffix in suffixes[1:]:
            match = next((j for j, h in enumerate(headers) if j and h == prefix + suffix), None)
            if match is None:
                break
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
    by_cell: dict[tuple, list] = {}
    for check in checks:
        if check.skipped:
            continue
        for key in {ref.key for _, ref in check.terms()}:
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
                found[ref.key] = found.get(ref.key, Decimal(0)) + coef
        return found.get(key, Decimal(0))

    for check in group:
        keys = set()
        for _, ref in check.terms():
            keys.add(ref.key)
            refs[ref.key] = ref
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
            "terms": [
                {"table": r.table.id, "line": r.cell.span.line, "row": r.row.index, "label": r.row.label,
                 "column": r.cell.column, "value": r.cell.text, "coefficient": _plain(coef)}
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

        analysis = analyse(report, context.pack)
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
    grupperad, med mindre tabellens formel eller regelpakken sier noe annet. En tabell merket
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
    rad, for eksempel), og én verdi får alle til å stemme uten å bryte noe annet, skriver --fix
    den verdien i cellen, formatert som nabocellene. Ellers rettes ingenting: da vet vi ikke om
    det er summen eller en av radene som er feil.
    """

    code = "A201"
    name = "sum-mismatch"
    severity = Severity.ERROR
    summary = ("Sum stemmer ikke med radene", "Sum does not match its rows")
    fixable = True
    messages = {
        "mismatch": (
            "{cell} er {reported}, men {n} rader (linje {lines}) summerer til {computed} "
            "(avvik {difference}, tillatt avrunding ±{slack}{margin_nb})",
            "{cell} is {reported} but {n} rows (lines {lines}) add up to {computed} "
            "(difference {difference}, allowed rounding ±{slack}{margin_en})",
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
        for table, error in analyse(report, context.pack).formula_errors:
            span = table.caption.attributes_span or table.caption.span
            yield self.finding(report, span, "invalid", table=table.id or table.title,
                               error=error.message_nb, error_en=error.message_en,
                               details={"table": table.id})
