"""GitLab Code Quality report (a JSON array of issues), for ``artifacts:reports:codequality``."""

from __future__ import annotations

import hashlib
import json

from linter.baseline import result_fingerprints
from linter.reporting import as_run
from linter.reporting.common import file_errors, uri, word_place

_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render(run, lang: str = "nb", **_: object) -> str:
    issues = []
    for result in as_run(run).results:
        for error in file_errors(result, lang):
            line = error.get("line", 1)
            issues.append({
                "type": "issue",
                "check_name": f"rapportlint/{error['kind']}",
                "description": error["message"],
                "categories": ["Bug Risk"],
                "severity": "blocker",
                "fingerprint": hashlib.sha256(f"{error['path']}\0{error['kind']}\0{line}\0{error['message']}".encode()).hexdigest(),
                "location": {"path": uri(result.path, file_uri=False), "lines": {"begin": line}},
            })
        # the same (path, context) twice gets distinct fingerprints: GitLab keys issues by them
        seen: dict[str, int] = {}
        for finding, print_ in zip(result.findings, result_fingerprints(result)):
            key = f"{uri(result.path, file_uri=False)}\0{print_}"
            seen[key] = seen.get(key, 0) + 1
            place = word_place(finding, lang)
            location: dict
            if place is not None:  # a Word draft: the paragraph number is the line Word users can find
                location = {"path": uri(finding.path, file_uri=False),
                            "lines": {"begin": finding.location.get("paragraph") or 1}}
            else:
                location = {
                    "path": uri(finding.path, file_uri=False),
                    "positions": {
                        "begin": {"line": finding.span.line, "column": finding.span.column},
                        "end": {"line": finding.span.end_line, "column": finding.span.end_column},
                    },
                }
            issues.append({
                "type": "issue",
                "check_name": f"{finding.code} {finding.name}",
                "description": f"{finding.code} {place + ': ' if place is not None else ''}{finding.message(lang)}",
                "content": {"body": f"{finding.docs_url}"},
                "categories": ["Style"] if finding.code.startswith("F") else ["Bug Risk"],
                "severity": _SEVERITY[finding.severity.value],
                "fingerprint": hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest(),
                "location": location,
            })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
