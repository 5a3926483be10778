"""JUnit XML: a test suite per report, a failing test case per finding (and one passing case for
a clean report), so CI systems that read JUnit show the findings as test failures."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from linter.reporting import as_run
from linter.reporting.common import file_errors, xml_safe
from linter.reporting.common import where as place


def render(run, lang: str = "nb", **_: object) -> str:
    results = as_run(run).results
    root = ET.Element("testsuites", name="rapportlint")
    total = total_failures = total_errors = 0
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=result.path)
        cases = failures = errors = 0
        for error in file_errors(result, lang):
            where = f"{result.path}:{error['line']}:{error['column']}" if "line" in error else result.path
            case = ET.SubElement(suite, "testcase", name=f"{error['kind']} {where}", classname=result.path)
            ET.SubElement(case, "error", message=error["message"], type=error["kind"]).text = f"{where}: {error['message']}"
            cases += 1
            errors += 1
        for f in result.findings:
            where = place(f, lang)
            case = ET.SubElement(suite, "testcase", name=f"{f.code} {where}", classname=result.path, file=f.path,
                                 line=str(f.location["paragraph"] if f.location else f.span.line))
            failure = ET.SubElement(case, "failure", message=f.message(lang), type=f"{f.code} {f.severity.value}")
            failure.text = f"{where}: {f.code} [{f.severity.label(lang)}] {f.message(lang)}\n{f.docs_url}"
            cases += 1
            failures += 1
        if not cases:
            ET.SubElement(suite, "testcase", name="rapportlint", classname=result.path)
            cases = 1
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        total += cases
        total_failures += failures
        total_errors += errors
    root.set("tests", str(total))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root)
    return xml_safe('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")
