"""Configuration: ``[tool.rapportlint]`` in pyproject.toml or a ``.rapportlint.toml``.

Each report gets the configuration found nearest to it, walking up from its directory (in each
directory ``.rapportlint.toml`` wins over pyproject.toml; a pyproject.toml without a
``[tool.rapportlint]`` table is passed by). Settings that concern the whole run (language, fail
level, output format, jobs) come from the configuration found from the working directory.
Command-line options win over the file: ``--select`` replaces ``select``, ``--extend-select`` and
``--ignore`` add to it.

Files are validated against the pydantic model in ``linter/config_model.py`` (from which
``linter/schemas/config.schema.json`` is generated); an unknown key or a bad value is a
:class:`ConfigError` naming the file, the key and, where one is close, a suggestion.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_FILE = ".rapportlint.toml"
PYPROJECT = "pyproject.toml"
# What a report is when the configuration does not say (docs/configuration.md): every Markdown
# file except the usual repository files. ``exclude`` replaces these; ``extend-exclude`` adds.
DEFAULT_INCLUDE = ("*.md", "*.docx")  # Word drafts are checked directly (linter/word/)
DEFAULT_EXCLUDE = ("README.md", "CHANGELOG.md", "LICENSE.md")


class ConfigError(Exception):
    def __init__(self, path: str, key: str, message_nb: str, message_en: str):
        super().__init__(message_en)
        self.path, self.key = path, key
        self.message_nb, self.message_en = message_nb, message_en

    def message(self, lang: str) -> str:
        text = self.message_en if lang == "en" else self.message_nb
        return f"{self.path}: {self.key}: {text}" if self.key else f"{self.path}: {text}"


@dataclass(slots=True)
class Config:
    path: Path | None = None  # the file it came from; None: defaults
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] | None = None  # None: DEFAULT_EXCLUDE
    extend_exclude: list[str] = field(default_factory=list)
    include: list[str] | None = None  # None: DEFAULT_INCLUDE
    districts: list[str] = field(default_factory=list)  # `bydeler`: names besides Oslo's 15 (M105)
    docs_url: str | None = None  # where the rule pages are online (the links in findings)
    ruleset: str | None = None
    fail_on: str | None = None
    lang: str | None = None
    format: str | None = None
    jobs: int | None = None
    cache_dir: str | None = None  # absolute (`cache-dir`, relative to the file)
    unsafe_fixes: bool = False  # `unsafe-fixes`: --fix, --diff and the editor offer unsafe fixes too
    daemon: bool | None = None  # `daemon = false`: `check` never starts the warm background process

    @property
    def root(self) -> Path:
        """Globs are relative to the configuration file's directory."""
        return self.path.parent if self.path else Path.cwd()

    def to_dict(self) -> dict[str, Any]:
        return {
            "select": self.select if self.select is not None else ["ALL"],
            "extend-select": self.extend_select,
            "ignore": self.ignore,
            "severity": self.severity,
            "per-file-ignores": self.per_file_ignores,
            "include": self.include_globs,
            "bydeler": self.districts,
            "docs-url": self.docs_url,
            "exclude": self.exclude_globs,
            "ruleset": self.ruleset,
            "fail-on": self.fail_on or "error",
            "lang": self.lang or "nb",
            "format": self.format or "text",
            "jobs": self.jobs if self.jobs is not None else 1,
            "cache-dir": self.cache_dir,
            "unsafe-fixes": self.unsafe_fixes,
            "daemon": self.daemon if self.daemon is not None else True,
        }

    def ignores_for(self, path: Path | None) -> list[str]:
        """``ignore`` plus the per-file ignores whose glob matches ``path``."""
        codes = list(self.ignore)
        if path is None or not self.per_file_ignores:
            return codes
        relative = _relative(path, self.root)
        for pattern, extra in self.per_file_ignores.items():
            if matches_glob(relative, pattern):
                codes.extend(extra)
        return codes

    @property
    def include_globs(self) -> list[str]:
        return list(self.include) if self.include is not None else list(DEFAULT_INCLUDE)

    @property
    def exclude_globs(self) -> list[str]:
        base = list(self.exclude) if self.exclude is not None else list(DEFAULT_EXCLUDE)
        return base + [p for p in self.extend_exclude if p not in base]

    def includes(self, path: Path) -> bool:
        """True when ``path`` matches an ``include`` glob (file names compared without case)."""
        relative = _relative(path, self.root)
        return any(matches_glob(relative, pattern, fold=True) for pattern in self.include_globs)

    def excluded_by(self, path: Path) -> str | None:
        """The ``exclude`` glob that leaves ``path`` out, or None."""
        relative = _relative(path, self.root)
        return next((p for p in self.exclude_globs if matches_glob(relative, p, fold=True)), None)

    def excludes(self, path: Path) -> bool:
        return self.excluded_by(path) is not None


