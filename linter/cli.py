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
PROGRESS_MIN_FILES = 20  # fewer files finish before a bar would be worth drawing
# The names of the output formats (linter/reporting/__init__.py FORMATS), without importing it.
FORMAT_NAMES = ("text", "concise", "json", "jsonl", "sarif", "github", "gitlab", "junit", "html")


def _split_codes(values: tuple[str, ...]) -> list[str]:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def _env_lang() -> str | None:
    lang = os.environ.get("RAPPORTLINT_LANG")
    return lang if lang in ("nb", "en") else None


def _lang_default() -> str:
    return _env_lang() or "nb"


def _fail(message: str) -> None:
    click.echo(f"rapportlint: {message}", err=True)
    sys.exit(EXIT_ERROR)


# The commands that live in modules of their own, one line each: name -> ("module:attribute",
# the short help for `rapportlint --help`). The module is imported only when the command runs
# or its own --help is asked for; the list in `rapportlint --help` imports none of them.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "import": ("linter.importer.command:import_command",
               "Importer en rapport fra PDF-tekst (.txt), PDF (.pdf) eller Word (.docx) til rapportformatet."),
    "daemon": ("linter.daemon_command:daemon_command",
               "Den varme bakgrunnsprosessen som gjør `check` rask: start, stopp, status (se docs/daemon.md)."),
    "server": ("linter.lsp.command:server_command",
               "Start språkserveren (LSP) for redigeringsprogrammer: funn mens du skriver (krever rapportlint[lsp])."),
}


class LazyGroup(click.Group):
    """A click group whose LAZY_COMMANDS are imported when they are used."""

    english_help = False  # set by main() for --help in English (linter/help_en.py)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            from importlib import import_module

            module, _, attribute = LAZY_COMMANDS[cmd_name][0].partition(":")
            command = getattr(import_module(module), attribute)
            self.add_command(command, cmd_name)
            from linter import help_en

            help_en.apply_to(cmd_name, command, self.english_help)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from linter import help_en

        rows = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name)
            if command is not None and command.hidden:
                continue
            if command is None:  # shortened as click shortens the others
                command = click.Command(name, help=help_en.COMMANDS.get(name) if self.english_help else None)
                command.help = command.help or LAZY_COMMANDS[name][1]
            rows.append((name, command.get_short_help_str(formatter.width - 6 - max(map(len, self.list_commands(ctx))))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rapportlint")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=None, expose_value=False, is_eager=True,
              callback=lambda ctx, param, value: os.environ.__setitem__("RAPPORTLINT_LANG", value) if value else None,
              help="Språk for alle kommandoene (som RAPPORTLINT_LANG).")
def cli() -> None:
    """rapportlint: kontroll av bydelenes årsberetninger og budsjetter mot byens mal."""


@cli.command()
@click.argument("paths", nargs=-1, required=False)
@click.option("--format", "output_format", type=click.Choice(list(FORMAT_NAMES)), default=None,
              help="Utdataformat (standard: text, eller «format» i konfigurasjonen; html: én side for revisjonen, "
                   "bruk gjerne med -o).")
@click.option("--select", multiple=True, help="Regelkoder eller prefikser som skal kjøres (kommaseparert), f.eks. S,A201.")
@click.option("--extend-select", multiple=True, help="Regelkoder som legges til utvalget i konfigurasjonen.")
@click.option("--ignore", multiple=True, help="Regelkoder eller prefikser som ikke skal kjøres.")
@click.option("--ruleset", help="Regelpakke (id som årsberetning-2024, eller sti til en .yaml-fil).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=None, show_default="nb",
              help="Språk for meldinger (også RAPPORTLINT_LANG eller «lang» i konfigurasjonen).")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default=None,
              help="Laveste alvorlighet som gir exit-kode 1 (standard: error).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Bruk denne konfigurasjonsfilen for alle filer (i stedet for å lete oppover).")
@click.option("--isolated", is_flag=True, help="Ikke les noen konfigurasjonsfil.")
@click.option("--audit", is_flag=True, help="Ikke bruk undertrykkelser; vis alle funn og list hver undertrykkelse med begrunnelse.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Vis bare funn som ikke står i denne baseline-filen.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Skriv dagens funn til en baseline-fil og avslutt med 0.")
@click.option("--statistics", is_flag=True, help="Vis antall funn per regel i stedet for hvert funn.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
              help="Antall parallelle prosesser (0: én per CPU; standard 1).")
@click.option("--reports-only", is_flag=True,
              help="Kontroller bare navngitte filer som er rapporter etter include/exclude (for pre-commit); "
                   "de andre listes med grunn.")
