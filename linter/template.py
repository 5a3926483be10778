"""Matching a report's sections to the sections its rule pack's template requires.

A template section is identified by its title within the year's template; its number is a hint.
Matching runs in passes, each in template order:

1. title and number both as in the template (the usual case);
2. the exact title (or an alias) under another number or none: a misnumbered section;
3. the template number, whatever the title says (a drifted title: the section rules say so),
   unless the heading there carries exactly the title of another template section still unmatched;
4. a title like the template's (typo tolerance) under another number or none.

A template section is looked for inside the section its template parent matched (or, when the
parent is missing, inside the nearest ancestor found), so "Ansvarsområde" of FO1 is never taken
from FO2A. Numbers a template is known to print either way (``andre_nummer``) count as its own.
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
    other_numbers: tuple[str, ...] = ()  # numbers the template is also printed with
    evidence: int | None = None  # ``belegg``: how many reports attest it (None: the template itself)
    # The title and aliases normalised (normalize_title), made on first use: every heading of a
    # report is compared with the specs' titles, and the specs live as long as their pack.
    _exact: frozenset[str] | None = None

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def weakly_attested(self) -> bool:
        """Known from one report only: drift from it is a hint, never an error."""
        return self.evidence is not None and self.evidence <= 1

    @property
    def numbers(self) -> tuple[str, ...]:
        return ((self.number,) if self.number else ()) + self.other_numbers

    def title_score(self, title: str) -> float:
        return max(title_similarity(title, t) for t in (self.title, *self.aliases))

    def title_matches_exactly(self, title: str) -> bool:
        return normalize_title(title) in self.exact_titles()

    def exact_titles(self) -> frozenset[str]:
        """The title and aliases, normalised."""
        exact = self._exact
        if exact is None:
            exact = self._exact = frozenset(normalize_title(t) for t in (self.title, *self.aliases))
        return exact

    def is_ancestor_of(self, other: "SectionSpec") -> bool:
        node = other.parent
        while node is not None:
            if node is self:
                return True
            node = node.parent
        return False


@dataclass(slots=True)
class SectionMatch:
    spec: SectionSpec
    section: Section | None
    by: str | None = None  # "number" (the template's number) or "title" (found by title elsewhere)


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
            other_numbers=tuple(item.get("andre_nummer", ())),
            evidence=item.get("belegg"),
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
    are left out, with their subsections. Made once per pack (every section rule asks): the
    list and its specs are shared, never changed by a caller."""
    if pack is None:
        return []
    return pack.derived("template:specs", lambda: _section_specs(pack))


def _section_specs(pack) -> list[SectionSpec]:
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


