"""The start-up cache of rule plug-ins: same answer as importlib.metadata, and stale never."""

from __future__ import annotations

import importlib.metadata

from linter.rules import registry


def test_entry_points_match_importlib_metadata_and_are_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path))
    expected = [(ep.name, ep.value) for ep in importlib.metadata.entry_points(group=registry.ENTRY_POINT_GROUP)]
    assert registry.registered_entry_points() == expected

    def no_metadata(**_):
        raise AssertionError("importlib.metadata used despite a fresh cache entry")

    monkeypatch.setattr(importlib.metadata, "entry_points", no_metadata)
    assert registry.registered_entry_points() == expected


def test_a_changed_sys_path_is_looked_up_again(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path / "cache"))
    registry.registered_entry_points()
    plugin_dir = tmp_path / "site"
    dist = plugin_dir / "rl_plugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: rl-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[rapportlint.rules]\nextra = rl_plugin.rules\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(plugin_dir))
    assert ("extra", "rl_plugin.rules") in registry.registered_entry_points()


def test_entry_point_values_load_like_importlib():
    assert registry._load_entry_point("linter.rules.sections") is __import__("linter.rules.sections", fromlist=["x"])
    assert registry._load_entry_point("linter.rules.base:Rule") is __import__("linter.rules.base", fromlist=["x"]).Rule
