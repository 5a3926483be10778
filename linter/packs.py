"""Rule packs: the template's requirements as data (rules/*.yaml), one per template and year.

A pack is validated against ``linter/schemas/rulepack.schema.json`` when it is loaded; a bad pack
is reported with the file and the key that is wrong. A pack may ``arver`` (inherit) another:
the child's top-level keys replace the parent's, and ``regler`` settings merge per rule.
Each rule's settings (``regler: CODE: {...}``) are checked against what the rule declares
(``Rule.pack_settings``) with pydantic: an unknown code or key is an error with a suggestion.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable

from linter.resources import rule_packs_dir, schema_path


class RulePackError(Exception):
    def __init__(self, path: str, key: str, message_nb: str, message_en: str):
        self.path = path
        self.key = key
        self.message_nb = message_nb
        self.message_en = message_en
        super().__init__(f"{path}: {key}: {message_en}")

    def message(self, lang: str) -> str:
        text = self.message_en if lang == "en" else self.message_nb
        where = f"{self.path}: {self.key}" if self.key else self.path
        return f"{where}: {text}"


@dataclass(slots=True)
class RulePack:
    id: str
    path: Path
    data: dict[str, Any]
    chain: list[str] = field(default_factory=list)  # ids, this pack first, then what it inherits
    # What the rules derive from the pack's data alone (the template's sections, the taxonomy,
    # the synonyms, vocabularies): computed once per pack object, not once per report and rule.
    # A pack's data is never changed after loading; dataclasses.replace() makes a fresh memo.
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per pack under ``key`` (it must depend on the pack's data only,
        never on a report)."""
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = compute()
            return value

    @property
    def document_kind(self) -> str:
        return self.data["dokument"]

    @property
    def year(self) -> int:
        return self.data["år"]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def rule_settings(self, code: str) -> dict[str, Any]:
        return dict(self.data.get("regler", {}).get(code, {}))


def file_stem_for(pack_id: str) -> str:
    """'årsberetning-2024' -> 'arsberetning-2024' (pack files have ASCII names)."""
    text = pack_id.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def available_packs() -> dict[str, Path]:
    """Pack ids found in the packs directory, by id (read from each file's ``id`` key)."""
    found = {}
    for path in sorted(rule_packs_dir().glob("*.yaml")):
        data = _read_yaml(path)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found[data["id"]] = path
    return found


