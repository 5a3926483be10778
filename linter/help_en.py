"""The command line's help in English, for `--lang en` (or RAPPORTLINT_LANG=en) with --help.

The help texts in linter/cli.py are Norwegian; this table gives each command and option its
English text, keyed by command name and option name. A command or option missing here keeps
its Norwegian text (a plug-in's command, say)."""

from __future__ import annotations

GROUP = "rapportlint: checks the city districts' annual reports and budgets against the city's template."

COMMANDS: dict[str, str] = {
    "check": "Check reports (files, directories, or - for standard input; without PATHS: this directory).",
    "config": "Show the configuration that applies to PATH (a report or a directory; default: here).",
    "import": "Import a report from PDF text (.txt), PDF (.pdf, needs rapportlint[pdf]) or Word (.docx, needs rapportlint[word]) into the report format.",
    "init": "Write .rapportlint.toml and .pre-commit-config.yaml in a report repository (existing files are left alone).",
    "new": "Write a report skeleton from the rule pack: every required section, checklist and table.",
    "rule": "Explain one rule: why, a bad and a good example.",
    "rules": "List every rule with its code, name, severity and summary.",
    "schema": "Print the JSON Schema of --format json (findings) or of rule packs (rulepack).",
    "docs": "Write docs/rules/<CODE>.md and docs/rules/index.md from the rules' docstrings.",
    "facts": "Show the key figures read from reports.",
    "daemon": "The warm background process that makes `check` fast: start, stop, status (see docs/daemon.md).",
    "server": "Start the language server (LSP) for editors: findings while you type (needs rapportlint[lsp]).",
}

OPTIONS: dict[str, dict[str, str]] = {
    "check": {
        "output_format": "Output format (default: text, or «format» in the configuration; html: one page for auditors, "
                         "best with -o).",
        "select": "Rule codes or prefixes to run (comma-separated), e.g. S,A201.",
        "extend_select": "Rule codes added to the configuration's selection.",
        "ignore": "Rule codes or prefixes not to run.",
        "ruleset": "Rule pack (an id such as årsberetning-2024, or the path of a .yaml file).",
        "lang": "Language of messages (also RAPPORTLINT_LANG or «lang» in the configuration).",
        "fail_on": "Lowest severity that gives exit code 1 (default: error).",
        "config_file": "Use this configuration file for every file (instead of looking upwards).",
        "isolated": "Read no configuration file.",
        "audit": "Apply no suppression; show every finding and list each suppression with its reason.",
        "baseline_file": "Show only findings that are not in this baseline file.",
        "write_baseline_file": "Write today's findings to a baseline file and exit with 0.",
        "statistics": "Show the number of findings per rule instead of each finding.",
        "jobs": "Parallel processes (0: one per CPU; default 1).",
        "reports_only": "Check only the named files that are reports by include/exclude (for pre-commit); "
                        "the others are listed with the reason.",
        "min_severity": "Show only findings of at least this severity (the others are counted in the summary).",
        "quiet": "Errors only: like --min-severity error, and no list of the files not checked.",
        "show_fixes": "Show what --fix would change below each fixable finding.",
        "output_file": "Write the result to this file (atomically) instead of standard output.",
        "stdin_filename": "The name used for '-' (standard input) in messages.",
        "max_bytes": "Largest file size read (default 50 MB).",
        "color": "Colours in text output (default: when the output is a terminal).",
        "no_source": "Do not show the source line below each finding.",
        "apply_fix": "Fix what can be fixed (writes the files), and show what remains.",
        "unsafe_fixes": "With --fix or --diff: also fix figures inferred from the others (A201-A203, «should probably be»).",
        "show_diff": "Show what --fix would change (unified diff), without writing anything.",
        "debug": "Show the whole traceback on internal errors (also RAPPORTLINT_DEBUG=1).",
        "no_cache": "Do not use the results cache (check again even when nothing has changed).",
        "cache_dir": "The cache directory (also RAPPORTLINT_CACHE_DIR or «cache-dir» in the configuration).",
    },
    "config": {"config_file": "Show this configuration file instead of the one that applies to PATH."},
    "docs": {"check_only": "Do not write; exit with 1 when a page is out of date."},
    "import": {
        "output": "The report file to write (default: INPUT with .md).",
        "force": "Overwrite OUTPUT if it exists.",
        "lang": "Language of the summary.",
    },
    "init": {
        "remote": "The hook fetches rapportlint from a published repository and tag (instead of the one installed here).",
        "repository": "The repository for --remote (default: rapportlint's own).",
        "rev": "The tag for --remote (default: v<the installed version>).",
    },
    "server": {
        "tcp": "Listen on TCP instead of standard input/output (for debugging).",
        "host": "The address with --tcp.",
        "port": "The port with --tcp.",
    },
    "new": {
        "pack_name": "The rule pack the report follows (e.g. årsberetning-2024).",
        "bydel": "The district's name, without «Bydel» (e.g. Sagene).",
        "output_file": "The file to write (an existing one is left alone); without -o: standard output.",
    },
}

BUILTIN = {"version": "Show the version and exit."}
BUILTIN_NB = {"version": "Vis versjonen og avslutt."}


def wants_english(argv: list[str], env: dict[str, str]) -> bool:
    """--lang en (or --lang=en) on the command line, else RAPPORTLINT_LANG=en."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1] == "en"
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1] == "en"
    return env.get("RAPPORTLINT_LANG") == "en"


def apply(group, english: bool) -> None:
    """Put the help texts of ``group`` and its commands in the chosen language (English from
    these tables; Norwegian for click's own --version). A command imported later (the CLI's
    LAZY_COMMANDS) gets its texts from apply_to when it is loaded."""
    for name, command in [("", group)] + list(group.commands.items()):
        apply_to(name, command, english)


def apply_to(name: str, command, english: bool) -> None:
    """The texts of one command (``name`` "" is the group)."""
    import click

    builtin = BUILTIN if english else BUILTIN_NB
    if english:
        if name == "":
            command.help = GROUP
        elif name in COMMANDS:
            command.help = COMMANDS[name]
            command.short_help = None
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        if param.name in builtin and param.is_eager:
            param.help = builtin[param.name]
        elif english and param.name in OPTIONS.get(name, {}):
            param.help = OPTIONS[name][param.name]
        elif english and name == "" and param.name == "lang":
            param.help = "Language of every command (like RAPPORTLINT_LANG)."
        elif english and param.name == "lang" and param.help is None:
            param.help = "Language of the output (nb or en)."
