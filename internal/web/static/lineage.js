// The relationship graph (关系图谱) of the portal's /lineage page: reads the
// graph from the same-origin JSON route named by the chart container's
// data-src and draws it with ECharts' graph series (force layout, one
// category per node kind, with a legend); lineage recorded by hand is
// dashed, its note in the tooltip. Clicking a resource opens its
// page. A file of our own, since the content security policy admits no
// inline script; the messages come from the container's data attributes.
(function () {
  'use strict';

  // Colours of the node kinds, after the portal's stylesheet.
  var colours = { source: '#8a5a00', resource: '#1553a6', dataset: '#1b7f3b', element: '#c62828' };
  var sizes = { source: 14, resource: 24, dataset: 16, element: 32 };

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // format fills the %d and %s of a message in order.
  function format(msg) {
    var args = Array.prototype.slice.call(arguments, 1);
    return String(msg || '').replace(/%[ds]/g, function () { return args.length ? args.shift() : ''; });
  }

  function draw(el, status, g) {
    var text = format(el.dataset.count, g.nodes.length, g.links.length);
    if (g.truncated) {
      text += ' ' + el.dataset.truncated;
    }
    status.textContent = g.nodes.length ? text : el.dataset.empty;
    if (!g.nodes.length) {
      el.hidden = true;
      return;
    }
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    var small = g.nodes.length < 40;
    var legendHeight = 30;
    var nodes = g.nodes.map(function (n) {
      var centre = n.id === g.center;
      var node = {
        id: n.id, name: n.name, category: n.category, value: n.org || '', href: n.href || '',
        symbolSize: sizes[n.kind] + (centre ? 12 : 0),
        cursor: n.href ? 'pointer' : 'default',
        label: { show: true, fontWeight: centre ? 'bold' : 'normal' }
      };
      if (centre) {
        // The centre stays in the middle; the rest arrange around it.
        node.itemStyle = { borderColor: '#0b2f63', borderWidth: 3 };
        node.fixed = true;
        node.x = el.clientWidth / 2;
        node.y = (el.clientHeight - legendHeight) / 2;
      }
      return node;
    });
    // Later items are drawn over earlier ones: the centre last, so that it
    // is never hidden (nor its clicks taken) by a node the layout moves
    // over it.
    nodes.sort(function (a, b) { return (a.id === g.center) - (b.id === g.center); });
    var links = g.links.map(function (l) {
      var link = { source: l.source, target: l.target, value: l.label, note: l.note || '' };
      if (l.manual) {
        link.lineStyle = { type: 'dashed', opacity: 0.9 };
      }
      return link;
    });
    chart.setOption({
      color: g.categories.map(function (c) { return colours[c.kind]; }),
      tooltip: {
        confine: true,
        formatter: function (p) {
          if (p.dataType === 'edge') {
            return escapeHTML(p.data.value) + (p.data.note ? '<br>' + escapeHTML(p.data.note) : '');
          }
          var cat = g.categories[p.data.category];
          return '<strong>' + escapeHTML(p.data.name) + '</strong><br>' + escapeHTML(cat ? cat.name : '') +
            (p.data.value ? ' · ' + escapeHTML(p.data.value) : '');
        }
      },
      legend: [{ bottom: 0, backgroundColor: 'rgba(255, 255, 255, 0.85)', data: g.categories.map(function (c) { return c.name; }) }],
      series: [{
        type: 'graph',
        layout: 'force',
        bottom: legendHeight,
        roam: true,
        draggable: true,
        categories: g.categories.map(function (c) { return { name: c.name }; }),
        data: nodes,
        links: links,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 6,
        label: { position: 'right', fontSize: 12, color: '#1f2937' },
        labelLayout: { hideOverlap: true },
        lineStyle: { color: 'source', opacity: 0.55, width: 1.2, curveness: 0.08 },
        emphasis: { focus: 'adjacency', lineStyle: { width: 2.5 } },
        // Small graphs spread out; large ones are held together.
        force: small
          ? { repulsion: 600, edgeLength: [100, 180], gravity: 0.1, friction: 0.2 }
          : { repulsion: 200, edgeLength: [40, 110], gravity: 0.2, friction: 0.2 }
      }]
    });
    chart.on('click', function (p) {
      if (p.dataType === 'node' && p.data.href) {
        window.location.assign(p.data.href);
      }
    });
    window.addEventListener('resize', function () { chart.resize(); });
  }

  function start() {
    var el = document.getElementById('lineage-chart');
    var status = document.getElementById('lineage-status');
    if (!el || !status || typeof echarts === 'undefined') {
      return;
    }
    fetch(el.dataset.src, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) {
        if (!res.ok) {
          throw new Error('HTTP ' + res.status);
        }
        return res.json();
      })
      .then(function (g) { draw(el, status, g); })
      .catch(function () {
        el.hidden = true;
        status.textContent = el.dataset.failed;
      });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
