"""Errors first, through the real command line: --min-severity and --quiet, the summary's count
of what --fix can fix, --show-fixes, a habit fixed in one go, `check` with no path, help that
follows --lang en, and the developer command `docs` kept out of the users' help."""

from __future__ import annotations

import json
import shutil

from conftest import REAL_EXAMPLES, run_cli

HEAD = "---\nbydel: Sagene\ndokument: årsberetning\når: 2024\n---\n"
# One warning (F603, a single comma thousands), several errors (S101: the template's sections).
REPORT = HEAD + "# 1 Innledning\n\n: {#n type=nøkkeltall}\n| Nøkkeltall | 2023 | 2024 |\n|---|---:|---:|\n" \
                "| Antall barn | 1,119 | 1 129 |\n"


def test_min_severity_and_quiet_show_errors_first_and_say_what_they_hid(tmp_path):
    (tmp_path / "r.md").write_text(REPORT, encoding="utf-8")
    (tmp_path / "README.md").write_text("# Les meg\n", encoding="utf-8")
    full = run_cli("check", "--no-source", ".", cwd=tmp_path)
    assert "F603 [advarsel]" in full.stdout.decode() and b"README.md: ikke kontrollert" in full.stderr
    errors = run_cli("check", "--no-source", "--min-severity", "error", ".", cwd=tmp_path)
    out = errors.stdout.decode()
    assert "F603" not in out and "S101 [feil]" in out and errors.returncode == 1
    assert out.rstrip().endswith("skjult av --min-severity: 1 advarsler")
    quiet = run_cli("check", "--no-source", "-q", ".", cwd=tmp_path)
    assert quiet.stdout == errors.stdout and quiet.stderr == b""  # no list of skipped files either
    # hidden is not passed: with fail-on warning a hidden warning still fails the run
    (tmp_path / "r.md").write_text(HEAD + "# 1 Innledning\n\n: {#n type=nøkkeltall}\n| Nøkkeltall | 2023 | 2024 |\n"
                                   "|---|---:|---:|\n| Antall barn | 1,119 | 1 129 |\n", encoding="utf-8")
    only_warning = run_cli("check", "--select", "F", "--fail-on", "warning", "--min-severity", "error", "r.md", cwd=tmp_path)
    assert only_warning.returncode == 1 and "skjult av --min-severity: 1 advarsler" in only_warning.stdout.decode()


def test_a_habit_is_one_finding_the_summary_counts_fixes_and_fix_repairs_it(tmp_path):
    report = tmp_path / "vestre-aker.md"
    shutil.copy(REAL_EXAMPLES["vestre-aker"], report)
    before = json.loads(run_cli("check", "--select", "F602,F603", "--format", "json", str(report)).stdout)["findings"]
    # 20 decimal points and 33 comma thousands in the real report: one finding per table
    assert len(before) <= 15 and sum(f["details"].get("count", 1) for f in before) == 53
    habit = next(f for f in before if f["code"] == "F602" and f["line"] == 368)
    assert habit["details"]["count"] == 10 and habit["details"]["positions"][:3] == ["368:56", "368:65", "368:74"]
    text = run_cli("check", "--select", "F602,F603", "--no-source", "--show-fixes", str(report)).stdout.decode()
    assert "368:56: F602 [advarsel] 10 tall i tabellen «fo2a-nokkeltall» har desimalpunktum" in text
    assert "    retting: «28.6» → «28,6», «37.5» → «37,5»" in text
    assert f"; {sum(1 for f in before if f['fixable'])} kan rettes med --fix (se --show-fixes)" in text
    fixed = run_cli("check", "--select", "F602,F603", "--fix", "--format", "json", str(report))
    left = json.loads(fixed.stdout)["findings"]  # single comma thousands are not guessed at
    assert left and all(f["code"] == "F603" and "count" not in f["details"] for f in left)
    lines = report.read_text(encoding="utf-8").splitlines()
    assert "28,6 %" in lines[367] and "28.6 %" not in lines[367]


def test_check_without_a_path_checks_this_directory(tmp_path):
    (tmp_path / "r.md").write_text(REPORT, encoding="utf-8")
    here = json.loads(run_cli("check", "--format", "json", cwd=tmp_path).stdout)
    assert [f["path"] for f in here["files"]] == ["r.md"]


def test_help_follows_lang_en_and_docs_is_not_offered_to_users():
    norsk = run_cli("check", "--help").stdout.decode()
    assert "Kontroller rapporter" in norsk and "Vis bare funn med minst denne alvorligheten" in norsk
    english = run_cli("check", "--help", "--lang", "en").stdout.decode()
    assert "Check reports (files, directories" in english
    assert "Show only findings of at least this severity" in english and "Kontroller" not in english
    top = run_cli("--lang", "en", "--help").stdout.decode()
    assert "checks the city districts' annual reports" in top and "Write a report skeleton" in top
    assert "\n  docs " not in top and "\n  docs " not in run_cli("--help").stdout.decode()
    assert run_cli("docs", "--check").returncode == 0  # still there for developers
