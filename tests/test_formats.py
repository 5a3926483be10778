"""Every output format, run through the real CLI on the real examples; SARIF validated against
the official SARIF 2.1.0 schema (tests/schemas/), JSON against the shipped findings schema."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, all_examples, run_cli

SCHEMAS = ROOT / "tests" / "schemas"
SARIF_SCHEMA_SHA256 = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"
SUPPRESSED = ('---\nbydel: Test\ndokument: årsberetning\når: 2024\n---\n'
              '<!-- rapportlint: ignore F603 begrunnelse="Skrevet slik i kilden" -->\n'
              ': {#n type=nøkkeltall}\n| Nøkkeltall | 2023 | 2024 |\n|---|---:|---:|\n'
              '| Antall barn | 1,119 | 1 129 |\n\n# 9 Tom %, med: komma\n')


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The examples (relative paths, as a user in the repository would name them), plus a
    small report with a suppression."""
    extra = tmp_path_factory.mktemp("extra") / "undertrykt.md"
    extra.write_text(SUPPRESSED, encoding="utf-8")
    return [str(p.relative_to(ROOT)) for p in all_examples()] + [str(extra)]


@pytest.fixture(scope="module")
def reference(reports):
    """--format json: what every other format must agree with."""
    proc = run_cli("check", "--format", "json", *reports)
    assert proc.returncode == 1
    return json.loads(proc.stdout)


def as_uri(path: str) -> str:
    return Path(path).as_uri() if os.path.isabs(path) else path


def findings_of(reference):
    return [(f["path"], f["line"], f["column"], f["code"]) for f in reference["findings"]]


