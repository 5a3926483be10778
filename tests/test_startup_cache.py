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


# ---------------------------------------------------------------- formulas and checklist matches on disk

def _fresh_formula_store(monkeypatch, cache_dir):
    from linter import formulas

    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(formulas, "_formula_store", None)
    monkeypatch.setattr(formulas, "_formula_store_key", None)
    monkeypatch.setattr(formulas, "_formula_store_dirty", False)
    formulas.parse_formula.cache_clear()
    return formulas


def _pack_formulas() -> list[str]:
    from pathlib import Path

    import yaml

    texts = []
    for path in sorted((Path(__file__).resolve().parent.parent / "rules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts += [entry["formel"] for entry in (data.get("relasjoner") or {}).get("formler") or []]
    return texts


def test_every_pack_formula_survives_the_disk_cache_unchanged():
    from linter import formulas

    texts = _pack_formulas()
    assert len(texts) > 20
    for text in texts:
        parsed = formulas._parse_formula(text)
        decoded = formulas._decode_outcome(formulas._encode(parsed), text)
        assert decoded == parsed and decoded.shape == parsed.shape, text


def test_formulas_are_read_from_disk_without_parsing_and_errors_too(tmp_path, monkeypatch):
    import pytest

    good = 'kol("Avvik*") = kol("Regulert budsjett*") - kol("Regnskap {år}")'
    bad = 'kol("Avvik") = kol("Regnskap") +'
    formulas = _fresh_formula_store(monkeypatch, tmp_path)
    outcomes = formulas.parse_formulas([good, bad])
    assert isinstance(outcomes[1], formulas.FormulaError)
    expected_error = (outcomes[1].message_nb, outcomes[1].message_en, outcomes[1].column)

    formulas = _fresh_formula_store(monkeypatch, tmp_path)

    def no_parsing(text):
        raise AssertionError("parsed despite a stored outcome")

    monkeypatch.setattr(formulas, "_parse_formula", no_parsing)
    assert formulas.parse_formula(good) == outcomes[0]
    with pytest.raises(formulas.FormulaError) as error:
        formulas.parse_formula(bad)
    assert (error.value.message_nb, error.value.message_en, error.value.column) == expected_error


def test_a_damaged_or_foreign_formula_entry_is_parsed_afresh(tmp_path, monkeypatch):
    from linter import cache

    text = 'kol("Avvik*") = kol("Regulert budsjett*") - kol("Regnskap {år}")'
    formulas = _fresh_formula_store(monkeypatch, tmp_path)
    expected = formulas.parse_formula(text)
    formulas.flush_formulas()
    key = formulas._formula_store_key
    cache.put("formulas", key, {text: ["relation", ["nonsense"], "=", None, None]}, slot="formulas")
    formulas = _fresh_formula_store(monkeypatch, tmp_path)
    assert formulas.parse_formula(text) == expected
    # an entry written under another key (other source or grammar) is never read
    cache.put("formulas", "another key", {text: ["error", "x", "x", 1]}, slot="formulas")
    formulas = _fresh_formula_store(monkeypatch, tmp_path)
    assert formulas.parse_formula(text) == expected


def test_checklist_matches_are_read_from_disk_and_keyed_by_the_labels(tmp_path, monkeypatch):
    from linter.rules import checklists

    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path))
    items = ("Bydelen har en oppdatert beredskapsplan", "Bydelen har gjennomført øvelse")
    labels = ("Bydelen har oppdatert beredskapsplan", "Noe helt annet", "Bydelen har gjennomført øvelser 1)")
    checklists.matching_items.cache_clear()
    expected = checklists.matching_items(labels, items)
    assert expected == (0, -1, 1)

    checklists.matching_items.cache_clear()
    real = checklists.item_similarity

    def no_matching(label, item):
        raise AssertionError("compared despite a stored answer")

    monkeypatch.setattr(checklists, "item_similarity", no_matching)
    assert checklists.matching_items(labels, items) == expected
    # another set of labels is another key: compared afresh
    monkeypatch.setattr(checklists, "item_similarity", real)
    assert checklists.matching_items(labels[1:], items) == (-1, 1)
    checklists.matching_items.cache_clear()


def test_taxonomy_lookups_are_read_from_disk_and_keyed_by_the_taxonomy(tmp_path, monkeypatch):
    from linter.facts import taxonomy as taxonomy_module
    from linter.facts.taxonomy import _build, _freeze
    from linter.normalize import NO_SYNONYMS

    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path))
    data = {"scenarier": {"regnskap": ["Regnskap*"]}, "målinger": {"netto": ["Netto*"]},
            "ikke_verdikolonner": ["Avvik i %*"]}
    _build.cache_clear()
    first = _build("test-pack", _freeze(data), NO_SYNONYMS)
    expected = (first.scenario_of("Regnskap 2024"), first.scenario_of("Noe annet"),
                first.measure_of("Netto driftsutgifter"), first.is_value_column("Avvik i % 2024"))
    assert expected == ("regnskap", None, "netto", False)
    first.save_lookups()

    _build.cache_clear()
    second = _build("test-pack", _freeze(data), NO_SYNONYMS)

    def no_globs(self, patterns, text):
        raise AssertionError("matched despite a stored lookup")

    monkeypatch.setattr(taxonomy_module.Taxonomy, "_globs", no_globs)
    assert (second.scenario_of("Regnskap 2024"), second.scenario_of("Noe annet"),
            second.measure_of("Netto driftsutgifter"), second.is_value_column("Avvik i % 2024")) == expected
    # a changed taxonomy is another key: nothing of the old one is used
    monkeypatch.undo()
    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path))
    _build.cache_clear()
    changed = _build("test-pack", _freeze({**data, "scenarier": {"budsjett": ["Regnskap*"]}}), NO_SYNONYMS)
    assert changed.scenario_of("Regnskap 2024") == "budsjett"
    _build.cache_clear()


