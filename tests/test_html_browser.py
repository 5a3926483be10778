"""The HTML report in a real headless browser (Debian's chromium): the counts it shows, the
filters working, a screenshot, and no script from a report running."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from conftest import EXAMPLES
from html_support import HOSTILE_REPORT, SumProbe, find_chromium, parse_html
from linter.engine import CheckOptions, check_path, check_text
from linter.fixes import write_atomic
from linter.reporting.html import render
from linter.rules.registry import select_rules

TITLE = "rapportlint – revisjonsrapport"


@pytest.fixture(scope="module")
def browser():
    found = find_chromium()
    if found is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")
    return found


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A page over a real example, a hostile report and a broken one, written as a local file."""
    directory = tmp_path_factory.mktemp("html")
    options = CheckOptions(rules=[*select_rules(None, None), SumProbe])
    results = [
        check_path(EXAMPLES / "grunerlokka-arsberetning-2024.md", options),
        check_text(HOSTILE_REPORT, "ondsinnet.md", options),
        check_text("---\nbydel: Brudd\ndokument: årsberetning\når: 2024\n---\n| A | B |\n|---|---|\n| 1 | 2 | 3\x00|\n",
                   "brudd.md", options),
    ]
    path = directory / "rapport.html"
    write_atomic(path, render(results))
    return path, results


