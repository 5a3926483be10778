"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. Every rule is described in
``tool.driver.rules`` (with its docs page as helpUri); findings hidden by an inline suppression
are included with ``suppressions`` (kind inSource, the begrunnelse as justification), as SARIF
intends, so a viewer can show what was suppressed and why. With ``--baseline`` every result says
its ``baselineState``: ``new``, ``unchanged`` (accepted by the baseline; listed so a viewer can
show the whole picture) or ``absent`` (in the baseline, gone from the report)."""

from __future__ import annotations

import json
import os
from typing import Any

from linter import __version__
from linter.baseline import finding_fingerprint, result_fingerprints
from linter.reporting import as_run
from linter.reporting.common import file_errors, jsonable, uri, word_place
from linter.rules.base import DOCS_BASE, docs_url

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = DOCS_BASE.rsplit("/blob/", 1)[0]
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule_descriptor(rule, lang: str) -> dict:
    doc = rule.doc()
    first = doc.split("\n\n", 1)[0].replace("\n", " ").strip()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary[1 if lang == "en" else 0]},
        "fullDescription": {"text": first or rule.summary[1 if lang == "en" else 0]},
        "helpUri": docs_url(rule.code),
        "help": {"text": doc or rule.summary[0]},
        "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
        "properties": {"family": rule.family, "fixable": bool(rule.fixable)},
    }


def _location(path: str, line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> dict:
    region = {"startLine": line, "startColumn": column}
    if end_line is not None and end_column is not None and (end_line, end_column) >= (line, column):
        region["endLine"] = end_line
        region["endColumn"] = end_column
    return {"physicalLocation": {"artifactLocation": {"uri": uri(path)}, "region": region}}


def to_log(run, lang: str = "nb") -> dict:
    from linter.rules.registry import all_rules

    run = as_run(run)
    rules = list(all_rules().values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    notifications = []
    for result in run.results:
        for error in file_errors(result, lang):
            notification: dict[str, Any] = {"level": "error", "message": {"text": error["message"]},
                            "descriptor": {"id": f"rapportlint/{error['kind']}"}}
            notification["locations"] = [_location(result.path, error.get("line", 1), error.get("column", 1))]
            notifications.append(notification)
        shown = [(f, p, "new") for f, p in zip(result.findings, result_fingerprints(result))]
        hidden = [(f, finding_fingerprint(result, f), "new") for f in result.suppressed]
        accepted = run.baseline.unchanged.get(result.path, []) if run.baseline is not None else []
        shown += [(f, finding_fingerprint(result, f), "unchanged") for f in accepted]
        for finding, print_, state in shown + hidden:
            entry = {
                "ruleId": finding.code,
                "level": _LEVEL[finding.severity.value],
                "message": {"text": finding.message(lang)},
                "locations": [_location(finding.path, finding.span.line, finding.span.column,
                                        finding.span.end_line, finding.span.end_column)],
                "partialFingerprints": {"rapportlint/v1": print_},
            }
            place = word_place(finding, lang)
            if place is not None:
                # A Word draft: lines mean nothing there; the place as Word shows it is a logical location.
                entry["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri(finding.path)}},
                                       "logicalLocations": [{"fullyQualifiedName": place, "kind": "element"}]}]
                entry["message"] = {"text": f"{place}: {finding.message(lang)}"}
            if finding.code in index:
                entry["ruleIndex"] = index[finding.code]
            if finding.details:
                entry["properties"] = {"details": jsonable(finding.details)}
                related = finding.details.get("related") if isinstance(finding.details, dict) else None
                if isinstance(related, list):  # the other file of a cross-document finding (D702)
                    entry["relatedLocations"] = [
                        {"id": i, **_location(r["path"], r["line"], r["column"], r.get("end_line"), r.get("end_column"))}
                        for i, r in enumerate(related) if isinstance(r, dict) and "path" in r]
            if run.baseline is not None:
                entry["baselineState"] = state
            suppression = next((s for s in result.suppressions if s.pattern_for(finding)), None)
            if suppression is not None and not run.audit:
                entry["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": suppression.reason,
                                          "location": _location(finding.path, suppression.span.line, suppression.span.column)}]
            results.append(entry)
    if run.baseline is not None:
        results.extend(_absent(run.baseline, index))
    invocation: dict[str, Any] = {"executionSuccessful": not any(r.failed for r in run.results)}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "rapportlint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI,
                                "rules": [_rule_descriptor(rule, lang) for rule in rules]}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _absent(outcome, index: dict[str, int]) -> list[dict]:
    """Baseline entries no longer found: no region (the text is gone), the message as recorded."""
    base = os.path.dirname(os.path.abspath(outcome.path))
    absent = []
    for entry in outcome.stale:
        path = entry.path if entry.path.startswith("<") else os.path.relpath(os.path.join(base, entry.path))
        result = {
            "ruleId": entry.code,
            "level": "none",
            "kind": "pass",
            "message": {"text": entry.message or entry.code},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(path)}}}],
            "partialFingerprints": {"rapportlint/v1": entry.fingerprint},
            "baselineState": "absent",
            "properties": {"count": entry.count},
        }
        if entry.code in index:
            result["ruleIndex"] = index[entry.code]
        absent.append(result)
    return absent


def render(run, lang: str = "nb", **_: object) -> str:
    return json.dumps(to_log(run, lang), ensure_ascii=False, indent=2) + "\n"
