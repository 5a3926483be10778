"""Text from a PDF by the words' positions, with the optional extra ``rapportlint[pdf]``
(pdfminer.six), imported lazily.

Flattening a page to text loses the one thing that separates two table cells from one number:
"2 160 113 2 134 830" reads the same whether the gap before the second "2" is a digit-group
space or a column boundary, and an empty cell prints nothing at all. Here every character keeps
its position: the characters of a page are put on lines by their baseline (cells of one row come
out on one line, even when the PDF draws them as separate text boxes), ordered by x, and a gap
wider than a word space becomes two spaces (read as a cell boundary no number spans).

Tables of figures are then read as a grid. The figures of a column are right-aligned, so the
right edges of the figures across the table's rows give the column boundaries; each figure goes
to the column whose x-range holds its right edge, a column with nothing in a row is an empty
cell (written ``EMPTY_CELL``), and the header's words above the figures go to the column they
stand over, so a column title wrapped over three lines comes out as one title (a word the
column was too narrow for, broken where its line was full, joined again). What cannot be
placed this way (no shared right edges, a word across a boundary) is left as plain text for the
importer's arithmetic to split. A label line with a row gap above and below it is a row of its
own with every cell empty; a header printed alone at the top of a page, the same as the one the
table on the page before ended under, is dropped, so the rows go on as one table.

Tables of text (a Måltabell, decisions and their answers, checklists, any table with two text
columns or more) are read by position as a whole (``text_tables``): text columns begin where
the body's lines start again and again, figure columns end where the figures end, a column
only its title shows is placed by its title, rows are told apart by the wider gap between them.
Each row is written as one line of cells separated by ``CELL_SEPARATOR`` (the header marked by
``TABLE_START``), which the importer takes as they are (positioned.py); a table whose words do
not fit one set of columns is left to the readers of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from linter.importer.clean import CELL_SEPARATOR, EMPTY_CELL, TABLE_START

# A gap wider than this many font sizes is a column boundary, not a word or digit-group space.
COLUMN_GAP = 0.9
WORD_GAP = 0.15
EDGE_TOLERANCE = 2.0  # points: right edges of one column's figures agree within this
MAX_HEADER_LINES = 8
MAX_LABEL_LINES = 4  # label lines (wrapped labels, group rows) between two rows of figures
BLANK_PITCH = 1.45  # a line gap this many times the usual one is a paragraph break
SIZE_CHANGE_GAP = 1.7  # font sizes: where the type size changes, a wider gap is a paragraph break

_FIGURE = re.compile(r"^[-−–+]?\d[\d.,]*%?$|^%$|^[-–*]$|^\(N\)$|^NA$")
_YEAR = re.compile(r"^((19|20)\d\d|\d\d\.\d\d\.(19|20)\d\d)$")
_CELL = re.compile(r"^([-−–+]?(\d{1,3}( \d{3})+|\d+)([.,]\d+)?( ?%)?|[-–*]|\(N\)|NA)$")


class PdfUnavailable(Exception):
    """The PDF extra is not installed."""


class PdfUnreadable(Exception):
    """The file is not a PDF that can be read."""


Char = tuple[float, float, float, float, str]  # x0, x1, baseline y, size, text


@dataclass(slots=True)
class Word:
    x0: float
    x1: float
    text: str
    gap: bool  # a column gap before it


@dataclass(slots=True)
class PdfLine:
    y: float
    size: float
    words: list[Word]
    text: str  # as plain text: words, two spaces for a column gap


def extract_pdf_text(path: Path) -> str:
    """The PDF's text page by page, one line per baseline, wide gaps as two spaces, tables of
    figures as grids; pages separated by a form feed (which the clean-up treats as a break)."""
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
    except ImportError:
        raise PdfUnavailable() from None
    try:
        pages = []
        with open(path, "rb") as handle:
            manager = PDFResourceManager(caching=True)
            # No layout analysis: the characters' positions are all this needs (and it is slow).
            device = PDFPageAggregator(manager, laparams=None)
            interpreter = PDFPageInterpreter(manager, device)
            carried: dict = {}
            for page in PDFPage.get_pages(handle):
                interpreter.process_page(page)
                pages.append("\n".join(page_lines(_chars(device.get_result()), carried)))
        return "\f\n".join(pages)
    except Exception as exc:  # pdfminer raises many kinds for damaged or encrypted files
        raise PdfUnreadable(f"{type(exc).__name__}: {exc}") from None


def _chars(layout) -> list[Char]:
    """(x0, x1, baseline y, size, text) of every character on the page."""
    from pdfminer.layout import LTChar

    out = []
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, LTChar):
            text = node.get_text()
            if text.strip():
                out.append((node.x0, node.x1, node.y0, node.size or (node.y1 - node.y0), text))
            continue
        try:
            stack.extend(node)
        except TypeError:
            continue
    return out


def page_lines(chars: list[Char], carried: dict | None = None) -> list[str]:
    """Characters → text lines, top to bottom: one line per baseline, characters by x, a space
    for a word gap and two for a column gap; tables of figures as grids (see the module).
    ``carried``: what the previous page left (the header of the table it ended in)."""
    lines = layout_lines(chars)
    texts = [line.text for line in lines]
    read = text_tables(lines, texts)
    grids = [g for g in find_grids(lines) if not read & (set(g.rows) | set(g.header[0] if g.header else ()))]
    for grid in grids:
        grid.apply(texts)
    if carried is not None:
        _continued_grid(lines, texts, grids, carried)
    mark_ticks(lines, texts)
    breaks = checklist_rows(lines, texts) | answer_table_rows(lines, texts)
    return _with_blank_lines(lines, texts, breaks)


def _continued_grid(lines: list[PdfLine], texts: list, grids: list[Grid], carried: dict) -> None:
    """A table that goes on over a page break with only its header printed again (no title):
    the header at the top of the page, the same as the header of the table the previous page
    ended in, is dropped, so the rows go on as one table. ``carried`` gets this page's."""
    before = carried.get("header")
    if before and grids and grids[0].header:
        at = grids[0].header[0][0]
        if texts[at] == before and not any(texts[i] for i in range(at)):
            for i in grids[0].header[0]:
                texts[i] = None
    carried["header"] = None
    if grids and grids[-1].header:
        last = max(grids[-1].rows)
        after = [texts[i] for i in range(last + 1, len(lines)) if texts[i]]
        # (only the page's footer after the table's last row: it goes on over the page)
        if len(after) <= 1 and all(len(t) < 40 for t in after):
            carried["header"] = texts[grids[-1].header[0][0]]


