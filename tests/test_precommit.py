"""The pre-commit hook for real: a report repository whose .pre-commit-config.yaml points at a
copy of this checkout (committed in a temporary repository, so the test works in a clean clone
with uncommitted changes too), `pre-commit install`, then `git commit`: a broken report blocks
the commit, a clean one passes. pre-commit builds the hook's environment with pip, as it would
for a user."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra: pip install -e '.[test]'")
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)

# What a wheel of rapportlint is built from (pyproject.toml's hatch settings).
PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "linter", "grammars", "rules", "docs")


def git_env(home) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org", GIT_COMMITTER_NAME="Test",
               GIT_COMMITTER_EMAIL="test@example.org", PRE_COMMIT_HOME=str(home), GIT_CONFIG_NOSYSTEM="1",
               HOME=str(home), PRE_COMMIT_COLOR="never")
    return env


def run(args, cwd, env, check=True):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def commit_copy_of_project(target, env) -> str:
    target.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    run(["git", "init", "-q", "-b", "main"], target, env)
    run(["git", "add", "-A"], target, env)
    run(["git", "commit", "-q", "-m", "rapportlint"], target, env)
    return run(["git", "rev-parse", "HEAD"], target, env).stdout.strip()


def test_hook_blocks_a_broken_report_and_passes_a_clean_one(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = git_env(home)
    rev = commit_copy_of_project(tmp_path / "rapportlint", env)

    repo = tmp_path / "rapporter"
    repo.mkdir()
    run(["git", "init", "-q", "-b", "main"], repo, env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {tmp_path / 'rapportlint'}\n    rev: {rev}\n    hooks:\n      - id: rapportlint\n",
        encoding="utf-8")
    run([sys.executable, "-m", "pre_commit", "install"], repo, env)

    # A clean report and a README (no front matter: not a report, skipped by the hook).
    shutil.copy(EXAMPLES / "ren-arsberetning-2024.md", repo / "ren-arsberetning-2024.md")
    (repo / "README.md").write_text("# Bydelens rapporter\n", encoding="utf-8")
    run(["git", "add", "-A"], repo, env)
    clean = run(["git", "commit", "-m", "Ren rapport"], repo, env, check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "rapportlint" in clean.stderr and "Passed" in clean.stderr  # git hooks write to stderr

    # A report with the template's sections missing: the commit is refused.
    (repo / "ny.md").write_text("---\nbydel: Test\ndokument: årsberetning\når: 2024\n---\n# 1 Innledning\nTekst.\n",
                                encoding="utf-8")
    run(["git", "add", "ny.md"], repo, env)
    broken = run(["git", "commit", "-m", "Ny rapport"], repo, env, check=False)
    assert broken.returncode != 0
    output = broken.stdout + broken.stderr
    assert "Failed" in output
    assert "ny.md:" in output and "S101 [feil] påkrevd seksjon" in output
    log = run(["git", "log", "--format=%s"], repo, env).stdout.split("\n")
    assert log[0] == "Ren rapport"  # the broken report was not committed


def test_init_hook_runs_the_installed_rapportlint_shows_warnings_and_skips_nothing(tmp_path):
    """The hook `rapportlint init` writes (repo: local, the rapportlint on PATH, verbose): no
    network, warnings shown on a commit that passes, and a report whose first line is blank is
    checked like any other (its wrong sum stops the commit)."""
    from pathlib import Path

    home = tmp_path / "home"
    home.mkdir()
    env = git_env(home)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # the installed rapportlint
    repo = tmp_path / "rapporter"
    repo.mkdir()
    run(["git", "init", "-q", "-b", "main"], repo, env)
    run([sys.executable, "-m", "linter", "init"], repo, env)
    run([sys.executable, "-m", "pre_commit", "install"], repo, env)

    # The clean example outside examples/ (whose configuration accepts its made-up district):
    # one warning (M105), shown although the commit passes.
    shutil.copy(EXAMPLES / "ren-arsberetning-2024.md", repo / "ren.md")
    (repo / "README.md").write_text("# Bydelens rapporter\n", encoding="utf-8")
    run(["git", "add", "-A"], repo, env)
    passed = run(["git", "commit", "-m", "Ren rapport"], repo, env, check=False)
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert "Passed" in output and "ren.md:2:8: M105 [advarsel] «Eksempel» er ikke en av Oslos bydeler" in output
    assert "README.md: ikke kontrollert: utelatt av exclude «README.md» (standard)" in output

    # A report whose first line is blank, with a wrong sum: checked, and the commit is refused.
    (repo / "ny.md").write_text(
        "\n---\nbydel: Sagene\ndokument: årsberetning\når: 2024\n---\n# 1 Innledning\n\n"
        ": Tall i 1000 kr {#t1 type=økonomi enhet=\"1000 kr\"}\n| Tjeneste | Regnskap 2024 |\n|---|---:|\n"
        "| A | 100 |\n| B | 200 |\n| Sum | 400 |\n", encoding="utf-8")
    run(["git", "add", "ny.md"], repo, env)
    broken = run(["git", "commit", "-m", "Ny rapport"], repo, env, check=False)
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0 and "Failed" in output
    assert "ny.md:1:1: M101 [feil] front matter må begynne på linje 1" in output
    assert "ny.md:14:" in output and "A201" in output
    assert run(["git", "log", "--format=%s"], repo, env).stdout.split("\n")[0] == "Ren rapport"
