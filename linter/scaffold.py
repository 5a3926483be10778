"""`rapportlint init`: starter files for a report repository, never overwriting one that exists."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from linter import __version__
from linter.rules.base import DOCS_BASE

REPOSITORY = DOCS_BASE.rsplit("/blob/", 1)[0]

CONFIG = """\
# rapportlint: konfigurasjon for rapportene i dette repoet. `rapportlint config` viser hva som
# gjelder; alle nøkler står i docs/configuration.md.

# Laveste alvorlighet som stopper en commit (exit-kode 1): "error" eller "warning".
fail-on = "error"

# Regler som kjøres (koder eller prefikser, f.eks. "S", "A201"); standard er alle.
# select = ["ALL"]
# ignore = ["F603"]

# Språk for meldinger: "nb" eller "en".
# lang = "nb"

# Alvorlighet per regel eller prefiks.
# [severity]
# F6 = "warning"

# Regler som ikke kjøres for enkelte filer (glob relativt til denne filen).
# [per-file-ignores]
# "utkast/*.md" = ["S102", "K302"]
"""

PRE_COMMIT = f"""\
# pre-commit: `pip install pre-commit && pre-commit install` kontrollerer rapportene ved hver commit.
repos:
  - repo: {REPOSITORY}
    rev: v{__version__}
    hooks:
      - id: rapportlint
"""

PRE_COMMIT_LOCAL = """\
# pre-commit: `pre-commit install` kontrollerer rapportene ved hver commit med den rapportlint
# som er installert her (pip install rapportlint).
repos:
  - repo: local
    hooks:
      - id: rapportlint
        name: rapportlint
        entry: rapportlint check --reports-only
        language: system
        files: \\.md$
"""


def starter_files(local: bool = False) -> dict[str, str]:
    return {".rapportlint.toml": CONFIG, ".pre-commit-config.yaml": PRE_COMMIT_LOCAL if local else PRE_COMMIT}


def write_new(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` only if it does not exist, atomically: the content goes to a
    temporary file first, then is linked into place (link refuses an existing name, so a file
    created meanwhile is not overwritten either). Returns False when the file exists."""
    if path.exists() or path.is_symlink():
        return False
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(text.encode("utf-8"))
        return True
    finally:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass


def init(directory: Path, local: bool = False) -> list[tuple[str, bool]]:
    """(file name, written?) for each starter file."""
    return [(name, write_new(directory / name, text)) for name, text in starter_files(local).items()]
