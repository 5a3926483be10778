"""Facts (D7xx): every figure of a typed table is a fact (concept, measure, scenario, year, unit,
precision; linter/facts/), and the same fact must agree wherever it is stated: in one report
(D701) and across the reports checked together (D702, from the post-pass in
linter/facts/crossdoc.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from linter.rules.base import Finding, Rule, RuleContext, Severity

if TYPE_CHECKING:
    from linter.facts.model import Fact
    from linter.model import Report

FAMILY = "fakta"


def describe(fact: "Fact") -> str:
    """One occurrence: value, table, row, column and line."""
    table = fact.caption if fact.caption else (fact.table_id or "tabell")
    return f"{fact.text} ({table}, rad «{fact.row_label}», kolonne «{fact.column_header}», linje {fact.line})"


def describe_en(fact: "Fact") -> str:
    table = fact.caption if fact.caption else (fact.table_id or "table")
    return f"{fact.text} ({table}, row «{fact.row_label}», column «{fact.column_header}», line {fact.line})"


def what(fact: "Fact", facts: "list[Fact] | None" = None) -> tuple[str, str]:
    """The row and every scenario and year the occurrences are about: «FO3» regnskap 2023, netto."""
    periods: list[str] = []
    for f in facts or [fact]:
        period = f"{(f.scenario or '').replace('-', ' ')} {f.year}"
        if period not in periods:
            periods.append(period)
    measure = f", {fact.measure}" if fact.measure else ""
    text = f"«{fact.row_label}» {', '.join(periods)}{measure}"
    return text, text


def occurrence(fact: "Fact") -> dict:
    return {"path": fact.path, "line": fact.line, "column": fact.col, "end_line": fact.end_line,
            "end_column": fact.end_col, "table": fact.table_id, "caption": fact.caption, "row": fact.row,
            "row_label": fact.row_label, "column_header": fact.column_header, "value": fact.text}


class DuplicateFactMismatch(Rule):
    """Det samme tallet er oppgitt med ulike verdier i samme rapport.

    Hvorfor: en rapport oppgir mange tall flere ganger: summen for et funksjonsområde står i
    FO-tabellen og i Tabell 0.1 B, opprinnelig ramme i Rammeoversikten, en indikator i både
    måltall- og nøkkeltalltabellen, sykefraværet i FO1 og i 4.7. Alle tall i typede tabeller
    blir fakta (begrep, måling, scenario, år, enhet og presisjon, etter taksonomien i
    regelpakkens `fakta:`), og to fakta med samme begrep, måling, scenario og år må stemme
    overens: hvert trykte tall v med presisjon u står for [v − u/2, v + u/2], og en sum av n
    avrundede tall får n × u/2 i tillegg. Funnet lister alle forekomstene og står ved tallet
    som skiller seg fra flertallet. En motsigelse som en relasjon i pakken (A2xx) allerede
    melder ved samme celle, meldes ikke en gang til.

    Feil:
        | Netto driftsutgifter | Oppr. budsjett 2024 |
        | Funksjonsområde 3 | 728 694 |
        ...
        | 728 721 | | FO3 Helse og omsorg - opprinnelig vedtatt ramme | FO3 |

    Riktig:
        | Netto driftsutgifter | Oppr. budsjett 2024 |
        | Funksjonsområde 3 | 728 694 |
        ...
        | 728 694 | | FO3 Helse og omsorg - opprinnelig vedtatt ramme | FO3 |
    """

    code = "D701"
    name = "duplicate-fact-mismatch"
    family = FAMILY
    severity = Severity.WARNING
    summary = ("samme tall oppgitt med ulike verdier i rapporten", "the same figure is stated with different values")
    messages = {
        "mismatch": (
            "{what} er oppgitt med ulike verdier: {occurrences}",
            "{what_en} is stated with different values: {occurrences_en}",
        ),
    }

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        from linter.facts.compare import disagreements
        from linter.facts.extract import report_facts
        from linter.model import Span

        # kept in the report's shared analysis: the HTML page's key figures are made of these too
        facts = context.memo("facts:comparable", lambda: report_facts(report, context.pack, comparable_only=True),
                             keep=True)
        for found in disagreements(facts):
            odd = found.odd
            what_nb, what_en = what(odd, found.facts)
            span = Span(odd.line, odd.col, odd.end_line, odd.end_col, odd.offset, odd.end_offset)
            yield self.finding(
                report, span, "mismatch",
                what=what_nb, what_en=what_en,
                occurrences="; ".join(describe(f) for f in found.facts),
                occurrences_en="; ".join(describe_en(f) for f in found.facts),
                details={"table": odd.table_id, "row": odd.row, "column": odd.column, "concept": odd.concept,
                         "measure": odd.measure, "scenario": odd.scenario, "year": odd.year,
                         "majority": found.majority, "occurrences": [occurrence(f) for f in found.facts]},
            )


class CrossDocumentFactMismatch(Rule):
    """Et tall er oppgitt ulikt i to rapporter fra samme bydel som kontrolleres sammen.

    Hvorfor: neste års årsberetning gjentar årets regnskap, årsberetningens «Opprinnelig
    budsjett» gjentar budsjettet, og budsjettets måltall for året står igjen i årsberetningen.
    Når `rapportlint check` får flere rapporter (en mappe), sammenlignes faktaene deres
    (scenariene i `fakta: på_tvers:`, samme bydel, begrep, måling og år). Funnet står i den
    rapporten som gjentar tallet (den som kommer sist ut), og peker også på den andre filen
    (SARIF relatedLocations, lenke i HTML-rapporten). Én fil alene gir aldri dette funnet, og
    et dokument som selv er uenig med seg selv (D701) gir ikke i tillegg D702 for samme tall.

    Feil:
        årsberetning 2024: | Funksjonsområde 1 | Regnskap 2023: 27 280 |
        årsberetning 2023: | Funksjonsområde 1 | Regnskap 2023: 27 208 |

    Riktig:
        årsberetning 2024: | Funksjonsområde 1 | Regnskap 2023: 27 280 |
        årsberetning 2023: | Funksjonsområde 1 | Regnskap 2023: 27 280 |
    """

    code = "D702"
    name = "cross-document-fact-mismatch"
    family = FAMILY
    severity = Severity.WARNING
    summary = ("samme tall oppgitt ulikt i to rapporter", "the same figure differs between two reports")
    messages = {
        "mismatch": (
            "{what} er {value} her, men {other_value} i {other_path} (linje {other_line}): {occurrences}",
            "{what_en} is {value} here but {other_value} in {other_path} (line {other_line}): {occurrences_en}",
        ),
        "city": (
            "{what} er {value} for byen, men summen over {count} bydeler i kjøringen er {total}",
            "{what_en} is {value} for the city, but the sum over the {count} districts in the run is {total}",
        ),
    }

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        return ()  # reported by the post-pass over all files of a run (linter/facts/crossdoc.py)


class FactsNotChecked(Rule):
    """Faktakontrollen kunne ikke kjøre: regelpakken har ingen taksonomi (`fakta:`).

    Hvorfor: uten taksonomien vet ikke verktøyet hva radene og kolonnene betyr, og D701/D702
    ville ellers bare vært stille. Legg til `fakta:` i regelpakken (eller `fakta: {fra:
    årsberetning-2024}` for å bruke årsberetningens).

    Feil:
        id: min-pakke-2025
        (ingen fakta:)

    Riktig:
        id: min-pakke-2025
        fakta:
          fra: årsberetning-2024
    """

    code = "D703"
    name = "facts-not-checked"
    family = FAMILY
    severity = Severity.INFO
    summary = ("faktakontrollen kunne ikke kjøre", "the fact check could not run")
    messages = {
        "no_taxonomy": (
            "faktakontrollen (D701/D702) kjørte ikke: regelpakken {pack} har ingen taksonomi (fakta:)",
            "the fact check (D701/D702) did not run: rule pack {pack} has no taxonomy (fakta:)",
        ),
    }

    def check(self, report: "Report", context: RuleContext) -> Iterable[Finding]:
        from linter.facts.taxonomy import taxonomy_for

        if context.pack is None or taxonomy_for(context.pack) is not None:
            return
        if not any(t.caption is not None and t.rows for t in report.tables):
            return
        span = report.front_matter.span if report.front_matter else report.tables[0].span
        from linter.model import Span

        yield self.finding(report, Span(span.line, span.column, span.line, span.column, span.offset, span.offset),
                           "no_taxonomy", pack=context.pack.id)
