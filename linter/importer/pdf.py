"""Text from a PDF, with the optional extra ``rapportlint[pdf]`` (pdfminer.six), imported lazily."""

from __future__ import annotations

from pathlib import Path


class PdfUnavailable(Exception):
    """The PDF extra is not installed."""


class PdfUnreadable(Exception):
    """The file is not a PDF that can be read."""


def extract_pdf_text(path: Path) -> str:
    """The PDF's text page by page, keeping the layout's line breaks; pages separated by a
    form feed (which the importer's clean-up treats as a line break)."""
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.layout import LAParams
    except ImportError:
        raise PdfUnavailable() from None
    try:
        return extract_text(str(path), laparams=LAParams(line_margin=0.3, char_margin=2.0))
    except Exception as exc:  # pdfminer raises many kinds for damaged or encrypted files
        raise PdfUnreadable(f"{type(exc).__name__}: {exc}") from None
