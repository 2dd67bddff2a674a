// MQTT: the broker the server is bridged to (MQTT_URL). The newest message of every topic the
// bridge heard (GET /api/mqtt/topics), kept up to date by the live stream (GET /api/mqtt/stream,
// read with fetch() since EventSource cannot send the bearer token), which also feeds a pane of the
// latest MAX_STREAM_LINES messages that can be paused; a publish form for administrators
// (POST /api/mqtt/publish); and the Overview's card. Without MQTT_URL every route answers 404
// MQTT_NOT_CONFIGURED: the page says how to configure it and the card stays hidden.
import { el, clear } from './dom.js';
import { json } from './sse.js';
import { followStream, liveList } from './live.js';
import { upstreamCard, oneRead } from './upstream-card.js';
import { every } from './polling.js';
import { historyHref, mayBeDevice } from './device-history.js';

const NOT_CONFIGURED = 'MQTT_NOT_CONFIGURED';
/** How often the topic list is read again in full (the stream updates it between reads). */
const REFRESH_MS = 30000;
const CARD_REFRESH_MS = 60000;
/** The stream lines kept in the pane: older ones are dropped as new ones come. */
export const MAX_STREAM_LINES = 500;
/** The characters of a payload a stream line shows (a payload may be 256 KiB; the table has it all). */
const LINE_CHARS = 1000;

export function notConfiguredNote() {
  return el('div', { class: 'card note', id: 'mqtt-off' },
    el('h2', {}, 'MQTT is not configured'),
    el('p', {}, 'Set ', el('code', {}, 'MQTT_URL'), ' (the broker\'s address, such as ',
      el('code', {}, 'mqtt://mosquitto:1883'), '), and ', el('code', {}, 'MQTT_USERNAME'), ' and ',
      el('code', {}, 'MQTT_PASSWORD'), ' if the broker wants an account, then restart the server. The settings are described in ',
      el('code', {}, 'docs/configuration.md'), '.'));
}

/**
 * A message of the topic list or of the stream as one shape: the list says received_at and sends
 * a payload as text (or base64); the stream says timestamp and sends a JSON payload as JSON.
 */
function normalize(m) {
  return {
    topic: String(m.topic),
    payload: m.payload,
    encoding: m.encoding,
    qos: m.qos,
    retained: !!m.retained,
    at: m.received_at || m.timestamp || null,
  };
}

/** The payload as text to read: JSON indented (or on one line when `compact`), binary as base64 said so. */
function payloadText(m, compact) {
  if (m.encoding === 'base64') return `(binary, base64) ${m.payload}`;
  let value = m.payload;
  if (m.encoding !== 'json') {
    const text = String(value ?? '');
    const trimmed = text.trim();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
    value = json(trimmed);
    if (value === null) return text;
  }
  return compact ? JSON.stringify(value) : JSON.stringify(value, null, 2);
}

function timeOf(m) {
  const at = m.at ? new Date(m.at) : null;
  return at && !Number.isNaN(at.getTime()) ? at.toLocaleString() : '–';
}

function shortened(text) {
  return text.length <= LINE_CHARS ? text : `${text.slice(0, LINE_CHARS)}… (${text.length - LINE_CHARS} more characters)`;
}

/**
 * Whether message a is at least as new as b, or strictly newer when `strictly` (times compared as
 * instants: their texts vary in digits).
 */
function newer(a, b, strictly) {
  if (!b || !b.at) return true;
  if (!a.at) return false;
  return strictly ? Date.parse(a.at) > Date.parse(b.at) : Date.parse(a.at) >= Date.parse(b.at);
}