def test_json_follows_the_schema_and_every_finding_links_its_rule_page(reference):
    schema = json.loads((ROOT / "linter" / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(reference, schema)
    assert reference["summary"]["findings"] > 20 and reference["summary"]["suppressed"] == 1
    for finding in reference["findings"]:
        assert finding["docs"].endswith(f"/docs/rules/{finding['code']}.md")
        assert (ROOT / "docs" / "rules" / f"{finding['code']}.md").is_file()


def test_the_shipped_findings_schema_is_generated_from_the_output_model():
    """linter/schemas/findings.schema.json is what `rapportlint schema` prints: it must be the
    pydantic model's schema (regenerate with `python -m linter.reporting.json_model`)."""
    from linter.reporting.json_model import schema_text

    shipped = (ROOT / "linter" / "schemas" / "findings.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(), "stale schema: run python -m linter.reporting.json_model"


def test_the_output_model_refuses_a_key_it_does_not_declare(reference):
    """A formatter that adds a key without declaring it in the model fails, rather than writing
    output its own schema rejects."""
    import pydantic

    from linter.reporting.json_model import dump

    assert dump(reference) == reference
    with pytest.raises(pydantic.ValidationError):
        dump({**reference, "undeclared": 1})
    with pytest.raises(pydantic.ValidationError):
        dump({**reference, "findings": [{**reference["findings"][0], "code": "a201"}]})


def test_sarif_is_valid_sarif_2_1_0(reports, reference):
    schema_file = SCHEMAS / "sarif-2.1.0-rtm.5.json"
    assert hashlib.sha256(schema_file.read_bytes()).hexdigest() == SARIF_SCHEMA_SHA256
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    proc = run_cli("check", "--format", "sarif", *reports)
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    shown = [r for r in run["results"] if "suppressions" not in r]
    hidden = [r for r in run["results"] if "suppressions" in r]
    assert [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"]) for r in shown] == [
        (as_uri(p), line, code) for p, line, _, code in findings_of(reference)]
    for result in shown:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert rules[result["ruleIndex"]]["helpUri"].endswith(f"/{result['ruleId']}.md")
    [suppressed] = hidden
    assert suppressed["ruleId"] == "F603"
    assert suppressed["suppressions"][0]["justification"] == "Skrevet slik i kilden"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_reports_a_file_that_cannot_be_parsed(tmp_path):
    broken = tmp_path / "b.md"
    broken.write_text("---\nbydel: X\n---\n| A | B |\n|---|---|\n| 1 | 2 | 3 |\n", encoding="utf-8")
    unreadable = tmp_path / "c.md"
    unreadable.write_bytes(b"\xff\xfeh\x00i\x00")
    proc = run_cli("check", "--format", "sarif", str(broken), str(unreadable))
    assert proc.returncode == 2
    log = json.loads(proc.stdout)
    schema = json.loads((SCHEMAS / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "UTF-16" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    # the malformed row is a result with its rule, and the rest of b.md was checked
    results = log["runs"][0]["results"]
    assert any(r["ruleId"] == "P001" and "3 celler" in r["message"]["text"] for r in results)
    assert any(r["ruleId"] == "M101" for r in results)


def test_jsonl_and_concise_have_one_line_per_finding(reports, reference):
    lines = run_cli("check", "--format", "jsonl", *reports).stdout.decode().splitlines()
    assert [json.loads(line) for line in lines] == reference["findings"]
    concise = run_cli("check", "--format", "concise", *reports).stdout.decode().splitlines()
    assert [tuple(line.split(": ", 1)[0].rsplit(":", 2)) + (line.split(" ")[1],) for line in concise] == [
        (p, str(line), str(col), code) for p, line, col, code in findings_of(reference)]


def test_github_annotations(reports, reference):
    lines = run_cli("check", "--format", "github", *reports).stdout.decode().splitlines()
    assert len(lines) == len(reference["findings"])
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for line, finding in zip(lines, reference["findings"]):
        assert line.startswith(f"::{level[finding['severity']]} file={finding['path']},line={finding['line']},"
                               f"col={finding['column']},")
        assert f"title={finding['code']} {finding['name']}::{finding['code']} " in line
    # the heading "9 Tom %, med: komma" is escaped in properties and data alike
    tom = [line for line in lines if "Tom" in line]
    assert tom and all("%25" in line for line in tom)


def test_gitlab_code_quality(reports, reference):
    issues = json.loads(run_cli("check", "--format", "gitlab", *reports).stdout)
    assert len(issues) == len(reference["findings"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue, finding in zip(issues, reference["findings"]):
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == finding["path"].replace(os.sep, "/")
        assert issue["location"]["positions"]["begin"]["line"] == finding["line"]
        assert issue["check_name"].startswith(finding["code"])


def test_junit(reports, reference):
    root = ET.fromstring(run_cli("check", "--format", "junit", *reports).stdout)
    assert root.tag == "testsuites"
    assert int(root.get("failures")) == len(reference["findings"])
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [f["path"] for f in reference["files"]]
    clean = suites["examples/ren-arsberetning-2024.md"]
    assert clean.get("tests") == "1" and clean.get("failures") == "0"


def test_statistics_counts_per_rule(reports, reference):
    document = json.loads(run_cli("check", "--statistics", "--format", "json", *reports).stdout)
    rows = document["rules"]
    expected: dict[str, int] = {}
    for finding in reference["findings"]:
        expected[finding["code"]] = expected.get(finding["code"], 0) + 1
    assert {r["code"]: r["count"] for r in rows} == expected
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    # the coverage per file tells "checked, nothing wrong" from "not checked"
    assert [f["path"] for f in document["files"]] == [f["path"] for f in reference["files"]]
    for entry, listed in zip(document["files"], reference["files"]):
        assert entry["coverage"] == listed["coverage"]
    text = run_cli("check", "--statistics", *reports).stdout.decode().splitlines()
    total_line = next(line for line in text if line.split()[-1:] == ["totalt"])
    assert total_line.split() == [str(len(reference["findings"])), "totalt"]
    assert "dekning (aritmetikk):" in text


def test_jobs_give_the_same_output_in_the_same_order(reports, reference):
    backwards = list(reversed(reports))
    two = run_cli("check", "--format", "json", "--jobs", "2", *backwards)
    assert two.returncode == 1
    document = json.loads(two.stdout)
    assert [f["path"] for f in document["files"]] == backwards
    by_file = lambda doc: {p: [f for f in doc["findings"] if f["path"] == p] for p in reports}  # noqa: E731
    assert by_file(document) == by_file(reference)
    assert [f["path"] for f in document["findings"]] == sorted(
        (f["path"] for f in document["findings"]), key=backwards.index)
    # source excerpts come from the kept text when the model stays in the worker
    pair = reports[-2:]
    assert run_cli("check", "-j", "2", *pair).stdout == run_cli("check", *pair).stdout


def test_text_colour_only_when_asked_or_on_a_terminal(reports):
    plain = run_cli("check", reports[-1]).stdout.decode()
    assert "\033[" not in plain
    coloured = run_cli("check", "--color", reports[-1]).stdout.decode()
    assert "\033[33madvarsel\033[0m" in coloured


def run_with_tty_stderr(*args, cwd):
    """Run the CLI with standard error on a pseudo-terminal; return (stdout, what the terminal got)."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "linter", *args], stdout=subprocess.PIPE, stderr=secondary,
                            cwd=cwd, env={**os.environ, "COLUMNS": "80"})
    os.close(secondary)
    screen = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    out = proc.stdout.read()
    proc.wait(timeout=120)
    os.close(primary)
    return out, screen.decode(errors="replace")


def test_progress_bar_on_a_terminal_with_many_files_only(tmp_path):
    source = "---\nbydel: Test\ndokument: årsberetning\når: 2024\n---\nTekst.\n"
    for index in range(25):
        (tmp_path / f"r{index:02}.md").write_text(source, encoding="utf-8")
    out, screen = run_with_tty_stderr("check", "--select", "F", "-j", "2", ".", cwd=tmp_path)
    assert "Kontrollerer" in screen and "100%" in screen
    assert b"Kontrollerer" not in out and out.decode() == "25 fil(er) kontrollert: ingen funn\n"
    piped = run_cli("check", "--select", "F", ".", cwd=tmp_path)
    assert piped.stderr == b""
    few = tmp_path / "few"
    few.mkdir()
    (few / "r.md").write_text(source, encoding="utf-8")
    _, screen = run_with_tty_stderr("check", "--select", "F", "few", cwd=tmp_path)
    assert "Kontrollerer" not in screen


def test_output_file(tmp_path, reports):
    target = tmp_path / "resultat.sarif"
    proc = run_cli("check", "--format", "sarif", "-o", str(target), *reports)
    assert proc.returncode == 1 and proc.stdout == b""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"
