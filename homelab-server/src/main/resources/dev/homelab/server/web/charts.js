// Charts drawn with uPlot, shared by the History page and the history panels of the Proxmox and
// Automations pages: uPlot loaded once (from its webjar, with the charts' stylesheet), a chart's
// spec (its lines, unit and text summary), a group of plots that follows its container's width and
// the theme, and a history panel (a period choice and the charts of one upstream history route).
import { el, clear, formatBytes } from './dom.js';
import { every } from './polling.js';

let uplot = null;

/** uPlot's module and stylesheet (unpacked from its webjar by the build) and ours, fetched once. */
export function loadUplot() {
  if (!uplot) {
    for (const sheet of ['lib/uplot/uPlot.min.css', 'history.css']) {
      document.head.append(el('link', { rel: 'stylesheet', href: new URL(sheet, import.meta.url).pathname }));
    }
    uplot = import('./lib/uplot/uPlot.esm.js').then((module) => module.default);
  }
  return uplot;
}

/** A chart of lines ([label, values]) over the times xs, with a summary of each line in words. */
export function chart(title, unit, xs, lines) {
  const summary = lines.map(([label, values]) => {
    const known = values.filter((v) => v !== null && v !== undefined);
    if (known.length === 0) return `${label}: no data`;
    const mean = known.reduce((a, b) => a + b, 0) / known.length;
    return `${label}: lowest ${format(unit, Math.min(...known))}, average ${format(unit, mean)}, highest ${format(unit, Math.max(...known))}, last ${format(unit, known[known.length - 1])}`;
  }).join('; ');
  return { title, unit, labels: lines.map(([label]) => label), data: [xs, ...lines.map(([, values]) => values)], summary, band: false };
}

/** A column of a table answer's rows: null where a row has no value for it. */
export function column(rows, name) {
  return rows.map((r) => (typeof r[name] === 'number' ? r[name] : null));
}

export function format(unit, value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'percent') return `${value.toFixed(1)} %`;
  if (unit === 'bytes') return formatBytes(value);
  if (unit === 'rate') return `${formatBytes(value)}/s`;
  if (unit === 'count') return value.toFixed(0);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

function height(width) {
  return width < 500 ? 200 : 260;
}

/**
 * The plots drawn in a container: each chart a card with its title, plot and summary. They follow
 * the container's width and are drawn again when the theme changes (their colours come from it).
 *
 * @param container where the charts go
 * @param onZoom called with a range (ms) dragged across a chart; without it, no drag selection
 */
export function plotGroup(container, onZoom) {
  const plots = [];
  let last = null;

  function destroy() {
    while (plots.length) plots.pop().destroy();
  }

  function draw(uPlot, specs, range) {
    last = { uPlot, specs, range };
    destroy();
    clear(container);
    for (const spec of specs) {
      spec.range = range; // the whole range asked for, even where it has no data
      const target = el('div', { class: 'plot', role: 'img', 'aria-label': `${spec.title}: ${spec.summary}` });
      container.append(el('section', { class: 'card chart', 'aria-label': spec.title },
        el('h2', {}, spec.title), target, el('p', { class: 'muted summary' }, spec.summary)));
      plots.push(new uPlot(options(spec, target.clientWidth, onZoom), spec.data, target));
    }
  }

  const resize = new ResizeObserver(() => {
    for (const plot of plots) {
      const width = plot.root.parentElement.clientWidth;
      if (width > 0 && Math.abs(width - plot.width) > 4) plot.setSize({ width, height: height(width) });
    }
  });
  resize.observe(container);
  const theme = new MutationObserver(() => { if (last) draw(last.uPlot, last.specs, last.range); });
  theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });

  return {
    draw,
    /** Removes the plots (and what else the container holds) but keeps following. */
    clear: () => {
      last = null;
      destroy();
      clear(container);
    },
    stop: () => {
      resize.disconnect();
      theme.disconnect();
      destroy();
    },
  };
}

/** uPlot's options for one chart, coloured from the current theme. */
function options(spec, width, onZoom) {
  const css = getComputedStyle(document.documentElement);
  const color = (name) => css.getPropertyValue(name).trim();
  const palette = [color('--accent'), color('--warn'), color('--ok')];
  const axis = {
    stroke: color('--muted'),
    grid: { stroke: color('--line'), width: 1 },
    ticks: { stroke: color('--line'), width: 1 },
  };
  const series = spec.labels.map((label, i) => {
    if (spec.band && i > 0) {
      return { label, stroke: withAlpha(palette[0], '99'), width: 1, dash: [4, 4], value: (u, v) => format(spec.unit, v) };
    }
    return { label, stroke: palette[i % palette.length], width: 2, value: (u, v) => format(spec.unit, v) };
  });
  const zoomable = typeof onZoom === 'function';
  return {
    width: Math.max(200, width),
    height: height(width),
    series: [{}, ...series],
    bands: spec.band ? [{ series: [3, 2], fill: withAlpha(palette[0], '33') }] : [],
    scales: {
      x: { time: true, range: () => spec.range },
      y: spec.unit === 'percent' ? { range: (u, min, max) => [0, Math.max(100, max ?? 100)] } : {},
    },
    axes: [axis, { ...axis, size: spec.unit === 'number' || spec.unit === 'count' ? 50 : 80, values: (u, ticks) => ticks.map((v) => format(spec.unit, v)) }],
    cursor: { drag: { x: zoomable, y: false, setScale: false } },
    hooks: zoomable ? {
      setSelect: [(u) => {
        if (u.select.width < 3) return;
        const start = u.posToVal(u.select.left, 'x') * 1000;
        const end = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        onZoom(Math.floor(start), Math.ceil(end));
      }],
    } : {},
  };
}

