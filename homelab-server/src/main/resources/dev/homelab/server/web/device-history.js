// Device history: the recorded state changes of one zigbee2mqtt device (GET /api/metrics/device/
// {topic}): each change's time and state as text, its availability changes, and a chart of each
// numeric series, over a chosen period. The topic is picked from the topics the bridge heard
// (GET /api/mqtt/topics) or comes from the hash, #/device-history/<URL-encoded topic>, which the
// MQTT page's rows link to.
import { el, clear } from './dom.js';
import { loadUplot, chart, column, describe, plotGroup } from './charts.js';

const PERIODS = [['1h', '1 hour'], ['6h', '6 hours'], ['24h', '24 hours'], ['7d', '7 days'], ['30d', '30 days']];
/** The changes listed, newest first; the API keeps up to 1000 of each kind. */
const MAX_POINTS = 1000;

/** The link to a topic's history, for the MQTT page's rows. */
export function historyHref(topic) {
  return `#/device-history/${encodeURIComponent(topic)}`;
}

/** Whether a topic may be a device's state (zigbee2mqtt's bridge, availability and commands are not). */
export function mayBeDevice(topic) {
  return !/\/bridge(\/|$)/.test(topic) && !/\/(availability|set|get)(\/.*)?$/.test(topic);
}

function timeText(row) {
  const at = new Date(row.time || row.timestamp * 1000);
  return Number.isNaN(at.getTime()) ? '–' : at.toLocaleString();
}

function stateText(state) {
  return typeof state === 'string' ? state : JSON.stringify(state);
}

export function deviceHistoryPage(view, { api }) {
  const fromHash = location.hash.replace(/^#\/device-history\/?/, '');
  let initial = '';
  try {
    initial = decodeURIComponent(fromHash);
  } catch (e) {
    initial = '';
  }
  const topic = el('input', { id: 'device-topic', list: 'device-topics', autocomplete: 'off', required: true, placeholder: 'zigbee2mqtt/living room/window', value: initial });
  const topics = el('datalist', { id: 'device-topics' });
  const period = el('select', { id: 'device-period', class: 'history-period' },
    ...PERIODS.map(([value, label]) => el('option', { value }, `Last ${label}`)));
  period.value = '24h';
  const status = el('p', { class: 'muted', id: 'device-status', role: 'status', 'aria-live': 'polite' });
  const error = el('p', { class: 'error', role: 'alert', id: 'device-error' });
  const info = el('p', { class: 'muted', id: 'device-info' });
  const states = el('tbody', { id: 'device-states' });
  const availability = el('tbody', { id: 'device-availability' });
  const charts = el('div', { class: 'charts', id: 'device-charts' });
  const result = el('div', { id: 'device-result', hidden: true },
    info,
    el('section', { class: 'card', 'aria-labelledby': 'device-states-title' },
      el('h2', { id: 'device-states-title' }, 'State changes'),
      el('table', { class: 'device-states' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Time'), el('th', {}, 'State'))), states)),
    el('section', { class: 'card', 'aria-labelledby': 'device-availability-title' },
      el('h2', { id: 'device-availability-title' }, 'Availability'),
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Time'), el('th', {}, 'Availability'))), availability)),
    charts);
  view.append(el('h1', {}, 'Device history'),
    el('form', { id: 'device-form', class: 'inline', onsubmit: (e) => { e.preventDefault(); show(); } },
      el('label', { for: 'device-topic' }, 'Topic'), topic, topics,
      el('label', { for: 'device-period' }, 'Period'), period,
      el('button', { type: 'submit', class: 'primary' }, 'Show')),
    status, error, result);
  const plots = plotGroup(charts);
  let generation = 0;
  let stopped = false;

  period.addEventListener('change', () => { if (topic.value) show(); });

  api('GET', '/api/mqtt/topics')
    .then((list) => {
      if (stopped) return;
      const names = (list.topics || []).map((t) => String(t.topic)).filter(mayBeDevice).sort();
      topics.append(...names.map((name) => el('option', { value: name })));
    })
    .catch(() => {}); // without MQTT_URL the list is empty; a topic can still be typed

  async function show() {
    const mine = ++generation;
    const wanted = topic.value;
    if (!wanted) return;
    if (location.hash !== historyHref(wanted)) history.replaceState(null, '', historyHref(wanted));
    status.textContent = 'Loading…';
    error.textContent = '';
    try {
      const query = new URLSearchParams({ period: period.value, max_points: String(MAX_POINTS) });
      const [uPlot, answer] = await Promise.all([loadUplot(),
        api('GET', `/api/metrics/device/${encodeURIComponent(wanted)}?${query}`)]);
      if (stopped || mine !== generation) return;
      draw(uPlot, answer);
      status.textContent = `${answer.data.length} state change${answer.data.length === 1 ? '' : 's'} and ${answer.availability.length} availability change${answer.availability.length === 1 ? '' : 's'}${answer.truncated ? ' (the newest; older ones left out)' : ''}.`;
    } catch (e) {
      if (stopped || mine !== generation) return;
      result.hidden = true;
      plots.clear();
      if (e.status === 404) {
        status.textContent = 'No history recorded yet for this topic.';
      } else {
        status.textContent = '';
        error.textContent = e.message;
      }
    }
    result.dataset.topic = wanted;
  }

  function draw(uPlot, answer) {
    const device = answer.device;
    info.textContent = device
      ? [device.friendly_name, device.type, device.vendor, device.model, device.ieee_address].filter((v) => v).join(' · ')
      : '';
    const rows = (list, empty) => (list.length
      ? [...list].reverse().map((r) => el('tr', {}, el('td', { class: 'time' }, timeText(r)), el('td', {}, el('pre', {}, stateText(r.state)))))
      : [el('tr', { class: 'empty' }, el('td', { colspan: 2, class: 'muted' }, empty))]);
    clear(states).append(...rows(answer.data, 'No change in this period.'));
    clear(availability).append(...rows(answer.availability.map((a) => ({ ...a, state: a.state && a.state.state ? a.state.state : a.state })), 'No availability change in this period.'));
    const series = answer.series || [];
    const fields = [...new Set(series.flatMap((r) => Object.keys(r)).filter((k) => k !== 'timestamp'))].sort();
    if (series.length && fields.length) {
      const xs = series.map((r) => r.timestamp);
      plots.draw(uPlot, fields.map((f) => chart(f, 'number', xs, [[f, column(series, f)]])),
        [Date.parse(answer.from) / 1000, Date.parse(answer.to) / 1000]);
      charts.prepend(el('p', { class: 'muted' }, describe({ ...answer, data: series })));
    } else {
      plots.clear();
      charts.append(el('p', { class: 'muted' }, 'No numeric field in this period.'));
    }
    result.hidden = false;
  }

  if (initial) show();
  return {
    stop: () => {
      stopped = true;
      plots.stop();
    },
  };
}
