"""Suppression rules (X9): findings about the ``<!-- rapportlint: ignore ... -->`` directives.

These rules do not look at the report themselves: the engine applies the directives after the
other rules have run (``linter/suppressions.py``) and reports through these classes, since only
then is it known which directive suppressed something. Their ``check`` yields nothing.
"""

from __future__ import annotations

from typing import Iterable

from linter.model import Report
from linter.rules.base import Finding, Rule, RuleContext, Severity


class _MetaRule(Rule):
    family = "undertrykkelser"
    meta = True  # applied by the engine after the other rules

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        return ()


class SuppressionWithoutReason(_MetaRule):
    """En undertrykkelse mangler begrunnelse.

    Hvorfor: et funn som skjules, må kunne forklares for kommunerevisjonen. Derfor krever hver
    ``ignore``-direktiv en ``begrunnelse="..."``; uten den skjules ingenting, og funnet vises
    fortsatt. ``rapportlint check --audit`` lister alle undertrykkelser med begrunnelsen.

    Feil:
        <!-- rapportlint: ignore A201 -->
        : Tabell 0.1 Brutto driftsutgifter i 1000 kr. {#t0-1 type=økonomi enhet="1000 kr"}

    Riktig:
        <!-- rapportlint: ignore A201 begrunnelse="Avviket skyldes avrunding i regnskapet, se note 3" -->
        : Tabell 0.1 Brutto driftsutgifter i 1000 kr. {#t0-1 type=økonomi enhet="1000 kr"}
    """

    code = "X901"
    name = "suppression-without-reason"
    severity = Severity.ERROR
    summary = ("Undertrykkelse uten begrunnelse", "Suppression without a reason")
    messages = {
        "missing": (
            "undertrykkelsen av {codes} mangler begrunnelse (skriv begrunnelse=\"...\"); den gjelder ikke",
            "the suppression of {codes} has no reason (write begrunnelse=\"...\"); it does not apply",
        ),
    }


class UnusedSuppression(_MetaRule):
    """En undertrykkelse skjuler ingenting.

    Hvorfor: en undertrykkelse som ikke lenger trengs (feilen er rettet, eller direktivet står på
    feil sted), skjuler neste feil av samme slag uten at noen ser det. Den rapporteres bare når
    regelen den nevner faktisk ble kjørt.

    Feil:
        <!-- rapportlint: ignore A201 begrunnelse="Avrunding" -->
        Teksten her har ingen summer.

    Riktig:
        Teksten her har ingen summer.
    """

    code = "X902"
    name = "unused-suppression"
    severity = Severity.WARNING
    summary = ("Undertrykkelse som ikke brukes", "Unused suppression")
    messages = {
        "unused": (
            "undertrykkelsen av {code} brukes ikke: ingen {code}-funn {where}",
            "the suppression of {code} is unused: no {code} finding {where_en}",
        ),
    }