@click.option("--min-severity", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Vis bare funn med minst denne alvorligheten (de andre telles i sammendraget).")
@click.option("-q", "--quiet", is_flag=True, help="Bare feil: som --min-severity error, og ingen liste over filer som ikke ble kontrollert.")
@click.option("--show-fixes", is_flag=True, help="Vis hva --fix ville endret under hvert funn som kan rettes.")
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Skriv resultatet til denne filen (atomisk) i stedet for standard ut.")
@click.option("--stdin-filename", default="<stdin>", help="Navnet som brukes for '-' (standard inn) i meldinger.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Største filstørrelse som leses (standard 50 MB).")
@click.option("--color/--no-color", default=None, help="Farger i tekstutdata (standard: når utdata er en terminal).")
@click.option("--no-source", is_flag=True, help="Ikke vis kildelinjen under hvert funn.")
@click.option("--fix", "apply_fix", is_flag=True, help="Rett det som kan rettes (skriver filene), og vis det som gjenstår.")
@click.option("--unsafe-fixes", is_flag=True,
              help="Med --fix eller --diff: rett også tall som er utledet av de andre (A201-A203, «skal trolig være»).")
@click.option("--diff", "show_diff", is_flag=True, help="Vis hva --fix ville endret (unified diff), uten å skrive noe.")
@click.option("--debug", is_flag=True, help="Vis hele sporingen (traceback) ved interne feil (også RAPPORTLINT_DEBUG=1).")
@click.option("--no-cache", is_flag=True, help="Ikke bruk resultatbufferen (kontroller på nytt selv om ingenting er endret).")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Mappen for bufferen (også RAPPORTLINT_CACHE_DIR eller «cache-dir» i konfigurasjonen).")
def check(paths, output_format, select, extend_select, ignore, ruleset, lang, fail_on, config_file, isolated, audit,
          baseline_file, write_baseline_file, statistics, jobs, reports_only, output_file, stdin_filename, max_bytes,
          color, no_source, apply_fix, unsafe_fixes, show_diff, debug, min_severity, quiet, show_fixes, no_cache,
          cache_dir):
    """Kontroller rapporter (filer, mapper, eller - for standard inn; uten PATHS: mappen her)."""
    from linter import config as configuration
    from linter.engine import CheckOptions, check_many
    from linter.packs import RulePackError, load_pack
    from linter.parsing.builder import DEFAULT_MAX_BYTES
    from linter.reporting import Run, formatter_module
    from linter.rules.registry import load_problems, select_rules, unknown_selectors

    from linter import results_cache

    debug = debug or _debug_from_env()
    if cache_dir:
        os.environ["RAPPORTLINT_CACHE_DIR"] = os.path.abspath(cache_dir)  # every cache, also in worker processes
    # 1. The run's settings: command line, else the configuration found from here, else defaults.
    lang = lang or _env_lang()
    try:
        run_config = configuration.config_for(None, config_file, isolated)
    except configuration.ConfigError as exc:
        _fail(exc.message(lang or "nb"))
    lang = lang or run_config.lang or "nb"
    if run_config.cache_dir and not cache_dir and "RAPPORTLINT_CACHE_DIR" not in os.environ:
        os.environ["RAPPORTLINT_CACHE_DIR"] = run_config.cache_dir
        results_cache.use_dir(run_config.cache_dir)  # replays a valid entry there
    if run_config.docs_url and not os.environ.get("RAPPORTLINT_DOCS_URL"):
        os.environ["RAPPORTLINT_DOCS_URL"] = run_config.docs_url  # the links in findings (workers inherit it)
    plugin_problems = _report_load_problems(load_problems(), lang)
    output_format = output_format or run_config.format or "text"
    fail_on = fail_on or run_config.fail_on or "error"
    jobs = jobs if jobs is not None else (run_config.jobs if run_config.jobs is not None else 1)
    jobs = jobs or os.cpu_count() or 1
    unsafe_fixes = unsafe_fixes or run_config.unsafe_fixes  # `unsafe-fixes = true` in the configuration
    overrides = configuration.Overrides(_split_codes(select), _split_codes(extend_select), _split_codes(ignore), ruleset)
    unknown = unknown_selectors(overrides.select + overrides.extend_select + overrides.ignore)
    if unknown:
        raise click.UsageError(
            f"ukjent regelkode: {', '.join(unknown)} (se `rapportlint rules`)" if lang == "nb"
            else f"unknown rule code: {', '.join(unknown)} (see `rapportlint rules`)"
        )
    if statistics and output_format not in ("text", "concise", "json"):
        raise click.UsageError("--statistics works with --format text, concise or json" if lang == "en"
                               else "--statistics virker med --format text, concise eller json")
    if ruleset:
        try:
            load_pack(ruleset)
        except RulePackError as exc:
            _fail(f"{'rule pack' if lang == 'en' else 'regelpakke'}: {exc.message(lang)}")

    formatter = formatter_module(output_format)
    # With workers, a format that draws from the model (the HTML page) does its part of each file
    # in the worker instead of having the model sent back.
    prepare = None
    if jobs > 1 and not apply_fix and not statistics and getattr(formatter, "prepare", None) is not None:
        from functools import partial

        prepare = partial(formatter.prepare, lang=lang)

    # 2. The files, each with the options of its nearest configuration.
    def config_of(path: Path | None):
        return configuration.config_for(path, config_file, isolated)

    from linter.discovery import discover

    try:
        found = discover(paths or (".",), config_of, reports_only=reports_only)
        files = found.files
        items = []
        shared: dict[tuple, CheckOptions] = {}
        for item in files:
            path = None if item == "-" else item
            file_config = config_of(path)
            chosen, ignored = configuration.selection_for(file_config, path, overrides)
            key = (id(file_config), tuple(chosen or ()), chosen is None, tuple(ignored))
            if key not in shared:
                shared[key] = CheckOptions(
                    rules=select_rules(chosen, ignored or None), ruleset=ruleset or file_config.ruleset,
                    max_bytes=max_bytes or DEFAULT_MAX_BYTES, severity=file_config.severity, audit=audit,
                    keep_report=jobs <= 1 or apply_fix or (getattr(formatter, "NEEDS_REPORT", False) and not prepare),
                    prepare=prepare,
                    settings={"M105": {"ekstra_bydeler": file_config.districts}} if file_config.districts else {})
            items.append((item, shared[key]))
    except configuration.ConfigError as exc:
        _fail(exc.message(lang))
    if not quiet:
        _print_skipped(found.skipped, lang)
    if not files:
        if reports_only:
            sys.exit(EXIT_OK)  # pre-commit passed only files that are not reports (listed above)
        _fail("fant ingen rapporter (filer etter include/exclude i konfigurasjonen, standard *.md)" if lang == "nb"
              else "no reports found (files by include/exclude in the configuration, default *.md)")
    _refuse_output_over_input(files, baseline_file, output_file, write_baseline_file, lang)
    if apply_fix or show_diff:
        _refuse_fixing_word(files, lang)

    # 3. Check them (in parallel with --jobs), then the baseline.
    def read_stdin():
        # Never more than the limit + 1 bytes: the engine then refuses it as too large.
        return sys.stdin.buffer.read((max_bytes or DEFAULT_MAX_BYTES) + 1), stdin_filename

    import gc

    if not gc.isenabled():  # off while starting up (linter/entry.py)
        gc.freeze()
        gc.enable()
    results = _check_with_progress(check_many, items, jobs, read_stdin, lang)
    if debug:
        for result in results:
            for trace in result.tracebacks:
                click.echo(f"rapportlint: {result.path}:\n{trace}", err=True)
    if show_diff:
        sys.exit(_show_diff(results, unsafe_fixes, lang) if not plugin_problems else EXIT_ERROR)
    write_failed = False
    if apply_fix:
        results, write_failed = _fix_files(results, items, unsafe_fixes, lang)
    from linter.facts.crossdoc import finish_run

    finish_run(results, [options for _, options in items])  # facts across the run's documents (D702)
    _locate_in_word(results)
    run = Run(results, audit=audit, fail_on=fail_on)
    run.extra["skipped"] = found.skipped
    run.extra["show_fixes"] = show_fixes
    if quiet and min_severity is None:
        min_severity = "error"
    if min_severity:
        run.extra["hidden"] = _hide_below(results, min_severity)
    if write_baseline_file is not None:
        _write_baseline(results, write_baseline_file, lang)
    if baseline_file is not None:
        from linter import baseline

        try:
            run.baseline = baseline.apply(results, baseline_file, baseline.load(baseline_file))
        except baseline.BaselineError as exc:
            _fail(exc.message(lang))

    # 4. Output and exit code.
    if color is None:
        color = (output_format == "text" and output_file is None and sys.stdout.isatty()
                 and "NO_COLOR" not in os.environ)
    if statistics:
        from linter.reporting.statistics import render as render_statistics

        text = render_statistics(run, lang=lang, as_json=output_format == "json")
    else:
        text = formatter.render(run, lang=lang, colour=color, show_source=not no_source)
    if output_file is not None:
        _write_output(output_file, text, lang)
        shown = sum(len(r.findings) for r in results)
        click.echo(f"rapportlint: wrote {output_format} for {len(results)} file(s), {shown} finding(s), to {output_file}"
                   if lang == "en" else
                   f"rapportlint: skrev {output_format} for {len(results)} fil(er), {shown} funn, til {output_file}",
                   err=True)
    else:
        click.echo(text, nl=False, color=bool(color))  # click would strip the colours when piped
    if results_cache.recording() and not (plugin_problems or apply_fix or show_diff or output_file or write_baseline_file):
        _approve_for_cache(paths, files, results, jobs, output_format, config_file, isolated, baseline_file)
    sys.exit(EXIT_ERROR if plugin_problems or write_failed else exit_code(run))


def _approve_for_cache(paths, files, results, jobs, output_format, config_file, isolated, baseline_file) -> None:
    """Let the results cache store this run (linter/results_cache.py), with every file it
    depended on; only when each argument is a plain file (a directory's listing can change) and
    the output does not carry the time (the HTML page, unless SOURCE_DATE_EPOCH fixes it)."""
    from linter import packs, results_cache

    if not paths or not all(p != "-" and os.path.isfile(p) for p in paths):
        return
    if output_format == "html" and "SOURCE_DATE_EPOCH" not in os.environ:
        return
    if len(files) >= PROGRESS_MIN_FILES and sys.stderr.isatty():
        return  # the progress bar is drawn on standard error
    known = {pack_id: path for pack_id, path in packs.available_packs().items()}
    pack_files = [str(path) for path in known.values()] + [str(path) for path in packs.loaded_files]
    loaded_ids = set(known) | set(packs.loaded_ids)
    if any(r.pack_id and r.pack_id not in loaded_ids for r in results):
        return  # a pack read by a worker process from a path we do not know
    deps = [str(p) for p in paths] + [str(f) for f in files] + pack_files
    if config_file is not None:
        deps.append(str(config_file))
    elif not isolated:
        deps += results_cache.config_candidates([str(f) for f in files])
    if baseline_file is not None:
        deps.append(str(baseline_file))
    results_cache.approve([os.path.abspath(d) for d in deps])


def _debug_from_env() -> bool:
    return os.environ.get("RAPPORTLINT_DEBUG", "") not in ("", "0")


def _report_load_problems(problems, lang: str) -> bool:
    """Say on standard error which plug-ins could not be used; True when there were any."""
    for nb, en in problems:
        click.echo(f"rapportlint: {en if lang == 'en' else nb}", err=True)
    return bool(problems)


def _refuse_output_over_input(files, baseline_file, output_file, write_baseline_file, lang: str) -> None:
    """-o and --write-baseline must not replace a report being checked (or the baseline being
    read): not by name, nor through a symbolic or a hard link."""
    from linter.atomic import same_file
    from linter.engine import printable_name

    inputs = [f for f in files if f != "-"] + ([baseline_file] if baseline_file is not None else [])
    for option, target in (("-o", output_file), ("--write-baseline", write_baseline_file)):
        if target is None or not os.path.lexists(target):
            continue
        clash = next((f for f in inputs if same_file(f, target)), None)
        if clash is not None:
            target, clash = printable_name(str(target)), printable_name(str(clash))
            _fail(f"{option} {target} er {clash}, en av filene som leses; den ville blitt overskrevet. Velg en annen fil"
                  if lang == "nb" else
                  f"{option} {target} is {clash}, one of the files being read; it would be overwritten. Choose another file")


def _refuse_fixing_word(files, lang: str) -> None:
    """--fix and --diff edit the report text; a Word document is never rewritten (nothing is written)."""
    word = [str(f) for f in files if f != "-" and Path(f).suffix.lower() == ".docx"]
    if word:
        _fail(f"--fix og --diff retter bare rapporter i tekstformatet, ikke Word-dokumenter ({', '.join(word)}); "
              "ingenting er skrevet. Rett i Word, eller gjør dokumentet om med `rapportlint import` og rett i .md-filen"
              if lang == "nb" else
              f"--fix and --diff only fix reports in the text format, not Word documents ({', '.join(word)}); "
              "nothing was written. Fix it in Word, or convert it with `rapportlint import` and fix the .md file")


def _locate_in_word(results) -> None:
    """Findings added after the per-file pass (D702) get their place in a Word draft too."""
    for result in results:
        if result.source_map is not None:
            from linter.word.location import locate_findings

            locate_findings(result.findings, result.source_map)


def _print_skipped(skipped, lang: str) -> None:
    """Every file that was passed by, with its reason, on standard error (never in silence)."""
    for item in skipped:
        click.echo(f"{item.path}: {'not checked' if lang == 'en' else 'ikke kontrollert'}: {item.reason(lang)}", err=True)


def _hide_below(results, min_severity: str) -> dict[str, int]:
    """Drop findings below ``min_severity`` from the results; the counts of what was hidden."""
    from collections import Counter

    from linter.rules.base import Severity

    floor = Severity(min_severity).rank
    hidden: Counter = Counter()
    for result in results:
        kept = []
        for finding in result.findings:
            if finding.severity.rank >= floor:
                kept.append(finding)
            else:
                hidden[finding.severity.value] += 1
        result.findings = kept
    return dict(hidden)


def exit_code(run) -> int:
    if any(r.failed or r.internal_errors for r in run.results):
        return EXIT_ERROR
    threshold = 2 if run.fail_on == "warning" else 3
    if any(f.severity.rank >= threshold for r in run.results for f in r.findings):
        return EXIT_FINDINGS
    hidden = run.extra.get("hidden") or {}  # --min-severity hides findings; it does not pass them
    if hidden.get("error") or (threshold == 2 and hidden.get("warning")):
        return EXIT_FINDINGS
    return EXIT_OK


def _check_with_progress(check_many, items, jobs, read_stdin, lang):
    """A progress bar on standard error, only when it is a terminal and there are many files."""
    if len(items) < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return check_many(items, jobs=jobs, stdin=read_stdin)
    label = "Checking" if lang == "en" else "Kontrollerer"
    with click.progressbar(length=len(items), label=label, file=sys.stderr) as bar:
        return check_many(items, jobs=jobs, stdin=read_stdin, progress=bar.update)


def _write_baseline(results, path: Path, lang: str) -> None:
    from linter import baseline

    if any(r.failed or r.internal_errors for r in results):
        from linter.reporting.text import failure_lines

        for result in results:
            for line in failure_lines(result, lang):
                click.echo(line, err=True)
            for finding in result.internal_errors:
                click.echo(f"{result.path}: {finding.message(lang)}", err=True)
        _fail("baseline not written: some files could not be checked" if lang == "en"
              else "baseline ikke skrevet: noen filer kunne ikke kontrolleres")
    try:
        count = baseline.write(results, path)
    except OSError as exc:
        _fail(f"{path}: {exc.strerror}")
    click.echo(f"rapportlint: wrote {count} finding(s) to {path}" if lang == "en"
               else f"rapportlint: skrev {count} funn til {path}")
    sys.exit(EXIT_OK)


def _fix_files(results, items, unsafe: bool, lang: str):
    """Apply the findings' fixes to the files (never to standard input), atomically, then check
    the fixed files again so what is shown is what remains. Returns the results and whether a
    file could not be written."""
    from linter.atomic import ReadOnlyFileError, write_atomic
    from linter.engine import check_path
    from linter.fixes import apply_fixes, chosen_fixes

    fixed_total = left_out = 0
    failed = False
    out = []
    for result, (item, options) in zip(results, items):
        fixes, unsafe_left = chosen_fixes(result.findings, unsafe)
        left_out += unsafe_left
        if item == "-" or not fixes or result.report is None:
            out.append(result)
            continue
        text, applied = apply_fixes(result.report.source, fixes)
        shown = result.path  # printable even when the file name is not UTF-8
        try:
            write_atomic(item, text, bom=result.report.bom)
        except ReadOnlyFileError:
            click.echo(f"rapportlint: {shown}: the file is read-only; --fix leaves it unchanged (make it writable, "
                       "e.g. chmod u+w, or run without --fix)" if lang == "en" else
                       f"rapportlint: {shown}: filen er skrivebeskyttet; --fix endrer den ikke (gjør den skrivbar, "
                       "f.eks. chmod u+w, eller kjør uten --fix)", err=True)
            failed = True
            out.append(result)
            continue
        except OSError as exc:
            click.echo(f"rapportlint: {shown}: {'cannot write' if lang == 'en' else 'kan ikke skrive'} "
                       f"({exc.strerror or exc}); {'the file is unchanged' if lang == 'en' else 'filen er uendret'}",
                       err=True)
            failed = True
            out.append(result)
            continue
        fixed_total += applied
        out.append(check_path(item, options))
    click.echo(f"rapportlint: rettet {fixed_total} funn" if lang == "nb" else f"rapportlint: fixed {fixed_total} finding(s)",
               err=True)
    if left_out:
        click.echo(f"rapportlint: {left_out} unsafe fix(es) not applied: they change financial figures "
                   "(use --unsafe-fixes after checking them with --diff --unsafe-fixes)" if lang == "en" else
                   f"rapportlint: {left_out} usikre rettinger er ikke gjort: de endrer økonomiske tall "
                   "(bruk --unsafe-fixes etter å ha sett dem med --diff --unsafe-fixes)", err=True)
    return out, failed


def _show_diff(results, unsafe: bool, lang: str) -> int:
    """--diff: print what --fix would change; write nothing. Exit 1 when something would change."""
    from linter.fixes import apply_fixes, chosen_fixes, unified_diff

    changed = left_out = 0
    failed = False
    for result in results:
        failed = failed or result.failed or bool(result.internal_errors)
        fixes, unsafe_left = chosen_fixes(result.findings, unsafe)
        left_out += unsafe_left
        if not fixes or result.report is None:
            continue
        text, _ = apply_fixes(result.report.source, fixes)
        if text != result.report.source:
            changed += 1
            click.echo(unified_diff(result.path, result.report.source, text), nl=False)
    if left_out:
        click.echo(f"rapportlint: {left_out} unsafe fix(es) not shown (add --unsafe-fixes)" if lang == "en" else
                   f"rapportlint: {left_out} usikre rettinger er ikke vist (legg til --unsafe-fixes)", err=True)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if changed else EXIT_OK


def _write_output(path: Path, text: str, lang: str) -> None:
    from linter.atomic import ReadOnlyFileError, write_atomic

    try:
        write_atomic(path, text)
    except ReadOnlyFileError:
        _fail(f"{path}: the file is read-only; not overwritten" if lang == "en"
              else f"{path}: filen er skrivebeskyttet; den er ikke overskrevet")
    except OSError as exc:
        click.echo(f"rapportlint: {'cannot write' if lang == 'en' else 'kan ikke skrive'} {path}: {exc.strerror or exc}",
                   err=True)
        sys.exit(EXIT_ERROR)


@cli.command("facts")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="csv: semikolon og UTF-8 med BOM (Excel med norsk oppsett); json: linter/schemas/facts.schema.json.")
@click.option("--ruleset", help="Regelpakke (id eller sti) i stedet for den rapporten velger.")
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Skriv til fil (erstattes atomisk) i stedet for standard ut.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=None, show_default="nb")
def facts_command(paths, output_format, ruleset, output_file, lang):
    """Skriv alle tall i rapportene som fakta i langt format (CSV eller JSON)."""
    from linter.engine import choose_pack
    from linter.facts.export import to_csv, to_json
    from linter.facts.extract import extract
    from linter.facts.taxonomy import taxonomy_for
    from linter.packs import RulePackError
    from linter.parsing.builder import DEFAULT_MAX_BYTES, parse_report, read_report_file
    from linter.parsing.errors import ReportInputError, ReportSyntaxError

    from linter import config as configuration
    from linter.discovery import discover

    lang = lang or _env_lang() or "nb"
    try:
        found = discover(paths, lambda path: configuration.config_for(path))
    except configuration.ConfigError as exc:
        _fail(exc.message(lang))
    files = [f for f in found.files if f != "-"]
    if not files:
        _fail("fant ingen rapporter (.md med front matter)" if lang == "nb" else "no reports found (.md files with front matter)")
    collected, failed = [], False
    for path in files:
        try:
            if Path(path).suffix.lower() == ".docx":  # a Word draft: the text its check reads
                from linter.word.check import read_converted

                report = parse_report(read_converted(Path(path), str(path), DEFAULT_MAX_BYTES).text, str(path))
            else:
                report = parse_report(read_report_file(path, DEFAULT_MAX_BYTES), str(path), path)
            pack, _ = choose_pack(report, ruleset)
        except (ReportInputError, ReportSyntaxError) as exc:
            click.echo(f"rapportlint: {path}: {exc.message(lang) if hasattr(exc, 'message') else exc}", err=True)
            failed = True
            continue
        except RulePackError as exc:
            click.echo(f"rapportlint: {exc.message(lang)}", err=True)
            failed = True
            continue
        taxonomy = taxonomy_for(pack)
        if taxonomy is None:
            click.echo(f"rapportlint: {path}: " + ("ingen taksonomi (fakta:) i regelpakken; ingen fakta skrevet" if lang == "nb"
                                                  else "no taxonomy (fakta:) in the rule pack; no facts written"), err=True)
            failed = True
            continue
        collected.extend(extract(report, taxonomy))
    text = to_csv(collected) if output_format == "csv" else to_json(collected)
    if output_file is not None:
        _write_output(output_file, text, lang)
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    sys.exit(EXIT_ERROR if failed else EXIT_OK)


