"""The results cache (as ruff has one): `rapportlint check` of unchanged files, with the same
options, configuration, rule packs, plug-ins and rapportlint, replays the output it recorded
(the same bytes on standard output and error, the same exit code) without importing click, lark
or the engine. This module is the whole cache-hit path, so it imports only builtins.

An entry is named by the invocation: the arguments, the working directory, the environment
variables that change the output, whether standard output and error are terminals, the
interpreter, ``sys.path`` and rapportlint's version. It is served only when

- every file the run depended on still has the content hash it had then: the reports, every
  configuration file that applied and every place a nearer one could appear (recorded as absent),
  the rule packs, the baseline; and
- rapportlint's own files (package, grammars, rule packs, rule pages) and the directories on
  ``sys.path`` (where plug-ins are installed) have the sizes and modification times they had.

Anything else (a changed file, another option, a directory or standard input to check, --fix,
-o, an HTML page stamped with the time, a run that ended with an error) is a real check.
``--no-cache`` skips the cache; ``--cache-dir``, ``RAPPORTLINT_CACHE_DIR`` (empty: off) or
``cache-dir`` in the configuration move it. Entries are written to a uniquely named temporary
file and renamed into place, so concurrent runs never see half an entry; an entry whose checksum
does not match (torn, truncated, corrupt) is ignored and rewritten.
"""

from __future__ import annotations

import marshal
import os
import sys

try:  # the builtin module: hashlib would load OpenSSL, a few milliseconds on every run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

from linter import __version__

FORMAT = 1
_MAGIC = b"RLRC1\n"
# Options after which `check` writes files or reads standard input: never replayed.
_WRITES = ("-o", "--output", "--fix", "--write-baseline", "--diff")
_ENV_NAMES = ("NO_COLOR", "FORCE_COLOR", "SOURCE_DATE_EPOCH", "TERM", "COLUMNS", "LANG", "LC_ALL", "LC_CTYPE",
              "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONPATH")
CONFIG_NAMES = (".rapportlint.toml", "pyproject.toml")

_state: dict = {}  # the run being recorded: plan, tees, dependencies


def _digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=20).digest()


def file_digest(path: str) -> bytes | None:
    """The content hash of a file, or None when it is no regular file (absent, a directory)."""
    try:
        with open(path, "rb") as handle:
            return _digest(handle.read())
    except (IsADirectoryError, FileNotFoundError, NotADirectoryError):
        return None


# ---------------------------------------------------------------------------- where and which entry


def default_dir(environ=os.environ) -> str | None:
    configured = environ.get("RAPPORTLINT_CACHE_DIR")
    if configured is not None:
        return configured or None
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "rapportlint")


def _option_value(argv: list[str], name: str) -> str | None:
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg[len(name) + 1:]
    return None


def plan(argv: list[str], environ=os.environ) -> tuple[str, str] | None:
    """(the results directory, the entry's name) for ``rapportlint <argv>``, or None when the
    invocation is never cached (not `check`, --no-cache, writes files, reads standard input)."""
    if not argv or argv[0] != "check" or "--" in argv or "-" in argv or "--no-cache" in argv:
        return None
    if any(arg in _WRITES or arg.startswith(("--output=", "--write-baseline=")) for arg in argv):
        return None
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    if any(getattr(stream, "buffer", None) is None for stream in (sys.stdout, sys.stderr)):
        return None  # no byte streams to replay to or record from (pythonw, a test runner's capture)
    directory = _option_value(argv, "--cache-dir")
    directory = os.path.abspath(directory) if directory else default_dir(environ)
    if not directory:
        return None
    hasher = blake2b(digest_size=20)
    for part in (str(FORMAT), __version__, sys.executable, os.getcwd(), "\0".join(sys.path), "\0".join(argv),
                 _isatty(sys.stdout), _isatty(sys.stderr),
                 *sorted(f"{k}={v}" for k, v in environ.items() if k.startswith("RAPPORTLINT_") or k in _ENV_NAMES)):
        hasher.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return os.path.join(directory, "results"), hasher.hexdigest()


