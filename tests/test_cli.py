"""The real command line, run in a subprocess as a user would."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT, run_cli

GOOD_HEAD = "---\nbydel: Test\ndokument: årsberetning\når: 2024\n---\n"


def findings_schema():
    return json.loads((ROOT / "linter" / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))


def test_missing_section_is_reported_with_location_and_exit_1(tmp_path):
    report = tmp_path / "r.md"
    report.write_text(GOOD_HEAD + "# 1 Innledning\n\nTekst.\n# 4 Særskilt rapportering\n", encoding="utf-8")
    proc = run_cli("check", str(report))
    out = proc.stdout.decode()
    assert proc.returncode == 1, out
    assert f"{report}:" in out
    assert "S101 [feil] påkrevd seksjon «4.18 Rapportering jodberedskap» mangler" in out
    assert proc.stderr == b""


def test_english_messages(tmp_path):
    report = tmp_path / "r.md"
    report.write_text(GOOD_HEAD + "# 1 Innledning\n# 4 Særskilt rapportering\n", encoding="utf-8")
    out = run_cli("check", "--lang", "en", str(report)).stdout.decode()
    assert "S101 [error] mandatory section «4.18 Rapportering jodberedskap» is missing" in out


def test_broken_table_is_a_precise_finding_and_the_rest_is_checked(tmp_path):
    report = tmp_path / "broken.md"
    report.write_text(GOOD_HEAD + "| A | B |\n|---|---|\n| 1 | 2 | 3 |\n", encoding="utf-8")
    proc = run_cli("check", str(report))
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert f"{report}:8:11: P001 [feil] raden har 3 celler, men overskriftsraden har 2. Tips: " in out
    assert "S101 [feil] påkrevd seksjon" in out  # the rest of the report was checked
    assert b"Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"\xff\xfeh\x00i\x00", "UTF-16"),
        ("år: 2024\n".encode("latin-1"), "ikke UTF-8: ugyldig byte 0xe5 ved byte 0"),
        (b"\x00\x01\x02binary", "NUL-tegn"),
    ],
    ids=["utf16", "latin1", "binary"],
)
def test_unreadable_input_is_exit_2_with_a_clear_message(tmp_path, content, expected):
    report = tmp_path / "bad.md"
    report.write_bytes(content)
    proc = run_cli("check", str(report))
    assert proc.returncode == 2
    assert expected in proc.stdout.decode()
    assert b"Traceback" not in proc.stderr


def test_missing_file_and_directory_without_reports(tmp_path):
    proc = run_cli("check", str(tmp_path / "nope.md"))
    assert proc.returncode == 2 and "filen finnes ikke" in proc.stdout.decode()
    (tmp_path / "README.md").write_text("# Ikke en rapport\n", encoding="utf-8")
    proc = run_cli("check", str(tmp_path))
    assert proc.returncode == 2 and "fant ingen rapporter" in proc.stderr.decode()


def test_stdin(tmp_path):
    proc = run_cli("check", "-", "--stdin-filename", "fra-stdin.md", input=(GOOD_HEAD + "# 1 Innledning\n").encode())
    assert proc.returncode == 1
    assert "fra-stdin.md:" in proc.stdout.decode()


def test_json_output_follows_the_shipped_schema(tmp_path):
    good = tmp_path / "a.md"
    good.write_text(GOOD_HEAD + "# 1 Innledning\n", encoding="utf-8")
    broken = tmp_path / "b.md"
    broken.write_text(GOOD_HEAD + "| A |\n| 1 |\n", encoding="utf-8")
    unreadable = tmp_path / "c.md"
    unreadable.write_bytes(b"\xff\xfeh\x00i\x00")
    proc = run_cli("check", "--format", "json", str(good), str(broken), str(unreadable))
    assert proc.returncode == 2
    document = json.loads(proc.stdout)
    jsonschema.validate(document, findings_schema())
    assert document["summary"]["failed_files"] == 1
    assert any(f["code"] == "S101" for f in document["findings"])
    # a table without its delimiter row is a finding, and the rest of b.md is checked
    assert [(f["code"], f["line"]) for f in document["findings"] if f["path"] == str(broken) and f["code"] == "P002"] \
        == [("P002", 7)]
    assert document["errors"][0]["kind"] == "input"
    # the schema printed by the tool is the one shipped
    assert json.loads(run_cli("schema").stdout) == findings_schema()


def test_select_and_ignore(tmp_path):
    report = tmp_path / "r.md"
    report.write_text("# 1 Innledning\n", encoding="utf-8")  # no front matter
    out = run_cli("check", "--select", "M", str(report)).stdout.decode()
    assert "M101" in out
    proc = run_cli("check", "--ignore", "M101", str(report))
    assert "M101" not in proc.stdout.decode() and proc.returncode == 0
    proc = run_cli("check", "--select", "Q999", str(report))
    assert proc.returncode == 2 and "ukjent regelkode: Q999" in proc.stderr.decode()


def test_unknown_ruleset_is_exit_2(tmp_path):
    report = tmp_path / "r.md"
    report.write_text(GOOD_HEAD, encoding="utf-8")
    proc = run_cli("check", "--ruleset", "årsberetning-1999", str(report))
    assert proc.returncode == 2
    assert "regelpakken finnes ikke" in proc.stderr.decode()


def test_rules_and_rule_commands():
    listing = run_cli("rules").stdout.decode()
    assert "S101  mandatory-section-missing" in listing
    proc = run_cli("rule", "S101")
    text = proc.stdout.decode()
    assert proc.returncode == 0
    assert "Hvorfor" in text and "Feil:" in text and "Riktig:" in text
    assert run_cli("rule", "mandatory-section-missing").returncode == 0
    assert run_cli("rule", "X000").returncode == 2


def test_directory_walk_skips_files_without_front_matter(tmp_path):
    (tmp_path / "README.md").write_text("# Om repoet\n", encoding="utf-8")
    (tmp_path / "rapport.md").write_text(GOOD_HEAD + "# 1 Innledning\n", encoding="utf-8")
    out = run_cli("check", str(tmp_path)).stdout.decode()
    assert "rapport.md" in out and "README.md" not in out
    assert "1 fil(er) kontrollert" in out


def test_examples_directory_runs_without_crash():
    assert len(list(EXAMPLES.rglob("*.md"))) >= 5, "the real examples and the clean one must be in examples/"
    proc = run_cli("check", "--format", "json", str(EXAMPLES))
    assert proc.returncode == 1, proc.stdout.decode()[-2000:]  # the real reports have real mistakes
    document = json.loads(proc.stdout)
    jsonschema.validate(document, findings_schema())
    assert document["summary"]["files"] == len(list(EXAMPLES.rglob("*.md")))
    assert document["summary"]["failed_files"] == 0
