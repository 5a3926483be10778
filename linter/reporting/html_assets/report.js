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
      row: document.querySelector('#matrix-table tr[data-doc="' + el.id + '"]')
    };
  });

  var openAfterApply = false;

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

  fromHash();
  if (ruleSel) { ruleSel.addEventListener("change", apply); }
  if (docInput) { docInput.addEventListener("input", apply); }
  if (hideEmpty) { hideEmpty.addEventListener("change", apply); }
  sevBoxes.forEach(function (b) { b.addEventListener("change", apply); });
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
  if (openAfterApply) { setOpen(true); }
  openTarget();
  document.documentElement.setAttribute("data-ready", "1");
})();
