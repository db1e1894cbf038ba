// Veza link chart: draws the chart the page describes in its JSON block
// (#chart-data) with cytoscape.js, and wires the page's buttons: expand a
// node's neighbours by link type, hide, pin, group, a time window on the
// links, shortest path, save with the layout, PNG. The page lists the same
// entities and links as tables, so it reads without this script.
(function () {
  'use strict';
  performance.mark('veza-chart-start');
  var dataEl = document.getElementById('chart-data');
  var container = document.getElementById('chart');
  if (!dataEl || !container || typeof window.cytoscape !== 'function') return;
  var data = JSON.parse(dataEl.textContent);
  var view = data.view;
  // cytoscape.js adds an inline <style> for its container, which the CSP
  // refuses; chart.css holds the rule, and this marks it as present.
  if (!document.getElementById('__________cytoscape_stylesheet')) {
    var marker = document.createElement('meta');
    marker.id = '__________cytoscape_stylesheet';
    document.head.appendChild(marker);
  }
  var $ = function (id) { return document.getElementById(id); };
  var L = data.labels || {};
  // A message with its {marks} filled in.
  function say(key, values) {
    var text = L[key] || key;
    Object.keys(values || {}).forEach(function (k) { text = text.split('{' + k + '}').join(String(values[k])); });
    return text;
  }
  $('chart-nojs').hidden = true;
  $('chart-tools').hidden = false;
  container.hidden = false;

  var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2',
    '#7f7f7f', '#bcbd22', '#393b79', '#637939'];
  var EXPANDED = '#9aa5b4';
  var kinds = {};
  (data.kinds || []).forEach(function (k) { kinds[k[0]] = k[1]; });
  var maxRank = Math.max.apply(null, view.nodes.map(function (n) { return n.pagerank; }).concat([1e-9]));

  // Dates (ISO, maybe partial) as day numbers; a partial date spans its period.
  function dayOf(s, last) {
    if (!s) return null;
    var d = s.slice(0, 10);
    if (d.length === 4) d += last ? '-12-31' : '-01-01';
    else if (d.length === 7) d += last ? '-28' : '-01';
    var t = Date.parse(d + 'T00:00:00Z');
    return isNaN(t) ? null : Math.floor(t / 86400000);
  }
  function isoDay(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

  function nodeElement(n, expanded) {
    return {
      group: 'nodes',
      data: {
        id: n.id, label: n.caption, schema: n.schema, community: expanded ? -1 : n.community,
        color: expanded ? EXPANDED : PALETTE[n.community % PALETTE.length],
        size: expanded ? 20 : Math.round(18 + 42 * Math.sqrt(Math.max(n.pagerank, 0) / maxRank))
      }
    };
  }
  function edgeId(e) { return 'e|' + e.via_id + '|' + (e.prop || '') + '|' + e.source + '|' + e.target; }
  function edgeElement(e) {
    return {
      group: 'edges',
      data: {
        id: edgeId(e), source: e.source, target: e.target, kind: e.kind, via: e.via_id,
        start: dayOf(e.start, false), end: dayOf(e.end || e.start, true)
      }
    };
  }

  // Positions without a force layout: communities on a grid of discs, the
  // most central nodes in the middle of each (linear in the node count).
  function communityPositions(nodes) {
    var byCommunity = {};
    nodes.forEach(function (n) { (byCommunity[n.community] = byCommunity[n.community] || []).push(n); });
    var groups = Object.keys(byCommunity).map(function (k) { return byCommunity[k]; });
    groups.sort(function (a, b) { return b.length - a.length; });
    var positions = {};
    var spacing = 34, x = 0, y = 0, rowHeight = 0;
    var rowWidth = Math.sqrt(nodes.length) * spacing * 2.2;
    var golden = Math.PI * (3 - Math.sqrt(5));
    groups.forEach(function (g) {
      g.sort(function (a, b) { return b.pagerank - a.pagerank; });
      var r = Math.sqrt(g.length) * spacing * 0.6 + spacing;
      if (x > 0 && x + 2 * r > rowWidth) { x = 0; y += rowHeight; rowHeight = 0; }
      var cx = x + r, cy = y + r;
      g.forEach(function (n, i) {
        var rad = spacing * 0.6 * Math.sqrt(i);
        positions[n.id] = { x: cx + rad * Math.cos(i * golden), y: cy + rad * Math.sin(i * golden) };
      });
      x += 2 * r + spacing;
      rowHeight = Math.max(rowHeight, 2 * r + spacing);
    });
    return positions;
  }

  // `?layout=cose` forces cytoscape's force layout at any size (for scripts/bench-chart's comparison).
  var forced = new URLSearchParams(window.location.search).get('layout');
  function layoutOptions() {
    if (forced === 'cose') return { name: 'cose', animate: false, randomize: true, fit: true };
    if (view.layout) {
      var saved = {};
      view.layout.nodes.forEach(function (n) { saved[n.id] = { x: n.x, y: n.y }; });
      return { name: 'preset', positions: function (node) { return saved[node.id()] || { x: 0, y: 0 }; }, fit: true };
    }
    if (view.nodes.length <= 250) {
      return { name: 'cose', animate: false, randomize: true, numIter: 800, nodeRepulsion: function () { return 9000; },
        idealEdgeLength: function () { return 60; }, fit: true, padding: 20 };
    }
    var pos = communityPositions(view.nodes);
    return { name: 'preset', positions: function (node) { return pos[node.id()] || { x: 0, y: 0 }; }, fit: true };
  }

  var large = view.nodes.length > 500;
  var cy = window.cytoscape({
    container: container,
    elements: view.nodes.map(function (n) { return nodeElement(n, false); }).concat(view.edges.map(edgeElement)),
    layout: layoutOptions(),
    wheelSensitivity: 0.3,
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    pixelRatio: large ? 1 : 'auto',
    style: [
      { selector: 'node', style: {
        'background-color': 'data(color)', width: 'data(size)', height: 'data(size)', label: 'data(label)',
        'font-size': 10, 'min-zoomed-font-size': 7, 'text-valign': 'bottom', 'text-margin-y': 2, color: '#1b2430',
        'text-max-width': 120, 'text-wrap': 'ellipsis' } },
      { selector: 'edge', style: { width: 1.2, 'line-color': '#9aa5b4', 'curve-style': large ? 'haystack' : 'bezier' } },
      { selector: ':parent', style: {
        'background-color': '#e9eef6', 'background-opacity': 0.35, 'border-color': '#5b6676', 'border-width': 1,
        label: 'data(label)', 'text-valign': 'top', 'font-weight': 'bold' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#2563eb' } },
      { selector: 'node.pinned', style: { shape: 'round-rectangle' } },
      { selector: 'edge.path', style: { 'line-color': '#c8442d', width: 5, 'z-index': 10 } },
      { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#c8442d' } },
      { selector: '.user-hidden', style: { display: 'none' } },
      { selector: '.off-window', style: { display: 'none' } }
    ]
  });
  window.vezaChart = { cy: cy };

  // A saved chart: hidden, pinned and groups as saved.
  if (view.layout) {
    (view.layout.groups || []).forEach(function (g) {
      cy.add({ group: 'nodes', data: { id: g.id, label: g.label, color: '#e9eef6', size: 20 } });
    });
    view.layout.nodes.forEach(function (n) {
      var node = cy.getElementById(n.id);
      if (node.empty()) return;
      if (n.group && !cy.getElementById(n.group).empty()) node.move({ parent: n.group });
      if (n.hidden) node.addClass('user-hidden');
      if (n.pinned) { node.lock(); node.addClass('pinned'); }
    });
  }

  function rendered() {
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        performance.mark('veza-chart-rendered');
        window.vezaChart.renderedAt = performance.now();
        window.vezaChart.nodes = cy.nodes().length;
      });
    });
  }
  rendered();

  // Selection, by click or from the list (keyboard).
  var pick = $('chart-pick');
  function refreshPick() {
    var current = pick.value;
    pick.textContent = '';
    var none = document.createElement('option');
    none.value = '';
    none.textContent = '—';
    pick.appendChild(none);
    cy.nodes().filter(function (n) { return !n.isParent(); }).sort(function (a, b) {
      return String(a.data('label')).localeCompare(String(b.data('label')));
    }).forEach(function (n) {
      var o = document.createElement('option');
      o.value = n.id();
      o.textContent = n.data('label');
      pick.appendChild(o);
    });
    pick.value = current;
  }
  pick.addEventListener('change', function () {
    cy.nodes(':selected').unselect();
    var node = cy.getElementById(pick.value);
    if (node.nonempty()) { node.select(); cy.center(node); }
  });
  function selectedNodes() { return cy.nodes(':selected').filter(function (n) { return !n.isParent(); }); }
  function describeSelection() {
    var s = selectedNodes();
    $('chart-selected').textContent = s.length === 0 ? say('select_hint')
      : s.length === 1 ? s[0].data('label') : say('selected_many', { count: s.length });
    if (s.length === 1) pick.value = s[0].id();
  }
  cy.on('select unselect', 'node', describeSelection);

  function refreshKinds() {
    var select = $('chart-link-type');
    var current = select.value;
    var present = {};
    cy.edges().forEach(function (e) { present[e.data('kind')] = true; });
    Object.keys(kinds).forEach(function (k) { present[k] = true; });
    select.textContent = '';
    var any = document.createElement('option');
    any.value = '';
    any.textContent = say('any');
    select.appendChild(any);
    Object.keys(present).sort(function (a, b) { return (kinds[a] || a).localeCompare(kinds[b] || b); }).forEach(function (k) {
      var o = document.createElement('option');
      o.value = k;
      o.textContent = kinds[k] || k;
      select.appendChild(o);
    });
    select.value = current;
  }

  function api(url, options) {
    options = options || {};
    options.credentials = 'same-origin';
    options.headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
    return fetch(url, options).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) throw new Error((body && body.message) || ('HTTP ' + r.status));
        return body;
      });
    });
  }

  function countNodes() { $('node-count').textContent = String(cy.nodes().filter(function (n) { return !n.isParent(); }).length); }

  // Expand: the neighbours of the selected node through one link type.
  $('chart-expand').addEventListener('click', function () {
    var s = selectedNodes();
    if (s.length !== 1) { $('chart-selected').textContent = say('select_one'); return; }
    var node = s[0];
    var type = $('chart-link-type').value;
    var url = data.api.neighbours.replace('{id}', encodeURIComponent(node.id())) +
      (type ? '?link_type=' + encodeURIComponent(type) : '');
    $('chart-expand').disabled = true;
    api(url).then(function (more) {
      var p = node.position();
      var fresh = more.nodes.filter(function (n) { return cy.getElementById(n.id).empty(); });
      var added = cy.add(fresh.map(function (n, i) {
        var el = nodeElement(n, true);
        var angle = 2 * Math.PI * i / Math.max(fresh.length, 1);
        el.position = { x: p.x + 90 * Math.cos(angle), y: p.y + 90 * Math.sin(angle) };
        return el;
      }));
      cy.add(more.edges.filter(function (e) {
        return cy.getElementById(edgeId(e)).empty() && cy.getElementById(e.source).nonempty() &&
          cy.getElementById(e.target).nonempty();
      }).map(edgeElement));
      (more.edges || []).forEach(function (e) { if (!kinds[e.kind]) kinds[e.kind] = e.kind; });
      $('chart-selected').textContent = say('more', { name: node.data('label'), count: added.length });
      countNodes();
      refreshPick();
      refreshKinds();
      refreshTime();
      applyWindow();
    }).catch(function (err) {
      $('chart-selected').textContent = say('failed') + ' ' + err.message;
    }).then(function () { $('chart-expand').disabled = false; });
  });

  $('chart-hide').addEventListener('click', function () { selectedNodes().addClass('user-hidden').unselect(); });
  $('chart-show-all').addEventListener('click', function () { cy.elements().removeClass('user-hidden'); });
  $('chart-pin').addEventListener('click', function () {
    selectedNodes().forEach(function (n) {
      if (n.locked()) { n.unlock(); n.removeClass('pinned'); } else { n.lock(); n.addClass('pinned'); }
    });
  });
  $('chart-open').addEventListener('click', function () {
    var s = selectedNodes();
    if (s.length === 1) window.location.href = '/entities/' + encodeURIComponent(s[0].id());
  });

  var groupCount = 0;
  $('chart-group').addEventListener('click', function () {
    var s = selectedNodes();
    if (s.length < 1) return;
    groupCount += 1;
    var id = 'group:' + Date.now() + ':' + groupCount;
    cy.add({ group: 'nodes', data: { id: id, label: say('group', { n: groupCount }), color: '#e9eef6', size: 20 } });
    s.move({ parent: id });
  });
  function ungroup() {
    cy.nodes().filter(function (n) { return !n.isParent(); }).move({ parent: null });
    cy.nodes().filter(function (n) { return n.id().indexOf('group:') === 0 || n.id().indexOf('community:') === 0; }).remove();
  }
  $('chart-ungroup').addEventListener('click', ungroup);
  $('chart-group-communities').addEventListener('click', function () {
    ungroup();
    var made = {};
    cy.nodes().forEach(function (n) {
      var c = n.data('community');
      if (c === undefined || c < 0) return;
      var id = 'community:' + c;
      if (!made[id]) {
        cy.add({ group: 'nodes', data: { id: id, label: say('community', { n: c + 1 }), color: '#e9eef6', size: 20 } });
        made[id] = true;
      }
      n.move({ parent: id });
    });
  });

  $('chart-fit').addEventListener('click', function () { cy.fit(undefined, 20); });
  $('chart-relayout').addEventListener('click', function () {
    var count = cy.nodes().length;
    cy.layout(count <= 250 ? { name: 'cose', animate: false, randomize: false, numIter: 600, fit: true }
      : { name: 'concentric', animate: false, concentric: function (n) { return n.degree(); }, levelWidth: function () { return 4; } }).run();
  });

  $('chart-png').addEventListener('click', function () {
    var a = document.createElement('a');
    a.href = cy.png({ full: true, scale: 2, bg: '#ffffff' });
    a.download = 'veza-chart.png';
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  // Shortest path over what the user may see (the server walks the network).
  var pathEnds = { from: null, to: null };
  function pathStatus(text) { $('chart-path-result').textContent = text; }
  $('chart-path-from').addEventListener('click', function () {
    var s = selectedNodes();
    if (s.length === 1) { pathEnds.from = s[0].id(); pathStatus(say('path_start') + ' ' + s[0].data('label')); }
  });
  $('chart-path-to').addEventListener('click', function () {
    var s = selectedNodes();
    if (s.length === 1) { pathEnds.to = s[0].id(); pathStatus(say('path_end') + ' ' + s[0].data('label')); }
  });
  $('chart-path-find').addEventListener('click', function () {
    if (!pathEnds.from || !pathEnds.to) { pathStatus(say('path_choose')); return; }
    cy.elements().removeClass('path');
    var url = data.api.path + '?from=' + encodeURIComponent(pathEnds.from) + '&to=' + encodeURIComponent(pathEnds.to) +
      '&max_hops=' + encodeURIComponent($('chart-path-hops').value);
    api(url).then(function (p) {
      if (!p.found) { pathStatus(say('path_none', { hops: $('chart-path-hops').value })); return; }
      var center = cy.getElementById(pathEnds.from).position();
      p.nodes.forEach(function (n, i) {
        if (cy.getElementById(n.id).empty()) {
          var el = nodeElement({ id: n.id, caption: n.caption, schema: n.schema, community: 0, pagerank: 0 }, true);
          el.position = { x: center.x + 60 * i, y: center.y + 60 };
          cy.add(el);
        }
        cy.getElementById(n.id).addClass('path').removeClass('user-hidden');
      });
      p.edges.forEach(function (e) {
        if (cy.getElementById(edgeId(e)).empty()) cy.add(edgeElement(e));
        cy.getElementById(edgeId(e)).addClass('path').removeClass('off-window');
      });
      countNodes();
      refreshPick();
      pathStatus(say('path_found', { count: p.nodes.length - 1 }) + ' ' + p.nodes.map(function (n) { return n.caption; }).join(' → '));
    }).catch(function (err) { pathStatus(say('failed') + ' ' + err.message); });
  });

  // Time window over the links' dates.
  var range = { lo: null, hi: null };
  function refreshTime() {
    var lo = null, hi = null;
    cy.edges().forEach(function (e) {
      var s = e.data('start'), t = e.data('end');
      if (s !== null && s !== undefined) { lo = lo === null ? s : Math.min(lo, s); hi = hi === null ? s : Math.max(hi, s); }
      if (t !== null && t !== undefined) { lo = lo === null ? t : Math.min(lo, t); hi = hi === null ? t : Math.max(hi, t); }
    });
    var from = $('chart-time-from'), to = $('chart-time-to');
    var wasFull = range.lo === null || (Number(from.value) === range.lo && Number(to.value) === range.hi);
    range = { lo: lo, hi: hi };
    var off = lo === null;
    from.disabled = to.disabled = off;
    if (off) { $('chart-time-window').textContent = say('no_dates'); return; }
    from.min = to.min = String(lo);
    from.max = to.max = String(hi);
    if (wasFull) { from.value = String(lo); to.value = String(hi); }
    showWindow();
  }
  function showWindow() {
    if (range.lo === null) return;
    $('chart-time-window').textContent = isoDay(Number($('chart-time-from').value)) + ' – ' + isoDay(Number($('chart-time-to').value));
  }
  function applyWindow() {
    if (range.lo === null && $('chart-time-undated').checked) { cy.edges().removeClass('off-window'); return; }
    var from = Number($('chart-time-from').value), to = Number($('chart-time-to').value);
    var undated = $('chart-time-undated').checked;
    cy.batch(function () {
      cy.edges().forEach(function (e) {
        var s = e.data('start'), t = e.data('end');
        var dated = s !== null && s !== undefined;
        var inside = dated ? !(t < from || s > to) : undated;
        if (inside || e.hasClass('path')) e.removeClass('off-window'); else e.addClass('off-window');
      });
    });
    showWindow();
  }
  ['chart-time-from', 'chart-time-to'].forEach(function (id) {
    $(id).addEventListener('input', function () {
      var from = $('chart-time-from'), to = $('chart-time-to');
      if (Number(from.value) > Number(to.value)) { if (id === 'chart-time-from') to.value = from.value; else from.value = to.value; }
      applyWindow();
    });
  });
  $('chart-time-undated').addEventListener('change', applyWindow);

  // Save with the layout: ids, positions, hidden, pinned, groups.
  $('chart-save-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var nodes = [], groups = [];
    cy.nodes().forEach(function (n) {
      if (n.isParent() || n.id().indexOf('group:') === 0 || n.id().indexOf('community:') === 0) {
        groups.push({ id: n.id(), label: String(n.data('label')) });
        return;
      }
      var p = n.position();
      nodes.push({ id: n.id(), x: p.x, y: p.y, hidden: n.hasClass('user-hidden'), pinned: n.locked(),
        group: n.parent().nonempty() ? n.parent().id() : null });
    });
    var body = {
      id: view.saved ? view.saved[0] : null, title: $('chart-save-title').value, anchor: view.anchor,
      anchor_id: view.anchor_id, layout: { nodes: nodes, groups: groups }
    };
    $('chart-save-result').textContent = say('saving');
    api(data.api.charts, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': data.csrf }, body: JSON.stringify(body)
    }).then(function (r) {
      view.saved = [r.id, body.title];
      var result = $('chart-save-result');
      result.textContent = say('saved') + ' ';
      var a = document.createElement('a');
      a.href = r.href;
      a.id = 'chart-saved-link';
      a.textContent = say('saved_link', { id: r.id });
      result.appendChild(a);
    }).catch(function (err) { $('chart-save-result').textContent = say('failed') + ' ' + err.message; });
  });

  refreshPick();
  refreshKinds();
  refreshTime();
  describeSelection();
})();
