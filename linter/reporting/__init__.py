"""Output formats, one module each. Every formatter takes the checked files and returns text."""

from __future__ import annotations

FORMATS = {
    "text": "linter.reporting.text",
    "json": "linter.reporting.json_format",
    "html": "linter.reporting.html",
}


def get_formatter(name: str):
    from importlib import import_module

    return import_module(FORMATS[name]).render
