"""Normalised forms of labels, column headers, table titles and the pack's selectors.

Districts write the same template differently: "Tabell 0.1 B", "0.1B" and "0.1.B"; "Oppr." and
"Opprinnelig"; "Regulert" and "Justert budsjett"; "prosjekt-midler" and "prosjektmidler"; NBSP
or narrow NBSP for a space; an en dash or a minus sign for a hyphen; a footnote marker after a
label. Selectors (table titles, ``rad(...)``, ``kol(...)``) and other lookups compare the
*folded* form, so none of this decides whether a check runs.

Synonyms are pack data (``synonymer:`` in rules/*.yaml, inherited like every top-level key):
each group is a list of words or phrases that mean the same; every member is replaced by the
group's first member. A glob matches when it matches with the synonyms or without them, so a
synonym only ever adds matches (``Tot*`` still matches "Totalt").

Public API (reused by other rule families):
- ``fold(text, synonyms=None)``: the normalised form of a label, header or title;
- ``Synonyms.from_pack(pack)`` / ``Synonyms(groups)``;
- ``glob_match(pattern, text, synonyms=None)``: ``*`` any run, ``?`` one character;
- ``closest(pattern, candidates, synonyms=None)``: the nearest candidates, for "not found" messages.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from linter.packs import RulePack

__all__ = ["Synonyms", "NO_SYNONYMS", "fold", "glob_match", "closest", "fold_pattern"]

_DASHES = {ord(ch): "-" for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"}
_DASHES[0x00AD] = None  # soft hyphen
_SUPERSCRIPTS = {ord(ch): None for ch in "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079\u207e\u207d"}
_FOOTNOTE = re.compile(r"\s*(\*+\)?|\(\d\))\s*$")
_NUMBER_FOOTNOTE = re.compile(r"\s*\d\)\s*$")  # "uker 3)", "inntektskilde1)"; not "(nivå 3)", "(f.251)"
_WORD_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W\d_])|(?<=[^\W\d_])-(?=\d)")  # prosjekt-midler, fo-2a
_DIGIT_RANGE = re.compile(r"(?<=\d)\s*-\s*(?=\d)")  # 0 - 17 → 0-17
_LONE_HYPHEN = re.compile(r"-(?!\d)")  # a separator, not a minus sign or a range
_NOT_NUMBER_POINT = re.compile(r"(?<!\d)[.,]|[.,](?!\d)")
_PUNCTUATION = re.compile(r"[^\w\s\-%+<>=.,]")
# A code's letter after its number: "0.1 B", "0.1.B", "0.1B" → "0.1b"; not the words i, å, o, ø
_CODE_LETTER = re.compile(r"(?<=\d) +((?![io])[a-zæäöü])(?![\w-])")
_PERCENT = re.compile(r"\s+%")
_SPACES = re.compile(r"\s+")
_HAS_SUPERSCRIPT = re.compile("[" + "".join(map(chr, _SUPERSCRIPTS)) + "]")
_HAS_DASH = re.compile("[" + "".join(map(chr, _DASHES)) + "]")
_DIGIT_SPACE = re.compile(r"\d ")  # where _CODE_LETTER can match


def _base(text: str, footnotes: bool) -> str:
    """Everything but the synonyms; spaces collapsed but not stripped (a pattern's fragment
    keeps the space next to its wildcard).

    A step runs only when the text has a character it could change (each pattern needs the one
    tested for): a first check folds a thousand labels, and most have no dash, point or footnote."""
    if footnotes and not text.isascii() and _HAS_SUPERSCRIPT.search(text):
        text = text.translate(_SUPERSCRIPTS)
    if not text.isascii():  # NFKC leaves ASCII as it is, and every dash mapped is outside it
        text = unicodedata.normalize("NFKC", text)
        if _HAS_DASH.search(text):
            text = text.translate(_DASHES)
    text = text.casefold()
    if footnotes and ("*" in text or ")" in text):
        text = _FOOTNOTE.sub("", text)
        if text.count("(") < text.count(")"):
            text = _NUMBER_FOOTNOTE.sub("", text)
    if "-" in text:
        text = _WORD_HYPHEN.sub("", text)
        text = _DIGIT_RANGE.sub("-", text)
        text = _LONE_HYPHEN.sub(" ", text)
    if "." in text or "," in text:
        text = _NOT_NUMBER_POINT.sub(" ", text)
    text = _PUNCTUATION.sub(" ", text)
    text = _SPACES.sub(" ", text)
    if _DIGIT_SPACE.search(text):
        text = _CODE_LETTER.sub(r"\1", text)
    return _PERCENT.sub("%", text) if "%" in text else text


@dataclass(frozen=True)
class Synonyms:
    """Groups of words that mean the same; hashable, so matches can be cached per pack."""

    groups: tuple[tuple[str, ...], ...] = ()
    _table: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _pattern: re.Pattern | None = field(default=None, compare=False, hash=False, repr=False)
    _hash: int = field(default=0, compare=False, hash=False, repr=False)

    def __hash__(self) -> int:
        # every cached fold and glob match hashes its Synonyms: hash the groups once
        return self._hash

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash(self.groups))
        table: dict[str, str] = {}
        for group in self.groups:
            members = [_base(str(m), False).strip() for m in group]
            members = [m for m in members if m]
            if len(members) < 2:
                continue
            for member in members[1:]:
                table.setdefault(member, members[0])
        object.__setattr__(self, "_table", table)
        if table:
            alternatives = "|".join(re.escape(m) for m in sorted(table, key=len, reverse=True))
            object.__setattr__(self, "_pattern", re.compile(rf"(?<![\w%]){'(?:' + alternatives + ')'}(?![\w%])"))

    @classmethod
    def of(cls, groups: Iterable[Iterable[Any]] | None) -> "Synonyms":
        return _synonyms(tuple(tuple(str(m) for m in g) for g in groups or ()))

    @classmethod
    def from_pack(cls, pack: "RulePack | None") -> "Synonyms":
        """The pack's ``synonymer`` (inherited from the pack it ``arver`` unless it sets its own)."""
        if pack is None:
            return NO_SYNONYMS
        return pack.derived("synonyms", lambda: cls.of(pack.get("synonymer") or ()))

    def __bool__(self) -> bool:
        return bool(self._table)

    def apply(self, folded: str) -> str:
        if self._pattern is None:
            return folded
        return self._pattern.sub(lambda m: self._table[m.group(0)], folded)


