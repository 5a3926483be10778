"""Checklists and verbalvedtak in a cleaned extract.

Checklists lose their answer column in the PDF text: the answer ("Ja", "Nei", "Delvis", an "x")
ends up alone on a line, at the end of the question's last line, or before the comment. Items
are split where the template's known questions begin, and otherwise where a new question starts
after an answer. Verbalvedtak are read from their codes ("H69/2019"): the title follows the
code, the utkvittering comes after a blank line (or after the title on the same line when the
answer is one of the usual short ones, "Fulgt opp.", "Iverksatt og fulgt opp.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from linter.importer.clean import Line
from linter.importer.tables import TableOut
from linter.titles import normalize_title

CHECKLIST_HEADER = re.compile(r"(\bKryss av\b|\bJa\s+(Delvis\s+)?Nei\b|\bJa\s*/\s*(Delvis\s*/\s*)?Nei\b)", re.I)
# Separate tick columns ("Spørsmål Ja Delvis Nei Hvis nei eller delvis, kommenter").
_TICK_HEADER = re.compile(r"\bJa\s+(Delvis\s+)?Nei\b", re.I)
_TICK = re.compile("\u202f?[xX]\u202f?|\u202f")
_ANSWER = re.compile(r"^(Ja|Nei|Delvis|x|X)$")
_ANSWER_LEAD = re.compile(r"^(Ja|Nei|Delvis|x|X)\s+(?P<rest>\S.*)$")
# An answer that refers on ("Se kapittel 4.5") stands where Ja/Nei would.
_REFERENCE = r"Se\s+(?:kapittel|kap\.|punkt|pkt\.|avsnitt|vedlegg)\s+\d+(?:\.\d+)*"
_ANSWER_TAIL = re.compile(rf"^(?P<text>.*\S)\s+(?P<answer>Ja|Nei|Delvis|x|X|{_REFERENCE})$")
_FOOTNOTE_END = re.compile(r"\s*(\d\)|\*+)$")
_ENUMERATOR = re.compile(r"^\d{1,2}[.)]\s+")


def _starts_upper(text: str) -> bool:
    """Begins with a capital, after a list number ("2. Velferdsteknologi …")."""
    return _ENUMERATOR.sub("", text)[:1].isupper()


def _asks(text: str) -> bool:
    """Ends in a question mark, a footnote marker after it allowed ("… satsingsområder? 1)")."""
    return _FOOTNOTE_END.sub("", text).endswith("?")
# "… arbeidet? x  Alle tjenestesteder gjør dette": question, answer and comment on one line.
_ANSWER_MID = re.compile(r"^(?P<text>.*\?)\s+(?P<answer>Ja|Nei|Delvis|x|X)\s+(?P<rest>[A-ZÆØÅ].*)$")
_END = re.compile(r"^(Eventuelle ytterligere kommentarer|Ytterligere kommentarer)", re.I)


MAX_COMMENT = 1200  # characters: a longer comment followed by a new paragraph ends the checklist


def _starts_other_content(text: str) -> bool:
    from linter.importer.tables import is_header_line, numeric_tail

    _, toks = numeric_tail(text)
    figures = [t for t in toks if not t.placeholder]
    if len(figures) >= 3 and len(text) < 160:
        return True
    # A header row of a table of figures ("Kategori Menn % Kvinner % Total (N)").
    return len(re.findall(r"%|\(N\)|\(kr\)", text)) >= 2 and len(text) < 160 or is_header_line(text) and len(text.split()) >= 3


def _table_header_at(lines: list[Line], j: int, end: int) -> bool:
    """"Sykefravær i % Resultat" / "2023" / "Mål 2024 Resultat": a table's header printed
    over lines, a column word on this one and years or column words on the next."""
    from linter.importer.tables import is_header_line, split_header

    text = lines[j].text
    if len(text) > 80 or text.endswith(("?", ".")) or not split_header(text.split())[1]:
        return False
    k = j + 1
    while k < end and not lines[k].text:
        k += 1
    return k < end and is_header_line(lines[k].text) and bool(re.search(r"\b(19|20)\d\d\b", lines[k].text))


def _table_of_figures_at(lines: list[Line], j: int, end: int) -> bool:
    """Two lines in a row ending in two or more figures each: a table, not a comment."""
    from linter.importer.tables import numeric_tail

    def figures(text: str) -> int:
        return len([t for t in numeric_tail(text)[1] if not t.placeholder]) if text and len(text) < 160 else 0

    if figures(lines[j].text) < 2:
        return False
    k = j + 1
    while k < end and not lines[k].text:
        k += 1
    return k < end and figures(lines[k].text) >= 2


@dataclass(slots=True)
class _Item:
    text: list[str] = field(default_factory=list)
    answer: str = ""
    comment: list[str] = field(default_factory=list)
    question_done: bool = False
    answer_at: int = -1  # position of the line holding the answer
    answer_lead: bool = False  # the answer opens its line (a comment follows it)
    group: bool = False  # a group heading inside the checklist ("ARBEIDSTID"): no answer of its own
    start_at: int = -1

    @property
    def closed(self) -> bool:
        return bool(self.answer or self.comment or self.group)


_LABELLED = re.compile(r"^(?P<q>.*[?.])\s+(?P<rest>(Kommentar|Antall|Svar|Beskrivelse)\s*:.*)$")
MAX_OPEN_QUESTION = 250  # characters: an unanswered "question" this long at the end is prose


def _group_line(text: str) -> bool:
    """"ARBEIDSTID", "VOLD OG TRUSLER": a group heading printed in capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and len(text) < 60 and all(c.isupper() for c in letters)


