"""Matching a report's sections to the sections its rule pack's template requires.

Numbered template sections match by number first (the title may have drifted: the section rules
say so separately), then by title anywhere in the report. Unnumbered ones (the budget template,
"Bydelsdirektørens beretning") match by title, with aliases and typo tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linter.model import Report, Section
from linter.titles import title_similarity

TITLE_MATCH = 0.85


@dataclass(slots=True)
class SectionSpec:
    number: str | None
    title: str
    aliases: tuple[str, ...]
    required: bool
    raw: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def title_score(self, title: str) -> float:
        return max(title_similarity(title, t) for t in (self.title, *self.aliases))


def section_specs(pack) -> list[SectionSpec]:
    if pack is None:
        return []
    return [
        SectionSpec(
            number=item.get("nummer"),
            title=item["tittel"],
            aliases=tuple(item.get("alias", ())),
            required=item.get("påkrevd", True),
            raw=item,
        )
        for item in pack.get("seksjoner", [])
    ]


def match_sections(report: Report, pack) -> list[tuple[SectionSpec, Section | None]]:
    """Each template section with the report section it matches (or None), in template order."""
    sections = list(report.sections())
    by_number: dict[str, Section] = {}
    for section in sections:
        if section.number:
            by_number.setdefault(section.number.rstrip("."), section)
    specs = section_specs(pack)
    template_numbers = {spec.number for spec in specs if spec.number}
    used: set[int] = set()
    result = []
    for spec in specs:
        found = by_number.get(spec.number) if spec.number else None
        if found is None:
            best, best_score = None, TITLE_MATCH
            for section in sections:
                if id(section) in used:
                    continue
                number = section.number.rstrip(".") if section.number else None
                if number in template_numbers and number != spec.number:
                    continue  # that section is another template section's, by number
                score = spec.title_score(section.title)
                if score >= best_score:
                    best, best_score = section, score
            found = best
        if found is not None:
            used.add(id(found))
        result.append((spec, found))
    return result

