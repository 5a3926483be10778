"""Verbalvedtak rules (V): every decision of bystyret followed up with an utkvittering."""

from __future__ import annotations

import re
from typing import Iterable

from linter.model import ListBlock, Paragraph, Report, Row, Section, Span, Table
from linter.rules.base import Finding, Rule, RuleContext, Severity
from linter.template import find_section
from linter.titles import normalize_title

# "H69/2019", "K37 (R10)/2016", "H33B/2021", "VO1", "H3" as the first word of a decision.
_CODE = re.compile(r"^\s*([A-ZÆØÅ]{1,3}\d+[A-Z]?(?:\s*\(R\d+\))?(?:/\d{4})?)(?=[\s:.\-–]|$)")
NOTHING_TO_REPORT = re.compile(
    r"\bingen\s+(saker|verbalvedtak|vedtak|merknader|flertallsmerknader)\b|\bikke\s+(fattet|vedtatt)\b.*\bvedtak|\bingenting\s+å\s+utkvittere\b",
    re.IGNORECASE,
)


def _sections(report: Report, pack) -> list[tuple[str, Section]]:
    refs = ((pack.get("verbalvedtak") or {}).get("seksjoner", ())) if pack is not None else ()
    found = []
    for ref in refs:
        section = find_section(report, pack, ref)
        if section is not None and section.heading is not None:
            found.append((ref, section))
    return found


def _columns(table: Table) -> tuple[int, int | None, int | None]:
    """(decision column, utkvittering column, code column)."""
    decision, answer, code = 0, None, None
    for cell in table.header.cells:
        head = normalize_title(cell.text)
        if head in ("kode", "sak", "saksnr"):
            code = cell.column
        elif "utkvitter" in head or "oppfølging" in head or "kommentar" in head or "svar" in head:
            answer = cell.column if answer is None else answer
        elif "vedtak" in head and cell.column != answer:
            decision = cell.column
    if code is not None and decision == code:
        decision = code + 1 if code + 1 < len(table.header.cells) else code
    return decision, answer, code


def _decision_rows(table: Table):
    decision, answer, code = _columns(table)
    for row in table.rows:
        cells = row.cells
        if answer is None or answer >= len(cells):
            continue
        if not cells[decision].text.strip() and (code is None or not cells[code].text.strip()):
            continue
        if all(not c.text.strip() for c in cells if c.column != decision) and not _CODE.match(cells[decision].text):
            # A group row ("Helse og omsorg") has a label and nothing else; a decision has a code.
            continue
        yield row, cells[decision], cells[answer], (cells[code] if code is not None else None)


def decision_code(row_decision, row_code) -> str | None:
    text = row_code.text if row_code is not None and row_code.text.strip() else row_decision.text
    match = _CODE.match(text)
    return re.sub(r"\s+", "", match.group(1)) if match else None


