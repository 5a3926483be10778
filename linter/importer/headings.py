"""Recognising the report's headings in a cleaned extract.

Numbered headings ("3.2.4 Hovedoversikt økonomi FO1 – netto driftsutgifter", " 1. Innledning",
a number alone on its line with the title below, a title wrapped onto the next line) are
accepted when their number can follow the previous heading's (next sibling, a child, or a level
skipped as the reports sometimes do), or when the template knows that number with a similar
title. That rules out numbered lists and table rows that happen to start with a figure.
Unnumbered headings (Bydelsdirektørens beretning; all of a Framsikt budget's) are found by the
template's titles, looked for only inside the section their template parent matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from linter.importer.clean import Line
from linter.importer.numbers import tokenize_tail
from linter.titles import normalize_title, title_similarity

_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})(?P<dot>\.?)\s+(?P<title>\S.*)$")
_NUMBER_ONLY = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})(?P<dot>\.?)$")
_TOC_TAIL = re.compile(r"(\.{3,}|…)\s*\d+$")
_CONNECTORS = {"for", "og", "i", "av", "til", "med", "samt", "-", "–", "på", "om", "fra", "eller"}


@dataclass(slots=True)
class HeadingHit:
    index: int  # position in the line list of the heading's first line
    end: int  # position after its last line
    level: int
    number: str | None  # as written, trailing dot kept
    title: str
    spec: object | None = None  # the template SectionSpec it matched, if any


def _parts(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.rstrip(".").split("."))


def plausible_next(prev: tuple[int, ...] | None, new: tuple[int, ...]) -> bool:
    """Can ``new`` follow ``prev`` in a report's numbering? Siblings may skip one number and
    levels may be skipped (both happen in the real reports), but only by small steps."""
    if prev is None:
        return new[0] <= 2 and all(p <= 2 for p in new[1:])
    k = 0
    while k < len(prev) and k < len(new) and prev[k] == new[k]:
        k += 1
    if k == len(new):
        return False  # the same number again, or going back up to an ancestor's number
    if k == len(prev):
        return all(1 <= p <= 2 for p in new[k:]) or (new[k] <= 2 and all(p <= 2 for p in new[k + 1 :]))
    step = new[k] - prev[k]
    return 1 <= step <= 2 and all(1 <= p <= 2 for p in new[k + 1 :])


def _title_ok(title: str) -> bool:
    if not title or not (title[0].isupper() or title[0] in "«\"(") or _TOC_TAIL.search(title):
        return False
    if len(title) > 150 or sum(ch.isalpha() for ch in title) < 3:
        return False
    start, toks = tokenize_tail(title.split())
    return len(toks) < 2  # "2 Sum 100 200" is a table row, not a heading


class HeadingFinder:
    def __init__(self, specs: list, numbered: bool):
        self.specs = specs
        self.numbered = numbered
        self.by_number = {s.number: s for s in specs if s.number}
        self.unnumbered = [s for s in specs if not s.number]

    def find(self, lines: list[Line]) -> list[HeadingHit]:
        hits: list[HeadingHit] = []
        prev: tuple[int, ...] | None = None
        seen_numbers: set[tuple[int, ...]] = set()
        stack: list = []  # matched template specs, outermost first
        matched: set[int] = set()
        i = 0
        while i < len(lines):
            text = lines[i].text
            if not text:
                i += 1
                continue
            hit = self._numbered(lines, i, prev, seen_numbers) if self.numbered else None
            if hit is None:
                hit = self._unnumbered(lines, i, stack)
                if hit is not None and id(hit.spec) in matched and not (
                    hits and hits[-1].spec is hit.spec and not any(line.text for line in lines[hits[-1].end : hit.index])
                ):
                    hit = None  # a template title seen again later is a caption or a mention, not the section
            if hit is not None and hit.spec is not None:
                matched.add(id(hit.spec))
            if hit is None:
                i += 1
                continue
            if hits and hit.spec is not None and hits[-1].spec is hit.spec and not any(
                line.text for line in lines[hits[-1].end : hit.index]
            ):
                # Framsikt prints a chapter's title twice ("Verbalvedtak" / "Verbalvedtak"):
                # the second is a sub-heading, not the same section again.
                hit.level, hit.spec = hits[-1].level + 1, None
            if hit.number:
                prev = _parts(hit.number)
                seen_numbers.add(prev)
            if hit.spec is not None:
                depth = _depth(hit.spec)
                del stack[depth - 1 :]
                stack.append(hit.spec)
            hits.append(hit)
            i = hit.end
        return hits

    # ------------------------------------------------------------ numbered
    def _numbered(self, lines, i, prev, seen) -> HeadingHit | None:
        text = lines[i].text
        match = _NUMBERED.match(text)
        end = i + 1
        if match:
            number, dot, title = match["num"], match["dot"], match["title"]
        else:
            only = _NUMBER_ONLY.match(text)
            if not only or i + 1 >= len(lines) or not lines[i + 1].text:
                return None
            number, dot, title = only["num"], only["dot"], lines[i + 1].text
            end = i + 2
        if not _title_ok(title):
            return None
        parts = _parts(number)
        if any(p == 0 for p in parts) or parts in seen:
            return None  # a repeated number is the report reusing a heading as a table caption
        spec = self.by_number.get(number)
        known = spec is not None and title_similarity(title, spec.title) >= 0.75
        if not known and not plausible_next(prev, parts):
            return None
        if spec is not None and not known and len(parts) == 1 and title_similarity(title, spec.title) < 0.4:
            return None  # "4. Bydelen skal ..." in a list under chapter 3 is not chapter 4
        title, end = self._join_wrapped(lines, end, title, spec)
        return HeadingHit(i, end, len(parts), number + dot, title, spec if known else None)

    @staticmethod
    def _join_wrapped(lines, end, title, spec):
        if end >= len(lines) or not lines[end].text:
            return title, end
        nxt = lines[end].text
        if len(nxt) > 60 or nxt.endswith(".") or _NUMBERED.match(nxt) or len(tokenize_tail(nxt.split())[1]) >= 2:
            return title, end
        last = title.split()[-1].lower() if title.split() else ""
        joined = f"{title} {nxt}"
        better = spec is not None and title_similarity(joined, spec.title) > title_similarity(title, spec.title)
        if better or last in _CONNECTORS or title.endswith((",", "-", "–")) or nxt[0].islower() or nxt.startswith("("):
            if spec is not None and not better and title_similarity(title, spec.title) >= 0.95:
                return title, end
            return joined, end + 1
        return title, end

    # ------------------------------------------------------------ unnumbered
    def _unnumbered(self, lines, i, stack) -> HeadingHit | None:
        text = lines[i].text
        if len(text) > 120 or not self.unnumbered:
            return None
        candidates = [(text, i + 1)]
        if i + 1 < len(lines) and lines[i + 1].text and len(lines[i + 1].text) < 60:
            candidates.append((f"{text} {lines[i + 1].text}", i + 2))
        best = None
        for spec in self.unnumbered:
            if spec.parent is not None and spec.parent not in stack:
                continue
            for cand, end in candidates:
                norm_c, norm_s = normalize_title(cand), normalize_title(spec.title)
                if abs(len(norm_c) - len(norm_s)) > 6:
                    continue
                score = spec.title_score(cand)
                if score >= 0.9 and (best is None or score > best[0] or (score == best[0] and _depth(spec) > _depth(best[1]))):
                    best = (score, spec, cand, end)
        if best is None:
            return None
        _, spec, title, end = best
        return HeadingHit(i, end, _depth(spec), None, title, spec)


def _depth(spec) -> int:
    depth = 1
    while spec.parent is not None:
        spec = spec.parent
        depth += 1
    return depth
