"""Text from a PDF by the words' positions, with the optional extra ``rapportlint[pdf]``
(pdfminer.six's layout objects), imported lazily.

Flattening a page to text loses the one thing that separates two table cells from one number:
"2 160 113 2 134 830" reads the same whether the gap before the second "2" is a digit-group
space or a column boundary. Here every character keeps its position: the characters of a page
are put on lines by their baseline (cells of one row come out on one line, even when the PDF
draws them as separate text boxes), ordered by x, and a gap wider than a word space becomes two
spaces. The importer reads two spaces as a cell boundary no number spans (numbers.split_words).
"""

from __future__ import annotations

from pathlib import Path

# A gap wider than this many font sizes is a column boundary, not a word or digit-group space.
COLUMN_GAP = 0.9
WORD_GAP = 0.15


class PdfUnavailable(Exception):
    """The PDF extra is not installed."""


class PdfUnreadable(Exception):
    """The file is not a PDF that can be read."""


def extract_pdf_text(path: Path) -> str:
    """The PDF's text page by page, one line per baseline, wide gaps as two spaces; pages
    separated by a form feed (which the importer's clean-up treats as a line break)."""
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams
    except ImportError:
        raise PdfUnavailable() from None
    try:
        pages = []
        for page in extract_pages(str(path), laparams=LAParams(line_margin=0.3, char_margin=2.0)):
            pages.append("\n".join(page_lines(_chars(page))))
        return "\f\n".join(pages)
    except Exception as exc:  # pdfminer raises many kinds for damaged or encrypted files
        raise PdfUnreadable(f"{type(exc).__name__}: {exc}") from None


def _chars(layout) -> list[tuple[float, float, float, float, str]]:
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


def page_lines(chars: list[tuple[float, float, float, float, str]]) -> list[str]:
    """Characters → text lines, top to bottom: one line per baseline (within a third of the
    font size), characters by x, a space for a word gap and two for a column gap."""
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for ch in sorted(chars, key=lambda c: (-c[2], c[0])):
        if rows and abs(rows[-1][0][2] - ch[2]) <= max(1.0, ch[3] / 3):
            rows[-1].append(ch)
        else:
            rows.append([ch])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c[0])
        parts: list[str] = []
        prev = None
        for x0, x1, _, size, text in row:
            if prev is not None:
                gap = x0 - prev
                if gap > COLUMN_GAP * size:
                    parts.append("  ")
                elif gap > WORD_GAP * size:
                    parts.append(" ")
            parts.append(text)
            prev = x1
        lines.append("".join(parts).rstrip())
    return lines