def run_browser(browser: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
               f"--user-data-dir={profile}", *args]
    proc = subprocess.run(command, capture_output=True, timeout=90, cwd=tmp_path,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc


def dump(browser, tmp_path, url, *args):
    proc = run_browser(browser, tmp_path, *args, "--dump-dom", url)
    return proc.stdout.decode("utf-8")


def test_page_shows_the_counts_and_runs_no_script_from_a_report(browser, page, tmp_path):
    path, results = page
    text = dump(browser, tmp_path, path.as_uri())
    dom = parse_html(text, strict=False)  # the browser's serialisation, not ours
    assert dom.find("html").attrs.get("data-ready") == "1"  # our script ran
    assert dom.find("title").text() == TITLE  # the report's document.title='PWNED' did not
    assert "PWNED" not in dom.find("title").text()
    assert not dom.find_all("img")  # the cell's <img onerror> is text, not an element
    assert len(dom.find_all("script")) == 1
    texts = [n.text() for n in dom.find_all("summary")]
    assert any("1 Innledning <script>document.title='PWNED'</script>" in t for t in texts)
    cell_texts = [td.text() for td in dom.find_all("td")]
    assert "Administrasjon <img src=x onerror=\"document.title='PWNED2'\">" in cell_texts

    counts = Counter(f.severity.value for r in results for f in r.findings)
    total = sum(counts.values())
    assert dom.by_id("count-total").text() == str(total)
    assert dom.by_id("count-error").text() == str(counts["error"])
    assert dom.by_id("count-visible").text() == str(total)  # computed by the page's script
    assert dom.by_id("count-failed").text() == "1"
    badges = [int(d.find("span", cls="vcount").text()) for d in dom.find_all("details", cls="doc")]
    assert badges == [len(r.findings) for r in results]
    hit = dom.by_id("doc-2").find("td", cls="hit", data_code="A999")
    assert hit.text() == "301300" and hit.find("span", cls="calc").text() == "300"


def test_filter_by_rule_from_the_address(browser, page, tmp_path):
    path, results = page
    # a rule found in the real example but not in the hostile report
    code = sorted({f.code for f in results[0].findings} - {f.code for f in results[1].findings})[0]
    text = dump(browser, tmp_path, path.as_uri() + f"#filter:regel={code}")
    dom = parse_html(text, strict=False)
    n = sum(1 for r in results for f in r.findings if f.code == code)
    assert dom.by_id("count-visible").text() == str(n)
    visible = [f for f in dom.find_all("div", cls="f") if "hidden" not in f.classes]
    assert {f.attrs["data-code"] for f in visible} == {code} and len(visible) == n
    # a document without such findings is hidden; a file that could not be checked always shows
    docs = dom.find_all("details", cls="doc")
    assert ["hidden" in d.classes for d in docs] == [False, True, False]
    rows = {r.attrs["data-doc"]: "hidden" in r.classes for r in dom.by_id("matrix-table").find("tbody").find_all("tr")}
    assert rows == {d.attrs["id"]: "hidden" in d.classes for d in docs}
    for sec in dom.find_all("details", cls="sec"):  # section counts follow the filter
        shown = sum(1 for f in sec.find_all("div", cls="f") if "hidden" not in f.classes)
        assert sec.find("span", cls="scount").text() == str(shown)
        assert ("hidden" in sec.classes) == (shown == 0)
    cells = dom.find_all("td", cls="hit")  # highlights of other rules are switched off
    assert cells and all(("off" in c.classes) == (c.attrs.get("data-code") != code) for c in cells)


def test_filter_by_severity_from_the_address(browser, page, tmp_path):
    path, results = page
    text = dump(browser, tmp_path, path.as_uri() + "#filter:alvorlighet=warning,info")
    dom = parse_html(text, strict=False)
    expected = sum(1 for r in results for f in r.findings if f.severity.value in ("warning", "info"))
    assert dom.by_id("count-visible").text() == str(expected)
    assert all("hidden" in f.classes for f in dom.find_all("div", cls="f") if f.attrs["data-sev"] == "error")
    # a document with errors only is hidden, and so is its row in the matrix
    docs = {d.attrs["id"]: "hidden" in d.classes for d in dom.find_all("details", cls="doc")}
    assert docs == {f"doc-{i + 1}": not r.failed and all(f.severity.value == "error" for f in r.findings)
                    for i, r in enumerate(results)}
    rows = {r.attrs["data-doc"]: "hidden" in r.classes for r in dom.by_id("matrix-table").find("tbody").find_all("tr")}
    assert rows == docs


def test_screenshot(browser, page, tmp_path):
    path, _ = page
    shot = tmp_path / "rapport.png"
    run_browser(browser, tmp_path, "--hide-scrollbars", "--window-size=1280,1800", f"--screenshot={shot}",
                path.as_uri() + "#filter:regel=A999;apne=1")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a drawn page, not a blank one
    keep = os.environ.get("RAPPORTLINT_SCREENSHOT_DIR")
    if keep:  # to look at it: RAPPORTLINT_SCREENSHOT_DIR=/tmp/shots pytest tests/test_html_browser.py
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "rapport.png").write_bytes(data)