def _question_ahead(lines: list[Line], j: int, end: int) -> bool:
    """Lines from ``j`` on, in one paragraph, that end in a question ("Er muligheten … ledere
    i" / "virksomheten? x"): a new question, not a comment on the one before."""
    if not lines[j].text[:1].isupper():
        return False
    k = j
    while k < end and k < j + 4 and lines[k].text:
        text = lines[k].text
        tail = _ANSWER_TAIL.match(text)
        if text.endswith("?") or tail and tail["text"].endswith("?"):
            return True
        if "?" in text or text.endswith("."):
            return False
        k += 1
    return False


def _comment_paragraph(lines: list[Line], j: int, end: int) -> bool:
    """A paragraph after an answered question that is its comment: no question in it, not
    long, not opened by a title line of its own ("Generelt om hvordan internkontroll ivaretas")."""
    k, size = j, 0
    while k < end and lines[k].text:
        if "?" in lines[k].text:
            return False
        size += len(lines[k].text)
        k += 1
    first, second = lines[j].text, lines[j + 1].text if j + 1 < end else ""
    titled = len(first) < 60 and not first.endswith((".", ",", ":", "-")) and second[:1].isupper()
    return size < 700 and not titled and not _group_line(first)


_LABEL_LINE = re.compile(r"^(Kommentar|Antall|Svar)\s*:")


def _paragraph_asks(lines: list[Line], j: int, end: int) -> bool:
    """Does the paragraph starting at ``j`` hold a question (a "?")?"""
    k = j
    while k < end and lines[k].text:
        if "?" in lines[k].text:
            return True
        k += 1
    return False


def tick_column(raw: str, lead: bool, columns: int) -> int | tuple[int, int] | None:
    """Which of ``columns`` tick columns the "x" on a raw extract line stands in. The extract
    marks empty cells with a narrow no-break space ("\u202f  x\u202f  \u202f" is the middle
    column): then the column. Or it keeps the cells' width in trailing spaces ("opp?   x    "):
    then (spaces before, spaces after) for the table to compare with its other rows. None when
    the line does not tell (the x alone, or a comment right after it)."""
    spots = [m.start() for m in re.finditer(r"(?<![^\s\u202f])[xX](?![^\s\u202f])", raw)]
    if not spots:
        return None
    at = spots[0] if lead else spots[-1]
    left = at
    while left > 0 and raw[left - 1] in " \u202f":
        left -= 1
    right = at + 1
    while right < len(raw) and raw[right] in " \u202f":
        right += 1
    region = raw[left:right]
    if "\u202f" in region:
        cells = _TICK.findall(region)
        found = [k for k, c in enumerate(cells) if c.strip("\u202f")]
        return found[0] if len(cells) == columns and len(found) == 1 else None
    if lead or right < len(raw) or left == 0 or right - at - 1 == 0:
        return None  # nothing after the x: the extract may have stripped the spaces that told
    return at - left, right - at - 1


