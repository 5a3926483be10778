"""The ``rapportlint import`` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_OK, EXIT_ERROR = 0, 2


@click.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Rapportfilen som skrives (standard: INPUT med .md).")
@click.option("--force", is_flag=True, help="Overskriv OUTPUT om den finnes.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Språk for sammendraget.")
def import_command(source: Path, output: Path | None, force: bool, lang: str) -> None:
    """Importer en rapport fra PDF-tekst (.txt), PDF (.pdf, krever rapportlint[pdf]) eller Word (.docx, krever rapportlint[word]) til rapportformatet."""
    from linter.atomic import write_atomic
    from linter.importer.convert import import_path
    from linter.importer.pdf import PdfUnavailable, PdfUnreadable
    from linter.parsing.errors import ReportInputError

    en = lang == "en"
    target = output or source.with_suffix(".md")
    from linter.atomic import same_file

    if target.resolve() == source.resolve() or same_file(target, source):  # also a hard link
        _fail("INPUT og OUTPUT er samme fil" if not en else "INPUT and OUTPUT are the same file")
    if target.exists() and not force:
        _fail(f"{target} finnes fra før; bruk --force for å overskrive" if not en
              else f"{target} already exists; use --force to overwrite")
    if not source.exists():
        _fail(f"{source}: filen finnes ikke" if not en else f"{source}: no such file")
    try:
        if source.suffix.lower() == ".docx":  # Word: read directly (the extra rapportlint[word])
            from linter.word.check import import_docx

            result = import_docx(source)
        else:
            result = import_path(source)
    except PdfUnavailable:
        _fail("PDF-støtte er ikke installert: installer den med «pip install 'rapportlint[pdf]'», "
              "eller gi en tekstfil (.txt) hentet ut av PDF-en" if not en else
              "PDF support is not installed: install it with «pip install 'rapportlint[pdf]'», "
              "or give a text file (.txt) extracted from the PDF")
    except PdfUnreadable as exc:
        _fail(f"{source}: kan ikke lese PDF-en ({exc})" if not en else f"{source}: cannot read the PDF ({exc})")
    except ReportInputError as exc:
        _fail(exc.message(lang) if hasattr(exc, "message") else str(exc))
    # The output must parse: a bug in the importer must not leave a file the linter rejects.
    from linter.parsing.builder import parse_report
    from linter.parsing.errors import ReportSyntaxError

    try:
        parse_report(result.text, str(target))
    except ReportSyntaxError as exc:
        _fail(("intern feil: importen ga en fil som ikke kan leses: " if not en
               else "internal error: the import produced a file that does not parse: ") + str(exc))
    try:
        write_atomic(target, result.text)
    except OSError as exc:
        _fail(f"{target}: kan ikke skrive ({exc.strerror})" if not en else f"{target}: cannot write ({exc.strerror})")
    click.echo(result.summary.render(lang), nl=False)
    click.echo(f"Skrev {target}" if not en else f"Wrote {target}")
    sys.exit(EXIT_OK)


def _fail(message: str) -> None:
    click.echo(f"rapportlint import: {message}", err=True)
    sys.exit(EXIT_ERROR)
