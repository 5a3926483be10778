"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

from linter.reporting import as_run
from linter.reporting.common import file_errors, word_place

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(run, lang: str = "nb", **_: object) -> str:
    out = []
    for result in as_run(run).results:
        for error in file_errors(result, lang):
            where = f"file={_property(error['path'])}"
            if "line" in error:
                where += f",line={error['line']},col={error['column']}"
            out.append(f"::error {where},title={_property('rapportlint ' + error['kind'])}::{_data(error['message'])}")
        for f in result.findings:
            span = f.span
            place = word_place(f, lang)
            if place is not None:  # a Word draft: no line to annotate; the place leads the message
                out.append(f"::{_LEVEL[f.severity.value]} file={_property(f.path)},title={_property(f'{f.code} {f.name}')}"
                           f"::{_data(f'{f.code} {place}: {f.message(lang)}')}")
                continue
            props = [f"file={_property(f.path)}", f"line={span.line}", f"col={span.column}"]
            if span.end_line >= span.line:
                props.append(f"endLine={span.end_line}")
                if span.end_line == span.line and span.end_column > span.column:
                    props.append(f"endColumn={span.end_column}")
            props.append(f"title={_property(f'{f.code} {f.name}')}")
            out.append(f"::{_LEVEL[f.severity.value]} {','.join(props)}::{_data(f'{f.code} {f.message(lang)}')}")
    return "".join(line + "\n" for line in out)
