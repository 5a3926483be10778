"""Checklist rules (K): the template's checklists (jodberedskap, internkontroll, HMS, 4.4, 4.6),
answered item by item, with a comment where the answer is not Ja, and no template placeholders left."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from typing import Iterable

from linter.model import Cell, ListBlock, ListItem, Report, Row, Section, Span, Table
from linter.rules.base import Finding, Rule, RuleContext, Severity
from linter.template import find_section
from linter.titles import normalize_title

# How districts write checklist answers. The packs carry these under ``sjekklistesvar``; the
# defaults here serve packs without it (and reports checked with no pack).
DEFAULT_VOCABULARY = {
    "svar": {"Ja": ["ja"], "Nei": ["nei"], "Delvis": ["delvis"], "Ikke aktuelt": ["ikke aktuelt", "ikke relevant"]},
    "kryss": ["x"],
    "uklare_kryss": ["✓", "✔", "☑", "☒", "v"],
    "ikke_svar": ["vet ikke", "?", "??", "ukjent", "usikker"],
    "svarkolonner": ["kryss av", "svar", "ja/nei", "ja/delvis/nei", "avkrysning"],
    "kommentarkolonner": ["kommentar", "kommenter", "hvorfor", "merknad"],
}
# Questions asking for a description, not a yes or no.
OPEN_QUESTION = re.compile(r"^(hva|hvordan|hvilke|hvilken|hvor|hvorfor|beskriv|oppgi|redegjør)\b", re.IGNORECASE)
CONDITIONAL = re.compile(r"^hvis\b", re.IGNORECASE)
# An annotation that only points elsewhere is not itself a comment ("Nei, se kommentar").
_POINTER = re.compile(r"^(se\b|jf\.?|jfr\.?|viser til|\d+\)|\*+|\(\d+\))", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    answers: tuple[tuple[str, str], ...]  # (word, canonical answer), longest word first
    ticks: frozenset[str]
    unclear_ticks: frozenset[str]
    non_answers: frozenset[str]
    answer_headers: tuple[str, ...]
    comment_words: tuple[str, ...]

    @property
    def answer_names(self) -> tuple[str, ...]:
        present = {name for _, name in self.answers}
        return tuple(n for n in ("Ja", "Nei", "Delvis", "Ikke aktuelt") if n in present)


def _norm_header(text: str) -> str:
    """"Ja / Nei" -> "ja/nei"; a footnote marker after a header ("Ja*", "Nei 1)") is dropped."""
    text = re.sub(r"\s*/\s*", "/", " ".join(text.lower().split()))
    return re.sub(r"(?<=\w)\s*(\*+|\d\)|\(\d\))$", "", text)


@lru_cache(maxsize=32)
def _vocabulary_from(key: str) -> Vocabulary:
    import json

    data = json.loads(key)
    answers = sorted(((w.lower(), name) for name, words in data["svar"].items() for w in words),
                     key=lambda p: -len(p[0]))
    return Vocabulary(
        answers=tuple(answers),
        ticks=frozenset(t.lower() for t in data["kryss"]),
        unclear_ticks=frozenset(t.lower() for t in data["uklare_kryss"]),
        non_answers=frozenset(t.lower() for t in data["ikke_svar"]),
        answer_headers=tuple(_norm_header(h) for h in data["svarkolonner"]),
        comment_words=tuple(w.lower() for w in data["kommentarkolonner"]),
    )


def vocabulary(pack) -> Vocabulary:
    if pack is None:
        return _vocabulary_of(None)
    return pack.derived("checklists:vocabulary", lambda: _vocabulary_of(pack))


def _vocabulary_of(pack) -> Vocabulary:
    data = dict(DEFAULT_VOCABULARY)
    if pack is not None:
        data.update(pack.get("sjekklistesvar") or {})
    return _vocabulary_from(json.dumps(data, sort_keys=True, ensure_ascii=False))


@dataclass(slots=True)
class Layout:
    answer_column: int | None  # the single answer column
    option_columns: dict[int, str]  # column -> "Ja"/"Nei"/"Delvis"
    comment_column: int | None
    vocabulary: tuple[str, ...]  # allowed answers
    comment_needed_for: tuple[str, ...] | None = None  # what the comment header asks for ("Hvis nei, ...")


@dataclass(slots=True)
class Answer:
    value: str | None  # "Ja", "Nei", "Delvis", "x" (ticked), or None
    cell: Cell | None  # the cell holding it, or where it belongs
    comment: Cell | None
    free_text: str | None = None  # an answer cell holding text instead of Ja/Nei
    several: bool = False  # more than one option ticked
    annotation: str = ""  # a footnote marker or qualifier after the answer ("1)", "*", "hovedopptak")
    unclear: str | None = None  # a mark the template does not use ("✓", "vet ikke", "?")

    @property
    def has_comment(self) -> bool:
        if self.comment is not None and self.comment.text.strip():
            return True
        # "Nei - bydelen har ingen skoler i nærheten": the qualifier is the comment.
        note = self.annotation.strip(" ,.-–:;")
        return bool(note) and not _POINTER.match(note) and len(re.findall(r"[^\W\d_]{3,}", note)) >= 2


def layout(table: Table, vocab: Vocabulary | None = None) -> Layout:
    vocab = vocab or vocabulary(None)
    answer_column = None
    options: dict[int, str] = {}
    comment = None
    comment_needed: tuple[str, ...] | None = None
    allowed = vocab.answer_names
    option_names = {word: name for word, name in vocab.answers}
    for cell in table.header.cells[1:]:
        head = _norm_header(cell.text)
        if head in option_names:
            options[cell.column] = option_names[head]
        elif (head in vocab.answer_headers or head.startswith("kryss av")
              or sum(w.strip() in option_names for w in head.split("/")) >= 2):  # "Ja/Nei/Ikke aktuelt"
            answer_column = cell.column
            named = [option_names[w.strip()] for w in head.split("/") if w.strip() in option_names]
            if len(named) >= 2:
                allowed = tuple(dict.fromkeys(named))
        elif comment is None and any(w in head for w in vocab.comment_words):
            comment = cell.column
            if head.startswith("hvis"):
                condition = re.split(r"[,?:]", head[4:], maxsplit=1)[0]
                comment_needed = tuple(name for word, name in vocab.answers if re.search(rf"\b{re.escape(word)}\b", condition))
    if options:
        allowed = tuple(options.values())
    return Layout(answer_column, options, comment, allowed, comment_needed)


@lru_cache(maxsize=8192)
def parse_answer(text: str, vocab: Vocabulary) -> tuple[str | None, str, str | None]:
    """(answer, annotation, unclear) for an answer cell's text: "Ja 1)" -> ("Ja", "1)", None),
    "x*" -> ("x", "*", None), "✓" -> ("x", "", "✓"), "vet ikke" -> (None, "", "vet ikke"); text
    that is no answer at all -> (None, text, None). Memoised: checklists repeat their answers,
    and the text and the vocabulary decide it."""
    stripped = text.strip()
    low = stripped.lower()
    if not low or low in ("-", "–", "—"):
        return None, "", None  # a dash in an answer cell is an empty cell
    if low.rstrip(".") in vocab.non_answers:
        return None, "", stripped
    for word, name in (*vocab.answers, *((t, "x") for t in vocab.ticks), *((t, "?") for t in vocab.unclear_ticks)):
        if not low.startswith(word):
            continue
        rest = stripped[len(word):]
        if rest and rest[0].isalpha() and word[-1].isalpha():
            continue  # "Neida", "Jada": another word
        annotation = rest.strip()
        if name == "?":
            return "x", annotation, stripped[: len(word)]
        if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", annotation.lower()) for w, n in vocab.answers if n != name):
            return None, "", stripped  # "Ja/Nei", "Ja, delvis": two answers in one
        return name, annotation, None
    return None, stripped, None


def read_answer(row: Row, lay: Layout, vocab: Vocabulary | None = None) -> Answer:
    vocab = vocab or vocabulary(None)
    cells = row.cells
    comment = cells[lay.comment_column] if lay.comment_column is not None and lay.comment_column < len(cells) else None
    if lay.option_columns:
        ticked, unclear, free = [], None, None
        for col, name in lay.option_columns.items():
            if col >= len(cells) or not cells[col].text.strip():
                continue
            value, annotation, odd = parse_answer(cells[col].text, vocab)
            if value in ("x", name) and odd is None:
                ticked.append((col, name, annotation))
            elif value == "x" and odd is not None:
                ticked.append((col, name, annotation))
                unclear = unclear or (col, odd)
            elif odd is not None:
                unclear = unclear or (col, odd)
            else:
                free = free or (col, cells[col].text.strip())
        first_col = min(lay.option_columns)
        if unclear is not None and not ticked:
            return Answer(None, cells[unclear[0]], comment, unclear=unclear[1])
        if free is not None and not ticked:
            return Answer(None, cells[free[0]], comment, free_text=free[1])
        if not ticked:
            return Answer(None, cells[first_col] if first_col < len(cells) else None, comment)
        col, name, annotation = ticked[0]
        answer = Answer(name, cells[col], comment, several=len(ticked) > 1, annotation=annotation)
        if unclear is not None:
            answer.unclear = unclear[1]
            answer.cell = cells[unclear[0]]
        return answer
    if lay.answer_column is not None and lay.answer_column < len(cells):
        cell = cells[lay.answer_column]
        value, annotation, odd = parse_answer(cell.text, vocab)
        if odd is not None:
            return Answer(value, cell, comment, unclear=odd)
        if value is None:
            return Answer(None, cell, comment, free_text=annotation or None)
        return Answer(value, cell, comment, annotation=annotation)
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


def item_text(item) -> str:
    """A pack checklist item: a string, or {tekst:, kommentar_ved:}."""
    return item if isinstance(item, str) else item["tekst"]


def item_texts(spec: dict, *, required_only: bool = False) -> list[str]:
    return [item_text(i) for i in spec.get("punkter", ()) or ()
            if not (required_only and isinstance(i, dict) and i.get("påkrevd") is False)]


def answered_in_text(item) -> bool:
    """An item answered with text (a number, a description) in the comment column, not Ja/Nei."""
    return isinstance(item, dict) and item.get("svar") == "tekst"


_LEAD = re.compile(r"^\s*(antall|kommentar)\s*:?\s*", re.IGNORECASE)


def text_answer(row: Row, lay: "Layout") -> str:
    """What a text-answered row says, without the template's lead words ("Antall:", "Kommentar:")."""
    cells = [c for c in row.cells[1:] if c.column not in lay.option_columns and c.column != lay.answer_column]
    text = " ".join(c.text for c in cells).strip()
    while True:
        stripped = _LEAD.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def comment_needed(spec: dict, item, lay: "Layout") -> tuple[str, ...]:
    """Which answers need a comment: the item's own setting, else the checklist's, else what the
    comment column's header asks for ("Hvis nei eller delvis, kommenter"), else none."""
    if isinstance(item, dict) and "kommentar_ved" in item:
        return tuple(item["kommentar_ved"])
    if spec is not None and "kommentar_ved" in spec:
        return tuple(spec["kommentar_ved"])
    return lay.comment_needed_for or ()


