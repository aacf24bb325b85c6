"use strict";
(function () {
  // Every value comes from the JSON block and is written with textContent: article text
  // and fact fields are never parsed as markup.
  var data = JSON.parse(document.getElementById("fact-data").textContent);
  var facts = data.rows.map(function (r, i) {
    var f = {i: i};
    data.cols.forEach(function (c, k) { f[c] = r[k]; });
    return f;
  });
  var body = document.getElementById("detail-body");
  var table = document.getElementById("fact-table");
  var tbody = table.tBodies[0];
  var selected = null;
  var FIELDS = [
    ["surface", "as written"], ["value", "value"], ["value_base", "value in base unit"],
    ["unit", "unit"], ["qualifier", "qualifier"], ["year", "year"], ["year_source", "year from"],
    ["region", "region"], ["region_source", "region from"], ["indicator_code", "indicator"],
    ["indicator_name", "indicator name"], ["indicator_text", "indicator words"], ["kind", "kind"],
    ["scope", "scope"], ["change_direction", "change"], ["confidence", "confidence"], ["status", "status"], ["failed_expectation", "failed expectation"],
    ["span", "characters"], ["fact_id", "fact id"], ["context", "context"]];
  // the table's columns: [field, numeric?]
  var COLS = [["n", 1], ["status", 0], ["surface", 0], ["value", 1], ["value_base", 1], ["unit_code", 0],
              ["indicator_code", 0], ["region", 0], ["year", 1], ["kind", 0], ["scope", 0], ["confidence", 1], ["failed_expectation", 0]];

  function val(f, key) {
    if (key === "unit") return f.unit_code == null ? null : f.unit_code + (f.unit_name ? " (" + f.unit_name + ")" : "");
    if (key === "region") return f.region_code == null ? null : (f.region_name ? f.region_name + " " : "") + f.region_code;
    if (key === "span") return f.char_start + "–" + f.char_end;
    if (key === "n") return f.i + 1;
    return f[key];
  }
  function num(v) {
    if (typeof v !== "number") return v;
    return Math.abs(v) >= 1000 ? v.toLocaleString("en-US", {maximumFractionDigits: 2}) : String(+v.toPrecision(4));
  }

  // highlights of each fact (a fact split around a crossing one has several)
  var marks = {};
  document.querySelectorAll("mark.hl").forEach(function (m) { (marks[m.dataset.f] = marks[m.dataset.f] || []).push(m); });

  // facts table
  var rows = facts.map(function (f) {
    var tr = document.createElement("tr");
    tr.id = "row" + f.i;
    tr.dataset.f = f.i;
    if (f.status === "quarantined") tr.className = "qrow";
    COLS.forEach(function (c) {
      var v = val(f, c[0]), td = tr.insertCell();
      if (c[1]) { td.className = "num"; td.dataset.v = v == null ? "" : v; }
      if (c[0] === "n") {
        var a = document.createElement("a"); a.href = "#f" + f.i; a.textContent = v; td.appendChild(a);
      } else {
        td.textContent = v == null ? "–" : (c[0] === "year" ? String(v) : num(v));
      }
    });
    return tr;
  });
  var frag = document.createDocumentFragment();
  rows.forEach(function (tr) { frag.appendChild(tr); });
  tbody.appendChild(frag);

  function show(i) {
    body.textContent = "";
    if (i === null) {
      var p = document.createElement("p"); p.className = "note";
      p.textContent = "Hover over or click a highlighted number."; body.appendChild(p);
      return;
    }
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

  function select(i, scroll) {
    if (selected !== null) {
      (marks[selected] || []).forEach(function (m) { m.classList.remove("sel"); });
      rows[selected].classList.remove("sel");
    }
    selected = i;
    (marks[i] || []).forEach(function (m) { m.classList.add("sel"); });
    rows[i].classList.add("sel");
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

  tbody.addEventListener("click", function (e) {
    var tr = e.target.closest("tr");
    if (!tr) return;
    e.preventDefault();
    select(+tr.dataset.f, true);
  });
  body.addEventListener("click", function (e) {
    if (e.target.id !== "to-row") return;
    e.preventDefault();
    rows[selected].scrollIntoView({block: "center"});
  });

  // filters: options from the facts; a row shows when it matches every chosen value, and
  // the highlights of hidden rows dim
  var selects = Array.prototype.slice.call(document.querySelectorAll("#filters select"));
  function key(f, k) { return f[k] == null ? "" : String(f[k]); }
  selects.forEach(function (s) {
    var k = s.dataset.key, labels = {};
    facts.forEach(function (f) { labels[key(f, k)] = k === "region_code" ? val(f, "region") : f[k]; });
    Object.keys(labels).sort().forEach(function (v) {
      var o = document.createElement("option");
      o.value = v; o.textContent = labels[v] == null ? "(none)" : String(labels[v]);
      s.appendChild(o);
    });
    s.addEventListener("change", applyFilters);
  });
  function applyFilters() {
    var shown = 0;
    facts.forEach(function (f) {
      var ok = selects.every(function (s) { return s.value === "*" || key(f, s.dataset.key) === s.value; });
      rows[f.i].hidden = !ok;
      if (ok) shown++;
      (marks[f.i] || []).forEach(function (m) { m.classList.toggle("dim", !ok); });
    });
    document.getElementById("count").textContent = shown + " of " + rows.length;
  }
  document.getElementById("filters").addEventListener("reset", function () { setTimeout(applyFilters, 0); });

  // sorting: click a header; numbers by value (missing last), text by its characters
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th) {
    th.addEventListener("click", function () {
      var col = +th.dataset.col, c = COLS[col];
      var dir = th.classList.contains("asc") ? -1 : 1;
      heads.forEach(function (h) { h.classList.remove("asc", "desc"); });
      th.classList.add(dir === 1 ? "asc" : "desc");
      var keyed = facts.map(function (f) {
        var v = val(f, c[0]);
        return [c[1] ? (v == null ? Infinity : +v) : (v == null ? "\uffff" : String(v)), f.i];
      });
      keyed.sort(function (a, b) { return (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]) * dir; });
      var frag = document.createDocumentFragment();
      keyed.forEach(function (k) { frag.appendChild(rows[k[1]]); });
      tbody.appendChild(frag);
    });
  });
})();