def layout_lines(chars: list[Char]) -> list[PdfLine]:
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (-c[2], c[0])):
        if rows and abs(rows[-1][0][2] - ch[2]) <= max(1.0, ch[3] / 3):
            rows[-1].append(ch)
        else:
            rows.append([ch])
    out = []
    for row in rows:
        row.sort(key=lambda c: c[0])
        size = max(c[3] for c in row)
        words: list[Word] = []
        prev = None
        for x0, x1, _, csize, text in row:
            gap = x0 - prev if prev is not None else None
            if gap is None or gap > WORD_GAP * csize:
                words.append(Word(x0, x1, text, gap is not None and gap > COLUMN_GAP * csize))
            else:
                words[-1].text += text
                words[-1].x1 = x1
            prev = x1
        text = "".join(("  " if w.gap else " " if n else "") + w.text for n, w in enumerate(words))
        out.append(PdfLine(row[0][2], size, words, text.rstrip()))
    return out


def _with_blank_lines(lines: list[PdfLine], texts: list[str], breaks: set[int] | frozenset[int] = frozenset()) -> list[str]:
    """A blank line where the gap to the line above is well over the usual line pitch (a new
    paragraph, heading or table), as a text extract has them. Removed lines (a header merged
    into one) are None in ``texts``."""
    pitches = sorted(round(a.y - b.y, 1) for a, b in zip(lines, lines[1:]) if 0 < a.y - b.y < 3 * a.size)
    usual = pitches[len(pitches) // 4] if pitches else 0.0  # the tighter quarter: lines of one paragraph
    out: list[str] = []
    prev = None
    for n, (line, text) in enumerate(zip(lines, texts)):
        if text is not None:
            gap = prev.y - line.y if prev is not None else 0.0
            # (a change of type size with a gap wider than a line of either: a paragraph, then
            # a table in smaller type, on a page whose usual pitch is the table's rows)
            wide = prev is not None and (usual and gap > BLANK_PITCH * usual
                                         or abs(prev.size - line.size) >= 0.5 and gap > SIZE_CHANGE_GAP * max(prev.size, line.size))
            if (wide or n in breaks) and out and out[-1]:
                out.append("")
            out.append(text)
        prev = line
    return out


# ---------------------------------------------------------------------------- tick columns
_TICK_TITLES = {"ja", "delvis", "nei"}
_TICK_MARK = re.compile(r"^[xX✓✔]$")
TICK = "\u202f"  # an empty tick cell, as the text extracts mark it (structured.tick_column)


def mark_ticks(lines: list[PdfLine], texts: list) -> None:
    """Checklists with a column per answer ("Ja  Delvis  Nei"): flattened, an "x" loses which
    column it stood in. Under a header with those titles set apart by column gaps, an "x" set
    apart on its line is placed in a column and written as the text extracts write tick cells
    (an empty cell is a narrow no-break space), so the checklist reader puts it there."""
    n = 0
    while n < len(lines):
        titles = _tick_titles(lines[n])
        if not titles:
            n += 1
            continue
        margin = lines[n].words[0].x0
        ticks: list[tuple[int, int]] = []  # (line, word) of each "x" under this header
        k = n + 1
        while k < len(lines) and not _tick_titles(lines[k]):
            words = lines[k].words
            ticks += [(k, j) for j, w in enumerate(words)
                      if _TICK_MARK.match(w.text) and (w.gap or j == 0 and w.x0 > margin + 20)]
            k += 1
        placed = _tick_columns(titles, [lines[i].words[j] for i, j in ticks])
        for (i, j), column in zip(ticks, placed):
            if column is None or texts[i] is None or CELL_SEPARATOR in texts[i]:
                continue
            words = lines[i].words
            cells = "  ".join(words[j].text if c == column else TICK for c in range(len(titles)))
            parts = [_words_text(words[:j]), cells, _words_text(words[j + 1:])]
            texts[i] = "  ".join(p for p in parts if p)
        n = k


ROW_PITCH = 1.1  # within a checklist, a line gap this much over the tightest one starts a row


def checklist_rows(lines: list[PdfLine], texts: list) -> set[int]:
    """Checklists set out in columns (question | answer | comment): a comment wrapped beside
    its question comes out interleaved with it line by line. Rows are told apart by the wider
    gap between them; within a row the comment column's words (left edges at or after the
    comment title's) are moved after the question and its answer, and the comment title's
    wrapped lines join the header. The lines that begin a row (a blank line goes before each)."""
    from linter.importer.structured import CHECKLIST_HEADER

    breaks: set[int] = set()
    n = 0
    while n < len(lines):
        line = lines[n]
        if texts[n] is None or CELL_SEPARATOR in texts[n] or not CHECKLIST_HEADER.search(line.text) \
                or not any(w.gap for w in line.words):
            n += 1
            continue
        answer = CHECKLIST_HEADER.search(" ".join(w.text for w in line.words))
        # The comment column: the header's words after a gap past the answer titles.
        consumed = 0
        after = None
        for k, w in enumerate(line.words):
            consumed += len(w.text) + (1 if k else 0)
            if consumed > answer.end() and w.gap:
                after = w.x0
                break
        k = n + 1
        while after is not None and k < len(lines) and lines[k].words and texts[k] is not None \
                and all(w.x0 >= after - EDGE_TOLERANCE for w in lines[k].words) and n - k > -3:
            texts[n] += " " + texts[k].strip()
            texts[k] = None
            k += 1
        first = k
        # The checklist's own lines (its type size): a table of smaller type after it has a tighter pitch.
        pitches = [lines[i - 1].y - lines[i].y for i in range(first + 1, min(len(lines), first + 60))
                   if abs(lines[i].size - lines[first].size) < 0.5 and abs(lines[i - 1].size - lines[first].size) < 0.5]
        pitches = [p for p in pitches if p > 0]
        if not pitches:
            n = k
            continue
        tight = min(pitches)
        end = first + 1
        while end < len(lines) and 0 < lines[end - 1].y - lines[end].y <= BLANK_PITCH * 1.2 * tight \
                and not CHECKLIST_HEADER.search(lines[end].text):
            end += 1
        starts = _row_starts(lines, first, end, tight)
        breaks.update(starts)
        after = _comment_column(lines, first, end) or after
        if after is not None:
            for a, b in zip(starts, starts[1:] + [end]):
                _comment_after(lines, texts, a, b, after)
        n = end
    return breaks


_ANSWER_WORD = re.compile(r"^(Ja|Nei|Delvis|[xX]|\u202f)$", re.I)


SINGLE_PITCH = 1.55  # font sizes: a tighter line pitch is lines of one paragraph (or cell)


def _row_starts(lines: list[PdfLine], first: int, end: int, tight: float) -> list[int]:
    """The lines that begin a row: a gap wider than the tightest; when even the tightest is
    wider than lines of one cell would be, every line is a row."""
    if tight > SINGLE_PITCH * lines[first].size:
        return list(range(first, end))
    return [first] + [i for i in range(first + 1, end) if lines[i - 1].y - lines[i].y > ROW_PITCH * tight]


def _comment_column(lines: list[PdfLine], first: int, end: int) -> float | None:
    """The comment column's left edge: words after a column gap (not answers) whose left edges
    recur at one x on two lines or more."""
    edges = sorted((w.x0, i) for i in range(first, end) for w in lines[i].words
                   if w.gap and not _ANSWER_WORD.match(w.text))
    for edge, members in _clusters(edges):
        if len(members) >= 2:
            return min(x for x, i in edges if abs(x - edge) <= EDGE_TOLERANCE)
    return None


_ANSWER_TITLE = re.compile(r"^(Utkvittering|Oppfølging|Status)\b", re.I)


def answer_table_rows(lines: list[PdfLine], texts: list) -> set[int]:
    """Tables of text whose last column answers the others ("Kode  Vedtak  Utkvittering"): the
    columns wrap side by side and come out interleaved line by line. Rows are told apart by the
    wider gap between them, the answer column by its words' recurring left edges; each row is
    written as its other columns' text, a blank line, the answer (as a text extract has it)."""
    breaks: set[int] = set()
    n = 0
    while n < len(lines):
        line = lines[n]
        groups = [k for k, w in enumerate(line.words) if w.gap]
        if texts[n] is None or CELL_SEPARATOR in texts[n] or not groups \
                or not _ANSWER_TITLE.match(line.words[groups[-1]].text) \
                or len(line.text) > 80:
            n += 1
            continue
        first = n + 1
        size = lines[first].size if first < len(lines) else 0
        pitches = [lines[i - 1].y - lines[i].y for i in range(first + 1, min(len(lines), first + 60))
                   if abs(lines[i].size - size) < 0.5 and abs(lines[i - 1].size - size) < 0.5]
        pitches = [p for p in pitches if p > 0]
        if not pitches:
            n += 1
            continue
        tight = min(pitches)
        end = first + 1
        while end < len(lines) and 0 < lines[end - 1].y - lines[end].y <= BLANK_PITCH * 1.2 * tight \
                and abs(lines[end].size - size) < 0.5:
            end += 1
        edges = sorted((w.x0, i) for i in range(first, end) for w in lines[i].words if w.gap)
        recurring = [edge for edge, members in _clusters(edges) if len(members) >= 2]
        if not recurring or any(texts[i] is None for i in range(first, end)):
            n = end
            continue
        answer_x = min(x for x, _ in edges if abs(x - recurring[-1]) <= EDGE_TOLERANCE)
        starts = _row_starts(lines, first, end, tight)
        breaks.update(starts)
        for a, b in zip(starts, starts[1:] + [end]):
            left = [_words_text([w for w in lines[i].words if w.x0 < answer_x - EDGE_TOLERANCE]) for i in range(a, b)]
            right = [_words_text([w for w in lines[i].words if w.x0 >= answer_x - EDGE_TOLERANCE]) for i in range(a, b)]
            if not any(right):
                continue
            texts[a] = " ".join(t.replace("  ", " ") for t in left if t) + "\n\n" + " ".join(t for t in right if t)
            for i in range(a + 1, b):
                texts[i] = None
        n = end
    return breaks


# ---------------------------------------------------------------------------- text tables
def text_tables(lines: list[PdfLine], texts: list) -> set[int]:
    """Tables of wrapped text cells (a budget's Måltabell: Hovedmål | Delmål | Indikator and its
    figures; decisions and their answers: Tiltak | Mål | Utkvittering): the cells of a row wrap
    side by side and flattened they interleave line by line. Read by position: the text
    columns' left edges are where the body's lines start again and again, the figure columns'
    right edges where its figures end; the header is the first row, rows are told apart by the
    wider gap between them. Each row is written as one line of cells (``CELL_SEPARATOR``
    between them), which the importer takes as they are (positioned.py). A table whose words
    do not fit its columns is left as it was. The lines the tables took."""
    from linter.importer.structured import CHECKLIST_HEADER
    from linter.importer.vocabulary import words

    goal_titles = [w.lower() for w in words("måltabell_kolonner")]
    answer_titles = {w.lower() for w in words("svarkolonner")}
    read: set[int] = set()
    n = 0
    while n < len(lines):
        line = lines[n]
        groups = _groups(line.words)
        names = [" ".join(w.text for w in g).lower() for g in groups]
        goal = bool(goal_titles) and " ".join(names).split()[: len(goal_titles)] == goal_titles
        answer = len(groups) >= 2 and any(names[-1].startswith(t) for t in answer_titles)
        checklist = bool(CHECKLIST_HEADER.search(line.text) or _tick_titles(line))
        if texts[n] is None or len(groups) < 2 or any(_is_figure_run(g) and not _YEAR.match(g[-1].text) for g in groups):
            n += 1
            continue
        end = _table_end(lines, n)
        found = _read_text_table(lines, n, end)
        # A table of figures with one label column is a grid (find_grids); one with two text
        # columns or more, or a known table of text, is read here. (Its header is the first
        # line of a block: a row of a table with gaps in it is not.)
        first = n == 0 or abs(lines[n - 1].size - line.size) >= 0.5 or lines[n - 1].y - line.y > 2.2 * line.size
        if found is None or not (goal or answer or checklist or found[1] >= 2 and first) or any(texts[i] is None for i in range(n, end)):
            n += 1
            continue
        table, _ = found
        for i in range(n, end):
            texts[i] = None
        for k, (start, cells) in enumerate(table):
            texts[start] = ("" if k else TABLE_START) + CELL_SEPARATOR.join(cells)
        read.update(range(n, end))
        n = end
    return read


def _groups(words: list[Word]) -> list[list[Word]]:
    """The words in runs set apart by column gaps."""
    out: list[list[Word]] = []
    for k, w in enumerate(words):
        if k == 0 or w.gap:
            out.append([w])
        else:
            out[-1].append(w)
    return out


def _table_end(lines: list[PdfLine], n: int) -> int:
    """The line after a table whose header is line ``n``: lines of the header's type size at a
    line pitch no wider than a row gap."""
    size = lines[n].size
    pitches = [lines[i - 1].y - lines[i].y for i in range(n + 1, min(len(lines), n + 80))
               if abs(lines[i].size - size) < 0.5 and abs(lines[i - 1].size - size) < 0.5]
    pitches = [p for p in pitches if p > 0]
    if not pitches:
        return n + 1
    tight = min(pitches)
    end = n + 1
    while end < len(lines) and 0 < lines[end - 1].y - lines[end].y <= BLANK_PITCH * 1.2 * tight \
            and abs(lines[end].size - size) < 0.5:
        end += 1
    return end


def _is_figure_run(run: list[Word]) -> bool:
    return all(_FIGURE.match(w.text) for w in run) and not all(w.text in "-–*" for w in run)


def _read_text_table(lines: list[PdfLine], n: int, end: int) -> tuple[list[tuple[int, list[str]]], int] | None:
    """(first line, cells) of the header and of each row of the table on lines ``n`` to
    ``end``, and how many text columns it has; None when its words do not fit one set of
    columns. A figure column is where runs of figures end (right edges recurring), a text
    column where runs of words begin (left edges recurring); a column spans from where the
    one before it ends to its own edge."""
    if end - n < 2:
        return None
    pitches = [lines[i - 1].y - lines[i].y for i in range(n + 1, end)]
    starts = _row_starts(lines, n, end, min(p for p in pitches if p > 0))
    if len(starts) < 2:
        return None
    body = set(range(starts[1], end))
    runs = {i: _groups(lines[i].words) for i in range(n, end)}
    # (a line's first run is its label: figures there are a column of labels, however aligned)
    figure_ends = [(run[-1].x1, i) for i in body for k, run in enumerate(runs[i]) if k > 0 and _is_figure_run(run)]
    # (the header's titles right-aligned over them count too: a table of one row)
    title_ends = [(run[-1].x1, i) for i in range(n, starts[1]) for run in runs[i][1:]]
    figure_edges = [edge for edge, members in _clusters(figure_ends + title_ends) if len(members) >= 2 and members & body]

    def in_figures(run: list[Word]) -> int | None:
        if not _is_figure_run(run):
            return None
        return next((c for c, e in enumerate(figure_edges) if abs(run[-1].x1 - e) <= EDGE_TOLERANCE), None)

    # (in a table of one row, a run after a column gap counts too; a column that is not one
    # has no title, and the table is not read)
    text_starts = [(run[0].x0, i if k == 0 else -1 - i) for i in body for k, run in enumerate(runs[i])
                   if k == 0 or in_figures(run) is None]
    text_edges = [min(x for x, _ in text_starts if abs(x - edge) <= EDGE_TOLERANCE)
                  for edge, members in _clusters(text_starts) if len(members) >= 2 or min(members) < 0 and len(starts) == 2]
    if not text_edges:
        return None
    figure_left = [min((run[0].x0 for i in body for run in runs[i] if in_figures(run) == c), default=e) - EDGE_TOLERANCE
                   for c, e in enumerate(figure_edges)]

    def layout(text_edges: list[float]) -> tuple[list[tuple[float, bool]], list[float]]:
        """The columns in order (edge, is a figure column) and where each begins."""
        columns = sorted([(x, False) for x in text_edges] + [(e, True) for e in figure_edges])
        bounds: list[float] = []
        for k, (x, figure) in enumerate(columns):
            if not figure:
                bounds.append(x - EDGE_TOLERANCE)
            elif k and columns[k - 1][1]:
                bounds.append(columns[k - 1][0] + EDGE_TOLERANCE)
            else:
                bounds.append(max(figure_left[figure_edges.index(x)], columns[k - 1][0] if k else float("-inf")))
        return columns, bounds

    def column(w: Word, title: bool = False) -> int | None:
        """The column the word begins in (left of the first: the first, a title wider than
        its figures); None when it reaches into the next one. A title's word is in the column
        most of it stands over."""
        if title:
            middle = (w.x0 + w.x1) / 2
            return next((k for k in range(len(columns) - 1, -1, -1) if middle >= bounds[k]), 0)
        k = next((k for k in range(len(columns) - 1, -1, -1) if w.x0 >= bounds[k]), 0)
        if k is None:
            return None
        right = bounds[k + 1] if k + 1 < len(columns) else columns[k][0] if columns[k][1] else float("inf")
        return k if w.x1 <= right + EDGE_TOLERANCE else None

    columns, bounds = layout(text_edges)
    # A column empty in every row shows only in the header: two titles set apart over one
    # column of text are two columns, the second beginning where its title does.
    # So is a title left of every figure of the column it stands in, or right of the last column
    # (the lines of one such title, overlapping, are one column).
    extra: list[tuple[float, float, float]] = []  # (title's left, right, the title before it's right)
    left_aligned = right_aligned = False  # the titles over columns the body shows
    for i in range(n, starts[1]):
        seen: dict[int | None, list[Word]] = {}
        for k, run in enumerate(runs[i]):
            c = column(run[0])
            if c is not None and c > 0 and not columns[c][1] and c not in seen:
                left_aligned |= abs(run[0].x0 - columns[c][0]) <= EDGE_TOLERANCE
                right_aligned |= run[0].x0 > columns[c][0] + EDGE_TOLERANCE
            if any(abs(run[-1].x1 - e) <= EDGE_TOLERANCE for e in figure_edges):
                seen.setdefault(c, run)
                continue
            untitled_label = k == 0 and c == 0 and not columns[0][1] and run[0].x0 > columns[0][0] + 10 * EDGE_TOLERANCE
            if untitled_label:  # (the label column has no title: this one is the next column's)
                seen[0] = run
            if c is None and run[0].x0 > max(x for x, _ in columns) and (not columns[-1][1] or run[0].x0 > columns[-1][0]) \
                    or c is not None and not columns[c][1] and c in seen \
                    or c is not None and columns[c][1] and run[-1].x1 < figure_left[figure_edges.index(columns[c][0])] - EDGE_TOLERANCE:
                label_end = max((rs[0][-1].x1 for j in body for rs in [runs[j]] if rs and column(rs[0][0]) == 0),
                                default=run[0].x0)
                extra.append((run[0].x0, run[-1].x1, runs[i][k - 1][-1].x1 if k else min(label_end, run[0].x0)))
            seen.setdefault(c, run)
    if extra:
        merged: list[list[float]] = []
        for x0, x1, before in sorted(extra):
            if merged and x0 <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], x1)
            else:
                merged.append([x0, x1, before])
        if left_aligned == right_aligned and any(before < run[0].x0 < x0 - EDGE_TOLERANCE for x0, _, before in merged
                                                 for j in body for run in runs[j][1:]):
            return None  # where a column only its title shows begins cannot be told, and words stand there
        # Titles at their columns' left: the column begins with its title; at their right: it
        # begins after the title before it.
        text_edges = sorted(text_edges + [x0 if left_aligned else before + EDGE_TOLERANCE for x0, _, before in merged])
        columns, bounds = layout(text_edges)

    def placed_in(run: list[Word], first: bool) -> list[int | None]:
        """The column of each word of a run: a run after a gap ending at a figure column's
        edge is in it (a code "201/211" right-aligned among the figures, a title)."""
        edge = next((e for e in figure_edges if abs(run[-1].x1 - e) <= EDGE_TOLERANCE), None)
        if edge is not None and not first:
            return [columns.index((edge, True))] * len(run)
        return [column(w, i < starts[1]) for w in run]
    count = len(columns)
    rows: list[tuple[int, list[list[list[Word]]]]] = []  # (first line, each cell's lines of words)
    for a, b in zip(starts, starts[1:] + [end]):
        cells: list[list[list[Word]]] = [[] for _ in range(count)]
        for i in range(a, b):
            placed: list[list[Word]] = [[] for _ in range(count)]
            for k, run in enumerate(runs[i]):
                for w, c in zip(run, placed_in(run, k == 0)):
                    if c is None:
                        return None
                    placed[c].append(w)
            for c, words_ in enumerate(placed):
                if words_:
                    cells[c].append(words_)
        rows.append((a, cells))
    known = {w.text.lower() for i in range(n, starts[1]) for w in lines[i].words}
    out = [(a, [_title_text(cells[c], known) if r == 0 else _cell_text(cells[c]) for c in range(count)])
           for r, (a, cells) in enumerate(rows)]
    header = out[0][1]
    if any(not t for t in header[1:]) or len(out) < 2:
        return None
    return out, len(text_edges)


