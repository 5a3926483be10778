"""What several formats share: a finding as a dict, file errors, relative URIs, counts."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from linter.engine import FileResult
from linter.rules.base import Finding


def jsonable(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def finding_dict(finding: Finding, lang: str) -> dict:
    return {
        "path": finding.path,
        "line": finding.span.line,
        "column": finding.span.column,
        "end_line": finding.span.end_line,
        "end_column": finding.span.end_column,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message(lang),
        "fixable": finding.fix is not None,
        "docs": finding.docs_url,
        "details": jsonable(finding.details),
    }


def file_errors(result: FileResult, lang: str) -> list[dict]:
    """Why a file could not be checked: input, rule-pack and syntax errors."""
    errors: list[dict[str, Any]] = []
    if result.input_error:
        errors.append({"path": result.path, "kind": "input", "message": result.input_error.message(lang)})
    if result.pack_error:
        errors.append({"path": result.path, "kind": "rule-pack", "message": result.pack_error.message(lang)})
    if result.syntax_error:
        for p in result.syntax_error.problems:
            error = {"path": result.path, "kind": "syntax", "line": p.line, "column": p.column, "message": p.message(lang)}
            hint = p.hint(lang)
            if hint:
                error["hint"] = hint
            errors.append(error)
    return errors


def uri(path: str, file_uri: bool = True) -> str:
    """A report's path as a URI: relative with forward slashes when it is under the working
    directory, else (SARIF) an absolute file: URI."""
    if path.startswith("<"):
        return path
    if os.path.isabs(path):
        try:
            relative = os.path.relpath(path)
        except ValueError:
            relative = ".."
        if not relative.startswith(".."):
            return Path(relative).as_posix()
        return Path(path).as_uri() if file_uri else Path(path).as_posix()
    return Path(path).as_posix()


def counts(results: list[FileResult]) -> dict[str, int]:
    found = {"error": 0, "warning": 0, "info": 0}
    for result in results:
        for finding in result.findings:
            found[finding.severity.value] += 1
    return found


# Characters XML 1.0 forbids anywhere, even escaped (control characters such as a form feed,
# lone surrogates, U+FFFE/U+FFFF): ElementTree writes them as they are, and the file is then
# ill-formed. They can only be text, never markup, so they are replaced in the whole document.
# Named by what is forbidden, not by what is allowed: the negated class of every allowed range
# took 10-25 ms to compile on every start.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML forbids shown as \\xNN (or \\uNNNN)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
