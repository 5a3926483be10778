"""Facts: every figure of a typed table with what it is and where it stands (see model.py),
extracted with the rule pack's taxonomy (taxonomy.py, the ``fakta:`` key), compared for
agreement in one report (compare.py, rule D701) and across the reports of a run
(crossdoc.py, rule D702), and exported in long form (export.py, ``rapportlint facts``)."""