@cli.command("rules")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=_lang_default)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def list_rules(lang, output_format):
    """List alle regler med kode, navn, alvorlighet og kort beskrivelse."""
    from linter.rules.registry import all_rules, load_problems

    rules = all_rules().values()
    broken = _report_load_problems(load_problems(), lang)
    if output_format == "json":
        import json

        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "family": r.family, "severity": r.severity.value,
             "summary": r.summary[1 if lang == "en" else 0], "fixable": r.fixable}
            for r in rules
        ], ensure_ascii=False, indent=2))
        sys.exit(EXIT_ERROR if broken else EXIT_OK)
    for rule in rules:
        summary = rule.summary[1 if lang == "en" else 0]
        fix = " [fix]" if rule.fixable else ""
        click.echo(f"{rule.code}  {rule.name:<34} {rule.severity.label(lang):<9} {summary}{fix}")
    if broken:
        sys.exit(EXIT_ERROR)


@cli.command("rule")
@click.argument("code")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=_lang_default)
def explain_rule(code, lang):
    """Forklar én regel: hvorfor, feil og riktig eksempel."""
    from linter.rules.base import docs_url
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
    if rule.severity_varies:
        click.echo(f"{'Severity varies' if lang == 'en' else 'Alvorligheten varierer'}: "
                   f"{rule.severity_varies[1 if lang == 'en' else 0]}")
    from linter.resources import rule_page

    page = rule_page(rule.code)
    click.echo(f"{'Documentation' if lang == 'en' else 'Dokumentasjon'}: {docs_url(rule.code)}")
    if page is not None:
        click.echo(f"{'Offline' if lang == 'en' else 'Uten nett'}: {page}")
    click.echo("")
    click.echo(rule.doc())