def _cell_text(lines: list[list[Word]]) -> str:
    return " ".join(" ".join(w.text for w in words) for words in lines)


def _comment_after(lines: list[PdfLine], texts: list, a: int, b: int, after: float) -> None:
    if any(texts[i] is None for i in range(a, b)):
        return
    parts = [([w for w in lines[i].words if w.x0 < after - EDGE_TOLERANCE],
              [w for w in lines[i].words if w.x0 >= after - EDGE_TOLERANCE]) for i in range(a, b)]
    if not any(right for _, right in parts):
        return
    question, comment = [], []
    answer = ""
    for i, (left, right) in zip(range(a, b), parts):
        text = texts[i]
        if right:
            comment.append(_words_text(right))
            text = text[: len(text) - len(_words_text(right))].rstrip(" ") if text.endswith(_words_text(right)) else _words_text(left)
        if text and TICK in text or re.search(r"  [xX]$", text or ""):
            head, _, tail = text.partition("  ")
            question.append(head)
            answer = tail
        elif text:
            question.append(text)
    texts[a] = "\n".join(question + ([answer] if answer else [""]) + [" ".join(comment)])
    for i in range(a + 1, b):
        texts[i] = None


def _tick_titles(line: PdfLine) -> list[Word]:
    words = line.words
    titles = [w for k, w in enumerate(words) if w.text.lower() in _TICK_TITLES and (w.gap or k == 0)
              and (k + 1 == len(words) or words[k + 1].gap)]
    names = [w.text.lower() for w in titles]
    return titles if len(titles) >= 2 and "ja" in names and "nei" in names and len(set(names)) == len(names) else []


