"""`rapportlint import`: turning the text of a report's PDF into the report format.

The converter is imported on first use, not with the package: the CLI registers the import
command at start-up and must not pay for the converter on every `rapportlint check`.
"""

__all__ = ["ImportResult", "ImportSummary", "import_path", "import_text"]


def __getattr__(name: str):
    if name in __all__:
        from linter.importer import convert

        return getattr(convert, name)
    raise AttributeError(name)
