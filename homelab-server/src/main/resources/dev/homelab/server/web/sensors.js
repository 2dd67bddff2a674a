// Sensors: the caller's sensor devices (device_type containing "sensor", any other device that has
// sent readings, or any device whose reading arrives while the page is open), each with its latest
// reading and a history chart of the fields it sends (GET /api/sensors/readings, from the metric tiers). New readings come live as
// sensor.reading events (/api/events) and are added to the card and its chart at once: the tiers
// receive them a second or two later, so the chart does not wait for the next read.
import { el, clear } from './dom.js';
import { liveStream } from './events.js';
import { loadUplot, chart, column, describe, plotGroup } from './charts.js';

const PERIODS = [['1h', '1 hour'], ['6h', '6 hours'], ['24h', '24 hours'], ['7d', '7 days'], ['30d', '30 days']];
/** A latest reading older than this is marked stale: a sensor usually reports every minute or so. */
export const STALE_MS = 5 * 60 * 1000;
/** Devices of another type are shown if they have sent readings: at most this many are asked about. */
const MAX_PROBED = 100;
const PROBES_AT_ONCE = 4;
/** Keys of a reading that are not fields. */
const NOT_FIELDS = new Set(['device_id', 'timestamp', 'ts', 'message_id']);

function fieldsOf(reading) {
  return Object.keys(reading).filter((k) => !NOT_FIELDS.has(k) && typeof reading[k] === 'number').sort();
}

function number(value) {
  return Math.abs(value) >= 100 ? value.toFixed(1) : String(Math.round(value * 100) / 100);
}

/** How a device sends readings, for the empty state. */
function howToSend() {
  return el('div', { class: 'card note', id: 'sensors-empty' },
    el('h2', {}, 'No sensors yet'),
    el('p', {}, 'Create a device of type ', el('code', {}, 'sensor'), ' on the Devices page and give it a token. It then sends its readings either:'),
    el('ul', {},
      el('li', {}, 'over HTTP: ', el('code', {}, 'POST /api/sensors/ingest'), ' with ', el('code', {}, 'Authorization: Bearer hld_…'),
        ' (the device token) and a body such as ', el('code', {}, '{"device_id":"…","temperature":21.5,"humidity":45}'), ';'),
      el('li', {}, 'or over MQTT through the device gateway (port ', el('code', {}, '1884'), ', ', el('code', {}, 'MQTT_GATEWAY_PORT'),
        '): log in with the device id and its token, and publish the same JSON to ', el('code', {}, 'homelab/sensors/{device_id}'), '.')),
    el('p', {}, 'See ', el('code', {}, 'docs/sensors.md'), '.'));
}

/**
 * Calls found(device) for each of the devices that has ever sent a reading (its history names a
 * field), asking at most PROBES_AT_ONCE at a time.
 */
async function withReadings(api, devices, found) {
  const queue = [...devices];
  async function worker() {
    while (queue.length) {
      const d = queue.shift();
      try {
        const query = new URLSearchParams({ device_id: d.id, period: '1h', max_points: '3' });
        const answer = await api('GET', `/api/sensors/readings?${query}`);
        if ((answer.fields || []).length) found(d);
      } catch (e) {
        // not readable: not shown, as before
      }
    }
  }
  await Promise.all(Array.from({ length: PROBES_AT_ONCE }, worker));
}

export function sensorsPage(view, { api, showBanner }) {
  const message = el('p', { class: 'error', role: 'alert', id: 'sensors-error' });
  const list = el('div', { id: 'sensors-list', class: 'sensors' });
  view.append(el('h1', {}, 'Sensors'), message, list);
  const cards = new Map(); // device id -> card
  let stopped = false;

  function emptyState() {
    const empty = list.querySelector('#sensors-empty');
    if (cards.size === 0 && !empty) list.append(howToSend());
    if (cards.size > 0 && empty) empty.remove();
  }

  function add(device) {
    if (cards.has(device.id)) return cards.get(device.id);
    const card = sensorCard(api, device, () => stopped);
    cards.set(device.id, card);
    list.append(card.node);
    emptyState();
    return card;
  }

  async function load() {
    try {
      const page = await api('GET', '/api/devices?limit=500');
      if (stopped) return;
      const others = [];
      for (const d of page.devices) {
        if (/sensor/i.test(d.device_type || '')) add(d);
        else others.push(d);
      }
      await withReadings(api, others.slice(0, MAX_PROBED), (d) => { if (!stopped) add(d); });
      if (stopped) return;
      emptyState();
      list.dataset.loaded = 'true';
    } catch (e) {
      if (!stopped) message.textContent = `The devices cannot be read: ${e.message}`;
    }
  }

  const stream = liveStream(['sensor.reading'], (type, event) => {
    const reading = event.payload;
    if (type !== 'sensor.reading' || !reading || typeof reading.device_id !== 'string') return;
    const card = cards.get(reading.device_id) || add({ id: reading.device_id, name: reading.device_id, device_type: '' });
    card.heard(reading);
  }, showBanner, (connected) => { list.dataset.live = String(connected); });
  load();

  return {
    stop: () => {
      stopped = true;
      stream.stop();
      for (const card of cards.values()) card.stop();
    },
  };
}