class InvalidDirective(_MetaRule):
    """Et ``rapportlint:``-direktiv kan ikke tolkes.

    Hvorfor: et direktiv med skrivefeil, ukjent regelkode eller en ``ignore-start`` uten
    ``ignore-end`` gjør ikke det forfatteren tror. Det gjelder derfor ikke, og meldingen sier
    hva som er galt.

    Direktivene er ``ignore`` (neste blokk, eller med ``rad="..."`` én rad i tabellen under),
    ``ignore-start`` / ``ignore-end`` (linjene mellom) og ``ignore-file`` (hele filen); se
    docs/suppressions.md.

    Feil:
        <!-- rapportlint: ignore A2O1 begrunnelse="Avrunding" -->
        <!-- rapportlint: ignore-start S102 begrunnelse="Kommer i neste versjon" -->

    Riktig:
        <!-- rapportlint: ignore A201 begrunnelse="Avrunding" -->
        <!-- rapportlint: ignore-start S102 begrunnelse="Kommer i neste versjon" -->
        ...
        <!-- rapportlint: ignore-end -->
    """

    code = "X903"
    name = "invalid-directive"
    severity = Severity.ERROR
    summary = ("Ugyldig rapportlint-direktiv", "Invalid rapportlint directive")
    messages = {
        "unknown-kind": (
            "ukjent direktiv «{kind}»{hint}; kjente: ignore, ignore-start, ignore-end, ignore-file",
            "unknown directive «{kind}»{hint_en}; known: ignore, ignore-start, ignore-end, ignore-file",
        ),
        "no-codes": (
            "«{kind}» må nevne regelkoder, f.eks. «{kind} A201 begrunnelse=\"...\"»",
            "«{kind}» must name rule codes, e.g. «{kind} A201 begrunnelse=\"...\"»",
        ),
        "unknown-code": (
            "ukjent regelkode «{code}»{hint} (se `rapportlint rules`)",
            "unknown rule code «{code}»{hint_en} (see `rapportlint rules`)",
        ),
        "unknown-attribute": (
            "ukjent egenskap «{attribute}»{hint}; kjente: begrunnelse{rad}",
            "unknown attribute «{attribute}»{hint_en}; known: begrunnelse{rad}",
        ),
        "syntax": (
            "kan ikke tolke «{text}»: skriv f.eks. ignore A201 begrunnelse=\"...\"",
            "cannot read «{text}»: write e.g. ignore A201 begrunnelse=\"...\"",
        ),
        "nothing-below": (
            "ingenting å undertrykke under direktivet",
            "nothing below the directive to suppress",
        ),
        "row-not-table": (
            "rad=\"...\" gjelder bare en tabell rett under direktivet",
            "rad=\"...\" applies only to a table right below the directive",
        ),
        "row-not-found": (
            "tabellen under har ingen rad «{row}»",
            "the table below has no row «{row}»",
        ),
        "unclosed": (
            "ignore-start uten ignore-end: undertrykkelsen gjelder ikke",
            "ignore-start without ignore-end: the suppression does not apply",
        ),
        "stray-end": (
            "ignore-end uten ignore-start{codes}",
            "ignore-end without ignore-start{codes}",
        ),
    }


class InternalError(_MetaRule):
    """En regel (eller rapportlint selv) feilet på filen; de andre reglene er kjørt.

    Hvorfor: en feil i én regel, eller i et regel-plugin fra en annen pakke, skal ikke stoppe
    kontrollen av 300 rapporter eller skjule funnene fra de andre reglene. Filen får dette
    funnet i stedet for regelens funn, med navnet på regelen og pakken den kommer fra, og
    kjøringen avslutter med exit-kode 2 så feilen ikke går upåaktet hen. Funnet kan ikke
    undertrykkes. ``--debug`` (eller ``RAPPORTLINT_DEBUG=1``) viser hele sporingen
    (traceback); meld feilen til pakken som eier regelen.

    Feil:
        rapport.md:1:1: feil: intern feil: regelen Z101 (min-regel, fra pakken min-plugin) feilet
        på denne filen: ZeroDivisionError: division by zero; de andre reglene er kjørt

    Riktig:
        (regelen er rettet, og kjøringen gir ingen X999)
    """

    code = "X999"
    name = "internal-error"
    family = "intern"
    severity = Severity.ERROR
    summary = ("Intern feil i en regel", "Internal error in a rule")
    messages = {
        "rule": (
            "intern feil: regelen {rule} ({name}, fra pakken {package}) feilet på denne filen: {error}; "
            "de andre reglene er kjørt (kjør med --debug for detaljer, og meld feilen til {package})",
            "internal error: rule {rule} ({name}, from package {package}) failed on this file: {error}; "
            "the other rules were run (run with --debug for details, and report it to {package})",
        ),
        "engine": (
            "intern feil i rapportlint på denne filen: {error} (kjør med --debug for detaljer, og meld feilen "
            "med filen som utløste den)",
            "internal error in rapportlint on this file: {error} (run with --debug for details, and report it "
            "with the file that caused it)",
        ),
    }
