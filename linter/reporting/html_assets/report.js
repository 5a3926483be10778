// rapportlint auditor page: filter by rule, severity and document; open and close sections.
// Reads only the page's own data-* attributes; never turns text into markup.
(function () {
  "use strict";
  var ruleSel = document.getElementById("f-rule");
  var docInput = document.getElementById("f-doc");
  var sevBoxes = Array.prototype.slice.call(document.querySelectorAll("input.f-sev"));
  var hideEmpty = document.getElementById("f-hide-empty");
  var visibleOut = document.getElementById("count-visible");
  var docs = Array.prototype.slice.call(document.querySelectorAll("details.doc")).map(function (el) {
    return {
      el: el,
      name: (el.getAttribute("data-name") || "").toLowerCase(),
      badge: el.querySelector(".vcount"),
      findings: Array.prototype.slice.call(el.querySelectorAll(".f")),
      hits: Array.prototype.slice.call(el.querySelectorAll(".hit")),
      groups: Array.prototype.slice.call(el.querySelectorAll(".tgroup, details.sec")),
      failed: el.hasAttribute("data-failed"),
      district: el.getAttribute("data-district") || "",
      row: document.querySelector('#matrix-table tr[data-doc="' + el.id + '"]')
    };
  });

  var openAfterApply = false;
  var sortOnLoad = "";

  function fromHash() {
    // #filter:regel=A201;alvorlighet=error,warning;dokument=sagene;apne=1 (apne: open what is shown)
    var h = decodeURIComponent(location.hash || "");
    if (h.indexOf("#filter:") !== 0) { return; }
    h.slice(8).split(";").forEach(function (part) {
      var kv = part.split("=");
      var key = kv[0], value = kv.slice(1).join("=");
      if (key === "regel" && ruleSel) {
        for (var i = 0; i < ruleSel.options.length; i++) {
          if (ruleSel.options[i].value === value) { ruleSel.value = value; }
        }
      } else if (key === "alvorlighet") {
        var wanted = value.split(",");
        sevBoxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
      } else if (key === "dokument" && docInput) {
        docInput.value = value;
      } else if (key === "sorter") {
        sortOnLoad = value;
      } else if (key === "apne") {
        openAfterApply = value !== "0";
      }
    });
  }

  function apply() {
    var rule = ruleSel ? ruleSel.value : "";
    var sevs = {};
    sevBoxes.forEach(function (b) { if (b.checked) { sevs[b.value] = true; } });
    var text = docInput ? docInput.value.trim().toLowerCase() : "";
    var filtering = rule !== "" || sevBoxes.some(function (b) { return !b.checked; });
    var total = 0;
    function shown(el) {
      return (rule === "" || el.getAttribute("data-code") === rule) && sevs[el.getAttribute("data-sev")] === true;
    }
    docs.forEach(function (d) {
      var n = 0;
      var docMatches = text === "" || d.name.indexOf(text) >= 0;
      d.findings.forEach(function (f) {
        var on = docMatches && shown(f);
        f.classList.toggle("hidden", !on);
        if (on) { n++; }
      });
      d.hits.forEach(function (c) { c.classList.toggle("off", !shown(c)); });
      d.groups.forEach(function (g) {
        var n = g.querySelectorAll(".f:not(.hidden)").length;
        g.classList.toggle("hidden", n === 0);
        var count = g.querySelector(":scope > summary .scount");
        if (count) { count.textContent = String(n); }
      });
      if (d.badge) { d.badge.textContent = String(n); }
      var hide = !docMatches || (n === 0 && !d.failed && (filtering || (hideEmpty && hideEmpty.checked)));
      d.el.classList.toggle("hidden", hide);
      if (d.row) { d.row.classList.toggle("hidden", hide); }  // the matrix lists what is shown
      total += n;
    });
    if (visibleOut) { visibleOut.textContent = String(total); }
    redrawCharts();
    updateCsv();
  }

  // The charts follow the filters: each bar is recounted from the findings shown.
  function redrawCharts() {
    var charts = Array.prototype.slice.call(document.querySelectorAll("figure.chart"));
    charts.forEach(function (chart) {
      var kind = chart.getAttribute("data-kind");
      var svg = chart.querySelector("svg");
      if (!svg) { return; }
      var labelW = parseFloat(svg.getAttribute("data-label-w")) || 230;
      var barW = parseFloat(svg.getAttribute("data-bar-w")) || 380;
      var counts = {};
      docs.forEach(function (d) {
        d.findings.forEach(function (f) {
          if (f.classList.contains("hidden")) { return; }
          var key = kind === "district" ? d.district : f.getAttribute("data-code");
          var c = counts[key] || (counts[key] = {error: 0, warning: 0, info: 0});
          c[f.getAttribute("data-sev")] += 1;
        });
      });
      var bars = Array.prototype.slice.call(svg.querySelectorAll("g.bar"));
      var top = 1;
      bars.forEach(function (g) {
        var c = counts[g.getAttribute("data-key")] || {error: 0, warning: 0, info: 0};
        top = Math.max(top, c.error + c.warning + c.info);
      });
      bars.forEach(function (g) {
        var c = counts[g.getAttribute("data-key")] || {error: 0, warning: 0, info: 0};
        var x = labelW;
        Array.prototype.slice.call(g.querySelectorAll("rect")).forEach(function (r) {
          var n = c[r.getAttribute("data-sev")] || 0;
          var w = n ? Math.max(1, barW * n / top) : 0;
          r.setAttribute("x", x.toFixed(1));
          r.setAttribute("width", w.toFixed(1));
          x += w;
        });
        var sum = c.error + c.warning + c.info;
        g.setAttribute("data-shown", String(sum));
        var label = g.querySelector("text.bar-total");
        if (label) { label.textContent = String(sum); label.setAttribute("x", (x + 4).toFixed(1)); }
      });
    });
  }

  // The download link gives the findings shown (all of them when nothing is filtered).
  var csvLink = document.getElementById("csv");
  var csvAll = csvLink ? csvLink.getAttribute("href") : "";
  function csvField(v) {
    v = String(v);
    return /[;"\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function updateCsv() {
    if (!csvLink) { return; }
    var header = decodeURIComponent(csvAll.slice(csvAll.indexOf(",") + 1)).split("\r\n")[0];
    var rows = [header];
    var all = true;
    docs.forEach(function (d) {
      var path = (d.el.querySelector("summary .path") || {textContent: ""}).textContent.split(" · ")[0];
      d.findings.forEach(function (f) {
        if (f.classList.contains("hidden")) { all = false; return; }
        var loc = (f.querySelector(".loc") || {textContent: ""}).textContent.split(":");
        var col = loc.length >= 3 ? loc[loc.length - 1] : "";
        var line = loc.length >= 3 ? loc[loc.length - 2] : f.getAttribute("data-line");
        rows.push([path, line, col, f.getAttribute("data-code"), f.getAttribute("data-rule") || "",
                   f.getAttribute("data-sev"), (f.querySelector(".msg") || {textContent: ""}).textContent].map(csvField).join(";"));
      });
    });
    csvLink.setAttribute("href", all ? csvAll : "data:text/csv;charset=utf-8," + encodeURIComponent(rows.join("\r\n") + "\r\n"));
  }

  // Sort the documents (the matrix rows and the documents below) by errors or by name.
  function sortDocs(byErrors) {
    function key(el) { return [parseInt(el.getAttribute("data-errors") || "0", 10), el.getAttribute("data-sortname") || ""]; }
    function compare(a, b) {
      var ka = key(a), kb = key(b);
      if (byErrors && ka[0] !== kb[0]) { return kb[0] - ka[0]; }
      return ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0;
    }
    var body = document.querySelector("#matrix-table tbody");
    if (body) {
      Array.prototype.slice.call(body.querySelectorAll("tr")).sort(compare).forEach(function (tr) { body.appendChild(tr); });
    }
    var list = document.getElementById("doc-list");
    if (list) {
      docs.map(function (d) { return d.el; }).sort(compare).forEach(function (el) { list.appendChild(el); });
    }
    document.documentElement.setAttribute("data-sorted", byErrors ? "errors" : "name");
  }

  function setOpen(open) {
    document.querySelectorAll("details.doc, details.sec").forEach(function (d) {
      if (!d.classList.contains("hidden")) { d.open = open; }
    });
  }

  // Following a link to a document (from the matrix or a chart) opens it.
  function openTarget() {
    var id = decodeURIComponent((location.hash || "").slice(1));
    if (!id || id.indexOf("filter:") === 0) { return; }
    var el = document.getElementById(id);
    while (el) {
      if (el.tagName === "DETAILS") { el.open = true; }
      el = el.parentElement;
    }
  }

  // For printing, everything shown is opened (a closed section would print as its title only).
  window.addEventListener("beforeprint", function () { setOpen(true); });

  // Where the total column ends, for the layout test at several widths.
  function measure() {
    var total = document.getElementById("matrix-total");
    if (!total) { return; }
    var box = total.getBoundingClientRect();
    document.documentElement.setAttribute("data-total-right", String(Math.round(box.right)));
    document.documentElement.setAttribute("data-total-left", String(Math.round(box.left)));
    document.documentElement.setAttribute("data-viewport", String(document.documentElement.clientWidth));
  }

  fromHash();
  if (ruleSel) { ruleSel.addEventListener("change", apply); }
  if (docInput) { docInput.addEventListener("input", apply); }
  if (hideEmpty) { hideEmpty.addEventListener("change", apply); }
  sevBoxes.forEach(function (b) { b.addEventListener("change", apply); });
  var sortErrors = document.getElementById("sort-errors");
  var sortName = document.getElementById("sort-name");
  if (sortErrors) { sortErrors.addEventListener("click", function () { sortDocs(true); }); }
  if (sortName) { sortName.addEventListener("click", function () { sortDocs(false); }); }
  var openAll = document.getElementById("open-all");
  var closeAll = document.getElementById("close-all");
  if (openAll) { openAll.addEventListener("click", function () { setOpen(true); }); }
  if (closeAll) { closeAll.addEventListener("click", function () { setOpen(false); }); }
  window.addEventListener("hashchange", function () {
    // a bar of the per-rule chart links to #filter:regel=CODE
    if ((location.hash || "").indexOf("#filter:") === 0) { fromHash(); apply(); if (openAfterApply) { setOpen(true); } }
    openTarget();
  });
  apply();
  if (sortOnLoad === "feil") { sortDocs(true); } else if (sortOnLoad === "navn") { sortDocs(false); }
  if (openAfterApply) { setOpen(true); }
  measure();
  window.addEventListener("resize", measure);
  openTarget();
  document.documentElement.setAttribute("data-ready", "1");
})();
