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

from linter.importer.clean import Line
from linter.importer.tables import TableOut
from linter.titles import normalize_title

CHECKLIST_HEADER = re.compile(r"(\bKryss av\b|\bJa\s+(Delvis\s+)?Nei\b)", re.I)
_ANSWER = re.compile(r"^(Ja|Nei|Delvis|x|X)$")
_ANSWER_LEAD = re.compile(r"^(Ja|Nei|Delvis|x|X)\s+(?P<rest>\S.*)$")
_ANSWER_TAIL = re.compile(r"^(?P<text>.*\S)\s+(?P<answer>Ja|Nei|Delvis|x|X)$")
_END = re.compile(r"^(Eventuelle ytterligere kommentarer|Ytterligere kommentarer)", re.I)
VEDTAK_CODE = re.compile(r"^(?P<code>[A-ZÆØÅ]{1,4}\d{1,3}[A-Z]?/\d{4})\b\s*(?P<rest>.*)$")
_SHORT_ANSWER = re.compile(
    r"\s(?P<answer>(Iverksatt|Fulgt opp|Gjennomført|Videreført|Ivaretatt|Ikke aktuelt|Ikke relevant|Utført|Avsluttet)\b.*)$"
)


MAX_COMMENT = 1200  # characters: a longer comment followed by a new paragraph ends the checklist


def _starts_other_content(text: str) -> bool:
    from linter.importer.tables import is_header_line, numeric_tail

    _, toks = numeric_tail(text)
    figures = [t for t in toks if not t.placeholder]
    if len(figures) >= 3 and len(text) < 160:
        return True
    # A header row of a table of figures ("Kategori Menn % Kvinner % Total (N)").
    return len(re.findall(r"%|\(N\)|\(kr\)", text)) >= 2 and len(text) < 160 or is_header_line(text) and len(text.split()) >= 3


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


def read_checklist(lines: list[Line], start: int, end: int, known_items: list[str]) -> TableOut | None:
    """A checklist whose header line ("Jodberedskap Kryss av Kommentar") is at ``start``."""
    header_text = lines[start].text
    match = CHECKLIST_HEADER.search(header_text)
    if not match:
        return None
    first_col = header_text[: match.start()].strip() or "Spørsmål"
    answer_col = "Kryss av" if "kryss" in match.group(0).lower() else ("Ja/Delvis/Nei" if "delvis" in match.group(0).lower() else "Ja/Nei")
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
        if _starts_other_content(text) or _table_of_figures_at(lines, j, end):
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
        begins = (
            cur is None
            or (prefix and text.startswith(prefix))
            or any(s and norm.startswith(s[: max(12, min(len(s), len(norm)))]) for s in starts)
            or (cur.answer and blank_before and text[0].isupper() and not _ANSWER_LEAD.match(text))
            # "Er planen fulgt opp? Nei" after an answered item: the next question with its answer.
            or (cur.answer and (tail := _ANSWER_TAIL.match(text)) is not None and tail["text"].endswith("?"))
        )
        if begins and cur is not None and not cur.text:
            begins = False
        if begins:
            cur = _Item()
            items.append(cur)
            if prefix is None and len(items) == 1 and ":" in text[:40]:
                prefix = text[: text.index(":")].split("–")[0].split("-")[0].strip() or None
            if _ANSWER.match(text):
                cur.answer = text
            else:
                tail = _ANSWER_TAIL.match(text)
                if tail and len(tail["text"]) > 10:
                    cur.text.append(tail["text"])
                    cur.answer = tail["answer"]
                else:
                    cur.text.append(text)
            blank_before = False
            continue
        if cur.answer:
            cur.comment.append(text)
        elif _ANSWER.match(text):
            cur.answer = text
        elif (lead := _ANSWER_LEAD.match(text)) and (blank_before or cur.question_done):
            cur.answer = text.split()[0]
            cur.comment.append(lead["rest"])
        elif (tail := _ANSWER_TAIL.match(text)) and len(tail["text"]) > 10:
            cur.text.append(tail["text"])
            cur.answer = tail["answer"]
        else:
            cur.text.append(text)
        blank_before = False
    items = [it for it in items if it.text]
    if len(items) < 2 and not (items and items[0].answer):
        return None  # one question is a checklist only with its answer
    rows = [[" ".join(it.text), it.answer, " ".join(it.comment)] for it in items]
    return TableOut(caption="", header=[first_col, answer_col, "Kommentar"], rows=rows, start=start, end=stop,
                    type="sjekkliste", rows_structured=len(rows))


