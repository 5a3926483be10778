"""Writing files safely: the bottom layer (imports nothing from rapportlint), used for fixed
reports, -o outputs, baselines, imports and the start-up cache.

A file is written to a temporary file in its directory and moved over the old one with
os.replace, so a crash or a full disk never leaves it half written. Writing goes through a
symbolic link to the file it points at (the link stays a link). A file with several hard links
is rewritten in place (replacing it would cut the other links), after a copy of the new
content has been written beside it. The file's permission bits are kept; a read-only file is
refused (ReadOnlyFileError) rather than silently replaced.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


class ReadOnlyFileError(PermissionError):
    """The file exists and has no write permission: it is left alone."""

    def __init__(self, path: Path):
        super().__init__(errno.EACCES, "read-only file", str(path))
        self.path = path


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def same_file(first: Path | str, second: Path | str) -> bool:
    """True when both names lead to one file: the same path, a symbolic link to it, or a hard
    link (same device and inode). A name that does not exist is no file."""
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


def write_atomic(path: Path | str, text: str | bytes, bom: bool = False) -> None:
    """Replace the file's content with ``text`` (UTF-8, with a byte-order mark when ``bom``)."""
    if isinstance(text, bytes):
        data = (b"\xef\xbb\xbf" if bom else b"") + text
    else:
        data = (("\ufeff" if bom else "") + text).encode("utf-8")
    target = Path(os.path.realpath(path))  # through symbolic links: the link stays a link
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "not a regular file", str(path)) if stat.S_ISDIR(info.st_mode) \
                else OSError(errno.EINVAL, "not a regular file", str(path))
        # Root may write anything; a file nobody may write is still meant to stay as it is.
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise ReadOnlyFileError(Path(path))
        if info.st_nlink > 1:
            _write_in_place(target, data)
            return
    tmp_name = _write_beside(target, data)
    try:
        os.chmod(tmp_name, stat.S_IMODE(info.st_mode) if info is not None else _new_file_mode())
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def _write_beside(target: Path, data: bytes) -> str:
    """``data`` in a new temporary file beside ``target``, on disk (fsync); its name. Removed
    again if the write fails (a full disk fails here, before the report is touched)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass
        raise
    return name


def _write_in_place(target: Path, data: bytes) -> None:
    """Rewrite a hard-linked file through its own inode. The new content is first written to a
    copy beside it (so a full disk fails before the report is touched); if the rewrite itself
    fails, the old content is put back."""
    old = target.read_bytes()
    copy_name = _write_beside(target, data)
    try:
        try:
            with open(target, "r+b") as handle:
                handle.write(data)
                handle.truncate()
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            with open(target, "r+b") as handle:
                handle.write(old)
                handle.truncate()
            raise
    finally:
        try:
            os.unlink(copy_name)
        except FileNotFoundError:
            pass
