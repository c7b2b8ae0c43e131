/* Agency function x measure type network: region filter, participation toggle, zh/en labels,
 * side-by-side comparison, tooltips and the details panel.
 *
 * Data comes from the JSON in #gb-data. Text from documents is only ever put on the page with
 * textContent (never innerHTML), so markup in a document is shown as text.
 * window.__gb_counts holds what each pane shows (visible nodes and edges) and window.__gb_views
 * the panes (with their vis.Network), for tests and for readers poking at the console. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("gb-data").textContent);
  var ALL = DATA.all;
  var TOOLTIP_ITEMS = 8;
  var state = { lang: "zh", participation: false };
  var nodeById = {};
  DATA.nodes.forEach(function (n) { nodeById[n.id] = n; });
  window.__gb_counts = {};
  window.__gb_views = {};

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function regionName(r) { return r === ALL ? "全部地区 All regions" : r; }
  function nodeLabel(n) { return state.lang === "en" ? n.caption_en : n.caption_zh; }
  function bothLabels(n) { return n.full_zh === n.full_en ? n.full_zh : n.full_zh + " · " + n.full_en; }
  function clip(s, n) { return s.length > n ? s.slice(0, n) + "…" : s; }
  function edgeWidth(e, n) {
    return e.role === "lead" ? Math.min(1.5 + 2.5 * (n - 1), 16) : Math.min(1 + (n - 1), 8);
  }
  function roleText(role) { return role === "lead" ? "牵头 leads" : "参与 takes part in"; }
  function refsIn(edge, region) {
    var out = [];
    edge.refs.forEach(function (r) {
      var m = DATA.measures[r[0]];
      if (region === ALL || m.region === region) out.push({ m: m, agency: r[1] });
    });
    return out;
  }
  function where(m) {
    return m.region + " · " + (m.action ? m.action + " " : "") + m.label + " ";
  }

  function edgeHead(edge, region, n) {
    var a = nodeById[edge.from], t = nodeById[edge.to];
    return a.label_zh + " " + roleText(edge.role) + " " + n + " 项措施 measure" + (n === 1 ? "" : "s") +
      " → " + t.label_zh + " · " + t.label_en + "（" + regionName(region) + "）";
  }

  function edgeTooltip(edge, region) {
    var refs = refsIn(edge, region);
    var box = h("div");
    box.appendChild(h("div", "tt-head", edgeHead(edge, region, refs.length)));
    refs.slice(0, TOOLTIP_ITEMS).forEach(function (r) {
      var item = h("div", "tt-item");
      item.appendChild(h("span", "tt-where", where(r.m)));
      item.appendChild(h("strong", null, r.m.title));
      if (r.agency) item.appendChild(h("span", null, " — " + r.agency));
      item.appendChild(h("div", "tt-quote", "「" + clip(r.m.quote, 90) + "」"));
      box.appendChild(item);
    });
    if (refs.length > TOOLTIP_ITEMS) {
      box.appendChild(h("div", "tt-more", "… 另 " + (refs.length - TOOLTIP_ITEMS) +
        " 项，点击连线查看全部 / " + (refs.length - TOOLTIP_ITEMS) + " more: click the edge"));
    }
    return box;
  }

  function nodeTooltip(node, view) {
    var box = h("div");
    box.appendChild(h("div", "tt-head", bothLabels(node)));
    var lines = view.edgesOf(node.id);
    if (node.kind === "measure_type") {
      var area = DATA.areas.filter(function (a) { return a.key === node.area; })[0];
      if (area) box.appendChild(h("div", null, "领域 Area: " + (area.notation || "") + " " + area.label_zh + " · " + area.label_en));
    }
    lines.slice(0, TOOLTIP_ITEMS).forEach(function (l) {
      var other = nodeById[node.kind === "agency" ? l.edge.to : l.edge.from];
      box.appendChild(h("div", "tt-item", (l.edge.role === "lead" ? "牵头 leads " : "参与 joins ") + l.n + " · " + other.label_zh + " · " + other.label_en));
    });
    if (lines.length > TOOLTIP_ITEMS) box.appendChild(h("div", "tt-more", "… " + (lines.length - TOOLTIP_ITEMS) + " more: click the node"));
    return box;
  }

  function showDetails(title, groups) {
    var panel = document.getElementById("details");
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    panel.appendChild(h("h3", null, title));
    groups.forEach(function (g) {
      if (g.head) panel.appendChild(h("h4", null, g.head));
      g.refs.forEach(function (r) {
        var div = h("div", "measure");
        div.appendChild(h("span", "where", where(r.m)));
        div.appendChild(h("strong", null, r.m.title));
        if (r.agency) div.appendChild(h("span", null, " — " + r.agency));
        div.appendChild(h("span", "quote", r.m.quote));
        if (r.m.cues && r.m.cues.length) div.appendChild(h("span", "where", "类型依据 type cues: " + r.m.cues.join("、")));
        panel.appendChild(div);
      });
    });
  }

  function View(suffix) {
    this.suffix = suffix;
    this.region = ALL;
    this.container = document.getElementById("net-" + suffix);
    this.nodes = new vis.DataSet(DATA.nodes.map(function (n) { return Object.assign({}, n, { hidden: true }); }));
    this.edges = new vis.DataSet(DATA.edges.map(function (e) { return Object.assign({}, e, { hidden: true, title: "" }); }));
    this.network = null;
  }
  View.prototype.shows = function (e) {
    return (e.counts[this.region] || 0) > 0 && (e.role === "lead" || state.participation);
  };
  View.prototype.edgesOf = function (nodeId) {
    var self = this, out = [];
    DATA.edges.forEach(function (e) {
      if ((e.from === nodeId || e.to === nodeId) && self.shows(e)) out.push({ edge: e, n: e.counts[self.region] });
    });
    out.sort(function (a, b) { return b.n - a.n || (a.edge.id < b.edge.id ? -1 : 1); });
    return out;
  };
  View.prototype.render = function () {
    var self = this, visible = {}, eu = [], nu = [];
    DATA.edges.forEach(function (e) {
      var show = self.shows(e);
      if (show) { visible[e.from] = true; visible[e.to] = true; }
      eu.push({ id: e.id, hidden: !show, width: show ? edgeWidth(e, e.counts[self.region]) : 1,
                title: show ? edgeTooltip(e, self.region) : "" });
    });
    DATA.nodes.forEach(function (n) {
      var show = !!visible[n.id];
      nu.push({ id: n.id, hidden: !show, label: nodeLabel(n), title: show ? nodeTooltip(n, self) : "" });
    });
    this.nodes.update(nu);
    this.edges.update(eu);
    if (!this.network) {
      this.network = new vis.Network(this.container, { nodes: this.nodes, edges: this.edges }, DATA.options);
      this.network.on("click", function (p) { self.clicked(p); });
      this.fit();
    }
    var c = this.counts();
    var tot = DATA.totals;
    document.getElementById("title-" + this.suffix).textContent = regionName(this.region) + " — " +
      (tot.measures[this.region] || 0) + " 项措施 measures, " + (tot.classified[this.region] || 0) + " 项已分类 typed";
    document.getElementById("counts-" + this.suffix).textContent = c.nodes + " 节点 nodes · " + c.edges + " 连线 edges";
    window.__gb_counts[this.suffix] = c;
    window.__gb_views[this.suffix] = this;
  };
  View.prototype.counts = function () {
    return {
      region: this.region === ALL ? null : this.region,
      participation: state.participation,
      nodes: this.nodes.get({ filter: function (n) { return !n.hidden; } }).length,
      edges: this.edges.get({ filter: function (e) { return !e.hidden; } }).length
    };
  };
  View.prototype.fit = function () {
    // Fit to every node any view can show, so the camera does not move when filters change.
    this.network.fit({ nodes: DATA.nodes.map(function (n) { return n.id; }), animation: false });
  };
  View.prototype.clicked = function (p) {
    var self = this;
    if (p.nodes.length) {
      var node = nodeById[p.nodes[0]];
      showDetails(bothLabels(node) + "（" + regionName(this.region) + "）", this.edgesOf(node.id).map(function (l) {
        return { head: edgeHead(l.edge, self.region, l.n), refs: refsIn(l.edge, self.region) };
      }));
    } else if (p.edges.length) {
      var edge = DATA.edges.filter(function (e) { return e.id === p.edges[0]; })[0];
      var refs = refsIn(edge, this.region);
      showDetails(edgeHead(edge, this.region, refs.length), [{ head: "", refs: refs }]);
    }
  };

  function fillRegions(select, withNone) {
    var options = (withNone ? [["", "— 不比较 none —"]] : []).concat([[ALL, regionName(ALL)]])
      .concat(DATA.regions.map(function (r) { return [r, r]; }));
    options.forEach(function (o) {
      var opt = h("option", null, o[1]);
      opt.value = o[0];
      select.appendChild(opt);
    });
  }

  var t = DATA.totals;
  document.getElementById("summary").textContent = DATA.regions.length + " 个地区 regions · " +
    t.measures[ALL] + " 项措施 measures · " + t.classified[ALL] + " 项已分类 with a measure type · " +
    t.unled[ALL] + " 项无牵头单位（未绘出） without a lead unit (not drawn)";

  var a = new View("a"), b = null;
  var selA = document.getElementById("region-a"), selB = document.getElementById("region-b");
  fillRegions(selA, false);
  fillRegions(selB, true);
  a.render();

  function renderAll() { a.render(); if (b && selB.value) b.render(); }
  selA.addEventListener("change", function () { a.region = selA.value; a.render(); });
  selB.addEventListener("change", function () {
    var pane = document.getElementById("pane-b");
    if (!selB.value) {
      pane.hidden = true;
      window.__gb_counts.b = null;
    } else {
      pane.hidden = false;
      if (!b) b = new View("b");
      b.region = selB.value;
      b.render();
      b.network.redraw();
      b.fit();
    }
    a.network.redraw();
    a.fit();
  });
  document.getElementById("participation").addEventListener("change", function (ev) {
    state.participation = ev.target.checked;
    renderAll();
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[name=lang]"), function (r) {
    r.addEventListener("change", function () { state.lang = r.value; renderAll(); });
  });
})();
