"""Baseline: accept today's findings, report only new ones.

``--write-baseline FILE`` records, per report, each finding's code and a fingerprint of its
context with a count; ``--baseline FILE`` then drops as many findings with the same (file, code,
fingerprint) as were recorded, and lists the entries that no longer occur. The fingerprint is a
hash of the code, the text of the finding's line and the text it points at (the cell, the
heading; whitespace collapsed) and the finding's machine-readable ``details`` (which section is
missing, which sum; line numbers left out): adding or removing lines elsewhere does not change
it, changing the offending line or number does, and rewording a rule's message does not (the
message is stored beside the fingerprint for people to read, never hashed). Paths are stored relative to the
baseline file's directory. Version 1 files (whose fingerprints hashed the Norwegian message) are
still read and matched.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linter.engine import FileResult
    from linter.rules.base import Finding

BASELINE_VERSION = 2
READABLE_VERSIONS = (1, 2)
_MAX_SPAN_TEXT = 200  # characters of the pointed-at text hashed (a section finding spans pages)


class BaselineError(Exception):
    def __init__(self, path: str, message_nb: str, message_en: str):
        super().__init__(message_en)
        self.path, self.message_nb, self.message_en = path, message_nb, message_en

    def message(self, lang: str) -> str:
        return f"{self.path}: {self.message_en if lang == 'en' else self.message_nb}"


# Line numbers inside a message ("linje 55, 56, 57") move with every line added above them.
_LINE_NUMBERS = re.compile(r"\b(linje|linjer|linjene)\s+\d+(?:\s*(?:,|og|–|-)\s*\d+)*")


def fingerprint(finding: "Finding", line_text: str, span_text: str = "") -> str:
    """The finding's identity across runs: its code, the text around it and its details, never
    its message."""
    context = " ".join(line_text.split())
    pointed = " ".join(span_text[: _MAX_SPAN_TEXT * 2].split())[:_MAX_SPAN_TEXT]
    facts = json.dumps(_without_lines(finding.details), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{finding.code}\0{context}\0{pointed}\0{facts}".encode("utf-8")).hexdigest()[:20]


def _without_lines(value: Any) -> Any:
    """Details with line numbers left out: they move with every line added above."""
    if isinstance(value, dict):
        return {str(k): _without_lines(v) for k, v in value.items() if not _is_line_key(str(k))}
    if isinstance(value, (list, tuple)):
        return [_without_lines(v) for v in value]
    return value


def _is_line_key(key: str) -> bool:
    return key in ("line", "lines", "first_line", "last_line") or key.endswith("_line") or key.endswith("_lines")


def legacy_fingerprint(finding: "Finding", line_text: str) -> str:
    """Version 1: the code, the line and the Norwegian message (line numbers left out)."""
    context = " ".join(line_text.split())
    message = _LINE_NUMBERS.sub(r"\1 #", " ".join(finding.message_nb.split()))
    return hashlib.sha256(f"{finding.code}\0{context}\0{message}".encode("utf-8")).hexdigest()[:20]


def span_text(result: "FileResult", finding: "Finding") -> str:
    source = result.source if result.source is not None else (result.report.source if result.report else None)
    if not source:
        return ""
    return source[finding.span.offset: min(finding.span.end_offset, finding.span.offset + _MAX_SPAN_TEXT * 2)]


def finding_fingerprint(result: "FileResult", finding: "Finding", version: int = BASELINE_VERSION) -> str:
    line = result.line_text(finding.span.line)
    if version == 1:
        return legacy_fingerprint(finding, line)
    return fingerprint(finding, line, span_text(result, finding))


def result_fingerprints(result: "FileResult", version: int = BASELINE_VERSION) -> list[str]:
    return [finding_fingerprint(result, f, version) for f in result.findings]


@dataclass(slots=True)
class Entry:
    path: str
    code: str
    fingerprint: str
    count: int
    message: str = ""  # for people reading the file and the list of stale entries
    version: int = BASELINE_VERSION  # how the fingerprint was made (the file's baseline_version)

    def to_dict(self) -> dict:
        return {"path": self.path, "code": self.code, "fingerprint": self.fingerprint, "count": self.count,
                "message": self.message}


@dataclass(slots=True)
class Outcome:
    path: str
    matched: int = 0
    stale: list[Entry] = field(default_factory=list)
    # the findings the baseline accounts for, by the result's path (SARIF's baselineState "unchanged")
    unchanged: dict[str, list["Finding"]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"path": self.path, "matched": self.matched, "stale": [e.to_dict() for e in self.stale]}


def key_path(shown: str, baseline_path: "str | Path") -> str:
    """A result's path as the baseline at ``baseline_path`` stores it."""
    return _key_path(shown, Path(os.path.abspath(baseline_path)).parent)


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
        version = data.get("baseline_version")
        if data.get("tool") != "rapportlint" or version not in READABLE_VERSIONS:
            raise KeyError("baseline_version")
        return [Entry(str(e["path"]), str(e["code"]), str(e["fingerprint"]), int(e["count"]), str(e.get("message", "")),
                      version)
                for e in data["entries"]]
    except (AttributeError, KeyError, TypeError, ValueError):
        raise BaselineError(shown, f"ikke en rapportlint-baseline (versjon {BASELINE_VERSION})",
                            f"not a rapportlint baseline (version {BASELINE_VERSION})") from None


def apply(results: list["FileResult"], baseline_path: Path, entries: list[Entry]) -> Outcome:
    """Drop the findings the baseline accounts for (in place); list the entries, of the files
    checked now, that occur fewer times than recorded."""
    base = Path(os.path.abspath(baseline_path)).parent
    remaining: dict[tuple[str, str, str], int] = {}
    versions = sorted({entry.version for entry in entries}, reverse=True) or [BASELINE_VERSION]
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
        accepted = []
        prints = {version: result_fingerprints(result, version) for version in versions}
        for index, finding in enumerate(result.findings):
            key = next(((path, finding.code, prints[v][index]) for v in versions
                        if remaining.get((path, finding.code, prints[v][index]), 0) > 0), None)
            if key is not None:
                remaining[key] -= 1
                outcome.matched += 1
                accepted.append(finding)
            else:
                kept.append(finding)
        result.findings = kept
        if accepted:
            outcome.unchanged[result.path] = accepted
    outcome.stale = [Entry(e.path, e.code, e.fingerprint, remaining[(e.path, e.code, e.fingerprint)], e.message, e.version)
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
