"""Checklist rules (K): the template's checklists (jodberedskap, internkontroll, HMS, 4.4, 4.6),
answered item by item, with a comment where the answer is not Ja, and no template placeholders left."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from typing import Iterable

from linter.model import Cell, ListBlock, ListItem, Report, Row, Section, Span, Table
from linter.rules.base import Finding, Rule, RuleContext, Severity
from linter.template import find_section
from linter.titles import normalize_title

OPTION_HEADERS = {"ja": "Ja", "nei": "Nei", "delvis": "Delvis"}
ANSWER_HEADERS = ("kryss av", "svar", "ja/nei", "ja / nei", "ja/delvis/nei", "ja / delvis / nei", "avkrysning")
TICKS = {"x", "✓", "✔", "☒", "ja", "nei", "delvis"}
_WORD_ANSWERS = {"ja": "Ja", "nei": "Nei", "delvis": "Delvis"}
# Questions asking for a description, not a yes or no.
OPEN_QUESTION = re.compile(r"^(hva|hvordan|hvilke|hvilken|hvor|hvorfor|beskriv|oppgi|redegjør)\b", re.IGNORECASE)
CONDITIONAL = re.compile(r"^hvis\b", re.IGNORECASE)


@dataclass(slots=True)
class Layout:
    answer_column: int | None  # the single answer column
    option_columns: dict[int, str]  # column -> "Ja"/"Nei"/"Delvis"
    comment_column: int | None
    vocabulary: tuple[str, ...]  # allowed answers


@dataclass(slots=True)
class Answer:
    value: str | None  # "Ja", "Nei", "Delvis", "x" (ticked), or None
    cell: Cell | None  # the cell holding it, or where it belongs
    comment: Cell | None
    free_text: str | None = None  # an answer cell holding text instead of Ja/Nei
    several: bool = False  # more than one option ticked

    @property
    def has_comment(self) -> bool:
        return bool(self.comment and self.comment.text.strip())


def layout(table: Table) -> Layout:
    answer_column = None
    options: dict[int, str] = {}
    comment = None
    vocabulary: tuple[str, ...] = ("Ja", "Nei", "Delvis")
    for cell in table.header.cells[1:]:
        head = cell.text.strip().lower()
        if head in OPTION_HEADERS:
            options[cell.column] = OPTION_HEADERS[head]
        elif head in ANSWER_HEADERS or head.startswith("kryss av"):
            answer_column = cell.column
            if head.replace(" ", "") == "ja/nei":
                vocabulary = ("Ja", "Nei")
        elif comment is None and any(w in head for w in ("kommentar", "kommenter", "hvorfor", "merknad")):
            comment = cell.column
    if options:
        vocabulary = tuple(options.values())
    return Layout(answer_column, options, comment, vocabulary)


def read_answer(row: Row, lay: Layout) -> Answer:
    cells = row.cells
    comment = cells[lay.comment_column] if lay.comment_column is not None and lay.comment_column < len(cells) else None
    if lay.option_columns:
        ticked = [(col, name) for col, name in lay.option_columns.items() if col < len(cells) and cells[col].text.strip()]
        first_col = min(lay.option_columns)
        if not ticked:
            return Answer(None, cells[first_col] if first_col < len(cells) else None, comment)
        col, name = ticked[0]
        return Answer(name, cells[col], comment, several=len(ticked) > 1)
    if lay.answer_column is not None and lay.answer_column < len(cells):
        cell = cells[lay.answer_column]
        text = cell.text.strip()
        if not text:
            return Answer(None, cell, comment)
        word = text.lower().rstrip(".")
        if word in _WORD_ANSWERS:
            return Answer(_WORD_ANSWERS[word], cell, comment)
        if word in TICKS:
            return Answer("x", cell, comment)
        return Answer(None, cell, comment, free_text=text)
    return Answer(None, None, comment)


def is_question(label: str) -> bool:
    return "?" in label


@lru_cache(maxsize=16384)
def item_similarity(label: str, item: str) -> float:
    """How well a row label matches a template checklist item; a label may add a note after it.

    Exact at or above ITEM_MATCH; below it only "below" is known (0.0), since the callers only ask
    whether a label matches. That lets difflib's cheap upper bounds skip most of the work."""
    a, b = normalize_title(label), normalize_title(item)
    if a == b or a.startswith(b):
        return 1.0
    best = 0.0
    for text in (a, a[: len(b)]):
        matcher = SequenceMatcher(None, text, b, autojunk=False)
        if matcher.real_quick_ratio() >= ITEM_MATCH and matcher.quick_ratio() >= ITEM_MATCH:
            best = max(best, matcher.ratio())
    return best if best >= ITEM_MATCH else 0.0