@cli.command("config")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Vis denne konfigurasjonsfilen i stedet for den som gjelder for PATH.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=_lang_default)
def show_config(path, config_file, output_format, lang):
    """Vis konfigurasjonen som gjelder for PATH (en rapport eller mappe; standard: her)."""
    from linter import config as configuration

    try:
        found = configuration.config_for(path, config_file)
    except configuration.ConfigError as exc:
        _fail(exc.message(lang))
    values = configuration.effective(found, path, configuration.Overrides())
    source = str(found.path) if found.path else None
    if output_format == "json":
        import json

        click.echo(json.dumps({"source": source, "config": values}, ensure_ascii=False, indent=2))
        return
    if source:
        click.echo(f"# {'from' if lang == 'en' else 'fra'} {source}")
    else:
        click.echo("# no configuration file found: defaults" if lang == "en"
                   else "# ingen konfigurasjonsfil funnet: standardverdier")
    click.echo(_toml(values))


def _toml(values: dict) -> str:
    """The effective configuration as TOML (flat values first, then tables)."""
    import json

    def value(v):
        if v is None:
            return '""'
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        return json.dumps(v, ensure_ascii=False)

    flat = [f"{k} = {value(v)}" for k, v in values.items() if not isinstance(v, dict) and v is not None]
    unset = [f"# {k} = (ikke satt)" for k, v in values.items() if v is None]
    tables = []
    for key, table in values.items():
        if isinstance(table, dict):
            tables.append(f"\n[{key}]")
            tables.extend(f"{json.dumps(k, ensure_ascii=False)} = {value(v)}" for k, v in table.items())
    return "\n".join(flat + unset + tables)


