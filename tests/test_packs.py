"""Rule packs: every shipped pack loads and validates; a bad pack names the key."""

from __future__ import annotations

import pytest

from linter.packs import RulePackError, available_packs, load_pack


def test_shipped_packs_load():
    packs = available_packs()
    assert {"årsberetning-2024", "budsjett-2026"} <= set(packs)
    for pack_id in packs:
        pack = load_pack(pack_id)
        assert pack.id == pack_id
        assert pack.get("seksjoner"), pack_id


def _pack(tmp_path, text):
    path = tmp_path / "pakke.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_unknown_key_is_named_with_a_suggestion(tmp_path):
    path = _pack(tmp_path, "id: test-2024\ndokument: årsberetning\når: 2024\nseksjonner: []\n")
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert "seksjonner" in info.value.message_nb
    assert "mente du «seksjoner»" in info.value.message_nb


def test_wrong_type_points_at_the_key_path(tmp_path):
    path = _pack(tmp_path, "id: test-2024\ndokument: årsberetning\når: 2024\nseksjoner:\n  - nummer: 4.18\n    tittel: X\n")
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert info.value.key == "seksjoner/0/nummer"


def test_invalid_yaml_gives_the_line(tmp_path):
    path = _pack(tmp_path, "id: test-2024\ndokument: [årsberetning\n")
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert "linje" in info.value.key


def test_inheritance_merges_rule_settings(tmp_path):
    parent = tmp_path / "foreldre.yaml"
    parent.write_text("id: test-2023\ndokument: årsberetning\når: 2023\nseksjoner:\n  - tittel: A\n"
                      "regler:\n  A201: {manglende: rapporter}\n  K304: {plassholdere: ['(N)']}\n", encoding="utf-8")
    child = tmp_path / "barn.yaml"
    child.write_text(f"id: test-2024\ndokument: årsberetning\når: 2024\narver: {parent}\n"
                     "regler:\n  K304: {plassholdere: ['(N)', 'xx']}\n  V401: {krev_tabell: true}\n", encoding="utf-8")
    pack = load_pack(str(child))
    assert pack.chain == ["test-2024", "test-2023"]
    assert pack.get("seksjoner") == [{"tittel": "A"}]
    assert pack.rule_settings("A201") == {"manglende": "rapporter"}
    assert pack.rule_settings("K304") == {"plassholdere": ["(N)", "xx"]}
    assert pack.rule_settings("V401") == {"krev_tabell": True}


@pytest.mark.parametrize("settings, key, nb, en", [
    ("A201: {manglnde: rapporter}", "regler/A201/manglnde",
     "ukjent innstilling for A201 (mente du «manglende»?)", "unknown setting for A201 (did you mean «manglende»?)"),
    ("Z201: {manglende: rapporter}", "regler/Z201",
     "ukjent regelkode «Z201» (mente du «A201»?)", "unknown rule code «Z201» (did you mean «A201»?)"),
    ("S101: {krev_tabell: true}", "regler/S101/krev_tabell",
     "ukjent innstilling for S101 (regelen har ingen innstillinger)", "unknown setting for S101 (the rule has no settings)"),
    ("A201: {manglende: alltid}", "regler/A201/manglende",
     "ugyldig verdi: Input should be 'hopp_over' or 'rapporter'", "invalid value: Input should be 'hopp_over' or 'rapporter'"),
    ("V401: {krev_tabell: 'ja'}", "regler/V401/krev_tabell",
     "ugyldig verdi: Input should be a valid boolean", "invalid value: Input should be a valid boolean"),
    ("K304: {plassholdere: '(N)'}", "regler/K304/plassholdere",
     "ugyldig verdi: Input should be a valid list", "invalid value: Input should be a valid list"),
])
def test_rule_settings_are_checked_against_what_the_rule_declares(tmp_path, settings, key, nb, en):
    """A mistyped setting is an error with a suggestion, never silently ignored."""
    path = _pack(tmp_path, f"id: test-2024\ndokument: årsberetning\når: 2024\nregler:\n  {settings}\n")
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert info.value.key == key
    assert (info.value.message_nb, info.value.message_en) == (nb, en)


def test_a_rule_setting_changes_what_the_rule_reports(tmp_path):
    """manglende: rapporter turns a skipped sum (a placeholder in a summed cell) into an error."""
    from linter.engine import CheckOptions, check_text
    from linter.rules.registry import all_rules

    report = ("---\nbydel: Test\ndokument: årsberetning\når: 2024\n---\n: {#t type=økonomi enhet=\"1000 kr\"}\n"
              "| Post | Beløp |\n|---|---:|\n| A | 10 |\n| B | NA |\n| Sum | 30 |\n")
    severities = []
    for extra in ("", "regler:\n  A201: {manglende: rapporter}\n"):
        pack = _pack(tmp_path, f"id: test-2024\ndokument: årsberetning\når: 2024\n{extra}")
        load_pack.cache_clear()
        result = check_text(report, "r.md", CheckOptions(rules=[all_rules()["A201"]], ruleset=pack))
        severities.append([f.severity.value for f in result.findings if f.code == "A201"])
    assert severities == [["info"], ["error"]]


def test_cached_validation_never_hides_a_changed_pack(tmp_path, monkeypatch):
    """The validation cache is keyed by content: a pack that passed once and then breaks is
    still reported, and a good pack is served from the cache without jsonschema."""
    from linter import cache, packs

    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path / "cache"))
    good = "id: test-2024\ndokument: årsberetning\når: 2024\nseksjoner: []\n"
    path = _pack(tmp_path, good)
    load_pack.cache_clear()
    assert load_pack(path).id == "test-2024"
    assert len(list((tmp_path / "cache" / "valid").iterdir())) == 1
    calls = []
    monkeypatch.setattr(packs, "_pack_schema", lambda: calls.append(1) or {})
    load_pack.cache_clear()
    assert load_pack(path).id == "test-2024"
    assert calls == []  # served from the cache
    monkeypatch.undo()
    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path / "cache"))
    _pack(tmp_path, good.replace("seksjoner: []", "seksjonner: []"))
    load_pack.cache_clear()
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert "seksjonner" in info.value.message_nb
    load_pack.cache_clear()
    assert cache.get("packs", "no-such-key") is None


def test_cache_can_be_switched_off(tmp_path, monkeypatch):
    from linter import cache

    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", "")
    cache.put("packs", "k", {"a": 1})
    assert cache.get("packs", "k") is None
    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path / "c"))
    cache.put("packs", "k", {"a": 1})
    assert cache.get("packs", "k") == {"a": 1}
    cache.put("slot", "k1", 1, slot="s")
    cache.put("slot", "k2", 2, slot="s")
    assert (cache.get("slot", "k1", slot="s"), cache.get("slot", "k2", slot="s")) == (None, 2)


def test_every_declared_setting_accepts_its_own_default(tmp_path):
    """A rule's pack_settings declaration is consistent: its defaults pass its own model (and are
    what docs/rules/CODE.md shows)."""
    import json

    from linter.rules.registry import all_rules

    declared = {code: rule for code, rule in all_rules().items() if rule.pack_settings}
    assert {"A201", "K304", "V401"} <= set(declared)
    for code, rule in declared.items():
        settings = {key: default for key, (_, default) in rule.pack_settings.items()}
        path = _pack(tmp_path, f"id: test-2024\ndokument: årsberetning\når: 2024\nregler:\n  {code}: {json.dumps(settings)}\n")
        load_pack.cache_clear()
        assert load_pack(path).rule_settings(code) == settings