def _number(section: Section) -> str | None:
    return section.number.rstrip(".") if section.number else None


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
            by_number.setdefault(_number(section), section)
    template_numbers = {n for spec in specs for n in spec.numbers}
    used: set[int] = set()
    found: dict[int, tuple[Section, str]] = {}  # id(spec) -> (section, by)
    below: dict[int, list[Section]] = {}  # id(section) -> its descendants (siblings share a scope)
    titles = {id(section): normalize_title(section.title) for section in sections}

    def same_title(spec: SectionSpec, section: Section) -> bool:
        """spec.title_matches_exactly(section.title), with the report's titles normalised once."""
        return titles[id(section)] in spec.exact_titles()

    def descendants(root: Section) -> list[Section]:
        known = below.get(id(root))
        if known is None:
            known = below[id(root)] = _descendants(root)
        return known

    def take(spec: SectionSpec, section: Section, by: str) -> None:
        used.add(id(section))
        found[id(spec)] = (section, by)

    # 1. Number and title both as in the template.
    for spec in specs:
        for number in spec.numbers:
            section = by_number.get(number)
            if section is not None and id(section) not in used and same_title(spec, section):
                take(spec, section, "number")
                break

    def claimed_by_other(section: Section, spec: SectionSpec) -> bool:
        """The heading carries exactly the title of another, still unmatched template section."""
        if same_title(spec, section):
            return False
        return any(other is not spec and id(other) not in found and same_title(other, section)
                   and _in_scope(other, section)
                   for other in specs)

    def _in_scope(spec: SectionSpec, section: Section) -> bool:
        scope_root = _scope_root(spec)
        if scope_root is None:
            return True
        node = section.parent
        while node is not None:
            if node is scope_root:
                return True
            node = node.parent
        return False

    def _scope_root(spec: SectionSpec) -> Section | None:
        ancestor = spec.parent
        while ancestor is not None:
            if id(ancestor) in found:
                return found[id(ancestor)][0]
            ancestor = ancestor.parent
        return None

    # 2. The exact title (or an alias) under another number: a misnumbered section.
    for spec in specs:
        if id(spec) in found:
            continue
        root = _scope_root(spec)
        if spec.parent is not None and not spec.number and id(spec.parent) not in found:
            continue
        scope = descendants(root) if root is not None else sections
        chapter = spec.number.split(".")[0] if spec.number and spec.parent is not None else None
        for candidate in scope:
            if id(candidate) in used or not same_title(spec, candidate):
                continue
            if chapter and id(spec.parent) not in found and (_number(candidate) or "").split(".")[0] != chapter:
                continue  # its parent is not placed yet: only its own chapter (not a vedlegg of that title)
            take(spec, candidate, "title")
            break

    # 3. The template's number, title drifted (unless the heading is another template section).
    for spec in specs:
        if id(spec) in found:
            continue
        for number in spec.numbers:
            section = by_number.get(number)
            if section is None or id(section) in used or claimed_by_other(section, spec):
                continue
            take(spec, section, "number")
            break

    # 4. A title like the template's (typo tolerance), under another number or none.
    for position, spec in enumerate(specs):
        if id(spec) in found:
            continue
        root = _scope_root(spec)
        if spec.parent is not None and not spec.number and id(spec.parent) not in found:
            scope = []  # an unnumbered subsection is only ever looked for under its own parent
        else:
            scope = descendants(root) if root is not None else sections
        later_siblings = [s for s in specs[position + 1 :] if s.parent is spec.parent]
        best, best_key = None, None
        for candidate in scope:
            if id(candidate) in used:
                continue
            exact = same_title(spec, candidate)
            number = _number(candidate)
            if not exact:
                if number in template_numbers:
                    continue  # that section is another template section's, by number
                score = spec.title_score(candidate.title)
                if score < TITLE_MATCH:
                    continue
                if any(same_title(s, candidate) for s in later_siblings):
                    continue  # it is exactly a later template section, not a typo of this one
            else:
                score = 1.0
            key = (exact, score)
            if best_key is None or key > best_key:
                best, best_key = candidate, key
        if best is not None:
            take(spec, best, "title")

    result = []
    for spec in specs:
        section, by = found.get(id(spec), (None, None))
        result.append(SectionMatch(spec, section, by))
    _LAST[:] = [report, pack, result]
    return result


# Several rules ask for the same matching of the same report: keep the last one (until the
# engine's check of that report is done: forget_last).
_LAST: list = []


def forget_last() -> None:
    """Drop the kept matching, and with it the report it holds (a large report's model would
    otherwise stay alive after its check, through the next one)."""
    _LAST.clear()
    _LAST_INDEX.clear()  # its matches hold the report's sections, and through them its blocks


def matched_section(report: Report, pack, *, number: str | None = None, title: str | None = None) -> Section | None:
    """The report section matched to the template section with this number (or title)."""
    by_number, by_title = _match_index(report, pack)
    if number is not None:
        match = by_number.get(number)
    elif title is not None:
        match = by_title.get(normalize_title(title))
    else:
        return None
    return match.section if match is not None else None


def _match_index(report: Report, pack) -> tuple[dict[str, SectionMatch], dict[str, SectionMatch]]:
    """The matches by template number and by normalised template title, the first in template
    order for each (what a scan of ``match_sections`` finds), made once per matching: pack
    settings name sections (checklists, indicators, verbalvedtak) and each rule asks."""
    matches = match_sections(report, pack)
    last = _LAST_INDEX
    if last and last[0] is matches:
        return last[1]
    by_number: dict[str, SectionMatch] = {}
    by_title: dict[str, SectionMatch] = {}
    for match in matches:
        if match.spec.number is not None:
            by_number.setdefault(match.spec.number, match)
        by_title.setdefault(normalize_title(match.spec.title), match)
    _LAST_INDEX[:] = [matches, (by_number, by_title)]
    return by_number, by_title


_LAST_INDEX: list = []


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


def spec_for(pack, ref: str) -> SectionSpec | None:
    """The template section a pack setting names (by number or title), if any."""
    for spec in section_specs(pack):
        if ref[:1].isdigit() and ref in spec.numbers:
            return spec
        if not ref[:1].isdigit() and normalize_title(spec.title) == normalize_title(ref):
            return spec
    return None
