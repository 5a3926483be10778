"""Reading a table cell's text as a Norwegian number, percentage, target or placeholder.

The reports write "2 160 113" (space, no-break or narrow no-break space U+202F between thousands),
"-645" or "−645" (U+2212), "12,5" (decimal comma), "72,1 %", ">74", "-3,4pp" (percentage points),
and placeholders such as "*", "NA", "N. A.", "n/a", "(N)", "-", "—" or "..". Amounts written as
districts write them are read and marked ``irregular`` (the arithmetic rules report the format):
"311 000 kr", "kr 311 000", "311 000,-", "(311 000)" (negative, as in accounting), "311 OOO" and
"31l 000" (letters for digits). Values are Decimal: the arithmetic rules must not pick up binary
rounding errors.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from linter.model import CellValue, ValueKind, cell_value

MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash
GROUP_SPACES = " \u00a0\u202f\u2009"

_NUMBER = re.compile(
    r"""
    (?P<comparator>>=|<=|≥|≤|>|<)?\s*
    (?P<sign>[-\u2212\u2013+])?\s*
    (?P<int>\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+)
    (?:(?P<decsep>[.,])(?P<frac>\d+))?
    \s*(?:(?P<percent>%)|(?P<points>pp|p\.p\.|%-?poeng|prosentpoeng))?
    """,
    re.VERBOSE,
)

PLACEHOLDERS = frozenset({"*", "**", "NA", "N/A", "n/a", "-", "\u2013", "\u2014", "\u2212", "(N)", "% %", "%", "..",
                          "...", "…", "x)"})
# "N.A", "N. A.", "n.a.", "N / A", "( N )": the same placeholders with other dots and spaces
_PLACEHOLDER_KEYS = frozenset({"na", "(n)"})
_CURRENCY = re.compile(r"(?i)^(?:kr\.?|nok)\s*(?P<a>.+)$|^(?P<b>.+?)\s*(?:kr\.?|kroner|nok)$")
_DASH_ENDING = re.compile(r",\s*[-\u2013\u2014]$")
_LETTER_DIGITS = str.maketrans("OoIl", "0011")
_NO_GROUP_SPACES = str.maketrans("", "", GROUP_SPACES)
_PLACEHOLDER_SEPARATORS = re.compile(r"[\s./]")
_DIGIT = re.compile(r"\d")
_LETTER_FOR_DIGIT = re.compile(r"[OoIl]")
_DIGITS_AND_LETTERS = re.compile(r"[\d\s\u00a0\u202fOoIl]+")
_EMPTY = cell_value(ValueKind.EMPTY)
_PLACEHOLDER = cell_value(ValueKind.PLACEHOLDER)
_TEXT = cell_value(ValueKind.TEXT)


@lru_cache(maxsize=65536)
def parse_cell_value(text: str) -> CellValue:
    """Interpret a stripped cell text. Cached: the same figures recur across tables."""
    if not text:
        return _EMPTY
    if text in PLACEHOLDERS:
        return _PLACEHOLDER
    # "N. A.", "( N )": only a text whose first character is one of these can be such a key
    # (a new report reads thousands of distinct texts once: the cheap test first).
    first = text[0]
    if (first in "nN(./" or first.isspace()) and _PLACEHOLDER_SEPARATORS.sub("", text).casefold() in _PLACEHOLDER_KEYS:
        return _PLACEHOLDER
    if _DIGIT.search(text) is None:  # no figure in it (most labels): nothing below can read it
        return _TEXT
    match = _NUMBER.fullmatch(text)
    if match is None:
        return _read_irregular(text)
    comparator = match["comparator"]
    if comparator == "≥":
        comparator = ">="
    elif comparator == "≤":
        comparator = "<="
    int_part = match["int"]
    thousands = None
    for ch in GROUP_SPACES:
        if ch in int_part:
            thousands = ch
            break
    digits = int_part.translate(_NO_GROUP_SPACES) if thousands else int_part
    frac = match["frac"]
    decsep = match["decsep"]
    number = Decimal(digits + ("." + frac if frac else ""))
    sign = match["sign"]
    negative = sign is not None and sign in MINUS_SIGNS
    if negative:
        number = -number
    if comparator:
        kind = ValueKind.TARGET
    elif match["percent"] or match["points"]:
        kind = ValueKind.PERCENT
    else:
        kind = ValueKind.NUMBER
    return cell_value(
        kind=kind,
        number=number,
        comparator=comparator,
        negative_zero=negative and number == 0,
        decimal_separator=decsep,
        thousands_separator=thousands,
        suspect_thousands_comma=(
            decsep == "," and frac is not None and len(frac) == 3 and thousands is None
            and len(int_part) <= 3 and int_part != "0"
        ),
        irregular=("prosentpoeng",) if match["points"] else (),
    )


def _read_irregular(text: str) -> CellValue:
    """An amount with a currency, a ",-" ending, accounting parentheses or letters for digits:
    read, and marked with what was irregular; anything else is text."""
    notes: list[str] = []
    body = text.strip()
    currency = _CURRENCY.match(body)
    if currency:
        body = (currency["a"] or currency["b"]).strip()
        notes.append("valuta")
    if _DASH_ENDING.search(body):
        body = _DASH_ENDING.sub("", body).strip()
        notes.append("strek")
    negative = False
    if len(body) > 2 and body[0] == "(" and body[-1] == ")":
        body = body[1:-1].strip()
        negative = True
        notes.append("parentes")
    if _DIGITS_AND_LETTERS.fullmatch(body) and _DIGIT.search(body) and _LETTER_FOR_DIGIT.search(body):
        body = body.translate(_LETTER_DIGITS)
        notes.append("bokstav")
    if not notes or not body:
        return _TEXT
    match = _NUMBER.fullmatch(body)
    if match is None or match["comparator"] or (negative and match["sign"]):
        return _TEXT
    value = parse_cell_value(body)
    if value.kind not in (ValueKind.NUMBER, ValueKind.PERCENT):
        return _TEXT
    number = -value.number if negative else value.number
    return cell_value(kind=value.kind, number=number, decimal_separator=value.decimal_separator,
                     thousands_separator=value.thousands_separator,
                     suspect_thousands_comma=value.suspect_thousands_comma,
                     irregular=tuple(notes) + value.irregular)


def format_like(value: Decimal, example: str) -> str:
    """Write ``value`` in the style of the cell text ``example`` (thousands separator, minus sign,
    decimals), so a fix looks like its neighbours."""
    sample = parse_cell_value(example)
    sep = sample.thousands_separator or " "
    minus = "-"
    for ch in example:
        if ch in MINUS_SIGNS:
            minus = ch
            break
    decimals = 0
    if sample.decimal_separator:
        frac = re.search(r"[.,](\d+)", example)
        decimals = len(frac.group(1)) if frac else 0
    quantized = value.quantize(Decimal(1).scaleb(-decimals)) if decimals else value.quantize(Decimal(1))
    negative = quantized < 0
    text = f"{abs(quantized):f}"
    int_part, _, frac_part = text.partition(".")
    groups = []
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    groups.insert(0, int_part)
    body = sep.join(groups)
    if frac_part:
        body += (sample.decimal_separator or ",") + frac_part
    if sample.kind is ValueKind.PERCENT:
        body += " %" if " %" in example else "%"
    return (minus if negative else "") + body
