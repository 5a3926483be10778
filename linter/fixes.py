"""Applying fixes: replace exactly the characters a finding names, then write atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from linter.rules.base import Fix


def apply_fixes(source: str, fixes: list[Fix]) -> tuple[str, int]:
    """Apply non-overlapping fixes (later ones that overlap an applied one are skipped, to be
    picked up by the next run). Returns the new text and how many fixes were applied."""
    applied = 0
    parts = []
    cursor = 0
    for fix in sorted(fixes, key=lambda f: (f.offset, f.end_offset)):
        if fix.offset < cursor:
            continue
        parts.append(source[cursor : fix.offset])
        parts.append(fix.replacement)
        cursor = fix.end_offset
        applied += 1
    parts.append(source[cursor:])
    return "".join(parts), applied


def write_atomic(path: Path, text: str, bom: bool = False) -> None:
    """Write via a temporary file in the same directory and os.replace, so a crash or a full
    disk never leaves a half-written report; keep the file's permissions."""
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            pass
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
