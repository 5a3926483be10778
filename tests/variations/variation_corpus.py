"""The variation corpus: meaning-preserving transformations of the real examples, and the
comparison of findings by an identity that survives them.

Each variation is a small function ``text -> text`` that rewrites a report the way another district
(or another year) would write the same facts: spelling of titles and headers, placeholder
spellings, thousands separators, line endings, a table continued under a "(forts.)" caption.
Run on every example, the linter must report the same real findings (nothing lost, nothing
gained). ``scripts/measure_variations.py`` prints the matrix; ``test_variations.py`` asserts it.

Findings are compared by *structural address*, not by line: code + the heading they belong to
(its ordinal) + the logical table (a "(forts.)" table continues the one before it, its rows
numbered on from there) + row + column, or the block within the section for findings outside
tables. Transformations never add or remove headings, tables or rows, so these ordinals survive
them while line numbers do not.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

# --------------------------------------------------------------------------- markdown helpers
_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER = re.compile(r"^\s*\|(\s*:?-{1,}:?\s*\|)+\s*$")
_ATTRS = re.compile(r"\{([^{}]*)\}\s*$")
_NUMBER_CELL = re.compile(r"^[-−–+]?\d{1,3}(?: \d{3})+(?:,\d+)?(?: ?%)?$")


def _split_lines(text: str) -> list[str]:
    return text.split("\n")


def _cells(line: str) -> list[str]:
    """The cells of a pipe-table row, each with its surrounding spaces (between the pipes)."""
    parts = _PIPE.split(line.rstrip("\r"))
    return parts[1:-1]


def _join(cells: list[str], line: str) -> str:
    ending = "\r" if line.endswith("\r") else ""
    return "|" + "|".join(cells) + "|" + ending


@dataclass
class TableLines:
    """Line indices of one pipe table: caption (or None), header, delimiter, body rows."""

    caption: int | None
    header: int
    body: list[int]
    type: str | None

    @property
    def delimiter(self) -> int:
        return self.header + 1


def tables(lines: list[str]) -> list[TableLines]:
    out = []
    i = 0
    while i < len(lines) - 1:
        line = lines[i].rstrip("\r")
        if line.lstrip().startswith("|") and _DELIMITER.match(lines[i + 1].rstrip("\r")):
            caption = i - 1 if i > 0 and lines[i - 1].startswith(": ") else None
            type_ = None
            if caption is not None:
                match = _ATTRS.search(lines[caption].rstrip("\r"))
                if match:
                    found = re.search(r"\btype=(\S+)", match.group(1))
                    type_ = found.group(1) if found else None
            body = []
            j = i + 2
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                body.append(j)
                j += 1
            out.append(TableLines(caption, i, body, type_))
            i = j
        else:
            i += 1
    return out


def _caption_parts(line: str) -> tuple[str, str]:
    """(caption text after ': ', attribute block with its leading space or '')."""
    body = line.rstrip("\r")[2:]
    match = _ATTRS.search(body)
    if match:
        return body[: match.start()].rstrip(), " " + match.group(0).strip()
    return body, ""


def _map_captions(text: str, change: Callable[[str], str]) -> str:
    lines = _split_lines(text)
    for table in tables(lines):
        if table.caption is None:
            continue
        line = lines[table.caption]
        caption, attrs = _caption_parts(line)
        if not caption:
            continue
        ending = "\r" if line.endswith("\r") else ""
        lines[table.caption] = ": " + change(caption) + attrs + ending
    return "\n".join(lines)


_HEADING = re.compile(r"^(#{1,6} )((?:\d+(?:\.\d+)*\.? )?)(.*?)(\r?)$")


def _map_headings(text: str, change: Callable[[str], str]) -> str:
    lines = _split_lines(text)
    in_front = False
    in_comment = False
    for i, line in enumerate(lines):
        if i == 0 and line.rstrip("\r") == "---":
            in_front = True
            continue
        if in_front:
            if line.rstrip("\r") == "---":
                in_front = False
            continue
        if "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            in_comment = True
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        match = _HEADING.match(line)
        if match and match.group(3).strip():
            lines[i] = match.group(1) + match.group(2) + change(match.group(3)) + match.group(4)
    return "\n".join(lines)


def _map_header_cells(text: str, change: Callable[[str], str]) -> str:
    lines = _split_lines(text)
    for table in tables(lines):
        line = lines[table.header]
        lines[table.header] = _join([change(c) for c in _cells(line)], line)
    return "\n".join(lines)


def _map_body_cells(text: str, change: Callable[[TableLines, int, str], str],
                    types: Callable[[str | None], bool] = lambda t: True) -> str:
    """change(table, column index, cell text with its spaces) for every body cell."""
    lines = _split_lines(text)
    for table in tables(lines):
        if not types(table.type):
            continue
        for index in table.body:
            line = lines[index]
            lines[index] = _join([change(table, k, c) for k, c in enumerate(_cells(line))], line)
    return "\n".join(lines)


def _keep_spaces(cell: str, new: str) -> str:
    """Replace a cell's text, keeping its padding."""
    stripped = cell.strip()
    if not stripped:
        return cell
    start = cell.index(stripped)
    return cell[:start] + new + cell[start + len(stripped):]