export function mqttPage(view, { api }) {
  const message = el('p', { class: 'error', role: 'alert', id: 'mqtt-error' });
  const state = el('p', { class: 'muted', id: 'mqtt-state', role: 'status' }, 'Loading…');
  const filter = el('input', { id: 'mqtt-filter', type: 'search', placeholder: 'part of a topic', autocomplete: 'off' });
  const count = el('span', { class: 'muted', id: 'mqtt-count' });
  const rows = el('tbody', { id: 'mqtt-rows' });
  // Fixed column widths: a long payload wraps in its column instead of squeezing the others.
  const table = el('table', { class: 'mqtt-topics' },
    el('colgroup', {}, ...['topic', 'payload', 'time', 'qos', 'retained'].map((c) => el('col', { class: c }))),
    el('thead', {}, el('tr', {}, el('th', {}, 'Topic'), el('th', {}, 'Last payload'), el('th', {}, 'Received'),
      el('th', {}, 'QoS'), el('th', {}, 'Retained'))),
    rows);
  const topicsCard = el('section', { class: 'card', 'aria-labelledby': 'mqtt-topics-title' },
    el('div', { class: 'card-head' }, el('h2', { id: 'mqtt-topics-title' }, 'Topics'), count),
    el('div', { class: 'log-controls' }, el('label', { for: 'mqtt-filter' }, 'Filter'), filter),
    table);
  const stream = streamPane();
  const publishArea = el('div', { id: 'mqtt-publish-area' });
  const content = el('div', { id: 'mqtt-content' }, state, topicsCard, stream.node, publishArea);
  view.append(el('h1', {}, 'MQTT'), message, content);

  const topics = new Map(); // topic -> the newest message heard
  const shownRows = new Map(); // topic -> its row
  let seen = 0; // counts the messages drawn, so that a list read knows which came after it was asked
  let stopped = false;
  let refresher = null;
  let generation = 0;

  filter.addEventListener('input', () => applyFilter());

  function matches(topic) {
    const wanted = filter.value.trim().toLowerCase();
    return !wanted || topic.toLowerCase().includes(wanted);
  }

  /** Shows or hides every row for the filter, and says how many show. */
  function applyFilter() {
    for (const [topic, drawn] of shownRows) drawn.hidden = !matches(topic);
    counted();
  }

  function counted() {
    let shown = 0;
    for (const drawn of shownRows.values()) if (!drawn.hidden) shown++;
    count.textContent = topics.size === shown ? `${topics.size} topics` : `${shown} of ${topics.size} topics`;
    const empty = rows.querySelector('tr.empty');
    if (empty) empty.remove();
    if (!shown) {
      rows.append(el('tr', { class: 'empty' }, el('td', { colspan: 5, class: 'muted' },
        topics.size ? 'No topic matches the filter.' : 'No message heard yet.')));
    }
  }

  function row(m) {
    return el('tr', { 'data-topic': m.topic },
      el('td', { class: 'topic mono' }, m.topic,
        mayBeDevice(m.topic) ? [' ', el('a', { class: 'topic-history small', href: historyHref(m.topic), 'aria-label': `State history of ${m.topic}` }, 'history')] : null),
      el('td', { class: 'payload' }, el('pre', {}, payloadText(m, false))),
      el('td', { class: 'time', 'data-label': 'Received' }, timeOf(m)),
      el('td', { class: 'qos', 'data-label': 'QoS' }, String(m.qos ?? '–')),
      el('td', { class: 'retained', 'data-label': 'Retained' }, m.retained ? el('span', { class: 'badge ok' }, 'retained') : el('span', { class: 'muted' }, 'no')));
  }

  /**
   * Draws one topic's newest message in its row, the rows sorted by topic like the API's list
   * (both compare UTF-16 code units). True for a new topic, which changes the count.
   */
  function put(m) {
    m.seen = ++seen;
    topics.set(m.topic, m);
    const drawn = row(m);
    drawn.hidden = !matches(m.topic);
    const old = shownRows.get(m.topic);
    shownRows.set(m.topic, drawn);
    if (old) {
      old.replaceWith(drawn);
      return false;
    }
    let next = null;
    for (const t of shownRows.keys()) if (t > m.topic && (next === null || t < next)) next = t;
    rows.insertBefore(drawn, next === null ? null : shownRows.get(next));
    return true;
  }

  function forget(topic) {
    topics.delete(topic);
    shownRows.get(topic).remove();
    shownRows.delete(topic);
  }

  function heard(m) {
    if (newer(m, topics.get(m.topic)) && put(m)) counted();
  }

  async function load() {
    const mine = ++generation;
    const asked = seen;
    try {
      const list = await api('GET', '/api/mqtt/topics');
      if (stopped || mine !== generation) return;
      message.textContent = '';
      state.className = list.connected ? 'muted' : 'error';
      state.textContent = list.connected
        ? 'The server is connected to the broker.'
        : `The server is not connected to the broker: it keeps trying, and publishes wait in its outbox (${list.outbox ?? 0} waiting).`;
      // The list is the server's cache: a topic it forgot (past its bound) is forgotten here too,
      // unless the stream brought it after the list was asked for.
      const listed = new Set();
      for (const item of list.topics || []) {
        const m = normalize(item);
        listed.add(m.topic);
        // Strictly: a row the stream drew already is not drawn again at every read.
        if (newer(m, topics.get(m.topic), true)) put(m);
      }
      for (const [topic, m] of [...topics]) {
        if (!listed.has(topic) && m.seen <= asked) forget(topic);
      }
      applyFilter();
      content.dataset.loaded = 'true';
    } catch (e) {
      if (stopped || mine !== generation) return;
      if (e.code === NOT_CONFIGURED) {
        off();
        return;
      }
      // The last rows stay; the next read tries again.
      message.textContent = `The topics cannot be read: ${e.message}`;
    }
  }

  function off() {
    stopped = true;
    if (refresher) refresher.stop();
    stream.stop();
    clear(content).append(notConfiguredNote());
  }

  api('GET', '/api/auth/me')
    .then((me) => me.role === 'admin')
    .catch(() => false)
    .then((admin) => {
      if (stopped) return;
      if (admin) publishArea.append(publishForm(api, () => stopped));
      publishArea.dataset.ready = 'true';
    });

  // The stream first, then the list: what arrives between the two is not missed. Each
  // reconnection reads the list again for what came while the stream was cut.
  // A stream that cannot connect still leaves the list read at its usual rate.
  const reading = () => { if (!stopped && !refresher) refresher = every(REFRESH_MS, load); };
  stream.start({
    onMessage: heard,
    onOpen: () => (refresher ? refresher.now() : reading()),
    onLost: reading,
    onRefused: (e) => (e.code === NOT_CONFIGURED ? off() : reading()),
  });

  return {
    stop: () => {
      stopped = true;
      if (refresher) refresher.stop();
      stream.stop();
    },
  };
}