def read_checklist(lines: list[Line], start: int, end: int, known_items: list[str],
                   raw: list[str] | None = None) -> TableOut | None:
    """A checklist whose header line ("Jodberedskap Kryss av Kommentar") is at ``start``.
    ``raw``: the extract's lines as they were before cleaning (the tick columns' spacing)."""
    header_text = lines[start].text
    match = CHECKLIST_HEADER.search(header_text)
    if not match:
        return None
    first_col = header_text[: match.start()].strip() or "Spørsmål"
    answer_col = "Kryss av" if "kryss" in match.group(0).lower() else ("Ja/Delvis/Nei" if "delvis" in match.group(0).lower() else "Ja/Nei")
    if "/" in match.group(0):
        answer_col = match.group(0)
    ticks = [w.capitalize() for w in match.group(0).split()] if _TICK_HEADER.fullmatch(match.group(0)) else []
    comment_col = header_text[match.end():].strip() or "Kommentar"
    if ticks and comment_col != "Kommentar":
        # The comment column's title wrapped onto the next short line(s) ("kommenter").
        k = start + 1
        while k < end and k <= start + 4 and (not lines[k].text or (lines[k].text[:1].islower() and len(lines[k].text) < 30)):
            if lines[k].text:
                comment_col += " " + lines[k].text
            k += 1
    starts = [normalize_title(k)[:28] for k in known_items]
    prefix = None
    items: list[_Item] = []
    cur: _Item | None = None
    blank_before = False
    stop = end
    for j in range(start + 1, end):
        text = lines[j].text
        if not text:
            blank_before = True
            if cur is not None and cur.text and not cur.answer:
                cur.question_done = cur.text[-1].rstrip().endswith(("?", ".", ")", ":"))
            continue
        if _END.match(text) or CHECKLIST_HEADER.search(text) and len(text) < 90 and j > start + 1:
            if _END.match(text):
                stop = j
                break
            continue  # the header repeated after a page break
        if _starts_other_content(text) or _table_of_figures_at(lines, j, end) or _table_header_at(lines, j, end):
            # A table of figures (or its header) inside the checklist: never one cell. The
            # checklist ends here (with the table's header line, when one was taken as text);
            # what follows is read as tables and text.
            stop = j
            k = j - 1
            while k > start and not lines[k].text:
                k -= 1
            head = lines[k].text
            if cur is not None and cur.text == [head] and not cur.answer and not cur.comment:
                items.remove(cur)  # the table's header line, taken for a new question
                stop = k
            elif cur is not None and (owner := cur.comment or cur.text) and len(owner) > 1 and owner[-1] == head \
                    and len(head) < 80 and not head.endswith(("?", ".")):
                # The table's header lines (a title, "Kategori", "Menn", "%", …), taken as text.
                while len(owner) > 1 and owner[-1] == lines[k].text and len(owner[-1]) < 80 \
                        and not owner[-1].endswith(("?", ".")):
                    owner.pop()
                    stop = k
                    k -= 1
                    while k > start and not lines[k].text:
                        k -= 1
                if owner is cur.text and owner == [lines[k].text] and not cur.answer and not cur.comment \
                        and len(owner[0]) < 80 and not owner[0].endswith(("?", ".")):
                    items.remove(cur)  # the table's title, taken for a new question
                    stop = k
            break
        if cur is not None and cur.answer and blank_before and sum(len(t) for t in cur.comment) > MAX_COMMENT:
            # Pages of prose after the last answer are not its comment.
            stop = j
            break
        norm = normalize_title(text)
        closed = cur is not None and cur.closed
        begins = (
            cur is None
            or (prefix and text.startswith(prefix))
            or any(s and norm.startswith(s[: max(20, min(len(s), len(norm)))]) for s in starts)
            or (closed and blank_before and _starts_upper(text) and not _ANSWER_LEAD.match(text)
                and not (cur.answer and _asks(cur.text[-1]) and _comment_paragraph(lines, j, end)))
            # "Er planen fulgt opp? Nei" after an answered item: the next question with its answer.
            or (closed and (tail := _ANSWER_TAIL.match(text)) is not None
                and (tail["text"].endswith("?") or len(tail["text"]) < 80 and _starts_upper(tail["text"])))
            or _group_line(text)
            or bool(cur.group)
            or (closed and _question_ahead(lines, j, end))
        )
        if begins and cur is not None and not cur.text:
            begins = False
        if begins:
            cur = _Item(start_at=j)
            items.append(cur)
            if prefix is None and len(items) == 1 and ":" in text[:40]:
                prefix = text[: text.index(":")].split("–")[0].split("-")[0].strip() or None
            if _ANSWER.match(text):
                cur.answer, cur.answer_at = text, j
            elif _group_line(text):
                cur.text.append(text)
                cur.group = True
            elif (labelled := _LABELLED.match(text)) is not None:
                cur.text.append(labelled["q"])
                cur.comment.append(labelled["rest"])
            else:
                tail = _ANSWER_TAIL.match(text)
                if tail and len(tail["text"]) > 10:
                    cur.text.append(tail["text"])
                    cur.answer, cur.answer_at = tail["answer"], j
                else:
                    cur.text.append(text)
            blank_before = False
            continue
        if cur.answer or cur.comment:
            cur.comment.append(text)
        elif len(cur.text) == 1 and (tail := _ANSWER_TAIL.match(text)) and len(tail["text"]) > 10 \
                and _starts_upper(text) and not _CONNECTOR_END.search(cur.text[0]) and not cur.text[0].endswith(":") \
                and "?" not in cur.text[0]:
            # "Tiltak gjennomført i 2024" / "Ungdomsklubbtilbud, FFU Ja": a heading row, then a row.
            cur.group = True
            cur = _Item(start_at=j, text=[tail["text"]], answer=tail["answer"], answer_at=j)
            items.append(cur)
        elif _ANSWER.match(text):
            cur.answer, cur.answer_at = text, j
        elif (lead := _ANSWER_LEAD.match(text)) and (blank_before or cur.question_done):
            cur.answer, cur.answer_at, cur.answer_lead = text.split()[0], j, True
            cur.comment.append(lead["rest"])
        elif (tail := _ANSWER_TAIL.match(text)) and (len(tail["text"]) > 10 or cur.text):
            cur.text.append(tail["text"])
            cur.answer, cur.answer_at = tail["answer"], j
        elif (labelled := _LABELLED.match(text)) is not None:
            cur.text.append(labelled["q"])
            cur.comment.append(labelled["rest"])
        elif (mid := _ANSWER_MID.match(text)) is not None:
            cur.text.append(mid["text"])
            cur.answer, cur.answer_at = mid["answer"], j
            cur.comment.append(mid["rest"])
        elif (blank_before and cur.question_done and (_asks(cur.text[-1]) or _LABEL_LINE.match(text))
              or cur.text and _asks(cur.text[-1]) and _starts_upper(text) and len(text) > 60) \
                and not _paragraph_asks(lines, j, end):
            # The answer to a question asked in words: a paragraph with no question in it.
            cur.comment.append(text)
        else:
            cur.text.append(text)
        blank_before = False
    # Unanswered "questions" at the end that run on like prose are the text after the checklist.
    answered = [it for it in items if it.answer]
    asks = bool(answered) and 2 * sum("?" in " ".join(it.text) for it in answered) >= len(answered)
    while items and items[-1].start_at > start and not items[-1].answer and not items[-1].group and (
            asks and "?" not in " ".join(items[-1].text) or not items[-1].closed and len(" ".join(items[-1].text)) > MAX_OPEN_QUESTION):
        stop = items.pop().start_at
    if ticks and comment_col != "Kommentar":
        items = [it for it in items if not (it.text and " ".join(it.text) in comment_col and not it.answer)]
    items = [it for it in items if it.text]
    # One question is a checklist only with its answer (under a header of tick columns:
    # "Tilstandsanalyse Ja Nei").
    if len(items) < 2 and not (items and items[0].answer):
        return None
    if ticks:
        return _tick_table(items, lines, raw, first_col, ticks, comment_col, start, stop)
    if not header_text[match.end():].strip():
        # No comment column printed: an answer in words ("Det jobbes med tiltak …") is the answer.
        for it in items:
            if not it.answer and it.comment:
                it.answer, it.comment = " ".join(it.comment), []
        if not any(it.comment for it in items):
            rows = [[_join_hyphen(" ".join(it.text)), it.answer] for it in items]
            return TableOut(caption="", header=[first_col, answer_col], rows=rows, start=start, end=stop,
                            type="sjekkliste", rows_structured=len(rows))
    rows = [[_join_hyphen(" ".join(it.text)), it.answer, " ".join(it.comment)] for it in items]
    return TableOut(caption="", header=[first_col, answer_col, comment_col], rows=rows, start=start, end=stop,
                    type="sjekkliste", rows_structured=len(rows))


