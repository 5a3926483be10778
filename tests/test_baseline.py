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
    assert [(f["code"], f["message"]) for f in document["findings"]] == [
        ("S102", "seksjonen «99 Ny tom seksjon» er tom")]
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