def _tick_columns(titles: list[Word], ticks: list[Word]) -> list[int | None]:
    """The column of each tick. Titles centred over their ticks: the title the tick is under.
    Otherwise the titles are aligned to one side of their columns, and the ticks (all before
    the last title's right edge, or all after the first title's left edge) tell which."""
    def under(w: Word) -> int | None:
        x = (w.x0 + w.x1) / 2
        hits = [c for c, t in enumerate(titles) if t.x0 <= x <= t.x1]
        return hits[0] if len(hits) == 1 else None

    found = [under(w) for w in ticks]
    if all(c is not None for c in found):
        return found
    if all(w.x1 <= titles[-1].x1 + EDGE_TOLERANCE for w in ticks):  # titles right-aligned
        return [next(c for c, t in enumerate(titles) if w.x1 <= t.x1 + EDGE_TOLERANCE) for w in ticks]
    if all(w.x0 >= titles[0].x0 - EDGE_TOLERANCE for w in ticks):  # titles left-aligned
        return [max(c for c, t in enumerate(titles) if w.x0 >= t.x0 - EDGE_TOLERANCE) for w in ticks]
    return found


def _words_text(words: list[Word]) -> str:
    return "".join(("  " if w.gap else " " if n else "") + w.text for n, w in enumerate(words)).strip()


