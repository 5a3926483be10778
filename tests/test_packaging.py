"""The wheel carries the grammars, rule packs, schemas and assets, and the tool works from it,
outside this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, timeout=300,
    )
    if proc.returncode != 0:
        pytest.skip(f"could not build a wheel here (no build backend reachable?): {proc.stderr.decode()[-500:]}")
    return next(out.glob("rapportlint-*.whl"))


def test_wheel_contains_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "linter/grammars/report.lark",
        "linter/grammars/formula.lark",
        "linter/rules_data/arsberetning-2024.yaml",
        "linter/rules_data/arsberetning-2023.yaml",
        "linter/rules_data/budsjett-2026.yaml",
        "linter/schemas/findings.schema.json",
        "linter/schemas/rulepack.schema.json",
        "linter/rule_docs/S101.md",  # `rapportlint rule CODE` and the HTML page, offline
        "linter/rule_docs/index.md",
    ):
        assert required in names, required
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[rapportlint.rules]" in text and "rapportlint = linter.entry:main" in text


def test_installed_wheel_checks_a_report_outside_the_repository(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    report = work / "sagene.md"
    shutil.copy(EXAMPLES / "sagene-arsberetning-2024.md", report)
    env = {**os.environ, "PYTHONPATH": str(target), "RAPPORTLINT_CACHE_DIR": ""}
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import linter.resources as r; "
            "assert str(r.grammars_dir()).startswith(sys.argv[1]), r.grammars_dir(); "
            "assert str(r.rule_packs_dir()).startswith(sys.argv[1]), r.rule_packs_dir(); "
            "from linter.cli import main; sys.argv = ['rapportlint', 'check', '--no-source', 'sagene.md']; main()")
    proc = subprocess.run([sys.executable, "-I", "-c", code.replace("sys.argv[1]", repr(str(target)))],  # -I: no cwd on sys.path
                          cwd=work, env=env, capture_output=True, timeout=120)
    out = proc.stdout.decode()
    assert proc.returncode == 1, out + proc.stderr.decode()
    assert "sagene.md:120:79: A201" in out  # the real -10410 mistake, found from the installed wheel


def test_installed_wheel_shows_the_rule_pages_offline(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target), "RAPPORTLINT_CACHE_DIR": ""}
    code = ("import sys; sys.path.insert(0, sys.argv[1]); "
            "from linter.cli import main; sys.argv = ['rapportlint', 'rule', 'F603']; main()")
    proc = subprocess.run([sys.executable, "-I", "-c", code.replace("sys.argv[1]", repr(str(target)))],
                          cwd=tmp_path, env=env, capture_output=True, timeout=120)
    out = proc.stdout.decode()
    assert proc.returncode == 0, out + proc.stderr.decode()
    page = target / "linter" / "rule_docs" / "F603.md"
    assert f"Uten nett: {page}" in out and "# F603 thousands-comma" in page.read_text(encoding="utf-8")
