"""The command line: thin on purpose. It parses options, finds files, calls the engine and a
formatter, and turns the outcome into an exit code: 0 no error-level findings, 1 findings,
2 usage, input, parse or rule-pack error. It never shows a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from linter import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split_codes(values: tuple[str, ...]) -> list[str]:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def _lang_default() -> str:
    lang = os.environ.get("RAPPORTLINT_LANG", "nb")
    return lang if lang in ("nb", "en") else "nb"


def discover(paths: tuple[str, ...]) -> list[Path | str]:
    """Files named on the command line, and under directories every .md file that starts with
    front matter (so a README next to the reports is not taken for a report)."""
    found: list[Path | str] = []
    for name in paths:
        if name == "-":
            found.append("-")
            continue
        path = Path(name)
        if path.is_dir():
            for candidate in sorted(path.rglob("*.md")):
                if any(part.startswith(".") for part in candidate.relative_to(path).parts):
                    continue
                if not candidate.is_file():  # a directory or a pipe named *.md is no report
                    continue
                if _starts_with_front_matter(candidate):
                    found.append(candidate)
        else:
            found.append(path)
    return found


def _starts_with_front_matter(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return True  # let the engine report why it cannot be read
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"---")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rapportlint")
def cli() -> None:
    """rapportlint: kontroll av bydelenes årsberetninger og budsjetter mot byens mal."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="Utdataformat (html: én side for revisjonen, bruk gjerne med -o).")
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False, writable=True),
              help="Skriv resultatet til denne filen (atomisk) i stedet for standard ut.")
@click.option("--select", multiple=True, help="Regelkoder eller prefikser som skal kjøres (kommaseparert), f.eks. S,A201.")
@click.option("--ignore", multiple=True, help="Regelkoder eller prefikser som ikke skal kjøres.")
@click.option("--ruleset", help="Regelpakke (id som årsberetning-2024, eller sti til en .yaml-fil).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=_lang_default, show_default="nb",
              help="Språk for meldinger (også RAPPORTLINT_LANG).")
@click.option("--stdin-filename", default="<stdin>", help="Navnet som brukes for '-' (standard inn) i meldinger.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Største filstørrelse som leses (standard 50 MB).")
@click.option("--color/--no-color", default=None, help="Farger i tekstutdata (standard: når utdata er en terminal).")
@click.option("--no-source", is_flag=True, help="Ikke vis kildelinjen under hvert funn.")
@click.option("--fix", "apply_fix", is_flag=True, help="Rett det som kan rettes (skriver filene), og vis det som gjenstår.")
def check(paths, output_format, select, ignore, ruleset, lang, stdin_filename, max_bytes, color, no_source, output_file,
          apply_fix):
    """Kontroller rapporter (filer, mapper, eller - for standard inn)."""
    from linter.engine import CheckOptions, check_bytes, check_path
    from linter.packs import RulePackError, load_pack
    from linter.parsing.builder import DEFAULT_MAX_BYTES
    from linter.reporting import get_formatter
    from linter.rules.registry import select_rules, unknown_selectors

    selected, ignored = _split_codes(select), _split_codes(ignore)
    unknown = unknown_selectors(selected + ignored)
    if unknown:
        raise click.UsageError(
            f"ukjent regelkode: {', '.join(unknown)} (se `rapportlint rules`)" if lang == "nb"
            else f"unknown rule code: {', '.join(unknown)} (see `rapportlint rules`)"
        )
    if ruleset:
        try:
            load_pack(ruleset)
        except RulePackError as exc:
            click.echo(f"rapportlint: {'rule pack' if lang == 'en' else 'regelpakke'}: {exc.message(lang)}", err=True)
            sys.exit(EXIT_ERROR)
    options = CheckOptions(rules=select_rules(selected or None, ignored or None), ruleset=ruleset,
                           max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    files = discover(paths)
    if not files:
        click.echo("rapportlint: fant ingen rapporter (.md med front matter)" if lang == "nb"
                   else "rapportlint: no reports found (.md files with front matter)", err=True)
        sys.exit(EXIT_ERROR)
    results = []
    for item in files:
        if item == "-":
            # Never more than the limit + 1 bytes: the engine then refuses it as too large.
            results.append(check_bytes(sys.stdin.buffer.read(options.max_bytes + 1), stdin_filename, options))
        else:
            results.append(check_path(item, options))
    if apply_fix:
        results = _fix_files(results, files, options, lang)
    if color is None:
        color = output_format == "text" and not output_file and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    render = get_formatter(output_format)
    text = render(results, lang=lang, colour=color, show_source=not no_source)
    if output_file:
        _write_output(Path(output_file), text, lang)
    else:
        click.echo(text, nl=False)
    if any(r.failed for r in results):
        sys.exit(EXIT_ERROR)
    if any(f.severity.value == "error" for r in results for f in r.findings):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _fix_files(results, files, options, lang):
    """Apply the findings' fixes to the files (never to standard input), atomically, then check
    the fixed files again so what is shown is what remains."""
    from linter.engine import check_path
    from linter.fixes import apply_fixes, write_atomic

    fixed_total = 0
    out = []
    for result, item in zip(results, files):
        fixes = [f.fix for f in result.findings if f.fix is not None]
        if item == "-" or not fixes or result.report is None:
            out.append(result)
            continue
        text, applied = apply_fixes(result.report.source, fixes)
        write_atomic(item, text, bom=result.report.bom)
        fixed_total += applied
        out.append(check_path(item, options))
    click.echo(f"rapportlint: rettet {fixed_total} funn" if lang == "nb" else f"rapportlint: fixed {fixed_total} finding(s)",
               err=True)
    return out


def _write_output(path: Path, text: str, lang: str) -> None:
    from linter.fixes import write_atomic

    existed = path.exists()
    try:
        write_atomic(path, text)
        if not existed:  # a new file gets the usual permissions, not the temporary file's 0600
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(path, 0o666 & ~mask)
    except OSError as exc:
        click.echo(f"rapportlint: {'cannot write' if lang == 'en' else 'kan ikke skrive'} {path}: {exc.strerror or exc}",
                   err=True)
        sys.exit(EXIT_ERROR)


@cli.command("rules")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=_lang_default)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def list_rules(lang, output_format):
    """List alle regler med kode, navn, alvorlighet og kort beskrivelse."""
    from linter.rules.registry import all_rules

    rules = all_rules().values()
    if output_format == "json":
        import json

        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "family": r.family, "severity": r.severity.value,
             "summary": r.summary[1 if lang == "en" else 0], "fixable": r.fixable}
            for r in rules
        ], ensure_ascii=False, indent=2))
        return
    for rule in rules:
        summary = rule.summary[1 if lang == "en" else 0]
        fix = " [fix]" if rule.fixable else ""
        click.echo(f"{rule.code}  {rule.name:<34} {rule.severity.label(lang):<9} {summary}{fix}")