/** One device: its latest reading, and its chart with the fields and period chosen. */
function sensorCard(api, device, isStopped) {
  const key = device.id;
  const latest = el('dl', { class: 'sensor-latest', 'data-latest': key });
  const when = el('p', { class: 'muted sensor-time' }, 'No reading in the last 30 days.');
  const periodId = `sensor-period-${key}`;
  const period = el('select', { id: periodId, class: 'history-period' },
    ...PERIODS.map(([value, label]) => el('option', { value }, `Last ${label}`)));
  const fieldBoxes = el('fieldset', { class: 'sensor-fields' }, el('legend', {}, 'Fields'));
  const status = el('p', { class: 'muted history-status', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const error = el('p', { class: 'error', role: 'alert' });
  const charts = el('div', { class: 'charts' });
  const node = el('section', { class: 'card sensor', 'data-device': key, 'aria-label': `Sensor ${device.name}` },
    el('div', { class: 'card-head' }, el('h2', {}, device.name), el('span', { class: 'muted mono small' }, key)),
    latest, when,
    el('div', { class: 'history-panel-head' }, el('label', { for: periodId }, 'Period'), period),
    fieldBoxes, status, error, charts);
  const plots = plotGroup(charts);
  const chosen = new Set(); // fields unticked are left out; a new field is shown
  const known = new Set();
  let answer = null; // the last history read, with the live readings added since
  const liveRows = []; // readings heard here: the tiers get them a second or two later
  let last = null; // the newest reading known
  let generation = 0;
  let staleTimer = null;

  function showLatest(reading) {
    last = reading;
    const fields = fieldsOf(reading);
    clear(latest).append(...fields.flatMap((f) => [el('dt', {}, f), el('dd', { 'data-field': f }, number(reading[f]))]));
    markStale();
    for (const f of fields) knowField(f);
  }

  function markStale() {
    clearTimeout(staleTimer);
    if (!last) return;
    const at = Date.parse(last.timestamp);
    const stale = Date.now() - at > STALE_MS;
    clear(when).append(`Latest: ${new Date(at).toLocaleString()}`,
      stale ? el('span', { class: 'badge warn sensor-stale' }, 'stale') : '');
    node.dataset.stale = String(stale);
    // Said stale once it is: a timer, not a test of it.
    if (!stale) staleTimer = setTimeout(markStale, Math.max(1000, STALE_MS - (Date.now() - at) + 1000));
  }

  function knowField(field) {
    if (known.has(field)) return;
    known.add(field);
    chosen.add(field);
    const id = `sensor-field-${key}-${field}`;
    const box = el('input', { type: 'checkbox', id, checked: true, 'data-field': field });
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(field);
      else chosen.delete(field);
      draw();
    });
    fieldBoxes.append(el('label', { class: 'check', for: id }, box, ` ${field}`));
  }

  async function draw() {
    if (!answer) return;
    const fields = [...known].filter((f) => chosen.has(f)).sort();
    if (answer.data.length === 0 || fields.length === 0) {
      plots.clear();
      status.textContent = answer.data.length === 0
        ? `No readings in the last ${PERIODS.find(([v]) => v === answer.period)?.[1] || 'period'}.`
        : 'No field chosen.';
      return;
    }
    const uPlot = await loadUplot();
    if (isStopped()) return;
    status.textContent = describe(answer);
    const xs = answer.data.map((r) => r.timestamp);
    // One chart per field: their units and scales differ (°C, %, hPa).
    plots.draw(uPlot, fields.map((f) => chart(f, 'number', xs, [[f, column(answer.data, f)]])),
      [Date.parse(answer.from) / 1000, Math.max(Date.parse(answer.to) / 1000, xs[xs.length - 1] || 0)]);
    charts.dataset.points = String(answer.data.length);
  }

  async function load() {
    const mine = ++generation;
    const width = Math.max(240, charts.clientWidth || 600);
    const query = new URLSearchParams({ device_id: key, period: period.value, max_points: String(Math.min(2000, Math.round(width))) });
    try {
      const read = await api('GET', `/api/sensors/readings?${query}`);
      if (isStopped() || mine !== generation) return;
      error.textContent = '';
      read.period = period.value;
      // Live readings newer than what the tiers answered stay in the chart.
      const newest = read.data.length ? read.data[read.data.length - 1].timestamp : -Infinity;
      read.data = read.data.concat(liveRows.filter((r) => r.timestamp > newest));
      answer = read;
      for (const f of read.fields || []) knowField(f);
      if (!last && read.data.length) {
        const row = read.data[read.data.length - 1];
        showLatest({ ...row, timestamp: new Date(row.timestamp * 1000).toISOString() });
      }
      await draw();
      node.dataset.loaded = 'true';
    } catch (e) {
      if (isStopped() || mine !== generation) return;
      status.textContent = '';
      error.textContent = e.message;
    }
  }

  period.addEventListener('change', () => {
    status.textContent = 'Loading…';
    load();
  });
  load();

  return {
    node,
    /** A reading of this device from the event stream. */
    heard(reading) {
      const at = Date.parse(reading.timestamp);
      if (!last || at >= Date.parse(last.timestamp)) showLatest(reading);
      const row = { timestamp: at / 1000 };
      for (const f of fieldsOf(reading)) row[f] = reading[f];
      liveRows.push(row);
      if (liveRows.length > 1000) liveRows.shift();
      if (answer) {
        answer.data.push(row);
        answer.data.sort((a, b) => a.timestamp - b.timestamp);
        draw();
      }
    },
    stop() {
      clearTimeout(staleTimer);
      plots.stop();
    },
  };
}