def label_remainder(label: str, item) -> str:
    """What a row label holds after the template item's own text: an answer printed after the
    question in PDF text ("...fulgt opp? x", "...i 2024. 859 Kommentar: ...")."""
    text = item_text(item).rstrip()
    end = text[-1:] if text[-1:] in "?.:" else ""
    if end:
        at = label.find(end, max(0, len(text) - 15))
        return label[at + 1:].strip(" .,:;") if at >= 0 else ""
    if label[: len(text)].lower() == text.lower():
        return label[len(text):].strip(" .,:;")
    return ""


def _answered_in_label(row: Row, item, lay: "Layout", vocab: "Vocabulary") -> bool:
    rest = label_remainder(row.label, item)
    if not rest:
        return False
    if answered_in_text(item):
        return bool(_LEAD.sub("", rest).strip())
    value, _, odd = parse_answer(rest, vocab)
    return value is not None or odd is not None


def _capped(severity: Severity, spec: dict | None) -> Severity:
    """A checklist only one report attests (``belegg: 1``) gives at most warnings."""
    if spec is not None and (spec.get("belegg") or 99) <= 1 and severity is Severity.ERROR:
        return Severity.WARNING
    return severity


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
    `sjekklister:`. Kan sjekklisten ikke kontrolleres fordi seksjonen den hører til ikke finnes
    (og seksjonen ikke er påkrevd, så S101 ikke sier det), sier regelen det.

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
    severity_varies = (
        "advarsel når sjekklisten bare er belagt av én rapport (`belegg: 1` i regelpakken); info når "
        "seksjonen sjekklisten hører til ikke finnes, så den ikke kan kontrolleres",
        "warning when only one report attests the checklist (`belegg: 1` in the rule pack); info when the "
        "section the checklist belongs to is not there, so it cannot be checked",
    )
    summary = ("Sjekklistepunkt mangler", "Checklist item missing")
    messages = {
        "item": (
            "sjekklisten «{checklist}» mangler punktet «{item}»",
            "checklist «{checklist}» lacks the item «{item}»",
        ),
        "table": (
            "seksjonen mangler sjekklisten «{checklist}»{count}",
            "the section lacks the checklist «{checklist}»{count_en}",
        ),
        "no-section": (
            "sjekklisten «{checklist}» er ikke kontrollert: seksjonen «{section}» finnes ikke i rapporten",
            "checklist «{checklist}» was not checked: the section «{section}» is not in the report",
        ),
        "no-required-section": (
            "sjekklisten «{checklist}» er ikke kontrollert: den påkrevde seksjonen «{section}» mangler "
            "(S101 kjøres ikke)",
            "checklist «{checklist}» was not checked: the required section «{section}» is missing "
            "(S101 does not run)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        from linter.template import spec_for

        for spec in checklist_specs(context.pack):
            name = spec.get("navn", spec["seksjon"])
            section = find_section(report, context.pack, spec["seksjon"])
            if section is None or section.heading is None:
                template_section = spec_for(context.pack, spec["seksjon"])
                if template_section is None or not template_section.required:
                    yield self.finding(report, Span(1, 1, 1, 1, 0, 0), "no-section", severity=Severity.INFO,
                                       checklist=name, section=spec["seksjon"],
                                       details={"section": spec["seksjon"], "checklist": name})
                elif not context.runs("S101"):
                    # A required section missing is S101's finding; without S101 it is said here.
                    yield self.finding(report, Span(1, 1, 1, 1, 0, 0), "no-required-section",
                                       severity=_capped(self.severity, spec), checklist=name, section=spec["seksjon"],
                                       details={"section": spec["seksjon"], "checklist": name})
                continue
            items = item_texts(spec, required_only=True)
            tables = _checklist_tables(section)
            labels = [row.label for t in tables for row in t.rows] + [i.text for i in _task_items(section)]
            # An item printed in another cell (a PDF import that lost the row break) is there, misplaced.
            cells = [c.text for t in tables for row in t.rows for c in row.cells[1:] if len(c.text) > 20]
            if not labels:
                count = f" ({len(items)} punkter i malen)" if items else ""
                count_en = f" ({len(items)} items in the template)" if items else ""
                yield self.finding(report, section.heading.title_span, "table", severity=_capped(self.severity, spec),
                                   checklist=name, count=count, count_en=count_en,
                                   details={"section": spec["seksjon"], "checklist": name})
                continue
            where = tables[0].span if tables else section.heading.title_span
            pool = labels + cells
            # an item printed as it stands (or with a note after it) needs no fuzzy comparison
            normalized = [normalize_title(text) for text in pool]
            for item in items:
                wanted = normalize_title(item)
                if any(text.startswith(wanted) for text in normalized):
                    continue
                if not any(item_similarity(label, item) >= ITEM_MATCH for label in pool):
                    yield self.finding(report, _line_start(where), "item", severity=_capped(self.severity, spec),
                                       checklist=name, item=_short(item),
                                       details={"section": spec["seksjon"], "checklist": name, "item": item})


ITEM_MATCH = 0.8


def _line_start(span: Span) -> Span:
    return Span(span.line, 1, span.line, 1, span.offset, span.offset)


def _pack_items(report: Report, pack) -> dict[int, tuple[dict, object]]:
    """Rows that are template checklist items, by id, with their checklist and item (as in the pack)."""
    out: dict[int, tuple[dict, object]] = {}
    for spec in checklist_specs(pack):
        section = find_section(report, pack, spec["seksjon"])
        if section is None:
            continue
        items = list(spec.get("punkter", ()) or ())
        texts = tuple(item_text(item) for item in items)
        for table in _checklist_tables(section):
            for row, index in zip(table.rows, matching_items(tuple(row.label for row in table.rows), texts)):
                if index >= 0:
                    out[id(row)] = (spec, items[index])
    return out


@lru_cache(maxsize=256)
def matching_items(labels: tuple[str, ...], items: tuple[str, ...]) -> tuple[int, ...]:
    """For each row label, the index of the first template item it matches (-1: none). The fuzzy
    comparison (difflib) is most of a first check's checklist work, and a checklist's rows rarely
    change between runs: the answer is kept on disk under the labels, the items and the source
    of the code that compares them (linter/cache.py)."""
    from linter import cache
    from linter import titles

    source = cache.source_key(__file__, titles.__file__)
    key = cache.key_for("checklist-items", source, json.dumps([ITEM_MATCH, labels, items], ensure_ascii=False)) \
        if source is not None else None
    if key is not None:
        stored = cache.get("checklists", key)
        if isinstance(stored, list) and len(stored) == len(labels) and all(isinstance(i, int) for i in stored):
            return tuple(stored)
    found = []
    for label in labels:
        found.append(next((index for index, item in enumerate(items) if item_similarity(label, item) >= ITEM_MATCH), -1))
    if key is not None:
        cache.put("checklists", key, found)
    return tuple(found)


def _pack_tables(report: Report, pack) -> dict[int, dict]:
    """Checklist tables in a pack checklist's section, by id, with their checklist."""
    out: dict[int, dict] = {}
    for spec in checklist_specs(pack):
        section = find_section(report, pack, spec["seksjon"])
        if section is not None:
            for table in _checklist_tables(section):
                out.setdefault(id(table), spec)
    return out


def _readable_checklists(report: Report, vocab: Vocabulary) -> list[tuple[Table, Layout]]:
    out = []
    for table in report.tables:
        if table.type != "sjekkliste":
            continue
        lay = layout(table, vocab)
        if lay.answer_column is None and not lay.option_columns:
            continue  # K306 says so
        out.append((table, lay))
    return out


class _Checklists:
    """What K302 and K303 both read, once per report: the template's checklist rows and
    tables, the readable checklists with their layouts, each row's answer."""

    __slots__ = ("vocab", "template_rows", "template_tables", "readable", "answers")

    def __init__(self, report: Report, pack) -> None:
        self.vocab = vocabulary(pack)
        self.template_rows = _pack_items(report, pack)
        self.template_tables = _pack_tables(report, pack)
        self.readable = _readable_checklists(report, self.vocab)
        self.answers: dict[int, Answer] = {}  # id(row) -> its answer (the rows live as long as the report)

    def answer(self, row: Row, lay: Layout) -> Answer:
        found = self.answers.get(id(row))
        if found is None:
            found = self.answers[id(row)] = read_answer(row, lay, self.vocab)
        return found


def _checklists(report: Report, context: RuleContext) -> _Checklists:
    return context.memo("sjekklister", lambda: _Checklists(report, context.pack))


class ChecklistItemUnanswered(Rule):
    """Et spørsmål eller punkt i en sjekkliste er ikke besvart, eller besvart med noe som ikke er et svar.

    Hvorfor: et blankt svar er verken ja eller nei; byrådsavdelingen kan ikke vite om tiltaket
    er på plass. Svar Ja/Nei (eller Ja/Delvis/Nei, eller kryss av med x), og kommenter et Nei.
    Et svar med fotnote eller tillegg («Ja 1)», «Ja*», «Ja - hovedopptak», «Nei, se kommentar»)
    er et svar. «vet ikke», «?» og merker malen ikke bruker («✓») er funn, ikke stille kryss.
    Punkter som begynner med «Hvis ...» gjelder bare når et annet svar tilsier det. Er mer enn
    halvparten av punktene i en sjekkliste ubesvart, er den i praksis ikke fylt ut: det er ett
    funn for hele sjekklisten (med hver linje), og en feil når det er en av malens sjekklister.

    Feil:
        | Jodberedskap – fritidsberedskap: Bydelen har inngått avtale med tilstrekkelig antall skoler. | | |

    Riktig:
        | Jodberedskap – fritidsberedskap: Bydelen har inngått avtale med tilstrekkelig antall skoler. | x | |
    """

    code = "K302"
    name = "checklist-item-unanswered"
    family = "sjekklister"
    severity = Severity.WARNING
    severity_varies = (
        "feil når mer enn halvparten av punktene i en av malens sjekklister er ubesvart (ett funn for "
        "hele sjekklisten), men advarsel når sjekklisten bare er belagt av én rapport (`belegg: 1`); "
        "ellers advarsel",
        "error when more than half of the items of one of the template's checklists are unanswered (one "
        "finding for the whole checklist), but a warning when only one report attests the checklist "
        "(`belegg: 1`); otherwise a warning",
    )
    summary = ("Sjekklistepunkt uten svar", "Checklist item not answered")
    messages = {
        "unanswered": (
            "«{item}» er ikke besvart{tally}",
            "«{item}» is not answered{tally_en}",
        ),
        "many-unanswered": (
            "{count} av {total} punkter i sjekklisten{name} er ikke besvart (linje {lines})",
            "{count} of {total} items of the checklist{name_en} are not answered (lines {lines})",
        ),
        "not-yes-no": (
            "«{item}» er besvart med tekst, ikke {vocabulary}",
            "«{item}» is answered with text, not {vocabulary}",
        ),
        "unclear": (
            "«{item}» er besvart med «{mark}», som ikke er et svar malen bruker ({vocabulary})",
            "«{item}» is answered with «{mark}», which is not an answer the template uses ({vocabulary})",
        ),
        "several": (
            "«{item}» har kryss i mer enn ett svaralternativ",
            "«{item}» is ticked in more than one option",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        checklists = _checklists(report, context)
        vocab, template_rows, template_tables = checklists.vocab, checklists.template_rows, checklists.template_tables
        for table, lay in checklists.readable:
            spec = template_tables.get(id(table))
            unanswered: list[tuple[Row, Answer]] = []
            template_total = 0
            template_answered = 0
            for row in table.rows:
                label = row.label
                spec_item = template_rows.get(id(row))
                answer = checklists.answer(row, lay)
                if spec_item is not None and answered_in_text(spec_item[1]):
                    template_total += 1
                    if text_answer(row, lay) or _answered_in_label(row, spec_item[1], lay, vocab):
                        template_answered += 1
                    else:
                        where = answer.comment or row.cells[-1]
                        unanswered.append((row, Answer(None, where, answer.comment)))
                    continue
                if spec_item is not None and answer.value is None and not answer.unclear and not answer.free_text \
                        and _answered_in_label(row, spec_item[1], lay, vocab):
                    template_total += 1
                    template_answered += 1
                    continue  # the answer is printed after the question, in the label
                if spec_item is not None:
                    template_total += 1
                    template_answered += answer.value is not None
                details = {"table": table.id, "row": row.index,
                           "column": answer.cell.column if answer.cell else None}
                span = answer.cell.span if answer.cell else row.cells[0].span
                if answer.unclear is not None:
                    yield self.finding(report, span, "unclear", item=_short(label), mark=answer.unclear,
                                       vocabulary="/".join(lay.vocabulary) + ("" if lay.option_columns else "/x"),
                                       details=details)
                    continue
                if spec_item is None and (not is_question(label) or CONDITIONAL.match(label)):
                    continue  # a heading, a sub-option or a statement: nothing is asked
                other_text = any(c.text.strip() for c in row.cells[1:])
                if spec_item is None and OPEN_QUESTION.match(label) and other_text:
                    continue
                if answer.several:
                    yield self.finding(report, span, "several", item=_short(label), details=details)
                elif answer.value is not None:
                    continue
                elif answer.free_text:
                    yield self.finding(report, span, "not-yes-no", item=_short(label),
                                       vocabulary="/".join(lay.vocabulary), details=details)
                else:
                    unanswered.append((row, answer))
            if not unanswered:
                continue
            tally = tally_en = ""
            if template_total:
                tally = f" (bare {template_answered} av {template_total} punkter i sjekklisten er besvart)"
                tally_en = f" (only {template_answered} of {template_total} checklist items are answered)"
            total = template_total or sum(
                1 for r in table.rows if id(r) in template_rows or (is_question(r.label) and not CONDITIONAL.match(r.label)))
            total = max(total, len(unanswered))
            if len(unanswered) == 1 or len(unanswered) * 2 <= total:
                for row, answer in unanswered:
                    yield self.finding(
                        report, answer.cell.span if answer.cell else row.cells[0].span, "unanswered",
                        item=_short(row.label), tally=tally, tally_en=tally_en,
                        details={"table": table.id, "row": row.index,
                                 "column": answer.cell.column if answer.cell else None},
                    )
                continue
            # One finding for a checklist left mostly blank: its count and every position; an
            # error when it is one of the template's checklists.
            severity = _capped(Severity.ERROR, spec) if template_total else Severity.WARNING
            name = spec.get("navn") if spec else (table.caption.text if table.caption and table.caption.text else None)
            first_row, first = unanswered[0]
            yield self.finding(
                report, first.cell.span if first.cell else first_row.cells[0].span, "many-unanswered",
                severity=severity, count=len(unanswered), total=max(total, len(unanswered)),
                name=f" «{name}»" if name else "", name_en=f" «{name}»" if name else "",
                lines=", ".join(str(r.span.line) for r, _ in unanswered),
                details={"table": table.id, "row": first_row.index,
                         "column": first.cell.column if first.cell else None,
                         "rows": [r.index for r, _ in unanswered],
                         "lines": [r.span.line for r, _ in unanswered]},
            )


class ChecklistCommentMissing(Rule):
    """Et svar som malen krever kommentar til (oftest Nei eller Delvis), står uten kommentar.

    Hvorfor: malen ber om en forklaring når svaret ikke er Ja («Hvis nei eller delvis,
    kommenter»); uten den vet ingen hva som mangler eller hva som gjøres med det. Hvilke svar
    som krever kommentar, står per sjekkliste og per punkt i regelpakken (`kommentar_ved`): noen
    spørsmål besvares «Nei» når alt er i orden. For sjekklister regelpakken ikke kjenner, gjelder
    det kommentarkolonnen selv ber om («Hvis nei, hvorfor ikke?»). Et tillegg etter svaret
    («Nei - bydelen har ingen skoler») er en kommentar.

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
        checklists = _checklists(report, context)
        template_rows, template_tables = checklists.template_rows, checklists.template_tables
        for table, lay in checklists.readable:
            if lay.comment_column is None:
                continue
            table_spec = template_tables.get(id(table))
            for row in table.rows:
                answer = checklists.answer(row, lay)
                if answer.value is None or answer.has_comment:
                    continue
                spec, item = template_rows.get(id(row), (table_spec, None))
                if answered_in_text(item) or answer.value not in comment_needed(spec, item, lay):
                    continue
                yield self.finding(
                    report, answer.comment.span, "missing", answer=answer.value, item=_short(row.label),
                    details={"table": table.id, "row": row.index, "column": lay.comment_column},
                )


class ChecklistUnreadable(Rule):
    """En tabell merket sjekkliste har ingen svarkolonne regelen kan lese.

    Hvorfor: svarene i en sjekkliste kontrolleres (ubesvart, kommentar ved Nei) bare når
    regelen finner svarkolonnen: «Ja», «Nei», «Delvis» hver for seg, eller én kolonne «Kryss av»,
    «Svar», «Ja/Nei». Finnes ingen, ville sjekklisten passert uten å bli kontrollert; regelen sier
    det i stedet. Overskriftene regelen kjenner, står i regelpakken (`sjekklistesvar`).

    Feil:
        : {#hms type=sjekkliste}
        | Spørsmål | Besvarelse |
        |---|---|
        | Er det fastsatt mål på HMS-området? | Ja |

    Riktig:
        : {#hms type=sjekkliste}
        | Spørsmål | Ja/Nei |
        |---|---|
        | Er det fastsatt mål på HMS-området? | Ja |
    """

    code = "K306"
    name = "checklist-unreadable"
    family = "sjekklister"
    severity = Severity.WARNING
    summary = ("Sjekkliste uten svarkolonne", "Checklist without an answer column")
    messages = {
        "unreadable": (
            "sjekklisten er ikke kontrollert: ingen kolonne heter {known} (kolonnene er {columns})",
            "the checklist was not checked: no column is headed {known} (the columns are {columns})",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        vocab = vocabulary(context.pack)
        known = "/".join(vocab.answer_names) + ", «" + "», «".join(h.capitalize() for h in vocab.answer_headers[:3]) + "»"
        for table in report.tables:
            if table.type != "sjekkliste" or not table.rows:
                continue
            lay = layout(table, vocab)
            if lay.answer_column is not None or lay.option_columns:
                continue
            columns = ", ".join(f"«{c.text}»" for c in table.header.cells[1:] if c.text.strip()) or "tomme"
            yield self.finding(report, table.header.span, "unreadable", known=known, columns=columns,
                               details={"table": table.id, "row": -1, "column": None})


STRONG_PLACEHOLDERS = ("(N)", "% %", "%")
WEAK_PLACEHOLDERS = ("NA", "N/A")
# "(N)" is the template's mark for a count still to fill in, but some districts write it for "no
# value" too: it counts as the template's only in a count column or beside another template mark.
COUNT_PLACEHOLDERS = ("(N)",)
COUNT_COLUMNS = ("*totalt*", "*antall*", "*(n)*", "total", "total *")


class TemplatePlaceholderLeft(Rule):
    """Malens plassholdere står igjen i en tabell: «(N)», «% %», «NA».

    Hvorfor: malen har plassholdere der bydelen skal fylle inn tall («(N)» for antall,
    «%» for andeler). Står de igjen, er feltet ikke fylt ut, og tabellen ser besvart ut uten å være det.
    Noen bydeler skriver «(N)» for «ingen verdi»; alene i en kolonne som ikke er et antall
    (`antallskolonner` i regelpakken: «Totalt», «Antall», «(N)»), er det ikke malens merke.

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
    pack_settings = {
        "plassholdere": (list[str], list(STRONG_PLACEHOLDERS)),
        "antallsmerker": (list[str], list(COUNT_PLACEHOLDERS)),
        "antallskolonner": (list[str], list(COUNT_COLUMNS)),
    }
    messages = {
        "left": (
            "raden «{row}» har malens plassholdere igjen ({cells}) i {columns}: ikke fylt ut",
            "row «{row}» still holds the template's placeholders ({cells}) in {columns_en}: not filled in",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        from fnmatch import fnmatchcase

        strong = tuple(context.settings.get("plassholdere", STRONG_PLACEHOLDERS))
        count_marks = tuple(context.settings.get("antallsmerker", COUNT_PLACEHOLDERS))
        count_columns = tuple(g.lower() for g in context.settings.get("antallskolonner", COUNT_COLUMNS))
        for table in report.tables:
            counts = None  # the count columns, matched only for a table with a placeholder
            for row in table.rows:
                cells = row.cells[1:]
                hits = [c for c in cells if c.text.strip() in strong]
                if not hits:
                    continue
                if counts is None:
                    counts = {c.column for c in table.header.cells
                              if any(fnmatchcase(" ".join(c.text.lower().split()), g) for g in count_columns)}
                if all(c.text.strip() in count_marks and c.column not in counts for c in hits):
                    continue  # "(N)" alone outside a count column: a district's "no value"
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
