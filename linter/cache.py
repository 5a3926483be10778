"""A small on-disk cache for work a cold start would otherwise repeat on every run.

Things a cold ``rapportlint check`` would otherwise redo on every run: validating the rule pack
against its JSON Schema (importing jsonschema alone costs more than parsing a report), scanning
the installed packages for rule plug-ins (importing importlib.metadata), parsing the pack's
formulas (the formula grammar and its lexer) and matching checklist rows to the template's items
(difflib). Each is remembered here under a key that changes whenever its inputs change, so a
stale entry is never used: the pack's content and the schema's, the mtimes of the directories on
``sys.path``, or the inputs themselves with the source of the code that computes the result
(``source_key``: an edited module is a new key even when the version is not).

The cache is an optimisation only: any failure to read or write it is ignored and the work is
done the slow way. ``RAPPORTLINT_CACHE_DIR`` moves it; set to an empty string it is off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from linter import __version__

_FORMAT = "1"


def cache_dir() -> Path | None:
    configured = os.environ.get("RAPPORTLINT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rapportlint"


def key_for(*parts: str | bytes) -> str:
    digest = hashlib.sha256(f"{_FORMAT}\0{__version__}".encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
    return digest.hexdigest()


_SOURCES: dict[tuple[str, ...], str | None] = {}


def source_key(*files: str) -> str | None:
    """A digest of the named files (a module's ``__file__``, a grammar), once per process; None
    when one cannot be read (then do not cache)."""
    if files not in _SOURCES:
        digest = hashlib.sha256()
        try:
            for name in files:
                with open(name, "rb") as handle:
                    digest.update(handle.read())
            _SOURCES[files] = digest.hexdigest()
        except (OSError, TypeError):
            _SOURCES[files] = None
    return _SOURCES[files]


def get(kind: str, key: str, slot: str | None = None) -> Any | None:
    """The JSON value stored under (kind, key), or None. With ``slot`` the entry lives in one
    file that each new key overwrites (for inputs that change often, so files do not pile up)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(directory / kind / f"{slot or key}.json", encoding="utf-8") as handle:
            entry = json.load(handle)
        return entry["value"] if entry["key"] == key else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def put(kind: str, key: str, value: Any, slot: str | None = None) -> None:
    """Store a JSON-able value; silently do nothing when the cache cannot be written."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        text = json.dumps({"key": key, "value": value}, ensure_ascii=False)
    except (TypeError, ValueError):
        return
    try:
        from linter.atomic import write_atomic

        target = directory / kind
        target.mkdir(parents=True, exist_ok=True)
        write_atomic(target / f"{slot or key}.json", text)
    except (OSError, ValueError):  # ValueError: a text the file system's encoding cannot write
        pass