def resolve_pack_path(name: str) -> Path:
    """A pack by id ('årsberetning-2024') or by path to a .yaml file."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") and _exists(candidate):
        return candidate
    path = rule_packs_dir() / f"{file_stem_for(name)}.yaml"
    if _exists(path):
        return path
    known = ", ".join(available_packs()) or "ingen"
    raise RulePackError(
        name, "", f"regelpakken finnes ikke (tilgjengelige: {known})", f"no such rule pack (available: {known})"
    )


def _exists(path: Path) -> bool:
    """exists() that says no, instead of raising, for a name too long or otherwise impossible
    (the name comes from a report's «mal:»)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def nearest_pack_id(kind: str, year: int) -> str | None:
    """The pack for ``kind`` with the highest year not after ``year`` (else the earliest)."""
    candidates = []
    for pack_id in available_packs():
        stem_kind, _, stem_year = pack_id.rpartition("-")
        if stem_kind == kind and stem_year.isdigit():
            candidates.append(int(stem_year))
    if not candidates:
        return None
    older = [y for y in candidates if y <= year]
    return f"{kind}-{max(older) if older else min(candidates)}"


@cache
def load_pack(name: str) -> RulePack:
    path = resolve_pack_path(name)
    return _load_path(path.resolve(), ())


# Every pack file read in this process, and the ids they declare (the results cache depends on them).
loaded_files: set[Path] = set()
loaded_ids: set[str] = set()


def _load_path(path: Path, seen: tuple[str, ...]) -> RulePack:
    data = _read_yaml(path)
    loaded_files.add(path)
    _validate(path, data)
    if data.get("regler"):
        _validate_rule_settings(path, data["regler"])
    if data.get("relasjoner"):
        _validate_formulas(path, data["relasjoner"])
    pack_id = data["id"]
    loaded_ids.add(pack_id)
    if pack_id in seen:
        raise RulePackError(str(path), "arver", "regelpakkene arver i ring: " + " -> ".join(seen + (pack_id,)),
                            "rule packs inherit in a cycle: " + " -> ".join(seen + (pack_id,)))
    chain = [pack_id]
    parent_name = data.get("arver")
    if parent_name:
        try:
            parent_path = resolve_pack_path(parent_name)
        except RulePackError as exc:
            raise RulePackError(str(path), "arver", exc.message_nb, exc.message_en) from None
        parent = _load_path(parent_path.resolve(), seen + (pack_id,))
        merged = dict(parent.data)
        for key, value in data.items():
            if key == "regler":
                rules = {code: dict(v) for code, v in parent.data.get("regler", {}).items()}
                for code, settings in value.items():
                    rules.setdefault(code, {}).update(settings)
                merged["regler"] = rules
            else:
                merged[key] = value
        data = merged
        chain += parent.chain
    return RulePack(id=pack_id, path=path, data=data, chain=chain)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(str(path), "", f"kan ikke lese regelpakken ({exc})", f"cannot read the rule pack ({exc})") from None
    # A cold start should not import and run the YAML parser for a pack it has read before:
    # the parsed data is cached under the file's content (only when it survives JSON as is).
    from linter import cache

    key = cache.key_for("yaml", text)
    data = cache.get("packs", key)
    if data is None:
        data = _parse_yaml(path, text)
        if data is not None and json.loads(json.dumps(data, default=str)) == data:
            cache.put("packs", key, data)
    return data


def _parse_yaml(path: Path, text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"linje {mark.line + 1}, kolonne {mark.column + 1}" if mark else ""
        where_en = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RulePackError(str(path), where, f"ugyldig YAML: {getattr(exc, 'problem', exc)}",
                            f"invalid YAML{' at ' + where_en if where_en else ''}: {getattr(exc, 'problem', exc)}") from None


@cache
def _pack_schema() -> dict:
    return json.loads(schema_path("rulepack.schema.json").read_text(encoding="utf-8"))


def _validate(path: Path, data: Any) -> None:
    # Importing jsonschema costs more than parsing a report: remember packs that passed, keyed
    # by their content and the schema's, and skip the schema check for them on later runs.
    from linter import cache

    try:
        key = cache.key_for("valid", schema_path("rulepack.schema.json").read_bytes(),
                            json.dumps(data, sort_keys=True, ensure_ascii=False))
    except (OSError, TypeError, ValueError):
        key = None
    if key is not None and cache.get("valid", key) is True:
        return

    import jsonschema

    validator = jsonschema.Draft202012Validator(_pack_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors and key is not None:
        cache.put("valid", key, True)
    if errors:
        error = errors[0]
        key = "/".join(str(p) for p in error.absolute_path) or "(rot)"
        hint = ""
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            import difflib

            allowed = list(error.schema.get("properties", {}))
            extra = [k for k in error.instance if k not in allowed]
            for name in extra:
                close = difflib.get_close_matches(name, allowed, n=1)
                if close:
                    hint = f" (mente du «{close[0]}»?)"
        raise RulePackError(str(path), key, f"{error.message}{hint}", f"{error.message}{hint.replace('mente du', 'did you mean')}")


def _validate_rule_settings(path: Path, settings_by_code: dict[str, Any]) -> None:
    """Every ``regler`` entry names a registered rule and only the settings it declares, with
    values of the declared types. pydantic is imported only here, for packs that set rules."""
    import difflib

    from linter import cache
    from linter.rules.registry import all_rules

    rules = all_rules()
    declared = {code: {k: repr(t) for k, (t, _) in rules[code].pack_settings.items()}
                for code in settings_by_code if code in rules}
    try:
        memo = cache.key_for("rule-settings", json.dumps(settings_by_code, sort_keys=True, ensure_ascii=False),
                             json.dumps(declared, sort_keys=True), ",".join(rules))
    except (TypeError, ValueError):
        memo = None
    if memo is not None and cache.get("valid", memo) is True:
        return
    for code, settings in settings_by_code.items():
        where = f"regler/{code}"
        rule = rules.get(code)
        if rule is None:
            close = difflib.get_close_matches(code, list(rules), n=1)
            raise RulePackError(str(path), where, f"ukjent regelkode «{code}»{_did_you_mean(close, 'nb')}",
                                f"unknown rule code «{code}»{_did_you_mean(close, 'en')}")
        from pydantic import ValidationError

        try:
            _settings_model(code).model_validate(settings)
        except ValidationError as exc:
            error = exc.errors()[0]
            key = "/".join(str(part) for part in error["loc"])
            known = list(rule.pack_settings)
            if error["type"] == "extra_forbidden":
                close = difflib.get_close_matches(str(error["loc"][0]), known, n=1)
                if close:
                    hint_nb, hint_en = _did_you_mean(close, "nb"), _did_you_mean(close, "en")
                elif known:
                    hint_nb = hint_en = " (" + ", ".join(known) + ")"
                else:
                    hint_nb, hint_en = " (regelen har ingen innstillinger)", " (the rule has no settings)"
                raise RulePackError(str(path), f"{where}/{key}", f"ukjent innstilling for {code}{hint_nb}",
                                    f"unknown setting for {code}{hint_en}") from None
            raise RulePackError(str(path), f"{where}/{key}" if key else where, f"ugyldig verdi: {error['msg']}",
                                f"invalid value: {error['msg']}") from None
    if memo is not None:
        cache.put("valid", memo, True)


def _did_you_mean(close: list[str], lang: str) -> str:
    if not close:
        return ""
    return f" (mente du «{close[0]}»?)" if lang == "nb" else f" (did you mean «{close[0]}»?)"


@cache
def _settings_model(code: str) -> Any:
    """The pydantic model of a rule's pack settings: the declared keys only, values strictly typed."""
    from pydantic import ConfigDict, create_model

    from linter.rules.registry import all_rules

    rule = all_rules()[code]
    fields: dict[str, Any] = {key: (kind, default) for key, (kind, default) in rule.pack_settings.items()}
    return create_model(f"{rule.__name__}Settings", __config__=ConfigDict(extra="forbid", strict=True), **fields)


def _validate_formulas(path: Path, relations: dict) -> None:
    """A malformed formula is a pack error naming the file and the key (formulas are parsed
    lazily, only for packs that declare relationships)."""
    from linter.formulas import FormulaError, parse_formulas

    entries = relations.get("formler") or []
    for index, (entry, outcome) in enumerate(zip(entries, parse_formulas(entry["formel"] for entry in entries))):
        if isinstance(outcome, FormulaError):
            exc = outcome
            where = f"relasjoner/formler/{index}/formel"
            raise RulePackError(str(path), where, f"ugyldig formel «{entry['formel']}»: {exc.message_nb}",
                                f"invalid formula «{entry['formel']}»: {exc.message_en}") from None
