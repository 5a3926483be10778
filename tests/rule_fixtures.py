"""Rules used only by tests (named in a case file's ``also:`` as ``rule_fixtures:ClassName``)."""

from __future__ import annotations

from linter.rules.base import Rule, Severity


class RaisesOnPurpose(Rule):
    """Feiler med vilje når rapporten inneholder ordet KRASJ (for testene av X999)."""

    code = "Z999"
    name = "raises-on-purpose"
    family = "test"
    severity = Severity.ERROR
    summary = ("Feiler med vilje", "Fails on purpose")
    messages: dict[str, tuple[str, str]] = {}

    def check(self, report, context):
        if "KRASJ" in report.source:
            raise ZeroDivisionError("division by zero")
        return []