def read_verbalvedtak(lines: list[Line], start: int, end: int) -> TableOut | None:
    codes = [j for j in range(start, end) if VEDTAK_CODE.match(lines[j].text)]
    if len(codes) < 1:
        return None
    first = codes[0]
    rows: list[list[str]] = []
    # A group heading just above the first code ("Helse og omsorg Bydelens kommentar").
    group = None
    for j in range(first - 1, max(start, first - 4) - 1, -1):
        text = lines[j].text
        if text:
            if len(text) < 80 and not text.endswith("."):
                group = re.sub(r"\s*(Bydelens kommentar|Utkvittering|Kommentar)\s*$", "", text).strip()
                first = j
            break
    if group:
        rows.append(["", group, ""])
    j = codes[0]
    last = j
    while j < end:
        m = VEDTAK_CODE.match(lines[j].text)
        if not m:
            break
        code, rest = m["code"], m["rest"].strip()
        title: list[str] = [rest] if rest else []
        answer: list[str] = []
        k = j + 1
        blank_seen = False
        # Title: the code line's rest, or the next paragraph when the rest is empty.
        while k < end and not VEDTAK_CODE.match(lines[k].text):
            text = lines[k].text
            if not text:
                if title:
                    blank_seen = True
                k += 1
                continue
            if not title or (not blank_seen and not answer and len(title) < 3 and not rest):
                title.append(text)
            else:
                answer.append(text)
            k += 1
        if not answer and title:
            joined = " ".join(title)
            short = _SHORT_ANSWER.search(joined)
            if short:
                answer = [short["answer"]]
                title = [joined[: short.start()]]
        # A trailing short line before the next code may be the next group heading.
        next_group = None
        if answer and k < end and VEDTAK_CODE.match(lines[k].text):
            cand = answer[-1]
            if len(cand) < 40 and not cand.endswith((".", ")")) and cand[:1].isupper() and len(answer) > 1:
                next_group = answer.pop()
        rows.append([code, " ".join(title).strip(), " ".join(answer).strip()])
        if next_group:
            rows.append(["", next_group, ""])
        last = k
        j = k
        if j < end and not VEDTAK_CODE.match(lines[j].text):
            break
    if not any(r[0] for r in rows):
        return None
    return TableOut(caption="", header=["Kode", "Vedtak", "Utkvittering"], rows=rows, start=first, end=last,
                    type="verbalvedtak", rows_structured=len(rows))


# ---------------------------------------------------------------------------- Måltabell
def goal_table_header(text: str) -> bool:
    from linter.importer.vocabulary import words

    titles = words("måltabell_kolonner")
    return bool(titles) and text.split()[: len(titles)] == titles


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

    def flush(figures: list[str]) -> None:
        nonlocal cells, col
        if any(cells):
            rows.append([" ".join(c) for c in cells] + figures)
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
            while j < end and lines[j].text and column_of(lines[j].text) is None and len(lines[j].text) < 15:
                j += 1
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
        if which is not None:
            if which <= col or (which == 0 and col >= 0):
                flush([""] * count)  # a new row: the previous one had no figures
            col = which
            cells[col].append(text)
        elif col >= 0 and len(text) <= 60:
            cells[col].append(text)
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