# ---------------------------------------------------------------------------- grids
@dataclass(slots=True)
class _Figures:
    index: int  # line index
    label: list[Word]
    figures: list[Word]


@dataclass(slots=True)
class Grid:
    rows: dict[int, list[str]]  # line index → cells, label first (EMPTY_CELL for an empty one)
    header: tuple[list[int], list[str]] | None  # header line indexes, merged titles (label's first)

    def apply(self, texts: list) -> None:
        for index, cells in self.rows.items():
            texts[index] = "  ".join(c for c in cells[:1] if c) + "".join("  " + (c or EMPTY_CELL) for c in cells[1:])
            texts[index] = texts[index].strip()
        if self.header:
            indexes, titles = self.header
            if not titles[0] and len(titles) > 2 and all(not cells[0] for cells in self.rows.values()):
                # Rows named by a figure ("2024  1025  746 …" under "År  Alle ansatte …"): the
                # first column of figures is the label column, as the rows are written above.
                titles = titles[1:]
            texts[indexes[0]] = "  ".join(t or EMPTY_CELL for t in titles)
            for k in indexes[1:]:
                texts[k] = None


def _figures(index: int, line: PdfLine) -> _Figures | None:
    """The line's figures: the words after the last column gap before an all-figure tail."""
    words = line.words
    k = len(words)
    while k > 0 and _FIGURE.match(words[k - 1].text):
        k -= 1
    # The figures start at a column gap (or at the line's start): "Funksjonsområde 1  49 377"
    # keeps "1" in the label.
    start = next((j for j in range(k, len(words)) if words[j].gap or j == 0), None)
    if start is None or start == len(words) or all(w.text == "%" for w in words[start:]):
        return None
    if all(_YEAR.match(w.text) for w in words[start:]):
        return None  # "2023  Budsjett 2024  2024": the years of a header, not figures
    return _Figures(index, words[:start], words[start:])


