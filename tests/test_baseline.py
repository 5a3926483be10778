"""--write-baseline / --baseline on a real example, through the real CLI."""

from __future__ import annotations

import json
import re
import shutil

from conftest import EXAMPLES, run_cli

EXAMPLE = EXAMPLES / "grunerlokka-arsberetning-2024.md"


def test_baseline_accepts_todays_findings_and_reports_new_and_gone(tmp_path):
    report = tmp_path / "rapport.md"
    shutil.copy(EXAMPLE, report)
    before = json.loads(run_cli("check", "--format", "json", "rapport.md", cwd=tmp_path).stdout)["findings"]
    assert len(before) > 5

    proc = run_cli("check", "--write-baseline", "baseline.json", "rapport.md", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.decode() == f"rapportlint: skrev {len(before)} funn til baseline.json\n"
    stored = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert sum(e["count"] for e in stored["entries"]) == len(before)
    assert {e["path"] for e in stored["entries"]} == {"rapport.md"}

    proc = run_cli("check", "--baseline", "baseline.json", "rapport.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout.decode()
    assert proc.stdout.decode().endswith(f"ingen funn; {len(before)} i baseline\n")

    # Lines added above every finding move them all; the fingerprints do not move.
    text = report.read_text(encoding="utf-8")
    head_end = text.index("\n---\n", 3) + 5
    moved = text[:head_end] + "\nEn ny innledende linje.\n\n" + text[head_end:]
    # Fix one finding (the first template-title drift) and add a new problem: a new empty section.
    first = next(f for f in before if f["code"] == "S106" and "avviker fra malens" in f["message"])
    reported, template = re.fullmatch(r"tittelen «(.+)» avviker fra malens «(.+)»", first["message"]).groups()
    lines = moved.split("\n")
    fixed_line = first["line"] + 3
    assert reported in lines[fixed_line - 1]
    lines[fixed_line - 1] = lines[fixed_line - 1].replace(reported, template)
    report.write_text("\n".join(lines) + "\n# 99 Ny tom seksjon\n", encoding="utf-8")

    proc = run_cli("check", "--format", "json", "--baseline", "baseline.json", "rapport.md", cwd=tmp_path)
    document = json.loads(proc.stdout)
    # only what the new section brings is new (whichever rules see it); S102 among it
    new_line = len(report.read_text(encoding="utf-8").split("\n")) - 1
    assert {f["line"] for f in document["findings"]} == {new_line}
    assert [f["message"] for f in document["findings"] if f["code"] == "S102"] == ["seksjonen «99 Ny tom seksjon» er tom"]
    assert document["baseline"]["matched"] == len(before) - 1
    [stale] = document["baseline"]["stale"]
    assert (stale["code"], stale["count"], stale["message"]) == ("S106", 1, first["message"])
    text_out = run_cli("check", "--baseline", "baseline.json", "rapport.md", cwd=tmp_path).stdout.decode()
    assert "Baseline-oppføringer som ikke lenger finnes:\n  rapport.md: S106 ×1 " in text_out


def test_baseline_errors_are_exit_2(tmp_path):
    report = tmp_path / "rapport.md"
    shutil.copy(EXAMPLES / "ren-arsberetning-2024.md", report)
    proc = run_cli("check", "--baseline", "mangler.json", "rapport.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode() == "rapportlint: mangler.json: baseline-filen finnes ikke (lag den med --write-baseline)\n"
    (tmp_path / "feil.json").write_text('{"entries": 3}', encoding="utf-8")
    proc = run_cli("check", "--baseline", "feil.json", "rapport.md", cwd=tmp_path)
    assert proc.returncode == 2 and "ikke en rapportlint-baseline" in proc.stderr.decode()


def _check_example(name: str):
    from linter.engine import CheckOptions, check_text
    from linter.rules.registry import all_rules

    text = (EXAMPLES / name).read_text(encoding="utf-8")
    return check_text(text, name, CheckOptions(rules=list(all_rules().values())))


def test_rewording_a_message_keeps_the_baseline(tmp_path):
    """The fingerprint hashes the code and the text the finding points at, never the message:
    a rule whose Norwegian and English messages are reworded still matches every entry."""
    from linter import baseline

    path = tmp_path / "baseline.json"
    before = _check_example("grunerlokka-arsberetning-2024.md")
    assert len(before.findings) > 5
    baseline.write([before], path)
    after = _check_example("grunerlokka-arsberetning-2024.md")
    for finding in after.findings:
        finding.message_nb = "omformulert: " + finding.message_nb.upper()
        finding.message_en = "reworded"
    outcome = baseline.apply([after], path, baseline.load(path))
    assert after.findings == [] and outcome.stale == []
    assert outcome.matched == len(before.findings)


def test_two_findings_of_one_rule_on_one_line_keep_their_own_fingerprints():
    """Without the message, the text the finding points at tells two cells of a row apart."""
    from linter import baseline
    from linter.engine import CheckOptions, check_text
    from linter.rules.registry import all_rules

    text = ("---\nbydel: Test\ndokument: årsberetning\når: 2024\n---\n: {#n type=nøkkeltall}\n"
            "| Nøkkeltall | 2023 | 2024 |\n|---|---:|---:|\n| Antall barn | 1,119 | 2,345 |\n")
    options = CheckOptions(rules=[all_rules()["F603"]])
    before = check_text(text, "r.md", options)
    assert [f.code for f in before.findings] == ["F603", "F603"]
    assert len(set(baseline.result_fingerprints(before))) == 2
    # ... and each matches itself only: the other cell's text in a copy of the report does not match
    swapped = check_text(text.replace("1,119", "2,999"), "r.md", options)
    prints = baseline.result_fingerprints(swapped)
    assert prints[0] not in baseline.result_fingerprints(before)


def test_a_version_1_baseline_is_still_matched(tmp_path):
    """Baselines written before the fingerprint changed (version 1 hashed the message) still work."""
    from linter import baseline

    result = _check_example("grunerlokka-arsberetning-2024.md")
    count = len(result.findings)
    entries = [{"path": "grunerlokka-arsberetning-2024.md", "code": f.code, "count": 1, "message": f.message_nb,
                "fingerprint": baseline.legacy_fingerprint(f, result.line_text(f.span.line))}
               for f in result.findings]
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"tool": "rapportlint", "baseline_version": 1, "entries": entries}), encoding="utf-8")
    outcome = baseline.apply([result], tmp_path / "x" / ".." / "old.json", baseline.load(path))
    # the result's path is relative to the working directory, the entries to the baseline's: same here
    assert outcome.matched + len(result.findings) == count


