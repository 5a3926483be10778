"""Helpers for the HTML report tests: a small DOM built with the standard library's parser (which
also checks that every element is closed in order), a sum-checking rule that stands in for the
arithmetic rules, and generated report variants."""

from __future__ import annotations

import random
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from linter.model import ValueKind
from linter.rules.base import Rule, Severity

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None"):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list["Node"]:
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in node.classes:
                continue
            if any(node.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> "Node":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls!r} {attrs}>"
        return found[0]

    def by_id(self, ident: str) -> "Node":
        return self.find(id=ident)

    def ancestor(self, tag: str, cls: str | None = None) -> "Node | None":
        node = self.parent
        while node is not None and not (node.tag == tag and (cls is None or cls in node.classes)):
            node = node.parent
        return node


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.current.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.current.tag}> at {self.getpos()}")
            node = self.current
            while node is not None and node.tag != tag:
                node = node.parent
            if node is None:
                return
            self.current = node
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text: str, strict: bool = True) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    if strict:
        assert not builder.errors, builder.errors[:5]
        assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder.root


class SumProbe(Rule):
    """Test double for the arithmetic rules: a «Sum» row must equal the rows above it (back to
    the previous «Sum» row), column by column; its findings carry the details the real rules
    carry (docs/developing.md).

    Hvorfor:
        Tester HTML-rapporten uten å vente på aritmetikkreglene.

    Feil:
        | A | 1 |
        | Sum | 2 |

    Riktig:
        | Sum | 1 |
    """

    code = "A999"
    name = "test-sum-probe"
    family = "aritmetikk"
    severity = Severity.ERROR
    summary = ("summen stemmer ikke (test)", "the sum does not add up (test)")
    messages = {"sum": ("summen er {reported}, men radene over gir {computed}",
                        "the sum is {reported}, but the rows above give {computed}")}

    def check(self, report, context):
        for table in report.tables:
            start = 0
            for row in table.rows:
                if not row.label.lower().startswith("sum"):
                    continue
                above = table.rows[start : row.index]
                start = row.index + 1
                if not above:
                    continue
                for cell in row.cells[1:]:
                    if cell.value.kind != ValueKind.NUMBER:
                        continue
                    values = [r.cells[cell.column].value for r in above if cell.column < len(r.cells)]
                    if any(v.kind not in (ValueKind.NUMBER, ValueKind.EMPTY) for v in values):
                        continue
                    computed = sum((v.number or Decimal(0) for v in values), Decimal(0))
                    if computed == cell.value.number:
                        continue
                    shown = f"{computed:,}".translate({ord(","): " ", ord("."): ","})
                    yield self.finding(report, cell.span, "sum", reported=cell.text, computed=shown, details={
                        "table": table.id, "row": row.index, "column": cell.column,
                        "reported": cell.text, "computed": shown,
                        "difference": str(cell.value.number - computed), "slack": "0",
                    })


HOSTILE_REPORT = """---
bydel: Ondsinnet <b>bydel</b>
dokument: årsberetning
år: 2024
---

# 1 Innledning <script>document.title='PWNED'</script>

Tekst med <img src=x onerror="document.title='PWNED-P'"> i avsnittet.

<!-- rapportlint: ignore A201 begrunnelse="Avviket er forklart i note 3 <script>document.title='PWNED-S'</script>" -->

## 1.1 Økonomi

: Driftsregnskap {#t-drift type=regnskap}
| Område | Budsjett | Regnskap |
|---|---:|---:|
| Administrasjon <img src=x onerror="document.title='PWNED2'"> | 100 | 90 |
| Barnehager | 200 | 210 |
| Sum | 300 | 301 |

# 4 Særskilt rapportering
"""


def make_variants(examples: list[Path], directory: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` reports made from the real examples: each keeps the front matter (with one of 30
    district names) and a leading stretch of the report cut at a heading, some numbers in its
    tables changed (so sums break), and every tenth gets a hostile heading."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in examples]
    paths = []
    for i in range(count):
        lines = texts[i % len(texts)].splitlines(keepends=True)
        end_fm = next(n for n in range(1, len(lines)) if lines[n].strip() == "---")
        cut_at = [n for n in range(end_fm + 1, len(lines)) if lines[n].startswith("#")]
        limit = cut_at[min(len(cut_at) - 1, rng.randrange(8, 30))] if len(cut_at) > 8 else len(lines)
        out = []
        for n, line in enumerate(lines[:limit]):
            if n <= end_fm and line.startswith("bydel:"):
                line = f"bydel: {line.split(':', 1)[1].strip()} {i % 30:02d}\n"
            elif n > end_fm and line.startswith("| ") and not line.startswith("| Sum") and rng.random() < 0.05:
                line = re.sub(r"(\d)( \|\s*)$", lambda m: f"{(int(m.group(1)) + 1) % 10}{m.group(2)}", line)
            out.append(line)
        if i % 10 == 0:
            out.append("\n# 9 Tillegg <script>document.title='PWNED'</script>\n")
        path = directory / f"rapport-{i:03d}.md"
        path.write_text("".join(out), encoding="utf-8")
        paths.append(path)
    return paths


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None
