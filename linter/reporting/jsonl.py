"""JSON Lines: one finding per line, with the same fields as a finding in --format json; a file
that could not be checked gives a line with ``kind`` (input, syntax, rule-pack) instead of
``code``. Nothing else: the stream can be concatenated and filtered line by line."""

from __future__ import annotations

import json

from linter.reporting import as_run
from linter.reporting.common import file_errors, finding_dict


def render(run, lang: str = "nb", **_: object) -> str:
    out = []
    for result in as_run(run).results:
        for error in file_errors(result, lang):
            out.append(json.dumps(error, ensure_ascii=False))
        for finding in result.findings:
            out.append(json.dumps(finding_dict(finding, lang), ensure_ascii=False))
    return "".join(line + "\n" for line in out)
