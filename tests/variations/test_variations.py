"""Metamorphic tests: every meaning-preserving variation of every example gives the same findings
(compared by code and structural address; see variation_corpus.py). A pair that is a known limit
is an xfail(strict=True) whose reason points at docs/variations.md, so that a fix flips it."""

from __future__ import annotations

import pytest

from variation_corpus import VARIATIONS, compare, example_paths, original_text

DOC = "docs/variations.md"

# (variation, example stem prefix) -> the section of docs/variations.md that explains the limit.
# The prefix "*" means every example the variation changes.
KNOWN_LIMITS: dict[tuple[str, str], str] = {
    ("delsum-uten-sum", "bjerke"): "delsummer",
}


def _limit(variation: str, example: str) -> str | None:
    for (name, prefix), anchor in KNOWN_LIMITS.items():
        if name == variation and (prefix == "*" or example.startswith(prefix)):
            return f"{DOC}#{anchor}"
    return None


def _pairs():
    for name in VARIATIONS:
        for path in example_paths():
            text = original_text(path)
            changed = VARIATIONS[name].transform(text) != text
            limit = _limit(name, path.stem) if changed else None
            marks = [pytest.mark.xfail(strict=True, reason=f"known limit, see {limit}")] if limit else []
            yield pytest.param(name, path, id=f"{name}-{path.stem.split('-')[0]}", marks=marks)


@pytest.mark.parametrize(("variation", "path"), list(_pairs()))
def test_variation_keeps_findings(variation, path):
    result = compare(variation, path)
    if result.unchanged:
        return  # nothing to compare: the variation does not apply to this example
    assert result.error is None, f"the varied file no longer checks: {result.error}"
    assert (result.lost, result.gained) == ([], []), (
        f"{variation} × {path.stem}: lost {len(result.lost)}, gained {len(result.gained)}\n"
        + "\n".join([f"  lost:   {x}" for x in result.lost] + [f"  gained: {x}" for x in result.gained])
    )


def test_enough_variations_and_each_changes_some_example():
    assert len(VARIATIONS) >= 15
    untouched = [name for name in VARIATIONS
                 if all(VARIATIONS[name].transform(original_text(p)) == original_text(p) for p in example_paths())]
    assert untouched == []


def test_every_known_limit_names_a_variation_and_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / DOC).read_text(encoding="utf-8")
    for (name, _), anchor in KNOWN_LIMITS.items():
        assert name in VARIATIONS, name
        assert f'<a id="{anchor}">' in doc or f"{{#{anchor}}}" in doc, f"{anchor} is not in {DOC}"


@pytest.mark.parametrize("name", list(VARIATIONS))
def test_variation_keeps_the_text_parseable_and_the_facts(name):
    """The transformation itself is sound: it changes spelling, not the table structure (same
    number of data rows, counting a '(forts.)' table's rows with the table it continues)."""
    from variation_corpus import tables

    for path in example_paths():
        before, after = original_text(path), VARIATIONS[name].transform(original_text(path))
        rows = lambda text: sum(len(t.body) for t in tables(text.replace("\r\n", "\n").split("\n")))  # noqa: E731
        assert rows(before) == rows(after), (name, path.name)
