"use strict";
(function () {
  // Every value comes from the JSON block and is written with textContent: article text
  // and fact fields are never parsed as markup.
  var facts = JSON.parse(document.getElementById("fact-data").textContent);
  var body = document.getElementById("detail-body");
  var table = document.getElementById("fact-table");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var selected = null;
  var FIELDS = [
    ["surface", "as written"], ["value", "value"], ["value_base", "value in base unit"],
    ["unit", "unit"], ["qualifier", "qualifier"], ["year", "year"], ["year_source", "year from"],
    ["region", "region"], ["region_source", "region from"], ["indicator_code", "indicator"],
    ["indicator_name", "indicator name"], ["indicator_text", "indicator words"], ["kind", "kind"],
    ["scope", "scope"], ["status", "status"], ["failed_expectation", "failed expectation"],
    ["span", "characters"], ["fact_id", "fact id"], ["context", "context"]];

  function val(f, key) {
    if (key === "unit") return f.unit_code == null ? null : f.unit_code + (f.unit_name ? " (" + f.unit_name + ")" : "");
    if (key === "region") return f.region_code == null ? null : (f.region_name ? f.region_name + " " : "") + f.region_code;
    if (key === "span") return f.char_start + "–" + f.char_end;
    return f[key];
  }

  function show(i) {
    body.textContent = "";
    if (i === null) return;
    var f = facts[i], t = document.createElement("table");
    FIELDS.forEach(function (fd) {
      var v = val(f, fd[0]);
      if (v == null && fd[0] === "failed_expectation") return;
      var tr = t.insertRow(), th = document.createElement("th"), td = tr.insertCell();
      th.textContent = fd[1]; tr.insertBefore(th, td);
      td.textContent = v == null ? "–" : String(v);
      td.className = "d-" + fd[0];
      if (fd[0] === "failed_expectation" || (fd[0] === "status" && v === "quarantined")) td.classList.add("bad");
    });
    var back = document.createElement("a");
    back.href = "#row" + i; back.textContent = "↓ row " + (i + 1) + " in the facts table";
    back.id = "to-row";
    body.appendChild(t); body.appendChild(back);
  }

  function marks(i) { return document.querySelectorAll('mark.hl[data-f="' + i + '"]'); }

  function select(i, scroll) {
    document.querySelectorAll(".sel").forEach(function (e) { e.classList.remove("sel"); });
    selected = i;
    marks(i).forEach(function (m) { m.classList.add("sel"); });
    document.getElementById("row" + i).classList.add("sel");
    show(i);
    if (scroll) {
      var m = document.getElementById("f" + i);
      m.scrollIntoView({block: "center"});
      m.classList.remove("flash"); void m.offsetWidth; m.classList.add("flash");
    }
  }

  function markOf(e) { return e.target.closest ? e.target.closest("mark.hl") : null; }
  var text = document.getElementById("text");
  text.addEventListener("click", function (e) { var m = markOf(e); if (m) { e.stopPropagation(); select(+m.dataset.f, false); } });
  text.addEventListener("keydown", function (e) { var m = markOf(e); if (m && e.key === "Enter") select(+m.dataset.f, false); });
  text.addEventListener("mouseover", function (e) { var m = markOf(e); if (m) show(+m.dataset.f); });
  text.addEventListener("mouseout", function (e) { if (markOf(e)) show(selected); });

  table.tBodies[0].addEventListener("click", function (e) {
    var tr = e.target.closest("tr");
    if (!tr) return;
    e.preventDefault();
    select(+tr.dataset.f, true);
  });
  body.addEventListener("click", function (e) {
    if (e.target.id !== "to-row") return;
    e.preventDefault();
    document.getElementById("row" + selected).scrollIntoView({block: "center"});
  });

  // filters: a row shows when it matches every chosen value; marks of hidden rows dim
  var selects = Array.prototype.slice.call(document.querySelectorAll("#filters select"));
  function applyFilters() {
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = selects.every(function (s) { return s.value === "*" || tr.dataset[s.dataset.key] === s.value; });
      tr.hidden = !ok;
      if (ok) shown++;
      marks(tr.dataset.f).forEach(function (m) { m.classList.toggle("dim", !ok); });
    });
    document.getElementById("count").textContent = shown + " of " + rows.length;
  }
  selects.forEach(function (s) { s.addEventListener("change", applyFilters); });
  document.getElementById("filters").addEventListener("reset", function () { setTimeout(applyFilters, 0); });

  // sorting: click a header; numbers by their data-v, text by its characters
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener("click", function () {
      var col = +th.dataset.col, num = th.dataset.sort === "num";
      var dir = th.classList.contains("asc") ? -1 : 1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.classList.remove("asc", "desc"); });
      th.classList.add(dir === 1 ? "asc" : "desc");
      function key(tr) {
        var c = tr.cells[col];
        if (!num) return c.textContent;
        var v = c.dataset.v;
        return v === "" ? Infinity : +v;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        return (x < y ? -1 : x > y ? 1 : (+a.dataset.f) - (+b.dataset.f)) * dir;
      });
      rows.forEach(function (tr) { table.tBodies[0].appendChild(tr); });
    });
  });
})();