def find_grids(lines: list[PdfLine]) -> list[Grid]:
    found = [_figures(i, line) for i, line in enumerate(lines)]
    grids = []
    i = 0
    while i < len(lines):
        if found[i] is None:
            i += 1
            continue
        run = [found[i]]
        edges = set(_edges(found[i]))
        j = i + 1
        while j < len(lines) and j - run[-1].index <= MAX_LABEL_LINES:
            f = found[j]
            if f is None and lines[j].words and (any(w.gap for w in lines[j].words)
                                                 or lines[j].words[0].x0 >= run[-1].figures[0].x0 - EDGE_TOLERANCE):
                break  # words set out in columns with no figures: the next table's header
            if f is None and lines[j].words and lines[j].size > lines[run[-1].index].size + 0.5:
                break  # a line in larger type (a heading, the next table's caption) ends the table
            if f is not None:
                mine = _edges(f)
                # After lines without figures (a caption, a header), figures whose right edges
                # are not the run's columns begin another table.
                if j - run[-1].index > 1 and len(run) >= 2 and \
                        sum(any(abs(x - e) <= EDGE_TOLERANCE for e in edges) for x in mine) < 0.5 * len(mine):
                    break
                run.append(f)
                edges.update(mine)
            j += 1
        grid = _grid(lines, run)
        if grid is not None:
            grids.append(grid)
        i = run[-1].index + 1
    return grids


