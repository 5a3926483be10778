"""Finding the rules: every module or class registered in the ``rapportlint.rules`` entry-point
group. The built-in rules register there too (see pyproject.toml), so a third-party package adds
rules exactly the way the built-in ones are added."""

from __future__ import annotations

import inspect
from functools import cache
from types import ModuleType

from linter.rules.base import Rule

ENTRY_POINT_GROUP = "rapportlint.rules"

# Used only when the package metadata is missing (running from a source tree that was never
# installed); an installed rapportlint always goes through the entry points.
BUILTIN_MODULES = (
    "linter.rules.metadata",
    "linter.rules.sections",
    "linter.rules.checklists",
    "linter.rules.verbalvedtak",
    "linter.rules.indicators",
    "linter.rules.consistency",
    "linter.rules.arithmetic",
    "linter.rules.suppressions",
    "linter.rules.syntax",
)


class RuleRegistryError(Exception):
    pass


def _rules_in(obj: object) -> list[type[Rule]]:
    if isinstance(obj, ModuleType):
        found = []
        for _, value in vars(obj).items():
            if inspect.isclass(value) and issubclass(value, Rule) and value.__module__ == obj.__name__ and getattr(value, "code", None):
                found.append(value)
        return found
    if inspect.isclass(obj) and issubclass(obj, Rule):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [r for item in obj for r in _rules_in(item)]
    raise RuleRegistryError(f"entry point does not name a rule, a list of rules or a module of rules: {obj!r}")


@cache
def all_rules() -> dict[str, type[Rule]]:
    """Every registered rule class by code, sorted by code."""
    from importlib import import_module

    sources: list[tuple[str, object]] = []
    eps = registered_entry_points()
    if eps:
        for name, value in eps:
            try:
                sources.append((f"{name} = {value}", _load_entry_point(value)))
            except Exception as exc:  # a broken plug-in must not take the tool down silently
                raise RuleRegistryError(f"could not load rule plug-in {name!r} ({value}): {exc}") from exc
    else:
        sources = [(name, import_module(name)) for name in BUILTIN_MODULES]
    rules: dict[str, type[Rule]] = {}
    for origin, obj in sources:
        for rule in _rules_in(obj):
            other = rules.get(rule.code)
            if other is not None and other is not rule:
                raise RuleRegistryError(
                    f"rule code {rule.code} is registered twice: {other.__module__}.{other.__name__} and {origin}"
                )
            rules[rule.code] = rule
    return dict(sorted(rules.items()))


def registered_entry_points() -> list[tuple[str, str]]:
    """(name, value) of every entry point in the group. importlib.metadata costs a cold start
    more than parsing a report, so the answer is cached under the mtimes of the directories on
    sys.path: installing or removing a package changes its directory's mtime."""
    import os
    import sys

    from linter import cache

    stamps = []
    for entry in sys.path:
        try:
            stamps.append(f"{os.path.abspath(entry or '.')}:{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            stamps.append(f"{entry}:-")
    key = cache.key_for(ENTRY_POINT_GROUP, *stamps)
    slot = cache.key_for(sys.executable)[:16]  # one entry per interpreter
    found = cache.get("entry-points", key, slot)
    if isinstance(found, list) and all(isinstance(p, list) and len(p) == 2 for p in found):
        return [(str(name), str(value)) for name, value in found]
    from importlib.metadata import entry_points

    found = [(ep.name, ep.value) for ep in entry_points(group=ENTRY_POINT_GROUP)]
    cache.put("entry-points", key, [list(p) for p in found], slot)
    return found


def _load_entry_point(value: str) -> object:
    """What EntryPoint.load does: 'package.module:attr.sub [extras]'."""
    from importlib import import_module

    module, _, attrs = value.split("[", 1)[0].strip().partition(":")
    obj: object = import_module(module.strip())
    for attr in filter(None, attrs.strip().split(".")):
        obj = getattr(obj, attr)
    return obj


def select_rules(select: list[str] | None, ignore: list[str] | None) -> list[type[Rule]]:
    """Ruff-style selection: a code or a prefix ("S", "S1", "S101"), or ALL."""
    rules = all_rules()

    def matches(code: str, patterns: list[str]) -> bool:
        return any(p == "ALL" or code.startswith(p) for p in patterns)

    chosen = [r for code, r in rules.items() if not select or matches(code, select)]
    if ignore:
        chosen = [r for r in chosen if not matches(r.code, ignore)]
    return chosen


def unknown_selectors(patterns: list[str]) -> list[str]:
    codes = all_rules().keys()
    return [p for p in patterns if p != "ALL" and not any(c.startswith(p) for c in codes)]
