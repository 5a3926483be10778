"""Syntax rules (P): what the parser had to read around. One malformed row must not hide the
report: the parser repairs what it can (a row made as wide as its header, a table without its
delimiter row, attributes with a missing quote), records the problem, and the rest of the file
is checked. These rules report those problems, each with the line and a tip."""

from __future__ import annotations

from typing import Iterable

from linter.model import Report, Span
from linter.rules.base import Finding, Rule, RuleContext, Severity


class _ParseProblemRule(Rule):
    family = "syntaks"
    severity = Severity.ERROR
    messages = {"problem": ("{nb}", "{en}")}  # the parser's own message and tip

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for problem in report.problems:
            if problem.code != self.code:
                continue
            start = min(problem.offset, len(report.source))
            end = max(start, min(problem.end_offset, len(report.source)))
            end_line = report.source.count("\n", start, end) + problem.line
            end_start = report.source.rfind("\n", 0, end) + 1
            span = Span(problem.line, problem.column, end_line, end - end_start + 1, start, end)
            nb = f"{problem.message_nb}. Tips: {problem.hint_nb}" if problem.hint_nb else problem.message_nb
            en = f"{problem.message_en}. Tip: {problem.hint_en}" if problem.hint_en else problem.message_en
            yield self.finding(report, span, "problem", nb=nb, en=en)


class TableRowWidth(_ParseProblemRule):
    """En tabellrad har et annet antall celler enn overskriftsraden.

    Hvorfor: en celle for mye (ofte en `|` i en tekst som ikke er skrevet `\\|`) eller for lite
    flytter tallene over i feil kolonne. Raden leses likevel (manglende celler blir tomme,
    overflødige tas ikke med), resten av rapporten kontrolleres, men tabellens summer
    kontrolleres ikke før raden er rettet.

    Feil:
        | Tjeneste | Regnskap 2024 |
        |---|---:|
        | Barnehage | Helse | 27 280 |

    Riktig:
        | Tjeneste | Regnskap 2024 |
        |---|---:|
        | Barnehage \\| Helse | 27 280 |
    """

    code = "P001"
    name = "table-row-width"
    summary = ("Tabellrad med feil antall celler", "Table row with the wrong number of cells")


class TableDelimiterMissing(_ParseProblemRule):
    """En tabell mangler skillelinjen (`|---|---:|`) under overskriftsraden.

    Hvorfor: uten skillelinjen vises tabellen som løs tekst når rapporten leses på GitHub eller
    GitLab. Raden øverst leses som overskrift og de andre som rader, og tabellen kontrolleres
    likevel.

    Feil:
        | Nøkkeltall | 2024 |
        | Antall barn | 1 119 |

    Riktig:
        | Nøkkeltall | 2024 |
        |---|---:|
        | Antall barn | 1 119 |
    """

    code = "P002"
    name = "table-delimiter-missing"
    summary = ("Tabell uten skillelinje", "Table without a delimiter row")


class CaptionAttributesUnreadable(_ParseProblemRule):
    """Attributtene i en tabelltekst kan ikke leses (manglende anførselstegn, } eller =).

    Hvorfor: `type=` og `enhet=` bestemmer hvilke regler som kontrollerer tabellen. Det som kan
    leses, brukes (en verdi uten avsluttende anførselstegn leses til slutten av blokken), men
    teksten må rettes så den betyr det den ser ut til å bety.

    Feil:
        : Tabell 0.1 Brutto driftsutgifter {#t0-1 type=økonomi enhet="1000 kr}

    Riktig:
        : Tabell 0.1 Brutto driftsutgifter {#t0-1 type=økonomi enhet="1000 kr"}
    """

    code = "P003"
    name = "caption-attributes-unreadable"
    summary = ("Tabellattributter som ikke kan leses", "Unreadable table attributes")


class StructureUnreadable(_ParseProblemRule):
    """En linje passer ikke i formatet der den står (tabelltekst uten tabell, kommentar som
    aldri avsluttes, front matter som aldri lukkes eller har en ugyldig linje).

    Hvorfor: en HTML-kommentar uten `-->` skjuler resten av rapporten når den vises, og en
    tabelltekst med tom linje under seg hører ikke til noen tabell. Linjen rapporteres, og
    resten av filen leses og kontrolleres.

    Feil:
        : Tabell 3.1 Nøkkeltall {#t3-1 type=nøkkeltall}

        | Nøkkeltall | 2024 |

    Riktig:
        : Tabell 3.1 Nøkkeltall {#t3-1 type=nøkkeltall}
        | Nøkkeltall | 2024 |
    """

    code = "P004"
    name = "structure-unreadable"
    summary = ("Linje som ikke passer i formatet", "A line that does not fit the format")
