"""Auditor output: one self-contained HTML page over many checked reports.

The page has a summary matrix (documents × rule families, counts by severity), bar charts of
findings per district and per rule (inline SVG), and per document the findings grouped by the
section they are in; a finding in a table shows the table with the offending cell highlighted
and the computed value beside it. Small inline JavaScript filters by rule, severity and document.

Everything from a report is untrusted and goes through :func:`_e`; the page also carries a
Content-Security-Policy that allows no network access and only its own script (by hash), so even
a mistake in escaping could not run a report's script or fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from datetime import datetime, timezone
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from linter import __version__
from linter.engine import FileResult
from linter.reporting import Run, as_run
from linter.reporting.common import where

SEVERITIES = ("error", "warning", "info")
_ASSETS = Path(__file__).resolve().parent / "html_assets"
# Family columns in the order of the rule-code table in docs/developing.md; others follow.
_FAMILY_ORDER = "PMSAKVIFX"
_FULL_TABLE_ROWS = 40  # larger tables show only the rows around the offending cells
_CONTEXT_ROWS = 3
_LINE_WINDOW = 160  # characters of a long source line shown around the finding

_LABELS = {
    "nb": {
        "title": "rapportlint – revisjonsrapport",
        "generated": "Laget",
        "documents": "Dokumenter",
        "findings": "Funn",
        "error": "feil", "warning": "advarsler", "info": "info",
        "error1": "feil", "warning1": "advarsel", "info1": "info",
        "failed": "kunne ikke kontrolleres",
        "shown": "vises",
        "filter_rule": "Regel",
        "all_rules": "alle regler",
        "filter_sev": "Alvorlighet",
        "filter_doc": "Dokument",
        "filter_doc_ph": "bydel eller filnavn",
        "hide_empty": "skjul dokumenter uten funn",
        "open_all": "Åpne alle",
        "close_all": "Lukk alle",
        "matrix": "Oversikt: dokumenter × regelfamilier",
        "document": "Dokument",
        "total": "Totalt",
        "clean": "0",
        "charts": "Funn per bydel og per regel",
        "per_district": "Funn per bydel",
        "per_rule": "Funn per regel",
        "chart_more": "… og {n} til (se oversikten)",
        "details": "Funn per dokument",
        "root_section": "Før første overskrift (front matter)",
        "line": "linje",
        "pack": "regelpakke",
        "no_pack": "ingen regelpakke",
        "reported": "oppgitt", "computed": "beregnet", "difference": "differanse", "slack": "toleranse",
        "suppressions": "Undertrykte funn (med begrunnelse)",
        "suppressed_findings": "undertrykte funn",
        "no_reason": "mangler begrunnelse",
        "rows_skipped": "… {n} rader ikke vist …",
        "no_findings_doc": "Ingen funn.",
        "syntax": "syntaksfeil",
        "input": "kan ikke leses",
        "rulepack": "regelpakke",
        "hint": "tips",
        "legend": "Uthevet celle: funnet; «≠» viser verdien rapportlint beregnet.",
        "table": "tabell",
        "row": "rad",
        "not_checked": "Ikke kontrollert",
        "not_checked1": "ikke kontrollert",
        "rules": "Reglene bak funnene",
        "severity_varies": "Alvorligheten varierer",
        "rule_page": "regelside",
        "csv": "Last ned funnene (CSV)",
        "sort": "Sorter dokumentene",
        "sort_errors": "flest feil først",
        "sort_name": "etter navn",
        "csv_header": "fil;linje;kolonne;regel;navn;alvorlighet;melding",
        "audit": "Revisjonsmodus (--audit): ingen undertrykking er brukt; alle funn vises, og hver av de {n} undertrykkingene står med begrunnelsen sin under dokumentet.",
        "baseline": "Baseline {path}: {matched} funn står i baseline og vises ikke; {stale} oppføringer i baseline finnes ikke lenger.",
        "baseline_doc": "{n} funn i baseline (ikke vist)",
        "baseline_gone": "Oppføringer i baseline som ikke lenger finnes",
    },
    "en": {
        "title": "rapportlint – audit report",
        "generated": "Generated",
        "documents": "Documents",
        "findings": "Findings",
        "error": "errors", "warning": "warnings", "info": "info",
        "error1": "error", "warning1": "warning", "info1": "info",
        "failed": "could not be checked",
        "shown": "shown",
        "filter_rule": "Rule",
        "all_rules": "all rules",
        "filter_sev": "Severity",
        "filter_doc": "Document",
        "filter_doc_ph": "district or file name",
        "hide_empty": "hide documents without findings",
        "open_all": "Open all",
        "close_all": "Close all",
        "matrix": "Overview: documents × rule families",
        "document": "Document",
        "total": "Total",
        "clean": "0",
        "charts": "Findings per district and per rule",
        "per_district": "Findings per district",
        "per_rule": "Findings per rule",
        "chart_more": "… and {n} more (see the overview)",
        "details": "Findings per document",
        "root_section": "Before the first heading (front matter)",
        "line": "line",
        "pack": "rule pack",
        "no_pack": "no rule pack",
        "reported": "reported", "computed": "computed", "difference": "difference", "slack": "slack",
        "suppressions": "Suppressed findings (with reasons)",
        "suppressed_findings": "suppressed findings",
        "no_reason": "no reason given",
        "rows_skipped": "… {n} rows not shown …",
        "no_findings_doc": "No findings.",
        "syntax": "syntax error",
        "input": "cannot be read",
        "rulepack": "rule pack",
        "hint": "hint",
        "legend": "Highlighted cell: the finding; «≠» shows the value rapportlint computed.",
        "table": "table",
        "row": "row",
        "not_checked": "Not checked",
        "not_checked1": "not checked",
        "rules": "The rules behind the findings",
        "severity_varies": "Severity varies",
        "rule_page": "rule page",
        "csv": "Download the findings (CSV)",
        "sort": "Sort the documents",
        "sort_errors": "most errors first",
        "sort_name": "by name",
        "csv_header": "file;line;column;rule;name;severity;message",
        "audit": "Audit mode (--audit): no suppression applied; every finding is shown, and each of the {n} suppressions is listed with its reason under its document.",
        "baseline": "Baseline {path}: {matched} findings are in the baseline and not shown; {stale} baseline entries no longer occur.",
        "baseline_doc": "{n} findings in the baseline (not shown)",
        "baseline_gone": "Baseline entries that no longer occur",
    },
}

_TABLE_KEYS = {"table", "row", "column", "columns"}
# Readable names for detail keys the rules use (docs/developing.md); others are shown as they are.
_DETAIL_NAMES = {
    "nb": {"section": "avsnitt", "title": "tittel", "first_line": "første linje", "year": "år",
           "reference": "henvisning", "missing": "mangler", "item": "punkt", "checklist": "sjekkliste",
           "formula": "formel", "unit": "enhet", "expected": "forventet"},
    "en": {"first_line": "first line"},
}
_FACT_KEYS = ("reported", "computed", "difference", "slack")


def _e(value: Any) -> str:
    """Escape untrusted text for element content and quoted attributes."""
    return escape("" if value is None else str(value), quote=True)


@cache
def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _rule_info() -> dict[str, tuple[str, str]]:
    """code -> (name, family) for every registered rule; empty if the registry is broken (the
    page can still be drawn from the findings alone)."""
    try:
        from linter.rules.registry import all_rules

        return {code: (rule.name, getattr(rule, "family", "") or code[:1]) for code, rule in all_rules().items()}
    except Exception:
        return {}


class _Page:
    def __init__(self, run: Run, lang: str):
        self.run = run
        self.results = results = run.results
        self.lang = lang if lang in _LABELS else "nb"
        self.t = _LABELS[self.lang]
        self.rules = _rule_info()
        self.docs = [_Doc(i, r, self) for i, r in enumerate(results)]

    # ------------------------------------------------------------ helpers
    def family(self, code: str) -> str:
        info = self.rules.get(code)
        return info[1] if info else code[:1]

    def family_key(self, family: str) -> tuple:
        codes = [c for c, (_, fam) in self.rules.items() if fam == family] or [family]
        letter = min(codes)[:1].upper()
        pos = _FAMILY_ORDER.find(letter)
        return (pos if pos >= 0 else len(_FAMILY_ORDER), min(codes), family)

    def family_label(self, family: str) -> str:
        codes = sorted(c for c, (_, fam) in self.rules.items() if fam == family)
        letters = sorted({c[:1] for c in codes})
        prefix = "/".join(letters)
        return f"{prefix} {family}" if prefix and prefix != family else family

    def sev_label(self, sev: str, n: int = 2) -> str:
        return self.t[sev] if n != 1 else self.t[sev + "1"]

    # ------------------------------------------------------------ page
    def render(self) -> str:
        t = self.t
        counts = Counter(f.severity.value for d in self.docs for f in d.findings)
        total = sum(counts.values())
        failed = sum(1 for d in self.docs if d.result.failed)
        script = _asset("report.js")
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        csp = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
               "img-src 'none'; base-uri 'none'; form-action 'none'")
        out: list[str] = [
            "<!DOCTYPE html>",
            f'<html lang="{self.lang}">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="rapportlint">',
            f"<title>{_e(t['title'])}</title>",
            f"<style>{_asset('report.css')}</style>",
            "</head>",
            "<body>",
            '<header class="top">',
            f"<h1>{_e(t['title'])}</h1>",
            f'<div class="meta">rapportlint {_e(__version__)} · {_e(t["generated"])} {_e(_generated_at())} · '
            f'{len(self.docs)} {_e(t["documents"].lower())}</div>',
            "</header>",
            "<main>",
        ]
        out.append('<section class="totals" id="totals">')
        out.append(_box("docs", t["documents"], len(self.docs)))
        out.append(_box("total", t["findings"], total))
        for sev in SEVERITIES:
            out.append(_box(sev, t[sev], counts.get(sev, 0), sev))
        out.append(_box("failed", t["failed"], failed, "error" if failed else ""))
        skipped = self.run.extra.get("skipped") or [] if isinstance(self.run.extra, dict) else []
        if skipped:
            out.append(_box("skipped", t["not_checked"], len(skipped), "warning"))
        out.append("</section>")
        out.extend(self.run_state())
        out.extend(self.filters())
        out.extend(self.matrix())
        out.extend(self.not_checked())
        out.extend(self.charts())
        out.extend(_key_figures(self))
        out.append(f'<h2 id="docs">{_e(t["details"])}</h2>')
        collapse = len(self.docs) > 1
        out.append('<div id="doc-list">')
        for doc in self.docs:
            out.extend(doc.render(open_=not collapse))
        out.append("</div>")
        out.extend(self.rule_explanations())
        out.append("</main>")
        out.append(f"<script>{script}</script>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"

    def run_state(self) -> list[str]:
        """How the findings were filtered: --audit (no suppression applied) and --baseline."""
        t, out = self.t, []
        if self.run.audit:
            n = sum(len(r.suppressions) for r in self.results)
            out.append(f'<div class="state audit" id="state-audit">{_e(t["audit"].format(n=n))}</div>')
        outcome = self.run.baseline
        if outcome is not None:
            stale = sum(e.count for e in outcome.stale)
            out.append(f'<div class="state baseline" id="state-baseline" data-matched="{outcome.matched}" '
                       f'data-stale="{stale}">{_e(t["baseline"].format(path=outcome.path, matched=outcome.matched, stale=stale))}</div>')
        return out

    def filters(self) -> list[str]:
        t = self.t
        codes = Counter(f.code for d in self.docs for f in d.findings)
        options = [f'<option value="">{_e(t["all_rules"])}</option>']
        for code in sorted(codes):
            name = self.rules.get(code, ("", ""))[0] or next(
                (f.name for d in self.docs for f in d.findings if f.code == code), "")
            options.append(f'<option value="{_e(code)}">{_e(code)} {_e(name)} ({codes[code]})</option>')
        sev_boxes = "".join(
            f'<label><input type="checkbox" class="f-sev" value="{sev}" checked> {_e(self.sev_label(sev))}</label> '
            for sev in SEVERITIES
        )
        return [
            '<form class="filters" id="filters" onsubmit="return false">',
            f'<label>{_e(t["filter_rule"])} <select id="f-rule">{"".join(options)}</select></label>',
            f'<span>{_e(t["filter_sev"])}: {sev_boxes}</span>',
            f'<label>{_e(t["filter_doc"])} <input type="search" id="f-doc" placeholder="{_e(t["filter_doc_ph"])}"></label>',
            f'<label><input type="checkbox" id="f-hide-empty"> {_e(t["hide_empty"])}</label>',
            f'<button type="button" id="open-all">{_e(t["open_all"])}</button>',
            f'<button type="button" id="close-all">{_e(t["close_all"])}</button>',
            f'<span>{_e(t["findings"])} {_e(t["shown"])}: <b id="count-visible">'
            f'{sum(len(d.findings) for d in self.docs)}</b></span>',
            f'<span>{_e(t["sort"])}: <button type="button" id="sort-errors">{_e(t["sort_errors"])}</button> '
            f'<button type="button" id="sort-name">{_e(t["sort_name"])}</button></span>',
            f'<a id="csv" download="rapportlint-funn.csv" href="{_e(self.csv_uri())}">{_e(t["csv"])}</a>',
            "</form>",
        ]

    def matrix(self) -> list[str]:
        """Documents × rule families. The total comes right after the document (and both stay in
        view while the families scroll sideways), so it is seen at any width."""
        t = self.t
        families = {fam for _, fam in self.rules.values()}
        families |= {self.family(f.code) for d in self.docs for f in d.findings}
        columns = sorted(families, key=self.family_key)
        out = [f'<h2 id="matrix">{_e(t["matrix"])}</h2>', '<div class="matrix-wrap"><table class="matrix" id="matrix-table">',
               "<thead><tr>", f'<th class="doccol">{_e(t["document"])}</th>',
               f'<th class="totalcol" id="matrix-total">{_e(t["total"])}</th>']
        out.extend(f'<th data-family="{_e(fam)}">{_e(self.family_label(fam))}</th>' for fam in columns)
        out.append("</tr></thead><tbody>")
        grand: dict[str, Counter] = defaultdict(Counter)
        grand_total: Counter = Counter()
        for doc in sorted(self.docs, key=lambda d: (d.district.lower(), d.result.path)):
            per_family: dict[str, Counter] = defaultdict(Counter)
            for f in doc.findings:
                per_family[self.family(f.code)][f.severity.value] += 1
            errors = sum(1 for f in doc.findings if f.severity.value == "error")
            head = (f'<tr data-doc="{doc.anchor}" data-errors="{errors}" data-n="{len(doc.findings)}" '
                    f'data-sortname="{_e(doc.label.lower())}"><th class="doccol"><a href="#{doc.anchor}">{_e(doc.label)}</a>'
                    f'<br><span class="muted">{_e(doc.result.path)}</span></th>')
            if doc.result.failed:
                out.append(head + f'<td class="n totalcol" data-total="0"><span class="chip failed">{_e(t["failed"])}</span></td>'
                           f'<td class="n" colspan="{len(columns)}"></td></tr>')
                continue
            row_total: Counter = Counter()
            cells = []
            for fam in columns:
                c = per_family.get(fam, Counter())
                row_total.update(c)
                grand[fam].update(c)
                cells.append(f'<td class="n" data-family="{_e(fam)}">{self.chips(c)}</td>')
            grand_total.update(row_total)
            out.append(head + f'<td class="n totalcol" data-total="{sum(row_total.values())}">{self.chips(row_total)}</td>'
                       + "".join(cells) + "</tr>")
        out.append(f'</tbody><tfoot><tr class="total"><th class="doccol">{_e(t["total"])}</th>'
                   f'<td class="n totalcol">{self.chips(grand_total)}</td>')
        out.extend(f'<td class="n">{self.chips(grand.get(fam, Counter()))}</td>' for fam in columns)
        out.append("</tr></tfoot></table></div>")
        return out

    def not_checked(self) -> list[str]:
        """Files the run passed by (not reports by include/exclude, Word or PDF files, ignored by
        git), each with its reason: nothing is left out without a word."""
        skipped = (self.run.extra.get("skipped") or []) if isinstance(self.run.extra, dict) else []
        if not skipped:
            return []
        t, lang = self.t, self.lang
        out = [f'<h2 id="not-checked">{_e(t["not_checked"])} ({len(skipped)})</h2>', '<ul class="not-checked">']
        for item in skipped:
            out.append(f'<li data-path="{_e(item.path)}"><span class="chip skipped">{_e(t["not_checked1"])}</span> '
                       f'<span class="path">{_e(item.path)}</span>: {_e(item.reason(lang))}</li>')
        out.append("</ul>")
        return out

    def rule_explanations(self) -> list[str]:
        """Each rule that has a finding on the page, explained (why, bad, good), so an auditor
        reads it here, offline."""
        try:
            from linter.rules.registry import all_rules

            rules = all_rules()
        except Exception:  # noqa: BLE001 - the page is still drawn without them
            return []
        codes = sorted({f.code for d in self.docs for f in d.findings} & set(rules))
        if not codes:
            return []
        t, lang = self.t, self.lang
        from linter.rules.base import docs_url

        out = [f'<h2 id="rules">{_e(t["rules"])}</h2>']
        for code in codes:
            rule = rules[code]
            summary = rule.summary[1 if lang == "en" else 0]
            varies = getattr(rule, "severity_varies", None)
            out.append(f'<details class="rule" id="rule-{_e(code)}"><summary><span class="code">{_e(code)}</span> '
                       f'{_e(rule.name)}: {_e(summary)} <span class="muted">[{_e(rule.severity.label(lang))}]</span></summary>')
            if varies:
                out.append(f'<p><b>{_e(t["severity_varies"])}:</b> {_e(varies[1 if lang == "en" else 0])}</p>')
            out.append(f'<pre class="ruledoc">{_e(rule.doc())}</pre>')
            out.append(f'<p class="muted">{_e(t["rule_page"])}: {_e(docs_url(code))}</p></details>')
        return out

    def csv_uri(self) -> str:
        """Every finding as CSV (semicolons, as spreadsheets in Norway expect), in a data: link."""
        rows = [self.t["csv_header"]]
        for doc in self.docs:
            for f in doc.findings:
                rows.append(";".join(_csv_field(v) for v in (
                    doc.result.path, f.span.line, f.span.column, f.code, f.name, f.severity.value, f.message(self.lang))))
        return "data:text/csv;charset=utf-8," + _percent_encoded("\ufeff" + "\r\n".join(rows) + "\r\n")

    def chips(self, counts: Counter) -> str:
        if not sum(counts.values()):
            return '<span class="chip clean">0</span>'
        return "".join(
            f'<span class="chip {sev}" data-sev="{sev}" data-n="{counts[sev]}" title="{_e(self.sev_label(sev, counts[sev]))}">'
            f'{counts[sev]} {_e(self.sev_label(sev, counts[sev]))}</span>'
            for sev in SEVERITIES if counts.get(sev)
        )

    def charts(self) -> list[str]:
        t = self.t
        by_district: dict[str, Counter] = defaultdict(Counter)
        first_doc: dict[str, str] = {}
        for doc in self.docs:
            by_district[doc.district]  # districts without findings still get a (zero) bar
            first_doc.setdefault(doc.district, doc.anchor)
            for f in doc.findings:
                by_district[doc.district][f.severity.value] += 1
        by_rule: dict[str, Counter] = defaultdict(Counter)
        for doc in self.docs:
            for f in doc.findings:
                by_rule[f.code][f.severity.value] += 1
        district_rows = sorted(by_district.items(), key=lambda kv: (-sum(kv[1].values()), kv[0].lower()))
        rule_rows = sorted(by_rule.items(), key=lambda kv: kv[0])
        rule_names = {code: self.rules.get(code, ("", ""))[0] for code in by_rule}
        return [
            f'<h2 id="charts">{_e(t["charts"])}</h2><div class="charts">',
            _bar_chart("chart-district", t["per_district"],
                       [(name, f"#{first_doc[name]}", c, name) for name, c in district_rows], self, "district"),
            _bar_chart("chart-rule", t["per_rule"],
                       [(f"{code} {rule_names[code]}".strip(), f"#filter:regel={code}", c, code) for code, c in rule_rows],
                       self, "rule"),
            "</div>",
        ]


_QUOTED: dict[int, str] = {}


def _percent_encoded(text: str) -> str:
    """``urllib.parse.quote(text)``, the same characters out, in one ``str.translate`` over the
    UTF-8 bytes instead of a Python step per byte (5 700 findings: 0.35 s → 0.02 s)."""
    if not _QUOTED:
        safe = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")
        _QUOTED.update({byte: chr(byte) if byte in safe else f"%{byte:02X}" for byte in range(256)})
    return text.encode("utf-8").decode("latin-1").translate(_QUOTED)


def _csv_field(value) -> str:
    text = str(value)
    if any(ch in text for ch in ';"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _box(key: str, label: str, n: int, cls: str = "") -> str:
    return (f'<div class="box {cls}"><span class="num" id="count-{key}" data-count="{n}">{n}</span>'
            f'{_e(label)}</div>')


def _generated_at() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible output when asked for
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return datetime.now().strftime("%Y-%m-%d %H:%M")


_CHART_MAX_BARS = 60


def _bar_chart(chart_id: str, title: str, rows: list[tuple], page: _Page, kind: str) -> str:
    """A horizontal stacked bar chart (error, warning, info) as plain inline SVG. Each bar carries
    its key (district or rule code) and all three parts, so the page's filters can redraw it."""
    shown = rows[:_CHART_MAX_BARS]
    label_w, bar_w, bar_h, gap = 230, 380, 16, 6
    height = max(1, len(shown)) * (bar_h + gap) + 8
    top = max([sum(c.values()) for _, _, c, _ in shown] + [1])
    parts = [f'<figure class="chart" id="{chart_id}" data-kind="{kind}"><h3>{_e(title)}</h3>',
             f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" height="{height}" '
             f'data-label-w="{label_w}" data-bar-w="{bar_w}" role="img" aria-label="{_e(title)}">']
    for i, (label, href, counts, key) in enumerate(shown):
        y = 4 + i * (bar_h + gap)
        short = label if len(label) <= 34 else label[:33] + "…"
        text = f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">{_e(short)}</text>'
        if href:
            text = f'<a href="{_e(href)}">{text}</a>'
        parts.append(f'<g class="bar" data-label="{_e(label)}" data-key="{_e(key)}" data-total="{sum(counts.values())}">{text}')
        x = float(label_w)
        for sev in SEVERITIES:
            n = counts.get(sev, 0)
            w = max(1.0, bar_w * n / top) if n else 0.0
            parts.append(f'<rect class="bar-{sev}" data-sev="{sev}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}">'
                         f'<title>{_e(label)}: {n} {_e(page.sev_label(sev, n))}</title></rect>')
            x += w
        parts.append(f'<text class="bar-total" x="{x + 4:.1f}" y="{y + bar_h - 4}">{sum(counts.values())}</text></g>')
    parts.append("</svg>")
    if len(rows) > len(shown):
        parts.append(f'<figcaption class="muted">{_e(page.t["chart_more"].format(n=len(rows) - len(shown)))}</figcaption>')
    parts.append("</figure>")
    return "".join(parts)


