// compliance web app: finding → quote navigation and client-side table sorting. No dependencies.
(function () {
  "use strict";

  // The quote last navigated to stays outlined until the next one is chosen.
  function flash(id) {
    document.querySelectorAll("mark.flash").forEach(function (m) { m.classList.remove("flash"); });
    document.querySelectorAll('mark[data-q~="' + id + '"]').forEach(function (m) { m.classList.add("flash"); });
  }

  function target(id, line) {
    var el = id ? document.getElementById(id) : null;
    if (el && el.classList.contains("qa")) {
      var mark = document.querySelector('mark[data-q~="' + id + '"]');
      if (mark) el = mark;
    }
    if (!el && line) el = document.getElementById(line);
    return el;
  }

  function go(id, line) {
    var el = target(id, line);
    if (!el) return false;
    el.scrollIntoView({ behavior: "smooth", block: "center" });
    if (id) flash(id);
    if (line && history.replaceState) history.replaceState(null, "", "#" + line);
    return true;
  }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.goto");
    if (link) {
      var line = (link.getAttribute("href") || "").replace(/^#/, "");
      if (go(link.dataset.target, line)) ev.preventDefault();
      return;
    }
    if (ev.target.closest("a, summary, details")) return;
    var card = ev.target.closest(".finding[data-target]");
    if (card && card.dataset.target) {
      document.querySelectorAll(".finding.active").forEach(function (c) { c.classList.remove("active"); });
      card.classList.add("active");
      go(card.dataset.target, null);
    }
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var card = ev.target.closest && ev.target.closest(".finding[data-target]");
    if (card && card.dataset.target) go(card.dataset.target, null);
  });

  // Sortable tables: click a header; numbers sort by data-v (or the cell text), empty last.
  function cellValue(td, numeric) {
    var raw = td.hasAttribute("data-v") ? td.getAttribute("data-v") : td.textContent.trim();
    if (!numeric) return raw;
    var n = parseFloat(raw);
    return isNaN(n) ? null : n;
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var numeric = th.dataset.type === "num";
        var asc = !th.classList.contains("asc");
        heads.forEach(function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[col], numeric), y = cellValue(b.cells[col], numeric);
          if (x === null || x === "") return (y === null || y === "") ? 0 : 1;
          if (y === null || y === "") return -1;
          var c = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
