"""Checking a .docx: read it (package limits first), convert it in memory, run the normal engine
on the text, and give every finding the Word location of its span."""

from __future__ import annotations

from pathlib import Path

from linter.parsing.errors import ReportInputError


def read_converted(path: Path, shown: str, max_bytes: int, import_note: bool = False):
    """The document as report text with its source map (convert.Converted); ReportInputError
    for anything that is not a readable .docx within the limits, or without python-docx."""
    from linter.word.package import WordUnavailable, read_package, unavailable_error

    data = read_package(path, shown, max_bytes)
    try:
        from linter.word.convert import convert
        from linter.word.reader import load

        document = load(data)
    except WordUnavailable:
        raise unavailable_error(shown) from None
    except ReportInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many kinds for damaged parts
        raise ReportInputError(
            shown, f"Word-dokumentet kan ikke leses ({type(exc).__name__}: {str(exc)[:200]}); åpne det i Word og lagre det på nytt",
            f"the Word document cannot be read ({type(exc).__name__}: {str(exc)[:200]}); open it in Word and save it again",
        ) from None
    return convert(document, Path(shown).name, import_note=import_note)


def check_docx(path: Path, options, shown: str):
    from linter.engine import FileResult, check_text
    from linter.word.location import locate_findings

    try:
        converted = read_converted(path, shown, options.max_bytes)
    except ReportInputError as exc:
        exc.path = shown
        return FileResult(shown, input_error=exc)
    result = check_text(converted.text, shown, options, path=None)
    result.source_map = converted.source_map
    for finding in result.findings:
        finding.fix = None  # a fix edits the converted text, and rapportlint does not write Word files
    locate_findings(result.findings, converted.source_map)
    locate_findings(result.suppressed, converted.source_map)
    return result


class _Summary:
    def __init__(self, source: str, converted):
        self.source = source
        self.c = converted

    def render(self, lang: str = "nb") -> str:
        c, en = self.c, lang == "en"
        meta = f"{c.kind or '?'} {c.district or '?'} {c.year or '?'}" + (f" ({'template' if en else 'mal'} {c.template})"
                                                                       if c.template else "")
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(c.tables_by_type.items()))
        lines = [
            f"{'Imported' if en else 'Importerte'} {self.source} (Word): {meta}",
            f"  {'sections' if en else 'seksjoner'}: {c.sections}",
            f"  {'tables' if en else 'tabeller'}: {c.tables}"
            + (f"; {c.inferred_tables} {'typed from their headers' if en else 'med type gjettet fra overskriftene'}"
               + (f" ({kinds})" if kinds else "") if c.inferred_tables else ""),
        ]
        if c.changes:
            lines.append(f"  {'tracked changes (read as accepted, rule M107)' if en else 'sporede endringer (lest som godtatt, regel M107)'}"
                         f": {c.changes}")
        if c.notes:
            lines.append(f"  {'footnotes' if en else 'fotnoter'}: {c.notes}")
        return "\n".join(lines) + "\n"


class _Imported:
    def __init__(self, text: str, summary: _Summary):
        self.text = text
        self.summary = summary


def import_docx(source: Path, max_bytes: int | None = None):
    """`rapportlint import rapport.docx`: the report text and a summary (like ImportResult)."""
    from linter.parsing.builder import DEFAULT_MAX_BYTES

    converted = read_converted(source, str(source), max_bytes or DEFAULT_MAX_BYTES, import_note=True)
    return _Imported(converted.text, _Summary(source.name, converted))