function withAlpha(hex, alpha) {
  return /^#[0-9a-f]{6}$/i.test(hex) ? hex + alpha : hex;
}

/** The range and grain of a history answer, in words. */
export function describe(answer) {
  const range = `${new Date(answer.from).toLocaleString()} to ${new Date(answer.to).toLocaleString()}`;
  const grain = answer.tier === 'raw' || answer.interval === null || answer.interval === undefined
    ? 'raw points'
    : `${interval(answer.interval)} buckets (tier ${answer.tier})`;
  return `${range}: ${answer.data.length} ${grain}.`;
}

function interval(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600}-hour`;
  if (seconds % 60 === 0) return `${seconds / 60}-minute`;
  return `${seconds}-second`;
}

/** The periods a history panel offers: its charts are an overview, the History page has the rest. */
const PANEL_PERIODS = [['1h', '1 hour'], ['6h', '6 hours'], ['24h', '24 hours'], ['7d', '7 days']];
/** An open panel asks again at this rate (not while the tab is hidden), so that its last hour moves and a first point shows. */
const PANEL_REFRESH_MS = 30000;

/**
 * A panel with the history of one thing (a Proxmox server or guest, an automation): a period
 * choice and its charts, asked again every PANEL_REFRESH_MS while open. A 404 (the thing was not
 * collected yet, or its history was dropped) says "No history yet", not an error.
 *
 * @param api the dashboard's api function
 * @param id the panel's element id (the button that opens it points at it)
 * @param title the panel's heading
 * @param path the history route, without its query
 * @param specs turns an answer's rows into charts (see chart())
 * @return { node, stop }
 */
export function historyPanel(api, { id, title, path, specs }) {
  const periodId = `${id}-period`;
  const period = el('select', { id: periodId, class: 'history-period' },
    ...PANEL_PERIODS.map(([value, label]) => el('option', { value }, `Last ${label}`)));
  const status = el('p', { class: 'muted history-status', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const error = el('p', { class: 'error', role: 'alert' });
  const charts = el('div', { class: 'charts' });
  const node = el('section', { class: 'history-panel', id, 'aria-label': title },
    el('div', { class: 'history-panel-head' }, el('h3', {}, title),
      el('label', { for: periodId }, 'Period'), period),
    status, error, charts);
  const plots = plotGroup(charts);
  let generation = 0;
  let stopped = false;

  async function load() {
    const mine = ++generation;
    const width = Math.max(240, charts.clientWidth || 600);
    const query = new URLSearchParams({ period: period.value, max_points: String(Math.min(2000, Math.round(width))) });
    try {
      const [uPlot, answer] = await Promise.all([loadUplot(), api('GET', `${path}?${query}`)]);
      if (stopped || mine !== generation) return;
      error.textContent = '';
      if (answer.data.length === 0) {
        plots.clear();
        status.textContent = `No data in the last ${PANEL_PERIODS.find(([v]) => v === period.value)[1]}.`;
      } else {
        status.textContent = describe(answer);
        plots.draw(uPlot, specs(answer.data), [Date.parse(answer.from) / 1000, Date.parse(answer.to) / 1000]);
      }
    } catch (e) {
      if (stopped || mine !== generation) return;
      if (e.status === 404) {
        plots.clear();
        error.textContent = '';
        status.textContent = 'No history yet: it has not been collected. Its charts appear once it is.';
      } else {
        status.textContent = '';
        error.textContent = e.message;
      }
    }
  }

  const refresher = every(PANEL_REFRESH_MS, load);
  period.addEventListener('change', () => {
    status.textContent = 'Loading…';
    refresher.now();
  });
  return {
    node,
    stop: () => {
      stopped = true;
      refresher.stop();
      plots.stop();
    },
  };
}

/**
 * The button that opens and closes a history panel: panels (a Map) holds the open ones by key;
 * changed(panel) is called after each click, with the new panel or undefined once closed.
 *
 * @param key the panel's key in panels (also the button's data-history)
 * @param options id and label (the panel's element id, the button's accessible name), texts
 *     ([shown when closed, when open]), attrs (more attributes), panel() (title, path and specs of
 *     a new panel), changed
 */
export function historyToggle(api, panels, key, { id, label, texts, attrs = {}, panel, changed }) {
  const open = panels.has(key);
  return el('button', {
    type: 'button',
    class: `history-toggle${open ? ' active' : ''}`,
    'data-history': key,
    'aria-label': label,
    'aria-expanded': open ? 'true' : 'false',
    'aria-controls': open ? id : null,
    ...attrs,
    onclick: () => {
      if (panels.has(key)) {
        panels.get(key).stop();
        panels.get(key).node.remove();
        panels.delete(key);
      } else {
        panels.set(key, historyPanel(api, { id, ...panel() }));
      }
      changed(panels.get(key));
    },
  }, open ? texts[1] : texts[0]);
}