def test_sarif_says_new_unchanged_and_absent(tmp_path):
    import jsonschema

    from conftest import ROOT

    report = tmp_path / "rapport.md"
    shutil.copy(EXAMPLE, report)
    assert run_cli("check", "--write-baseline", "baseline.json", "rapport.md", cwd=tmp_path).returncode == 0
    text = report.read_text(encoding="utf-8")
    findings = json.loads(run_cli("check", "--format", "json", "rapport.md", cwd=tmp_path).stdout)["findings"]
    # fix one finding (a template-title drift) and add a new one (an empty section)
    first = next(f for f in findings if f["code"] == "S106" and "avviker fra malens" in f["message"])
    reported, template = re.fullmatch(r"tittelen «(.+)» avviker fra malens «(.+)»", first["message"]).groups()
    lines = text.split("\n")
    lines[first["line"] - 1] = lines[first["line"] - 1].replace(reported, template)
    report.write_text("\n".join(lines) + "\n# 99 Ny tom seksjon\n", encoding="utf-8")
    proc = run_cli("check", "--format", "sarif", "--baseline", "baseline.json", "rapport.md", cwd=tmp_path)
    log = json.loads(proc.stdout)
    schema = json.loads((ROOT / "tests" / "schemas" / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    states = {r["baselineState"] for r in results}
    assert states == {"new", "unchanged", "absent"}
    new = [r for r in results if r["baselineState"] == "new"]
    assert any(r["ruleId"] == "S102" and "99 Ny tom seksjon" in r["message"]["text"] for r in new)
    absent = [r for r in results if r["baselineState"] == "absent"]
    assert any(r["ruleId"] == first["code"] for r in absent)
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "rapport.md" for r in absent)
    unchanged = [r for r in results if r["baselineState"] == "unchanged"]
    json_out = json.loads(run_cli("check", "--format", "json", "--baseline", "baseline.json", "rapport.md",
                                  cwd=tmp_path).stdout)
    assert len(unchanged) == json_out["baseline"]["matched"] > 5
