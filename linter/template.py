"""Matching a report's sections to the sections its rule pack's template requires.

Numbered template sections match by number first (the title may have drifted: the section rules
say so separately), then by title. Unnumbered ones (the budget template, "Bydelsdirektørens
beretning") match by title, with aliases and typo tolerance. A template section is looked for
inside the section its template parent matched, so "Ansvarsområde" of FO1 is never taken from FO2A.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from linter.model import Report, Section
from linter.titles import normalize_title, title_similarity

TITLE_MATCH = 0.85


@dataclass(slots=True, eq=False)
class SectionSpec:
    number: str | None
    title: str
    aliases: tuple[str, ...]
    required: bool
    raw: dict[str, Any]
    parent: "SectionSpec | None" = None
    index: int = 0  # position in template order

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def title_score(self, title: str) -> float:
        return max(title_similarity(title, t) for t in (self.title, *self.aliases))

    def title_matches_exactly(self, title: str) -> bool:
        norm = normalize_title(title)
        return any(normalize_title(t) == norm for t in (self.title, *self.aliases))


@dataclass(slots=True)
class SectionMatch:
    spec: SectionSpec
    section: Section | None
    by: str | None = None  # "number" or "title"


def _flatten(items: Iterable[dict], parent: SectionSpec | None, out: list[SectionSpec], skip: set[str]) -> None:
    for item in items:
        number = item.get("nummer")
        if number and number in skip:
            continue
        spec = SectionSpec(
            number=number,
            title=item["tittel"],
            aliases=tuple(item.get("alias", ())),
            required=item.get("påkrevd", True),
            raw=item,
            parent=parent,
            index=len(out),
        )
        if number and parent is None:
            # The nearest template section whose number is a prefix of this one.
            parts = number.split(".")
            known = {s.number: s for s in out if s.number}
            for cut in range(len(parts) - 1, 0, -1):
                found = known.get(".".join(parts[:cut]))
                if found is not None:
                    spec.parent = found
                    break
        out.append(spec)
        _flatten(item.get("seksjoner", ()), spec, out, skip)


def section_specs(pack) -> list[SectionSpec]:
    """The pack's template sections in order; nested ``seksjoner`` become children. Sections
    named in ``utelat_seksjoner`` (a pack that inherits but lacks some of its parent's sections)
    are left out, with their subsections."""
    if pack is None:
        return []
    skip = set(pack.get("utelat_seksjoner", ()) or ())
    out: list[SectionSpec] = []
    _flatten(pack.get("seksjoner", []) or [], None, out, skip)
    if skip:
        out = [s for s in out if not (s.number and any(s.number.startswith(n + ".") for n in skip))]
    return out


def _descendants(section: Section) -> list[Section]:
    result: list[Section] = []
    for child in section.children:
        result.extend(child.walk())
    return result


def match_sections(report: Report, pack) -> list[SectionMatch]:
    """Each template section with the report section it matches (or None), in template order."""
    last = _LAST
    if last and last[0] is report and last[1] is pack:
        return last[2]
    specs = section_specs(pack)
    sections = list(report.sections())
    by_number: dict[str, Section] = {}
    for section in sections:
        if section.number:
            by_number.setdefault(section.number.rstrip("."), section)
    template_numbers = {spec.number for spec in specs if spec.number}
    used: set[int] = set()
    found_for: dict[int, Section | None] = {}
    result: list[SectionMatch] = []
    for position, spec in enumerate(specs):
        section = by_number.get(spec.number) if spec.number else None
        by = "number" if section is not None else None
        if section is None:
            if spec.parent is not None:
                parent_section = found_for.get(id(spec.parent))
                scope = _descendants(parent_section) if parent_section is not None else []
            else:
                scope = sections
            later_siblings = [s for s in specs[position + 1 :] if s.parent is spec.parent]
            best, best_score = None, TITLE_MATCH
            for candidate in scope:
                if id(candidate) in used:
                    continue
                number = candidate.number.rstrip(".") if candidate.number else None
                if number in template_numbers and number != spec.number:
                    continue  # that section is another template section's, by number
                score = spec.title_score(candidate.title)
                if score < 1.0 and any(s.title_matches_exactly(candidate.title) for s in later_siblings):
                    continue  # it is exactly a later template section, not a typo of this one
                if score > best_score or (score == best_score and best is None):
                    best, best_score = candidate, score
            section = best
            by = "title" if best is not None else None
        if section is not None:
            used.add(id(section))
        found_for[id(spec)] = section
        result.append(SectionMatch(spec, section, by))
    _LAST[:] = [report, pack, result]
    return result


# Several rules ask for the same matching of the same report: keep the last one.
_LAST: list = []


def matched_section(report: Report, pack, *, number: str | None = None, title: str | None = None) -> Section | None:
    """The report section matched to the template section with this number (or title)."""
    for match in match_sections(report, pack):
        if number is not None and match.spec.number == number:
            return match.section
        if number is None and title is not None and normalize_title(match.spec.title) == normalize_title(title):
            return match.section
    return None


def find_section(report: Report, pack, ref: str) -> Section | None:
    """A section named in a pack setting: a template number ("4.18"), else a template title,
    else any report section with that number or title."""
    if ref and ref[0].isdigit():
        found = matched_section(report, pack, number=ref) if pack is not None else None
        return found or report.section_by_number(ref)
    found = matched_section(report, pack, title=ref) if pack is not None else None
    if found is not None:
        return found
    for section in report.sections():
        if title_similarity(section.title, ref) >= TITLE_MATCH:
            return section
    return None