def matches_glob(relative: str, pattern: str, fold: bool = False) -> bool:
    """A glob without '/' matches the file name anywhere; with one, the path from the config's
    directory (``*`` may cross directories, ``**/`` may be empty). ``fold``: ignore case
    (README.md and readme.md are the same kind of file on every system)."""
    pattern = pattern.replace("\\", "/").removeprefix("./")
    if fold:
        relative, pattern = relative.lower(), pattern.lower()
    if "/" not in pattern:
        return fnmatch.fnmatchcase(relative.rsplit("/", 1)[-1], pattern)
    return fnmatch.fnmatchcase(relative, pattern) or (
        "**/" in pattern and fnmatch.fnmatchcase(relative, pattern.replace("**/", ""))
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


# ---------------------------------------------------------------------------- finding and loading
_found: dict[Path, Path | None] = {}
_loaded: dict[Path, Config] = {}


def forget_cached() -> None:
    """Forget the files found and read: a long-running process (the editor's language server)
    must see a configuration file that was added, changed or removed."""
    _found.clear()
    _loaded.clear()


def find_config_file(start: Path) -> Path | None:
    """The nearest .rapportlint.toml, or pyproject.toml with [tool.rapportlint], from ``start``
    (a directory) upwards."""
    directory = Path(os.path.abspath(start))
    visited = []
    found = None
    for candidate in (directory, *directory.parents):
        if candidate in _found:
            found = _found[candidate]
            break
        visited.append(candidate)
        own = candidate / CONFIG_FILE
        if own.is_file():
            found = own
            break
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            found = pyproject
            break
    for candidate in visited:
        _found[candidate] = found
    return found


def _has_tool_table(path: Path) -> bool:
    try:
        data = _read_toml(path)
    except ConfigError:
        return True  # a broken pyproject.toml is reported, not silently skipped
    return isinstance(data.get("tool"), dict) and "rapportlint" in data["tool"]


def config_for(path: Path | None, forced: Path | None = None, isolated: bool = False) -> Config:
    """The configuration that applies to a report at ``path`` (None: standard input, looked up
    from the working directory)."""
    if isolated:
        return Config()
    if forced is not None:
        return load_config_file(forced)
    start = Path.cwd() if path is None else (path if path.is_dir() else path.parent)
    found = find_config_file(start)
    return load_config_file(found) if found else Config()


def load_config_file(path: Path) -> Config:
    key = Path(os.path.abspath(path))
    if key not in _loaded:
        _loaded[key] = _load(key)
    return _loaded[key]


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as handle:
            data = handle.read()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            str(path), "",
            f"filen er ikke UTF-8 (ugyldig byte 0x{data[exc.start]:02x} på linje {line}, trolig Latin-1/Windows-1252); "
            "lagre den som UTF-8",
            f"the file is not UTF-8 (invalid byte 0x{data[exc.start]:02x} on line {line}, probably Latin-1/Windows-1252); "
            "save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(str(path), "", f"kan ikke leses: {exc.strerror}", f"cannot be read: {exc.strerror}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "", f"ugyldig TOML: {exc}", f"invalid TOML: {exc}") from None


def _load(path: Path) -> Config:
    data = _read_toml(path)
    shown = _shown(path)
    prefix = ""
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("rapportlint", {})
        prefix = "tool.rapportlint."
    if not isinstance(data, dict):
        raise ConfigError(shown, prefix.rstrip("."), "må være en tabell", "must be a table")
    validate(data, shown, prefix)
    codes = lambda key: [c.upper() for c in data.get(key, [])]  # noqa: E731
    return Config(
        path=path,
        select=codes("select") if "select" in data else None,
        extend_select=codes("extend-select"),
        ignore=codes("ignore"),
        severity={k.upper(): v for k, v in data.get("severity", {}).items()},
        per_file_ignores={k: [c.upper() for c in v] for k, v in data.get("per-file-ignores", {}).items()},
        exclude=list(data["exclude"]) if "exclude" in data else None,
        extend_exclude=list(data.get("extend-exclude", [])),
        include=list(data["include"]) if "include" in data else None,
        districts=list(data.get("bydeler", [])),
        docs_url=data.get("docs-url"),
        ruleset=_ruleset(data.get("ruleset"), path),
        fail_on=data.get("fail-on"),
        lang=data.get("lang"),
        format=data.get("format"),
        jobs=data.get("jobs"),
        cache_dir=os.path.join(path.parent, data["cache-dir"]) if data.get("cache-dir") else None,
        unsafe_fixes=bool(data.get("unsafe-fixes")),
        daemon=data.get("daemon"),
    )


