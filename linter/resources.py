"""Where the grammars and rule packs live.

In a wheel they are packed inside the package (``linter/grammars``, ``linter/rules_data``); in a
checkout or an editable install they are the repository's top-level ``grammars/`` and ``rules/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


@cache
def grammars_dir() -> Path:
    return _first_existing(_PACKAGE / "grammars", _PACKAGE.parent / "grammars")


@cache
def rule_packs_dir() -> Path:
    return _first_existing(_PACKAGE / "rules_data", _PACKAGE.parent / "rules")


def schema_path(name: str) -> Path:
    return _PACKAGE / "schemas" / name


@cache
def rule_docs_dir() -> Path:
    """The generated rule pages (docs/rules/ in a checkout, linter/rule_docs in a wheel)."""
    return _first_existing(_PACKAGE / "rule_docs", _PACKAGE.parent / "docs" / "rules")


def rule_page(code: str) -> Path | None:
    """The rule's page on this machine, or None when it is not there."""
    path = rule_docs_dir() / f"{code}.md"
    return path if path.is_file() else None