/** The live pane: each message as one line, the newest MAX_STREAM_LINES kept; pause holds them back. */
function streamPane() {
  const status = el('p', { class: 'muted', id: 'mqtt-stream-status', role: 'status' }, 'Connecting to the stream…');
  const list = liveList({ id: 'mqtt-stream', label: 'Messages, newest last', max: MAX_STREAM_LINES, jumpId: 'mqtt-jump', jumpText: 'Newest messages ↓' });
  const pause = el('button', { type: 'button', id: 'mqtt-pause', 'aria-pressed': 'false', onclick: toggle }, 'Pause');
  const held = el('span', { class: 'muted', id: 'mqtt-held' });
  const clearButton = el('button', { type: 'button', id: 'mqtt-clear', onclick: () => list.clear() }, 'Clear');
  const node = el('section', { class: 'card log-panel', 'aria-labelledby': 'mqtt-stream-title' },
    el('h2', { id: 'mqtt-stream-title' }, 'Live messages'),
    el('div', { class: 'log-controls' }, pause, clearButton, held),
    status,
    list.node);
  let stream = null;
  let paused = false;
  let waiting = []; // lines that came while paused, at most MAX_STREAM_LINES
  let dropped = 0; // of those, how many were dropped for newer ones

  function toggle() {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    if (!paused) {
      list.add(...waiting);
      waiting = [];
      dropped = 0;
    }
    showHeld();
  }

  function showHeld() {
    const count = waiting.length + dropped;
    held.textContent = paused
      ? `Paused: ${count} new message${count === 1 ? '' : 's'} held back${dropped ? ` (the oldest ${dropped} dropped)` : ''}.`
      : '';
  }

  function line(m) {
    const at = m.at ? new Date(m.at) : null;
    return el('li', { 'data-topic': m.topic },
      el('span', { class: 'muted' }, at && !Number.isNaN(at.getTime()) ? `${at.toLocaleTimeString()} ` : ''),
      el('strong', {}, m.topic),
      m.retained ? el('span', { class: 'muted' }, ' (retained)') : null,
      ` ${shortened(payloadText(m, true))}`);
  }

  function add(m) {
    if (!paused) {
      list.add(line(m));
      return;
    }
    waiting.push(line(m));
    if (waiting.length > MAX_STREAM_LINES) {
      waiting.shift();
      dropped++;
    }
    showHeld();
  }

  /**
   * @param onMessage each message of the stream (normalized)
   * @param onOpen called at each (re)connection, once the server accepted the stream
   * @param onLost called when a connection failed or was cut (a retry follows)
   * @param onRefused called with the error when the server refuses the stream (no retry then)
   */
  function start({ onMessage, onOpen, onLost, onRefused }) {
    // An `event: close` (the server shutting down) is retried like a cut: it may be restarting.
    stream = followStream('/api/mqtt/stream', {
      open: () => {
        status.textContent = 'Live: new messages appear at the bottom.';
        node.dataset.state = 'live';
        onOpen();
      },
      event: (event) => {
        const data = event.type === 'mqtt' ? json(event.data) : null;
        if (data && typeof data.topic === 'string') {
          const m = normalize(data);
          add(m);
          onMessage(m);
        }
      },
      refused: (e) => {
        node.dataset.state = 'refused';
        status.textContent = `The stream cannot be followed: ${e.message}`;
        onRefused(e);
      },
      lost: (seconds) => {
        node.dataset.state = 'lost';
        status.textContent = `The stream was cut off: reconnecting in ${seconds} s…`;
        onLost();
      },
    });
  }

  return { node, start, stop: () => { if (stream) stream.stop(); } };
}