def _edges(f: _Figures) -> list[float]:
    """Right edges of the figures that end a cell: the word before a column gap or the line's end."""
    return [w.x1 for n, w in enumerate(f.figures) if n + 1 == len(f.figures) or f.figures[n + 1].gap]


def _clusters(edges: list[tuple[float, int]]) -> list[tuple[float, set[int]]]:
    """Right edges within EDGE_TOLERANCE of each other: (edge, the lines that have it)."""
    out: list[tuple[float, set[int]]] = []
    for x, line in sorted(edges):
        if out and x - out[-1][0] <= EDGE_TOLERANCE:
            edge, members = out[-1]
            out[-1] = (max(edge, x), members | {line})
        else:
            out.append((x, {line}))
    return out


def _grid(lines: list[PdfLine], run: list[_Figures]) -> Grid | None:
    edges = [(x, f.index) for f in run for x in _edges(f)]
    # The header's words right-aligned over the columns count too: a table of one row, a
    # column no row has a figure in.
    margin = min((f.label or f.figures)[0].x0 for f in run)
    h = run[0].index - 1
    while h >= 0 and run[0].index - h <= MAX_LABEL_LINES and lines[h].words and not any(w.gap for w in lines[h].words) \
            and lines[h].words[0].x0 < margin + 3 * EDGE_TOLERANCE:
        h -= 1  # the first row's label, wrapped above its figures
    header_at: set[int] = set()
    while h >= 0 and run[0].index - h <= MAX_HEADER_LINES + MAX_LABEL_LINES:
        words = lines[h].words
        if not words or not (any(w.gap for w in words) or words[0].x0 > margin + 10 * EDGE_TOLERANCE) \
                or _figures(h, lines[h]) is not None:
            break  # (a row of figures above the header: the table before this one)
        edges += [(w.x1, h) for n, w in enumerate(words) if n + 1 == len(words) or words[n + 1].gap]
        header_at.add(h)
        h -= 1
    rows_at = {f.index for f in run}
    clusters = _clusters(edges)
    columns = [edge for edge, members in clusters if len(members) >= 2 and members & rows_at]
    if len(columns) < 2:
        return None
    tolerance = EDGE_TOLERANCE
    # Where the first column of figures begins: its widest figure's left edge.
    first = [w.x0 for f in run for w in f.figures if w.x1 <= columns[0] + tolerance]
    if not first:
        return None
    left = min(first) - tolerance
    # Columns only the header shows (no row has a figure there): titles right-aligned over
    # them on two lines or more.
    columns = sorted(columns + [edge for edge, members in clusters
                                if len(members & header_at) >= 2 and not members & rows_at and edge > left + 4 * tolerance])
    bounds = [left] + [c + tolerance for c in columns]

    def column_of(x1: float) -> int | None:
        for c in range(len(columns)):
            if bounds[c] < x1 <= bounds[c + 1]:
                return c
        return None

    rows: dict[int, list[str]] = {}
    for f in run:
        if any(w.x1 > left for w in f.label) or any(w.gap for w in f.label[1:]):
            # A label word reaches into the figures, or the label is itself in columns (text
            # columns beside the label: a project's number, an art group): not read as a grid.
            continue
        cells: list[list[str]] = [[] for _ in columns]
        ok = True
        for w in f.figures:
            c = column_of(w.x1)
            if c is None:
                ok = False
                break
            cells[c].append(w.text)
        texts = [" ".join(c).replace(" %", " %") for c in cells]
        if not ok or not all(not t or _CELL.match(t) for t in texts):
            continue
        label = " ".join(w.text for w in f.label)
        rows[f.index] = [label, *texts]
    if not rows or len(rows) < 2 and len(run) > 1:
        return None
    _rows_without_figures(lines, rows, left, len(columns))
    header = _header(lines, min(rows), columns, bounds, left)
    if header and any(_two_titles_in_a_column(lines[h], bounds) for h in header[0]):
        return None  # a column the figures did not show (empty in every row): not read as a grid
    return Grid(rows, header)