def _tick_table(items: list[_Item], lines: list[Line], raw: list[str] | None, first_col: str, ticks: list[str],
                comment_col: str, start: int, stop: int) -> TableOut:
    """Separate tick columns: the "x" goes to the column its position on the line tells; a
    "Ja"/"Nei" written out goes to that column; an "x" whose column the line does not tell
    stays in the first column, and the table says so in a marker."""
    rows: list[list[str]] = []
    unsure: list[str] = []
    found: dict[int, int | tuple[int, int] | None] = {}
    for n, it in enumerate(items):
        if it.answer and raw is not None and 0 <= it.answer_at < len(lines):
            number = lines[it.answer_at].number
            found[n] = tick_column(raw[number - 1], it.answer_lead, len(ticks)) if 0 < number <= len(raw) else None
    # Trailing spaces: the widest is the first column's x (the whole tick area after it).
    widths = [f[1] for f in found.values() if isinstance(f, tuple)]
    widest = max(widths, default=0)
    for n, it in enumerate(items):
        cells = [""] * len(ticks)
        if it.answer:
            named = [k for k, t in enumerate(ticks) if t.lower() == it.answer.lower()]
            col = named[0] if named else None
            where = found.get(n)
            if col is None and isinstance(where, int):
                col = where
            elif col is None and isinstance(where, tuple) and widest >= 4 and len(set(widths)) > 1:
                col = min(len(ticks) - 1, round((widest - where[1]) / widest * (len(ticks) - 1)))
            if col is None:
                col = 0
                unsure.append(" ".join(it.text)[:60])
            cells[col] = it.answer
        rows.append([_join_hyphen(" ".join(it.text)), *cells, " ".join(it.comment)])
    table = TableOut(caption="", header=[first_col, *ticks, comment_col], rows=rows, start=start, end=stop,
                     type="sjekkliste", rows_structured=len(rows))
    table.notes = [f"kryss uten lesbar kolonne er satt under «{ticks[0]}»: " + "; ".join(f"«{u}»" for u in unsure)] if unsure else []
    return table


