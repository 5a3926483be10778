"""Configuration files found by walking up, validated, overridden by the command line."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_cli

HEAD = "---\nbydel: Test\ndokument: årsberetning\når: 2024\n---\n"
# F603 (warning) on line 9; S101 (error) for the template's missing sections.
BODY = (": {#n type=nøkkeltall}\n| Nøkkeltall | 2023 | 2024 |\n|---|---:|---:|\n"
        "| Antall barn | 1,119 | 1 129 |\n")


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def found_codes(proc) -> set[str]:
    return {f["code"] for f in json.loads(proc.stdout)["findings"]}


def test_nearest_configuration_applies_to_each_report(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.rapportlint]\nselect = ["F6"]\n')
    write(tmp_path / "a" / "r.md", HEAD + BODY)
    write(tmp_path / "b" / ".rapportlint.toml", 'select = ["S101"]\n')
    write(tmp_path / "b" / "r.md", HEAD + BODY)
    proc = run_cli("check", "--format", "json", "a/r.md", "b/r.md", cwd=tmp_path)
    findings = json.loads(proc.stdout)["findings"]
    assert {f["code"] for f in findings if f["path"] == "a/r.md"} == {"F603"}
    assert {f["code"] for f in findings if f["path"] == "b/r.md"} == {"S101"}
    # --isolated: no configuration, every rule
    assert {"S101", "F603"} <= found_codes(run_cli("check", "--isolated", "--format", "json", "a/r.md", cwd=tmp_path))
    # the command line's --select replaces the file's; --ignore adds to it
    assert found_codes(run_cli("check", "--select", "S101", "--format", "json", "a/r.md", cwd=tmp_path)) == {"S101"}
    assert found_codes(run_cli("check", "--ignore", "F603", "--format", "json", "a/r.md", cwd=tmp_path)) == set()


def test_pyproject_without_tool_table_is_passed_by(tmp_path):
    write(tmp_path / ".rapportlint.toml", 'ignore = ["S", "F"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path / "sub" / "r.md", HEAD + BODY)
    proc = run_cli("check", "--format", "json", "sub/r.md", cwd=tmp_path)
    assert not {c for c in found_codes(proc) if c[0] in "SF"}


def test_unknown_key_names_file_key_and_suggestion_exit_2(tmp_path):
    write(tmp_path / ".rapportlint.toml", 'selct = ["S"]\n')
    write(tmp_path / "r.md", HEAD + BODY)
    proc = run_cli("check", "r.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == "rapportlint: .rapportlint.toml: selct: ukjent nøkkel «selct» (mente du «select»?)"
    write(tmp_path / "pyproject.toml", '[tool.rapportlint]\nignore = ["F6O3"]\n')
    (tmp_path / ".rapportlint.toml").unlink()
    proc = run_cli("check", "--lang", "en", "r.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == "rapportlint: pyproject.toml: tool.rapportlint.ignore: unknown rule code «F6O3» (did you mean «F603»?)"
    write(tmp_path / "pyproject.toml", '[tool.rapportlint]\nfail-on = "warn"\n')
    proc = run_cli("check", "r.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert "fail-on: ugyldig verdi 'warn'; tillatt: error, warning" in proc.stderr.decode()
    write(tmp_path / "pyproject.toml", '[tool.rapportlint\n')
    proc = run_cli("check", "r.md", cwd=tmp_path)
    assert proc.returncode == 2 and "ugyldig TOML" in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr


def test_unknown_rule_code_in_config_gets_a_suggestion(tmp_path):
    write(tmp_path / ".rapportlint.toml", '[severity]\nS1O1 = "warning"\n')
    write(tmp_path / "r.md", HEAD + BODY)
    proc = run_cli("check", "r.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert "severity: " in proc.stderr.decode() and "S1O1" in proc.stderr.decode()
    write(tmp_path / ".rapportlint.toml", 'ignore = ["S1011"]\n')
    proc = run_cli("check", "r.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == "rapportlint: .rapportlint.toml: ignore: ukjent regelkode «S1011» (mente du «S101»?)"


def test_severity_override_and_fail_on(tmp_path):
    write(tmp_path / "r.md", HEAD + BODY)
    assert run_cli("check", "r.md", cwd=tmp_path).returncode == 1  # S101 errors
    write(tmp_path / ".rapportlint.toml", '[severity]\nS = "warning"\nS101 = "info"\n')
    proc = run_cli("check", "--format", "json", "r.md", cwd=tmp_path)
    severities = {f["code"]: f["severity"] for f in json.loads(proc.stdout)["findings"]}
    assert severities["S101"] == "info" and severities["F603"] == "warning"
    assert proc.returncode == 0
    assert run_cli("check", "--fail-on", "warning", "r.md", cwd=tmp_path).returncode == 1
    write(tmp_path / ".rapportlint.toml", 'fail-on = "warning"\n[severity]\nS = "info"\n')
    assert run_cli("check", "r.md", cwd=tmp_path).returncode == 1  # F603 is a warning


def test_per_file_ignores_and_exclude(tmp_path):
    write(tmp_path / ".rapportlint.toml",
          'select = ["F603"]\nexclude = ["arkiv/*"]\n[per-file-ignores]\n"utkast/*.md" = ["F6"]\n')
    write(tmp_path / "utkast" / "r.md", HEAD + BODY)
    write(tmp_path / "ferdig" / "r.md", HEAD + BODY)
    write(tmp_path / "arkiv" / "r.md", HEAD + BODY)
    proc = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    document = json.loads(proc.stdout)
    assert [f["path"] for f in document["files"]] == ["ferdig/r.md", "utkast/r.md"]
    assert [(f["path"], f["code"]) for f in document["findings"]] == [("ferdig/r.md", "F603")]


def test_config_command_shows_the_effective_configuration(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.rapportlint]\nignore = ["F603"]\nlang = "en"\n[tool.rapportlint.per-file-ignores]\n"utkast/*" = ["S"]\n')
    write(tmp_path / "utkast" / "r.md", HEAD)
    proc = run_cli("config", "--format", "json", "utkast/r.md", cwd=tmp_path)
    shown = json.loads(proc.stdout)
    assert shown["source"].endswith("pyproject.toml")
    assert shown["config"]["ignore"] == ["F603", "S"] and shown["config"]["lang"] == "en"
    assert shown["config"]["select"] == ["ALL"] and shown["config"]["fail-on"] == "error"
    text = run_cli("config", cwd=tmp_path).stdout.decode()
    assert text.startswith(f"# fra {tmp_path / 'pyproject.toml'}\n")
    assert 'ignore = ["F603"]' in text and '[per-file-ignores]\n"utkast/*" = ["S"]' in text


def test_lang_from_config(tmp_path):
    write(tmp_path / ".rapportlint.toml", 'lang = "en"\nselect = ["F603"]\n')
    write(tmp_path / "r.md", HEAD + BODY)
    out = run_cli("check", "r.md", cwd=tmp_path).stdout.decode()
    assert "F603 [warning]" in out


@pytest.mark.parametrize("data, where, message_en", [
    ({"select": ["S", "S"]}, "select", "invalid value: Value error, 'S' is listed twice"),
    ({"jobs": -1}, "jobs", "invalid value: Input should be greater than or equal to 0"),
    ({"jobs": "2"}, "jobs", "invalid value: Input should be a valid integer"),
    ({"lang": "se"}, "lang", "invalid value 'se'; allowed: nb, en"),
    ({"format": "xml"}, "format", "invalid value 'xml'; allowed: text, concise, json, jsonl, sarif, github, gitlab, junit, html"),
    ({"severity": {"S101": "fatal"}}, "severity.S101", "invalid value 'fatal'; allowed: error, warning, info"),
    ({"severity": {"S1O1": "info"}}, "severity", "unknown rule code «S1O1» (did you mean «S101»?)"),
    ({"per-file-ignores": {"utkast/*": ["F6O3"]}}, "per-file-ignores.utkast/*", "unknown rule code «F6O3» (did you mean «F603»?)"),
    ({"exclude": [""]}, "exclude", "invalid value: String should have at least 1 character"),
    ({"ignore": "S101"}, "ignore", "invalid value: Input should be a valid list"),
])
def test_every_bad_value_names_its_key(data, where, message_en):
    """The configuration is checked against the pydantic model (linter/config_model.py)."""
    from linter.config import ConfigError, validate

    with pytest.raises(ConfigError) as info:
        validate(data, "x.toml", prefix="tool.rapportlint.")
    assert (info.value.key, info.value.message_en) == ("tool.rapportlint." + where, message_en)


def test_a_good_configuration_passes_and_the_shipped_schema_is_the_models():
    from linter.config import validate
    from linter.config_model import schema_text

    import jsonschema

    good = {"select": ["ALL"], "extend-select": ["A2"], "ignore": ["F603"], "severity": {"A": "warning"},
            "per-file-ignores": {"utkast/*.md": ["S"]}, "exclude": ["arkiv/*"], "ruleset": "årsberetning-2024",
            "fail-on": "warning", "lang": "en", "format": "sarif", "jobs": 0}
    validate(good, "x.toml")
    shipped = (ROOT / "linter" / "schemas" / "config.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(), "stale schema: run python -m linter.config_model"
    assert run_cli("schema", "config").stdout.decode() == shipped
    # the published schema (for editors) accepts and refuses what the tool does
    jsonschema.validate(good, json.loads(shipped))
    for bad in ({"selct": []}, {"severity": {"S1O1x": "info"}}, {"jobs": -1}, {"select": ["S", "S"]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, json.loads(shipped))


def test_unsafe_fixes_from_the_configuration(tmp_path):
    """`unsafe-fixes = true` does what --unsafe-fixes does (as in ruff): --diff shows the inferred sum."""
    row = "| Sum brutto utgifter, drift | 1 330 000 | 1 375 000 | 1 387 000 | 1 384 500 | 2 500 |"
    text = (ROOT / "examples" / "ren-arsberetning-2024.md").read_text(encoding="utf-8")
    assert row in text
    (tmp_path / "r.md").write_text(text.replace(row, row.replace("1 384 500", "1 384 000")), encoding="utf-8")
    (tmp_path / ".rapportlint.toml").write_text('bydeler = ["Eksempel"]\n', encoding="utf-8")
    without = run_cli("check", "--diff", "r.md", cwd=tmp_path)
    assert without.returncode == 0 and "1 usikre rettinger er ikke vist" in without.stderr.decode()
    (tmp_path / ".rapportlint.toml").write_text('bydeler = ["Eksempel"]\nunsafe-fixes = true\n', encoding="utf-8")
    allowed = run_cli("check", "--diff", "r.md", cwd=tmp_path)
    assert allowed.returncode == 1 and "+" + row in allowed.stdout.decode()