@cli.command("init")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--remote", is_flag=True,
              help="Kroken henter rapportlint fra et publisert repo og en tag (i stedet for den som er installert her).")
@click.option("--repo", "repository", default=None, help="Repoet for --remote (standard: rapportlints eget).")
@click.option("--rev", default=None, help="Taggen for --remote (standard: v<versjonen som er installert>).")
@click.option("--local", is_flag=True, hidden=True)  # the default now; kept for old scripts
@click.option("--lang", type=click.Choice(["nb", "en"]), default=_lang_default)
def init_repository(directory, remote, repository, rev, local, lang):
    """Lag .rapportlint.toml og .pre-commit-config.yaml i et rapportrepo (eksisterende filer endres ikke)."""
    from linter.scaffold import hook_snippet, init

    if not directory.is_dir():
        _fail(f"{directory}: {'no such directory' if lang == 'en' else 'mappen finnes ikke'}")
    try:
        outcome = init(directory, remote=remote, repository=repository, rev=rev)
    except OSError as exc:
        _fail(f"{directory}: {exc.strerror}")
    hook_written = True
    for name, written in outcome:
        target = directory / name
        if written:
            click.echo(f"{'wrote' if lang == 'en' else 'skrev'} {target}")
        else:
            click.echo(f"{target} {'exists, left unchanged' if lang == 'en' else 'finnes allerede, ikke endret'}")
            if name == ".pre-commit-config.yaml":
                hook_written = False
    if not hook_written:
        click.echo("")
        click.echo(f"Add this under «repos:» in {directory / '.pre-commit-config.yaml'}:" if lang == "en"
                   else f"Legg dette til under «repos:» i {directory / '.pre-commit-config.yaml'}:")
        click.echo("")
        click.echo(hook_snippet(remote, repository, rev), nl=False)
        click.echo("")
    if remote:
        click.echo("Then: pre-commit install" if lang == "en" else "Så: pre-commit install")
    else:
        click.echo("Then: pre-commit install (the hook runs the rapportlint on PATH when you commit: "
                   "activate the environment it is installed in)" if lang == "en" else
                   "Så: pre-commit install (kroken kjører rapportlint fra PATH når du committer: "
                   "aktiver miljøet den er installert i)")


