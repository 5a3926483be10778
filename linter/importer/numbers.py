"""Splitting a run of space-separated figures into table cells.

"2 160 113 2 134 830" is two numbers or more, depending on how the digit groups are read:
the thousands separator is the same space that separates cells. A number is a head of one to
three digits (or an ungrouped run such as "1083") followed by groups of exactly three digits;
a decimal part or a percent sign ends it. Every way of cutting the groups into the expected
number of cells is enumerated; the caller rules out the ones the table's arithmetic rejects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from linter.importer.clean import EMPTY_CELL

_TOKEN = re.compile(
    r"^(?P<sign>[-\u2212\u2013+]|[<>\u2264\u2265]=?)?(?P<digits>\d{1,3}(?:,\d{3}){2,}|\d+)(?:(?P<sep>[.,])(?P<frac>\d+))?(?P<pct>%|pp)?$"
)
_COMPARISON = {">", "<", "\u2264", "\u2265", ">=", "<="}  # a target's sign (">74", "> 66 %"): never a thousands group
_PLACEHOLDER = {"*", "NA", "-", "\u2013", "(N)", "x)", "x"}  # ("x": a figure not available)
MAX_CANDIDATES = 512
MAX_GROUPS = 3  # no cell in these reports reaches a thousand million


@dataclass(slots=True, frozen=True)
class Tok:
    text: str
    sign: str
    digits: str
    frac: str | None  # decimal part, with its separator
    pct: bool
    placeholder: bool = False
    gap_before: bool = False  # two or more spaces before it in the extract: a cell boundary

    @property
    def can_head(self) -> bool:
        return True

    @property
    def is_group(self) -> bool:
        """Could continue a number as a thousands group."""
        return not self.placeholder and not self.sign and len(self.digits) == 3 and not self.gap_before


def tokenize_tail(words: list[str], gaps: list[bool] | None = None) -> tuple[int, list[Tok]]:
    """The longest run of figure tokens at the end of ``words``: (index where it starts, tokens).
    "%" standing alone attaches to the figure before it. ``gaps[i]`` tells that word i followed
    a wide gap (two or more spaces), which no number spans."""
    toks: list[Tok] = []
    i = len(words)
    while i > 0:
        word = words[i - 1]
        if word in ("%", "pp") and i >= 2 and _TOKEN.match(words[i - 2]) and not _TOKEN.match(words[i - 2])["pct"]:
            m = _TOKEN.match(words[i - 2])
            toks.append(Tok(words[i - 2] + " " + word, m["sign"] or "", m["digits"], _frac(m), True,
                            gap_before=bool(gaps and gaps[i - 2])))
            i -= 2
            continue
        if word in _COMPARISON and toks and not toks[-1].placeholder and not toks[-1].sign:
            # "> 66 %": a target's comparison printed apart from its figure.
            t = toks[-1]
            toks[-1] = Tok(f"{word} {t.text}", word, t.digits, t.frac, t.pct, gap_before=bool(gaps and gaps[i - 1]))
            i -= 1
            continue
        m = _TOKEN.match(word)
        if word == EMPTY_CELL:
            toks.append(Tok("", "", "", None, False, placeholder=True, gap_before=True))
        elif m:
            # "1,011,100": a comma between every three digits is a thousands separator.
            toks.append(Tok(word, m["sign"] or "", m["digits"].replace(",", ""), _frac(m), bool(m["pct"]),
                            gap_before=bool(gaps and gaps[i - 1])))
        elif word in _PLACEHOLDER or word == "%" and i >= 2 and words[i - 2] in _PLACEHOLDER | {"%"}:
            # "(N) % %": a percent sign with no figure is an empty percent cell.
            toks.append(Tok(word, "", "", None, False, placeholder=True, gap_before=bool(gaps and gaps[i - 1])))
        else:
            break
        i -= 1
    toks.reverse()
    return i, toks


def _frac(m) -> str | None:
    return (m["sep"] + m["frac"]) if m["frac"] is not None else None


def segmentations(toks: tuple[Tok, ...], count: int, spare: int = 1, limit: int = 0) -> list[tuple[int, tuple[str, ...]]]:
    """Every way to read the *last* tokens as ``count`` cells: (tokens left to the label,
    cell texts). Cells are whole numbers with their groups joined by one space. At most
    ``spare`` tokens may be left over for the label ("Funksjonsområde 3 1 306 512 …")."""
    return _segmentations(toks, count, spare, limit or MAX_CANDIDATES)


@lru_cache(maxsize=8192)
def cell_counts(toks: tuple[Tok, ...]) -> frozenset[int]:
    """Every number of cells all of ``toks`` can be read as (none left to the label): one pass
    instead of a search per width."""
    reach: list[set[int]] = [set() for _ in range(len(toks) + 1)]
    reach[0].add(0)
    for end in range(1, len(toks) + 1):
        for start, _ in _cells_ending_at(toks, end):
            reach[end].update(c + 1 for c in reach[start])
    return frozenset(reach[len(toks)])


def split_words(text: str) -> tuple[list[str], list[bool]]:
    """Words of a line, and for each whether a wide gap (two or more spaces) came before it."""
    words, gaps = [], []
    for m in re.finditer(r"\S+", text):
        words.append(m.group(0))
        gaps.append(m.start() >= 2 and text[m.start() - 2 : m.start()] == "  ")
    return words, gaps


@lru_cache(maxsize=8192)
def _segmentations(toks: tuple[Tok, ...], count: int, spare: int, limit: int) -> list[tuple[int, tuple[str, ...]]]:
    n = len(toks)
    if count > n:
        return []
    feasible: dict[tuple[int, int], bool] = {}
    ends = _all_ends(toks)  # the same for every width asked of these tokens

    def can(end: int, left: int) -> bool:
        # Can toks[:end] end with ``left`` cells, leaving at most ``spare`` tokens?
        key = (end, left)
        if key not in feasible:
            if left == 0:
                feasible[key] = end <= spare
            else:
                feasible[key] = any(can(start, left - 1) for start, _ in ends[end])
        return feasible[key]

    out: list[tuple[int, tuple[str, ...]]] = []

    def rec(end: int, left: int, acc: tuple[str, ...]) -> None:
        if len(out) >= limit:
            return
        if left == 0:
            out.append((end, acc))
            return
        for start, text in ends[end]:
            if can(start, left - 1):
                rec(start, left - 1, (text,) + acc)

    if can(n, count):
        rec(n, count, ())
    return out


@lru_cache(maxsize=8192)
def _all_ends(toks: tuple[Tok, ...]) -> tuple[tuple[tuple[int, str], ...], ...]:
    return tuple(_cells_ending_at(toks, end) for end in range(len(toks) + 1))


def _cells_ending_at(toks: tuple[Tok, ...], end: int) -> tuple[tuple[int, str], ...]:
    """Cells that could end just before ``end``: (start index, text)."""
    if end <= 0:
        return ()
    last = toks[end - 1]
    if last.placeholder:
        return ((end - 1, last.text),)
    out = []
    k = end - 1
    while k >= 0:
        head = toks[k]
        if head.placeholder:
            break
        inner = toks[k + 1 : end]
        if not inner:
            # A lone figure: "0", "0,5" and "1083" are numbers, "094" is a stray group.
            if not (len(head.digits) > 1 and head.digits[0] == "0"):
                out.append((k, head.text))
        elif len(inner) > MAX_GROUPS:
            break
        elif head.frac is None and not head.pct and len(head.digits) <= 3 and head.digits[0] != "0":
            out.append((k, " ".join(t.text for t in toks[k:end])))
        # toks[k] can be an inner group of a longer number only if it is a plain group.
        if not head.is_group or head.frac is not None or head.pct:
            if k < end - 1 or not head.is_group:
                break
        k -= 1
    return tuple(out)


@lru_cache(maxsize=65536)
def cell_number(text: str) -> Decimal | None:
    if text.count(",") >= 2 and re.fullmatch(r"[-\u2212\u2013+]?\d{1,3}(,\d{3})+", text.strip()):
        text = text.replace(",", "")  # "1,011,100"
    t = text.replace(" ", "").replace("%", "").replace("\u2212", "-").replace("\u2013", "-").replace(",", ".")
    try:
        return Decimal(t)
    except Exception:
        return None