def test_taxonomy_lookups_of_two_processes_are_merged_not_overwritten(tmp_path, monkeypatch):
    from linter import cache
    from linter.facts.taxonomy import _build, _freeze
    from linter.normalize import NO_SYNONYMS

    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path))
    data = {"scenarier": {"regnskap": ["Regnskap*"], "budsjett": ["Budsjett*"]}}
    _build.cache_clear()
    first = _build("test-pack", _freeze(data), NO_SYNONYMS)
    _build.cache_clear()
    second = _build("test-pack", _freeze(data), NO_SYNONYMS)  # another worker: read the same (empty) file
    first.scenario_of("Regnskap 2024")
    second.scenario_of("Budsjett 2025")
    first.save_lookups()
    second.save_lookups()
    key, slot = second._disk
    stored = {(kind, text): value for kind, text, value in cache.get("taxonomy", key, slot=slot)}
    assert stored == {("s", "Regnskap 2024"): "regnskap", ("s", "Budsjett 2025"): "budsjett"}
    # nothing new: not written again
    second.scenario_of("Budsjett 2025")
    second._unsaved = True
    written = []
    monkeypatch.setattr(cache, "put", lambda *args, **kwargs: written.append(args))
    second.save_lookups()
    assert written == []
    _build.cache_clear()


def test_taxonomy_lookups_on_disk_stay_bounded_and_keep_the_latest_used(tmp_path, monkeypatch):
    # What a first check reads must not grow with everything ever checked: each process writes
    # the lookups it used first, then the older ones, up to the limit.
    from linter import cache
    from linter.facts import taxonomy as taxonomy_module
    from linter.facts.taxonomy import _build, _freeze
    from linter.normalize import NO_SYNONYMS

    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(taxonomy_module, "_STORED_LOOKUPS_LIMIT", 10)
    data = {"scenarier": {"regnskap": ["Regnskap*"]}}
    for run in range(5):  # five "reports", each with six headers of its own
        _build.cache_clear()
        tax = _build("test-pack", _freeze(data), NO_SYNONYMS)
        for column in range(6):
            tax.scenario_of(f"Regnskap {run}-{column}")
        tax.save_lookups()
        key, slot = tax._disk
        stored = cache.get("taxonomy", key, slot=slot)
        assert len(stored) == min(10, 6 * (run + 1))
        # this run's lookups are all kept, the rest are the latest of the runs before
        assert [text for _, text, _ in stored[:6]] == [f"Regnskap {run}-{c}" for c in range(6)]
        if run:
            assert [text for _, text, _ in stored[6:]] == [f"Regnskap {run - 1}-{c}" for c in range(4)]
    # a lookup read from disk and used again moves to the front when this process writes
    _build.cache_clear()
    tax = _build("test-pack", _freeze(data), NO_SYNONYMS)
    assert tax.scenario_of("Regnskap 3-0") == "regnskap"  # read from disk
    assert tax.scenario_of("Budsjett") is None  # new: the file is written
    tax.save_lookups()
    stored = cache.get("taxonomy", *tax._disk[:1], slot=tax._disk[1])
    assert [text for _, text, _ in stored[:3]] == ["Regnskap 3-0", "Budsjett", "Regnskap 4-0"]
    assert len(stored) == 10
    _build.cache_clear()


def test_a_damaged_taxonomy_lookup_on_disk_is_made_afresh(tmp_path, monkeypatch):
    from linter import cache
    from linter.facts.taxonomy import _build, _freeze
    from linter.normalize import NO_SYNONYMS

    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path))
    data = {"scenarier": {"regnskap": ["Regnskap*"]}, "målinger": {"netto": ["Netto*"]},
            "ikke_verdikolonner": ["Avvik*"]}
    _build.cache_clear()
    first = _build("test-pack", _freeze(data), NO_SYNONYMS)
    key, slot = first._disk
    # wrong answers' types, wrong shapes, unhashable parts: each is left out, never trusted
    cache.put("taxonomy", key, [["s", "Regnskap 2024", 5], ["v", "Avvik", "no"], ["m", ["Netto"], "netto"],
                                [["s"], "x", None], ["s"], "junk", ["s", "Budsjett", "regnskap"]], slot=slot)
    _build.cache_clear()
    second = _build("test-pack", _freeze(data), NO_SYNONYMS)
    assert second.scenario_of("Regnskap 2024") == "regnskap"
    assert second.is_value_column("Avvik") is False
    assert second.measure_of("Netto") == "netto"
    assert second.scenario_of("Budsjett") == "regnskap"  # well-formed: read as stored
    second.save_lookups()  # the damaged entries are dropped from the file
    assert {(k, t): v for k, t, v in cache.get("taxonomy", key, slot=slot)} == {
        ("s", "Regnskap 2024"): "regnskap", ("v", "Avvik"): False, ("m", "Netto"): "netto",
        ("s", "Budsjett"): "regnskap"}
    # a file that is not JSON at all: every lookup is made, and the file is written anew
    (tmp_path / "taxonomy" / f"{slot}.json").write_text("{not json", encoding="utf-8")
    _build.cache_clear()
    third = _build("test-pack", _freeze(data), NO_SYNONYMS)
    assert third.scenario_of("Regnskap 2024") == "regnskap"
    third.save_lookups()
    assert cache.get("taxonomy", key, slot=slot) == [["s", "Regnskap 2024", "regnskap"]]
    _build.cache_clear()
