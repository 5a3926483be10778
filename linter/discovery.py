"""Which files are reports: decided by the configuration's include and exclude globs, never by
a file's first line. Every file that is passed by is listed with its reason, so nothing is
skipped in silence (a report whose first line is blank is checked, and then told it lacks front
matter; it is not left out).

- Directory mode: every file under the directory that matches ``include`` (default ``*.md``)
  and no ``exclude`` glob (default README, CHANGELOG and LICENSE) and is not ignored by git
  (``.gitignore``). Files in hidden directories (``.git``, ``.venv``) are not looked at.
- Files named on the command line are checked whatever they are called, except with
  ``reports_only`` (the pre-commit hook), where the globs decide for them too.
- Word documents (.docx) are reports like .md files (default include ``*.md`` and ``*.docx``):
  they are read directly (linter/word/). Passed by and listed: Word's lock files (``~$rapport.docx``),
  a .docx beside a .md of the same name (the .md imported from it is checked), an old .doc (save
  it as .docx).
- Documents in another format (PDF, OpenDocument, old Word) are named as what they are, with how to
  import them.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

# What a file's first bytes say it is: (magic, name nb, name en, advice nb, advice en).
IMPORT_NB = "bruk rapportlint import"
IMPORT_EN = "use rapportlint import"
_PDF = ("et PDF-dokument", "a PDF document", IMPORT_NB, IMPORT_EN)
_WORD = ("et Word-dokument", "a Word document",
         "gi det endelsen .docx for å kontrollere det (eller legg *.docx til i include), eller bruk rapportlint import",
         "give it the suffix .docx to check it (or add *.docx to include), or use rapportlint import")
_OLD_WORD = ("et eldre Word-dokument (.doc)", "an older Word document (.doc)",
             "åpne det i Word og lagre det som Word-dokument (.docx)", "open it in Word and save it as a Word Document (.docx)")
_ODT = ("et OpenDocument-dokument", "an OpenDocument file", f"lagre det som PDF og {IMPORT_NB}",
        f"save it as PDF and {IMPORT_EN}")
_EXCEL = ("et Excel-regneark", "an Excel workbook", "skriv tabellene inn i rapporten", "write the tables into the report")
_ZIP = ("et ZIP-arkiv", "a ZIP archive", "pakk det ut", "unpack it")
_IMAGE = ("et bilde", "an image", "skriv innholdet som tekst", "write its content as text")

DOCUMENT_SUFFIXES = {
    ".pdf": _PDF, ".docx": _WORD, ".doc": _OLD_WORD, ".odt": _ODT, ".rtf": _WORD, ".xlsx": _EXCEL,
    ".xls": _EXCEL,
}


def sniff(data: bytes) -> tuple[str, str, str, str] | None:
    """What the first bytes of a file say it is, when it is a known binary document kind."""
    if data.startswith(b"%PDF-"):
        return _PDF
    if data.startswith(b"PK\x03\x04"):
        head = data[:4096]
        if b"word/" in head:
            return _WORD
        if b"xl/" in head:
            return _EXCEL
        if b"opendocument" in head:
            return _ODT
        if b"[Content_Types].xml" in head:
            return _WORD
        return _ZIP
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _OLD_WORD
    if data.startswith(b"{\\rtf"):
        return ("et RTF-dokument", "an RTF document", f"lagre det som PDF og {IMPORT_NB}", f"save it as PDF and {IMPORT_EN}")
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return _IMAGE
    return None


@dataclass(slots=True)
class Skipped:
    """A file that was not checked, and why (shown as «ikke kontrollert»)."""

    path: str
    reason_nb: str
    reason_en: str

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_nb


@dataclass(slots=True)
class Discovery:
    files: list[Path | str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def discover(paths: tuple[str, ...] | list[str], config_of: Callable, reports_only: bool = False) -> Discovery:
    """The reports among ``paths`` (files, directories, "-" for standard input) and the files
    passed by. ``config_of(path)`` gives the configuration that applies to a path."""
    found = Discovery()
    seen: set[str] = set()

    def add(item: Path | str) -> None:
        key = item if isinstance(item, str) else os.path.abspath(item)
        if key not in seen:
            seen.add(key)
            found.files.append(item)

    for name in paths:
        if name == "-":
            add("-")
            continue
        path = Path(name)
        if path.is_dir():
            _walk(path, config_of, found, add)
        elif reports_only and path.is_file():
            verdict = _verdict(path, config_of(path))
            if verdict is None:
                add(path)
            else:
                found.skipped.append(Skipped(str(path), *verdict))
        else:
            add(path)  # named on the command line: checked (the engine says if it cannot be read)
    return found


def _verdict(path: Path, config) -> tuple[str, str] | None:
    """None when ``path`` is a report by the globs, else why not (nb, en)."""
    suffix = path.suffix.lower()
    if suffix == ".docx" and path.name.startswith("~$"):
        return ("Words låsefil for et åpent dokument, ikke en rapport", "Word's lock file for an open document, not a report")
    if not config.includes(path):
        kind = DOCUMENT_SUFFIXES.get(suffix)
        if kind is not None:
            return (f"dette er {kind[0]}: {kind[2]}", f"this is {kind[1]}: {kind[3]}")
        shown = ", ".join(config.include_globs)
        return (f"ikke en rapport etter include ({shown})", f"not a report by include ({shown})")
    pattern = config.excluded_by(path)
    if pattern is not None:
        from linter.config import DEFAULT_EXCLUDE

        default = config.exclude is None and pattern in DEFAULT_EXCLUDE
        where = "standard" if default or config.path is None else config.path.name
        return (f"utelatt av exclude «{pattern}» ({where})", f"left out by exclude «{pattern}» ({where})")
    return None


def _walk(root: Path, config_of: Callable, found: Discovery, add: Callable) -> None:
    ignored = GitIgnored(root)
    others: dict[str, int] = {}
    for directory, subdirs, names in os.walk(root):
        here = Path(directory)
        keep = []
        for sub in sorted(subdirs):
            if sub.startswith("."):
                continue  # .git, .venv, .pytest_cache: never reports
            if ignored.ignores(here / sub, is_dir=True):
                if _holds_markdown(here / sub):
                    found.skipped.append(Skipped(f"{here / sub}{os.sep}", "ignorert av .gitignore", "ignored by .gitignore"))
                continue
            keep.append(sub)
        subdirs[:] = keep
        names_here = {here / n for n in names}
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = here / name
            if not path.is_file():  # a pipe or a broken link named *.md is no report
                continue
            config = config_of(path)
            verdict = _verdict(path, config)
            if verdict is None and ignored.ignores(path, is_dir=False):
                verdict = ("ignorert av .gitignore", "ignored by .gitignore")
            if verdict is None and path.suffix.lower() == ".docx" and (here / (path.stem + ".md")) in names_here:
                verdict = (f"{path.stem}.md ved siden av kontrolleres (importert fra dette dokumentet)",
                           f"{path.stem}.md beside it is checked (imported from this document)")
            if verdict is None:
                add(path)
            elif path.suffix.lower() in (".md", ".markdown") or path.suffix.lower() in DOCUMENT_SUFFIXES \
                    or _looks_like_document(path):
                found.skipped.append(Skipped(str(path), *verdict))
            else:
                others[path.suffix.lower() or name] = others.get(path.suffix.lower() or name, 0) + 1
    if others:
        kinds = ", ".join(f"{k} ×{n}" for k, n in sorted(others.items()))
        total = sum(others.values())
        found.skipped.append(Skipped(f"{root}{os.sep}", f"{total} andre filer er ikke rapporter etter include ({kinds})",
                                     f"{total} other files are not reports by include ({kinds})"))


def _looks_like_document(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return sniff(handle.read(4096)) not in (None, _IMAGE, _ZIP)
    except OSError:
        return False


def _holds_markdown(directory: Path) -> bool:
    for _, _, names in os.walk(directory):
        if any(n.lower().endswith(".md") for n in names):
            return True
    return False


class GitIgnored:
    """What git ignores under ``root`` (``.gitignore``, ``.git/info/exclude``), asked of git once.
    Outside a git work tree, or without git, nothing is ignored."""

    def __init__(self, root: Path):
        self.paths: set[str] = set()
        self.dirs: list[str] = []
        try:
            proc = subprocess.run(
                ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z", "--", "."],
                cwd=root, capture_output=True, timeout=30,
            )
        except (OSError, subprocess.SubprocessError):
            return
        if proc.returncode != 0:
            return
        base = os.path.abspath(root)
        for entry in proc.stdout.decode("utf-8", "replace").split("\0"):
            if not entry:
                continue
            full = os.path.normpath(os.path.join(base, entry))
            if entry.endswith("/"):
                self.dirs.append(full + os.sep)
            else:
                self.paths.add(full)

    def ignores(self, path: Path, is_dir: bool) -> bool:
        full = os.path.abspath(path)
        if full in self.paths:
            return True
        probe = full + os.sep if is_dir else full
        return any(probe.startswith(d) for d in self.dirs)