def _isatty(stream) -> str:
    try:
        return "tty" if stream is not None and stream.isatty() else "-"
    except (ValueError, OSError):
        return "-"


_remembered: list[bytes] = []  # this process's stamp, computed once (the warm server asks afresh)


def remember_stamp(stamp: bytes) -> None:
    """The stamp the warm server's client computed a moment ago (linter/daemon.py)."""
    _remembered[:] = [stamp]


def code_stamp(fresh: bool = False) -> bytes:
    """Sizes and modification times of rapportlint's own files and of the directories on
    sys.path: a changed rule, grammar or pack, or an installed or removed plug-in, changes it.
    Computed once per process unless ``fresh``."""
    if _remembered and not fresh:
        return _remembered[0]
    stamp = _code_stamp()
    _remembered[:] = [stamp]
    return stamp


def _code_stamp() -> bytes:
    package = os.path.dirname(os.path.abspath(__file__))
    roots = [package]
    for inside, outside in (("grammars", "grammars"), ("rules_data", "rules"), ("rule_docs", os.path.join("docs", "rules"))):
        candidate = os.path.join(package, inside)
        roots.append(candidate if os.path.isdir(candidate) else os.path.join(os.path.dirname(package), outside))
    stamps = []
    for root in roots:
        stack = [root]
        while stack:
            try:
                entries = list(os.scandir(stack.pop()))
            except OSError:
                continue
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                try:
                    if entry.is_dir():
                        stack.append(entry.path)
                        continue
                    info = entry.stat()
                except OSError:
                    continue
                stamps.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
    for directory in sys.path:
        try:
            stamps.append(f"{directory}:{os.stat(directory or '.').st_mtime_ns}")
        except OSError:
            stamps.append(f"{directory}:-")
    stamps.sort()
    return _digest("\n".join(stamps).encode("utf-8", "surrogateescape"))


# ---------------------------------------------------------------------------- reading (the fast path)


