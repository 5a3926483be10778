"""Inline suppressions with a required reason (X901-X903), --audit, run through the real CLI."""

from __future__ import annotations

import json

from conftest import run_cli

HEAD = "---\nbydel: Test\ndokument: årsberetning\når: 2024\n---\n"
TABLE = (": {#n type=nøkkeltall}\n| Nøkkeltall | 2023 | 2024 |\n|---|---:|---:|\n"
         "| Antall barn | 1,119 | 1 129 |\n| Antall voksne | 2,500 | 2 600 |\n")
SELECT = ("--select", "F603,X9", "--format", "json")


def check(tmp_path, body: str, *extra: str):
    report = tmp_path / "r.md"
    report.write_text(HEAD + body, encoding="utf-8")
    proc = run_cli("check", *SELECT, *extra, str(report))
    assert b"Traceback" not in proc.stderr
    return proc, json.loads(proc.stdout)


def codes(document) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in document["findings"]]


def test_without_directive_both_rows_are_found(tmp_path):
    proc, doc = check(tmp_path, TABLE)
    assert proc.returncode == 0  # F603 is a warning
    assert codes(doc) == [("F603", 9), ("F603", 10)]


def test_ignore_applies_to_the_whole_next_table_and_records_the_reason(tmp_path):
    body = '<!-- rapportlint: ignore F603 begrunnelse="Tallene er skrevet slik i kilden" -->\n' + TABLE
    proc, doc = check(tmp_path, body)
    assert codes(doc) == []
    assert doc["summary"]["suppressed"] == 2
    [s] = doc["suppressions"]
    assert (s["kind"], s["codes"], s["reason"], s["line"], s["findings"]) == (
        "ignore", ["F603"], "Tallene er skrevet slik i kilden", 6, 2)


def test_ignore_with_row_suppresses_only_that_row(tmp_path):
    body = '<!-- rapportlint: ignore F603 rad="Antall barn" begrunnelse="Kildens skrivemåte" -->\n\n' + TABLE
    _, doc = check(tmp_path, body)
    assert codes(doc) == [("F603", 12)]  # «Antall voksne»


def test_a_suppression_without_reason_does_not_apply_and_is_an_error(tmp_path):
    proc, doc = check(tmp_path, "<!-- rapportlint: ignore F603 -->\n" + TABLE)
    assert proc.returncode == 1
    assert codes(doc) == [("X901", 6), ("F603", 10), ("F603", 11)]
    assert "mangler begrunnelse" in doc["findings"][0]["message"]
    _, doc = check(tmp_path, '<!-- rapportlint: ignore F603 begrunnelse="  " -->\n' + TABLE)
    assert [c for c, _ in codes(doc)] == ["X901", "F603", "F603"]


def test_unused_suppression_is_reported_only_for_rules_that_ran(tmp_path):
    body = 'Tekst.\n\n<!-- rapportlint: ignore F603 begrunnelse="Gammel" -->\nTekst uten tall.\n'
    proc, doc = check(tmp_path, body)
    assert codes(doc) == [("X902", 8)]
    assert doc["findings"][0]["severity"] == "warning"
    assert "ingen F603-funn på linje 9" in doc["findings"][0]["message"]
    # F603 not selected: nothing can be said about it
    report = tmp_path / "r.md"
    proc = run_cli("check", "--select", "X9", "--format", "json", str(report))
    assert json.loads(proc.stdout)["findings"] == []


def test_range_and_file_suppressions(tmp_path):
    body = ('<!-- rapportlint: ignore-start F603 begrunnelse="Avskrift av kilden" -->\n' + TABLE
            + "<!-- rapportlint: ignore-end -->\n\n" + TABLE)
    _, doc = check(tmp_path, body)
    assert codes(doc) == [("F603", 17), ("F603", 18)]
    assert doc["suppressions"][0]["kind"] == "ignore-range"
    body = TABLE + '\n<!-- rapportlint: ignore-file F6 begrunnelse="Hele rapporten følger kilden" -->\n'
    _, doc = check(tmp_path, body)
    assert codes(doc) == [] and doc["summary"]["suppressed"] == 2


def test_invalid_directives_say_what_is_wrong(tmp_path):
    body = ('<!-- rapportlint: ignore F6O3 begrunnelse="x" -->\nTekst.\n'
            '<!-- rapportlint: ignore-start F603 begrunnelse="x" -->\nTekst.\n'
            '<!-- rapportlint: ignorer F603 begrunnelse="x" -->\nTekst.\n'
            '<!-- rapportlint: ignore F603 reason="x" -->\nTekst.\n'
            '<!-- rapportlint: noe-annet som en annen regel leser -->\n')
    proc, doc = check(tmp_path, body)
    assert proc.returncode == 1
    messages = [(f["code"], f["line"], f["message"]) for f in doc["findings"]]
    assert messages == [
        ("X903", 6, "ukjent regelkode «F6O3» (mente du «F603»?) (se `rapportlint rules`)"),
        ("X903", 8, "ignore-start uten ignore-end: undertrykkelsen gjelder ikke"),
        ("X903", 10, "ukjent direktiv «ignorer» (mente du «ignore»?); kjente: ignore, ignore-start, ignore-end, ignore-file"),
        ("X903", 12, "ukjent egenskap «reason»; kjente: begrunnelse, rad"),
    ]


def test_audit_shows_suppressed_findings_and_lists_every_suppression(tmp_path):
    body = '<!-- rapportlint: ignore F603 begrunnelse="Tallene er skrevet slik i kilden" -->\n' + TABLE
    report = tmp_path / "r.md"
    report.write_text(HEAD + body, encoding="utf-8")
    proc = run_cli("check", "--select", "F603,X9", "--audit", "--no-source", str(report))
    out = proc.stdout.decode()
    assert out.count(" F603 [advarsel] ") == 2
    assert "Undertrykkelser (1), ikke brukt (--audit):" in out
    assert f'{report}:6: ignore F603 — begrunnelse: «Tallene er skrevet slik i kilden» (2 funn)' in out
    _, doc = check(tmp_path, body, "--audit")
    assert doc["audit"] is True and len(doc["findings"]) == 2 and doc["suppressions"][0]["findings"] == 2
    # without --audit the text summary says how many were hidden
    out = run_cli("check", "--select", "F603,X9", str(report)).stdout.decode()
    assert "ingen funn (2 undertrykt; se --audit)" in out
