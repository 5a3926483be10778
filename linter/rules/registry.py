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
    from importlib.metadata import entry_points

    sources: list[tuple[str, object]] = []
    eps = entry_points(group=ENTRY_POINT_GROUP)
    if eps:
        for ep in eps:
            try:
                sources.append((f"{ep.name} = {ep.value}", ep.load()))
            except Exception as exc:  # a broken plug-in must not take the tool down silently
                raise RuleRegistryError(f"could not load rule plug-in {ep.name!r} ({ep.value}): {exc}") from exc
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