# A decision's code: "H69/2019", "K2 /2016", "K37 (R10)/2016", "H3" before a title, "VO1:" or
# "VM2 -" before a title. A code without a year needs a separator or a capitalised title after it.
VEDTAK_CODE = re.compile(
    r"^(?P<code>[A-ZÆØÅ]{1,4}\d{1,3}[A-Z]?(?:\s*\([A-Z]?\d+\))?\s?/\s?\d{4})(?:\s*[:–-])?(?:\s+(?P<rest>.*))?$"
    r"|^(?P<code2>[A-ZÆØÅ]{1,4}\d{0,3}[A-Z]?)\s*[:–-]\s+(?P<rest2>[A-ZÆØÅ].*)$"
    r"|^(?P<code3>[A-ZÆØÅ]{1,3}\d{1,3}[A-Z]?)\s+(?P<rest3>[A-ZÆØÅ][a-zæøå].*)$"
)
_CONNECTOR_END = re.compile(r"(?i)(\b(for|og|i|av|til|med|samt|på|om|fra|eller|ved|under|mot|en|et|de|den|det)|[,–-])$")


def _vedtak_code(text: str) -> tuple[str, str] | None:
    m = VEDTAK_CODE.match(text)
    if not m:
        return None
    if m["code"]:
        return re.sub(r"\s+", " ", m["code"]), (m["rest"] or "").strip()
    if m["code2"]:
        return m["code2"], m["rest2"].strip()
    return m["code3"], m["rest3"].strip()


@cache
def _patterns(key: str) -> tuple[re.Pattern, ...]:
    from linter.importer.vocabulary import words

    return tuple(re.compile(p) for p in words(key))


@cache
def _header_words() -> re.Pattern:
    from linter.importer.vocabulary import alternation

    return re.compile(rf"(?i)\b({alternation('vedtak_overskriftsord')})\b")


def _answer_start(text: str) -> str | None:
    """The rest of a line that begins the district's answer ("Bydel Testby: …"), else None."""
    if ":" not in text:
        return None
    for pat in _patterns("utkvittering_start"):
        m = pat.match(text)
        if m:
            return text[m.end():].strip()
    return None


def _header_only(text: str) -> bool:
    return bool(text.strip()) and not _header_words().sub(" ", text).strip(" :")


def _status_split(text: str) -> tuple[str, str] | None:
    """"Kompensasjon for tomgangsleie i Omsorg+ Fulgt opp." → (title, answer): a usual short
    answer after the title on its line, or the answer after a wide gap ("Tittel  BU-møte …")."""
    from linter.importer.vocabulary import alternation

    if "  " in text:
        head, _, tail = text.partition("  ")
        if head.strip() and tail.strip()[:1].isupper():
            return head.strip(), tail.strip()
    m = re.search(rf"\s(?P<answer>({alternation('statusord')})\b.*)$", text)
    if m and m.start() > 0:
        return text[: m.start()].strip(), m["answer"].strip()
    return None


def _paragraphs(lines: list[Line], start: int, end: int) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for j in range(start, end):
        text = lines[j].text
        if not text:
            if out[-1]:
                out.append([])
            continue
        out[-1].append(text)
    return [p for p in out if p]


def _group_heading(text: str) -> str | None:
    """"Helse og omsorg Bydelens kommentar" / "Oppvekst og utdanning": a group row's title."""
    if len(text) >= 60 or text.endswith((".", ":", ",")) or not text[:1].isupper() or _vedtak_code(text):
        return None
    while (m := _header_words().search(text)) and not text[m.end():].strip():
        text = text[: m.start()].rstrip()
    return text.strip() or None


