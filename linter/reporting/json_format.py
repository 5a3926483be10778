"""Machine output: one JSON document following linter/schemas/findings.schema.json."""

from __future__ import annotations

import json

from linter import __version__
from linter.engine import FileResult

SCHEMA_VERSION = 1


def to_document(results: list[FileResult], lang: str = "nb") -> dict:
    findings = []
    errors = []
    counts = {"error": 0, "warning": 0, "info": 0}
    for result in results:
        for finding in result.findings:
            counts[finding.severity.value] += 1
            findings.append({
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
                "details": _jsonable(finding.details),
            })
        if result.input_error:
            errors.append({"path": result.path, "kind": "input", "message": result.input_error.message(lang)})
        if result.pack_error:
            errors.append({"path": result.path, "kind": "rule-pack", "message": result.pack_error.message(lang)})
        if result.syntax_error:
            for p in result.syntax_error.problems:
                errors.append({"path": result.path, "kind": "syntax", "line": p.line, "column": p.column,
                               "message": p.message(lang), "hint": p.hint(lang)})
    return {
        "tool": "rapportlint",
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "files": [{"path": r.path, "rule_pack": r.pack_id, "checked": not r.failed} for r in results],
        "findings": findings,
        "errors": errors,
        "summary": {"files": len(results), "findings": len(findings), **counts, "failed_files": sum(r.failed for r in results)},
    }


def _jsonable(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def render(results: list[FileResult], lang: str = "nb", **_: object) -> str:
    return json.dumps(to_document(results, lang), ensure_ascii=False, indent=2) + "\n"