def _front_year(text: str) -> int | None:
    match = re.search(r"^år:\s*\"?(\d{4})", text, re.MULTILINE)
    return int(match.group(1)) if match else None


NUMERIC_TYPES = {None, "økonomi", "indikatorer", "nøkkeltall", "befolkning", "ramme", "måltabell"}


# --------------------------------------------------------------------------- the variations
def title_code_joined(text: str) -> str:
    """'Tabell 0.1 B' -> 'Tabell 0.1B' (captions and headings)."""
    change = lambda s: re.sub(r"(\d\.\d+) ([A-C])\b", r"\1\2", s)  # noqa: E731
    return _map_headings(_map_captions(text, change), change)


def title_code_dotted(text: str) -> str:
    """'Tabell 0.1 B' -> 'Tabell 0.1.B' (captions and headings)."""
    change = lambda s: re.sub(r"(\d\.\d+) ([A-C])\b", r"\1.\2", s)  # noqa: E731
    return _map_headings(_map_captions(text, change), change)


def header_justert(text: str) -> str:
    """Column headers: 'Regulert budsjett' -> 'Justert budsjett' (and 'Reg. budsj.' alike)."""
    def change(cell: str) -> str:
        cell = re.sub(r"\bRegulert budsjett", "Justert budsjett", cell)
        return re.sub(r"\bregulert budsjett", "justert budsjett", cell)
    return _map_header_cells(text, change)


def header_oppr(text: str) -> str:
    """Column headers: 'Oppr.' <-> 'Opprinnelig', 'Overførte' -> 'Overført',
    'prosjektmidler' -> 'prosjekt-midler'."""
    def change(cell: str) -> str:
        if re.search(r"\bOppr\. ?[Bb]ud", cell):
            cell = re.sub(r"\bOppr\. ?([Bb]ud)", r"Opprinnelig \1", cell)
        else:
            cell = re.sub(r"\bOpprinnelig\b", "Oppr.", cell)
        cell = re.sub(r"\b([Oo])verførte\b", r"\1verført", cell)
        return re.sub(r"prosjektmidler", "prosjekt-midler", cell)
    return _map_header_cells(text, change)


def subtotal_without_sum(text: str) -> str:
    """Economy tables: subtotal rows lose their 'Sum' (the last sum row, the total, keeps it)."""
    lines = _split_lines(text)
    for table in tables(lines):
        if table.type not in (None, "økonomi"):
            continue
        sums = [i for i in table.body if re.match(r"^\s*Sum\s+\S", _cells(lines[i])[0])]
        for index in sums[:-1]:
            line = lines[index]
            cells = _cells(line)
            label = re.sub(r"^Sum\s+", "", cells[0].strip())
            cells[0] = _keep_spaces(cells[0], label[:1].upper() + label[1:])
            lines[index] = _join(cells, line)
    return "\n".join(lines)


def _relabel_sums(text: str, change: Callable[[str], str]) -> str:
    def cell(table: TableLines, k: int, c: str) -> str:
        if k != 0 or not re.match(r"^\s*Sum\s+\S", c):
            return c
        return _keep_spaces(c, change(re.sub(r"^Sum\s+", "", c.strip())))
    return _map_body_cells(text, cell, lambda t: t in NUMERIC_TYPES)


