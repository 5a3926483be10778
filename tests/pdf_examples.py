"""The examples (examples/*.md) printed as PDF in the reports' layout, and the import of such a
PDF compared with the example by structure.

The layout is what the districts' PDFs do: a title line, numbered headings in bold, wrapped
paragraphs, tables with a caption, a header whose column titles wrap and are right-aligned over
right-aligned figures, a narrow label column whose labels wrap (the figures stand on the label's
last line), empty cells printed as nothing, a table that does not fit on the page goes on over
the page break under its caption "(forts.)" with the header repeated, and a page footer
"Side N av M" on every page. Used by tests/test_import_pdf.py (a few tables) and by
``scripts/measure_import.py --pdf`` (every example, precision and recall printed).

Needs fpdf2 (the ``test`` extra). Core fonts are Latin-1: characters outside it are printed as
their nearest Latin-1 form ("–" as "-"), and the comparison normalises the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from linter.model import Heading, ListBlock, Paragraph, Report, Table
from linter.parsing.builder import parse_report

import import_compare as shared

_LATIN1 = str.maketrans({"–": "-", "—": "-", "−": "-", "≥": ">=", "≤": "<=", "•": "-", "…": "...", "“": '"',
                         "”": '"', "’": "'", "‘": "'", "\u202f": " ", "\u2009": " ", "→": "->", "✓": "x"})

PAGE_TOP, PAGE_BOTTOM = 15.0, 277.0
LEFT, WIDTH = 15.0, 180.0
LABEL_SHARE = 0.36  # of the width, for the label column of a table of figures
LINE = 4.0


def latin1(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _plain(text: str) -> str:
    """Markdown inline marks out: what a reader sees printed."""
    text = re.sub(r"\*\*([^*]+)\*\*|\*([^*]+)\*", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return latin1(text.replace("\\|", "|"))


def _numeric_column(table: Table, c: int) -> bool:
    values = [r.cells[c].text for r in table.rows if c < len(r.cells) and r.cells[c].text]
    return bool(values) and sum(bool(re.fullmatch(r"[-−–+]?[\d ][\d ,.]*\s?%?|[-–*]|NA|\(N\)", v)) for v in values) \
        >= 0.6 * len(values)


class _Printer:
    def __init__(self, title: str):
        import fpdf

        printer = self

        class _Pdf(fpdf.FPDF):
            def footer(self):  # noqa: D401 - fpdf2's hook
                self.set_y(-12)
                self.set_font("Helvetica", size=8)
                self.cell(0, 5, f"Side {self.page_no()} av {{nb}}", align="C")
                printer.on_new_page()

        self.pdf = _Pdf(format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(LEFT, PAGE_TOP, LEFT)
        self.pdf.alias_nb_pages("{nb}")
        self.repeat = None  # (caption, draw header) while a table is printed
        self.pdf.add_page()
        self.font(11, "B")
        self.pdf.multi_cell(WIDTH, 6, latin1(title), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(3)

    def on_new_page(self) -> None:
        pass

    def font(self, size: float = 9, style: str = "") -> None:
        self.pdf.set_font("Helvetica", style, size)

    def need(self, height: float) -> bool:
        """A new page when ``height`` does not fit; True when one was started."""
        if self.pdf.get_y() + height > PAGE_BOTTOM:
            self.pdf.add_page()
            self.pdf.set_y(PAGE_TOP)
            return True
        return False

    def heading(self, heading: Heading) -> None:
        self.need(16)
        self.pdf.ln(2)
        self.font(13 if heading.level == 1 else 11 if heading.level == 2 else 10, "B")
        text = f"{heading.number} {heading.title}" if heading.number else heading.title
        self.pdf.multi_cell(WIDTH, 6, _plain(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def paragraph(self, text: str, indent: float = 0.0) -> None:
        self.font()
        lines = self.pdf.multi_cell(WIDTH - indent, LINE, _plain(text), dry_run=True, output="LINES")
        for line in lines:
            self.need(LINE)
            self.pdf.set_x(LEFT + indent)
            self.pdf.cell(WIDTH - indent, LINE, line, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def table(self, table: Table) -> None:
        columns = list(table.columns)
        count = len(columns)
        if count == 0:
            return
        numeric = [c > 0 and _numeric_column(table, c) for c in range(count)]
        size = 8 if count <= 7 else 7 if count <= 10 else 6
        self.font(size)
        widest = max([self.pdf.get_string_width(_plain(r.cells[c].text)) for r in table.rows for c in range(1, count)
                      if numeric[c] and c < len(r.cells)] + [0.0])
        texts = [c for c in range(1, count) if not numeric[c]]
        if not texts:
            label_w = WIDTH * LABEL_SHARE if count > 1 else WIDTH
            rest = (WIDTH - label_w) / (count - 1) if count > 1 else 0.0
            widths = [label_w] + [rest] * (count - 1)
        else:
            # Text columns (a Måltabell's Delmål and Indikator) share the width with the label;
            # figure columns get what their figures need.
            figure_w = min(max(widest + 4, 16.0), WIDTH * 0.6 / max(1, count - 1 - len(texts)))
            text_w = (WIDTH - figure_w * (count - 1 - len(texts))) / (1 + len(texts))
            widths = [text_w] + [figure_w if numeric[c] else text_w for c in range(1, count)]
            rest = figure_w
        if widest + 2 > rest:  # figures never wrap: a smaller type instead
            size = max(4.0, size * (rest - 2) / widest)
        xs = [LEFT + sum(widths[:c]) for c in range(count)]
        caption = _plain(table.caption.text) if table.caption and table.caption.text else ""
        line = size * 0.5

        def wrap(c: int, text: str) -> list[str]:
            if not text:
                return []
            if numeric[c] and c > 0 and self.pdf.get_string_width(_plain(text)) < widths[c] - 1.5:
                return [_plain(text)]
            return self.pdf.multi_cell(widths[c] - 1.5, line, _plain(text), dry_run=True, output="LINES")

        def draw_row(cells: list[str], bold: bool = False) -> None:
            self.font(size, "B" if bold else "")
            wrapped = [wrap(c, cells[c] if c < len(cells) else "") for c in range(count)]
            height = max([len(w) for w in wrapped] + [1])
            if self.need(height * line + 1) and not bold:
                header()
                self.font(size)
            top = self.pdf.get_y()
            for c, lines in enumerate(wrapped):
                if not lines:
                    continue
                # A cell of one line stands on the label's last line (figures after a wrapped
                # label); a cell that wraps itself starts at the top.
                first = max(len(wrapped[0]) - 1, 0) if len(lines) == 1 else 0
                for n, text in enumerate(lines):
                    self.pdf.set_xy(xs[c] + (0 if c == 0 else 1.5), top + (first + n) * line)
                    self.pdf.cell(widths[c] - 1.5, line, text, align="R" if numeric[c] or (bold and c > 0) else "L")
            self.pdf.set_xy(LEFT, top + height * line + 0.8)

        def header(continued: bool = True) -> None:
            if caption:
                self.font(9, "B")
                self.pdf.multi_cell(WIDTH, 5, caption + (" (forts.)" if continued else ""), new_x="LMARGIN", new_y="NEXT")
            draw_row(columns, bold=True)

        self.need(5 + 4 * line * 2)
        header(continued=False)
        for row in table.rows:
            draw_row([c.text for c in row.cells])
        self.pdf.ln(3)

    def output(self, path: Path) -> None:
        self.pdf.output(str(path))


def render_pdf(markdown: str, path: Path, max_tables: int | None = None, only_tables: set[str] | None = None) -> Report:
    """Print the report ``markdown`` to ``path``; ``only_tables`` (ids) or ``max_tables``: print
    the headings and just those tables (fast tests). The parsed report, for the comparison."""
    report = parse_report(markdown)
    meta = report.front_matter
    kind = (meta.get("dokument") if meta else None) or "årsberetning"
    title = f"{kind.capitalize()} {report.year or ''} Bydel {report.district or 'Testby'}"
    printer = _Printer(title)
    printed = 0
    parts = {id(p) for t in report.tables for p in t.continuations}
    subset = max_tables is not None or only_tables is not None
    for block in report.blocks:
        if isinstance(block, Heading):
            printer.heading(block)
        elif isinstance(block, Table):
            if subset and (only_tables is not None and block.id not in only_tables
                           or max_tables is not None and printed >= max_tables):
                continue
            if id(block) in parts:
                continue
            printer.table(block)  # its rows include the parts continued under "(forts.)"
            printed += 1
        elif subset:
            continue
        elif isinstance(block, Paragraph):
            printer.paragraph(block.text)
        elif isinstance(block, ListBlock):
            for item in block.items:
                printer.paragraph(f"- {item.text}", indent=3)
    printer.output(path)
    return report


# ---------------------------------------------------------------- comparison
def norm(text: str) -> str:
    text = latin1(text).replace("\u00a0", " ")
    text = re.sub(r"\s*\*\)|\s*\d\)$", "", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def sections(report) -> Counter:
    return shared.sections(report, latin1)


tables_by_type = shared.tables_by_type


def cells(tables) -> Counter:
    return shared.cells(tables, norm)


def compare(imported, example, table_ids: set[str] | None = None) -> dict[str, tuple[int, int, int]]:
    """(hits, produced, expected) per element kind: sections, tables of each type (by cell
    content), cells of each type; ``table_ids``: only those example tables count."""
    out: dict[str, tuple[int, int, int]] = {}
    ms, ts = sections(imported), sections(example)
    out["sections"] = (sum((ms & ts).values()), sum(ms.values()), sum(ts.values()))
    mine = tables_by_type(imported)
    theirs = tables_by_type(example)
    if table_ids is not None:
        theirs = {k: [t for t in v if t.id in table_ids] for k, v in theirs.items()}
    for kind in sorted(set(mine) | set(theirs)):
        if kind in ("-", "tekst"):
            continue
        a = [t for t in mine.get(kind, []) if not _is_part(t, imported)]
        b = [t for t in theirs.get(kind, []) if not _is_part(t, example)]
        if not a and not b:
            continue
        out[f"tables {kind}"] = (_matched(a, b), len(a), len(b))
        ca, cb = cells(a), cells(b)
        out[f"cells {kind}"] = (sum((ca & cb).values()), sum(ca.values()), sum(cb.values()))
    return out


def _is_part(table, report) -> bool:
    return any(table is p for t in report.tables for p in t.continuations)


def _matched(mine: list, theirs: list) -> int:
    return shared.matched_tables(mine, theirs, norm)


def pr(hit: int, produced: int, expected: int) -> tuple[float, float]:
    return (hit / produced if produced else 0.0, hit / expected if expected else 0.0)