def read_verbalvedtak(lines: list[Line], start: int, end: int) -> TableOut | None:
    """The decisions of a verbalvedtak section, one row each: code, title (with the decision's
    text after a colon when the report prints it), and the district's answer: after an answer
    line ("Bydel Testby:"), else after the title (a blank line, a wide gap or a usual short
    answer ending the title's line). Group headings ("Helse og omsorg") become group rows."""
    codes = [j for j in range(start, end) if _vedtak_code(lines[j].text)]
    if not codes:
        return _quoted_decision(lines, start, end)
    first = codes[0]
    rows: list[list[str]] = []
    answer_column = False
    # Group heading or table header just above the first code.
    k = first - 1
    while k >= start and first - k <= 4:
        text = lines[k].text
        if text:
            group = _group_heading(text)
            if _header_only(text):
                first = k
                answer_column = answer_column or bool(re.search(r"(?i)utkvitter|kommentar|svar|status", text))
            elif group and len(text) < 60:
                rows.append(["", group, ""])
                answer_column = answer_column or group != text
                first = k
                break
            else:
                break
        k -= 1
    last = codes[0]
    for n, j in enumerate(codes):
        stop = codes[n + 1] if n + 1 < len(codes) else end
        code, rest = _vedtak_code(lines[j].text)  # type: ignore[misc]
        body = _paragraphs(lines, j + 1, stop)
        while body and len(body[-1]) == 1 and _header_only(body[-1][0]):
            body.pop()
        flat = [(pi, t) for pi, p in enumerate(body) for t in p]
        title = [rest] if rest else []
        pos = 0
        if not title and flat:
            # The title is the paragraph after the code.
            para = flat[0][0]
            while pos < len(flat) and flat[pos][0] == para:
                title.append(flat[pos][1])
                pos += 1
        else:
            # A title wrapped onto the next line(s).
            while pos < len(flat) and flat[pos][0] == 0 and len(title) < 4 and (
                    _CONNECTOR_END.search(title[-1]) or flat[pos][1][:1].islower() or len(flat[pos][1]) <= 12) \
                    and _answer_start(flat[pos][1]) is None:
                title.append(flat[pos][1])
                pos += 1
        rest_lines = flat[pos:]
        # A group heading (and the table header) standing last before the next code, after an answer.
        next_group = None
        if n + 1 < len(codes) and rest_lines:
            last_para = rest_lines[-1][0]
            tail = [t for p, t in rest_lines if p == last_para]
            other = any(p != last_para for p, _ in rest_lines) or (title and _status_split(title[-1]) is not None)
            if len(tail) == 1 and other and _group_heading(tail[0]) and not re.search(r"\d", tail[0]) \
                    and _answer_start(tail[0]) is None:
                next_group = _group_heading(tail[0])
                rest_lines = [(p, t) for p, t in rest_lines if p != last_para]
        decision: list[str] = []
        answer: list[str] = []
        marker = next((q for q, (_, t) in enumerate(rest_lines) if _answer_start(t) is not None), None)
        if marker is not None:
            decision = [t for _, t in rest_lines[:marker]]
            first_answer = _answer_start(rest_lines[marker][1])
            answer = ([first_answer] if first_answer else []) + [t for _, t in rest_lines[marker + 1:]]
        else:
            answer = [t for _, t in rest_lines]
        title_text = " ".join(title).strip()
        if not answer:
            split = _status_split(title_text)
            if split:
                title_text, short = split
                answer = [short]
        elif title and len(title) > 1:
            split = _status_split(title[-1])
            if split and not decision:
                title_text = " ".join(title[:-1] + [split[0]]).strip()
                answer = [split[1]] + answer
        if decision:
            title_text = f"{title_text}: {' '.join(decision)}".strip()
        rows.append([code, _join_hyphen(title_text), _join_hyphen(" ".join(answer).strip())])
        if next_group:
            rows.append(["", next_group, ""])
        last = max(j + 1, max((q for q in range(j, stop) if lines[q].text), default=j) + 1)
    if not any(r[0] for r in rows):
        return None
    table = TableOut(caption="", header=["Kode", "Vedtak", "Utkvittering"], rows=rows, start=first, end=last,
                     type="verbalvedtak", rows_structured=len(rows))
    if answer_column and sum(1 for r in rows if r[0] and r[2]) > sum(1 for r in rows if r[0] and not r[2]):
        # Title and answer on one line with no gap ("VO2: Skolemat Rutiner er utarbeidet …") in a
        # table that prints an answer for most decisions: the answer begins at the first capital
        # after the title's first word. A guess, so a marker names the rows.
        guessed = []
        for r in rows:
            words = r[1].split()
            cut = next((k for k in range(1, len(words)) if words[k][:1].isupper()), None) if r[0] and not r[2] else None
            if cut is not None:
                r[1], r[2] = " ".join(words[:cut]), " ".join(words[cut:])
                guessed.append(r[0])
        if guessed:
            table.notes.append("utkvitteringen er skilt fra tittelen ved første store bokstav (ingen luke i uttrekket); "
                               "kontroller " + ", ".join(guessed))
    return table


_QUOTED = re.compile(r"(?i)\bvedtak(et)?\s*:\s*[“\"«]")


def _quoted_decision(lines: list[Line], start: int, end: int) -> TableOut | None:
    """A decision quoted in prose with no code ("… fattet følgende vedtak: “Bystyret ber …”
    Oppfølgingen …"): the quoted decision (to its closing quote, or its first sentence) and the
    answer after it, one row."""
    for para_start in range(start, end):
        if not lines[para_start].text or (para_start > start and lines[para_start - 1].text):
            continue
        k = para_start
        para: list[str] = []
        while k < end and lines[k].text:
            para.append(lines[k].text)
            k += 1
        text = " ".join(para)
        m = _QUOTED.search(text)
        if not m:
            continue
        after = text[m.end():]
        close = re.search(r"[”\"»]", after)
        cut = close.end() if close else (s.end() if (s := re.search(r"[.!?](?=\s+[A-ZÆØÅ])", after)) else len(after))
        decision, answer = text[: m.end()] + after[:cut], after[cut:].strip()
        if not answer:
            return None
        return TableOut(caption="", header=["Vedtak", "Utkvittering"], rows=[[decision.strip(), answer]],
                        start=para_start, end=k, type="verbalvedtak", rows_structured=1)
    return None