@lru_cache(maxsize=64)
def _synonyms(groups: tuple[tuple[str, ...], ...]) -> Synonyms:
    return Synonyms(groups)


NO_SYNONYMS = Synonyms()


@lru_cache(maxsize=65536)
def fold(text: str, synonyms: Synonyms | None = None, footnotes: bool = True) -> str:
    """The normalised form of a label, header or title (cached: the same labels recur)."""
    folded = _base(text, footnotes).strip()
    if synonyms:
        if folded.endswith(" i alt"):  # "Netto utgifter i alt" is "I alt netto utgifter"
            folded = "i alt " + folded[: -len(" i alt")]
        folded = synonyms.apply(folded)
    return folded


# ------------------------------------------------------------------ globs

class _Glob:
    """A glob as fixed-length parts between ``*``: matched left to right without backtracking
    (each part's leftmost place is the best one), so no pattern can take more than linear time.
    A plain class: a @dataclass costs about 0.4 ms to build at import."""

    __slots__ = ("parts", "anchored_start", "anchored_end")

    def __init__(self, parts: tuple[tuple[Any, int], ...], anchored_start: bool, anchored_end: bool) -> None:
        self.parts = parts  # (compiled regex or _Literal, width)
        self.anchored_start = anchored_start
        self.anchored_end = anchored_end

    def match(self, text: str) -> bool:
        parts = self.parts
        if len(parts) == 1 and self.anchored_start and self.anchored_end:
            return parts[0][0].fullmatch(text) is not None
        pos = 0
        last = len(parts) - 1
        for index, (part, width) in enumerate(parts):
            if index == 0 and self.anchored_start:
                found = part.match(text, 0)
                if found is None:
                    return False
                pos = found.end()
                continue
            if index == last and self.anchored_end:
                start = len(text) - width
                if start < pos:
                    return False
                return part.fullmatch(text, start) is not None
            found = part.search(text, pos)
            if found is None:
                return False
            pos = found.end()
        return True


