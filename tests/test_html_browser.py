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


def dump(browser, tmp_path, url):
    proc = run_browser(browser, tmp_path, "--dump-dom", url)
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