class _Doc:
    def __init__(self, index: int, result: FileResult, page: _Page):
        self.result = result
        self.page = page
        self.anchor = f"doc-{index + 1}"
        self.findings = list(result.findings)
        self.report = report = result.report
        stem = Path(result.path).stem
        meta = result.prepared.get("html_meta") if report is None else None
        if report is not None or meta is not None:
            district, kind, year = (report.district, report.kind, report.year) if report is not None else meta
            self.district = (district or "").strip() or stem
            self.label = " ".join(x for x in (self.district, "–", kind or "", str(year) if year else "") if x).rstrip(" –")
        else:
            self.district = stem
            self.label = stem

    def render(self, open_: bool) -> list[str]:
        """This document's section of the page: made in the worker process when it still holds
        (see prepare), else here, from the model."""
        made = self.result.prepared.get("html")
        if made is not None and not open_ and self._still_as_prepared(made):
            return list(made["lines"])
        # Drawn in the worker, but its findings changed since: the model, from the kept source.
        # (A result that never had a model shows its findings without tables, as ever.)
        if made is not None and self.report is None and self.result.source is not None and not self.result.failed:
            from linter.parsing.builder import parse_report

            self.report = parse_report(self.result.source, self.result.path, recover=True)
        return self._render(open_)

    def _still_as_prepared(self, made: dict) -> bool:
        """The worker's section is this page's when nothing it drew from changed since: the same
        language and findings, no baseline, no link to another document."""
        if made["lang"] != self.page.lang or made["anchor"] != self.anchor or self.page.run.baseline is not None:
            return False
        if made["findings"] != _findings_key(self.findings):
            return False
        return not any(isinstance(f.details, dict) and isinstance(f.details.get("related"), list)
                       and any(isinstance(r, dict) and r.get("path") != self.result.path for r in f.details["related"])
                       for f in self.findings)

    def _render(self, open_: bool) -> list[str]:
        t = self.page.t
        result = self.result
        counts = Counter(f.severity.value for f in self.findings)
        errors = sum(1 for f in self.findings if f.severity.value == "error")
        attrs = (f' data-name="{_e(self.label + " " + result.path)}" data-findings="{len(self.findings)}"'
                 f' data-district="{_e(self.district)}" data-errors="{errors}" data-sortname="{_e(self.label.lower())}"')
        if result.failed:
            attrs += " data-failed"
        failed = f'<span class="chip failed">{_e(t["failed"])}</span>' if result.failed else ""
        out = [f'<details class="doc" id="{self.anchor}"{attrs}{" open" if open_ else ""}>',
               f'<summary>{_e(self.label)} <span class="chip vcount-wrap"><span class="vcount">{len(self.findings)}</span> {_e(t["findings"].lower())}</span> '
               f'{self.page.chips(counts) if self.findings else ""}{failed} '
               f'<span class="path">{_e(result.path)} · {_e(t["pack"])}: {_e(result.pack_id or t["no_pack"])}</span></summary>',
               '<div class="body">']
        out.extend(self.failures())
        out.extend(self.baseline())
        out.extend(self.suppressions())
        if not self.findings and not result.failed:
            out.append(f'<p class="muted">{_e(t["no_findings_doc"])}</p>')
        out.extend(self.sections())
        out.append("</div></details>")
        return out

    # ------------------------------------------------------------ failures
    def failures(self) -> list[str]:
        t, lang, r = self.page.t, self.page.lang, self.result
        out = []
        if r.input_error:
            out.append(f'<div class="failure"><b>{_e(t["input"])}:</b> {_e(r.input_error.message(lang))}</div>')
        if r.pack_error:
            out.append(f'<div class="failure"><b>{_e(t["rulepack"])}:</b> {_e(r.pack_error.message(lang))}</div>')
        if r.syntax_error:
            for p in r.syntax_error.problems:
                hint = p.hint(lang)
                hint_html = f'<br><i>{_e(t["hint"])}: {_e(hint)}</i>' if hint else ""
                out.append(f'<div class="failure"><span class="loc">{p.line}:{p.column}</span> <b>{_e(t["syntax"])}:</b> '
                           f'{_e(p.message(lang))}{hint_html}</div>')
        return out

    # ------------------------------------------------------------ baseline
    def baseline(self) -> list[str]:
        outcome = self.page.run.baseline
        if outcome is None:
            return []
        from linter.baseline import key_path

        t = self.page.t
        accepted = outcome.unchanged.get(self.result.path, [])
        mine = key_path(self.result.path, outcome.path)
        gone = [e for e in outcome.stale if e.path == mine]
        if not accepted and not gone:
            return []
        out = [f'<div class="doc-baseline" data-matched="{len(accepted)}" data-stale="{sum(e.count for e in gone)}">']
        if accepted:
            out.append(f'<div>{_e(t["baseline_doc"].format(n=len(accepted)))}</div>')
        if gone:
            out.append(f'<b>{_e(t["baseline_gone"])}</b><ul>')
            for entry in gone:
                out.append(f'<li class="gone" data-code="{_e(entry.code)}"><span class="code">{_e(entry.code)}</span> '
                           f'×{entry.count} {_e(entry.message)}</li>')
            out.append("</ul>")
        out.append("</div>")
        return out

    # ------------------------------------------------------------ suppressions
    def suppressions(self) -> list[str]:
        items = self.result.suppressions
        suppressed = self.result.suppressed
        if not items and not suppressed:
            return []
        t, lang = self.page.t, self.page.lang
        out = [f'<div class="suppressions" data-count="{len(items)}"><b>{_e(t["suppressions"])}</b><ul>']
        for item in items:
            reason = (f'«{_e(item.reason)}»' if item.reason
                      else f'<span class="noreason">{_e(t["no_reason"])}</span>')
            extra = f' · {item.count} {_e(t["suppressed_findings"])}'
            kind = f' <span class="muted">({_e(item.kind)})</span>'
            row = f' <span class="muted">{_e(t["row"])} «{_e(item.row)}»</span>' if item.row else ""
            out.append(f'<li><span class="loc">{_e(t["line"])} {item.span.line}</span>{kind} '
                       f'<span class="code">{_e(", ".join(item.codes) or "?")}</span>{row}: {reason}{extra}</li>')
        out.append("</ul>")
        if suppressed:
            # shown for the record, outside the counts and filters (they are not findings any more)
            out.append(f'<details class="suppressed"><summary>{len(suppressed)} {_e(t["suppressed_findings"])}</summary><ul>')
            for f in sorted(suppressed, key=lambda f: (f.span.line, f.span.column, f.code)):
                out.append(f'<li class="sf" data-code="{_e(f.code)}"><span class="loc">{f.span.line}:{f.span.column}</span> '
                           f'<span class="code">{_e(f.code)}</span> {_e(f.message(lang))}</li>')
            out.append("</ul></details>")
        out.append("</div>")
        return out

    # ------------------------------------------------------------ findings by section
    def sections(self) -> list[str]:
        report = self.report
        if not self.findings:
            return []
        t = self.page.t
        groups: dict[int, list] = defaultdict(list)
        sections: list = []
        lines: list[int] = []
        if report is not None:
            for section in report.sections():
                if section.span is not None:
                    sections.append(section)
                    lines.append(section.span.line)
        for f in self.findings:
            groups[bisect_right(lines, f.span.line) - 1].append(f)
        out = []
        for key in sorted(groups):
            findings = sorted(groups[key], key=lambda f: (f.span.line, f.span.column, f.code))
            if key < 0:
                title, line = t["root_section"], None
            else:
                section = sections[key]
                title = " ".join(x for x in (section.number, section.title) if x)
                line = section.span.line
            where = f' <span class="muted">({_e(t["line"])} {line})</span>' if line else ""
            out.append(f'<details class="sec" open><summary>{_e(title)}{where} '
                       f'<span class="muted">· <span class="scount">{len(findings)}</span></span></summary>')
            out.extend(self.findings_html(findings))
            out.append("</details>")
        return out

    def findings_html(self, findings: list) -> list[str]:
        """Findings in one section; those in the same table share one drawing of it."""
        report = self.report
        out = []
        by_table: dict[int, list] = {}
        order: list[tuple[str, Any]] = []
        for f in findings:
            located = _locate(report, f) if report is not None else None
            if located is None:
                order.append(("f", f))
                continue
            table = located[0]
            if id(table) not in by_table:
                by_table[id(table)] = []
                order.append(("t", table))
            by_table[id(table)].append((f, located[1], located[2]))
        last_line = None
        for kind, item in order:
            if kind == "f":
                # several findings on one line (e.g. sections missing before a heading) show it once
                out.append(self.finding_html(item, source_line=item.span.line != last_line))
                last_line = item.span.line
            else:
                hits = by_table[id(item)]
                out.append('<div class="tgroup">')
                out.extend(self.finding_html(f, source_line=False) for f, _, _ in hits)
                out.append(self.table_html(item, hits))
                out.append("</div>")
        return out

    def finding_html(self, f, source_line: bool) -> str:
        t, lang = self.page.t, self.page.lang
        sev = f.severity.value
        parts = [f'<div class="f {sev}" data-code="{_e(f.code)}" data-rule="{_e(f.name)}" data-sev="{sev}" data-line="{f.span.line}"'
                 f'{_fact_finding_id(self, f)}>',
                 f'<span class="loc">{_e(where(f, lang))}</span> ',
                 f'<a class="code" href="#rule-{_e(f.code)}">{_e(f.code)}</a> <span class="sev">[{_e(f.severity.label(lang))}]</span> ',
                 f'<span class="msg">{_e(f.message(lang))}</span>']
        facts = _facts(f.details, t, _DETAIL_NAMES.get(lang, {}))
        if facts:
            parts.append(f'<div class="facts">{facts}</div>')
        parts.append(_related_links(self, f))
        if source_line and self.report is not None and f.location is None:  # a Word draft's place quotes its text
            parts.append(_line_html(self.report, f.span))
        parts.append("</div>")
        return "".join(parts)

    def table_html(self, table, hits: list) -> str:
        t = self.page.t
        cell_hits: dict[tuple[int, int], list] = defaultdict(list)
        row_hits: set[int] = set()
        col_hits: set[int] = set()
        for f, row, cols in hits:
            if row is not None and cols:
                for col in cols:
                    cell_hits[(row, col)].append(f)
            elif row is not None:
                row_hits.add(row)
            else:
                col_hits.update(cols)
        hit_rows = {r for r, _ in cell_hits} | row_hits
        n = len(table.rows)
        if n <= _FULL_TABLE_ROWS:
            keep = set(range(n))
        else:
            keep = {i for r in hit_rows if r >= 0 for i in range(r - _CONTEXT_ROWS, r + _CONTEXT_ROWS + 1)}
            keep |= {0, n - 1}
            keep = {i for i in keep if 0 <= i < n}
        ncols = len(table.header.cells)
        title = table.title + (f" {{#{table.id}}}" if table.id and table.id != table.title else "")
        out = [f'<div class="ttitle">{_e(t["table"])}: {_e(title)} <span class="muted">'
               f'({_e(t["line"])} {table.span.line})</span></div>',
               '<div class="tscroll"><table class="src"><thead><tr><th class="rowno"></th>']
        for cell in table.header.cells:
            out.append(self._cell(cell, "th", cell_hits.get((-1, cell.column)), cell.column in col_hits or -1 in row_hits))
        out.append("</tr></thead><tbody>")
        skipped = 0
        for row in table.rows:
            if row.index not in keep:
                skipped += 1
                continue
            if skipped:
                out.append(f'<tr class="gap"><td colspan="{ncols + 1}">{_e(t["rows_skipped"].format(n=skipped))}</td></tr>')
                skipped = 0
            cls = ' class="hitrow"' if row.index in row_hits else ""
            out.append(f'<tr{cls}><th class="rowno">{row.span.line}</th>')
            for cell in row.cells:
                out.append(self._cell(cell, "td", cell_hits.get((row.index, cell.column)), False))
            out.append("</tr>")
        if skipped:
            out.append(f'<tr class="gap"><td colspan="{ncols + 1}">{_e(t["rows_skipped"].format(n=skipped))}</td></tr>')
        out.append("</tbody></table></div>")
        return "".join(out)

    @staticmethod
    def _cell(cell, tag: str, findings: list | None, column_hit: bool) -> str:
        numeric = cell.value.number is not None
        classes = ["num"] if numeric and tag == "td" else []
        attrs = ""
        calc = ""
        if findings:
            worst = max(findings, key=lambda f: f.severity.rank)
            classes += ["hit", worst.severity.value]
            attrs = f' data-code="{_e(worst.code)}" data-sev="{worst.severity.value}"'
            computed = []
            for f in findings:
                value = f.details.get("computed") if isinstance(f.details, dict) else None
                if value is not None:
                    value = _like_cell(value, cell.text)
                    if value not in computed:
                        computed.append(value)
            calc = "".join(f'<span class="calc">{_e(v)}</span>' for v in computed)
        elif column_hit:
            classes.append("hit")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        return f"<{tag}{cls}{attrs}>{_e(cell.text)}{calc}</{tag}>"