def _join_hyphen(text: str) -> str:
    """"helse- og" stays; "barnehage- deltakelse" (a word broken at the line end) is joined."""
    return re.sub(r"(\w)- (?!og\b|eller\b|til\b)([a-zæøå])", r"\1\2", text)


_PRECISION = re.compile(r"^Presisering\s*:\s*")


def read_goal_answers(lines: list[Line], start: int, end: int) -> TableOut | None:
    """A report's answers to its goals and measures ("Mål 01 …", "Tiltak 1: …", then "Bydel
    Testby: …"): a table Tiltak | Mål | Utkvittering, the goals written as a list before it.
    Read only when at least two measures are answered with an answer line."""
    tiltak = _patterns("tiltak_start")
    goal = _patterns("mål_start")
    if not tiltak or not goal:
        return None

    def match(pats, text):
        return next((m for p in pats if (m := p.match(text))), None)

    starts = [j for j in range(start, end) if match(tiltak, lines[j].text)]
    if len(starts) < 2 or sum(1 for j in range(start, end) if _answer_start(lines[j].text) is not None) < 2:
        return None
    goals: list[str] = []
    rows: list[list[str]] = []
    current_goal = ""
    first = None
    j = start
    cur: list | None = None  # [tiltak lines, answer lines or None, goal]
    last = start

    def flush():
        if cur is not None:
            # "Presisering: …" (the city's note on the measure) has a column of its own.
            lines_of = cur[0]
            at = next((n for n, t in enumerate(lines_of) if _PRECISION.match(t)), len(lines_of))
            note = _PRECISION.sub("", " ".join(lines_of[at:]), count=1).strip()
            rows.append([_join_hyphen(" ".join(lines_of[:at])), cur[2], _join_hyphen(note),
                         _join_hyphen(" ".join(cur[1] or []))])

    paragraph_gap = False
    while j < end:
        text = lines[j].text
        if not text:
            paragraph_gap = True
            j += 1
            continue
        g = match(goal, text) if len(text) < 200 else None
        t = match(tiltak, text)
        if g and (cur is None or cur[1] is not None or paragraph_gap):
            flush()
            cur = None
            first = j if first is None else first
            goal_lines = [text]
            k = j + 1
            while k < end and lines[k].text and not match(tiltak, lines[k].text) and _answer_start(lines[k].text) is None \
                    and len(goal_lines) < 4:
                goal_lines.append(lines[k].text)
                k += 1
            current_goal = re.sub(r"\s+", " ", g["code"])
            goals.append(_join_hyphen(" ".join(goal_lines)))
            last = j = k
            paragraph_gap = False
            continue
        if t:
            flush()
            first = j if first is None else first
            cur = [[text], None, current_goal]
        elif cur is not None:
            rest = _answer_start(text)
            if rest is not None and cur[1] is None:
                cur[1] = [rest] if rest else []
            elif cur[1] is None:
                cur[0].append(text)
            else:
                cur[1].append(text)
        elif first is not None:
            break
        else:
            j += 1
            paragraph_gap = False
            continue
        last = j + 1
        j += 1
        paragraph_gap = False
    flush()
    if len(rows) < 2 or first is None:
        return None
    if not any(r[2] for r in rows):
        for r in rows:
            del r[2]
    header = ["Tiltak", "Mål", "Presisering", "Utkvittering"] if len(rows[0]) == 4 else ["Tiltak", "Mål", "Utkvittering"]
    table = TableOut(caption="", header=header, rows=rows, start=first, end=last,
                     type="verbalvedtak", rows_structured=len(rows))
    table.lead = ["- " + g for g in goals]
    return table


# ---------------------------------------------------------------------------- Måltabell
def goal_table_header(text: str) -> bool:
    from linter.importer.vocabulary import words

    titles = words("måltabell_kolonner")
    return bool(titles) and text.split()[: len(titles)] == titles


def _figures_only(text: str) -> bool:
    from linter.importer.tables import numeric_tail

    label, toks = numeric_tail(text)
    return bool(toks) and not label


def _wrapped_cells(texts: list[str], widths: list[int]) -> list[list[str]]:
    """Lines of several wrapped cells printed one after another, cut into cells: a line ends
    its cell when the next line's first word would have fitted on it (the column's wrap width
    is its widest line), so the writer would not have wrapped there."""
    parts: list[list[str]] = [[]]
    for n, text in enumerate(texts):
        parts[-1].append(text)
        if n + 1 < len(texts):
            width = widths[min(len(parts) - 1, len(widths) - 1)]
            nxt = texts[n + 1].split()[0]
            if width and len(text) + 1 + len(nxt) <= width - 1:
                parts.append([])
    return parts