class VerbalvedtakMissing(Rule):
    """Seksjonen for verbalvedtak har ingen vedtak og sier ikke at det ikke er noen.

    Hvorfor: bystyrets verbalvedtak skal utkvitteres ett for ett. Er det ingen vedtak å
    følge opp, skal rapporten si det med ord; en tom side (eller en tabell med bare tomme
    rader) kan ikke skilles fra en glemt.

    Feil:
        # Verbalvedtak
        ## Verbalvedtak

    Riktig:
        # Verbalvedtak
        Det er ingen verbalvedtak å utkvittere for bydelen i 2026.
    """

    code = "V401"
    name = "verbalvedtak-missing"
    family = "verbalvedtak"
    severity = Severity.ERROR
    summary = ("Verbalvedtak verken utkvittert eller avkreftet", "Verbalvedtak neither answered nor declared absent")
    pack_settings = {"krev_tabell": (bool, False)}
    messages = {
        "empty": (
            "«{title}» er tom: utkvitter hvert verbalvedtak, eller skriv at det ikke er noen (for eksempel «Det er ingen saker å utkvittere»)",
            "«{title}» is empty: answer each verbalvedtak, or say there are none (e.g. «Det er ingen saker å utkvittere»)",
        ),
        "no-decisions": (
            "«{title}» har ingen tabell med verbalvedtak og sier ikke at det ikke er noen å utkvittere",
            "«{title}» has no verbalvedtak table and does not say there are none to answer",
        ),
        "unfilled": (
            "«{title}» har en tabell for verbalvedtak uten noe fylt ut: utkvitter hvert vedtak, eller skriv at det ikke er noen",
            "«{title}» has a verbalvedtak table with nothing filled in: answer each decision, or say there are none",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for ref, section in _sections(report, context.pack):
            label = f"{section.number} {section.title}" if section.number else section.title
            details = {"section": section.number, "title": section.title}
            if section.is_empty:
                yield self.finding(report, section.heading.title_span, "empty", title=label, details=details)
                continue
            blocks = list(section.content_blocks())
            if any(isinstance(b, Table) and b.type == "verbalvedtak" and _filled(b) for b in blocks):
                continue
            texts = [b.text for b in blocks if isinstance(b, Paragraph)]
            texts += [i.text for b in blocks if isinstance(b, ListBlock) for i in b.items]
            if any(NOTHING_TO_REPORT.search(t) for t in texts):
                continue
            if any(isinstance(b, Table) and b.type == "verbalvedtak" for b in blocks):
                yield self.finding(report, section.heading.title_span, "unfilled", title=label, details=details)
            elif context.settings.get("krev_tabell", False) or not texts:
                yield self.finding(report, section.heading.title_span, "no-decisions", title=label, details=details)


class VerbalvedtakUnanswered(Rule):
    """Et verbalvedtak står uten utkvittering.

    Hvorfor: hvert vedtak skal følges av bydelens svar; et tomt svar betyr at vedtaket ikke er fulgt opp i rapporten.

    Feil:
        | H69/2019 Ulike og differensierte aktivitets- og arbeidstilbud | |

    Riktig:
        | H69/2019 Ulike og differensierte aktivitets- og arbeidstilbud | Bydelen tilbyr arbeidstrening på to dagsentre. |
    """

    code = "V402"
    name = "verbalvedtak-unanswered"
    family = "verbalvedtak"
    severity = Severity.ERROR
    summary = ("Verbalvedtak uten utkvittering", "Verbalvedtak without an answer")
    messages = {
        "unanswered": (
            "verbalvedtaket «{decision}» har ingen utkvittering",
            "the verbalvedtak «{decision}» has no answer",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table in report.tables:
            if table.type != "verbalvedtak":
                continue
            for row, decision, answer, code in _decision_rows(table):
                if answer.text.strip() and not answer.value.is_missing:
                    continue
                shown = decision_code(decision, code) or _short(decision.text)
                yield self.finding(report, answer.span, "unanswered", decision=shown,
                                   details={"table": table.id, "row": row.index, "column": answer.column})


def _filled(table: Table) -> bool:
    """A table with a row that says something (a skeleton's empty rows do not count)."""
    return any(cell.text.strip() for row in table.rows for cell in row.cells)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class VerbalvedtakDuplicate(Rule):
    """Samme verbalvedtak er utkvittert to ganger.

    Hvorfor: to svar på samme vedtak gir to versjoner av sannheten, og ofte motsier de
    hverandre. Vedtak med samme kode og år er samme vedtak («H32» og «H32/2013» er ikke det).

    Feil:
        | H69/2019 Ulike og differensierte aktivitets- og arbeidstilbud | Vestre Aker har aktivitetstilbudet Kastanjen. |
        | H69/2019 Ulike og differensierte aktivitets- og arbeidstilbud | Bydelen har trukket seg fra Kastanjen. |

    Riktig:
        | H69/2019 Ulike og differensierte aktivitets- og arbeidstilbud | Bydelen har trukket seg fra Kastanjen. |
    """

    code = "V403"
    name = "verbalvedtak-duplicate"
    family = "verbalvedtak"
    severity = Severity.WARNING
    summary = ("Samme verbalvedtak to ganger", "The same verbalvedtak twice")
    messages = {
        "different": (
            "verbalvedtak {code} er utkvittert før (linje {line}) med et annet svar",
            "verbalvedtak {code} was already answered (line {line}) with a different answer",
        ),
        "same": (
            "verbalvedtak {code} står to ganger (også linje {line})",
            "verbalvedtak {code} is listed twice (also line {line})",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        seen: dict[str, tuple[Row, str]] = {}
        for table in report.tables:
            if table.type != "verbalvedtak":
                continue
            for row, decision, answer, code_cell in _decision_rows(table):
                code = decision_code(decision, code_cell)
                if not code or "/" not in code:
                    continue  # without a year a code is not unique across the years
                first = seen.get(code)
                if first is None:
                    seen[code] = (row, answer.text)
                    continue
                key = "same" if normalize_title(first[1]) == normalize_title(answer.text) else "different"
                span = (code_cell or decision).span
                yield self.finding(
                    report, span, key, code=code, line=first[0].span.line,
                    severity=Severity.ERROR if key == "different" else Severity.WARNING,
                    details={"table": table.id, "row": row.index, "column": (code_cell or decision).column,
                             "first_line": first[0].span.line},
                )


class BudgetDecisionTextMissing(Rule):
    """Budsjettvedtaket har ingen vedtakstekst, bare tabeller eller underavsnitt.

    Hvorfor: budsjettvedtaket er det bydelsutvalget faktisk vedtar («Bydelsutvalget vedtar
    netto driftsramme på ...»); tabellene under det er grunnlaget, ikke vedtaket. Uten teksten
    kan ingen se hva som er vedtatt, og et forslag kan ikke skilles fra et vedtatt budsjett. Hvilke
    seksjoner som er budsjettvedtak, står i regelpakken (`regler: V404: seksjoner:`).

    Feil:
        # Budsjettvedtak
        ## Budsjett per funksjonsområde

    Riktig:
        # Budsjettvedtak
        Bydelsutvalget vedtar budsjett for 2026 med netto driftsramme på 1 646 550 000 kroner.
        ## Budsjett per funksjonsområde
    """

    code = "V404"
    name = "budget-decision-text-missing"
    family = "verbalvedtak"
    severity = Severity.ERROR
    summary = ("Budsjettvedtak uten vedtakstekst", "Budget decision without decision text")
    pack_settings = {"seksjoner": (list[str], [])}  # the pack's budget decision sections
    messages = {
        "missing": (
            "«{title}» har ingen vedtakstekst, bare {what}: skriv hva bydelsutvalget vedtar "
            "(for eksempel «Bydelsutvalget vedtar netto driftsramme på ...»)",
            "«{title}» has no decision text, only {what_en}: write what the district council decides "
            "(e.g. «Bydelsutvalget vedtar netto driftsramme på ...»)",
        ),
        "no-section": (
            "vedtaksseksjonen «{section}» finnes ikke i rapporten, så vedtaksteksten mangler (S101 kjøres ikke)",
            "the decision section «{section}» is not in the report, so its decision text is missing "
            "(S101 does not run)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        refs = context.settings.get("seksjoner") or ()
        for ref in refs:
            section = find_section(report, context.pack, ref)
            if section is None or section.heading is None:
                if not context.runs("S101"):  # a missing section is S101's finding, else said here
                    yield self.finding(report, Span(1, 1, 1, 1, 0, 0), "no-section", section=ref,
                                       details={"section": ref})
                continue
            own = [b for b in section.blocks if isinstance(b, (Paragraph, ListBlock))]
            if own:
                continue
            if section.is_empty:
                what, what_en = "ingenting", "nothing"
            elif any(isinstance(b, Table) for b in section.content_blocks()):
                what, what_en = "tabeller", "tables"
            else:
                what, what_en = "underavsnitt", "subsections"
            label = f"{section.number} {section.title}" if section.number else section.title
            yield self.finding(report, section.heading.title_span, "missing", title=label, what=what, what_en=what_en,
                               details={"section": section.number, "title": section.title})
