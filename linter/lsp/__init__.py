"""`rapportlint server`: a Language Server for the report format (the extra ``rapportlint[lsp]``).

- ``command.py``: the click command (imports nothing heavy; says how to install pygls when it is
  missing).
- ``document.py``: checking one open document as ``rapportlint check`` checks that file (the same
  configuration, rule selection, rule pack and suppressions) and turning spans into editor
  positions. No pygls.
- ``features.py``: diagnostics, hover, code actions and the outline, as lsprotocol types.
- ``server.py``: the pygls server: debounced checks, one at a time, in a worker thread.
"""