def sum_totalt(text: str) -> str:
    """Row labels 'Sum X' -> 'Totalt X'."""
    return _relabel_sums(text, lambda rest: "Totalt " + rest)


def sum_i_alt(text: str) -> str:
    """Row labels 'Sum X' -> 'X i alt'."""
    return _relabel_sums(text, lambda rest: rest[:1].upper() + rest[1:] + " i alt")


# A district's own "no value" marks. Not "(N)", "NA" or "%" as the source: the template prints
# those as fill-in marks, and K304 reports them as left in. Not in economy tables either: there
# "-" is an accountant's zero, not a missing value.
_NO_VALUE = {"*", "-", "–"}
_NO_VALUE_TYPES = {"indikatorer", "nøkkeltall", "måltabell", "befolkning"}


def _placeholder(spelling: str) -> Callable[[str], str]:
    def variation(text: str) -> str:
        def cell(table: TableLines, k: int, c: str) -> str:
            return _keep_spaces(c, spelling) if k > 0 and c.strip() in _NO_VALUE else c
        return _map_body_cells(text, cell, lambda t: t in _NO_VALUE_TYPES)
    variation.__doc__ = (f"No-value marks ('*', '-', '–') in indicator, key-figure and population tables "
                         f"written '{spelling}'.")
    return variation


def _answers(marker: Callable[[str, int], str]) -> Callable[[str], str]:
    def variation(text: str) -> str:
        counter = [0]

        def cell(table: TableLines, k: int, c: str) -> str:
            word = c.strip()
            if k == 0 or word.lower() not in ("ja", "nei", "delvis"):
                return c
            counter[0] += 1
            return _keep_spaces(c, marker(word, counter[0]))
        return _map_body_cells(text, cell, lambda t: t == "sjekkliste")
    return variation


def answer_footnote(text: str) -> str:
    """Checklist answers with a footnote marker: 'Ja' -> 'Ja 1)'."""
    return _answers(lambda word, n: f"{word} {n % 3 + 1})")(text)


def answer_star(text: str) -> str:
    """Checklist answers with a star: 'Ja' -> 'Ja*', 'Delvis' -> 'Delvis*'."""
    return _answers(lambda word, n: word + "*")(text)


def _separator(char: str) -> Callable[[str], str]:
    def variation(text: str) -> str:
        def cell(table: TableLines, k: int, c: str) -> str:
            word = c.strip()
            if k == 0 or not _NUMBER_CELL.match(word):
                return c
            return _keep_spaces(c, re.sub(r"(?<=\d) (?=\d{3}\b)", char, word))
        return _map_body_cells(text, cell)
    return variation


def thousands_nbsp(text: str) -> str:
    """Thousands separator U+00A0 (no-break space) instead of a space."""
    return _separator("\u00a0")(text)


def thousands_narrow_nbsp(text: str) -> str:
    """Thousands separator U+202F (narrow no-break space) instead of a space."""
    return _separator("\u202f")(text)


def _typo(word: str) -> str:
    # drop one letter in the middle of a long word: one edit, within any sane tolerance
    middle = len(word) // 2
    return word[:middle] + word[middle + 1:]


def caption_typo(text: str) -> str:
    """A one-letter typo in the longest word (9+ letters) of each table caption."""
    def change(caption: str) -> str:
        words = [w for w in re.findall(r"[A-Za-zÆØÅæøå]{9,}", caption)]
        if not words:
            return caption
        longest = max(words, key=len)
        return caption.replace(longest, _typo(longest), 1)
    return _map_captions(text, change)