def _ruleset(value: str | None, path: Path) -> str | None:
    """A pack given as a relative path to a .yaml file is relative to the configuration file."""
    if value and value.endswith((".yaml", ".yml")) and not os.path.isabs(value):
        return str(path.parent / value)
    return value


def _shown(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return relative if not relative.startswith("..") else str(path)


def _schema() -> dict:
    import json

    from linter.resources import schema_path

    return json.loads(schema_path("config.schema.json").read_text(encoding="utf-8"))


def validate(data: dict[str, Any], shown: str, prefix: str = "") -> None:
    """Raise ConfigError for the first problem: unknown keys (with a suggestion), bad values,
    unknown rule codes. The file is checked against the pydantic model in linter/config_model.py
    (config.schema.json is generated from it)."""
    import json

    from linter import cache
    from linter.rules.registry import all_rules

    schema = _schema()
    known = sorted(schema["properties"])
    for key in data:
        if key not in schema["properties"]:
            raise _unknown(shown, prefix + key, key, known, "nøkkel", "key")
    # Importing pydantic costs more than checking a report: remember configurations that
    # passed (keyed by content, schema and the known rule codes).
    try:
        memo = cache.key_for("config-valid", json.dumps(schema, sort_keys=True), ",".join(all_rules()),
                             json.dumps(data, sort_keys=True, ensure_ascii=False, default=str))
    except (TypeError, ValueError):
        memo = None
    if memo is not None and cache.get("valid", memo) is True:
        return
    from pydantic import ValidationError

    from linter.config_model import CHOICES, ConfigFile

    try:
        ConfigFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        parts = [str(p) for p in error["loc"] if not isinstance(p, int)]
        key_error = "[key]" in parts
        if key_error:  # a bad key of a table: the table is where
            parts = parts[: parts.index("[key]") - 1]
        where = prefix + ".".join(parts)
        if error["type"] == "literal_error":
            allowed = ", ".join(CHOICES.get(parts[0], ()))
            raise ConfigError(shown, where, f"ugyldig verdi {error['input']!r}; tillatt: {allowed}",
                              f"invalid value {error['input']!r}; allowed: {allowed}") from None
        if error["type"] == "string_pattern_mismatch":
            raise _unknown(shown, where, str(error["input"]), list(all_rules()), "regelkode", "rule code") from None
        raise ConfigError(shown, where, f"ugyldig verdi: {error['msg']}", f"invalid value: {error['msg']}") from None
    _check_codes(data, shown, prefix)
    if memo is not None:
        cache.put("valid", memo, True)


def _check_codes(data: dict[str, Any], shown: str, prefix: str) -> None:
    from linter.rules.registry import all_rules, unknown_selectors

    codes = list(all_rules())
    places: list[tuple[str, str]] = []
    for key in ("select", "extend-select", "ignore"):
        places += [(f"{key}", c.upper()) for c in data.get(key, [])]
    places += [("severity", c.upper()) for c in data.get("severity", {})]
    for pattern, values in data.get("per-file-ignores", {}).items():
        places += [(f'per-file-ignores."{pattern}"', c.upper()) for c in values]
    for key, code in places:
        if unknown_selectors([code]):
            raise _unknown(shown, prefix + key, code, codes, "regelkode", "rule code")


def _unknown(shown: str, where: str, value: str, known: list[str], kind_nb: str, kind_en: str) -> ConfigError:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint_nb = f" (mente du «{close[0]}»?)" if close else ""
    hint_en = f" (did you mean «{close[0]}»?)" if close else ""
    return ConfigError(shown, where, f"ukjent {kind_nb} «{value}»{hint_nb}", f"unknown {kind_en} «{value}»{hint_en}")


# ---------------------------------------------------------------------------- command-line overlay
@dataclass(slots=True)
class Overrides:
    """What the command line says; None or empty: the file decides."""

    select: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    ruleset: str | None = None


def selection_for(config: Config, path: Path | None, cli: Overrides) -> tuple[list[str] | None, list[str]]:
    """(select, ignore) for one report: None as select means every rule."""
    select = cli.select or config.select
    extend = config.extend_select + cli.extend_select
    if select is not None and "ALL" not in select and extend:
        select = list(select) + extend
    ignore = config.ignores_for(path) + cli.ignore
    return select, ignore


def severity_overrides(config: Config) -> dict[str, str]:
    return dict(config.severity)


def effective(config: Config, path: Path | None, cli: Overrides) -> dict[str, Any]:
    """What `rapportlint config` shows."""
    shown = config.to_dict()
    select, ignore = selection_for(config, path, cli)
    shown["select"] = select if select is not None else ["ALL"]
    shown["ignore"] = ignore
    if cli.ruleset:
        shown["ruleset"] = cli.ruleset
    return shown
