"""Finding the rules: every module or class registered in the ``rapportlint.rules`` entry-point
group. The built-in rules register there too (see pyproject.toml), so a third-party package adds
rules exactly the way the built-in ones are added."""

from __future__ import annotations

import inspect
import re
from functools import cache
from types import ModuleType

from linter.rules.base import Rule, Severity

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
    "linter.rules.facts",
    "linter.rules.syntax",
)


class RuleRegistryError(Exception):
    pass


# What went wrong loading the plug-ins, as (nb, en) messages: a broken plug-in is left out and
# said so (the CLI prints these and exits 2), it never takes the other rules down.
_PROBLEMS: list[tuple[str, str]] = []
_ORIGINS: dict[str, str] = {}  # rule code -> the entry point (name = value) it came from
_CODE = re.compile(r"^[A-Z][0-9]{3}$")


def _rules_in(obj: object) -> list[type[Rule]]:
    if isinstance(obj, ModuleType):
        found = []
        for attr, value in vars(obj).items():
            if (inspect.isclass(value) and issubclass(value, Rule) and value.__module__ == obj.__name__
                    and (getattr(value, "code", None) or not attr.startswith("_"))):
                found.append(value)  # a public class without a code is a mistake: validated below
        return found
    if inspect.isclass(obj) and issubclass(obj, Rule):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [r for item in obj for r in _rules_in(item)]
    raise RuleRegistryError(f"entry point does not name a rule, a list of rules or a module of rules: {obj!r}")


def _defects(rule: type[Rule]) -> list[str]:
    """What a rule class lacks (English attribute names); empty when it can be used."""
    defects = []
    code = getattr(rule, "code", None)
    if not isinstance(code, str) or not _CODE.match(code):
        defects.append("code (a letter and three digits, e.g. Z101)")
    if not isinstance(getattr(rule, "name", None), str) or not rule.name:
        defects.append("name")
    if not isinstance(getattr(rule, "family", None), str) or not rule.family:
        defects.append("family")
    summary = getattr(rule, "summary", None)
    if not (isinstance(summary, (tuple, list)) and len(summary) == 2 and all(isinstance(t, str) and t for t in summary)):
        defects.append("summary (nb, en)")
    messages = getattr(rule, "messages", None)
    if not (isinstance(messages, dict) and messages and all(
            isinstance(m, (tuple, list)) and len(m) == 2 and all(isinstance(t, str) for t in m)
            for m in messages.values())):
        defects.append("messages {key: (nb, en)}")
    if not isinstance(getattr(rule, "severity", None), Severity):
        defects.append("severity")
    if getattr(rule, "check", None) is Rule.check:
        defects.append("check()")
    return defects


def _package_of(origin: str, module: str) -> str:
    """The distribution that registered an entry point (else the top-level module)."""
    if module.split(".")[0] == "linter":
        return "rapportlint"
    try:
        from importlib.metadata import entry_points

        name = origin.split(" = ", 1)[0]
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name == name and ep.dist is not None:
                return ep.dist.name
    except Exception:  # noqa: BLE001 - only a name for a message
        pass
    return module.split(".")[0]


def rule_package(rule: type[Rule]) -> str:
    """The package a rule comes from, for messages about it."""
    code = getattr(rule, "code", None)
    origin = _ORIGINS.get(code) if isinstance(code, str) else None
    return _package_of(origin or "", getattr(rule, "__module__", "") or "")


def load_problems() -> list[tuple[str, str]]:
    """(nb, en) messages about plug-ins that could not be used (empty when all loaded)."""
    all_rules()
    return list(_PROBLEMS)


@cache
def all_rules() -> dict[str, type[Rule]]:
    """Every registered, valid rule class by code, sorted by code. A plug-in that cannot be
    imported, or a rule that lacks what every rule must have, is left out and named in
    ``load_problems()``."""
    from importlib import import_module

    _PROBLEMS.clear()
    sources: list[tuple[str, object]] = []
    try:
        eps = registered_entry_points()
    except Exception as exc:  # noqa: BLE001 - broken package metadata: run the built-in rules
        eps = []
        _PROBLEMS.append((f"kan ikke lese de installerte pakkenes regel-plugins ({type(exc).__name__}: {exc}); "
                          "bare de innebygde reglene kjøres",
                          f"cannot read the installed packages' rule plug-ins ({type(exc).__name__}: {exc}); "
                          "only the built-in rules are run"))
    if eps:
        for name, value in eps:
            origin = f"{name} = {value}"
            try:
                sources.append((origin, _load_entry_point(value)))
            except Exception as exc:  # noqa: BLE001 - a broken plug-in must not take the tool down
                package = _package_of(origin, value.split(":")[0].strip())
                _PROBLEMS.append((
                    f"regel-plugin fra pakken {package} ({origin}) kan ikke lastes: {type(exc).__name__}: {exc}; "
                    "reglene der er ikke kjørt",
                    f"the rule plug-in of package {package} ({origin}) cannot be loaded: {type(exc).__name__}: {exc}; "
                    "its rules were not run",
                ))
    else:
        sources = [(name, import_module(name)) for name in BUILTIN_MODULES]
    rules: dict[str, type[Rule]] = {}
    for origin, obj in sources:
        try:
            found = _rules_in(obj)
        except RuleRegistryError as exc:
            package = _package_of(origin, origin.split(" = ")[-1].split(":")[0].strip())
            _PROBLEMS.append((f"regel-plugin fra pakken {package} ({origin}): peker ikke på regler", f"{exc} (package {package})"))
            continue
        for rule in found:
            module = getattr(rule, "__module__", "") or ""
            defects = _defects(rule)
            if defects:
                package = _package_of(origin, module)
                _PROBLEMS.append((
                    f"regel-plugin fra pakken {package}: regelen {module}.{rule.__name__} mangler "
                    f"{', '.join(defects)}; den er ikke lastet",
                    f"rule plug-in of package {package}: the rule {module}.{rule.__name__} lacks "
                    f"{', '.join(defects)}; it was not loaded",
                ))
                continue
            other = rules.get(rule.code)
            if other is not None and other is not rule:
                package = _package_of(origin, module)
                _PROBLEMS.append((
                    f"regelkoden {rule.code} er registrert to ganger: {other.__module__}.{other.__name__} og "
                    f"{module}.{rule.__name__} (pakken {package}); den andre er ikke lastet",
                    f"rule code {rule.code} is registered twice: {other.__module__}.{other.__name__} and "
                    f"{module}.{rule.__name__} (package {package}); the second was not loaded",
                ))
                continue
            rules[rule.code] = rule
            _ORIGINS[rule.code] = origin
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
    # one entry per interpreter and sys.path (`python -m linter` and the installed script differ in
    # sys.path[0]: with one slot between them every other run missed and imported importlib.metadata)
    slot = cache.key_for(sys.executable, *sys.path)[:16]
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
