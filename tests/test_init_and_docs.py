"""`rapportlint init` and the generated rule pages (docs/rules/)."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import ROOT, run_cli
from linter.ruledocs import expected_pages, stale_pages
from linter.rules.registry import all_rules


def test_init_writes_starter_files_and_never_overwrites(tmp_path):
    proc = run_cli("init", str(tmp_path))
    assert proc.returncode == 0
    assert f"skrev {tmp_path / '.rapportlint.toml'}" in proc.stdout.decode()
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["id"] == "rapportlint"
    # the starter configuration is valid and is the one that applies
    shown = run_cli("config", "--format", "json", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.decode().count(".rapportlint.toml") == 1
    (tmp_path / ".rapportlint.toml").write_text('select = ["S"]\n', encoding="utf-8")
    before = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    proc = run_cli("init", "--remote", str(tmp_path))
    assert proc.returncode == 0
    assert "finnes allerede, ikke endret" in proc.stdout.decode()
    assert (tmp_path / ".rapportlint.toml").read_text(encoding="utf-8") == 'select = ["S"]\n'
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_init_hook_runs_the_installed_rapportlint_and_shows_warnings(tmp_path):
    run_cli("init", str(tmp_path))
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = hooks["repos"][0]["hooks"][0]
    assert hooks["repos"][0]["repo"] == "local"
    assert hook["entry"] == "rapportlint check --reports-only" and hook["language"] == "system"
    assert hook["verbose"] is True  # warnings show on a commit that passes


def test_init_remote_hook_names_a_published_repository_and_tag(tmp_path):
    run_cli("init", "--remote", "--repo", "https://example.org/rapportlint.git", "--rev", "v9.9", str(tmp_path))
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"] == [{"repo": "https://example.org/rapportlint.git", "rev": "v9.9",
                               "hooks": [{"id": "rapportlint", "verbose": True}]}]


def test_init_with_an_existing_pre_commit_config_prints_the_exact_snippet(tmp_path):
    existing = "repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n    hooks:\n      - id: trailing-whitespace\n"
    (tmp_path / ".pre-commit-config.yaml").write_text(existing, encoding="utf-8")
    proc = run_cli("init", str(tmp_path))
    out = proc.stdout.decode()
    assert proc.returncode == 0 and "Legg dette til under «repos:»" in out
    snippet = out.split("Legg dette til under «repos:» i " + str(tmp_path / ".pre-commit-config.yaml") + ":\n\n", 1)[1]
    snippet = snippet.split("\n\n", 1)[0] + "\n"
    # pasted under repos:, the file is valid and has both hooks
    merged = yaml.safe_load(existing + snippet)
    assert [r["repo"] for r in merged["repos"]] == ["https://github.com/pre-commit/pre-commit-hooks", "local"]
    assert merged["repos"][1]["hooks"][0]["verbose"] is True
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == existing


def test_rule_pages_ship_with_the_package_and_the_online_address_is_configurable(tmp_path):
    proc = run_cli("rule", "F603")
    out = proc.stdout.decode()
    offline = [line for line in out.splitlines() if line.startswith("Uten nett: ")]
    assert offline and "\n# F603 thousands-comma\n" in Path(offline[0].split(": ", 1)[1]).read_text(encoding="utf-8")
    (tmp_path / ".rapportlint.toml").write_text('docs-url = "https://intranett.oslo.kommune.no/rapportlint/regler"\n',
                                                encoding="utf-8")
    (tmp_path / "r.md").write_text("# 1 Innledning\n", encoding="utf-8")
    import json

    found = json.loads(run_cli("check", "--format", "json", "r.md", cwd=tmp_path).stdout)["findings"]
    assert found and all(f["docs"].startswith("https://intranett.oslo.kommune.no/rapportlint/regler/") for f in found)


def test_committed_rule_pages_are_up_to_date():
    """Fails when a rule was added or its docstring changed: run `rapportlint docs`."""
    rules = list(all_rules().values())
    assert stale_pages(ROOT / "docs" / "rules", rules) == [], "run `rapportlint docs` and commit docs/rules/"
    index = (ROOT / "docs" / "rules" / "index.md").read_text(encoding="utf-8")
    for rule in rules:
        assert f"[{rule.code}]({rule.code}.md)" in index


def test_each_page_has_why_bad_good_and_the_suppression(tmp_path):
    pages = expected_pages(list(all_rules().values()))
    for name, text in pages.items():
        if name == "index.md":
            continue
        for heading in ("## Hvorfor", "## Feil\n\n```markdown", "## Riktig\n\n```markdown"):
            assert heading in text, (name, heading)
    assert '<!-- rapportlint: ignore S101 begrunnelse="..." -->' in pages["S101.md"]


def test_docs_check_command(tmp_path):
    assert run_cli("docs", "--check").returncode == 0
    proc = run_cli("docs", "--check", str(tmp_path / "rules"))
    assert proc.returncode == 1 and "S101.md: utdatert" in proc.stdout.decode()
    assert run_cli("docs", str(tmp_path / "rules")).returncode == 0
    assert run_cli("docs", "--check", str(tmp_path / "rules")).returncode == 0