def read_goal_table(lines: list[Line], start: int, end: int) -> TableOut | None:
    """A budget's Måltabell: Hovedmål, Delmål and Indikator are wrapped text cells printed one
    after the other, then the row's figures on a line of their own. Each text cell begins in
    a recognisable way (the patterns in the importer's vocabulary); a row whose figures cannot
    be read is handed back raw."""
    from linter.importer.tables import Ambiguous, numeric_tail, split_header
    from linter.importer.numbers import segmentations
    from linter.importer.vocabulary import words

    titles = words("måltabell_kolonner")
    starts = [re.compile(p) for p in words("måltabell_start")]
    if not goal_table_header(lines[start].text) or len(starts) != len(titles):
        return None

    def column_of(text: str) -> int | None:
        found = [k for k, pat in enumerate(starts) if pat.match(text)]
        return found[0] if found else None

    # The figure columns' header: every word up to the first text cell.
    header_words = lines[start].text.split()[len(titles):]
    j = start + 1
    while j < end and (not lines[j].text or (column_of(lines[j].text) is None and len(lines[j].text) < 40
                                             and not numeric_tail(lines[j].text)[1][1:])):
        header_words += lines[j].text.split()
        j += 1
    _, value_columns = split_header(header_words)
    if not value_columns:
        return None
    count = len(value_columns)
    rows: list[list[str]] = []
    ambiguous: list[Ambiguous] = []
    cells: list[list[str]] = [[] for _ in titles]
    col = -1
    last = j

    widths = [0] * len(titles)  # the widest line seen in each text column: its wrap width
    row_cells: list[list[list[str]]] = []  # each row's text cells as lines, for a continuation

    def flush(figures: list[str]) -> None:
        nonlocal cells, col
        if any(cells):
            rows.append([" ".join(c) for c in cells] + figures)
            row_cells.append(cells)
        cells = [[] for _ in titles]
        col = -1

    while j < end:
        text = lines[j].text
        if not text:
            j += 1
            continue
        if goal_table_header(text):
            # The header printed again after a page break: skip it.
            j += 1
            while j < end and (not lines[j].text or column_of(lines[j].text) is None and len(lines[j].text) < 15
                               and not numeric_tail(lines[j].text)[1][1:]):
                j += 1
            # The rest of a row's text cells, printed after its figures and the repeated header.
            more: list[int] = []
            while j < end and (not lines[j].text or column_of(lines[j].text) is None and len(lines[j].text) <= 60
                               and not _figures_only(lines[j].text) and not goal_table_header(lines[j].text)):
                if lines[j].text:
                    more.append(j)
                j += 1
            if more:
                target = cells if any(cells) else (row_cells[-1] if row_cells else None)
                parts = _wrapped_cells([lines[k].text for k in more], widths)
                # The cells the page break cut: all of them, or (fewer parts) the row's non-empty ones.
                columns = list(range(len(titles))) if len(parts) == len(titles) else \
                    [c for c in range(len(titles)) if target and target[c]] if target is not None else []
                if target is not None and len(parts) == len(columns):
                    for c, part in zip(columns, parts):
                        target[c].extend(part)
                    if target is not cells:
                        rows[-1][: len(titles)] = [" ".join(c) for c in target]
                else:
                    ambiguous.append(Ambiguous(lines[more[0]].number, " ".join(lines[k].text for k in more),
                                               "tekst etter tallene og den gjentatte overskriften kunne ikke fordeles "
                                               f"sikkert på {len(titles)} tekstkolonner"))
                last = more[-1] + 1
            continue
        label, toks = numeric_tail(text)
        if toks and not label:
            readings = segmentations(tuple(toks), count, 0)
            if len(readings) == 1:
                flush(list(readings[0][1]))
            else:
                ambiguous.append(Ambiguous(lines[j].number, " ".join(" ".join(c) for c in cells if c) + " " + text,
                                           f"tallene passer ikke i {count} kolonner"))
                cells = [[] for _ in titles]
                col = -1
            last = j + 1
            j += 1
            continue
        which = column_of(text)
        if which is None and col < 0 and any(goal_table_header(lines[k].text) for k in range(j + 1, min(end, j + 4))):
            j += 1  # a running title above the header repeated on the next page ("Økonomiplan for 2026-2029")
            continue
        if which is not None:
            if which <= col or (which == 0 and col >= 0):
                flush([""] * count)  # a new row: the previous one had no figures
            col = which
            cells[col].append(text)
            widths[col] = max(widths[col], len(text))
        elif col >= 0 and len(text) <= 60:
            cells[col].append(text)
            widths[col] = max(widths[col], len(text))
        else:
            break
        last = j + 1
        j += 1
    flush([""] * count)
    if not rows:
        return None
    table = TableOut(caption="Måltabell", header=[*titles, *value_columns], rows=[], start=start, end=last,
                     type="måltabell", rows_structured=len(rows))
    for r in rows:
        table.rows.append([c.strip() for c in r])
    table.ambiguous = ambiguous
    return table
