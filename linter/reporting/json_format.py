"""Machine output: one JSON document, shaped by the models in linter/reporting/json_model.py
(from which linter/schemas/findings.schema.json is generated)."""

from __future__ import annotations

import json

from linter import __version__
from linter.reporting import as_run
from linter.reporting.common import counts, file_errors, finding_dict, jsonable



def to_document(run, lang: str = "nb") -> dict:
    from linter.reporting.json_model import SCHEMA_VERSION, dump

    run = as_run(run)
    results = run.results
    findings = [finding_dict(f, lang) for r in results for f in r.findings]
    errors = [e for r in results for e in file_errors(r, lang)]
    suppressions = [{"path": r.path, **s.to_dict()} for r in results for s in r.suppressions]
    document = {
        "tool": "rapportlint",
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "audit": run.audit,
        "files": [{"path": r.path, "rule_pack": r.pack_id, "checked": not r.failed,
                   "coverage": getattr(r, "coverage", None) or {}} for r in results],
        "findings": findings,
        "errors": errors,
        "suppressions": suppressions,
        "summary": {"files": len(results), "findings": len(findings), **counts(results),
                    "failed_files": sum(r.failed for r in results),
                    "suppressed": sum(len(r.suppressed) for r in results)},
    }
    if run.baseline is not None:
        document["baseline"] = run.baseline.to_dict()
    return dump(document)


_jsonable = jsonable  # kept for callers of the first version


def render(run, lang: str = "nb", **_: object) -> str:
    return json.dumps(to_document(run, lang), ensure_ascii=False, indent=2) + "\n"
