"""The formula language of the arithmetic rules: parsing (grammars/formula.lark) and evaluation
over a report's tables with the interval rule for rounded figures.

A relationship is evaluated as linear combinations of cells: every side is Σ coefficient × cell +
constant, so the allowed slack is Σ |coefficient| × (the cell's unit / 2), and a suspected wrong
cell can be solved for exactly. Decimal only; nothing is ever passed to eval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Context, Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from linter.model import MAX_DIGITS, Cell, CellValue, Row, Table, ValueKind
from linter.normalize import NO_SYNONYMS, Synonyms, fold, glob_match

if TYPE_CHECKING:
    from linter.model import Report


class FormulaError(Exception):
    def __init__(self, message_nb: str, message_en: str, column: int | None = None):
        self.message_nb = message_nb
        self.message_en = message_en
        self.column = column
        super().__init__(message_en)


# ------------------------------------------------------------------ syntax tree

@dataclass(frozen=True, slots=True)
class Selector:
    kind: str  # "row" | "col"
    pattern: str
    optional: bool = False


@dataclass(frozen=True, slots=True)
class TableSel:
    id: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()
    plural: bool = False


@dataclass(frozen=True, slots=True)
class Ref:
    table: TableSel | None
    row: Selector | None
    col: Selector | None


@dataclass(frozen=True, slots=True)
class Num:
    value: Decimal


@dataclass(frozen=True, slots=True)
class Neg:
    operand: object


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str  # "+", "-", "*"
    left: object
    right: object


@dataclass(frozen=True, slots=True)
class Total:
    ref: Ref
    until: Ref | None = None  # sum(a .. b): the rows from a to b


@dataclass(frozen=True, slots=True)
class Relation:
    lhs: object
    op: str  # "=", "<=", ">="
    rhs: object
    margin: Decimal | None
    text: str
    shape: tuple[str, bool, bool] = field(init=False, compare=False, repr=False)  # (mode, crosses, has sum)

    def refs(self) -> list[Ref]:
        found: list[Ref] = []

        def walk(node):
            if isinstance(node, Ref):
                found.append(node)
            elif isinstance(node, Total):
                found.append(node.ref)
                if node.until:
                    found.append(node.until)
            elif isinstance(node, Neg):
                walk(node.operand)
            elif isinstance(node, BinOp):
                walk(node.left)
                walk(node.right)

        walk(self.lhs)
        walk(self.rhs)
        return found

    @property
    def mode(self) -> str:
        """'cols' (a row relation checked in every column), 'rows' (a column relation checked in
        every row) or 'cell'."""
        return self._shape()[0]

    @property
    def crosses_tables(self) -> bool:
        return self._shape()[1]

    @property
    def has_sum(self) -> bool:
        return self._shape()[2]

    def _shape(self) -> tuple[str, bool, bool]:
        # read for every table and point a relationship is evaluated at: walked once, when built
        return self.shape

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", (self._mode(), self._crosses_tables(), self._has_sum()))

    def _mode(self) -> str:
        refs = self.refs()
        if any(r.col is None for r in refs):
            return "cols"
        if any(r.row is None for r in refs):
            return "rows"
        return "cell"

    def _crosses_tables(self) -> bool:
        return any(r.table is not None for r in self.refs())

    def _has_sum(self) -> bool:
        def walk(node):
            if isinstance(node, Total):
                return True
            if isinstance(node, Neg):
                return walk(node.operand)
            if isinstance(node, BinOp):
                return walk(node.left) or walk(node.right)
            return False

        return walk(self.rhs) or walk(self.lhs)


@cache
def _parser():
    from lark import Lark

    from linter.resources import grammars_dir

    return Lark.open(str(grammars_dir() / "formula.lark"), parser="lalr", lexer="contextual",
                     maybe_placeholders=False, cache=True)


# A formula nests one level per operator; deeper than this is no real relationship, and building
# or evaluating it recursively would exhaust Python's stack.
MAX_FORMULA_DEPTH = 200


def _decimal(text: str) -> Decimal:
    value = Decimal(text.replace(",", "."))
    if too_large(value):
        raise FormulaError(f"tallet {text[:20]}… har for mange sifre (høyst {MAX_DIGITS})",
                           f"the number {text[:20]}… has too many digits (at most {MAX_DIGITS})")
    return value


def _too_deep(tree) -> bool:
    from lark import Tree

    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_FORMULA_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return False


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


@lru_cache(maxsize=1024)
def parse_formula(text: str) -> Relation:
    """Parse one relationship; FormulaError (with the column) when it is malformed.

    The outcome is kept on disk (linter/cache.py, keyed by this module's source and the
    grammar's): a first check then neither loads the formula grammar nor parses the pack's
    formulas again. ``parse_formulas`` writes what was parsed afresh."""
    stored = _stored_formulas()
    encoded = stored.get(text)
    if encoded is not None:
        try:
            decoded = _decode_outcome(encoded, text)
        except (TypeError, ValueError, KeyError, IndexError, ArithmeticError):
            decoded = None  # a damaged entry: parse afresh
        if isinstance(decoded, FormulaError):
            raise decoded
        if decoded is not None:
            return decoded
    try:
        relation = _parse_formula(text)
    except FormulaError as exc:
        _remember_formula(text, ["error", exc.message_nb, exc.message_en, exc.column])
        raise
    _remember_formula(text, _encode(relation))
    return relation


def parse_formulas(texts) -> list["Relation | FormulaError"]:
    """Each formula parsed (or its FormulaError), the new outcomes written to the disk cache once."""
    out: list[Relation | FormulaError] = []
    for text in texts:
        try:
            out.append(parse_formula(text))
        except FormulaError as exc:
            out.append(exc)
    flush_formulas()
    return out


# ------------------------------------------------------------------ the formulas kept on disk

_FORMULA_CACHE_LIMIT = 4096  # formulas kept (pack formulas and tables' own); beyond it, no new ones
_formula_store: dict[str, list] | None = None
_formula_store_key: str | None = None
_formula_store_dirty = False


def _stored_formulas() -> dict[str, list]:
    global _formula_store, _formula_store_key
    if _formula_store is None:
        from linter import cache
        from linter.resources import grammars_dir

        _formula_store = {}
        source = cache.source_key(__file__, str(grammars_dir() / "formula.lark"))
        if source is not None:
            _formula_store_key = cache.key_for("formulas", source)
            found = cache.get("formulas", _formula_store_key, slot="formulas")
            if isinstance(found, dict):
                _formula_store = found
    return _formula_store


def _remember_formula(text: str, encoded: list) -> None:
    global _formula_store_dirty
    store = _stored_formulas()
    if _formula_store_key is not None and len(store) < _FORMULA_CACHE_LIMIT:
        store[text] = encoded
        _formula_store_dirty = True


def flush_formulas() -> None:
    """Write the formulas parsed afresh since the last write (if any)."""
    global _formula_store_dirty
    if _formula_store_dirty and _formula_store_key is not None and _formula_store is not None:
        from linter import cache

        cache.put("formulas", _formula_store_key, _formula_store, slot="formulas")
        _formula_store_dirty = False


def _encode(node) -> list:
    if isinstance(node, Relation):
        return ["relation", _encode(node.lhs), node.op, _encode(node.rhs),
                None if node.margin is None else str(node.margin)]
    if isinstance(node, Num):
        return ["num", str(node.value)]
    if isinstance(node, Neg):
        return ["neg", _encode(node.operand)]
    if isinstance(node, BinOp):
        return ["op", node.op, _encode(node.left), _encode(node.right)]
    if isinstance(node, Total):
        return ["total", _encode(node.ref), None if node.until is None else _encode(node.until)]
    if isinstance(node, Ref):
        table = None if node.table is None else [node.table.id, [list(a) for a in node.table.attrs], node.table.plural]
        return ["ref", table, _encode_selector(node.row), _encode_selector(node.col)]
    raise TypeError(node)


def _encode_selector(sel: Selector | None):
    return None if sel is None else [sel.kind, sel.pattern, sel.optional]


def _decode_outcome(encoded: list, text: str) -> "Relation | FormulaError":
    if encoded[0] == "error":
        _, message_nb, message_en, column = encoded
        return FormulaError(message_nb, message_en, column)
    _, lhs, op, rhs, margin = encoded
    return Relation(_decode(lhs), op, _decode(rhs), None if margin is None else Decimal(margin), text)


def _decode(encoded: list):
    kind = encoded[0]
    if kind == "num":
        return Num(Decimal(encoded[1]))
    if kind == "neg":
        return Neg(_decode(encoded[1]))
    if kind == "op":
        return BinOp(encoded[1], _decode(encoded[2]), _decode(encoded[3]))
    if kind == "total":
        return Total(_decode(encoded[1]), None if encoded[2] is None else _decode(encoded[2]))
    if kind == "ref":
        _, table, row, col = encoded
        if table is not None:
            table = TableSel(table[0], tuple((str(n), str(v)) for n, v in table[1]), bool(table[2]))
        return Ref(table, None if row is None else Selector(*row), None if col is None else Selector(*col))
    raise ValueError(kind)


def _parse_formula(text: str) -> Relation:
    from lark import Token, Tree
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    try:
        tree = _parser().parse(text)
    except UnexpectedEOF:
        raise FormulaError("formelen slutter for tidlig", "the formula ends too early", len(text) + 1) from None
    except UnexpectedCharacters as exc:
        raise FormulaError(f"uventet tegn «{text[exc.pos_in_stream]}» i kolonne {exc.column}",
                           f"unexpected character «{text[exc.pos_in_stream]}» at column {exc.column}", exc.column) from None
    except UnexpectedToken as exc:
        token = exc.token
        if token.type == "$END":
            raise FormulaError("formelen slutter for tidlig", "the formula ends too early", len(text) + 1) from None
        raise FormulaError(f"uventet «{token}» i kolonne {token.column}",
                           f"unexpected «{token}» at column {token.column}", token.column) from None
    except UnexpectedInput as exc:  # pragma: no cover - other lark input errors
        raise FormulaError(f"ugyldig formel: {exc}", f"invalid formula: {exc}") from None
    if _too_deep(tree):
        raise FormulaError(f"formelen har for mange ledd eller nivåer (høyst {MAX_FORMULA_DEPTH}); del den opp",
                           f"the formula has too many terms or levels (at most {MAX_FORMULA_DEPTH}); split it up")

    def build(node):
        if isinstance(node, Token):
            raise FormulaError(f"uventet «{node}»", f"unexpected «{node}»")
        kind = node.data
        if kind == "number":
            return Num(_decimal(node.children[0]))
        if kind == "neg":
            return Neg(build(node.children[0]))
        if kind in ("add", "sub"):
            return BinOp("+" if kind == "add" else "-", build(node.children[0]), build(node.children[1]))
        if kind == "mul":
            left, right = build(node.children[0]), build(node.children[2])
            if not isinstance(left, Num) and not isinstance(right, Num):
                raise FormulaError("× er bare lov med et tall på én side", "× needs a number on one side")
            return BinOp("*", left, right)
        if kind == "total":
            arg = node.children[0]
            if isinstance(arg, Tree) and arg.data == "range":
                first, last = build(arg.children[0]), build(arg.children[1])
                if first.row is None or last.row is None:
                    raise FormulaError("et område (a .. b) går fra en rad til en rad",
                                       "a range (a .. b) goes from a row to a row")
                return Total(first, last)
            return Total(build(arg))
        if kind == "ref":
            table = None
            row = col = None
            for child in node.children:
                if child.data in ("table_id", "table_sel"):
                    table = build_table(child)
                    continue
                word, pattern = child.children
                sel = Selector("row" if word.startswith("rad") else "col", _unquote(pattern), word.endswith("?"))
                if sel.kind == "row":
                    if row is not None:
                        raise FormulaError("to rad(...) i samme referanse", "two rad(...) in one reference")
                    row = sel
                else:
                    if col is not None:
                        raise FormulaError("to kol(...) i samme referanse", "two kol(...) in one reference")
                    col = sel
            if row is None and col is None:
                raise FormulaError("en tabellreferanse trenger rad(...) eller kol(...)",
                                   "a table reference needs rad(...) or kol(...)")
            return Ref(table, row, col)
        if kind == "relation":
            raise AssertionError("nested relation")
        if len(node.children) == 1:
            return build(node.children[0])
        raise FormulaError(f"ukjent uttrykk {kind}", f"unknown expression {kind}")

    def build_table(node) -> TableSel:
        if node.data == "table_id":
            return TableSel(id=str(node.children[0]))
        word = str(node.children[0])
        attrs = []
        for attr in node.children[1:]:
            name, value = attr.children
            if str(name) not in ("id", "type", "fo", "tittel", "enhet"):
                raise FormulaError(f"ukjent tabellattributt «{name}» (bruk id, type, fo, tittel, enhet)",
                                   f"unknown table attribute «{name}» (use id, type, fo, tittel, enhet)")
            attrs.append((str(name), _unquote(value)))
        return TableSel(attrs=tuple(attrs), plural=word == "tabeller")

    lhs_tree, comparator, rhs_tree, *rest = tree.children
    margin = None
    if rest:
        margin = _decimal(rest[0].children[1])
    op = {"≤": "<=", "≥": ">="}.get(str(comparator), str(comparator))
    relation = Relation(build(lhs_tree), op, build(rhs_tree), margin, text)
    refs = relation.refs()
    if not refs:
        raise FormulaError("formelen viser ikke til noen celler", "the formula refers to no cells")
    if any(r.col is None for r in refs) and any(r.row is None for r in refs):
        raise FormulaError("formelen blander rad- og kolonnereferanser uten celle (bruk rad(...).kol(...))",
                           "the formula mixes row and column references (use rad(...).kol(...))")
    for ref in refs:
        if ref.table and ref.table.plural and not _inside_total(relation, ref):
            raise FormulaError("tabeller(...) gir flere tabeller og må stå i sum(...)",
                               "tabeller(...) gives several tables and must be inside sum(...)")
    return relation


def _inside_total(relation: Relation, ref: Ref) -> bool:
    def walk(node, inside):
        if isinstance(node, Ref):
            return inside and node is ref
        if isinstance(node, Total):
            return node.ref is ref or node.until is ref
        if isinstance(node, Neg):
            return walk(node.operand, inside)
        if isinstance(node, BinOp):
            return walk(node.left, inside) or walk(node.right, inside)
        return False

    return walk(relation.lhs, False) or walk(relation.rhs, False)


# ------------------------------------------------------------------ matching labels and headers

def normalise(text: str, footnotes: bool = True) -> str:
    """The folded form of a label or header without synonyms (see linter/normalize.py)."""
    return fold(text, None, footnotes)


_KOSTRA_CODE = re.compile(r"(\d{3})\b")  # a KOSTRA function's code before its name


def align_key(label: str, synonyms: Synonyms | None = None) -> str:
    """Rows of different tables are the same row when they have the same KOSTRA code (the
    fordeling tables shorten the names) or else the same normalised label."""
    norm = fold(label, synonyms)
    match = _KOSTRA_CODE.match(norm)
    return match.group(1) if match else norm


def substitute(pattern: str, variables: dict[str, str]) -> str:
    if "{" not in pattern:
        return pattern  # nothing to substitute (almost every selector)
    return _substitute(pattern, tuple(variables.items()))


@lru_cache(maxsize=4096)
def _substitute(pattern: str, items: tuple[tuple[str, str], ...]) -> str:
    variables = dict(items)

    def repl(match: re.Match) -> str:
        name, sign, number = match.group(1), match.group(2), match.group(3)
        value = variables.get(name)
        if value is None:
            return match.group(0)
        if sign and value.isdigit():
            return str(int(value) + (int(number) if sign == "+" else -int(number)))
        return value

    return re.sub(r"\{(år|fo)\s*(?:([+-])\s*(\d+))?\}", repl, pattern)


def table_matches(table: Table, attrs: dict[str, str | None], variables: dict[str, str],
                  synonyms: Synonyms | None = None) -> bool:
    """A pack or formula table selector: each attribute a glob on the folded form (see
    linter/normalize.py); None means 'no such attribute'."""
    for name, pattern in attrs.items():
        if name == "tittel":
            value = table.caption.text if table.caption else None
        else:
            value = table.caption.attributes.get(name) if table.caption else None
        if pattern is None:
            if value:
                return False
            continue
        patterns = pattern if isinstance(pattern, (list, tuple)) else [pattern]
        if value is None or not any(glob_match(substitute(str(p), variables), value, synonyms) for p in patterns):
            return False
    return True


# ------------------------------------------------------------------ values

ZERO = Decimal(0)
_ONE = Decimal(1)
_MINUS_ONE = Decimal(-1)
# Report figures have at most a few dozen digits. A cell with more is a typo (or hostile) and is
# reported as too large instead of computed with; what is computed, is computed exactly in
# ARITHMETIC (the default context's 28 digits would round, and quantize would then fail).
ARITHMETIC = Context(prec=400)


def too_large(number: Decimal) -> bool:
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):
        return True  # infinity or NaN
    return len(digits) + max(exponent, 0) > MAX_DIGITS or -exponent > MAX_DIGITS


NOTHING = frozenset({"-", "\u2013", "\u2014", "\u2212", ""})  # "nothing here": counts as zero


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to build, one per term
class CellRef:
    table: Table
    row: Row
    cell: Cell

    @property
    def key(self) -> tuple[int, int, int]:
        return (id(self.table), self.row.index, self.cell.column)


def cell_status(cell: Cell) -> str:
    """'number', 'zero' (empty or a lone dash), 'missing' (*, NA, x, (N)...), 'text'."""
    kind = cell.value.kind
    if kind in (ValueKind.NUMBER, ValueKind.PERCENT):
        return "number"
    if kind is ValueKind.EMPTY or (kind is ValueKind.PLACEHOLDER and cell.text in NOTHING):
        return "zero"
    if kind is ValueKind.PLACEHOLDER or cell.text.lower() in ("x", "x)"):
        return "missing"
    return "text"


EXACT_UNITS = ("antall", "personer", "stk")
# Half of 10^-d for the decimals d a figure can show (the interval a rounded figure stands for).
_HALVES = tuple(Decimal(1).scaleb(-d) / 2 for d in range(MAX_DIGITS + 1))


def half_unit(table: Table, cell: Cell) -> Decimal:
    """Half the rounding unit of a shown figure: the interval [v − u/2, v + u/2] it stands for.
    Counts (enhet «antall», befolkning tables) are exact."""
    value = cell.value
    if value.number is None:
        return ZERO
    decimals = value.decimals
    if decimals == 0 and value.kind is ValueKind.NUMBER and _exact_table(table):
        return ZERO
    return _HALVES[decimals] if decimals <= MAX_DIGITS else Decimal(1).scaleb(-decimals) / 2


def half_of(value: CellValue, exact: bool) -> Decimal:
    """``half_unit`` of a value in a table whose exactness (``_exact_table``) is known."""
    if value.number is None:
        return ZERO
    decimals = value.decimals
    if decimals == 0 and exact and value.kind is ValueKind.NUMBER:
        return ZERO
    return _HALVES[decimals] if decimals <= MAX_DIGITS else Decimal(1).scaleb(-decimals) / 2


NUMBER_KINDS = frozenset({ValueKind.NUMBER, ValueKind.PERCENT})  # cell_status "number"


def _exact_table(table: Table) -> bool:
    caption = table.caption
    if caption is None:
        return False
    attributes = caption.attributes
    return _exact_unit(attributes.get("type"), attributes.get("enhet"))


@lru_cache(maxsize=1024)
def _exact_unit(table_type: str | None, unit: str | None) -> bool:
    unit = (unit or "").casefold()
    return table_type == "befolkning" or any(word in unit for word in EXACT_UNITS)


@dataclass(slots=True)
class Lin:
    terms: list[tuple[Decimal, CellRef]] = field(default_factory=list)
    const: Decimal = ZERO

    def scaled(self, factor: Decimal) -> "Lin":
        return Lin([(c * factor, ref) for c, ref in self.terms], self.const * factor)

    def items(self) -> list[tuple[Decimal, Table, Cell]]:
        return [(coef, ref.table, ref.cell) for coef, ref in self.terms]

    def cells(self) -> list[Cell]:
        return [ref.cell for _, ref in self.terms]

    def plus(self, other: "Lin", sign: int = 1) -> "Lin":
        if sign == 1:  # the coefficients as they are (finish_check skips the products of a 1)
            return Lin(self.terms + other.terms, self.const + other.const * sign)
        return Lin(self.terms + [(c * sign, ref) for c, ref in other.terms], self.const + other.const * sign)


class SumLin:
    """A side that is one column of some rows, each with the coefficient 1 (a default sum's rows).
    Its terms (a CellRef each) are made only when something asks for them (a failing check's
    blame and message, the language server's hover): most sums hold, and their terms were most
    of what the analysis allocated."""

    __slots__ = ("table", "rows", "col", "_terms")
    const = ZERO

    def __init__(self, table: Table, rows: list[Row], col: int):
        self.table = table
        self.rows = rows  # a list of its own, never changed after
        self.col = col
        self._terms: list[tuple[Decimal, CellRef]] | None = None

    def cells(self) -> list[Cell]:
        col = self.col
        return [row.cells[col] for row in self.rows if col < len(row.cells)]

    def items(self) -> list[tuple[Decimal, Table, Cell]]:
        table = self.table
        return [(_ONE, table, cell) for cell in self.cells()]

    @property
    def terms(self) -> list[tuple[Decimal, CellRef]]:
        if self._terms is None:
            table, col = self.table, self.col
            self._terms = [(_ONE, CellRef(table, row, row.cells[col])) for row in self.rows if col < len(row.cells)]
        return self._terms


class Unresolved(Exception):
    """A reference does not resolve here: the relationship does not apply at this point.
    ``kind`` ("tabell", "rad", "kol"), ``pattern`` and ``table`` say what was not found where."""

    def __init__(self, kind: str = "", pattern: str = "", table: Table | None = None):
        super().__init__(kind, pattern)
        self.kind = kind
        self.pattern = pattern
        self.table = table
        self.after_lhs = False


@dataclass(slots=True)
class Evaluation:
    """What evaluating one relationship in one table gave: its checks (a ``kind`` each: "sum",
    "formel" or "kryss"; the rules choose the codes), how many points it resolved at, and what
    was not found at the points where it did not resolve."""

    checks: list["Check"] = field(default_factory=list)
    resolved: int = 0
    not_found: list[Unresolved] = field(default_factory=list)


# ------------------------------------------------------------------ checks

@dataclass(slots=True)
class Check:
    """One relationship at one point (a column, a row or a cell)."""

    code: str  # chosen by the rules: A201 sum, A202 formula, A203 cross-table, A204 percent group
    source: str  # "formel", "pakke", "standard", "prosentgruppe"
    name: str  # the relationship's name or formula text
    table: Table
    reported: CellRef  # the cell whose value the relationship computes (first cell on the left)
    lhs: Lin
    rhs: "Lin | SumLin"
    op: str
    margin: Decimal
    missing: list[CellRef] = field(default_factory=list)
    diff: Decimal = ZERO  # (lhs − rhs) with the shown values
    slack: Decimal = ZERO
    holds: bool = True
    skipped: bool = False
    mode: str = "cols"  # what the relationship iterates over (see Relation.mode)
    too_large: bool = False  # skipped because ``missing`` holds a figure with too many digits
    description: str | None = None
    kind: str = "sum"  # "sum", "formel" (inside one table) or "kryss" (across tables)
    structure: tuple[str, str] | None = None  # (nb, en): the structures a default sum tried

    def terms(self) -> list[tuple[Decimal, CellRef]]:
        """Every cell with its coefficient in lhs − rhs."""
        return self.lhs.terms + [(-c, ref) for c, ref in self.rhs.terms]

    def coefficient(self, key) -> Decimal:
        return sum((c for c, ref in self.terms() if ref.key == key), ZERO)

    def within(self, diff: Decimal) -> bool:
        if self.op == "<=":
            return diff <= self.slack
        if self.op == ">=":
            return diff >= -self.slack
        return abs(diff) <= self.slack

    @property
    def computed(self) -> Decimal:
        """The value the reported cell should have (for '=' relations)."""
        coef = self.coefficient(self.reported.key)
        if coef == 0:
            return self.reported.cell.value.number or ZERO
        return (self.reported.cell.value.number or ZERO) - self.diff / coef


def value_of(ref: CellRef) -> Decimal:
    return ref.cell.value.number if cell_status(ref.cell) == "number" else ZERO


def finish_check(check: Check) -> Check | None:
    """Evaluate a built check; None when it does not apply (text cells, nothing on one side).

    One pass per side over the cells, the status and the rounding unit read inline: a report
    has thousands of checks of a few terms each, so the calls per term are what costs."""
    lhs, rhs = check.lhs, check.rhs
    lhs_terms = lhs.terms
    lhs_status = [_status(ref.cell) for _, ref in lhs_terms]
    rhs_items = rhs.items()  # (coefficient, table, cell); a default sum's without a CellRef each
    rhs_status = [_status(cell) for _, _, cell in rhs_items]
    if not lhs_status and not rhs_status:
        return None
    if _TEXT in lhs_status or _TEXT in rhs_status:
        return None
    if lhs_status and lhs.const == 0 and all(s == _ZERO_CELL for s in lhs_status):
        return None  # nothing reported: an empty total is not a claim
    if rhs_status and rhs.const == 0 and all(s == _ZERO_CELL for s in rhs_status):
        return None  # nothing to add up
    if _MISSING in lhs_status or _MISSING in rhs_status or _HUGE in lhs_status or _HUGE in rhs_status:
        terms = check.terms()
        statuses = lhs_status + rhs_status
        huge = [ref for (_, ref), status in zip(terms, statuses) if status == _HUGE]
        if huge:
            check.missing, check.skipped, check.too_large = huge, True, True
            return check
        check.missing = [ref for (_, ref), status in zip(terms, statuses) if status == _MISSING]
        check.skipped = True
        return check
    total = ZERO
    slack = ZERO
    exact_table = None
    exact = False
    lhs_items = [(coef, ref.table, ref.cell) for coef, ref in lhs_terms]
    # zeros are added too: a zero's exponent can decide how the difference is printed
    for items, statuses, negate in ((lhs_items, lhs_status, False), (rhs_items, rhs_status, True)):
        for (coef, table, cell), status in zip(items, statuses):
            value = cell.value
            if status == _ZERO_CELL:
                total = total - coef * ZERO if negate else total + coef * ZERO
                slack += abs(coef) * half_unit(table, cell)
                continue
            number = value.number
            one = coef is _ONE  # 1 × x is x, exponent and sign included: skip the products
            if negate:
                total -= number if one else coef * number
            else:
                total += number if one else coef * number
            decimals = value.decimals
            if decimals == 0 and value.kind is ValueKind.NUMBER:
                if table is not exact_table:
                    exact_table, exact = table, _exact_table(table)
                if exact:
                    slack += ZERO if one else abs(coef) * ZERO
                    continue
            half = _HALVES[decimals] if decimals <= MAX_DIGITS else Decimal(1).scaleb(-decimals) / 2
            slack += half if one else abs(coef) * half
    check.diff = total + lhs.const - rhs.const
    check.slack = slack + check.margin
    check.holds = check.within(check.diff)
    return check


# cell statuses for finish_check: cell_status's, with a figure too large to compute with apart
_NUMBER, _ZERO_CELL, _MISSING, _TEXT, _HUGE = "number", "zero", "missing", "text", "huge"


def _status(cell: Cell) -> str:
    value = cell.value
    kind = value.kind
    if kind is ValueKind.NUMBER or kind is ValueKind.PERCENT:
        return _HUGE if value.huge else _NUMBER
    return cell_status(cell)


SUM_LABEL = re.compile(r"^(sum|totalt?|i alt)\b", re.IGNORECASE)
# "Netto utgifter, drift i alt": a trailing «i alt» (a trailing «totalt» is too often part of a
# measure's name, «årsverk totalt»)
SUM_LABEL_END = re.compile(r"\bi alt$")


@lru_cache(maxsize=1024)
def summable_columns(headers: tuple[str, ...], not_summable: tuple[str, ...], synonyms: Synonyms | None
                     ) -> tuple[int, ...]:
    """The columns (not the label column) whose header matches none of ``not_summable``: where a
    row relationship or a default sum is checked. Tables repeat their headers: matched once."""
    return tuple(i for i, header in enumerate(headers)
                 if i and not any(glob_match(p, header, synonyms) for p in not_summable))


@lru_cache(maxsize=8192)
def is_sum_label(label: str) -> bool:
    return bool(SUM_LABEL.match(label.strip())) or bool(SUM_LABEL_END.search(fold(label)))


def is_group_row(row: Row) -> bool:
    """A heading row inside a table: a label and no figures. A KOSTRA function with no figures
    ("261 Institusjonslokaler") is a detail row, not a group."""
    label = row.label.strip()
    return bool(label) and not _KOSTRA_CODE.match(label) and all(not c.text.strip() for c in row.cells[1:])



def _operator_lin(node, side, args: tuple) -> Lin:
    """A number, a negation or a binary operation as a linear combination, its operands made by
    ``side(operand, *args)`` (the two ways of resolving references share the arithmetic)."""
    if isinstance(node, Num):
        return Lin([], node.value)
    if isinstance(node, Neg):
        return side(node.operand, *args).scaled(_MINUS_ONE)
    if isinstance(node, BinOp):
        left = side(node.left, *args)
        right = side(node.right, *args)
        if node.op == "+":
            return left.plus(right)
        if node.op == "-":
            return left.plus(right, -1)
        if not left.terms:
            return right.scaled(left.const)
        return left.scaled(right.const)
    raise AssertionError(node)

class Evaluator:
    """Evaluates relationships on one report's tables."""

    def __init__(self, report: "Report", synonyms: Synonyms = NO_SYNONYMS):
        self.report = report
        self.tables = [t for t in report.tables]
        self.year = str(report.year) if report.year is not None else None
        self.synonyms = synonyms
        self._candidates: dict[tuple, list[Table]] = {}
        self._others: dict[tuple, list[Table]] = {}
        self._by_id: dict[str | None, list[Table]] | None = None
        # per table (by id: the tables live as long as the evaluator) and selector
        self._found_rows: dict[tuple, tuple[Selector, str, list[Row]]] = {}
        self._found_cols: dict[tuple, tuple[Selector, str, list[int]]] = {}
        self._aligned_rows: dict[int, dict[str, Row]] = {}
        self._aligned_cols: dict[int, dict[str, int]] = {}
        self._line_shapes: dict[int, tuple[Relation, bool]] = {}  # id(relation) -> (it, evaluated by lines)

    def variables(self, table: Table) -> dict[str, str]:
        out = {}
        if self.year:
            out["år"] = self.year
        fo = table.caption.attributes.get("fo") if table.caption else None
        if fo:
            out["fo"] = fo
        return out

    # -------------------------------------------------------------- resolving references
    def _tables(self, sel: TableSel | None, context: Table) -> list[Table]:
        if sel is None:
            return [context]
        if sel.id is not None:
            if self._by_id is None:  # an index, not a scan per reference: keeps it linear
                self._by_id = {}
                for t in self.tables:
                    self._by_id.setdefault(t.id, []).append(t)
            found = list(self._by_id.get(sel.id, ()))
        else:
            # The candidates depend only on the selector and the context's variables (year, fo),
            # so scan the tables once per pair, not once per formula and table: keeps it linear.
            found = self._others.get((sel.attrs, id(context)))
            if found is None:
                variables = self.variables(context)
                key = (sel.attrs, tuple(sorted(variables.items())))  # by value: ids can be reused
                candidates = self._candidates.get(key)
                if candidates is None:
                    candidates = [t for t in self.tables if table_matches(t, dict(sel.attrs), variables, self.synonyms)]
                    self._candidates[key] = candidates
                # per context table (they live as long as the evaluator), not per point
                found = self._others[(sel.attrs, id(context))] = [t for t in candidates if t is not context]
            found = list(found)
        if not found:
            raise Unresolved("tabell", _describe_table_sel(sel), None)
        return found if sel.plural else found[:1]

    # The rows and columns a selector finds in a table are the same at every point (column or
    # row) a relationship is checked at: found once per table and selector, not once per point.
    def _rows(self, table: Table, sel: Selector | None, context: Table, point, many: bool, exclude: Row | None) -> list[Row]:
        if sel is None:
            if not isinstance(point, Row):
                raise Unresolved
            if table is context:
                return [point]
            aligned = self._aligned_rows.get(id(table))
            if aligned is None:
                aligned = self._aligned_rows[id(table)] = {}
                for row in table.rows:
                    aligned.setdefault(align_key(row.label, self.synonyms), row)
            found_row = aligned.get(align_key(point.label, self.synonyms))
            if found_row is None:
                raise Unresolved("rad", point.label, table)
            return [found_row]
        # keyed by the selector's identity (a frozen dataclass hashes its fields at every call);
        # the entry keeps the selector, so its id cannot be reused by another while it is here
        key = (id(table), id(sel), id(context), id(exclude))
        entry = self._found_rows.get(key)
        if entry is None or entry[0] is not sel:
            pattern = substitute(sel.pattern, self.variables(context))
            synonyms = self.synonyms
            entry = self._found_rows[key] = (sel, pattern, [r for r in table.rows
                                                            if r is not exclude and glob_match(pattern, r.label, synonyms)])
        _, pattern, found = entry
        if not found:
            if sel.optional:
                return []
            raise Unresolved("rad", pattern, table)
        return list(found) if many else found[:1]

    def _cols(self, table: Table, sel: Selector | None, context: Table, point, many: bool) -> list[int]:
        if sel is None:
            if not isinstance(point, int):
                raise Unresolved
            if table is context:
                return [point]
            aligned = self._aligned_cols.get(id(table))
            if aligned is None:
                aligned = self._aligned_cols[id(table)] = {}
                for index, header in enumerate(table.columns):
                    if index:
                        aligned.setdefault(fold(header, self.synonyms), index)
            found_col = aligned.get(fold(context.columns[point], self.synonyms))
            if found_col is None:
                raise Unresolved("kol", context.columns[point], table)
            return [found_col]
        key = (id(table), id(sel), id(context))
        entry = self._found_cols.get(key)
        if entry is None or entry[0] is not sel:
            pattern = substitute(sel.pattern, self.variables(context))
            synonyms = self.synonyms
            entry = self._found_cols[key] = (sel, pattern, [i for i, header in enumerate(table.columns)
                                                            if i and glob_match(pattern, header, synonyms)])
        _, pattern, found = entry
        if not found:
            if sel.optional:
                return []
            raise Unresolved("kol", pattern, table)
        return list(found) if many else found[:1]

    def _cells(self, ref: Ref, context: Table, point, many: bool, exclude: Row | None) -> list[CellRef]:
        """The cells a reference names. ``tabeller(...)`` (plural) takes, per funksjonsområde,
        the first matching table that has the row and column (a FO's economy table, not the
        table splitting its Avvik after it), and skips tables without them."""
        if ref.table is None:  # this table (most references): what the loop below gives for it
            rows = self._rows(context, ref.row, context, point, many, exclude)
            cols = self._cols(context, ref.col, context, point, many)
            return [CellRef(context, row, row.cells[col]) for row in rows for col in cols if col < len(row.cells)]
        cells = []
        plural = ref.table is not None and ref.table.plural
        taken_fo: set[str] = set()
        missing: Unresolved | None = None
        resolved = False
        for table in self._tables(ref.table, context):
            fo = fold(table.caption.attributes.get("fo") or "") if plural and table.caption else ""
            if fo and fo in taken_fo:
                continue
            try:
                rows = self._rows(table, ref.row, context, point, many, exclude if table is context else None)
                cols = self._cols(table, ref.col, context, point, many)
            except Unresolved as exc:
                if not plural:
                    raise
                # without its traceback: kept in a local, it would make a cycle through this frame
                # (freed only by the collector, which is off during a check)
                missing = missing or exc.with_traceback(None)
                continue
            resolved = True
            if fo:
                taken_fo.add(fo)
            for row in rows:
                for col in cols:
                    if col < len(row.cells):
                        cells.append(CellRef(table, row, row.cells[col]))
        if plural and not resolved and missing is not None:
            raise missing
        return cells

    def _range(self, total: Total, context: Table, point, exclude: Row | None) -> list[CellRef]:
        first = self._cells(total.ref, context, point, False, None)
        last = self._cells(total.until, context, point, False, None)
        if not first or not last:
            raise Unresolved("rad", (total.ref.row or total.until.row).pattern, context)
        start, end = first[0], last[0]
        if start.table is not end.table:
            raise Unresolved("tabell", "a .. b i samme tabell", None)
        table = start.table
        rows = table.rows[min(start.row.index, end.row.index): max(start.row.index, end.row.index) + 1]
        col = start.cell.column
        return [CellRef(table, r, r.cells[col]) for r in rows if r is not exclude and col < len(r.cells)]

    def lin(self, node, context: Table, point, exclude: Row | None) -> Lin:
        if isinstance(node, Ref):  # the most frequent node first
            cells = self._cells(node, context, point, False, None)
            return Lin([(_ONE, c) for c in cells[:1]])
        if isinstance(node, Total):
            cells = (self._range(node, context, point, exclude) if node.until
                     else self._cells(node.ref, context, point, True, exclude))
            return Lin([(_ONE, c) for c in cells])
        return _operator_lin(node, self.lin, (context, point, exclude))

    def _lines(self, relation: Relation) -> dict[int, "list | Unresolved"] | None:
        """For a relationship inside one table whose every reference names a row and leaves the
        column to the point (or names a column and leaves the row), without sum(...): an empty
        dict, to be filled (by ``_line_lin``, in the order ``lin`` resolves them) with what each
        reference finds in the table, once per table: a point's sides are then made without
        resolving anything again. None for the other relationships (``lin`` evaluates them)."""
        known = self._line_shapes.get(id(relation))
        if known is None or known[0] is not relation:
            known = self._line_shapes[id(relation)] = (relation, self._by_lines(relation))
        return {} if known[1] else None

    @staticmethod
    def _by_lines(relation: Relation) -> bool:
        if relation.crosses_tables or relation.has_sum or relation.mode == "cell":
            return False
        if relation.mode == "rows":
            return all(ref.table is None and ref.row is None and ref.col is not None for ref in relation.refs())
        return all(ref.table is None and ref.col is None and ref.row is not None for ref in relation.refs())

    def _line_lin(self, node, lines: dict, table: Table, point) -> Lin:
        """``lin`` of a side of a relationship ``_lines`` accepted: the same terms, in the same
        order, with the same coefficients; a reference that is not found raises as it would."""
        if isinstance(node, Ref):
            found = lines.get(id(node))
            if found is None:
                try:
                    if isinstance(point, Row):  # a column named: found once, this row's cell in it
                        found = self._cols(table, node.col, table, None, False)
                    else:
                        found = self._rows(table, node.row, table, None, False, None)
                except Unresolved as missing:
                    found = missing.with_traceback(None)  # kept in ``lines``: no cycle through this frame
                lines[id(node)] = found
            if isinstance(found, Unresolved):
                raise Unresolved(found.kind, found.pattern, found.table)
            if isinstance(point, Row):
                cells = point.cells
                return Lin([(_ONE, CellRef(table, point, cells[col])) for col in found if col < len(cells)])
            return Lin([(_ONE, CellRef(table, row, row.cells[point])) for row in found if point < len(row.cells)])
        return _operator_lin(node, self._line_lin, (lines, table, point))

    def points(self, relation: Relation, table: Table, skip_columns: tuple[str, ...] = ()):
        mode = relation.mode
        if mode == "cols":
            return list(summable_columns(tuple(table.columns), tuple(skip_columns), self.synonyms))
        if mode == "rows":
            return list(table.rows)
        return [None]

    def evaluate(self, relation: Relation, table: Table, *, source: str, name: str,
                 margin: Decimal | None = None, skip_columns: tuple[str, ...] = ()) -> Evaluation:
        """The checks of one relationship in one table (the context of rad/kol without tabell).
        ``skip_columns``: headers (globs) a row relationship is not checked in (shares, means).
        Each check has a ``kind``; the rules give it its code."""
        result = Evaluation()
        mode, crosses, has_sum = relation.mode, relation.crosses_tables, relation.has_sum  # walks: once
        # A left side that is one reference into this table resolves the same way at every point
        # (its selectors are found once per table; the point only fills in the missing row or
        # column): when it is not found at one point, it is not found at any. Most points of a
        # pack's relationships are such misses (tables without the «Avvik» column...): the miss is
        # recorded once per point, as before, without resolving it again.
        lhs_static = isinstance(relation.lhs, Ref) and relation.lhs.table is None
        lines = self._lines(relation)
        lhs_missing: Unresolved | None = None
        for point in self.points(relation, table, skip_columns):
            if lhs_missing is not None:
                result.not_found.append(lhs_missing)
                continue
            lhs = None
            try:
                if lines is not None:
                    lhs = self._line_lin(relation.lhs, lines, table, point)
                    if not lhs.terms:
                        continue
                    rhs = self._line_lin(relation.rhs, lines, table, point)
                else:
                    lhs = self.lin(relation.lhs, table, point, None)
                    if not lhs.terms:
                        continue
                    exclude_row = lhs.terms[0][1].row if lhs.terms[0][1].table is table else None
                    rhs = self.lin(relation.rhs, table, point, exclude_row)
            except Unresolved as missing:
                missing.after_lhs = lhs is not None  # the left side was found: the nearest miss
                # kept for the coverage summary: without its traceback, which would keep every
                # frame's locals (cell lists) alive until the end of the check
                result.not_found.append(missing.with_traceback(None))
                if lhs is None and lhs_static:
                    lhs_missing = missing
                continue
            result.resolved += 1
            reported = lhs.terms[0][1]
            if crosses:
                kind = "kryss"
            elif has_sum or (mode == "cols" and is_sum_label(reported.row.label)):
                kind = "sum"
            else:
                kind = "formel"
            used_margin = margin if margin is not None else (relation.margin or ZERO)
            check = finish_check(Check("", source, name, table, reported, lhs, rhs, relation.op, used_margin,
                                       mode=mode, kind=kind))
            if check is not None:
                result.checks.append(check)
        return result


def _describe_table_sel(sel: TableSel) -> str:
    if sel.id is not None:
        return f"#{sel.id}"
    return ", ".join(f'{name}="{value}"' for name, value in sel.attrs)