def load(where: tuple[str, str]) -> tuple | None:
    """The entry, checked whole (checksum) and still valid (code and every dependency unchanged);
    else None."""
    directory, name = where
    try:
        with open(os.path.join(directory, name), "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + 20:
        return None
    checksum, payload = data[len(_MAGIC):len(_MAGIC) + 20], data[len(_MAGIC) + 20:]
    if _digest(payload) != checksum:
        return None  # torn or corrupt: ignored, and replaced by the next full run
    try:
        version, stamp, deps, out, err, code = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if version != FORMAT or stamp != code_stamp():
        return None
    for path, digest in deps:
        if file_digest(path) != digest:
            return None
    return out, err, code


def replay(where: tuple[str, str]) -> bool:
    """Write a valid entry's output and exit with its code; False when there is none."""
    entry = load(where)
    if entry is None:
        return False
    out, err, code = entry
    if err:
        sys.stderr.flush()
        sys.stderr.buffer.write(err)
        sys.stderr.flush()
    sys.stdout.flush()
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.exit(code)


# ---------------------------------------------------------------------------- recording (the full path)


class _Tee:
    """A binary stream that writes through to the real one and keeps a copy."""

    def __init__(self, target):
        self.target, self.copy = target, bytearray()

    def write(self, data) -> int:
        self.copy += data
        return self.target.write(data)

    def close(self) -> None:
        """The real stream stays open (the wrapper around this one closes it when collected)."""

    @property
    def closed(self) -> bool:
        return self.target.closed

    def __getattr__(self, name):
        return getattr(self.target, name)


def start_recording(where: tuple[str, str]) -> None:
    """Keep a copy of everything written to standard output and error from here on."""
    import io

    if any(getattr(getattr(sys, name), "buffer", None) is None for name in ("stdout", "stderr")):
        return
    streams = {}
    for name in ("stdout", "stderr"):
        original = getattr(sys, name)
        buffer = original.buffer
        original.flush()
        tee = _Tee(buffer)
        wrapper = io.TextIOWrapper(tee, encoding=original.encoding, errors=original.errors,  # type: ignore[arg-type]
                                   line_buffering=original.line_buffering, write_through=True)
        streams[name] = (original, wrapper, tee)
        setattr(sys, name, wrapper)
    _state.clear()
    # The files named on the command line as they were before the check read them: one changed
    # while it was being checked is not stored (its new hash would vouch for the old findings).
    _state.update(where=where, streams=streams, deps=None, before={
        os.path.abspath(arg): _stat(arg) for arg in sys.argv[1:] if os.path.isfile(arg)})


def recording() -> bool:
    return bool(_state)


def use_dir(directory: str) -> None:
    """The configuration names the cache directory: look for the entry there (replaying it
    when valid) and store there."""
    if not _state:
        return
    where = (os.path.join(os.path.abspath(directory), "results"), _state["where"][1])
    _state["where"] = where
    if load(where) is not None:
        _state["deps"] = None
        streams = _state.pop("streams")
        for name, (original, wrapper, _) in streams.items():
            setattr(sys, name, original)
            wrapper.flush()
            wrapper.detach()
        _state.clear()
        replay(where)


def approve(deps: list[str]) -> None:
    """The check command's word that this run may be stored, with the files it depended on
    (reports, configuration files and the places where one could appear, packs, baseline)."""
    if _state:
        _state["deps"] = sorted(set(deps))


def finish(code) -> None:
    """The run ended with ``code``: restore the streams and store the entry when approved."""
    if not _state:
        return
    streams, where, deps, before = _state.pop("streams"), _state["where"], _state["deps"], _state.get("before", {})
    _state.clear()
    copies = {}
    for name, (original, _, _) in streams.items():
        setattr(sys, name, original)
    for name, (_, wrapper, tee) in streams.items():
        try:
            wrapper.flush()
            wrapper.detach()  # never closes the real stream
        except (OSError, ValueError):
            return
        copies[name] = bytes(tee.copy)
    if deps is None or code not in (0, 1, None):
        return
    if any(_stat(path) != stamp for path, stamp in before.items()):
        return
    try:
        store(where, deps, copies["stdout"], copies["stderr"], code or 0)
    except OSError:
        pass  # an optimisation only: a cache that cannot be written is no error


def _stat(path: str) -> tuple | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


PRUNE_AFTER_DAYS = 30


def prune(directory: str, days: int = PRUNE_AFTER_DAYS) -> None:
    """Remove entries not used (replayed or written) for ``days``, and stray temporary files."""
    import time

    limit = time.time() - days * 86400
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat()
            if max(info.st_atime, info.st_mtime) < limit or (entry.name.endswith(".tmp") and info.st_mtime < time.time() - 3600):
                os.unlink(entry.path)
        except OSError:
            pass


def store(where: tuple[str, str], deps: list[str], out: bytes, err: bytes, code: int) -> None:
    directory, name = where
    payload = marshal.dumps((FORMAT, code_stamp(), [(path, file_digest(path)) for path in deps], out, err, code))
    os.makedirs(directory, exist_ok=True)
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(_MAGIC + _digest(payload) + payload)
        os.replace(temporary, os.path.join(directory, name))
        if os.urandom(1)[0] < 3:  # about one store in a hundred looks for old entries
            prune(directory)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def config_candidates(paths) -> list[str]:
    """Every place a configuration file for these reports is or could appear: both names in
    each directory from the report's up to the root (a new nearer file changes the results)."""
    found = []
    seen = set()
    for path in paths:
        directory = os.path.dirname(os.path.abspath(path))
        while directory not in seen:
            seen.add(directory)
            found.extend(os.path.join(directory, name) for name in CONFIG_NAMES)
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    return found