def table_split(text: str) -> str:
    """Tables of 8+ rows split in two: the second half under the same caption + '(forts.)' and
    the header repeated, as a table continued on the next page."""
    lines = _split_lines(text)
    crlf = "\r" if lines and lines[0].endswith("\r") else ""
    inserts: list[tuple[int, list[str]]] = []
    for table in tables(lines):
        if len(table.body) < 8:
            continue
        cut = table.body[len(table.body) // 2]
        if table.caption is not None:
            caption, attrs = _caption_parts(lines[table.caption])
            attrs = re.sub(r"#([\w\-.æøåÆØÅ]+)", r"#\1-forts", attrs)
            new_caption = ": " + (caption + " (forts.)").strip() + attrs + crlf
        else:
            new_caption = ": (forts.)" + crlf
        block = [crlf, new_caption, lines[table.header], lines[table.delimiter]]
        inserts.append((cut, block))
    for cut, block in reversed(inserts):
        lines[cut:cut] = block
    return "\n".join(lines)


# 2023 numbers of the 2024 chapter-4 sections whose number changed (same title in both years).
_SHIFT_2023 = {"4.4": "4.3", "4.5": "4.4", "4.6": "4.5"}


def section_numbers_2023(text: str) -> str:
    """Sections numbered as in the neighbouring template year (2024's 4.4-4.6 as 2023's 4.3-4.5)."""
    if _front_year(text) != 2024:
        return text
    lines = _split_lines(text)
    for i, line in enumerate(lines):
        match = re.match(r"^(## )(\d+(?:\.\d+)*)(\.?)( .*)$", line)
        if match and match.group(2) in _SHIFT_2023:
            lines[i] = match.group(1) + _SHIFT_2023[match.group(2)] + match.group(3) + match.group(4)
    return "\n".join(lines)


def heading_upper(text: str) -> str:
    """Heading titles in capitals ('4. SÆRSKILT RAPPORTERING' as some districts print them)."""
    return _map_headings(text, lambda t: t.upper())


def heading_lower(text: str) -> str:
    """Heading titles in sentence case (first letter capital, the rest small)."""
    return _map_headings(text, lambda t: t[:1].upper() + t[1:].lower())


def caption_year(text: str) -> str:
    """Table captions end with the report year."""
    year = _front_year(text)
    if year is None:
        return text
    return _map_captions(text, lambda c: c if c.rstrip().endswith(str(year)) else f"{c.rstrip(' .')} {year}")


def heading_year(text: str) -> str:
    """Headings of chapters and sections end with the report year ('5 Miljø og klimarapportering 2023')."""
    year = _front_year(text)
    if year is None:
        return text
    return _map_headings(text, lambda t: t if re.search(r"\b(19|20)\d\d\s*$", t) else f"{t.rstrip()} {year}")


def extra_blank_lines(text: str) -> str:
    """Every blank line doubled (blank lines between a caption and its table do not occur)."""
    lines = _split_lines(text)
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if not line.strip() and 0 < i < len(lines) - 1:
            out.append(line)
    return "\n".join(out)


def crlf(text: str) -> str:
    """Windows line endings."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def minus_sign(text: str) -> str:
    """Negative numbers written with U+2212 MINUS SIGN instead of a hyphen."""
    def cell(table: TableLines, k: int, c: str) -> str:
        word = c.strip()
        if k == 0 or not re.match(r"^-\d[\d  \u202f]*(?:,\d+)?(?: ?%)?$", word):
            return c
        return _keep_spaces(c, "\u2212" + word[1:])
    return _map_body_cells(text, cell, lambda t: t in NUMERIC_TYPES)


def percent_tight(text: str) -> str:
    """Percentages written without a space before '%' ('72,1 %' -> '72,1%')."""
    def cell(table: TableLines, k: int, c: str) -> str:
        word = c.strip()
        if k == 0 or not re.match(r"^[-−+]?\d[\d ,.]* %$", word):
            return c
        return _keep_spaces(c, word[:-2] + "%")
    return _map_body_cells(text, cell)


def cell_padding(text: str) -> str:
    """Table cells padded with extra spaces and the delimiter row written with alignment colons."""
    lines = _split_lines(text)
    for table in tables(lines):
        for index in [table.header, *table.body]:
            line = lines[index]
            lines[index] = _join([f"  {c.strip()}  " if c.strip() else c for c in _cells(line)], line)
        line = lines[table.delimiter]
        cells = _cells(line)
        lines[table.delimiter] = _join([":---" if c.strip() == "---" else c for c in cells], line)
    return "\n".join(lines)


def dash_in_titles(text: str) -> str:
    """' - ' and ' – ' swapped in headings and captions (hyphen vs en dash)."""
    def change(s: str) -> str:
        return re.sub(r" [-–] ", lambda m: " – " if m.group(0) == " - " else " - ", s)
    return _map_headings(_map_captions(text, change), change)


def target_spacing(text: str) -> str:
    """Comparison targets written with spaces and '>=': '>80%' -> '> 80 %', '≥' -> '>='."""
    def cell(table: TableLines, k: int, c: str) -> str:
        word = c.strip()
        match = re.match(r"^([<>]=?|[≤≥])\s*(\d[\d ,.]*?)\s*(%?)$", word)
        if k == 0 or not match:
            return c
        op = {"≥": ">=", "≤": "<="}.get(match.group(1), match.group(1))
        unit = " %" if match.group(3) else ""
        return _keep_spaces(c, f"{op} {match.group(2)}{unit}")
    return _map_body_cells(text, cell, lambda t: t in ("indikatorer", "måltabell"))


def deviation_sign_flipped(text: str) -> str:
    """Indicator tables written with the other sign convention: the Avvik column negated and its
    header saying so ('Avvik 2024 (måltall-resultat)')."""
    lines = _split_lines(text)
    for table in tables(lines):
        if table.type != "indikatorer":
            continue
        header = _cells(lines[table.header])
        columns = [k for k, c in enumerate(header) if c.strip().lower().startswith("avvik")]
        if not columns:
            continue
        for k in columns:
            title = re.sub(r"\s*\(.*\)\s*$", "", header[k].strip())
            if "resultat-måltall" in header[k].lower().replace(" ", "") or "(" not in header[k]:
                header[k] = _keep_spaces(header[k], f"{title} (måltall-resultat)")
            else:
                header[k] = _keep_spaces(header[k], f"{title} (resultat-måltall)")
        lines[table.header] = _join(header, lines[table.header])
        for index in table.body:
            cells = _cells(lines[index])
            for k in columns:
                cells[k] = _keep_spaces(cells[k], _negate(cells[k].strip()))
            lines[index] = _join(cells, lines[index])
    return "\n".join(lines)


def _negate(word: str) -> str:
    match = re.match(r"^([-−–+]?)(\d.*)$", word)
    if not match:
        return word
    sign, rest = match.groups()
    if re.fullmatch(r"0(?:[,.]0+)?(?:\s*(?:%|pp|p\.p\.))?", rest):
        return rest  # zero stays zero
    return rest if sign in ("-", "−", "–") else "-" + rest


def numbered_heading_dot(text: str) -> str:
    """Section numbers written with a trailing dot ('## 4.18. Rapportering jodberedskap')."""
    lines = _split_lines(text)
    for i, line in enumerate(lines):
        match = re.match(r"^(#{1,6} \d+(?:\.\d+)*)( .*)$", line)
        if match:
            lines[i] = match.group(1) + "." + match.group(2)
    return "\n".join(lines)


def byte_order_mark(text: str) -> str:
    """A UTF-8 byte-order mark at the start of the file."""
    return text if text.startswith("\ufeff") else "\ufeff" + text


def label_footnote(text: str) -> str:
    """Every third row label in number tables carries a footnote marker ('Andel X 1)', 'Andel X*')."""
    counter = [0]

    def cell(table: TableLines, k: int, c: str) -> str:
        word = c.strip()
        if k != 0 or not word or word.endswith((")", "*")):
            return c
        counter[0] += 1
        if counter[0] % 3:
            return c
        return _keep_spaces(c, word + (" 1)" if counter[0] % 2 else "*"))
    return _map_body_cells(text, cell, lambda t: t in NUMERIC_TYPES)


def label_upper(text: str) -> str:
    """Row labels of number tables in capitals ('TOTALT', as some districts print them)."""
    def cell(table: TableLines, k: int, c: str) -> str:
        return _keep_spaces(c, c.strip().upper()) if k == 0 and c.strip() else c
    return _map_body_cells(text, cell, lambda t: t in NUMERIC_TYPES)


def label_dashes(text: str) -> str:
    """Row labels of number tables with ' - ' and ' – ' swapped, and double spaces between words."""
    def cell(table: TableLines, k: int, c: str) -> str:
        word = c.strip()
        if k != 0 or not word:
            return c
        swapped = re.sub(r" [-–] ", lambda m: " – " if m.group(0) == " - " else " - ", word)
        return _keep_spaces(c, swapped.replace(" ", "  ", 1))
    return _map_body_cells(text, cell, lambda t: t in NUMERIC_TYPES)


def no_thousands_separator(text: str) -> str:
    """Amounts written without a thousands separator ('27 280' -> '27280')."""
    def cell(table: TableLines, k: int, c: str) -> str:
        word = c.strip()
        if k == 0 or not _NUMBER_CELL.match(word):
            return c
        return _keep_spaces(c, re.sub(r"(?<=\d) (?=\d{3}\b)", "", word))
    return _map_body_cells(text, cell)


def plus_sign(text: str) -> str:
    """Positive deviations written with an explicit '+' ('+106'), in Avvik columns."""
    lines = _split_lines(text)
    for table in tables(lines):
        if table.type not in NUMERIC_TYPES:
            continue
        header = _cells(lines[table.header])
        columns = [k for k, c in enumerate(header) if k > 0 and c.strip().lower().startswith("avvik")]
        for index in table.body:
            cells = _cells(lines[index])
            for k in columns:
                word = cells[k].strip() if k < len(cells) else ""
                if re.match(r"^[1-9]\d{0,2}(?: \d{3})*(?:,\d+)?(?: ?%| ?pp)?$", word) or re.match(r"^0,\d*[1-9]", word):
                    cells[k] = _keep_spaces(cells[k], "+" + word)
            lines[index] = _join(cells, lines[index])
    return "\n".join(lines)


def _indicator_header(change: Callable[[list[str]], list[int] | None]) -> Callable[[str], str]:
    """Reorder the columns of indicator tables: change(header texts) gives the new order."""
    def variation(text: str) -> str:
        lines = _split_lines(text)
        for table in tables(lines):
            if table.type != "indikatorer":
                continue
            header = [c.strip() for c in _cells(lines[table.header])]
            order = change(header)
            if order is None:
                continue
            for index in [table.header, table.delimiter, *table.body]:
                cells = _cells(lines[index])
                if len(cells) != len(order):
                    continue
                lines[index] = _join([cells[k] for k in order], lines[index])
        return "\n".join(lines)
    return variation


def _result_before_target(header: list[str]) -> list[int] | None:
    lowered = [h.lower() for h in header]
    target = next((k for k, h in enumerate(lowered) if h.startswith("måltall")), None)
    result = next((k for k in range(len(lowered) - 1, -1, -1) if lowered[k].startswith("resultat ")), None)
    if target is None or result is None or result < target:
        return None
    order = list(range(len(header)))
    order[target], order[result] = order[result], order[target]
    return order


def indicator_column_order(text: str) -> str:
    """Indicator tables with the report year's result before its target (columns swapped)."""
    return _indicator_header(_result_before_target)(text)


def indicator_target_header(text: str) -> str:
    """Indicator column headers 'Måltall 2024' -> 'Mål 2024' and 'Avvik 2024' -> 'Avvik fra mål 2024'."""
    lines = _split_lines(text)
    for table in tables(lines):
        if table.type != "indikatorer":
            continue
        line = lines[table.header]
        cells = [_keep_spaces(c, re.sub(r"^Måltall\b", "Mål", re.sub(r"^Avvik\b", "Avvik fra mål", c.strip())))
                 if c.strip() else c for c in _cells(line)]
        lines[table.header] = _join(cells, line)
    return "\n".join(lines)


@dataclass(frozen=True)
class Variation:
    name: str
    transform: Callable[[str], str]
    # Codes a variation may legitimately add (it changes something the template checks, such as a
    # section's number: one S107 per moved section is the right answer, not a false alarm).
    allowed_gains: frozenset[str] = frozenset()
    # A variation that reorders columns: findings are compared by column header, not position.
    columns_by_header: bool = False

    @property
    def description(self) -> str:
        return " ".join((self.transform.__doc__ or "").split())


VARIATIONS: dict[str, Variation] = {v.name: v for v in [
    Variation("tittel-kode-uten-mellomrom", title_code_joined),
    Variation("tittel-kode-med-punktum", title_code_dotted),
    Variation("kolonne-justert", header_justert),
    Variation("kolonne-oppr-overfort", header_oppr),
    Variation("delsum-uten-sum", subtotal_without_sum),
    Variation("sum-totalt", sum_totalt),
    Variation("sum-i-alt", sum_i_alt),
    Variation("plassholder-NA", _placeholder("NA")),
    Variation("plassholder-N.A", _placeholder("N.A")),
    Variation("plassholder-N/A", _placeholder("N/A")),
    Variation("plassholder-(N)", _placeholder("(N)")),
    Variation("plassholder-bindestrek", _placeholder("-")),
    Variation("plassholder-tankestrek", _placeholder("–")),
    Variation("plassholder-N. A.", _placeholder("N. A.")),
    Variation("plassholder-n/a", _placeholder("n/a")),
    Variation("plassholder-prikker", _placeholder("..")),
    Variation("svar-fotnote", answer_footnote),
    Variation("svar-stjerne", answer_star),
    Variation("tusenskille-nbsp", thousands_nbsp),
    Variation("tusenskille-smal-nbsp", thousands_narrow_nbsp),
    Variation("tabelltittel-skrivefeil", caption_typo),
    Variation("tabell-delt-forts", table_split),
    Variation("seksjonsnummer-2023", section_numbers_2023, frozenset({"S107", "S103", "S108"})),
    Variation("overskrift-store-bokstaver", heading_upper),
    Variation("overskrift-små-bokstaver", heading_lower),
    Variation("tabelltittel-årstall", caption_year),
    Variation("overskrift-årstall", heading_year),
    Variation("ekstra-blanke-linjer", extra_blank_lines),
    Variation("crlf", crlf),
    Variation("minustegn", minus_sign),
    Variation("prosent-uten-mellomrom", percent_tight),
    Variation("celle-utfylling", cell_padding),
    Variation("tankestrek-i-titler", dash_in_titles),
    Variation("mål-med-mellomrom", target_spacing),
    Variation("avvik-motsatt-fortegn", deviation_sign_flipped),
    Variation("nummer-med-punktum", numbered_heading_dot),
    Variation("bom", byte_order_mark),
    Variation("etikett-fotnote", label_footnote),
    Variation("radetiketter-store-bokstaver", label_upper),
    Variation("etikett-tankestrek", label_dashes),
    Variation("uten-tusenskille", no_thousands_separator),
    Variation("pluss-fortegn", plus_sign),
    Variation("indikator-kolonnerekkefølge", indicator_column_order, columns_by_header=True),
    Variation("indikator-mål-overskrift", indicator_target_header),
]}


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.md"))


# --------------------------------------------------------------------------- checking and identity
@dataclass(frozen=True)
class Identity:
    code: str
    address: tuple

    def __str__(self) -> str:
        return f"{self.code} @ {'/'.join(str(p) for p in self.address)}"


@dataclass
class Outcome:
    """Findings of one text, by identity, with a readable line for each."""

    identities: Counter
    shown: dict[Identity, str] = field(default_factory=dict)
    error: str | None = None


def _rules():
    from linter.rules.registry import all_rules

    return list(all_rules().values())


@lru_cache(maxsize=1)
def _options():
    from linter.engine import CheckOptions

    return CheckOptions(rules=_rules())


_FORTS = re.compile(r"\(forts\.?\)", re.IGNORECASE)


def _address_map(report):
    """For each table: (logical table ordinal, row offset); for each block: its address."""
    from linter.model import Blank, Comment, Heading, Table

    tables_info = {}
    logical = -1
    offsets: dict[int, int] = {}
    for table in report.tables:
        caption = table.caption.text if table.caption is not None else ""
        if _FORTS.search(caption) and logical >= 0:
            offset = offsets[logical]
        else:
            logical += 1
            offset = 0
        tables_info[id(table)] = (logical, offset)
        offsets[logical] = offset + len(table.rows)
    blocks = []  # (start line, end line, address)
    heading_ordinal = 0
    block_ordinal = 0
    for block in report.blocks:
        if isinstance(block, Heading):
            heading_ordinal += 1
            block_ordinal = 0
            blocks.append((block.span.line, block.span.end_line, ("heading", heading_ordinal), block))
            continue
        if isinstance(block, (Blank,)):
            continue
        if isinstance(block, Table) and block.caption is not None and _FORTS.search(block.caption.text):
            blocks.append((block.span.line, block.span.end_line, ("table",), block))
            continue
        if isinstance(block, Comment):
            blocks.append((block.span.line, block.span.end_line, ("comment", heading_ordinal, block_ordinal), block))
            block_ordinal += 1
            continue
        blocks.append((block.span.line, block.span.end_line, ("block", heading_ordinal, block_ordinal), block))
        block_ordinal += 1
    return tables_info, blocks


def _identity(finding, report, tables_info, blocks, by_header: bool = False) -> Identity:
    from linter.model import Table

    line = finding.span.line
    if report.front_matter is not None and line <= report.front_matter.span.end_line:
        return Identity(finding.code, ("front", line))
    for start, end, address, block in blocks:
        if not (start <= line <= end):
            continue
        if isinstance(block, Table):
            owner = block
            if id(block) not in tables_info:  # a "(forts.)" part the parser merged into its table
                owner = next((t for t in report.tables if block in getattr(t, "continuations", ())), block)
            logical, offset = tables_info.get(id(owner), (("unmerged", start), 0))
            if owner is not block:
                offset = 0  # the merged rows are numbered on already
            row_part: tuple
            if block.caption is not None and line == block.caption.span.line:
                row_part = ("caption",)
            elif line == block.header.span.line:
                row_part = ("header", _column(finding, block.header, owner, by_header))
            else:
                row = next((r for r in owner.rows if r.span.line == line), None)
                if row is None:
                    row_part = ("line", line - start)
                else:
                    row_part = ("row", row.index + offset, _column(finding, row, owner, by_header))
            return Identity(finding.code, ("table", logical, *row_part))
        if address[0] == "heading":
            return Identity(finding.code, address)
        return Identity(finding.code, (*address, line - start))
    return Identity(finding.code, ("line?", line))


def _column(finding, row, table, by_header: bool = False) -> int | str | None:
    column = finding.details.get("column") if isinstance(finding.details, dict) else None
    if not isinstance(column, int):
        column = next((cell.column for cell in row.cells
                       if cell.span.column <= finding.span.column <= max(cell.span.end_column, cell.span.column)), None)
    if by_header and column is not None and 0 <= column < len(table.header.cells):
        return table.header.cells[column].text
    return column


def outcome(text: str, name: str, by_header: bool = False) -> Outcome:
    from linter.engine import check_text

    result = check_text(text, name, _options())
    if result.failed:
        error = result.syntax_error or result.input_error or result.pack_error
        return Outcome(Counter(), error=str(error))
    tables_info, blocks = _address_map(result.report)
    identities: Counter = Counter()
    shown = {}
    for finding in result.findings:
        identity = _identity(finding, result.report, tables_info, blocks, by_header)
        identities[identity] += 1
        shown.setdefault(identity, f"{finding.code} line {finding.span.line}: {finding.message_nb}")
    return Outcome(identities, shown)


@lru_cache(maxsize=None)
def original_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def baseline(path: Path, by_header: bool = False) -> Outcome:
    return outcome(original_text(path), path.name, by_header)


@dataclass
class Comparison:
    variation: str
    example: str
    unchanged: bool  # the variation did not touch this example
    lost: list[str]
    gained: list[str]
    allowed: list[str]  # gains the variation is allowed to cause
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.lost and not self.gained


@lru_cache(maxsize=None)
def compare(variation_name: str, path: Path) -> Comparison:
    variation = VARIATIONS[variation_name]
    text = original_text(path)
    varied = variation.transform(text)
    if varied == text:
        return Comparison(variation_name, path.stem, True, [], [], [])
    before = baseline(path, variation.columns_by_header)
    after = outcome(varied, path.name, variation.columns_by_header)
    if after.error is not None:
        return Comparison(variation_name, path.stem, False, [], [], [], error=after.error)
    lost = before.identities - after.identities
    gained = after.identities - before.identities
    allowed = [i for i in gained if i.code in variation.allowed_gains]
    lost_lines = [f"{before.shown[i]}  [{i}]" for i in sorted(lost, key=str) for _ in range(lost[i])]
    gained_lines = [f"{after.shown[i]}  [{i}]" for i in sorted(gained, key=str)
                    if i.code not in variation.allowed_gains for _ in range(gained[i])]
    return Comparison(variation_name, path.stem, False, lost_lines, gained_lines,
                      [after.shown[i] for i in allowed])