def fold_pattern(pattern: str, synonyms: Synonyms | None = None) -> list[str]:
    """A glob's literal fragments folded like text, with ``*`` and ``?`` kept as themselves."""
    pieces = re.split(r"([*?])", pattern)
    out: list[str] = []
    for piece in pieces:
        if piece in ("*", "?"):
            out.append(piece)
        elif piece:
            folded = _base(piece, False)
            if synonyms:
                folded = synonyms.apply(folded)
            out.append(folded)
    # spaces at the very start and end of the pattern mean nothing; collapse across fragments
    text = "".join(out)
    text = _SPACES.sub(" ", text).strip()
    return re.split(r"(\*)", text)


class _Found:
    __slots__ = ("_end",)

    def __init__(self, end: int):
        self._end = end

    def end(self) -> int:
        return self._end


class _Literal:
    """A glob part without ``?``, answering like its compiled regex would (``match``, ``search``,
    ``fullmatch`` at a position; the result's ``end()``)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def match(self, text: str, pos: int = 0) -> _Found | None:
        return _Found(pos + len(self.text)) if text.startswith(self.text, pos) else None

    def search(self, text: str, pos: int = 0) -> _Found | None:
        found = text.find(self.text, pos)
        return _Found(found + len(self.text)) if found >= 0 else None

    def fullmatch(self, text: str, pos: int = 0) -> _Found | None:
        return _Found(len(text)) if len(text) - pos == len(self.text) and text.startswith(self.text, pos) else None


@lru_cache(maxsize=8192)
def _compile(pattern: str, synonyms: Synonyms | None) -> _Glob:
    pieces = [p for p in fold_pattern(pattern, synonyms) if p != ""]
    parts: list[tuple[Any, int]] = []
    for run in (p for p in pieces if p != "*"):
        if "?" not in run:
            # a literal: str methods, not a compiled regex (a first check compiles hundreds of globs)
            parts.append((_Literal(run), len(run)))
            continue
        regex = "".join("." if ch == "?" else re.escape(ch) for ch in run)
        parts.append((re.compile(regex, re.DOTALL), len(run)))
    if not parts:
        parts = [(_Literal(""), 0)]
    anchored_start = not pieces or pieces[0] != "*"
    anchored_end = not pieces or pieces[-1] != "*"
    return _Glob(tuple(parts), anchored_start, anchored_end)


@lru_cache(maxsize=65536)
def glob_match(pattern: str, text: str, synonyms: Synonyms | None = None) -> bool:
    """``pattern`` (``*`` any run, ``?`` one character) matches ``text``, both folded; with
    synonyms, a match with or without them counts."""
    if _compile(pattern, None).match(fold(text)):
        return True
    if synonyms:
        return _compile(pattern, synonyms).match(fold(text, synonyms))
    return False


def closest(pattern: str, candidates: Sequence[str], synonyms: Synonyms | None = None, n: int = 3) -> list[str]:
    """The candidates nearest to a selector that matched none of them (for "not found" messages),
    best first; distinct texts only."""
    wanted = fold(pattern.replace("*", " ").replace("?", " "), synonyms, footnotes=False)
    scored = []
    seen = set()
    for candidate in candidates:
        if not candidate or candidate in seen:
            continue
        seen.add(candidate)
        folded = fold(candidate, synonyms)
        ratio = difflib.SequenceMatcher(None, wanted, folded).ratio()
        if wanted and wanted in folded:
            ratio = max(ratio, 0.75)
        scored.append((-ratio, len(scored), candidate))
    scored.sort()
    return [c for r, _, c in scored[:n] if -r >= 0.5]