# ---------------------------------------------------------------------------------------------
# Rules




def checklist_specs(pack) -> list[dict]:
    return list(pack.get("sjekklister", ()) or ()) if pack is not None else []


def _checklist_tables(section: Section) -> list[Table]:
    return [b for b in section.content_blocks() if isinstance(b, Table) and b.type == "sjekkliste"]


def _task_items(section: Section) -> list[ListItem]:
    return [item for b in section.content_blocks() if isinstance(b, ListBlock) for item in b.items if item.task is not None]


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class ChecklistItemMissing(Rule):
    """Et punkt i malens sjekkliste mangler, eller hele sjekklisten mangler.

    Hvorfor: sjekklistene (jodberedskap, internkontroll, HMS ...) sammenstilles for alle
    bydelene; et punkt som er tatt ut, blir ikke besvart. Regelpakken lister punktene under
    `sjekklister:`.

    Feil:
        ## 4.18 Rapportering jodberedskap
        : {#jod type=sjekkliste}
        | Jodberedskap | Kryss av | Kommentar |
        |---|---|---|
        | Jodberedskap – dagtid: Ansvar, rutiner og prosedyrer m.m. er implementert ... | x | |

    Riktig:
        (alle fem punktene i malens rekkefølge, hvert med svar)
    """

    code = "K301"
    name = "checklist-item-missing"
    family = "sjekklister"
    severity = Severity.ERROR
    summary = ("Sjekklistepunkt mangler", "Checklist item missing")
    messages = {
        "item": (
            "sjekklisten «{checklist}» mangler punktet «{item}»",
            "checklist «{checklist}» lacks the item «{item}»",
        ),
        "table": (
            "seksjonen mangler sjekklisten «{checklist}» ({count} punkter i malen)",
            "the section lacks the checklist «{checklist}» ({count} items in the template)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for spec in checklist_specs(context.pack):
            section = find_section(report, context.pack, spec["seksjon"])
            if section is None or section.heading is None:
                continue  # the missing section is S101's finding
            items = spec.get("punkter", ())
            if not items:
                continue
            tables = _checklist_tables(section)
            labels = [row.label for t in tables for row in t.rows] + [i.text for i in _task_items(section)]
            name = spec.get("navn", spec["seksjon"])
            if not labels:
                yield self.finding(report, section.heading.title_span, "table", checklist=name, count=len(items),
                                   details={"section": spec["seksjon"], "checklist": name})
                continue
            where = tables[0].span if tables else section.heading.title_span
            for item in items:
                if max(item_similarity(label, item) for label in labels) < ITEM_MATCH:
                    yield self.finding(report, _line_start(where), "item", checklist=name, item=_short(item),
                                       details={"section": spec["seksjon"], "checklist": name, "item": item})


ITEM_MATCH = 0.8


def _line_start(span: Span) -> Span:
    return Span(span.line, 1, span.line, 1, span.offset, span.offset)


def _pack_items(report: Report, pack) -> dict[int, tuple[dict, str]]:
    """Rows and task items that are template checklist items, by id, with their spec."""
    out: dict[int, tuple[dict, str]] = {}
    for spec in checklist_specs(pack):
        section = find_section(report, pack, spec["seksjon"])
        if section is None:
            continue
        for table in _checklist_tables(section):
            for row in table.rows:
                for item in spec.get("punkter", ()):
                    if item_similarity(row.label, item) >= ITEM_MATCH:
                        out[id(row)] = (spec, item)
                        break
    return out


def _all_checklist_rows(report: Report):
    for table in report.tables:
        if table.type != "sjekkliste":
            continue
        lay = layout(table)
        if lay.answer_column is None and not lay.option_columns:
            continue
        for row in table.rows:
            yield table, lay, row


class ChecklistItemUnanswered(Rule):
    """Et spørsmål eller punkt i en sjekkliste er ikke besvart.

    Hvorfor: et blankt svar er verken ja eller nei; byrådsavdelingen kan ikke vite om tiltaket
    er på plass. Svar Ja/Nei (eller Ja/Delvis/Nei, eller kryss av), og kommenter et Nei.
    Punkter som begynner med «Hvis ...» gjelder bare når et annet svar tilsier det.

    Feil:
        | Jodberedskap – fritidsberedskap: Bydelen har inngått avtale med tilstrekkelig antall skoler. | | |

    Riktig:
        | Jodberedskap – fritidsberedskap: Bydelen har inngått avtale med tilstrekkelig antall skoler. | x | |
    """

    code = "K302"
    name = "checklist-item-unanswered"
    family = "sjekklister"
    severity = Severity.WARNING
    summary = ("Sjekklistepunkt uten svar", "Checklist item not answered")
    messages = {
        "unanswered": (
            "«{item}» er ikke besvart{tally}",
            "«{item}» is not answered{tally_en}",
        ),
        "not-yes-no": (
            "«{item}» er besvart med tekst, ikke {vocabulary}",
            "«{item}» is answered with text, not {vocabulary}",
        ),
        "several": (
            "«{item}» har kryss i mer enn ett svaralternativ",
            "«{item}» is ticked in more than one option",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        template_rows = _pack_items(report, context.pack)
        tallies: dict[int, tuple[int, int]] = {}
        for table, lay, row in _all_checklist_rows(report):
            spec_item = template_rows.get(id(row))
            if spec_item is not None:
                answered, total = tallies.get(id(table), (0, 0))
                tallies[id(table)] = (answered + (read_answer(row, lay).value is not None), total + 1)
        for table, lay, row in _all_checklist_rows(report):
            label = row.label
            spec_item = template_rows.get(id(row))
            if spec_item is None and (not is_question(label) or CONDITIONAL.match(label)):
                continue  # a heading, a sub-option or a statement: nothing is asked
            answer = read_answer(row, lay)
            other_text = any(c.text.strip() for c in row.cells[1:])
            if spec_item is None and OPEN_QUESTION.match(label):
                if other_text:
                    continue
            details = {"table": table.id, "row": row.index, "column": answer.cell.column if answer.cell else None}
            span = answer.cell.span if answer.cell else row.cells[0].span
            if answer.several:
                yield self.finding(report, span, "several", item=_short(label), details=details)
            elif answer.value is not None:
                continue
            elif answer.free_text:
                yield self.finding(report, span, "not-yes-no", item=_short(label),
                                   vocabulary="/".join(lay.vocabulary), details=details)
            else:
                tally = tally_en = ""
                if id(table) in tallies:
                    answered, total = tallies[id(table)]
                    tally = f" (bare {answered} av {total} punkter i sjekklisten er besvart)"
                    tally_en = f" (only {answered} of {total} checklist items are answered)"
                yield self.finding(report, span, "unanswered", item=_short(label), tally=tally, tally_en=tally_en,
                                   details=details)


class ChecklistCommentMissing(Rule):
    """Et Nei eller Delvis i en sjekkliste står uten kommentar.

    Hvorfor: malen ber om en forklaring når svaret ikke er Ja («Hvis nei eller delvis,
    kommenter»); uten den vet ingen hva som mangler eller hva som gjøres med det.

    Feil:
        | Er det etablert tiltak og kontrollaktiviteter ...? | | x | | |

    Riktig:
        | Er det etablert tiltak og kontrollaktiviteter ...? | | x | | Tiltakene følges opp for tre av fem enheter. |
    """

    code = "K303"
    name = "checklist-comment-missing"
    family = "sjekklister"
    severity = Severity.WARNING
    summary = ("Nei eller Delvis uten kommentar", "No or Partly without a comment")
    messages = {
        "missing": (
            "svaret «{answer}» på «{item}» har ingen kommentar",
            "the answer «{answer}» to «{item}» has no comment",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        template_rows = _pack_items(report, context.pack)
        for table, lay, row in _all_checklist_rows(report):
            if lay.comment_column is None:
                continue
            answer = read_answer(row, lay)
            if answer.value is None or answer.has_comment:
                continue
            spec_item = template_rows.get(id(row))
            needs = tuple(spec_item[0].get("kommentar_ved", ("Nei", "Delvis"))) if spec_item else ("Nei", "Delvis")
            if answer.value not in needs:
                continue
            yield self.finding(
                report, answer.comment.span, "missing", answer=answer.value, item=_short(row.label),
                details={"table": table.id, "row": row.index, "column": lay.comment_column},
            )


STRONG_PLACEHOLDERS = ("(N)", "% %", "%")
WEAK_PLACEHOLDERS = ("NA", "N/A")


class TemplatePlaceholderLeft(Rule):
    """Malens plassholdere står igjen i en tabell: «(N)», «% %», «NA».

    Hvorfor: malen har plassholdere der bydelen skal fylle inn tall («(N)» for antall,
    «%» for andeler). Står de igjen, er feltet ikke fylt ut, og tabellen ser besvart ut uten å være det.

    Feil:
        | 2024 | 1567 | 650 | (N) | % | % | 43 |

    Riktig:
        | 2024 | 1567 | 650 | 12 | 25 % | 75 % | 43 |
    """

    code = "K304"
    name = "template-placeholder-left"
    family = "sjekklister"
    severity = Severity.WARNING
    summary = ("Malens plassholder står igjen", "Template placeholder left in")
    pack_settings = {"plassholdere": (list[str], list(STRONG_PLACEHOLDERS))}
    messages = {
        "left": (
            "raden «{row}» har malens plassholdere igjen ({cells}) i {columns}: ikke fylt ut",
            "row «{row}» still holds the template's placeholders ({cells}) in {columns_en}: not filled in",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        strong = tuple(context.settings.get("plassholdere", STRONG_PLACEHOLDERS))
        for table in report.tables:
            for row in table.rows:
                cells = row.cells[1:]
                hits = [c for c in cells if c.text.strip() in strong]
                if not hits:
                    continue
                hits += [c for c in cells if c.text.strip() in WEAK_PLACEHOLDERS]
                hits.sort(key=lambda c: c.column)
                headers = table.header.cells
                names = ", ".join(f"«{headers[c.column].text or c.column + 1}»" for c in hits if c.column < len(headers))
                columns = ("kolonnen " if len(hits) == 1 else "kolonnene ") + names
                columns_en = ("the column " if len(hits) == 1 else "the columns ") + names
                yield self.finding(
                    report, hits[0].span, "left", row=_short(row.label or f"rad {row.index + 1}", 40),
                    cells=" ".join(c.text for c in hits), columns=columns, columns_en=columns_en,
                    details={"table": table.id, "row": row.index, "column": hits[0].column,
                             "columns": [c.column for c in hits]},
                )


_EMPTY_COMMENT = re.compile(r"kommentar\s*:\s*$", re.IGNORECASE)


class ChecklistCommentFieldEmpty(Rule):
    """Et svar har ledeteksten «Kommentar:» uten noe etter.

    Hvorfor: malen ber om en kommentar til tallet (for eksempel antall brudd på
    arbeidstidsbestemmelsene); en tom ledetekst viser at den ble hoppet over.

    Feil:
        | Virksomheten bes oppgi antall brudd ... i 2024. | | | Antall: 859 Kommentar: |

    Riktig:
        | Virksomheten bes oppgi antall brudd ... i 2024. | | | Antall: 859 Kommentar: Bruddene er gjennomgått i AMU. |
    """

    code = "K305"
    name = "checklist-comment-field-empty"
    family = "sjekklister"
    severity = Severity.WARNING
    summary = ("Tom kommentar etter «Kommentar:»", "Empty comment after «Kommentar:»")
    messages = {
        "empty": (
            "kommentaren til «{item}» er tom («{text}»)",
            "the comment to «{item}» is empty («{text}»)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        for table in report.tables:
            if table.type != "sjekkliste":
                continue
            for row in table.rows:
                for cell in row.cells[1:]:
                    if _EMPTY_COMMENT.search(cell.text):
                        yield self.finding(report, cell.span, "empty", item=_short(row.label), text=cell.text.strip(),
                                           details={"table": table.id, "row": row.index, "column": cell.column})
