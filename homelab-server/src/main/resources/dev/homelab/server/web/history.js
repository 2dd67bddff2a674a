// History: charts of the host and of any metric series over a period (1h, 6h, 24h, 7d, 30d) or a
// custom range, drawn with uPlot (from its webjar, loaded the first time this page opens). Where
// the answer is made of buckets (every tier but raw), a band shows each bucket's min to max around
// its average. Dragging across a chart zooms in by asking the server again for that range, so the
// finest tier that covers it answers; "Back" returns to the range before. Every control is a
// labelled form field; each chart has a text summary for those who cannot see it.
import { el } from './dom.js';
import { loadUplot, chart, column as columnOf, format, describe, plotGroup } from './charts.js';

const PERIODS = [['1h', '1 hour'], ['6h', '6 hours'], ['24h', '24 hours'], ['7d', '7 days'], ['30d', '30 days']];
const HOST = '';

export function historyPage(view, { api }) {
  const state = { series: HOST, period: '1h', from: null, to: null };
  const back = [];
  let generation = 0;
  let stopped = false;

  const seriesSelect = el('select', { id: 'history-series' },
    el('option', { value: HOST }, 'Host: CPU, memory, load, network'));
  const periodSelect = el('select', { id: 'history-period' },
    ...PERIODS.map(([value, label]) => el('option', { value }, `Last ${label}`)),
    el('option', { value: 'custom' }, 'Custom range'));
  const from = el('input', { id: 'history-from', type: 'datetime-local', step: 60 });
  const to = el('input', { id: 'history-to', type: 'datetime-local', step: 60 });
  const custom = el('fieldset', { class: 'range', hidden: true },
    el('legend', {}, 'Custom range'),
    el('label', { for: 'history-from' }, 'From'), from,
    el('label', { for: 'history-to' }, 'To'), to,
    el('button', { type: 'submit' }, 'Show'));
  const backButton = el('button', { id: 'history-back', type: 'button', hidden: true, onclick: goBack }, 'Back');
  const status = el('p', { id: 'history-status', class: 'muted', role: 'status', 'aria-live': 'polite' });
  const error = el('p', { class: 'error', role: 'alert' });
  const charts = el('div', { id: 'history-charts', class: 'charts' });
  const form = el('form', { class: 'inline history-controls', onsubmit: showCustom },
    el('label', { for: 'history-series' }, 'Series'), seriesSelect,
    el('label', { for: 'history-period' }, 'Period'), periodSelect,
    custom, backButton);
  view.append(el('h1', {}, 'History'), form, status, error,
    el('p', { class: 'muted hint' }, 'Drag across a chart to zoom in.'), charts);

  seriesSelect.addEventListener('change', () => {
    state.series = seriesSelect.value;
    load();
  });
  periodSelect.addEventListener('change', () => {
    back.length = 0;
    if (periodSelect.value === 'custom') {
      const now = Date.now();
      if (!from.value) from.value = localInput(now - 24 * 3600_000);
      if (!to.value) to.value = localInput(now);
      custom.hidden = false;
      from.focus();
      return;
    }
    Object.assign(state, { period: periodSelect.value, from: null, to: null });
    load();
  });

  function showCustom(event) {
    event.preventDefault();
    const start = Date.parse(from.value);
    const end = Date.parse(to.value);
    if (Number.isNaN(start) || Number.isNaN(end) || start >= end) {
      error.textContent = 'Give a start and an end, the start before the end.';
      return;
    }
    back.length = 0;
    setRange(start, end);
    load();
  }

  function setRange(start, end) {
    Object.assign(state, { period: 'custom', from: new Date(start).toISOString(), to: new Date(end).toISOString() });
    periodSelect.value = 'custom';
    custom.hidden = false;
    from.value = localInput(start);
    to.value = localInput(end);
  }

  function zoom(start, end) {
    back.push({ ...state });
    setRange(start, end);
    load();
  }

  function goBack() {
    const previous = back.pop();
    if (!previous) return;
    Object.assign(state, previous);
    periodSelect.value = state.period;
    custom.hidden = state.period !== 'custom';
    if (state.period === 'custom') {
      from.value = localInput(Date.parse(state.from));
      to.value = localInput(Date.parse(state.to));
    }
    load();
  }

  function query(maxPoints) {
    const params = new URLSearchParams();
    if (state.series !== HOST) params.set('series', state.series);
    if (state.period === 'custom') {
      params.set('from', state.from);
      params.set('to', state.to);
    } else {
      params.set('period', state.period);
    }
    params.set('max_points', String(maxPoints));
    return `${state.series === HOST ? '/api/metrics/host' : '/api/metrics/query'}?${params}`;
  }

  async function load() {
    const mine = ++generation;
    backButton.hidden = back.length === 0;
    error.textContent = '';
    status.textContent = 'Loading…';
    const width = Math.max(240, charts.clientWidth || 600);
    try {
      const [uPlot, answer] = await Promise.all([loadUplot(), api('GET', query(Math.min(2000, Math.round(width))))]);
      if (stopped || mine !== generation) return;
      draw(uPlot, answer, state.series);
    } catch (e) {
      if (stopped || mine !== generation) return;
      status.textContent = '';
      error.textContent = e.message;
    }
  }

  function draw(uPlot, answer, series) {
    status.textContent = describe(answer);
    if (answer.data.length === 0) {
      plots.clear();
      charts.append(el('p', { class: 'muted' }, 'No data in this range.'));
      return;
    }
    const specs = series === HOST ? hostCharts(answer) : [seriesChart(series, answer)];
    plots.draw(uPlot, specs, [Date.parse(answer.from) / 1000, Date.parse(answer.to) / 1000]);
  }

  // Follows the width of the page and the theme; dragging across a chart zooms in.
  const plots = plotGroup(charts, zoom);

  api('GET', '/api/metrics/series')
    .then((answer) => {
      if (stopped) return;
      for (const key of [...answer.series].sort()) seriesSelect.append(el('option', { value: key }, key));
    })
    .catch((e) => { error.textContent = e.message; });
  load();

  return {
    stop: () => {
      stopped = true;
      plots.stop();
    },
  };
}

