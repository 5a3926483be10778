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
    parent.write_text("id: test-2023\ndokument: årsberetning\når: 2023\nseksjoner:\n  - tittel: A\nregler:\n  S101: {a: 1, b: 2}\n", encoding="utf-8")
    child = tmp_path / "barn.yaml"
    child.write_text(f"id: test-2024\ndokument: årsberetning\når: 2024\narver: {parent}\nregler:\n  S101: {{b: 3}}\n", encoding="utf-8")
    pack = load_pack(str(child))
    assert pack.chain == ["test-2024", "test-2023"]
    assert pack.get("seksjoner") == [{"tittel": "A"}]
    assert pack.rule_settings("S101") == {"a": 1, "b": 3}


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
