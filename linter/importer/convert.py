"""From a cleaned extract to the report format: metadata, sections, tables, text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from linter.importer.clean import clean_lines
from linter.importer.continued import drop_repeated_titles
from linter.importer.headings import HeadingFinder, HeadingHit
from linter.importer.positioned import is_positioned, read_positioned
from linter.importer.relations import is_sum_label
from linter.importer.structured import (CHECKLIST_HEADER, goal_table_header, read_checklist, read_goal_answers, read_goal_table,
                                         read_verbalvedtak)
from linter.importer.tables import (INVESTMENT_START, Ambiguous, TableOut, closed_by_sum, find_tables, join_tables,
                                    read_amount_list, read_function_adjustments, read_investments)

MARKER = "rapportlint-import"
_DISTRICT = re.compile(r"\bBydel\s+([A-ZÆØÅ][a-zæøåüé]+(?:[ -][A-ZÆØÅ][a-zæøåüé]+)?)")
_YEAR_AB = re.compile(r"(?i)årsberetning\s+(20\d\d)|(20\d\d)\s*[-–]?\s*årsberetning")
_YEAR_BUD = re.compile(r"(?i)budsjett\s+(20\d\d)|økonomiplan(?: for)?\s+(20\d\d)\s*[-–]\s*20\d\d")
_BULLET = re.compile(r"^[•▪o■◦·]\s+")
_FO = re.compile(r"\b(?:Funksjonsområde|Funk\.?\s?omr\.?|FO)\s*(\d[A-C]{0,2})\b")


@dataclass(slots=True)
class ImportSummary:
    source: str
    kind: str | None = None
    district: str | None = None
    year: int | None = None
    template: str | None = None
    sections: int = 0
    template_sections_found: int = 0
    template_sections_required: int = 0
    tables: int = 0
    tables_by_type: Counter = field(default_factory=Counter)
    rows_structured: int = 0
    ambiguous: list[Ambiguous] = field(default_factory=list)
    lines_raw: int = 0
    footers_dropped: int = 0
    doubled_blank_lines: bool = False

    def render(self, lang: str = "nb") -> str:
        en = lang == "en"
        kinds = ", ".join(f"{'untyped' if en and k == 'uten type' else k} {v}"
                          for k, v in sorted(self.tables_by_type.items())) or "-"
        meta = f"{self.kind or '?'} {self.district or '?'} {self.year or '?'}"
        lines = [
            (f"Imported {self.source}: {meta}" if en else f"Importerte {self.source}: {meta}")
            + (f" (template {self.template})" if en and self.template else f" (mal {self.template})" if self.template else ""),
            (f"  sections: {self.sections}" if en else f"  seksjoner: {self.sections}")
            + (f" ({self.template_sections_found} of {self.template_sections_required} required template sections)" if en
               else f" ({self.template_sections_found} av {self.template_sections_required} påkrevde malseksjoner)")
            if self.template_sections_required else (f"  sections: {self.sections}" if en else f"  seksjoner: {self.sections}"),
            (f"  tables: {self.tables} ({kinds})" if en else f"  tabeller: {self.tables} ({kinds})"),
            (f"  table rows structured: {self.rows_structured}; ambiguous rows kept as raw text: {len(self.ambiguous)}" if en
             else f"  tabellrader strukturert: {self.rows_structured}; tvetydige rader beholdt som råtekst: {len(self.ambiguous)}"),
            (f"  lines left as raw text: {self.lines_raw}" if en else f"  linjer beholdt som råtekst: {self.lines_raw}"),
            (f"  page footers dropped: {self.footers_dropped}" if en else f"  sidefötter fjernet: {self.footers_dropped}").replace("fötter", "føtter"),
        ]
        if self.doubled_blank_lines:
            lines.append("  blank lines were doubled in the extract: undone" if en else "  doble blanklinjer i uttrekket: rettet")
        for amb in self.ambiguous[:50]:
            lines.append(f"  {'ambiguous row' if en else 'tvetydig rad'}, {'line' if en else 'linje'} {amb.line}: {amb.text[:70]!r} ({amb.reason})")
        if len(self.ambiguous) > 50:
            lines.append(f"  … {len(self.ambiguous) - 50} {'more' if en else 'til'}")
        return "\n".join(lines) + "\n"


@dataclass(slots=True)
class ImportResult:
    text: str
    summary: ImportSummary


def detect_meta(raw: str, source_name: str) -> tuple[str | None, str | None, int | None]:
    # The raw text, footers included: "Årsberetning 2024 • Bydel Testby" names both.
    # Line breaks kept: "Bydel Testby" / "Forord" (a title line, then a heading) is no
    # two-word district.
    every = "\n".join(" ".join(line.split()) for line in raw.replace("\u202f", " ").replace("\u00a0", " ").splitlines())
    # Which template's words the text uses: an annual report reports on Måloppnåelse and
    # Særskilt rapportering; a Framsikt budget has a Rammeoversikt and a Måltabell per area.
    whole = (" ".join(every.split()) + " " + source_name).lower()
    ab = 5 * whole.count("årsberetning") + 10 * ("måloppnåelse og resultater" in whole) + 10 * ("særskilt rapportering" in whole)
    bud = 2 * whole.count("økonomiplan") + 3 * whole.count("rammeoversikt") + 3 * whole.count("måltabell")
    kind = None if ab == bud == 0 else ("årsberetning" if ab >= bud else "budsjett")
    districts = Counter(m.group(1) for m in _DISTRICT.finditer(every))
    for noise in ("Oslo", "Bydel"):
        districts.pop(noise, None)
    district = districts.most_common(1)[0][0] if districts else None
    year = None
    pattern = _YEAR_AB if kind == "årsberetning" else _YEAR_BUD
    years = Counter(int(next(g for g in m.groups() if g)) for m in pattern.finditer(every))
    if years:
        year = years.most_common(1)[0][0]
    elif kind == "årsberetning":
        # The accounting year is the newest "Regnskap YYYY" column.
        found = [int(y) for y in re.findall(r"(?i)regnskap\s+(20\d\d)", every)]
        year = max(found) if found else None
    return kind, district, year


def _load_template(kind: str | None, year: int | None):
    if not kind or not year:
        return None, None
    from linter.packs import RulePackError, load_pack, nearest_pack_id

    pack_id = nearest_pack_id(kind, year)
    if pack_id is None:
        return None, None
    try:
        return pack_id, load_pack(pack_id)
    except RulePackError:
        return None, None


def import_text(text: str, source_name: str = "<tekst>", column_gaps: bool = False) -> ImportResult:
    """``column_gaps``: the text comes from a PDF read by position (pdf.extract_pdf_text), whose
    wide gaps are column boundaries; in other extracts they are only a hint."""
    from linter.template import section_specs

    lines, stats = clean_lines(text)
    lines, _ = drop_repeated_titles(lines)
    summary = ImportSummary(source=source_name, footers_dropped=stats.footers_dropped,
                            doubled_blank_lines=stats.doubled_blank_lines)
    kind, district, year = detect_meta(text, source_name)
    summary.kind, summary.district, summary.year = kind, district, year
    pack_id, pack = _load_template(kind, year)
    summary.template = pack_id
    specs = section_specs(pack) if pack is not None else []
    numbered = kind != "budsjett"
    hits = HeadingFinder(specs, numbered).find(lines)
    summary.sections = len(hits)
    required = [s for s in specs if s.required]
    matched = {id(h.spec) for h in hits if h.spec is not None}
    by_number = {h.number.rstrip(".") for h in hits if h.number}
    summary.template_sections_required = len(required)
    summary.template_sections_found = sum(
        1 for s in required if id(s) in matched or (s.number and s.number in by_number)
    )
    known_functions = {m.group(1) for line in lines for m in [re.match(r"^(\d{3})\s+[A-ZÆØÅ]", line.text)] if m}
    checklist_items = []
    if pack is not None:
        for entry in pack.get("sjekklister", []) or []:
            checklist_items.extend(p if isinstance(p, str) else p["tekst"] for p in entry.get("punkter", []) or [])

    from linter.importer.relations import load_arithmetic

    arithmetic = load_arithmetic(pack, year)
    arithmetic.column_gaps = column_gaps
    out = _Writer(summary, arithmetic)
    out.raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out.front_matter(kind, district, year, pack_id, source_name)
    bounds = [h.index for h in hits] + [len(lines)]
    out.blocks(lines, 0, bounds[0], "", None, known_functions, checklist_items, kind)
    fo_context: str | None = None
    for n, hit in enumerate(hits):
        out.heading(hit)
        fo = _FO.search(hit.title)
        if hit.level <= 2:
            # A chapter or section names its funksjonsområde, or has none (4.7 HMS is not FO4's).
            fo_context = fo.group(1) if fo else None
        out.blocks(lines, hit.end, bounds[n + 1], hit.title, fo_context, known_functions, checklist_items, kind,
                   number=hit.number)
    return ImportResult(out.text(), summary)


class _Writer:
    def __init__(self, summary: ImportSummary, arithmetic=None):
        self.arithmetic = arithmetic
        self.parts: list[str] = []
        self.summary = summary
        self.ids: Counter = Counter()
        self.raw: list[str] | None = None  # the extract's lines before cleaning

    def text(self) -> str:
        body = "\n".join(self.parts)
        body = re.sub(r"\n{3,}", "\n\n", body)
        return body.rstrip("\n") + "\n"

    def front_matter(self, kind, district, year, pack_id, source_name) -> None:
        self.parts += ["---"]
        self.parts.append(f"bydel: {_yaml_value(district or 'ukjent')}")
        self.parts.append(f"dokument: {kind or 'årsberetning'}")
        self.parts.append(f"år: {year or 0}")
        if pack_id:
            self.parts.append(f"mal: {pack_id}")
        self.parts.append(f"kilde: {_yaml_value(source_name)}")
        self.parts += ["---", ""]
        self.parts.append(f"<!-- {MARKER}: laget av «rapportlint import» fra PDF-tekst. Kontroller tabellene mot PDF-en; "
                          f"rader merket «tvetydig rad» kunne ikke deles sikkert i kolonner. -->")
        self.parts.append("")

    def heading(self, hit: HeadingHit) -> None:
        number = f"{hit.number} " if hit.number else ""
        self.parts += ["", f"{'#' * min(max(hit.level, 1), 6)} {number}{hit.title}", ""]

    def blocks(self, lines, start, end, title, fo, known_functions, checklist_items, kind, number=None) -> None:
        if start >= end:
            return
        tables: list[TableOut] = []
        low = title.lower()
        for j in range(start, end):  # tables a PDF's positions have read (pdf.py)
            if is_positioned(lines[j].text) and not _inside(tables, j):
                table = read_positioned(lines, j, end, title, floor=start)
                # (the kinds the text readers below give by the section or the header)
                if table.type is None and (kind == "budsjett" and low.startswith("rammeoversikt")
                                           or _FUNCTION_ADJUSTMENTS.search(" ".join(table.header))):
                    table.type, table.unit = "ramme", "1000 kr"
                tables.append(table)
        # (when they have read the section's tables, the text readers below would only guess them again)
        if "verbalvedtak" in low and (number or kind == "budsjett") and not tables:
            vv = read_verbalvedtak(lines, start, end)
            if vv:
                tables.append(vv)
        answers = read_goal_answers(lines, start, end) if not tables else None
        if answers:
            tables.append(answers)
        if kind == "budsjett" and low.startswith("rammeoversikt"):
            # Row names the pack's relations use literally (no wildcard) are group rows when they
            # stand alone on a line ("Innsparingstiltak").
            names = self.arithmetic.for_kind("ramme").row_names if self.arithmetic else []
            ramme = read_amount_list(lines, start, end, tuple(n for n in names if not set(n) & set("*?[")))
            if ramme:
                tables.append(ramme)
        for j in range(start, end):
            text = lines[j].text
            if text and CHECKLIST_HEADER.search(text) and len(text) < 100 and not _inside(tables, j):
                cl = read_checklist(lines, j, end, checklist_items, self.raw)
                if cl:
                    tables.append(cl)
            if text and goal_table_header(text) and not _inside(tables, j):
                goals = read_goal_table(lines, j, end)
                if goals:
                    tables.append(goals)
            if text and INVESTMENT_START.match(text) and not _inside(tables, j):
                investments = read_investments(lines, j, end, self.summary.year)
                if investments:
                    tables.append(investments)
            if text and _FUNCTION_ADJUSTMENTS.search(text) and not _inside(tables, j):
                adj = read_function_adjustments(lines, j, end, known_functions)
                if adj:
                    tables.append(adj)
        # Figures tables in what is left.
        cursor = start
        free: list[tuple[int, int]] = []
        for t in sorted(tables, key=lambda t: t.start):
            free.append((cursor, t.start))
            cursor = max(cursor, t.end)
        free.append((cursor, end))
        for a, b in free:
            if a < b:
                tables.extend(find_tables(lines, a, b, title, known_functions, self.arithmetic))
        tables.sort(key=lambda t: t.start)
        tables = _join_continued(tables, lines)
        cursor = start
        skip: set[int] = set()
        placed = []
        for table in tables:
            if table.start < cursor:
                continue
            placed.append(table)
            cursor = table.end
        for table in placed:
            skip |= table.taken
        cursor = start
        for table in placed:
            self.paragraphs(lines, cursor, table.start, skip)
            caption_fo = _FO.search(table.caption)
            self.table(table, title, caption_fo.group(1) if caption_fo else _rows_fo(table, fo), number)
            cursor = table.end
        self.paragraphs(lines, cursor, end, skip)

    def paragraphs(self, lines, start, end, skip: set[int] | frozenset[int] = frozenset()) -> None:
        para: list[str] = []

        def flush():
            if para:
                self.parts.extend(para)
                self.parts.append("")
                para.clear()

        for j in range(start, end):
            text = lines[j].text
            if j in skip:
                continue  # a caption the table below took
            if not text:
                flush()
                continue
            if re.match(r"^https?://\S+$", text):
                continue  # link targets dumped as text (some carry e-mail addresses)
            self.summary.lines_raw += 1
            if _BULLET.match(text):
                flush()
                para.append("- " + _escape_text(_BULLET.sub("", text)))
            else:
                para.append(_escape_text(text))
        flush()

    def table(self, table: TableOut, title: str, fo: str | None, number: str | None) -> None:
        summary = self.summary
        summary.tables += 1
        summary.tables_by_type[table.type or "uten type"] += 1
        summary.rows_structured += table.rows_structured
        summary.ambiguous.extend(table.ambiguous)
        base = _slug((number or title or "tabell") + (f" {table.type}" if table.type else ""))
        self.ids[base] += 1
        tid = base if self.ids[base] == 1 else f"{base}-{self.ids[base]}"
        attrs = [f"#{tid}"]
        if table.type:
            attrs.append(f"type={table.type}")
        if table.unit and table.type in ("økonomi", "ramme"):
            attrs.append(f'enhet="{table.unit}"')
        if fo and table.type in ("økonomi", "ramme", "indikatorer", "nøkkeltall", "måltabell"):
            attrs.append(f"fo={fo}")
        caption = re.sub(r"[{}]", "", table.caption).strip()
        if table.lead:
            self.parts += [_escape_text(t) if not t.startswith("- ") else "- " + _escape_text(t[2:]) for t in table.lead]
            self.parts.append("")
        for note in table.notes:
            self.parts.append(f"<!-- {MARKER}: {_comment_safe(note)} -->")
            self.parts.append("")
        if table.ambiguous:
            attrs.append("ufullstendig=ja")
            self.parts.append(f"<!-- {MARKER}: {len(table.ambiguous)} rad(er) i tabellen under kunne ikke deles sikkert i "
                              f"kolonner og står som råtekst rett under tabellen -->")
            self.parts.append("")
        self.parts.append(f": {caption} {{{' '.join(attrs)}}}".replace(":  {", ": {"))
        width = len(table.header)
        self.parts.append(_row(table.header))
        numeric = [table.type not in ("sjekkliste", "verbalvedtak") and any(_is_figure(r[c]) for r in table.rows) and c > 0
                   for c in range(width)]
        self.parts.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
        for r in table.rows:
            cells = (list(r) + [""] * width)[:width]
            self.parts.append(_row(cells))
        self.parts.append("")
        for amb in table.ambiguous:
            self.parts.append(f"<!-- {MARKER}: tvetydig rad (linje {amb.line} i uttrekket): {_comment_safe(amb.reason)} -->")
            self.parts.append(_escape_text(amb.text))
            self.parts.append("")


_CONTINUED = re.compile(r"(?i)\s*[(\[]?\s*(forts(\.|ettelse|att)?|fortsetter|continued)\s*[)\]]?\.?\s*$")


_FUNCTION_ADJUSTMENTS = re.compile(r"\bFunksjon\s+Beskrivelse\b")


def _join_continued(tables: list[TableOut], lines) -> list[TableOut]:
    """A table continued on the next page (its title or header printed again) is one table:
    two tables of the same kind and columns with nothing but blank lines, a page footer or the
    repeated title between them."""
    out: list[TableOut] = []
    for table in tables:
        prev = out[-1] if out else None
        if prev is not None and table.start >= prev.end and _continues(prev, table, lines):
            join_tables(prev, table)
            continue
        out.append(table)
    return out


def _continues(prev: TableOut, table: TableOut, lines) -> bool:
    if len(prev.header) != len(table.header) or prev.type in ("sjekkliste", "verbalvedtak", "måltabell"):
        return False
    # The continuation may have no header of its own (only the title again): then it has no kind.
    untitled = all(h.startswith("Kolonne ") for h in table.header[1:])
    if prev.type != table.type and not (untitled and table.type is None):
        return False
    if closed_by_sum(prev) and closed_by_sum(table) and not _CONTINUED.search(table.caption):
        return False  # two whole tables, each with its own total ("Sum FO4B", then "Sum FO4C")
    first_caption, caption = (_CONTINUED.sub("", c).strip().lower() for c in (prev.caption, table.caption))
    if untitled and not (caption and caption == first_caption):
        return False
    same_columns = untitled or [h.lower() for h in prev.header[1:]] == [h.lower() for h in table.header[1:]]
    if not same_columns and not (caption and caption == first_caption):
        return False
    if caption and first_caption and caption != first_caption:
        return False
    if prev.rows and is_sum_label(prev.rows[-1][0]) and sum(is_sum_label(r[0]) for r in prev.rows) == 1 \
            and not _CONTINUED.search(table.caption):
        return False  # ended in its one sum, and nothing says it goes on: another table that looks alike
    between = [lines[k].text for k in range(prev.end, table.start) if lines[k].text]
    return all(len(t) < 80 and (not first_caption or _CONTINUED.sub("", t).strip().lower() == first_caption
                                or t.lower() in first_caption) for t in between) and len(between) <= 2


def _rows_fo(table: TableOut, fo: str | None) -> str | None:
    """The funksjonsområde a table's sum row names ("Sum FO4A *)") when it is a part of the
    section's ("4"), or the section's."""
    named = {m.group(1) for r in table.rows if r and re.match(r"(?i)^sum\b", r[0]) for m in [_FO.search(r[0])] if m}
    if len(named) == 1:
        own = next(iter(named))
        if fo is None or own.startswith(fo):
            return own
    return fo


def _inside(tables: list[TableOut], j: int) -> bool:
    return any(t.start <= j < t.end for t in tables)


def _is_figure(text: str) -> bool:
    return bool(re.fullmatch(r"[-−–+]?\d[\d ,.]*\s?%?", text or ""))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").strip() for c in cells) + " |"


def _escape_text(text: str) -> str:
    text = text.replace("<!--", "&lt;!--")
    if re.match(r"^(#{1,6}(\s|$)|:\s|\|)", text):
        return "\\" + text
    return text


def _comment_safe(text: str) -> str:
    return text.replace("--", "- -")


_SLUG_CHARACTERS: dict[str, str | int | None] = {"æ": "ae", "ø": "o", "å": "a", "ü": "u", ".": "-", " ": "-"}


def _slug(text: str) -> str:
    text = text.lower().translate(str.maketrans(_SLUG_CHARACTERS))
    text = re.sub(r"[^a-z0-9-]+", "", text)
    text = re.sub(r"-{2,}", "-", text).strip("-")
    return ("t" + text if text[:1].isdigit() else text)[:40] or "tabell"


def _yaml_value(value: str) -> str:
    if re.search(r"[:#\"']", value) or value != value.strip():
        return '"' + value.replace('"', "'") + '"'
    return value


def import_path(path: Path) -> ImportResult:
    """Read a .txt extract (UTF-8) or a .pdf (with the optional PDF extra) and import it."""
    if path.suffix.lower() == ".pdf":
        from linter.importer.pdf import extract_pdf_text

        return import_text(extract_pdf_text(path), path.name, column_gaps=True)
    else:
        from linter.parsing.builder import read_report_file

        text = read_report_file(path)
    return import_text(text, path.name)