def _facts(details: Any, t: dict[str, str], names: dict[str, str]) -> str:
    """The finding's numbers (reported, computed, difference, slack) and any other simple detail."""
    if not isinstance(details, dict) or not details:
        return ""
    parts = []
    for key in _FACT_KEYS:
        if details.get(key) not in (None, ""):
            parts.append(f'{_e(t[key])} <b>{_e(details[key])}</b>')
    for key, value in details.items():
        if key in _TABLE_KEYS or key in _FACT_KEYS or value in (None, "", [], {}):
            continue
        if isinstance(value, (str, int, float)) or type(value).__name__ == "Decimal":
            parts.append(f"{_e(names.get(key, key))}: <b>{_e(value)}</b>")
        elif isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value) and len(value) <= 12:
            parts.append(f"{_e(names.get(key, key))}: <b>{_e(', '.join(str(v) for v in value))}</b>")
    return " · ".join(parts)


def _line_html(report, span) -> str:
    text = report.line_text(span.line)
    if not text.strip():
        return ""
    start = max(0, span.column - 1)
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    end = max(start, min(end, len(text)))
    lo, hi = 0, len(text)
    if len(text) > 2 * _LINE_WINDOW:
        lo = max(0, start - _LINE_WINDOW // 2)
        hi = min(len(text), max(end, start + 1) + _LINE_WINDOW // 2)
    before = ("…" if lo > 0 else "") + text[lo:start]
    marked = text[start:end]
    after = text[end:hi] + ("…" if hi < len(text) else "")
    body = _e(before) + (f"<mark>{_e(marked)}</mark>" if marked else "") + _e(after)
    return f'<pre class="line"><span class="ln">{span.line}</span>{body}</pre>'


def _locate(report, finding) -> tuple[Any, int | None, list[int]] | None:
    """The table a finding is about, the row index and the columns of its cells, from details
    when the rule gave them (docs/developing.md), else from where the finding's span lies."""
    details = finding.details if isinstance(finding.details, dict) else {}
    table = None
    wanted = details.get("table")
    if wanted:
        candidates = [tb for tb in report.tables if tb.id == wanted] or [tb for tb in report.tables if tb.title == wanted]
        if candidates:
            table = min(candidates, key=lambda tb: abs(tb.span.line - finding.span.line))
    line = finding.span.line
    if table is None:
        table = next((tb for tb in report.tables if tb.span.line <= line < tb.span.end_line
                      or tb.span.line <= line <= tb.span.end_line and tb.span.end_column > 1), None)
        if table is None:
            return None
    row = _as_int(details.get("row"))
    if row is None and isinstance(details.get("row"), str):
        label = details["row"].strip()
        row = next((r.index for r in table.rows if r.label == label), None)
    col = _as_int(details.get("column"))
    if row is not None and not (row == -1 or 0 <= row < len(table.rows)):
        row = None
    if row is None and col is None:
        row, col = _cell_at(table, finding.span)
    cols = [] if col is None else [col]
    extra = details.get("columns")
    if isinstance(extra, (list, tuple)):
        cols += [c for c in (_as_int(v) for v in extra) if c is not None and c not in cols]
    return table, row, cols


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def _cell_at(table, span) -> tuple[int | None, int | None]:
    for row in [table.header, *table.rows]:
        if row.span.line != span.line:
            continue
        for cell in row.cells:
            if cell.span.line == span.line and cell.span.column <= span.column <= max(cell.span.end_column, cell.span.column):
                return row.index, cell.column
        return row.index, None
    return None, None


# The page draws tables and sections from the parsed report the engine made: the CLI keeps it
# for this format even with --jobs (a result without it still lists its findings, no tables).
NEEDS_REPORT = True


def render(run, lang: str = "nb", **_: object) -> str:
    return _Page(as_run(run), lang).render()


def _like_cell(value, example: str) -> str:
    """A computed value written the way its cell writes numbers ("-1654" beside "-10410" -> "-1 654")."""
    from decimal import Decimal, InvalidOperation

    from linter.parsing.numbers import format_like

    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number != number.to_integral_value():
        return str(number).replace(".", ",")  # keep every decimal the rule computed
    return format_like(number, example)


# ---------------------------------------------------------------------------- facts (D7xx)
# Kept apart from the rest of the page: anchors on the fact findings, links from a cross-document
# finding (D702) to the other file, and the key figures of every district in the run.
_KEY_LABELS = {
    "nb": {"title": "Nøkkeltall på tvers av bydeler", "district": "Bydel", "year": "År", "sick": "Sykefravær",
           "regnskap": "regnskap", "regulert-budsjett": "regulert budsjett", "avvik": "avvik", "total": "Sum",
           "note": "Netto driftsutgifter i 1000 kr fra årsberetningenes tabeller; celler som er uenige med et annet "
                   "sted der tallet står, er merket og lenker til funnet.", "other": "se også"},
    "en": {"title": "Key figures across districts", "district": "District", "year": "Year", "sick": "Sick leave",
           "regnskap": "accounts", "regulert-budsjett": "revised budget", "avvik": "variance", "total": "Total",
           "note": "Net operating expenditure in 1000 NOK from the annual reports' tables; cells that disagree with "
                   "another place the figure is stated are marked and link to the finding.", "other": "see also"},
}
_KEY_CONCEPTS = ("fo:1", "fo:2A", "fo:2B", "fo:2C", "fo:3", "fo:4", "sum:totalt")
_KEY_SCENARIOS = ("regnskap", "regulert-budsjett", "avvik")


def _fact_anchor(doc_anchor: str, line: int, column: int) -> str:
    return f"{doc_anchor}-fact-{line}-{column}"


_MARKING = ("D7", "A2")  # findings about a figure that disagrees with another statement of it


def _fact_finding_id(doc, f) -> str:
    """An anchor on the first fact or arithmetic finding at a cell, for the key-figures view."""
    if not f.code.startswith(_MARKING):
        return ""
    seen = doc.__dict__.setdefault("_fact_ids", set())
    anchor = _fact_anchor(doc.anchor, f.span.line, f.span.column)
    if anchor in seen:
        return ""
    seen.add(anchor)
    return f' id="{anchor}"'



def _related_links(doc, f) -> str:
    """Links from a cross-document finding to the place in the other file."""
    details = f.details if isinstance(f.details, dict) else {}
    related = details.get("related")
    if not isinstance(related, list) or not related:
        return ""
    by_path = {d.result.path: d for d in doc.page.docs}
    links = []
    for item in related:
        if not isinstance(item, dict):
            continue
        where = f"{item.get('path')}:{item.get('line')}:{item.get('column')}"
        other = by_path.get(item.get("path"))
        href = f"#{other.anchor}" if other is not None else None
        links.append(f'<a class="related" href="{href}">{_e(where)}</a>' if href else f'<span class="related">{_e(where)}</span>')
    label = _KEY_LABELS.get(doc.page.lang, _KEY_LABELS["nb"])["other"]
    return f'<div class="facts">{_e(label)}: {", ".join(links)}</div>' if links else ""


def _key_cells(report, result, extract, taxonomy_for, load_pack) -> tuple | None:
    """(district, year, {(concept, scenario): fact}) of an annual report's key figures, or None."""
    if report is None or result.failed or report.kind != "årsberetning" or not result.pack_id:
        return None
    try:
        taxonomy = taxonomy_for(load_pack(result.pack_id))
    except Exception:
        return None
    if taxonomy is None:
        return None
    cells: dict[tuple, Any] = {}
    # A key figure has a scenario, a year and a known row: a comparable fact. The duplicate check
    # (D701) extracted those already (two thirds of the page's work per document, done again here
    # before); without the report's year a fact without one would match, so then every fact.
    year = report.year
    facts = result.shared.get("facts:comparable") if year is not None else None
    if facts is None:
        facts = extract(report, taxonomy, comparable_only=year is not None)
    for fact in facts:
        if fact.year != year:
            continue
        if fact.concept in _KEY_CONCEPTS and fact.measure == "netto" and fact.scenario in _KEY_SCENARIOS:
            cells.setdefault((fact.concept, fact.scenario), fact)
        elif fact.concept == "sykefravær:totalt" and fact.scenario == "resultat":
            cells.setdefault(("sick", None), fact)
    return (report.district, report.year, cells) if cells else None


def _findings_key(findings: list) -> list:
    return [(f.code, f.severity.value, f.span, f.message_nb, f.message_en, repr(f.details)) for f in findings]


def prepare(result: FileResult, index: int, lang: str = "nb") -> None:
    """In a worker process, while the model is there: this document's section of the page (for a
    page of several documents), its key figures and what labels it, so the model need not be
    sent back (pickling it cost more than checking it). The page uses them only while they still
    hold (_Doc._still_as_prepared)."""
    from linter.facts.extract import extract
    from linter.facts.taxonomy import taxonomy_for
    from linter.packs import load_pack

    report = result.report
    page = _Page(Run([result]), lang)
    doc = page.docs[0]
    doc.anchor = f"doc-{index + 1}"
    result.prepared["html_meta"] = (report.district, report.kind, report.year)
    result.prepared["key_cells"] = _key_cells(report, result, extract, taxonomy_for, load_pack)
    result.prepared["html"] = {"lang": page.lang, "anchor": doc.anchor, "findings": _findings_key(doc.findings),
                               "lines": doc._render(open_=False)}


def _key_figures(page) -> list[str]:
    """One row per district and year (the annual reports in the run): netto regnskap, regulert
    budsjett and avvik per funksjonsområde and in total, and sick leave; a cell a D701/D702
    finding names, or an arithmetic finding (A2xx) stands at, is marked and links to it."""
    try:
        from linter.facts.extract import extract
        from linter.facts.taxonomy import taxonomy_for
        from linter.packs import load_pack
    except Exception:  # the page is drawn without the view rather than not at all
        return []
    labels = _KEY_LABELS.get(page.lang, _KEY_LABELS["nb"])
    marked: dict[tuple, str] = {}  # (path, line, column) of every cell a fact finding names -> its anchor
    for doc in page.docs:
        for f in doc.findings:
            if not f.code.startswith(_MARKING):
                continue
            target = "#" + _fact_anchor(doc.anchor, f.span.line, f.span.column)
            details = f.details if isinstance(f.details, dict) and f.code.startswith("D7") else {}
            places = [{"line": f.span.line, "column": f.span.column}, *details.get("occurrences", []),
                      *details.get("related", [])]
            for place in places:
                if isinstance(place, dict):
                    marked.setdefault((place.get("path", doc.result.path), place.get("line"), place.get("column")), target)
    rows = []
    for doc in page.docs:
        found = doc.result.prepared.get("key_cells") if doc.report is None else None
        if found is None:
            found = _key_cells(doc.report, doc.result, extract, taxonomy_for, load_pack)
        if found is not None:
            rows.append((doc, *found))
    if not rows:
        return []
    head = [f"<th rowspan=2>{_e(labels['district'])}</th>", f"<th rowspan=2>{_e(labels['year'])}</th>"]
    sub = []
    for concept in _KEY_CONCEPTS:
        name = labels["total"] if concept == "sum:totalt" else "FO" + concept.split(":")[1]
        head.append(f'<th colspan="{len(_KEY_SCENARIOS)}">{_e(name)}</th>')
        sub.extend(f"<th>{_e(labels[s])}</th>" for s in _KEY_SCENARIOS)
    head.append(f"<th rowspan=2>{_e(labels['sick'])}</th>")
    out = [f'<h2 id="key-figures">{_e(labels["title"])}</h2>', f'<p class="muted">{_e(labels["note"])}</p>',
           '<div class="matrix-wrap"><table class="matrix key-figures">',
           f"<thead><tr>{''.join(head)}</tr><tr>{''.join(sub)}</tr></thead><tbody>"]
    for doc, district, year, cells in sorted(rows, key=lambda r: ((r[1] or ""), r[2] or 0)):
        tds = [f'<th><a href="#{doc.anchor}">{_e(district or doc.label)}</a></th>', f"<td>{_e(year)}</td>"]
        keys = [(c, s) for c in _KEY_CONCEPTS for s in _KEY_SCENARIOS] + [("sick", None)]
        for key in keys:
            fact = cells.get(key)
            if fact is None:
                tds.append('<td class="n muted">–</td>')
                continue
            target = marked.get((doc.result.path, fact.line, fact.col))
            if target:
                tds.append(f'<td class="n disagree" data-line="{fact.line}"><a href="{_e(target)}">{_e(fact.text)}</a></td>')
            else:
                tds.append(f'<td class="n" data-line="{fact.line}">{_e(fact.text)}</td>')
        out.append(f"<tr>{''.join(tds)}</tr>")
    out.append("</tbody></table></div>")
    return out