/** Administrators only: a message to publish; the answer, or the refusal in the server's words. */
function publishForm(api, isStopped) {
  const topic = el('input', { id: 'mqtt-topic', required: true, autocomplete: 'off', placeholder: 'zigbee2mqtt/lamp/set' });
  const payload = el('textarea', { id: 'mqtt-payload', rows: 4, placeholder: '{"state": "ON"}' });
  const qos = el('select', { id: 'mqtt-qos' },
    el('option', { value: '0' }, '0: at most once'),
    el('option', { value: '1' }, '1: at least once'),
    el('option', { value: '2' }, '2: exactly once'));
  const retain = el('input', { id: 'mqtt-retain', type: 'checkbox' });
  const error = el('p', { class: 'error', role: 'alert', id: 'mqtt-publish-error' });
  const result = el('p', { class: 'result', role: 'status', id: 'mqtt-publish-result' });
  const send = el('button', { type: 'submit', class: 'primary' }, 'Publish');
  const fields = { topic, payload, qos, retain };

  async function submit(event) {
    event.preventDefault();
    error.textContent = '';
    result.textContent = '';
    Object.values(fields).forEach((f) => f.removeAttribute('aria-invalid'));
    send.disabled = true;
    try {
      const answer = await api('POST', '/api/mqtt/publish', {
        topic: topic.value,
        payload: payload.value,
        qos: Number(qos.value),
        retain: retain.checked,
      });
      if (isStopped()) return;
      result.textContent = answer.queued
        ? `Queued for ${answer.topic}: the broker is not connected, it is sent once the server reconnects.`
        : `Published to ${answer.topic} (${answer.bytes} bytes, QoS ${answer.qos}${answer.retain ? ', retained' : ''}).`;
    } catch (e) {
      if (isStopped()) return;
      error.textContent = `Not published: ${e.message}`;
      const field = fields[e.field];
      if (field) {
        field.setAttribute('aria-invalid', 'true');
        field.focus();
      }
    } finally {
      send.disabled = false;
    }
  }

  return el('section', { class: 'card', 'aria-labelledby': 'mqtt-publish-title' },
    el('h2', { id: 'mqtt-publish-title' }, 'Publish'),
    el('form', { id: 'mqtt-publish', class: 'mqtt-publish', onsubmit: submit },
      el('label', { for: 'mqtt-topic' }, 'Topic'), topic,
      el('label', { for: 'mqtt-payload' }, 'Payload'), payload,
      el('div', { class: 'mqtt-options' },
        el('label', { for: 'mqtt-qos' }, 'QoS'), qos,
        el('label', { class: 'check' }, retain, ' Retain (the broker keeps it as the topic\'s state)')),
      el('div', { class: 'ai-buttons' }, send)),
    error, result);
}

/** The Overview's card: connected or not, how many topics, the newest message; hidden when not configured. */
export function mqttCard(api) {
  return upstreamCard({
    id: 'mqtt-card',
    title: 'MQTT',
    href: '#/mqtt',
    refreshMs: CARD_REFRESH_MS,
    summary: oneRead(api, '/api/mqtt/topics', (e) => e.code === NOT_CONFIGURED, (list) => {
      const all = (list.topics || []).map(normalize);
      const last = all.reduce((a, b) => (newer(b, a) ? b : a), null);
      return [
        el('p', { class: `figure ${list.connected ? 'ok' : 'bad'}`, id: 'mqtt-connected' },
          list.connected ? 'Connected' : 'Not connected'),
        el('p', {}, `${all.length} topic${all.length === 1 ? '' : 's'}`,
          list.outbox ? `, ${list.outbox} waiting to be sent` : ''),
        last ? el('p', { class: 'muted small' }, `Newest: ${last.topic}, ${timeOf(last)}`) : null,
      ];
    }),
  });
}
