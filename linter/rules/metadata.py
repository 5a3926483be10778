"""Front matter rules (M): the metadata every report must carry."""

from __future__ import annotations

from typing import Iterable

from linter.model import Report, Span
from linter.rules.base import Finding, Rule, RuleContext, Severity

REQUIRED_KEYS = ("bydel", "dokument", "år")
DOCUMENT_KINDS = ("årsberetning", "budsjett")


def _file_start(report: Report) -> Span:
    return Span(1, 1, 1, 1, 0, 0)


class FrontMatterMissing(Rule):
    """Rapporten mangler front matter, eller en påkrevd nøkkel i den.

    Hvorfor: linteren velger regelpakke etter dokumenttype og år, og revisorene sorterer
    rapportene etter bydel. Uten disse kan ingen malregler kjøres.

    Feil:
        # 3 Måloppnåelse og resultater

    Riktig:
        ---
        bydel: Sagene
        dokument: årsberetning
        år: 2024
        ---
        # 3 Måloppnåelse og resultater
    """

    code = "M101"
    name = "front-matter-missing"
    family = "metadata"
    severity = Severity.ERROR
    summary = ("Front matter eller påkrevd nøkkel mangler", "Front matter or a required key is missing")
    messages = {
        "no-front-matter": (
            "rapporten mangler front matter (bydel, dokument, år) øverst i filen",
            "the report has no front matter (bydel, dokument, år) at the top of the file",
        ),
        "missing-key": (
            "front matter mangler nøkkelen «{field}»",
            "the front matter lacks the key «{field}»",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        if report.front_matter is None:
            yield self.finding(report, _file_start(report), "no-front-matter")
            return
        for key in REQUIRED_KEYS:
            if key not in report.front_matter.fields:
                yield self.finding(report, report.front_matter.span, "missing-key", field=key)


class FrontMatterInvalid(Rule):
    """En verdi i front matter er ugyldig.

    Hvorfor: `dokument` må være `årsberetning` eller `budsjett`, og `år` et årstall; ellers
    velges feil regelpakke, eller ingen.

    Feil:
        dokument: årsrapport
        år: 24

    Riktig:
        dokument: årsberetning
        år: 2024
    """

    code = "M102"
    name = "front-matter-invalid"
    family = "metadata"
    severity = Severity.ERROR
    summary = ("Ugyldig verdi i front matter", "Invalid front matter value")
    messages = {
        "kind": (
            "«{value}» er ikke en kjent dokumenttype; bruk årsberetning eller budsjett",
            "«{value}» is not a known document kind; use årsberetning or budsjett",
        ),
        "year": (
            "«{value}» er ikke et årstall (fire sifre)",
            "«{value}» is not a year (four digits)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        fm = report.front_matter
        if fm is None:
            return
        kind = fm.fields.get("dokument")
        if kind and kind.value not in DOCUMENT_KINDS:
            yield self.finding(report, kind.value_span, "kind", value=kind.value)
        year = fm.fields.get("år")
        if year and not (year.value.isascii() and year.value.isdigit() and len(year.value) == 4):
            yield self.finding(report, year.value_span, "year", value=year.value)


class RulePackNearestYear(Rule):
    """Det finnes ingen regelpakke for rapportens år; pakken for nærmeste tidligere år brukes.

    Hvorfor: malen endres fra år til år (nye seksjoner, nye sjekklister). Når rapporten er for et
    år rapportlint ikke har en egen pakke for, kontrolleres den mot nærmeste tidligere års mal,
    og det bør leseren vite: et funn kan skyldes at malen er endret. Velg pakken selv med
    «mal:» i front matter (da kommer ikke denne meldingen).

    Feil:
        ---
        bydel: Sagene
        dokument: årsberetning
        år: 2027
        ---

    Riktig:
        ---
        bydel: Sagene
        dokument: årsberetning
        år: 2027
        mal: årsberetning-2024
        ---
    """

    code = "M103"
    name = "rule-pack-nearest-year"
    family = "metadata"
    severity = Severity.INFO
    summary = ("Regelpakke for et annet år brukes", "Rule pack of another year used")
    messages = {
        "nearest": (
            "ingen regelpakke for {kind} {year}; bruker {pack} (sett «mal:» for å velge)",
            "no rule pack for {kind} {year}; using {pack} (set «mal:» to choose)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        return ()  # the engine reports it while it chooses the pack (linter/engine.py choose_pack)