# ---------------------------------------------------------------- triage: widths, sorting, charts, CSV
@pytest.fixture(scope="module")
def triage_page(tmp_path_factory):
    """The page `rapportlint check --format html` writes over a directory of all examples, a
    README and a Word file (not checked, each with its reason)."""
    import shutil

    from conftest import all_examples, run_cli

    directory = tmp_path_factory.mktemp("triage")
    reports = directory / "rapporter"
    reports.mkdir()
    for path in all_examples():
        shutil.copy(path, reports / path.name)
    (reports / "README.md").write_text("# Rapporter\n", encoding="utf-8")
    (reports / "gammel.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    out = directory / "revisjon.html"
    proc = run_cli("check", "--format", "html", "-o", str(out), str(reports))
    assert proc.returncode == 1, proc.stderr.decode()
    return out


@pytest.mark.parametrize("width", [1024, 1400, 1920])
def test_totals_column_is_in_view_at_common_widths(browser, triage_page, tmp_path, width):
    text = dump(browser, tmp_path, triage_page.as_uri(), f"--window-size={width},900")
    root = parse_html(text, strict=False).find("html")
    viewport, right = int(root.attrs["data-viewport"]), int(root.attrs["data-total-right"])
    assert 0 < int(root.attrs["data-total-left"]) < right <= viewport, (width, root.attrs)
    shot = tmp_path / f"rapport-{width}.png"
    run_browser(browser, tmp_path, "--hide-scrollbars", f"--window-size={width},900", f"--screenshot={shot}",
                triage_page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == width  # the PNG's width
    assert len(data) > 20_000  # a drawn page, not a blank one
    keep = os.environ.get("RAPPORTLINT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / shot.name).write_bytes(data)


def test_documents_sort_by_errors(browser, triage_page, tmp_path):
    dom = parse_html(dump(browser, tmp_path, triage_page.as_uri() + "#filter:sorter=feil"), strict=False)
    assert dom.find("html").attrs["data-sorted"] == "errors"
    rows = dom.by_id("matrix-table").find("tbody").find_all("tr")
    errors = [int(r.attrs["data-errors"]) for r in rows]
    assert errors == sorted(errors, reverse=True) and errors[0] > errors[-1]
    docs = dom.find_all("details", cls="doc")
    assert [d.attrs["id"] for d in docs] == [r.attrs["data-doc"] for r in rows]  # the documents follow


def test_filters_update_the_charts_and_the_csv(browser, triage_page, tmp_path):
    from urllib.parse import unquote

    whole = parse_html(triage_page.read_text(encoding="utf-8"))
    csv_all = unquote(whole.by_id("csv").attrs["href"].split(",", 1)[1])
    all_rows = csv_all.lstrip("\ufeff").strip("\r\n").split("\r\n")
    assert all_rows[0] == "fil;linje;kolonne;regel;navn;alvorlighet;melding"
    assert len(all_rows) - 1 == int(whole.by_id("count-total").attrs["data-count"])
    dom = parse_html(dump(browser, tmp_path, triage_page.as_uri() + "#filter:regel=S101"), strict=False)
    n = int(dom.by_id("count-visible").text())
    bars = {g.attrs["data-key"]: int(g.attrs.get("data-shown", -1)) for g in dom.by_id("chart-rule").find_all("g", cls="bar")}
    assert bars["S101"] == n and all(v == 0 for k, v in bars.items() if k != "S101")
    by_district = sum(int(g.attrs["data-shown"]) for g in dom.by_id("chart-district").find_all("g", cls="bar"))
    assert by_district == n
    csv_shown = unquote(dom.by_id("csv").attrs["href"].split(",", 1)[1]).strip("\r\n").split("\r\n")
    assert len(csv_shown) - 1 == n and all(";S101;" in row for row in csv_shown[1:])


def test_rules_are_explained_and_files_not_checked_are_shown(browser, triage_page, tmp_path):
    dom = parse_html(dump(browser, tmp_path, triage_page.as_uri()), strict=False)
    codes = {f.attrs["data-code"] for f in dom.find_all("div", cls="f")}
    explained = {d.attrs["id"][5:] for d in dom.find_all("details", cls="rule")}
    assert codes and codes <= explained
    s101 = dom.by_id("rule-S101").text()
    assert "Hvorfor" in s101 and "Feil:" in s101 and "Riktig:" in s101
    items = {li.attrs["data-path"]: li.text() for li in dom.find("ul", cls="not-checked").find_all("li")}
    readme = next(v for k, v in items.items() if k.endswith("README.md"))
    word = next(v for k, v in items.items() if k.endswith("gammel.doc"))
    assert "ikke kontrollert" in readme and "utelatt av exclude «README.md»" in readme
    assert "dette er et eldre Word-dokument (.doc): åpne det i Word og lagre det som Word-dokument (.docx)" in word


def test_print_stylesheet_prints_the_page(browser, triage_page, tmp_path):
    assert "@media print" in triage_page.read_text(encoding="utf-8")
    pdf = tmp_path / "revisjon.pdf"
    run_browser(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", triage_page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.count(b"/Type /Page") >= 2  # the findings, not just the header
