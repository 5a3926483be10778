"""Section rules (S): the template's mandatory sections."""

from __future__ import annotations

from typing import Iterable

from linter.model import Report, Span
from linter.rules.base import Finding, Rule, RuleContext, Severity
from linter.template import match_sections


class MandatorySectionMissing(Rule):
    """En seksjon som malen krever, finnes ikke i rapporten.

    Hvorfor: byrådet og kommunerevisjonen leser alle bydelenes årsberetninger side om side;
    malens seksjoner (HMS, jodberedskap, verbalvedtak ...) skal finnes i hver av dem. En seksjon
    som ikke finnes, blir ikke rapportert på.

    Seksjonen finnes når et kapittel har malens nummer, eller en tittel som ligner malens
    (store/små bokstaver, bindestreker og små skrivefeil tolereres).

    Feil:
        ## 4.17 Barn som kan være utsatt for omsorgssvikt, vold eller seksuelle overgrep
        ## 4.19 Forebygging og bekjemping av rasisme

    Riktig:
        ## 4.17 Barn som kan være utsatt for omsorgssvikt, vold eller seksuelle overgrep
        ## 4.18 Rapportering jodberedskap
        ## 4.19 Forebygging og bekjemping av rasisme
    """

    code = "S101"
    name = "mandatory-section-missing"
    family = "seksjoner"
    severity = Severity.ERROR
    summary = ("Påkrevd seksjon mangler", "Mandatory section missing")
    messages = {
        "missing": (
            "påkrevd seksjon «{label}» mangler (mal {pack})",
            "mandatory section «{label}» is missing (template {pack})",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        if context.pack is None:
            return
        matches = match_sections(report, context.pack)
        missing_numbers: set[str] = set()
        for index, (spec, section) in enumerate(matches):
            if section is not None or not spec.required:
                continue
            if spec.number:
                missing_numbers.add(spec.number)
                parent = spec.number.rpartition(".")[0]
                if parent and parent in missing_numbers:
                    continue  # the missing parent is the finding
            yield self.finding(
                report,
                _insertion_point(report, matches, index),
                "missing",
                label=spec.label,
                pack=context.pack.id,
                details={"section": spec.number, "title": spec.title},
            )


def _insertion_point(report: Report, matches, index: int) -> Span:
    """Where the missing section belongs: at the heading of the next template section found."""
    for _, section in matches[index + 1 :]:
        if section is not None and section.span is not None:
            span = section.span
            return Span(span.line, 1, span.line, 1, span.offset, span.offset)
    end = len(report.source)
    line = len(report.line_starts)
    return Span(line, 1, line, 1, end, end)
