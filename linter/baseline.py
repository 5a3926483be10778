"""Baseline: accept today's findings, report only new ones.

``--write-baseline FILE`` records, per report, each finding's code and a fingerprint of its
context with a count; ``--baseline FILE`` then drops as many findings with the same (file, code,
fingerprint) as were recorded, and lists the entries that no longer occur. The fingerprint is a
hash of the code, the text of the finding's line (whitespace collapsed) and the Norwegian
message (line numbers in it left out), so adding or removing lines elsewhere in the report does not change it, while changing
the offending line or number does. Paths are stored relative to the baseline file's directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.engine import FileResult
    from linter.rules.base import Finding

BASELINE_VERSION = 1


class BaselineError(Exception):
    def __init__(self, path: str, message_nb: str, message_en: str):
        super().__init__(message_en)
        self.path, self.message_nb, self.message_en = path, message_nb, message_en

    def message(self, lang: str) -> str:
        return f"{self.path}: {self.message_en if lang == 'en' else self.message_nb}"


# Line numbers inside a message ("linje 55, 56, 57") move with every line added above them.
_LINE_NUMBERS = re.compile(r"\b(linje|linjer|linjene)\s+\d+(?:\s*(?:,|og|–|-)\s*\d+)*")


def fingerprint(finding: "Finding", line_text: str) -> str:
    context = " ".join(line_text.split())
    message = _LINE_NUMBERS.sub(r"\1 #", " ".join(finding.message_nb.split()))
    return hashlib.sha256(f"{finding.code}\0{context}\0{message}".encode("utf-8")).hexdigest()[:20]


def result_fingerprints(result: "FileResult") -> list[str]:
    return [fingerprint(f, result.line_text(f.span.line)) for f in result.findings]


@dataclass(slots=True)
class Entry:
    path: str
    code: str
    fingerprint: str
    count: int
    message: str = ""  # for people reading the file and the list of stale entries

    def to_dict(self) -> dict:
        return {"path": self.path, "code": self.code, "fingerprint": self.fingerprint, "count": self.count,
                "message": self.message}


@dataclass(slots=True)
class Outcome:
    path: str
    matched: int = 0
    stale: list[Entry] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"path": self.path, "matched": self.matched, "stale": [e.to_dict() for e in self.stale]}


def _key_path(shown: str, base: Path) -> str:
    """A finding's file as the baseline stores it: relative to the baseline's directory."""
    if shown.startswith("<") or shown == "-":
        return shown
    try:
        return Path(os.path.relpath(os.path.abspath(shown), base)).as_posix()
    except ValueError:
        return Path(shown).as_posix()


def entries_for(results: list["FileResult"], baseline_path: Path) -> list[Entry]:
    base = Path(os.path.abspath(baseline_path)).parent
    counted: Counter[tuple[str, str, str]] = Counter()
    messages: dict[tuple[str, str, str], str] = {}
    for result in results:
        for finding, print_ in zip(result.findings, result_fingerprints(result)):
            key = (_key_path(result.path, base), finding.code, print_)
            counted[key] += 1
            messages.setdefault(key, finding.message_nb)
    return [Entry(p, c, f, n, messages[(p, c, f)]) for (p, c, f), n in sorted(counted.items())]


def write(results: list["FileResult"], baseline_path: Path) -> int:
    """Write the baseline atomically; returns the number of findings recorded."""
    from linter import __version__
    from linter.atomic import write_atomic

    entries = entries_for(results, baseline_path)
    document = {"tool": "rapportlint", "version": __version__, "baseline_version": BASELINE_VERSION,
                "entries": [e.to_dict() for e in entries]}
    existed = baseline_path.exists()
    write_atomic(baseline_path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    if not existed:  # the usual permissions, not the temporary file's 0600: it is shared in the repository
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(baseline_path, 0o666 & ~mask)
    return sum(e.count for e in entries)


def load(baseline_path: Path) -> list[Entry]:
    shown = str(baseline_path)
    try:
        data = json.loads(baseline_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(shown, "baseline-filen finnes ikke (lag den med --write-baseline)",
                            "the baseline file does not exist (make it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(shown, f"kan ikke lese baseline: {exc}", f"cannot read the baseline: {exc}") from None
    try:
        if data.get("tool") != "rapportlint" or data.get("baseline_version") != BASELINE_VERSION:
            raise KeyError("baseline_version")
        return [Entry(str(e["path"]), str(e["code"]), str(e["fingerprint"]), int(e["count"]), str(e.get("message", "")))
                for e in data["entries"]]
    except (AttributeError, KeyError, TypeError, ValueError):
        raise BaselineError(shown, f"ikke en rapportlint-baseline (versjon {BASELINE_VERSION})",
                            f"not a rapportlint baseline (version {BASELINE_VERSION})") from None


def apply(results: list["FileResult"], baseline_path: Path, entries: list[Entry]) -> Outcome:
    """Drop the findings the baseline accounts for (in place); list the entries, of the files
    checked now, that occur fewer times than recorded."""
    base = Path(os.path.abspath(baseline_path)).parent
    remaining: dict[tuple[str, str, str], int] = {}
    for entry in entries:
        key = (entry.path, entry.code, entry.fingerprint)
        remaining[key] = remaining.get(key, 0) + entry.count
    outcome = Outcome(str(baseline_path))
    checked = set()
    for result in results:
        path = _key_path(result.path, base)
        if result.failed:
            continue  # a file that could not be checked says nothing about its entries
        checked.add(path)
        kept = []
        for finding, print_ in zip(result.findings, result_fingerprints(result)):
            key = (path, finding.code, print_)
            if remaining.get(key, 0) > 0:
                remaining[key] -= 1
                outcome.matched += 1
            else:
                kept.append(finding)
        result.findings = kept
    outcome.stale = [Entry(e.path, e.code, e.fingerprint, remaining[(e.path, e.code, e.fingerprint)], e.message)
                     for e in entries
                     if e.path in checked and remaining.get((e.path, e.code, e.fingerprint), 0) > 0]
    # an entry listed twice would be reported twice: keep the first
    seen, unique = set(), []
    for entry in outcome.stale:
        if (entry.path, entry.code, entry.fingerprint) not in seen:
            seen.add((entry.path, entry.code, entry.fingerprint))
            unique.append(entry)
    outcome.stale = unique
    return outcome
