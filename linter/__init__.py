"""rapportlint: a compliance linter for Oslo's district annual reports and budgets.

Kept import-light on purpose: the CLI must start fast, so heavy modules (lark, jsonschema, yaml)
are imported where they are used.
"""

__version__ = "0.1.0"