@cli.command("new")
@click.option("--mal", "pack_name", required=True, help="Regelpakken rapporten skal følge (f.eks. årsberetning-2024).")
@click.option("--bydel", required=True, help="Bydelens navn, uten «Bydel» (f.eks. Sagene).")
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Filen som skrives (finnes den, endres den ikke); uten -o: standard ut.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default=_lang_default)
def new_report(pack_name, bydel, output_file, lang):
    """Lag et rapportskjelett fra regelpakken: alle påkrevde seksjoner, sjekklister og tabeller."""
    from linter.packs import RulePackError, load_pack
    from linter.scaffold import skeleton, write_new

    try:
        pack = load_pack(pack_name)
    except RulePackError as exc:
        _fail(f"{'rule pack' if lang == 'en' else 'regelpakke'}: {exc.message(lang)}")
    text = skeleton(pack, bydel.strip())
    if output_file is None:
        click.echo(text, nl=False)
        return
    try:
        written = write_new(output_file, text)
    except OSError as exc:
        _fail(f"{output_file}: {exc.strerror}")
    if not written:
        _fail(f"{output_file} exists, left unchanged (choose another name)" if lang == "en"
              else f"{output_file} finnes allerede, ikke endret (velg et annet navn)")
    sections = sum(1 for line in text.splitlines() if line.startswith("#"))
    tables = sum(1 for line in text.splitlines() if line.startswith(": "))
    click.echo(f"rapportlint: wrote {output_file}: {pack.id}, {sections} sections, {tables} tables; "
               f"fill it in and run `rapportlint check {output_file}`" if lang == "en" else
               f"rapportlint: skrev {output_file}: {pack.id}, {sections} seksjoner, {tables} tabeller; "
               f"fyll den ut og kjør `rapportlint check {output_file}`", err=True)


