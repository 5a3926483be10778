"""One line per finding, for editors and grep: ``path:line:col: CODE message``."""

from __future__ import annotations

from linter.reporting import as_run
from linter.reporting.common import where
from linter.reporting.text import failure_lines


def render(run, lang: str = "nb", **_: object) -> str:
    out: list[str] = []
    for result in as_run(run).results:
        out.extend(line for line in failure_lines(result, lang) if not line.startswith("    "))
        for f in result.findings:
            out.append(f"{where(f, lang)}: {f.code} [{f.severity.label(lang)}] {f.message(lang)}")
    return "".join(line + "\n" for line in out)
