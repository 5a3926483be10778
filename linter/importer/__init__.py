"""`rapportlint import`: turning the text of a report's PDF into the report format."""

from linter.importer.convert import ImportResult, ImportSummary, import_path, import_text

__all__ = ["ImportResult", "ImportSummary", "import_path", "import_text"]
