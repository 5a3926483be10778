"""Tables continued over a page: a table whose caption says "(forts.)" and whose header repeats
the header of the table before it (in the same section) is the rest of that table.

The PDF prints a long table over several pages with its title repeated and "(forts.)" after it;
a transcription keeps both parts. The rules must see one table: a sum row in the second part sums
rows of the first, and a relation selects the table once. The continuation's rows are appended to
the first part (numbered on from it, each keeping its own span, so findings still point at the
exact cell), and the continuation leaves ``report.tables`` and its section's content. It stays in
``report.blocks``, so the file is still reproduced byte for byte.
"""

from __future__ import annotations

import re

from linter.model import Report, Table

_CONTINUED = re.compile(r"\(\s*forts(?:\.|ettelse|att)?\s*\)\s*\.?\s*$|^\s*forts(?:\.|ettelse)?\s*$",
                        re.IGNORECASE)


def is_continuation_caption(text: str) -> bool:
    return bool(_CONTINUED.search(text))


def merge_continuations(report: Report) -> None:
    if not any(t.caption is not None and is_continuation_caption(t.caption.text) for t in report.tables):
        return
    from linter.normalize import fold

    def header(table: Table) -> list[str]:
        return [fold(cell.text) for cell in table.header.cells]

    kept: list[Table] = []
    for table in report.tables:
        previous = kept[-1] if kept else None
        if (previous is not None and table.caption is not None and is_continuation_caption(table.caption.text)
                and table.section is previous.section and header(table) == header(previous)):
            start = len(previous.rows)
            for offset, row in enumerate(table.rows):
                row.index = start + offset
            previous.rows.extend(table.rows)
            previous.continuations.append(table)
            if table.section is not None and table in table.section.blocks:
                table.section.blocks.remove(table)
            continue
        kept.append(table)
    report.tables[:] = kept
