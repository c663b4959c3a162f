/* rjkg SPARQL editor: CodeMirror 5 over the form's textarea, results as a sortable table.
   Runs the query against the page's endpoint (data-endpoint); IRIs under the base link to local pages.
   No external requests; every value is inserted as text (never as HTML). */
(function () {
  "use strict";
  var section = document.querySelector("section.editor");
  if (!section) return;
  var endpoint = section.getAttribute("data-endpoint");
  var base = section.getAttribute("data-base");
  var localRoot = section.getAttribute("data-local-root") || "/";
  var form = section.querySelector("form.query-form");
  var textarea = section.querySelector("textarea");
  var status = section.querySelector(".status");
  var results = section.querySelector(".results");
  var downloads = section.querySelector(".downloads");
  var cm = null;
  if (window.CodeMirror) {
    cm = window.CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query", lineNumbers: true, matchBrackets: true,
      extraKeys: { "Ctrl-Enter": function () { run(); }, "Cmd-Enter": function () { run(); } }
    });
  }
  function getQuery() { return cm ? cm.getValue() : textarea.value; }
  function setQuery(q) { if (cm) cm.setValue(q); else textarea.value = q; }

  function localHref(iri) {
    if (base && iri.indexOf(base) === 0) return localRoot.replace(/\/$/, "") + "/" + iri.slice(base.length);
    if (/^https?:\/\//.test(iri)) return iri;
    return null;
  }
  function formatUrl(fmt) {
    return endpoint + "?query=" + encodeURIComponent(getQuery()) + "&format=" + fmt;
  }
  function cellNode(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var href = localHref(term.value);
      var a = document.createElement(href ? "a" : "span");
      if (href) a.href = href;
      a.textContent = term.value;
      a.className = "iri";
      td.appendChild(a);
    } else {
      var s = document.createElement("span");
      s.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
      if (term["xml:lang"]) s.lang = term["xml:lang"];
      if (term.datatype) s.title = term.datatype;
      td.appendChild(s);
    }
    td.setAttribute("data-sort", term.value);
    return td;
  }
  function sortBy(table, col, th) {
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var numeric = rows.every(function (r) {
      var v = r.cells[col].getAttribute("data-sort");
      return v === null || v === "" || !isNaN(Number(v));
    });
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute("data-sort") || "", y = b.cells[col].getAttribute("data-sort") || "";
      var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, "ru");
      return asc ? c : -c;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  function renderSelect(data) {
    var vars = data.head.vars || [];
    var rows = data.results.bindings;
    var table = document.createElement("table");
    table.className = "data results-table";
    var cap = document.createElement("caption");
    cap.textContent = rows.length + (rows.length === 1 ? " row" : " rows") + " (click a column header to sort)";
    table.appendChild(cap);
    var thead = table.createTHead(), hr = thead.insertRow();
    vars.forEach(function (v, i) {
      var th = document.createElement("th");
      th.scope = "col";
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "?" + v;
      b.addEventListener("click", function () { sortBy(table, i, th); });
      th.appendChild(b);
      hr.appendChild(th);
    });
    var tbody = document.createElement("tbody");
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cellNode(r[v])); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    return table;
  }
  function show(node) { results.textContent = ""; results.appendChild(node); }
  function run() {
    var q = getQuery();
    status.textContent = "Running…";
    var started = Date.now();
    fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: "query=" + encodeURIComponent(q)
    }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      return resp.text().then(function (body) { return { ok: resp.ok, status: resp.status, type: type, body: body }; });
    }).then(function (r) {
      var ms = Date.now() - started;
      if (!r.ok) {
        status.textContent = "Error " + r.status + " after " + ms + " ms";
        var pre = document.createElement("pre"); pre.className = "error"; pre.textContent = r.body; show(pre);
        return;
      }
      downloads.hidden = false;
      section.querySelector(".dl-csv").href = formatUrl("csv");
      section.querySelector(".dl-json").href = formatUrl("json");
      if (r.type.indexOf("json") >= 0) {
        var data = JSON.parse(r.body);
        if (typeof data.boolean === "boolean") {
          status.textContent = "ASK: " + data.boolean + " (" + ms + " ms)";
          var p = document.createElement("p"); p.className = "ask"; p.textContent = String(data.boolean); show(p);
        } else {
          status.textContent = data.results.bindings.length + " rows in " + ms + " ms";
          show(renderSelect(data));
        }
      } else {
        status.textContent = "Graph result in " + ms + " ms";
        var g = document.createElement("pre"); g.className = "graph"; g.textContent = r.body; show(g);
      }
    }).catch(function (err) {
      status.textContent = "The query could not be sent: " + err;
    });
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  Array.prototype.forEach.call(section.querySelectorAll("a.example"), function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      setQuery(a.getAttribute("data-query"));
      run();
    });
  });
})();
