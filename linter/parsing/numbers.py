"""Reading a table cell's text as a Norwegian number, percentage, target or placeholder.

The reports write "2 160 113" (space, no-break or narrow no-break space U+202F between thousands),
"-645" or "−645" (U+2212), "12,5" (decimal comma), "72,1 %", ">74", and placeholders such as "*",
"NA" or "(N)". Values are Decimal: the arithmetic rules must not pick up binary rounding errors.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from linter.model import CellValue, ValueKind

MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash
GROUP_SPACES = " \u00a0\u202f"

_NUMBER = re.compile(
    r"""
    (?P<comparator>>=|<=|≥|≤|>|<)?\s*
    (?P<sign>[-\u2212\u2013+])?\s*
    (?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)
    (?:(?P<decsep>[.,])(?P<frac>\d+))?
    \s*(?P<percent>%)?
    """,
    re.VERBOSE,
)

PLACEHOLDERS = frozenset({"*", "**", "NA", "N/A", "n/a", "-", "\u2013", "\u2212", "(N)", "% %", "%", "..", "…", "x)"})

_EMPTY = CellValue(ValueKind.EMPTY)
_PLACEHOLDER = CellValue(ValueKind.PLACEHOLDER)
_TEXT = CellValue(ValueKind.TEXT)


@lru_cache(maxsize=65536)
def parse_cell_value(text: str) -> CellValue:
    """Interpret a stripped cell text. Cached: the same figures recur across tables."""
    if not text:
        return _EMPTY
    if text in PLACEHOLDERS:
        return _PLACEHOLDER
    match = _NUMBER.fullmatch(text)
    if match is None:
        return _TEXT
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
    digits = "".join(ch for ch in int_part if ch.isdigit())
    frac = match["frac"]
    decsep = match["decsep"]
    number = Decimal(digits + ("." + frac if frac else ""))
    sign = match["sign"]
    negative = sign is not None and sign in MINUS_SIGNS
    if negative:
        number = -number
    if comparator:
        kind = ValueKind.TARGET
    elif match["percent"]:
        kind = ValueKind.PERCENT
    else:
        kind = ValueKind.NUMBER
    return CellValue(
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
    )


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
