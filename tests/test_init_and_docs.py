"""`rapportlint init` and the generated rule pages (docs/rules/)."""

from __future__ import annotations

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
    proc = run_cli("init", "--local", str(tmp_path))
    assert proc.returncode == 0
    assert "finnes allerede, ikke endret" in proc.stdout.decode()
    assert (tmp_path / ".rapportlint.toml").read_text(encoding="utf-8") == 'select = ["S"]\n'
    assert "repo: local" not in (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_init_local_hook(tmp_path):
    run_cli("init", "--local", str(tmp_path))
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = hooks["repos"][0]["hooks"][0]
    assert hooks["repos"][0]["repo"] == "local"
    assert hook["entry"] == "rapportlint check --reports-only" and hook["language"] == "system"


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