@cli.command("rule")
@click.argument("code")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=_lang_default)
def explain_rule(code, lang):
    """Forklar én regel: hvorfor, feil og riktig eksempel."""
    from linter.rules.registry import all_rules

    rules = all_rules()
    wanted = code.upper()
    rule = rules.get(wanted) or next((r for r in rules.values() if r.name == code.lower()), None)
    if rule is None:
        click.echo(f"rapportlint: ukjent regel «{code}» (se `rapportlint rules`)" if lang == "nb"
                   else f"rapportlint: unknown rule «{code}» (see `rapportlint rules`)", err=True)
        sys.exit(EXIT_ERROR)
    summary = rule.summary[1 if lang == "en" else 0]
    click.echo(f"{rule.code} ({rule.name}): {summary}")
    click.echo(f"{'Severity' if lang == 'en' else 'Alvorlighet'}: {rule.severity.label(lang)}"
               f"   {'Family' if lang == 'en' else 'Familie'}: {rule.family}"
               f"   {'Fixable' if lang == 'en' else 'Kan rettes'}: {('yes' if lang == 'en' else 'ja') if rule.fixable else ('no' if lang == 'en' else 'nei')}")
    click.echo("")
    click.echo(rule.doc())


@cli.command("schema")
@click.argument("name", type=click.Choice(["findings", "rulepack"]), default="findings")
def show_schema(name):
    """Skriv ut JSON Schema for --format json (findings) eller for regelpakker (rulepack)."""
    from linter.resources import schema_path

    click.echo(schema_path(f"{name}.schema.json").read_text(encoding="utf-8"), nl=False)


def main() -> None:
    """Entry point: run the click group; turn any unexpected exception into a message and exit 2."""
    try:
        cli.main(prog_name="rapportlint", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("rapportlint: avbrutt", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: no traceback for users
        click.echo(
            f"rapportlint: intern feil: {type(exc).__name__}: {exc}\n"
            "Dette er en feil i rapportlint; meld den gjerne med filen som utløste den.",
            err=True,
        )
        sys.exit(EXIT_ERROR)


from linter.importer.command import import_command as _import_command; cli.add_command(_import_command)  # noqa: E402,E702


if __name__ == "__main__":
    main()