def _rows_without_figures(lines: list[PdfLine], rows: dict[int, list[str]], left: float, count: int) -> None:
    """Label lines between the rows of figures with a row gap on both sides (above and below
    the lines of one label) are a row of their own with every cell empty ("261
    Institusjonslokaler" over "733 Transportordninger …  24 204 …"), not the first lines of
    the next row's label. When no line of the table is tighter than a row, every line is one."""
    first, last = min(rows), max(rows)
    size = lines[first].size
    pitches = [lines[i - 1].y - lines[i].y for i in range(first + 1, last + 1)
               if abs(lines[i].size - size) < 0.5 and abs(lines[i - 1].size - size) < 0.5]
    pitches = [p for p in pitches if p > 0]
    if not pitches:
        return
    tight = min(pitches)
    every_line = tight > SINGLE_PITCH * size

    def row_gap(a: int, b: int) -> bool:
        return every_line or lines[a].y - lines[b].y > ROW_PITCH * tight

    k = first + 1
    while k < last:
        if k in rows or not lines[k].words or any(w.x1 > left for w in lines[k].words) \
                or abs(lines[k].size - size) >= 0.5:
            k += 1
            continue
        m = k  # the lines of one label: k … m
        while not every_line and m + 1 < last and m + 1 not in rows and lines[m + 1].words \
                and all(w.x1 <= left for w in lines[m + 1].words) and not row_gap(m, m + 1):
            m += 1
        if row_gap(k - 1, k) and row_gap(m, m + 1) and m == k:
            rows[k] = [" ".join(w.text for w in lines[k].words), *[""] * count]
        k = m + 1


def _two_titles_in_a_column(line: PdfLine, bounds: list[float]) -> bool:
    """Two titles set apart by a column gap over one column of figures."""
    ends = [w.x1 for n, w in enumerate(line.words) if n + 1 == len(line.words) or line.words[n + 1].gap]
    columns = [next((c for c in range(len(bounds) - 1) if bounds[c] < x <= bounds[c + 1]), None) for x in ends]
    placed = [c for c in columns if c is not None]
    return len(placed) != len(set(placed))


def _header(lines: list[PdfLine], first: int, columns: list[float], bounds: list[float], left: float):
    """The header lines just above the first row of figures, merged column by column."""
    picked: list[int] = []
    h = first - 1
    # The first row's label wrapped above its figures: not header.
    while h >= 0 and first - h <= MAX_LABEL_LINES and lines[h].words and not any(w.gap for w in lines[h].words) \
            and all(w.x1 <= left for w in lines[h].words):
        h -= 1
    first = h + 1
    while h >= 0 and first - h <= MAX_HEADER_LINES:
        line = lines[h]
        if not line.words or _figures(h, line) is not None:
            break  # (a row of figures: the table before this one)
        inside = [w for w in line.words if w.x1 > left]
        straddles = any(w.x0 < b - EDGE_TOLERANCE < w.x1 - EDGE_TOLERANCE for w in line.words for b in bounds[1:-1])
        label_part = [w for w in line.words if w.x1 <= left]
        # A header line has words over the figure columns, none across a boundary, and its
        # label-column words (the label column's own title) are short.
        if not inside or straddles or any(w.x1 > bounds[-1] + 3 * EDGE_TOLERANCE for w in line.words) \
                or sum(len(w.text) + 1 for w in label_part) > 60 or (label_part and not line.words[len(label_part)].gap):
            break
        picked.insert(0, h)
        h -= 1
    if not picked:
        return None
    placed: list[dict[int, list[Word]]] = [{} for _ in range(len(columns) + 1)]
    for h in picked:
        for w in lines[h].words:
            c = 0 if w.x1 <= left else next((k for k in range(len(columns)) if bounds[k] < w.x1 <= bounds[k + 1]),
                                             len(columns) - 1) + 1
            placed[c].setdefault(h, []).append(w)
    known = {w.text.lower() for h in picked for w in lines[h].words}
    titles = [_title_text(list(p.values()), known) if c else _cell_text(list(p.values())) for c, p in enumerate(placed)]
    return picked, [re.sub(r"(\w)- (\w)", r"\1-\2", t) for t in titles]


_VOWELS = set("aeiouyæøåéü")


def _title_text(lines: list[list[Word]], known: set[str] | frozenset[str] = frozenset()) -> str:
    """A column title's lines as one text, a word broken inside joined again ("Men" / "n %",
    "Helti" / "d": too wide for its column, the word was cut where the line was full).
    ``known``: the header's words (lower case), a word whole in another title."""
    out: list[str] = []
    widest = min((w.x0 for words in lines for w in words), default=0.0)
    for n, words in enumerate(lines):
        for k, w in enumerate(words):
            if n and k == 0 and len(lines[n - 1]) == 1 and _broken_word(lines[n - 1][0], w, widest, known):
                out[-1] += w.text
            else:
                out.append(w.text)
    return " ".join(out)


def _broken_word(piece: Word, rest: Word, widest: float, known: set[str] | frozenset[str]) -> bool:
    """``piece`` stood alone on its line and filled the title's width (no letter more would
    have fitted), ``rest`` opens the next line in lower case, and joined they are a column
    word of the vocabulary or a word another title of the header prints whole, or ``rest``
    has no vowel (no word by itself)."""
    from linter.importer.vocabulary import words as vocabulary

    letter = max((piece.x1 - piece.x0) / max(len(piece.text), 1), (rest.x1 - rest.x0) / max(len(rest.text), 1))
    if not rest.text[:1].islower() or not piece.text[-1:].isalpha() or piece.x0 - widest > 1.1 * letter:
        return False
    joined = (piece.text + rest.text).lower()
    return joined in known or joined in {v.lower() for v in vocabulary("kolonneord")} or (rest.text.isalpha() and not set(rest.text.lower()) & _VOWELS)
