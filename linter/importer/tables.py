"""Recognising tables of figures in a cleaned extract and splitting their rows into cells.

A table is a run of lines ending in figures, with the label lines wrapped before (or, rarely,
after) the figures, below a block of short header lines. The column count comes from the header
when its words can be split into columns ("Regnskap 2023 | Oppr. budsjett 2024 | …"), else from
the rows. Where a row's figures can be cut into cells in several ways, the table's arithmetic
chooses: Avvik = Regulert budsjett − Regnskap in an economy table, then the Sum rows. A row that
still has several readings is not guessed: it is handed back as ambiguous.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from functools import lru_cache
from dataclasses import dataclass, field
from decimal import Decimal

from linter.importer.clean import EMPTY_CELL, Line
from linter.importer.numbers import MAX_GROUPS, Tok, cell_counts, cell_number, segmentations, split_words, tokenize_tail
from linter.importer.vocabulary import alternation, words
from linter.importer.relations import Arithmetic, column_checks, row_satisfies, solve, sum_constraints, summable_columns

CAPTION = re.compile(rf"^(Tabell\s+[\dA-ZÆØÅ]|{alternation('tabelltitler')})", re.I)
# A unit line on its own ("Tall i 1000 kr.", "Tall i tusen kroner", "Tall i hele tusen", "(beløp i 1000 kr)").
UNIT = re.compile(rf"(?i)^\(?(tall|beløp|alle tall|alle beløp)\s+(er\s+)?i\s+(hele\s+)?({alternation('tusen')})\b[^.]{{0,20}}\.?\)?$")
_THOUSANDS = re.compile(rf"(?i)\b({alternation('tusen')})\b")
_STARTER = re.compile(rf"^({alternation('kolonneord')})$")
_STARTER_ANY_CASE = re.compile(_STARTER.pattern, re.I)
_YEARISH = re.compile(r"^((19|20)\d\d|\d{2}\.\d{2}\.(19|20)\d\d|\d{1,2}/\d{1,2}/(19|20)\d\d)$")
_JOINERS = set(words("sammenbindingsord"))
_LABEL_DIGIT_WORDS = {w.lower() for w in words("etikettord_med_tall")}
MAX_COMBINATIONS = 256
MAX_EMPTY = 2  # at most this many vanished cells in one row
MAX_COLUMNS = 15  # a month per column, a sum and a label column: 14; two-level headers: 13
WIDE = 11
MAX_EMPTY_READINGS = 128  # (two vanished cells of 13 columns: 78 places)


@dataclass(slots=True)
class Ambiguous:
    line: int  # 1-based line in the input
    text: str
    reason: str


@dataclass(slots=True)
class TableOut:
    caption: str
    header: list[str]
    rows: list[list[str]]
    start: int  # first line position consumed (caption or header)
    end: int  # position after the last line consumed
    type: str | None = None
    unit: str | None = None
    ambiguous: list[Ambiguous] = field(default_factory=list)
    rows_structured: int = 0
    taken: set[int] = field(default_factory=set)  # line positions before ``start`` the table took (a caption)
    pending: tuple | None = None  # (rows, count, arithmetic, year): to read again when a continuation joins
    lead: list[str] = field(default_factory=list)  # lines of text written before the table (a goal list)
    notes: list[str] = field(default_factory=list)  # what the reader was unsure of: a marker above the table


def join_tables(first: TableOut, second: TableOut) -> None:
    """``second`` continues ``first`` after a page break: one table, whose rows are read again
    together (a sum row on the second page settles the readings of rows on the first)."""
    if first.pending and second.pending and first.pending[1] == second.pending[1]:
        rows, count, arith, context = first.pending
        rows = rows + second.pending[0]
        for row in rows:
            row.label = row.base_label
        first.rows, first.ambiguous, first.rows_structured = [], [], 0
        first.pending = (rows, count, arith, context)
        _fill(first, rows, count, arith, context)
    else:
        first.rows.extend(second.rows)
        first.ambiguous.extend(second.ambiguous)
        first.rows_structured += second.rows_structured
    first.taken |= second.taken
    first.end = second.end


def closed_by_sum(table: TableOut) -> bool:
    """The table ends in a sum row that adds up every row above it (the other sum rows left
    out) in every column with figures: a whole table, not the first page of one."""
    from linter.importer.relations import is_sum_label

    if table.ambiguous or len(table.rows) < 2 or not is_sum_label(table.rows[-1][0]):
        return False
    items = [r for r in table.rows[:-1] if not is_sum_label(r[0])]
    if not items:
        return False
    checked = 0
    for col in range(1, len(table.rows[-1])):
        total = cell_number(table.rows[-1][col]) if table.rows[-1][col] else None
        if total is None:
            continue
        values = [cell_number(r[col]) if col < len(r) and r[col] else Decimal(0) for r in items]
        if any(v is None for v in values):
            return False
        if abs(sum(values, Decimal(0)) - total) > Decimal(len(items) + 1) / 2:
            return False
        checked += 1
    return checked > 0


@dataclass(slots=True)
class _Row:
    label: str
    line: int
    text: str
    toks: tuple[Tok, ...]
    words: int  # how many words precede the figures
    choices: list[tuple[str, ...]] = field(default_factory=list)
    spare_label: list[str] = field(default_factory=list)
    reason: str = ""
    base_label: str = ""  # the label before a reading moved a figure into it
    extra: list[tuple[str, ...]] = field(default_factory=list)  # readings with vanished cells, tried last
    raw: str = ""  # the row's lines as printed (label lines and the figures' line), for a row left raw
    lead_blank: bool = False  # a line of only spaces between the label and the figures: leading empty cells


def numeric_tail(text: str) -> tuple[list[str], list[Tok]]:
    return _numeric_tail(text)


@lru_cache(maxsize=65536)
def _numeric_tail(text: str) -> tuple[list[str], list[Tok]]:
    words, gaps = split_words(text)
    start, toks = tokenize_tail(words, gaps)
    return words[:start], toks


_HEADER_WORD = re.compile(rf"(?i)^({alternation('overskriftsord')})$")


@lru_cache(maxsize=65536)
def is_numeric_line(text: str) -> bool:
    if is_header_line(text):
        return False
    label, toks = numeric_tail(text)
    figures = [t for t in toks if not t.placeholder]
    if not figures and len(toks) >= 2 and all(t.placeholder for t in toks) and any(not t.text for t in toks) \
            and not CAPTION.match(text):
        return True  # a row of empty cells a PDF's positions placed (pdf.py: EMPTY_CELL), perhaps a dash among them
    if not figures or CAPTION.match(text):
        return False
    if all(len(t.digits) == 4 and 1990 <= int(t.digits) <= 2039 and not t.frac and not t.sign for t in figures) and (
        all(_HEADER_WORD.match(w) or "/" in w or w.endswith("-") for w in label) or any(_STARTER.match(w) for w in label)
    ):
        return False  # "2023", "skap 2024", "Regnskap 2023 2024": header lines
    if label and label[-1].lower() in ("i", "pr.", "per") and len(figures) == 1:
        return False  # "Tall i 1000", "pr. 1000"
    if len(toks) >= 2:
        return True
    # One figure after a short label ("Konsekvensjusteringer 8 012" has two tokens; "Sum 290" one).
    return len(text) < 60 and not text.endswith(".")


def _label_like(text: str) -> bool:
    return len(text) <= 80 and not (text.endswith(".") and len(text) > 40)


# ---------------------------------------------------------------------------- header
def split_header(words: list[str]) -> tuple[str, list[str]]:
    """Header words → (label column header, value column headers). The years printed on a line
    of their own under the column titles ("Regnskap Oppr. budsjett Regulert …" / "2023 2024
    2024 …") go to the titles without a year, in order, when their numbers agree."""
    years = [w for w in words if _YEARISH.match(w.rstrip(",:"))]
    titles = [w for w in words if not _YEARISH.match(w.rstrip(",:"))]
    if len(years) >= 2 and any(_YEARISH.match(a.rstrip(",:")) and _YEARISH.match(b.rstrip(",:"))
                               for a, b in zip(words, words[1:])):
        label, columns = _split_header(titles)
        if len(columns) == len(years):
            return label, [f"{c} {y}" for c, y in zip(columns, years)]
        if titles and all(_YEARISH.match(w.rstrip(",:")) for w in words[len(titles):]):
            # "Økonomiplan (i mill kr) 2023 2024 … 2028": the label column's title, then years.
            return " ".join(titles), years
    return _split_header(words)


def split_header_lines(texts: list[str], count: int) -> tuple[str, list[str]] | None:
    """The header rebuilt from its lines when its words do not split into ``count`` columns
    ("Enhet" / "Opprinnelig" / "budsjett" / "Justert" / "budsjett" / … / "Særskilt" /
    "øremerkede" / "midler" / "Resultat" / "2024"): a column title starts on a line that begins
    with a capital or a column word, a year ends one. Lines after a word that usually goes on
    ("Oppr." / "Budsjett") start a title only if that is what it takes to reach ``count``. The
    label column's title is the first group, or the first groups when they hold no column word
    or year. None when no grouping gives ``count`` columns."""
    # (a wide gap inside a line parts two titles: "Kategori   Menn" / "%")
    texts = [p.strip() for t in texts if t for p in t.split("  ") if p.strip()]
    if len(texts) < 2 or count < 2:
        return None

    def starts(text: str) -> bool:
        first = text.split()[0]
        # (a column word in lower case goes on the title above: "Kvinner" / "andel" / "av menn %")
        return first[:1].isupper() or bool(_STARTER.match(first.rstrip(",:")))

    def is_year_line(text: str) -> bool:
        return all(_YEARISH.match(w.rstrip(",:")) for w in text.split())

    def group(soft: bool) -> list[list[str]]:
        groups: list[list[str]] = []
        for text in texts:
            prev = groups[-1] if groups else None
            if prev is None:
                groups.append([text])
            elif is_year_line(text) and not _has_year(" ".join(prev).split()):
                prev.append(text)
            elif _has_year(" ".join(prev).split()) or (starts(text) and not prev[-1].endswith("-")
                                                       and (soft or prev[-1].split()[-1] not in _JOINERS)):
                groups.append([text])
            else:
                prev.append(text)
        return groups

    for soft in (False, True):
        groups = group(soft)
        extra = len(groups) - count - 1
        if extra < 0:
            continue
        label_part, column_part = groups[: extra + 1], groups[extra + 1 :]
        if extra and any(_headerish_words(" ".join(g)) for g in label_part):
            continue
        if not all(_headerish_words(" ".join(g)) or g[0][:1].isupper() for g in column_part):
            continue
        return " ".join(" ".join(g) for g in label_part), [_join_words(" ".join(g).split()) for g in column_part]
    return None


def split_super_header(header: list[Line], count: int) -> tuple[str, str, list[str]] | None:
    """A header of two levels ("Alle ansatte Heltid Deltid Ufrivillig deltid Midlertidig
    ansatte" over "Totalt | Totalt Menn % Kvinner % | Totalt Menn % Kvinner % | …"): the lower
    titles repeat in a period under the upper ones, and the titles before the repeats stand
    under the upper titles before them. Words broken over lines ("Tota" / "lt") are joined
    where the extract marks word ends. (title above the table, label column title, columns),
    or None when the titles do not add up to ``count`` columns."""
    if count < 6 or len(header) < 2:
        return None
    habit = any(not h.open_end for h in header)
    pieces: list[str] = []
    glue_next = False
    for h in header:
        text = h.text
        if pieces and (glue_next or text == "%" or text.startswith("% ")):
            pieces[-1] = pieces[-1] + ("" if glue_next else " ") + text
        else:
            pieces.append(text)
        glue_next = habit and h.open_end and text[-1:].isalpha()
    # The upper line: the piece with most titles (three or more capitalised words).
    def upper_score(piece: str) -> int:
        capitals = [w for w in piece.split() if w[:1].isupper()]
        return len(capitals) if len(set(capitals)) == len(capitals) else 0  # the lower titles repeat

    upper_at = max(range(len(pieces)), key=lambda n: upper_score(pieces[n]))
    upper = _capital_groups(pieces[upper_at].split())
    if len(upper) < 2:
        return None
    lower = _capital_groups(" ".join(pieces[upper_at + 1:]).split())
    before = pieces[:upper_at]
    if before and upper[0][:1].islower():
        before[-1] = f"{before[-1]} {upper.pop(0)}"  # "Alle" / "ansatte Heltid Deltid …"
    title = before.pop(0) if before and len(before[0]) > 20 else ""
    label = ""
    if len(lower) == count + 1:
        label = lower.pop(0)  # "År Totalt Totalt Menn % …": the label column's title first
    if len(lower) != count or len(upper) < 2:
        return None
    for period in range(2, count // 2 + 1):
        repeats = 0
        while (repeats + 1) * period <= count and \
                lower[count - (repeats + 1) * period: count - repeats * period] == lower[count - period:]:
            repeats += 1
        if repeats < 2:
            continue
        lead = count - repeats * period
        lead_titles = _capital_groups(" ".join(before).split())
        if len(upper) == repeats + lead and not lead_titles:
            lead_titles, upper = upper[:lead], upper[lead:]
        if len(upper) != repeats or len(lead_titles) != lead:
            continue
        columns = [f"{t} {s}" for t, s in zip(lead_titles, lower[:lead])]
        for n, top in enumerate(upper):
            columns += [f"{top} {s}" for s in lower[lead + n * period: lead + (n + 1) * period]]
        return title, label, columns
    return None


def _capital_groups(words: list[str]) -> list[str]:
    """Titles of capitalised words with what follows them ("Ufrivillig deltid", "Menn %")."""
    groups: list[list[str]] = []
    for w in words:
        if w[:1].isupper() or not groups:
            groups.append([w])
        else:
            groups[-1].append(w)
    return [" ".join(g) for g in groups]


def _headerish_words(text: str) -> bool:
    return any(_STARTER_ANY_CASE.match(w.rstrip(",:")) or _YEARISH.match(w.rstrip(",:")) for w in text.split())


def _split_header(words: list[str]) -> tuple[str, list[str]]:
    label: list[str] = []
    columns: list[list[str]] = []
    for word in words:
        clean = word.rstrip(",:")
        if (_STARTER.match(clean) or clean.isupper() and _STARTER_ANY_CASE.match(clean)) and (not columns or _has_year(columns[-1]) or columns[-1][-1] not in _JOINERS):
            if columns and not _has_year(columns[-1]) and columns[-1][-1] in _JOINERS:
                columns[-1].append(word)
            else:
                columns.append([word])
        elif _YEARISH.match(clean):
            if columns and not _has_year(columns[-1]):
                columns[-1].append(word)
            else:
                columns.append([word])
        elif columns:
            columns[-1].append(word)
        else:
            label.append(word)
    return " ".join(label), [_join_words(c) for c in columns]


def _has_year(words: list[str]) -> bool:
    return any(_YEARISH.match(w.rstrip(",:")) for w in words)


def _join_words(words: list[str]) -> str:
    text = " ".join(words)
    return re.sub(r"(\w)- (\w)", r"\1-\2", text)


def table_type(header_text: str, section_title: str) -> str | None:
    h = header_text.lower()
    if re.search(r"\bregn(skap)?\b", h) and re.search(r"regulert|rev\.|oppr|avvik|øk\.?plan", h):
        return "økonomi"
    if len(re.findall(rf"(?i)\b({alternation('måneder')})\b", h)) >= 6:
        # activity per month ("Jan Feb … Des Sum") under "Måltall og aktivitetstall": key figures
        # (their «Sum …» rows are checked), not indicators
        return "nøkkeltall"
    if "måltall" in h or re.search(r"\bmål 20\d\d", h):
        return "indikatorer"
    if re.search(r"befolkning|demografi", section_title.lower() + " " + h):
        return "befolkning"
    if re.search(r"^\W*prognose", h):
        return "økonomi"  # "Prognoser/resultat pr område": prognoses of the budget, not results
    if "resultat" in h or "nøkkeltall" in h or re.search(r"\bmenn\b", h) and re.search(r"\bkvinner\b", h):
        return "nøkkeltall"  # results, key figures, and the gender and pay balance tables
    return None


# ---------------------------------------------------------------------------- tables
def find_tables(lines: list[Line], start: int, end: int, section_title: str, known_functions: set[str],
                arithmetic: Arithmetic | None = None) -> list[TableOut]:
    arithmetic = arithmetic or Arithmetic()
    tables: list[TableOut] = []
    i = start
    floor = start
    while i < end:
        text = lines[i].text
        if not text or not is_numeric_line(text) or len(numeric_tail(text)[1]) < 2 and not _near_numeric(lines, i, end):
            i += 1
            continue
        if not _near_numeric(lines, i, end) and len(numeric_tail(text)[1]) < 3:
            i += 1
            continue
        table = _read_table(lines, i, end, floor, section_title, arithmetic)
        if table is None:
            i += 1
            continue
        tables.append(table)
        floor = table.end
        i = table.end
    return tables


def _near_numeric(lines: list[Line], i: int, end: int) -> bool:
    seen = 0
    for j in range(i + 1, min(end, i + 8)):
        if lines[j].text and is_numeric_line(lines[j].text):
            seen += 1
    return seen >= 1


def _read_table(lines: list[Line], first: int, end: int, floor: int, section_title: str,
                arithmetic: Arithmetic) -> TableOut | None:
    # --- a column title's last words with its year ("drift 2024") where the data would begin:
    # header, when the rows below print more figures than that one year.
    header_too: set[int] = set()
    under_months = any(month_count(lines[k].text) >= 6 for k in range(max(floor, first - 12), first))
    while not under_months and (nxt := _year_title_line(lines, first, end)) is not None:
        # (under months' titles "plasser 2024" ends the first row's label, not a column title)
        header_too.add(first)
        first = nxt
    # --- the data lines
    # (the header by month above, if any: printed again after a page break it goes on the table)
    own_months = {lines[k].text for k in range(max(floor, first - 30), first) if month_count(lines[k].text) >= 6}
    own_titles = {_prev_text(lines, k, max(floor, first - 30)) for k in range(max(floor, first - 30), first)
                  if month_count(lines[k].text) >= 6}
    j = first
    last_numeric = first
    label_run = 0
    blank_run = 0
    while j < end:
        text = lines[j].text
        if not text:
            blank_run += 1
            if blank_run > 2:
                break
            j += 1
            continue
        blank_run = 0
        if j > first and month_count(text) >= 6 and (text not in own_months or _prev_text(lines, j, first) not in own_titles):
            break  # the months' header of the next table by month (the same months under another title)
        if is_numeric_line(text) and len(text) <= 160:
            last_numeric = j
            label_run = 0
        elif j > first and _gridded_header(text, arithmetic.column_gaps):
            break  # the next table's header (a PDF's positions put a header on one line; pdf.py)
        elif is_header_line(text):
            pass  # a header line after the first data row does not end the table
        elif _label_like(text) and label_run < 5 and not CAPTION.match(text):
            label_run += 1
        else:
            break
        j += 1
    data_end = last_numeric + 1
    # A label continued after its figures ("og ytelser (brutto utg.)").
    k = data_end
    if k < end and lines[k].text and lines[k].text[0].islower() and len(lines[k].text) < 50 and not is_numeric_line(lines[k].text):
        data_end = k + 1
    # --- rows above the first figures: a KOSTRA function printed with no figures or only a
    # dash ("213 Voksenopplæring" / "-") is a row, not header
    k = first - 1
    while k >= floor and first - k <= 12:
        text = lines[k].text
        if not text:
            k -= 1
            continue
        if _FUNCTION_LABEL.match(text) or _only_placeholders(text) or (text[:1].islower() and _FUNCTION_LABEL.match(_prev_text(lines, k, floor))):
            first = k
            k -= 1
            continue
        break
    # --- the header lines above
    header_lines: list[int] = []
    caption = ""
    taken: set[int] = set()
    start = first
    h = first - 1
    blank_above = False  # a PDF read by position has no blank line inside a header (pdf.py)
    while h >= floor and first - h <= 60:
        text = lines[h].text
        if not text:
            blank_above = blank_above or bool(arithmetic.column_gaps and header_lines)
            h -= 1
            continue
        if CAPTION.match(text) and len(text) < 120 and not (arithmetic.column_gaps and text.count("  ") >= 2):
            # (a line a PDF's positions set out in columns is the header, even when it opens
            # with a caption word: "Resultatindikatorer  Resultat 2021  …")
            caption = text
            start = h
            break
        if _sentence_end(lines, h, floor):
            break
        if _title_over_gridded_header(lines, h, header_lines, arithmetic.column_gaps):
            caption = text
            start = h
            break
        if not blank_above and (h in header_too or (len(text) <= 60 and not (text.endswith(".") and len(text) > 25
                                                                             and not _ends_in_abbreviation(text))
                                                    or len(split_header(text.split())[1]) >= 2
                                                    or EMPTY_CELL in text or arithmetic.column_gaps and text.count("  ") >= 2)
                                and not is_numeric_line(text)):
            header_lines.insert(0, h)
            start = h
            h -= 1
            continue
        if header_lines:
            # A caption or unit line with a sentence (or two) between it and the table.
            found = _caption_above(lines, h, floor)
            if found is not None:
                caption_at, unit_at = found
                if caption_at is not None:
                    caption = lines[caption_at].text
                    taken.add(caption_at)
                if unit_at is not None:
                    taken.add(unit_at)
                    unit_text = lines[unit_at].text
                    caption = f"{caption} ({unit_text.rstrip('.')})".strip() if caption else unit_text
        break
    # The first row's label wrapped above its figures is not header: header lines nearest the
    # data with no column word or year, below header lines that have them, start the first row.
    def _headerish(text: str) -> bool:
        if _SUM_COLUMN.match(text) and len(text.split()) >= 2 and text.split()[1][:1].islower() and len(text) <= 30:
            return True  # "Sum planlagt": a sum column's title (a row's label names what it sums)
        return is_header_line(text) or any(_STARTER_ANY_CASE.match(w) or _YEARISH.match(w.rstrip(",:"))
                                           for w in text.split())

    def _years(text: str) -> int:
        return sum(1 for w in text.split() if _YEARISH.match(w.rstrip(",:")))

    def _label_like_line(h: int) -> bool:
        text = lines[h].text
        if year_rows and text[:1].isupper() and h == header_lines[-1] and any(
                len(w) >= 4 and w.isalpha() and not (_HEADER_WORD.match(w) or _STARTER_ANY_CASE.match(w)) for w in text.split()):
            return True  # "Totalt i virksomheten" / "2024 29 71 …": the label of rows named by year
        if _CODE_LABEL.match(text) and not is_header_line(text):
            return True  # "11 - Kjøp av varer og tjenester", "213 Voksenopplæring": a coded row label
        if lines[h].open_end and len(text) <= 12 and text[-1:].isalpha() and h + 1 < len(lines) \
                and lines[h + 1].text[:1].islower():
            return False  # "Kvinne" / "r %": a column title's word broken over lines
        if not text[:1].isupper():
            return False
        if not _headerish(text):
            return True
        # "Andel positive vedtak for kommunal bolig" under "… Måltall bydel 2024": a label
        # with a column word in it, not a column title (titles carry the year or are short).
        earlier = sum(_years(lines[k].text) for k in header_lines if k < h)
        return _years(text) == 0 and earlier >= 2 and len(text) > 25 and not is_header_line(text)

    first_words, first_toks = numeric_tail(lines[first].text)
    year_rows = not first_words and len(first_toks) >= 3 and _is_year(first_toks[0])
    month = month_header([lines[h].text for h in header_lines])
    lead_label: list[str] = []
    if month is not None:
        # An activity table by month: the header ends with the months' line (and the titles
        # after the months); the lines below it are the first row's label.
        at, used, month_label, month_columns, lead_label = month
        rest = header_lines[at + used:]
        if rest:
            first = rest[0]
        title_lines = [lines[h].text for h in header_lines[:at]]
        del header_lines[at + used:]
    elif len(header_lines) >= 2 and any(_headerish(lines[h].text) for h in header_lines[:-1]):
        # The label's last lines may begin in lower case ("Vedtatt budsjett forrige år" / "videreført").
        cut = len(header_lines)
        while cut >= 2 and not _headerish(lines[header_lines[cut - 1]].text) and lines[header_lines[cut - 1]].text[:1].islower():
            cut -= 1
        if cut < len(header_lines) and cut >= 2 and _label_like_line(header_lines[cut - 1]):
            cut -= 1
        elif cut < len(header_lines):
            cut = len(header_lines)
        if cut < len(header_lines):
            first = header_lines[cut]
            del header_lines[cut:]
        while len(header_lines) >= 2 and _label_like_line(header_lines[-1]):
            first = header_lines.pop()
    header_words = [w for h in header_lines for w in lines[h].text.split()]
    if month is not None:
        label_header, columns = month_label or " ".join(title_lines), month_columns
        if month_label and title_lines and not caption:
            caption = " ".join(title_lines)
    else:
        label_header, columns = split_header(header_words)
    if not label_header and caption and len(caption.split()) <= 2 and not re.search(r"(?i)^tabell|\d", caption):
        # "Resultatindikator" above "Resultat 2022 …": the label column's title, taken for a caption.
        label_header = caption
    late: list[str] = []
    # (under months' titles no header is printed after the first row: "Budsjettert antall" is a label)
    rows = _rows(lines, first, data_end, late if month is None else None, header_words, arithmetic.column_gaps,
                 lead_label)
    if late and month is None:
        late_label, late_columns = split_header(late)
        if len(late_columns) > len(columns):
            # The header was printed (wholly or partly) after the first data row: its words
            # before the data are the beginning of it.
            label_header, columns = split_header(header_words + late)
            if len(columns) < len(late_columns):
                label_header, columns = late_label or label_header, late_columns
    if len(rows) == 1 and not late and month is None:
        # One row: the header's lines, grouped as titles, give its width when exactly one
        # width the row's figures can be read in has a grouping.
        widths = sorted(n for n in cell_counts(rows[0].toks) if 2 <= n < 12)
        rebuilt = [(n, split_header_lines([lines[h].text for h in header_lines], n)) for n in widths]
        rebuilt = [(n, r) for n, r in rebuilt if r is not None]
        if len(rebuilt) > 1:
            # Several widths have a grouping: the one whose columns' relations (Avvik = Regulert −
            # Regnskap) hold for exactly one reading of the row.
            kind = table_type(" ".join(lines[h].text for h in header_lines) + " " + caption, section_title)
            arith_kind = arithmetic.for_kind(kind)

            def settled(n: int, cols: list[str]) -> bool:
                checks = column_checks(arith_kind, cols, arithmetic.year)
                return bool(checks) and sum(1 for _, cells in segmentations(rows[0].toks, n, 0)
                                            if row_satisfies(cells, checks)) == 1

            rebuilt = [(n, r) for n, r in rebuilt if settled(n, r[1])]
        if len(rebuilt) == 1:
            label_header, columns = rebuilt[0][1]
    if len(rows) < 2 and not (len(rows) == 1 and month is not None and len(columns) in cell_counts(rows[0].toks)) \
            and not (len(rows) == 1 and len(columns) >= 2 and sum(map(_has_year, (c.split() for c in columns))) >= 2
                              and segmentations(rows[0].toks, len(columns), 0, limit=1)):
        return None  # one row is a table only under a header of dated columns it fits exactly
    if _year_column(rows) and all(not r.label for r in rows if r.toks):
        # "2024 1567 650 …" / "2023 1497 626 …": rows named by their year alone.
        for r in rows:
            if r.toks:
                r.label, r.toks = r.toks[0].text, r.toks[1:]
    if month is not None:
        for r in rows:
            if r.label and len(r.toks) > 1 and _is_year(r.toks[0]) and len(columns) not in cell_counts(r.toks) \
                    and len(columns) in cell_counts(r.toks[1:]):
                # "Hastevedtak 2023  0 0 2 …": one figure too many for the months; the year is the label's
                r.label, r.toks = f"{r.label} {r.toks[0].text}", r.toks[1:]
    width = len(columns)
    if width <= WIDE and not late and len(header_lines) >= 2 and month is None:
        # A header of two levels is as wide as its lower titles, however its words split.
        width = next((k for k in range(WIDE + 1, MAX_COLUMNS + 1)
                      if split_super_header([lines[h] for h in header_lines], k) is not None), width)
    if arithmetic.column_gaps and len(header_lines) == 1 and lines[header_lines[0]].text.count("  ") >= 2:
        # A header a PDF's positions put together column by column (pdf.py): its width is its titles'.
        width = len(lines[header_lines[0]].text.split("  ")) - 1
    count = _column_count(rows, width, bool(label_header) or month is not None)
    if count == 0:
        return None
    if month is not None and count < len(columns) and any(len(columns) - e in cell_counts(r.toks)
                                                          for r in rows for e in range(MAX_EMPTY + 1)):
        # The months' header gives the width; rows with fewer figures lost their empty cells
        # (placed by the layout and the average, or left raw), never the header its months.
        count = len(columns)
    if count == len(columns) and month is None and _label_title_taken_for_a_column(rows, columns):
        count -= 1
    elif year_rows and _year_column(rows):
        # "2024 29 71 2 248 …" under titles with none for the year: the year is a column, and
        # the header's lines grouped as titles give the others (the first: the label column's).
        year_widths = frozenset.intersection(*(cell_counts(r.toks) for r in rows if r.toks))
        for n in sorted((w for w in year_widths if 3 <= w <= WIDE), reverse=True):
            titles = split_header_lines([lines[h].text for h in header_lines], n)
            if titles is not None and len(titles[1]) >= 3 and not _headerish_words(titles[1][0]) \
                    and all(n in cell_counts(r.toks) for r in rows if r.toks):
                count, caption = n, caption or titles[0]
                label_header, columns = titles[1][0], ["", *titles[1][1:]]
                break
    if arithmetic.column_gaps:
        # A header the PDF's positions put together column by column (pdf.py): one title per gap.
        for h in header_lines:
            pieces = [p.strip() for p in lines[h].text.split("  ")]
            if len(pieces) == count + 1:
                label_header, columns = pieces[0].replace(EMPTY_CELL, ""), [p.replace(EMPTY_CELL, "") for p in pieces[1:]]
    header_text = " ".join(lines[h].text for h in header_lines) + " " + " ".join(late) + " " + caption
    ttype = table_type(header_text, section_title) or _kind_by_row_names([r.label for r in rows], arithmetic) \
        or _plan_type(header_text)
    if (len(columns) != count or len(set(columns)) < len(columns)) and not late and month is None:
        # Titles that repeat ("Totalt", "Menn %", …) stand under titles of a second level.
        two_level = split_super_header([lines[h] for h in header_lines], count)
        by_lines = split_header_lines([lines[h].text for h in header_lines], count) if two_level is None else None
        if two_level is not None:
            title, label_header, columns = two_level
            caption = caption or title
        elif by_lines is not None:
            label_header, columns = by_lines
        elif _year_column(rows) and (by_lines := split_header_lines([lines[h].text for h in header_lines], count - 1)):
            label_header, columns = by_lines[0], ["", *by_lines[1]]  # the year column has no title
    if count >= 3 and len(columns) == count and _year_column(rows) and columns[0] and not _headerish_words(columns[0]):
        # "Totalt i virksomheten 2024 32 98 …" / "2023 32 68 …": every row opens with its year,
        # in a column the header has no title for; the first title is the label column's
        # ("Kategori"), and the words above it are the table's title ("Kjønnsbalanse Lønnsbalanse").
        if label_header and not caption:
            caption = label_header
        label_header, columns = columns[0], ["", *columns[1:]]
    if len(columns) > count:
        label_header = " ".join([label_header, *columns[: len(columns) - count]]).strip()
        columns = columns[len(columns) - count :]
    elif len(columns) < count and (numbered := _numbered_titles(" ".join([label_header, *columns]), count)):
        label_header, columns = "", numbered
    elif len(columns) < count:
        if columns and len(columns) < count:
            # Header words that could not be split: keep them as one label, number the columns.
            label_header = " ".join([label_header, *columns]).strip()
        columns = [f"Kolonne {n + 1}" for n in range(count)]
    arith = arithmetic.for_kind(ttype)
    table = TableOut(caption=caption, header=[label_header, *columns], rows=[], start=start, end=data_end, type=ttype)
    table.taken = taken
    context = " ".join(lines[x].text for x in range(max(floor, start - 3), first))
    if _THOUSANDS.search(context) or _THOUSANDS.search(caption):
        table.unit = "1000 kr"
    table.pending = (rows, count, arith, arithmetic)
    _fill(table, rows, count, arith, arithmetic)
    if table.rows_structured == 0:
        return None
    return table


_FUNCTION_LABEL = re.compile(r"^\d{3}\s+[A-ZÆØÅ]")
_CODE_LABEL = re.compile(r"^\d{1,3}(\s*[-–]\s+|\s+)[A-ZÆØÅ][a-zæøå]")
_CODE_DASH = re.compile(r"^\d{1,3}\s*[-–]$")  # "14 -" with the name on the next line


def _numbered_titles(text: str, count: int) -> list[str] | None:
    """"1. Periodiseringsavvik … 2. Reelle netto besparelser … 4. Uforutsigbare avsetninger Sum
    prosjekt": column titles numbered 1., 2., … (the last perhaps followed by a sum column's
    title), exactly ``count`` of them; None otherwise."""
    parts = [p.strip() for p in re.split(r"(?<!\S)(?=\d{1,2}\.\s+[A-ZÆØÅ])", text) if p.strip()]
    if len(parts) < 2 or not re.match(r"1\.\s", parts[0]):
        return None
    if len(parts) == count - 1:
        last = parts[-1].split()
        at = next((k for k in range(1, len(last)) if _SUM_COLUMN.match(last[k])), None)
        if at is None:
            return None
        parts[-1:] = [" ".join(last[:at]), " ".join(last[at:])]
    return parts if len(parts) == count else None


def _year_column(rows: list[_Row]) -> bool:
    with_figures = [r for r in rows if r.toks]
    return len(with_figures) >= 2 and all(_is_year(r.toks[0]) for r in with_figures) \
        and len({r.toks[0].digits for r in with_figures}) >= 2


def _is_year(tok: Tok) -> bool:
    return len(tok.digits) == 4 and 1990 <= int(tok.digits) <= 2039 and not tok.frac and not tok.sign and not tok.pct


def _year_title_line(lines: list[Line], i: int, end: int) -> int | None:
    """"Avvik" / "ordinær" / "drift 2024" / "201 Barnehage 2 921 2 650 272": a short line of a
    word or two and a year, below a header line and above rows of several figures, ends a
    column title. The position of the next line with figures, or None."""
    words, toks = numeric_tail(lines[i].text)
    if len(toks) != 1 or not _is_year(toks[0]) or not words or len(words) > 2 or len(lines[i].text) > 25:
        return None
    above = _prev_text(lines, i, max(0, i - 4))
    if not above or is_numeric_line(above) or len(above) > 60:
        return None
    k = _next_text(lines, i + 1, end)
    if k >= end or not is_numeric_line(lines[k].text):
        return None
    return k if len(numeric_tail(lines[k].text)[1]) >= 2 else None


def _only_placeholders(text: str) -> bool:
    words = text.split()
    return bool(words) and all(w in ("-", "\u2013", "*") for w in words)


def _prev_text(lines: list[Line], k: int, floor: int) -> str:
    k -= 1
    while k >= floor and not lines[k].text:
        k -= 1
    return lines[k].text if k >= floor else ""


def _ends_in_abbreviation(text: str) -> bool:
    """"… skolehelsetjenesten pr.": a label broken after an abbreviation, not a sentence."""
    last = text.split()[-1].lower() if text.split() else ""
    return last in {w.lower() for w in words("forkortelser")}


def _gridded_header(text: str, column_gaps: bool) -> bool:
    """A header a PDF read by position set out column by column on one line (pdf.py): titles,
    with a column word or a year, no figures."""
    return column_gaps and text.count("  ") >= 2 and not is_numeric_line(text) \
        and (is_header_line(text) or _has_year(text.split()))


def _title_over_gridded_header(lines: list[Line], h: int, header_lines: list[int], column_gaps: bool) -> bool:
    """A PDF read by position puts a table's header together column by column on one line
    (pdf.py); a plain line just above it with no column word or year ("Oppvekst og velferd",
    "FO1 - Funksjonsområde 1: …") is the table's title, not a header line. Taken for header, the
    title was lost and two tables under different titles read as one continued table."""
    if not column_gaps or not header_lines or header_lines[0] != h + 1:  # (below it: the first row's label)
        return False
    below, text = lines[h + 1].text, lines[h].text
    if not _gridded_header(below, column_gaps) or "  " in text or EMPTY_CELL in text or len(text) >= 120:
        return False
    return not (UNIT.match(text) or is_header_line(text) or _has_year(text.split()) or is_numeric_line(text))


def _sentence_end(lines: list[Line], h: int, floor: int) -> bool:
    """A line above a table that ends a sentence, not a column title: "Følgende resultat meldes
    for enhetene i 2024:" (an introduction of four words or more), or "tusen kr)." closing a
    sentence begun on the long line above it."""
    text = lines[h].text
    if text.endswith(":") and len(text.split()) >= 4:
        return True
    if text.endswith(".") and not is_header_line(text):
        above = _prev_text(lines, h, floor)
        return len(above) > 60 and not above.endswith((".", ":"))
    return False


def _caption_above(lines: list[Line], h: int, floor: int) -> tuple[int | None, int | None] | None:
    """Above the table's header, past at most two sentences: a "Tabell …" caption and/or a
    unit line. (caption position, unit position), or None when there is neither."""
    caption_at = unit_at = None
    sentences = 0
    k = h
    while k >= floor and h - k <= 12:
        text = lines[k].text
        if not text:
            k -= 1
            continue
        if UNIT.match(text):
            if unit_at is None:
                unit_at = k
            k -= 1
            continue
        if CAPTION.match(text) and len(text) < 120:
            caption_at = k
            break
        if sentences >= 2 or is_numeric_line(text) or len(text) > 400:
            break
        sentences += 1
        k -= 1
    if caption_at is None and unit_at is None:
        return None
    return caption_at, unit_at


@lru_cache(maxsize=65536)
def is_header_line(text: str) -> bool:
    """A line of column-header words only ("Regulert", "budsjett 2024", "Regnskap 2023 Avvik
    2023", "- regnskap"): with a column word or a year, and nothing a row label would have."""
    words = [w.rstrip(",:") for w in text.split()]
    if not words or len(words) > 12:
        return False
    # "NOV-DES": a span of two column words is one.
    words = [w.split("-")[0] if "-" in w.strip("-") and all(_STARTER_ANY_CASE.match(p) for p in w.split("-")) else w
             for w in words]
    known = [bool(_HEADER_WORD.match(w) or _STARTER_ANY_CASE.match(w) or _YEARISH.match(w) or w in ("-", "–")
                  or w.endswith("-") or re.fullmatch(r"(?i)(reg|regn|rev|oppr|bud|budsj|øk)\.?[\w./-]*", w)) for w in words]
    return all(known) and any(_STARTER_ANY_CASE.match(w) or _YEARISH.match(w) for w in words)


_MONTH = re.compile(rf"(?i)^({alternation('måneder')})\*?$")  # ("Jul*": with a footnote mark)


def month_count(text: str) -> int:
    return sum(1 for w in text.split() if _MONTH.match(w))


def _month_end_title(stream: list[str]) -> int:
    """How many of the words ``stream`` begins with make the title of a column after the months
    ("Snitt i året", "Sum")."""
    lowered = [w.lower() for w in stream]
    for title in sorted(words("måned_sluttkolonner"), key=lambda t: -len(t.split())):
        parts = title.lower().split()
        if lowered[: len(parts)] == parts:
            return len(parts)
    return 0


def month_header(texts: list[str]) -> tuple[int, int, str, list[str], list[str]] | None:
    """The header of an activity table by month among header lines: the line with six or more
    month names, the titles after the months (on that line or broken over the next ones: "Snitt"
    / "i" / "året"). Returns (the month line's index, how many lines the header takes, the label
    column's title, the columns, the words left on the last header line: the first row's label
    printed on the header's line) or None."""
    at = next((n for n, t in enumerate(texts) if month_count(t) >= 6), None)
    if at is None:
        return None
    words_ = texts[at].split()
    first = next(k for k, w in enumerate(words_) if _MONTH.match(w))
    columns: list[str] = []
    k = first
    while k < len(words_) and (_MONTH.match(words_[k]) or re.fullmatch(r"\d{1,4}", words_[k]) and columns
                                and k + 1 < len(words_) and _MONTH.match(words_[k + 1])):
        columns.append(words_[k])  # (a figure printed where a month's name belongs: a column still)
        k += 1
    label = " ".join(words_[:first])
    # The titles after the months, perhaps continued on the next lines.
    stream: list[tuple[int, str]] = [(at, w) for w in words_[k:]]
    for n in range(at + 1, len(texts)):
        stream.extend((n, w) for w in texts[n].split())
    used = _month_end_title([w for _, w in stream])
    if used:
        columns.append(" ".join(w for _, w in stream[:used]).replace("Snit t", "Snitt"))  # (a space inside the word)
    if used == 0 and not stream:
        return at, 1, label, columns, []
    last_line = stream[used - 1][0] if used else at
    rest = [w for n, w in stream[used:] if n == last_line]
    return at, last_line - at + 1, label, columns, rest


def _plan_type(header_text: str) -> str | None:
    """Below the row names: a table of budget plans or prognoses titled so in its label column
    ("Økonomiplan (i mill kr) 2023 …", "Prognoser/resultat pr område")."""
    h = header_text.lower().strip()
    return "økonomi" if re.search(r"^\W*(økonomiplan|prognose)", h) or re.search(r"\bprognose\w*/", h) else None


def _kind_by_row_names(labels: list[str], arithmetic: Arithmetic) -> str | None:
    """A table with no telling header is of the kind whose relations name its rows
    ("Konsekvensjusteringer", "Konsekvensjustert ramme", "Endringer"): at least three rows
    named by one kind's relations, and more than by any other."""
    from linter.formulas import glob_match

    scores = {}
    for kind, arith in arithmetic.by_kind.items():
        names = [n for n in arith.row_names if not n.lower().startswith("sum")]
        scores[kind] = sum(1 for label in labels if any(glob_match(n, label) for n in names))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def _continued_number(lines: list[Line], j: int, end: int) -> int | None:
    """"… 1  557" / "728": the last number of a row broken over two lines. The position of the
    line holding the rest (only digit groups), or None."""
    k = _next_text(lines, j + 1, end)
    if k >= end:
        return None
    words, toks = numeric_tail(lines[k].text)
    if words or not toks or len(toks) > 2 or not all(t.is_group or (t.digits and len(t.digits) == 3 and not t.sign)
                                                     for t in toks):
        return None
    _, mine = numeric_tail(lines[j].text)
    return k if mine and not mine[-1].frac and not mine[-1].pct else None


def _rows(lines: list[Line], first: int, end: int, late_header: list[str] | None = None,
          header_words: list[str] | None = None, column_gaps: bool = False,
          lead_label: list[str] | None = None) -> list[_Row]:
    rows: list[_Row] = []
    pending: list[str] = [" ".join(lead_label)] if lead_label else []
    joined: set[int] = set()
    spaces_seen = False
    for j in range(first, end):
        text = lines[j].text
        if not text or j in joined:
            spaces_seen = spaces_seen or lines[j].spaces > 0
            continue
        if is_numeric_line(text) and (k := _continued_number(lines, j, end)) is not None:
            joined.add(k)
            text = f"{text} {lines[k].text}"
        if re.fullmatch(r"-?\d{1,3}(\s\d{3})*,", text) and (k := _next_text(lines, j + 1, end)) < end \
                and re.fullmatch(r"\d{1,2}", lines[k].text) and rows and rows[-1].toks and not pending:
            # "135," / "8": a decimal broken at its comma under a row's figures, the row's last cell
            joined.add(k)
            _, toks = numeric_tail(text + lines[k].text)
            last = rows[-1]
            last.toks = last.toks + tuple(dataclasses.replace(t, gap_before=True) for t in toks)
            last.text = f"{last.text} {text}{lines[k].text}"
            last.raw = f"{last.raw} {text}{lines[k].text}"
            continue
        if late_header is not None and not pending and is_header_line(text) and not is_numeric_line(text):
            # The header (or part of it) printed after the first data row, or repeated after a
            # page break: header words, not a label.
            late_header.extend(text.split())
            continue
        if pending and _year_ends_label(lines, j, end):
            pending.append(text)  # "Antall nye gravide" / "2023" / "98 83 85 …": the label's year
            continue
        if (is_numeric_line(text) or _only_placeholders(text)) and not _label_ends_in_number(lines, j, end) \
                and not _CODE_DASH.match(text):
            label_words, toks = numeric_tail(text)
            first_cell = next((n for n, t in enumerate(toks) if t.gap_before), None)
            if column_gaps and label_words and first_cell:
                # In a PDF read by position every cell follows a gap: figures before the first
                # gap end the label ("Antall brudd på AML 2022  328  286 …").
                label_words, toks = label_words + [t.text for t in toks[:first_cell]], toks[first_cell:]
            if rows and rows[-1].toks and rows[-1].label and not pending and _only_placeholders(text) \
                    and len(toks) == 1 and not rows[-1].toks[-1].placeholder:
                # "223 263 237 296 207 771 280 581" / "*": the row's last cell (a figure not yet
                # published) printed under its other figures, not a row without a label.
                last = rows[-1]
                last.toks = last.toks + (dataclasses.replace(toks[0], gap_before=True),)
                last.text = f"{last.text} {text}"
                last.raw = f"{last.raw} {text}"
                spaces_seen = False
                continue
            if rows and rows[-1].toks and not pending and not label_words and spaces_seen and len(toks) <= MAX_GROUPS + 1 \
                    and segmentations(tuple(toks), 1, 0, limit=1) and not rows[-1].toks[-1].placeholder:
                # "1 401 … 1 620" / a line of only spaces / "1 595": the row's last cell (an
                # average, a total) set below its other figures, not a row without a label.
                last = rows[-1]
                last.toks = last.toks + tuple(dataclasses.replace(t, gap_before=False) if i else
                                              dataclasses.replace(t, gap_before=True) for i, t in enumerate(toks))
                last.text = f"{last.text} {text}"
                last.raw = f"{last.raw} {text}"
                spaces_seen = False
                continue
            if header_words and len(header_words) >= 3 and pending:
                # The header printed again after a page break, before this row's label.
                words = " ".join(pending).split()
                if words[: len(header_words)] == header_words:
                    rest = words[len(header_words):]
                    pending = [" ".join(rest)] if rest else []
            if rows and pending and pending[0][:1].islower():
                # "og ytelser (brutto utg.)": the end of the previous row's label, printed
                # after its figures; what follows it starts this row's label.
                tail = []
                while pending and pending[0][:1].islower() and (len(pending) > 1 or label_words and label_words[0][:1].isupper()):
                    tail.append(pending.pop(0))
                if tail:
                    rows[-1].label = f"{rows[-1].label} {' '.join(tail)}".strip()
                    rows[-1].raw = f"{rows[-1].raw} {' '.join(tail)}".strip()
            label = re.sub(r"\s{2,}", " ", _join_label(pending + [" ".join(label_words)] if label_words else pending))
            rows.append(_Row(label, lines[j].number, text, tuple(toks), len(label_words), raw=" ".join(pending + [text]),
                             lead_blank=(spaces_seen or lines[j].indent >= 2) and not label_words
                             or bool(label_words) and bool(toks) and toks[0].gap_before))
            pending = []
            spaces_seen = False
        else:
            if pending and re.match(r"^\d{3}\s+\D", text) and re.match(r"^\d{3}\s+\D", pending[0]):
                # "261 Institusjonslokaler" with no figures, then the next KOSTRA function.
                rows.append(_Row(" ".join(pending), lines[j - 1].number, " ".join(pending), (), 0))
                pending = []
            pending.append(text)
            spaces_seen = False
    if pending and rows:
        if pending[0][:1].islower():
            rows[-1].label = f"{rows[-1].label} {' '.join(pending)}".strip()
    return rows



def _next_text(lines: list[Line], k: int, end: int) -> int:
    """The first line from ``k`` on that is not blank (``end`` when none is)."""
    while k < end and not lines[k].text:
        k += 1
    return k

def _year_ends_label(lines: list[Line], j: int, end: int) -> bool:
    """A line of only a year (or the label's last words and a year: "døgnplasser 2024") under a
    label, above a line of only figures (three or more)."""
    words, toks = numeric_tail(lines[j].text)
    if len(toks) != 1 or not _is_year(toks[0]) or toks[0].gap_before:
        return False
    k = _next_text(lines, j + 1, end)
    if k >= end:
        return False
    words_k, toks_k = numeric_tail(lines[k].text)
    return not words_k and len(toks_k) >= 3


def _label_ends_in_number(lines: list[Line], j: int, end: int) -> bool:
    """"Andel avsluttede undersøkelser innen 3" / "måneder" / "100 % 97,50 % …": a label wrapped
    after a small number, not a row of one figure."""
    words, toks = numeric_tail(lines[j].text)
    if words and toks and toks[-1].placeholder and toks[-1].text in ("-", "\u2013") and len(lines[j].text) > 12:
        # "Gj. snittlig ventetid - prioritet 1 –" / "v/oppstart" / "0 0 5 …": a dash ends the
        # label's line when the label goes on in lower case and its figures follow.
        k = _next_text(lines, j + 1, end)
        return k < end and lines[k].text[:1].islower() and not is_numeric_line(lines[k].text)
    if not words or not toks or len(toks) > 2 or any(t.pct or t.frac or t.sign or t.placeholder for t in toks):
        return False
    small = len(toks[0].digits) <= 2
    code = len(toks) == 2 and small and len(toks[1].digits) == 4 and toks[1].digits[0] == "0"
    if not (len(toks) == 1 and small or code):
        return False
    k = _next_text(lines, j + 1, end)
    if k >= end:
        return False
    nxt = lines[k].text
    if is_numeric_line(nxt):
        # "… i hjemmet over 67" / "år som er kartlagt … 2) 46,7 % 73.9 % …": the label goes on
        # before the row's own figures.
        # "og Eksempelveien 61" / "1 292 1 309 …": figures with no label of their own are this label's.
        next_words, next_toks = numeric_tail(nxt)
        return (nxt[:1].islower() and bool(next_words) or not next_words) and len(next_toks) >= 2
    # "… innen 3" / "måneder"; "Stillingskategori 1" / "0058 Sykepleier"; "Stillingskategori 3  0225" /
    # "Tjenesteleder": a number that is part of a label wrapped onto the next line.
    return nxt[:1].islower() or code or bool(re.match(r"^\d{4}\s+[A-ZÆØÅ]", nxt))


def _spare(row: _Row) -> list[int]:
    words = row.label.split()
    if words and words[-1].lower().rstrip(":") in _LABEL_DIGIT_WORDS:
        return [1, 0]
    return [0, 1] if words else [0]


def _gap_cells(toks: tuple[Tok, ...]) -> list[str] | None:
    """The cells when the extract kept the column gaps (a PDF read by position): the figures
    between two wide gaps, each a valid number on its own; None when the row has no such gaps."""
    if not any(t.gap_before for t in toks[1:]):
        return None
    groups: list[list[Tok]] = []
    for t in toks:
        if t.gap_before or not groups:
            groups.append([t])
        else:
            groups[-1].append(t)
    cells = []
    for g in groups:
        found = segmentations(tuple(g), 1, 0)
        if len(found) != 1:
            return None
        cells.append(found[0][1][0])
    return cells


def _candidates(row: _Row, count: int, column_gaps: bool = False,
                year_label: bool = False, max_empty: int = MAX_EMPTY) -> list[tuple[int, tuple[str, ...]]]:
    if not row.toks:
        return []
    for spare in _spare(row) if column_gaps else ():
        gapped = _gap_cells(row.toks[spare:])
        if gapped is not None and count - MAX_EMPTY <= len(gapped) <= count:
            # Every gap a column boundary: the row reads one way, with its empty cells (if any)
            # in any place the arithmetic allows.
            missing = count - len(gapped)
            out = []
            for blanks in itertools.combinations(range(count), missing):
                it = iter(gapped)
                out.append((spare, tuple("" if k in blanks else next(it) for k in range(count))))
            return out
    if year_label and row.label and len(row.toks) > 1 and _is_year(row.toks[0]):
        # "Antall nye gravide 2024 104 81 …" under months: the year may end the label; the
        # months' sum or average chooses.
        found = [c for spare in (0, 1) for c in segmentations(row.toks, count, spare) if c[0] == spare]
        if found:
            return found
    for spare in _spare(row):
        found = [c for c in segmentations(row.toks, count, spare) if c[0] == spare]
        if found:
            return found
    if not column_gaps and any(t.gap_before for t in row.toks):
        # In a text extract a wide gap is only a hint: "1  557 728" is one number when the row
        # reads no other way.
        loose = tuple(dataclasses.replace(t, gap_before=False) for t in row.toks)
        for spare in _spare(row):
            found = [c for c in segmentations(loose, count, spare) if c[0] == spare]
            if found:
                return found
    return _with_empty_cells(row, count, max_empty)


def _alternatives(row: _Row, count: int, readings) -> list[tuple[int, tuple[str, ...]]]:
    """Readings with vanished cells for a row whose every full reading cuts a number in two
    ("63 | 636"): tried only where the table's sums reject all the full readings."""
    if not readings or not all(_splits_a_number(cells) for _, cells in readings):
        return []
    return _with_empty_cells(row, count)[:MAX_EMPTY_READINGS]


def _splits_a_number(cells: tuple[str, ...]) -> bool:
    for prev, cell in zip(cells, cells[1:]):
        if re.fullmatch(r"\d{3}", cell) and re.fullmatch(r"-?\d{1,3}( \d{3})?", prev):
            return True
    return False


def _lone_percent_readings(row: _Row, count: int) -> list[tuple[int, tuple[str, ...]]]:
    """Readings where one "N %" printed apart is a figure and an empty percent cell ("1 % 100 %":
    Totalt 1, Menn % «%», Kvinner % 100 %): the extract cannot tell which figure the sign belongs to.
    The headers' percent columns choose (_percent_consistent)."""
    out: list[tuple[int, tuple[str, ...]]] = []
    for j, tok in enumerate(row.toks):
        if not (tok.pct and tok.text.endswith(" %")):
            continue
        figure = dataclasses.replace(tok, text=tok.text[:-2], pct=False)
        sign = Tok("%", "", "", None, False, placeholder=True)
        toks = row.toks[:j] + (figure, sign) + row.toks[j + 1:]
        for spare in _spare(row):
            out.extend(c for c in segmentations(toks, count, spare, limit=MAX_EMPTY_READINGS) if c[0] == spare)
    return out


def _percent_consistent(cells: tuple[str, ...], columns: list[str]) -> bool:
    """Every figure with a percent sign stands under a header with one, and every figure under
    such a header has one (an empty cell or a placeholder may stand anywhere)."""
    for cell, header in zip(cells, columns):
        number = cell_number(cell) if cell else None
        if number is None:
            continue
        if cell.rstrip().endswith("%") != ("%" in header):
            return False
    return True


def _with_empty_cells(row: _Row, count: int, max_empty: int = MAX_EMPTY) -> list[tuple[int, tuple[str, ...]]]:
    # Cells that vanished from the extract (an empty cell prints nothing): read the figures as
    # fewer cells and put the empty ones in every place; the table's arithmetic chooses.
    for missing in range(1, min(max_empty, count - 1) + 1):
        out = []
        for spare in _spare(row):
            for used, cells in segmentations(row.toks, count - missing, spare, limit=MAX_EMPTY_READINGS):
                if used != spare:
                    continue
                for blanks in itertools.combinations(range(count), missing):
                    it = iter(cells)
                    filled = tuple("" if k in blanks else next(it) for k in range(count))
                    out.append((used, filled))
                    if len(out) >= MAX_EMPTY_READINGS:
                        return out
            if out:
                return out
    return []


def _label_title_taken_for_a_column(rows: list[_Row], columns: list[str]) -> bool:
    """«Antall utførte timer pr mnd | Jan | … | Snitt» under a title line: the first "column" is
    the label column's title when every row reads in exactly one way without it and in several
    ways with it (a thousands group cut off: "1 | 595")."""
    sample = [r for r in rows if len(r.toks) >= 2]
    first = columns[0] if columns else ""
    if len(sample) < 3 or re.search(r"\d", first) or len(first.split()) < 3:
        return False
    count = len(columns)
    if any(len({c for _, c in segmentations(r.toks, count - 1, 0, limit=2)}) != 1 for r in sample):
        return False
    split = sum(1 for r in sample if len({c for _, c in segmentations(r.toks, count, 0, limit=2)}) > 1)
    return split * 2 > len(sample)


def _width_of_sum_rows(sample: list[_Row]) -> int:
    """The width the table's sum rows prove: every sum row reads in one width only, the same,
    and every other row reads in that width or fewer cells (its empty cells vanished:
    "Sum institusjonsplasser … 120 2 0 122" over "Ordinær langtidsplass 69 2  71"); 0 when not."""
    from linter.importer.relations import is_sum_label

    sums = [r for r in sample if is_sum_label(r.label)]
    if not sums or len(sums) == len(sample):
        return 0
    widths = {frozenset(cell_counts(r.toks)) for r in sums}
    if len(widths) != 1 or len(next(iter(widths))) != 1:
        return 0
    wide = next(iter(next(iter(widths))))
    if not 3 <= wide <= WIDE:
        return 0
    return wide if all(min(cell_counts(r.toks), default=wide + 1) <= wide for r in sample) else 0


def _column_count(rows: list[_Row], header_count: int, label_titled: bool = False) -> int:
    scores: dict[int, int] = {}
    # Rows whose empty cells collapsed ("301 Plansaksbehandling 0") say nothing of the width.
    sample = [r for r in rows if len(r.toks) >= 2] or [r for r in rows if r.toks]
    # Without leftover tokens for the label: a width that needs them is a worse fit.
    for k in range(1, MAX_COLUMNS + 1):
        if k > WIDE and k != header_count:
            continue  # a very wide table only when its header says so
        scores[k] = sum(1 for r in sample if k in cell_counts(r.toks))
    with_figures = len(sample) or 1
    if header_count >= 2 and scores.get(header_count, 0) >= 0.6 * with_figures:
        return header_count
    if header_count >= 2 and label_titled and scores.get(header_count, 0) >= 1 and all(
            any(k in cell_counts(r.toks) for k in range(header_count - MAX_EMPTY, header_count + 1)) for r in sample):
        # Every row fits the header's width or a little less (empty cells vanish from the text),
        # and the header has a title for the label column besides its value columns.
        return header_count
    if header_count >= 2 and any(segmentations(r.toks, header_count, 0, limit=1) and not segmentations(r.toks, header_count - 1, 0, limit=1)
                                 for r in sample) \
            and all(any(segmentations(r.toks, header_count - e, 0, limit=1) for e in range(MAX_EMPTY + 1)) for r in sample):
        # A row that fits the header's width and no narrower one proves the width; the narrower
        # rows lost empty cells ("10.2 % 8,7 % 6 % *" under five dated columns).
        return header_count
    best = max(scores.values())
    if best == 0:
        return 0
    if (wide := _width_of_sum_rows(sample)) and wide > max(k for k, v in scores.items() if v == best):
        return wide
    tied = [k for k, v in scores.items() if v == best]
    if len(tied) == 1:
        return tied[0]
    unique = {k: sum(1 for r in sample if len({c for _, c in segmentations(r.toks, k, 0, limit=2)}) == 1) for k in tied}
    top = max(unique.values())
    return min(k for k in tied if unique[k] == top and k < 9) if any(unique[k] == top and k < 9 for k in tied) else min(tied)


def _fill(table: TableOut, rows: list[_Row], count: int, arith, arith_context: Arithmetic) -> None:
    year = arith_context.year
    columns = table.header[1:]
    checks = column_checks(arith, columns, year)
    by_month = month_relation(columns)
    sum_column = not by_month and not checks and bool(checks := _sum_column_checks(columns))
    shares = _share_columns(columns)
    for row in rows:
        row.base_label = row.base_label or row.label
        if not row.toks:
            row.choices = [tuple("" for _ in range(count))]
            row.spare_label = [row.label]
            continue
        readings = []
        # (under a sum column a row may fill only one value column: "31 31" of "31 | | | | 31")
        candidates = _candidates(row, count, arith_context.column_gaps, year_label=by_month is not None,
                                 max_empty=count - 2 if sum_column else MAX_EMPTY)
        if any("%" in c for c in columns) and not any(_percent_consistent(c, columns) for _, c in candidates
                                                     if "" not in c):
            # No full reading: a "%" printed apart may be an empty percent cell of its own. One
            # such reading that puts every percentage under a percent header beats inventing
            # vanished cells.
            lone = [c for c in _lone_percent_readings(row, count) if _percent_consistent(c[1], columns)]
            if len(lone) == 1:
                candidates = lone
        computed = sorted({lhs for _, lhs, _ in checks})
        if not candidates and computed and len(row.toks) == len(computed) \
                and all(t.placeholder or t.digits and set(t.digits) == {"0"} and not t.frac for t in row.toks):
            # "301 Plansaksbehandling 0": a row with no amounts prints only what its computed
            # columns (the left side of the pack's row relations: Avvik) make of nothing.
            zeros = iter(t.text for t in row.toks)
            candidates = [(0, tuple(next(zeros) if i in computed else "" for i in range(count)))]
        for spare, cells in candidates:
            label = row.label
            if spare:
                label = f"{label} {' '.join(t.text for t in row.toks[:spare])}".strip()
            if (label, cells) not in readings:
                readings.append((label, cells))
        # Only readings that leave the label as it is may be widened with empty cells.
        row.extra = [cells for spare, cells in _alternatives(row, count, candidates)
                     if spare == 0 and row_satisfies(cells, checks)]
        fitting = [r for r in readings if row_satisfies(r[1], checks)]
        if by_month:
            # The months' average (or sum) column chooses among the readings that keep the
            # other relations; none fitting is the report's own rounding or mistake, unless a
            # reading with a vanished cell fits ("101 98 111 98 …  92": no "98 111").
            holding = [r for r in fitting if month_relation_holds(r[1], *by_month)]
            if not holding and fitting:
                widened = [(row.label, cells) for spare, cells in _with_empty_cells(row, count) if spare == 0
                           and cells[by_month[1]] and month_relation_holds(cells, *by_month)]
                if widened:
                    readings, holding = widened, widened
            fitting = holding or fitting
        if shares:
            fitting = [r for r in fitting if all(_share_holds(r[1], *share) for share in shares)] or fitting
        if sum_column:
            # (an empty cell adds nothing: "69 | 2 | | 71")
            fitting = [r for r in fitting if _sum_column_holds(r[1])] or fitting
        # No reading satisfies the row's relations: the report's own mistake (which `check`
        # reports) when the digits can be read only one way; otherwise the sums may decide.
        chosen = fitting or readings
        row.reason = "" if fitting or not checks else "ingen lesning stemmer med radens formel"
        if len(chosen) == 1:
            row.label = chosen[0][0]
        row.choices = [c for _, c in chosen]
        row.spare_label = [lbl for lbl, _ in chosen]
    if any(len(r.choices) > 1 or r.extra for r in rows):
        constraints = sum_constraints([r.label for r in rows], [bool(r.toks) for r in rows], arith)
        narrowed = solve([r.choices for r in rows], constraints, summable_columns(arith, columns) if arith.not_summable
                         else list(range(count)), [r.extra for r in rows])
        for row, allowed in zip(rows, narrowed):
            if allowed != row.choices:
                labels = dict(zip(row.choices, row.spare_label))
                row.choices = list(allowed)
                row.spare_label = [labels.get(c, row.base_label) for c in allowed]
                if len(row.choices) == 1:
                    row.label = row.spare_label[0]
    _resolve_by_sums(rows)
    _resolve_between_sums(rows)
    computed_columns = {lhs for _, lhs, _ in checks}
    series: list[int] = []
    amounts = [c for c in range(count)
               if c not in computed_columns and c < len(columns) and not _DIFFERENCE.match(columns[c])]
    spread = MAX_SPREAD
    if by_month:
        amounts = by_month[0]  # every month's figure counts the same thing
    elif table.type not in ("økonomi", "ramme") and (series := _series_columns(columns)):
        amounts, spread = series, MAX_SERIES_SPREAD  # "Resultat 2021 … Resultat 2024": one measure by year
    for row in rows:
        _resolve_by_layout(row)
        if checks or table.type in ("økonomi", "ramme") or by_month or series:
            _resolve_by_magnitude(row, amounts, spread)
    for row in rows:
        if len(row.choices) == 1:
            table.rows.append([row.label, *row.choices[0]])
            table.rows_structured += 1
        else:
            if row.choices:
                reason = (f"kan deles i kolonner på {len(row.choices)} måter, og tabellens formler og summer "
                          f"velger ikke én: " + " / ".join(" | ".join(c) for c in row.choices[:3])
                          + (" / …" if len(row.choices) > 3 else ""))
            else:
                figures = sum(1 for t in row.toks if not t.placeholder)
                reason = (f"tallene passer ikke i {count} kolonner" + (
                    f" ({figures} tall: hvilke {count - figures} kolonner som står tomme, går ikke fram av uttrekket)"
                    if 0 < figures < count - MAX_EMPTY else ""))
            table.ambiguous.append(Ambiguous(row.line, row.raw or row.text, reason))


_SUM_COLUMN = re.compile(rf"(?i)^({alternation('sumkolonner')})\b")


def _sum_column_checks(columns: list[str]) -> list[tuple[str, int, list[tuple[int, int]]]]:
    """A last column titled as a sum ("Sum planlagt aktivitetsnivå") adds the value columns
    before it, in each row: a relation like the pack's, for tables the pack gives none."""
    if len(columns) < 3 or not _SUM_COLUMN.match(columns[-1]) or any(_SUM_COLUMN.match(c) for c in columns[:-1]):
        return []
    return [("sumkolonne", len(columns) - 1, [(1, k) for k in range(len(columns) - 1)])]


def _sum_column_holds(cells: tuple[str, ...]) -> bool:
    values = [cell_number(c) if c else Decimal(0) for c in cells]
    if any(v is None for v in values) or not cells[-1]:
        return not any(cells[:-1]) or any(v is None for v in values)
    return abs(sum(values[:-1], Decimal(0)) - values[-1]) <= Decimal(len(cells)) / 2


def _share_columns(columns: list[str]) -> list[tuple[int, int, int]]:
    """(share, numerator, denominator) columns by the vocabulary's «andel = teller / nevner»,
    each pattern matching exactly one column."""
    from linter.formulas import glob_match

    out = []
    for text in words("andelskolonner"):
        m = re.fullmatch(r"\s*(.+?)\s*=\s*(.+?)\s*/\s*(.+?)\s*", text)
        if not m:
            continue
        found = [[k for k, c in enumerate(columns) if glob_match(p, c)] for p in m.groups()]
        if all(len(f) == 1 for f in found) and len({f[0] for f in found}) == 3:
            out.append((found[0][0], found[1][0], found[2][0]))
    return out


def _share_holds(cells: tuple[str, ...], share: int, numerator: int, denominator: int) -> bool:
    """The share (in percent, rounded to a whole) is numerator / denominator × 100; nothing to
    check when a cell is empty or not a number."""
    values = [cell_number(cells[k]) if k < len(cells) and cells[k] else None for k in (share, numerator, denominator)]
    if any(v is None for v in values) or not values[2]:
        return True
    return abs(values[1] / values[2] * 100 - values[0]) <= 1


MONTH_MEAN_SLACK = Decimal("0.05")  # an average over the months as printed, within 5 % (a month the
# table leaves out, rounding)


def month_relation(columns: list[str]) -> tuple[list[int], int, bool] | None:
    """In a table by month with a column after the months: (the months' columns, that column,
    whether it is their average, per the vocabulary, rather than their sum)."""
    from linter.formulas import glob_match

    named = [k for k, c in enumerate(columns) if _MONTH.match(c)]
    if len(named) < 6 or named[-1] != len(columns) - 2:
        return None
    months = list(range(named[0], named[-1] + 1))  # (a figure printed where a month's name belongs)
    last = len(columns) - 1
    mean = any(glob_match(p, columns[last]) for p in words("måned_snittkolonner"))
    return months, last, mean


def month_relation_holds(cells: tuple[str, ...], months: list[int], target: int, mean: bool) -> bool:
    """The last column is the months' average (within MONTH_MEAN_SLACK, over the months with
    figures) or their sum (within the rounding of each month); nothing to check when empty."""
    total = cell_number(cells[target]) if target < len(cells) and cells[target] else None
    values = [v for k in months if k < len(cells) and cells[k] for v in [cell_number(cells[k])] if v is not None]
    if total is None or not values:
        return True
    got = sum(values, Decimal(0))
    if mean:
        got /= len(values)
        return abs(got - total) <= MONTH_MEAN_SLACK * abs(got) + Decimal("0.5")
    return abs(got - total) <= Decimal(len(values) + 1) / 2


def _blank_slots(cells: tuple[str, ...], toks: tuple[Tok, ...]) -> list[int] | None:
    """Where a reading puts its empty cells, as token positions (an empty cell before token k
    is slot k; the first figure's position when it leads); None when the cells do not map."""
    pos = len(toks)
    slots = []
    for cell in reversed(cells):
        if not cell:
            slots.append(pos)
            continue
        k = pos - 1
        while k >= 0 and " ".join(t.text for t in toks[k:pos]) != cell:
            k -= 1
            if pos - k > 4:
                return None
        if k < 0:
            return None
        pos = k
    return [pos if slot == pos else slot for slot in slots] + [-pos - 1]  # the last entry: where the cells start


def _resolve_by_layout(row: _Row) -> None:
    """The last tie-break among readings the arithmetic cannot tell apart ("0 0 332 -332" for
    five columns): the extract's own layout. An empty cell prints as a wider gap between the
    figures ("1 0 0  0") or, before the first figure, as a line of only spaces. Chosen only when
    exactly one reading puts every empty cell where the layout shows one."""
    if len(row.choices) < 2 or len(row.choices) > MAX_EMPTY_READINGS or not (row.lead_blank or any(t.gap_before for t in row.toks[1:])):
        return
    fits = []
    for n, cells in enumerate(row.choices):
        slots = _blank_slots(cells, row.toks)
        if slots is None:
            return
        start = -slots.pop() - 1
        if all((slot == start and row.lead_blank) or (start < slot < len(row.toks) and row.toks[slot].gap_before)
               for slot in slots):
            fits.append(n)
    if len(fits) == 1:
        n = fits[0]
        if row.spare_label and n < len(row.spare_label):
            row.label = row.spare_label[n]
        row.choices = [row.choices[n]]


MAX_SPREAD = 1000
# Columns of differences, not of amounts ("Avvik", "Endring NOV-DES", "Økning i %").
_DIFFERENCE = re.compile(rf"(?i)^({alternation('differanseord')})|%")


MAX_SERIES_SPREAD = 100  # one measure in successive years: no year's figure 100 times another's


def _series_columns(columns: list[str]) -> list[int]:
    """Columns that differ only by their year ("Resultat 2020" … "Resultat 2024"), three or more:
    one measure by year (outside the economy tables, where "Avvik 2023", "Avvik 2024" are
    differences of any size)."""
    keys = [re.sub(r"\b(19|20)\d\d\b", "#", c).strip().lower() if re.search(r"\b(19|20)\d\d\b", c) else None
            for c in columns]
    groups: dict[str, list[int]] = {}
    for k, key in enumerate(keys):
        if key is not None:
            groups.setdefault(key, []).append(k)
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= 3 else []


def _resolve_by_magnitude(row: _Row, amounts: list[int], spread: int = MAX_SPREAD) -> None:
    """The last tie-break in a table whose relations name its computed columns (Avvik): the
    other columns are versions of one amount (Regnskap, Oppr. budsjett, Regulert budsjett), so
    "224 | 861 206 000 | 247 550 | 276 073" is no reading of "224 861 206 000 247 550 276 073".
    Chosen only when exactly one reading keeps those amounts within a factor of MAX_SPREAD."""
    if len(row.choices) < 2 or len(amounts) < 2:
        return
    fits = []
    for n, cells in enumerate(row.choices):
        values = [abs(v) for c in amounts if c < len(cells) for v in [cell_number(cells[c])] if v]
        if len(values) < 2 or max(values) <= spread * min(values):
            fits.append(n)
    if len(fits) == 1:
        n = fits[0]
        if row.spare_label and n < len(row.spare_label):
            row.label = row.spare_label[n]
        row.choices = [row.choices[n]]


def _resolve_between_sums(rows: list[_Row]) -> None:
    """"Sum … + sosialhjelp" = "Sum … drift" + the rows between them: a row between two settled
    Sum rows is settled by their difference."""
    sums = [i for i, r in enumerate(rows) if r.label.lower().startswith("sum") and len(r.choices) == 1]
    for a, b in zip(sums, sums[1:]):
        between = rows[a + 1 : b]
        open_rows = [r for r in between if len(r.choices) > 1]
        if len(open_rows) != 1 or any(not r.choices for r in between):
            continue
        target = open_rows[0]
        first, last = rows[a].choices[0], rows[b].choices[0]
        fits = []
        for cells in target.choices:
            ok = True
            for col in range(len(cells)):
                lo, hi, mine = cell_number(first[col]), cell_number(last[col]), cell_number(cells[col])
                if lo is None or hi is None or mine is None:
                    continue
                others = sum((cell_number(r.choices[0][col]) or 0) for r in between if r is not target)
                if abs(hi - lo - others - mine) > Decimal(len(between) + 2) / 2:
                    ok = False
                    break
            if ok:
                fits.append(cells)
        if len(fits) == 1:
            idx = target.choices.index(fits[0])
            target.label = target.spare_label[idx] if target.spare_label else target.label
            target.choices = [fits[0]]


def _resolve_by_sums(rows: list[_Row]) -> None:
    """Choose among the readings of the rows with the first Sum row: the rows above it must add
    up to it in every column (within the rounding slack of n+1 halves). The Sum row's own
    readings take part; a choice is made only when exactly one combination adds up."""
    sum_at = next((i for i, r in enumerate(rows) if r.label.lower().startswith("sum") and r.choices), None)
    if sum_at is None:
        return
    items = rows[:sum_at]
    if any(not r.choices for r in items):
        return
    open_rows = [r for r in rows[: sum_at + 1] if len(r.choices) > 1]
    if not open_rows:
        return
    combos = 1
    for r in open_rows:
        combos *= len(r.choices)
    if combos > MAX_COMBINATIONS:
        return
    slack = Decimal(len(items) + 1) / 2
    total_row = rows[sum_at]
    good = []
    exact_picks = []
    for pick in itertools.product(*(r.choices for r in open_rows)):
        chosen = dict(zip(map(id, open_rows), pick))
        total = chosen.get(id(total_row)) or total_row.choices[0]
        ok = True
        exact = True
        for col in range(len(total)):
            expected = cell_number(total[col])
            if expected is None:
                continue
            acc = Decimal(0)
            for r in items:
                value = cell_number((chosen.get(id(r)) or r.choices[0])[col])
                acc += value or 0
            if abs(acc - expected) > slack:
                ok = False
                break
            exact = exact and acc == expected
        if ok:
            good.append(pick)
            if exact:
                exact_picks.append(pick)
    if len(good) > 1 and len(exact_picks) == 1:
        good = exact_picks  # figures that add up exactly beat those within the rounding slack
    if len(good) == 1:
        for r, cells in zip(open_rows, good[0]):
            idx = r.choices.index(cells)
            r.label = r.spare_label[idx] if r.spare_label else r.label
            r.choices = [cells]


# ---------------------------------------------------------------------------- single-amount tables
def read_amount_list(lines: list[Line], start: int, end: int, group_rows: tuple[str, ...] = ()) -> TableOut | None:
    """A Rammeoversikt: label lines, then a line ending in one amount (with "Bydel X" before
    it when the row names a department). ``group_rows``: row names the rule pack's relations
    use ("Innsparingstiltak"): such a line before a label is a group row of its own."""
    from linter.formulas import glob_match

    rows: list[list[str]] = []
    pending: list[str] = []
    after_break = False
    first = None
    header = ["Beskrivelse tiltak", "Tiltak", "Avdeling", "Beløp"]
    last = start
    for j in range(start, end):
        text = lines[j].text
        if not text:
            continue
        if re.match(r"^Beskrivelse\b", text):
            if rows:
                # The header again after a page break: the running title above it is no label,
                # and a label's end printed below it belongs to the row before the break.
                pending = [p for p in pending if not re.match(r"^Økonomiplan\b", p)]
                after_break = True
            _, cols = split_header(text.split())
            year = next((w for w in text.split() if _YEARISH.match(w)), None)
            header = ["Beskrivelse tiltak", "Tiltak", "Avdeling", year or "Beløp"]
            pending = []  # above the header (again after a page break): its caption, no label
            first = first if first is not None else j
            last = j + 1
            continue
        if text.startswith(("Beløp i", "Økonomiplan")) and not rows:
            first = first if first is not None else j
            last = j + 1
            continue
        if text.strip() == "Økonomiplan":
            continue  # the column heading repeated on a new page, not part of a label
        words, toks = numeric_tail(text)
        if (pending or words) and len(toks) == 1 and not toks[0].sign and re.fullmatch(r"(19|20)\d\d", toks[0].text):
            # "... flyktningeområdet i" / "2026", or "Testby 2026", then "Bydel Testby -1 500":
            # a year that ends a wrapped label, not the amount (amounts are grouped: "2 026").
            pending.append(text.strip())
            continue
        cands = segmentations(tuple(toks), 1, 0) if toks and not (words and toks[-1].placeholder) else []
        if len(cands) == 1 and (len(text) < 70 or not words):
            if after_break and rows and pending and pending[0][:1].islower():
                # Up to the first line that opens a label the way this table's labels open.
                openers = {r[0].split()[0] for r in rows if r[0]}
                cut = next((n for n, p in enumerate(pending) if p.split()[0] in openers), len(pending))
                if cut < len(pending) or not words:
                    rows[-1][0] = _join_label([rows[-1][0], *pending[:cut]])
                    pending = pending[cut:]
            after_break = False
            while len(pending) >= 1 and (len(pending) > 1 or words) and any(glob_match(g, pending[0]) for g in group_rows) \
                    and not pending[0].lower().startswith("sum"):
                rows.append([pending.pop(0), "", "", ""])
            label_words = pending + [" ".join(words)] if words else pending
            label = _join_label([w for w in label_words if w])
            dept = ""
            m = re.search(r"\b(Bydel [A-ZÆØÅ][\wæøåÆØÅ\-]+(?: [A-ZÆØÅ][\wæøåÆØÅ\-]+)?)$", label)
            if m and (pending or "  " + m.group(1) in text):  # its own line, or its own column (a PDF by position)
                dept = m.group(1)
                label = label[: m.start()].strip()
            rows.append([label, "", dept, cands[0][1][0]])
            pending = []
            first = first if first is not None else j
            last = j + 1
            if re.match(r"^Ramme\b", label):
                break
        elif len(text) <= 80 and not text.endswith("."):
            pending.append(text)
        else:
            if rows:
                break
            pending = []
    if len(rows) < 2:
        return None
    if pending and rows and rows[-1][0].startswith("Ramme") is False and pending[0][:1].islower():
        rows[-1][0] += " " + " ".join(pending)
    table = TableOut(caption="", header=header, rows=rows, start=first if first is not None else start, end=last,
                     type="ramme", unit="1000 kr", rows_structured=len(rows))
    return table


_FO_TOKEN = re.compile(r"^(FO\s?\d[A-C]{0,2}|Sum)$")


def read_function_adjustments(lines: list[Line], start: int, end: int, known_functions: set[str]) -> TableOut | None:
    """The årsberetning's "Avvik vedtatt og regulert budsjett" table: an amount, a KOSTRA
    function code, a description (often wrapped), and the funksjonsområde at the end. The code
    is read off the amount only when it is one of the report's known functions ("9 912 201" is
    9 912 for function 201); the Sum row then checks the reading, and rows that could be read
    otherwise stay ambiguous when it does not add up."""
    rows: list[tuple[int, str, list[tuple[str, str]], str, str]] = []  # line, raw, readings, description, fo
    current: list | None = None
    header_at = None
    closed_on_lead = False
    for j in range(start, end):
        text = lines[j].text
        if not text:
            continue
        if header_at is None:
            if re.search(r"\bFunksjon\s+Beskrivelse\b", text):
                header_at = j
            continue
        if re.search(r"\bFunksjon\s+Beskrivelse\b", text):
            continue  # the header again after a page break
        words = text.split()
        lead = []
        for w in words:
            if (re.fullmatch(r"-?\d{1,3}|\d{3}|\d{3}/\d{3}", w) or not lead and re.fullmatch(r"-?\d{4,6}", w)) \
                    and len(lead) < 4:
                lead.append(w)  # an amount (grouped, or ungrouped: "1083") and the function code
            elif lead and w.lower() in _FUNCTION_WORDS and len(lead) < 4:
                lead.append(w)  # "758 div. Overførte tilskuddsmidler": no single function
            else:
                break
        if lead and re.fullmatch(r"-?\d{4,6}", lead[0]) and not (len(lead) >= 2 and re.fullmatch(r"\d{3}(/\d{3})?", lead[1])):
            lead = []  # "2024 FO2C": a year ending a wrapped description, not an amount
        if lead and (len(lead) >= 1 and (len(words) == len(lead) or not re.fullmatch(r"\d+", words[len(lead)]))):
            if current:
                rows.append(tuple(current))
            rest = words[len(lead):]
            fo = ""
            if rest and _FO_TOKEN.match(rest[-1]):
                fo = rest[-1]
                rest = rest[:-1]
            current = [lines[j].number, text, _readings(lead, known_functions), " ".join(rest), fo]
            closed_on_lead = bool(fo)
            if fo:
                rows.append(tuple(current))
                current = None
            continue
        if current is None:
            if rows and closed_on_lead and rows[-1][4] != "Sum" and len(text) <= 60 and not text.endswith("."):
                # The description wrapped below a first line that had every cell (a PDF read by
                # position prints the row's cells on its first line).
                last = rows[-1]
                rows[-1] = (last[0], last[1], last[2], f"{last[3]} {text}".strip(), last[4])
                continue
            if rows:
                break
            continue
        closed_on_lead = False
        if words and _FO_TOKEN.match(words[-1]):
            current[3] = _join_text(current[3], " ".join(words[:-1]))
            current[4] = words[-1]
            rows.append(tuple(current))
            current = None
        elif len(text) <= 110:
            current[3] = _join_text(current[3], text)
        else:
            break
    if current:
        rows.append(tuple(current))
    if header_at is None or len(rows) < 2:
        return None
    table = TableOut(caption="", header=["Beløp", "Funksjon", "Beskrivelse", "Funksjonsområde"], rows=[],
                     start=header_at, end=header_at + 1, type="ramme", unit="1000 kr")
    # The end is the last line of the last row.
    last_line = rows[-1][0]
    table.end = next(k for k in range(header_at, end) if lines[k].number >= last_line) + 1
    while table.end < end and lines[table.end].text and not re.match(r"^-?\d", lines[table.end].text) and len(lines[table.end].text) < 110 and not rows[-1][4]:
        table.end += 1
    # Check the reading against the Sum row.
    sum_row = next((r for r in rows if r[3].startswith("Sum") or r[4] == "Sum"), None)
    items = [r for r in rows if r is not sum_row]
    chosen = [r[2][0] for r in items]
    sum_amount = next((a for a, f in sum_row[2] if not f), sum_row[2][0][0]) if sum_row is not None else None
    if sum_row is not None:
        total = cell_number(sum_amount)
        acc = sum((cell_number(a) or 0) for a, _ in chosen)
        consistent = total is not None and abs(acc - total) <= Decimal(len(items) + 1) / 2
    else:
        consistent = False
    if sum_row is not None and not consistent and total is not None:
        # The preferred readings do not add up: the one combination of readings that does.
        open_rows = [n for n, r in enumerate(items) if len(r[2]) > 1]
        combos = 1
        for n in open_rows:
            combos *= len(items[n][2])
        if open_rows and combos <= MAX_COMBINATIONS:
            fits = []
            for pick in itertools.product(*(items[n][2] for n in open_rows)):
                trial = list(chosen)
                for n, reading in zip(open_rows, pick):
                    trial[n] = reading
                if abs(sum((cell_number(a) or 0) for a, _ in trial) - total) <= Decimal(len(items) + 1) / 2:
                    fits.append(trial)
            if len(fits) == 1:
                chosen, consistent = fits[0], True
    for r, reading in zip(items, chosen):
        if not consistent and len(r[2]) > 1:
            table.ambiguous.append(Ambiguous(r[0], r[1], "beløp og funksjonskode kan leses på flere måter"))
            continue
        table.rows.append([reading[0], reading[1], r[3], r[4]])
        table.rows_structured += 1
    if sum_row is not None:
        table.rows.append([sum_amount, "", "Sum", ""])
        table.rows_structured += 1
    return table


_FUNCTION_WORDS = {w.lower() for w in words("funksjonsord")}


_HYPHEN_KEEPS_SPACE = {w.lower() for w in words("ord_etter_bindestrek")}


def _join_label(parts: list[str]) -> str:
    """Label lines joined: "Vurdering av BPA-" / "vedtak under 25 timer" is "BPA-vedtak", but
    "utviklings-" / "og innovasjonsprogram" keeps its space."""
    text = ""
    for part in parts:
        first = part.split()[0].lower() if part.split() else ""
        if re.search(r"[^\W\d_]-$", text) and part[:1].islower() and first not in _HYPHEN_KEEPS_SPACE \
                or re.search(r"\d-$", text) and re.match(r"\d+\b", part):
            text += part  # ("1-" / "2 år": a span of numbers, "1-2 år")
        else:
            text = f"{text} {part}".strip()
    return text


def _join_text(text: str, more: str) -> str:
    """A wrapped description joined: "ferie-" / "/deltidsjobber" is "ferie-/deltidsjobber" (a
    hyphen right after a letter ends no word), "2024 -" / "Delvis" keeps its space."""
    if re.search(r"[^\W\d_]-$", text) and more[:1] in "/,)":
        return text + more
    return f"{text} {more}".strip()


def _readings(lead: list[str], known_functions: set[str]) -> list[tuple[str, str]]:
    """(amount, function) readings of the figures that open a row, the preferred one first."""
    if len(lead) >= 2 and lead[-1].lower() in _FUNCTION_WORDS and _valid_amount(lead[:-1]):
        return [(" ".join(lead[:-1]), lead[-1])]
    readings = []
    last = lead[-1]
    if len(lead) >= 2 and (last in known_functions or "/" in last):
        amount = lead[:-1]
        if _valid_amount(amount):
            readings.append((" ".join(amount), last))
    if _valid_amount(lead):
        readings.append((" ".join(lead), ""))
    if len(lead) >= 2 and not readings and _valid_amount(lead[:-1]) and re.fullmatch(r"\d{3}", last):
        readings.append((" ".join(lead[:-1]), last))
    if not readings:
        readings.append((" ".join(lead), ""))
    if len(lead) >= 2 and re.fullmatch(r"\d{3}", last) and _valid_amount(lead[:-1]):
        alt = (" ".join(lead[:-1]), last)
        if alt not in readings:
            readings.append(alt)
    return readings


def _valid_amount(words: list[str]) -> bool:
    if not words or "/" in "".join(words):
        return False
    head = words[0].lstrip("-")
    if len(words) == 1 and head.isdigit() and not head.startswith("0"):
        return True  # an ungrouped amount ("1083")
    if not head.isdigit() or len(head) > 3 or (len(words) > 1 and head.startswith("0")):
        return False
    return all(re.fullmatch(r"\d{3}", w) for w in words[1:])


# ---------------------------------------------------------------------------- investment tables
INVESTMENT_START = re.compile(rf"^({alternation('investering_start')})\b")
_LAST_TITLE = re.compile(rf"(?i)\b({alternation('investering_siste_kolonne')})\b")
# A project line: the label's last words, the project number (six to eight digits, ungrouped),
# the artsgruppe ("2340", "1", "000-599"), then completion dates and amounts.
_PROJECT = re.compile(r"^(?P<label>.*?)(?:^|\s)(?P<nr>\d{6,8})\s+(?P<arts>\d{3}-\d{3}|\d{1,4})(?=\s|$)(?P<rest>.*)$")
_DATE = re.compile(r"^(\d{1,2}/\d{2,4}|[A-ZÆØÅ]?[a-zæøå]+|[A-ZÆØÅ]\d|kv\.?\d)$")
_AMOUNT_COLUMNS = 4  # Dok 3, Regulert budsjett, Regnskap, Avvik (VII-VIII)


def read_investments(lines: list[Line], start: int, end: int, year: int | None = None) -> TableOut | None:
    """The template's investment table (columns I–X: project name, number, artsgruppe, two
    completion dates, Dok 3, Regulert budsjett, Regnskap, Avvik (VII−VIII), comment), as the
    extracts print it: the name wrapped above its project line, the amounts on that line or the
    next, the comment after them. The amounts are placed by the table's own relation, printed in
    its header: Avvik = VII − VIII; a row the relation does not settle is left raw."""
    # --- the header: from the first line to the one with the last column's title
    first_project = next((j for j in range(start + 1, min(end, start + 60))
                          if lines[j].text and _PROJECT.match(lines[j].text)), None)
    if first_project is None:
        return None
    header_end = start
    for j in range(start, first_project + 1):
        if lines[j].text and _LAST_TITLE.search(lines[j].text):
            header_end = j
    header_texts = [lines[j].text for j in range(start, header_end + 1) if lines[j].text]
    if header_end == first_project:
        return None
    by_lines = split_header_lines(header_texts, 9)
    columns = [by_lines[0], *by_lines[1]] if by_lines else list(words("investering_kolonner"))
    if year and not by_lines:
        columns = [c if not re.match(r"(?i)^(dok 3|regulert|regnskap)", c) else f"{c} {year}" for c in columns]
    habit = any(not lines[j].open_end for j in range(start, min(end, start + 80)) if lines[j].text)
    table = TableOut(caption="", header=columns, rows=[], start=start, end=start, type="økonomi")
    j = header_end + 1
    pending: list[int] = []  # label lines since the last record
    record: dict | None = None
    records: list[dict] = []

    def label_of(positions: list[int], tail: str) -> str:
        parts = [lines[k] for k in positions]
        text = ""
        for n, line in enumerate(parts):
            glue = "" if (n and habit and parts[n - 1].open_end and parts[n - 1].text[-1:].isalpha()
                          and line.text[:1].isalpha()) else " "
            text = (text + glue + line.text) if text else line.text
        if tail:
            glue = "" if (parts and habit and parts[-1].open_end and parts[-1].text[-1:].isalpha()
                          and tail[:1].isalpha()) else " "
            text = (text + glue + tail) if text else tail
        return re.sub(r"\s+", " ", text).strip()

    while j < end:
        text = lines[j].text
        if not text:
            if pending and record is not None:
                # A blank line: what came since the amounts was the comment, unless a project follows.
                record["comment"].extend(pending)
                pending = []
            j += 1
            continue
        m = _PROJECT.match(text)
        if m:
            rest = m["rest"].split()
            dates = []
            while rest and _DATE.match(rest[0]) and (not _TOKEN_START.match(rest[0]) or "/" in rest[0]):
                dates.append(rest.pop(0))
            _, toks = tokenize_tail(rest)
            if len(toks) != len(rest):
                break  # text after the amounts: not a line of this table
            used = j
            if not toks:
                k = _next_text(lines, j + 1, end)
                if k < end:
                    words_k, toks_k = numeric_tail(lines[k].text)
                    if toks_k and not words_k:
                        toks, used = toks_k, k
            if toks and not _investment_readings(tuple(toks)):
                # The last amount broken over lines ("-2 028" / "653"): read on while that helps.
                more, k = list(toks), used + 1
                while k < end and len(more) < len(toks) + 4:
                    if not lines[k].text:
                        k += 1
                        continue
                    words_k, toks_k = numeric_tail(lines[k].text)
                    if words_k or not toks_k or len(toks_k) > 2:
                        break
                    more += toks_k
                    if _investment_readings(tuple(more)):
                        toks, used = more, k
                        break
                    k += 1
            record = {"label": label_of(pending, m["label"]), "nr": m["nr"], "arts": m["arts"], "dates": dates,
                      "toks": tuple(toks), "line": lines[j].number, "comment": [],
                      "raw": " ".join([lines[k].text for k in pending] + [text] + ([lines[used].text] if used != j else []))}
            records.append(record)
            pending = []
            j = used + 1
            table.end = j
            continue
        if re.match(r"(?i)^sum\b", text):
            label_words, toks = numeric_tail(text)
            if toks and records:
                if pending and record is not None:
                    record["comment"].extend(pending)
                    pending = []
                record = {"label": " ".join(label_words), "nr": "", "arts": "", "dates": [], "toks": tuple(toks),
                          "line": lines[j].number, "comment": [], "raw": text}
                records.append(record)
                table.end = j + 1
                break
        if _PROJECT.match(text) is None and (len(text) > 80 or text.startswith("*")) and records:
            break
        pending.append(j)
        j += 1
    if len(records) < 2:
        return None
    for rec in records:
        rec["comment"] = " ".join(lines[k].text for k in rec["comment"]) if isinstance(rec["comment"], list) else ""
        readings = _investment_readings(rec["toks"])
        if len(readings) > 1:
            # Dok 3, Regulert budsjett and Regnskap are versions of one amount (see _resolve_by_magnitude).
            plausible = [r for r in readings if _one_magnitude([cell_number(c) for c in r[:3] if c])]
            readings = plausible if len(plausible) == 1 else readings
        label = rec["label"]
        if len(readings) != 1:
            reason = (f"beløpene kan plasseres på {len(readings)} måter som alle stemmer med Avvik = VII − VIII"
                      if readings else "ingen plassering av beløpene stemmer med Avvik = VII − VIII")
            table.ambiguous.append(Ambiguous(rec["line"], rec["raw"], reason))
            continue
        dates = rec["dates"]
        ferdig = ["", dates[0]] if len(dates) == 1 else (dates + ["", ""])[:2]
        if not rec["nr"]:
            ferdig = ["", ""]
        comment = re.sub(r"\s+", " ", rec["comment"]).strip()
        table.rows.append([label, rec["nr"], rec["arts"], *ferdig, *readings[0], comment])
        table.rows_structured += 1
    return table if table.rows_structured else None


_TOKEN_START = re.compile(r"^[-\u2212\u2013+]?\d")


def _one_magnitude(values) -> bool:
    values = [abs(v) for v in values if v]
    return len(values) < 2 or max(values) <= MAX_SPREAD * min(values)


def _investment_readings(toks: tuple[Tok, ...]) -> list[tuple[str, ...]]:
    """Dok 3, Regulert budsjett, Regnskap, Avvik from a project's amounts: every grouping and
    placement (Avvik always printed, empty cells vanished) where Avvik = Regulert − Regnskap."""
    out: list[tuple[str, ...]] = []
    for k in range(1, _AMOUNT_COLUMNS + 1):
        for _, cells in segmentations(toks, k, 0):
            for places in itertools.combinations(range(_AMOUNT_COLUMNS - 1), k - 1):
                row = [""] * _AMOUNT_COLUMNS
                for p, c in zip(places, cells[:-1]):
                    row[p] = c
                row[-1] = cells[-1]
                reg, regn, avvik = (cell_number(row[i]) if row[i] else Decimal(0) for i in (1, 2, 3))
                if reg is None or regn is None or avvik is None:
                    continue
                if abs(reg - regn - avvik) <= Decimal(3) / 2 and tuple(row) not in out:
                    out.append(tuple(row))
    return out