@cli.command("docs", hidden=True)
@click.argument("directory", required=False, default="docs/rules", type=click.Path(file_okay=False, path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Ikke skriv; avslutt med 1 når en side er utdatert.")
def rule_docs(directory, check_only):
    """Skriv docs/rules/<KODE>.md og docs/rules/index.md fra reglenes docstrings."""
    from linter.ruledocs import RuleDocError, stale_pages, write_pages
    from linter.rules.registry import all_rules

    rules = list(all_rules().values())
    try:
        if check_only:
            stale = stale_pages(directory, rules)
            for name in stale:
                click.echo(f"{directory / name}: utdatert (kjør `rapportlint docs`)")
            sys.exit(EXIT_FINDINGS if stale else EXIT_OK)
        changed = write_pages(directory, rules)
    except RuleDocError as exc:
        _fail(str(exc))
    for name in changed:
        click.echo(f"skrev {directory / name}")
    click.echo(f"{len(rules)} regler, {len(changed)} sider endret")


@cli.command("schema")
@click.argument("name", type=click.Choice(["findings", "rulepack", "config"]), default="findings")
def show_schema(name):
    """Skriv ut JSON Schema for --format json (findings), regelpakker (rulepack) eller konfigurasjonen (config)."""
    from linter.resources import schema_path

    click.echo(schema_path(f"{name}.schema.json").read_text(encoding="utf-8"), nl=False)


def main() -> None:
    """Entry point: run the click group; turn any unexpected exception into a message and exit 2."""
    if "-h" in sys.argv or "--help" in sys.argv or len(sys.argv) <= 1:
        from linter import help_en

        cli.english_help = help_en.wants_english(sys.argv[1:], dict(os.environ))  # type: ignore[attr-defined]
        help_en.apply(cli, cli.english_help)  # type: ignore[attr-defined]
    try:
        cli.main(prog_name="rapportlint", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("rapportlint: avbrutt", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: no traceback for users
        if _debug_from_env() or "--debug" in sys.argv:
            import traceback

            traceback.print_exc()
        click.echo(
            f"rapportlint: intern feil: {type(exc).__name__}: {exc}\n"
            "Dette er en feil i rapportlint; meld den gjerne med filen som utløste den.",
            err=True,
        )
        sys.exit(EXIT_ERROR)



if __name__ == "__main__":
    main()