/** The host's table: one chart per kind of unit. */
function hostCharts(answer) {
  const rows = answer.data;
  const xs = rows.map((r) => r.timestamp);
  const column = (name) => columnOf(rows, name);
  return [
    chart('CPU and memory', 'percent', xs, [['CPU', column('cpu_percent')], ['Memory', column('ram_percent')]]),
    chart('Load average (1 min)', 'number', xs, [['Load', column('load_1')]]),
    chart('Network (all interfaces but loopback)', 'rate', xs, [['Received', column('net_rx')], ['Sent', column('net_tx')]]),
  ];
}

/** One series: its average, and its min and max as a band where the answer is made of buckets. */
function seriesChart(key, answer) {
  const rows = answer.data;
  const xs = rows.map((b) => b.timestamp);
  const unit = unitOf(key);
  const avg = rows.map((b) => b.avg);
  const buckets = answer.interval !== null && answer.interval !== undefined;
  if (!buckets) return chart(key, unit, xs, [['Value', avg]]);
  const spec = chart(key, unit, xs, [['Average', avg], ['Min', rows.map((b) => b.min)], ['Max', rows.map((b) => b.max)]]);
  spec.band = true;
  const count = rows.reduce((n, b) => n + (b.count || 0), 0);
  const sum = rows.reduce((n, b) => n + (b.sum || 0), 0);
  spec.summary = `lowest ${format(unit, Math.min(...rows.map((b) => b.min)))}, average ${count ? format(unit, sum / count) : '–'}, highest ${format(unit, Math.max(...rows.map((b) => b.max)))}, over ${rows.length} buckets`;
  return spec;
}

function unitOf(key) {
  const name = key.split('{')[0];
  if (name.endsWith('.percent')) return 'percent';
  if (name.endsWith('.used') || name.endsWith('.total')) return 'bytes';
  if (name === 'host.net.rx' || name === 'host.net.tx') return 'rate';
  return 'number';
}

/** A time as a datetime-local field wants it: local, to the minute. */
function localInput(millis) {
  const d = new Date(millis);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
