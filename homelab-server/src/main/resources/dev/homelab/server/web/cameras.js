// Cameras: a grid of Frigate's cameras with their snapshots, refreshed every 10 s while the tab
// is visible, and the recent detection events with their snapshots, filtered by camera and label.
// Pictures are fetched with the session token (pictures.js). Also the overview's cameras card.
import { el, clear } from './dom.js';
import { every } from './polling.js';
import { picture } from './pictures.js';
import { upstreamCard } from './upstream-card.js';

// The Overview's card asks at a modest rate: a summary, not a live view.
const CARD_REFRESH_MS = 30000;

const SNAPSHOT_MS = 10000;
const EVENTS_MS = 30000;
const EVENT_LIMIT = 24;
/** Height of the grid's snapshots: enough for a card, a fraction of a camera's full picture. */
const SNAPSHOT_HEIGHT = 360;
const NOT_CONFIGURED = 'FRIGATE_NOT_CONFIGURED';

/** How to turn Frigate on, for a server that has none configured. */
function notConfigured() {
  return el('section', { class: 'card', id: 'cameras-not-configured' },
    el('h2', {}, 'Frigate is not configured'),
    el('p', {}, 'Set ', el('code', {}, 'FRIGATE_URL'), ' to your Frigate NVR (such as http://10.0.10.3:5000; ',
      el('code', {}, 'FRIGATE_USER'), ' and ', el('code', {}, 'FRIGATE_PASSWORD'),
      ' for its authenticated port), then restart the server. The configuration guide (docs/configuration.md) describes every key.'));
}

function cameraTitle(c) {
  return c.friendly_name || c.name.replace(/_/g, ' ');
}

function eventTime(seconds) {
  return new Date(seconds * 1000).toLocaleString();
}

export function camerasPage(view, { api }) {
  const message = el('p', { class: 'error', role: 'alert' });
  const grid = el('div', { id: 'camera-grid', class: 'camera-grid' }, el('p', { class: 'muted' }, 'Loading…'));
  const cameraFilter = el('select', { id: 'event-camera', name: 'camera' }, el('option', { value: '' }, 'all cameras'));
  const labelFilter = el('select', { id: 'event-label', name: 'label' }, el('option', { value: '' }, 'all labels'));
  const events = el('ul', { id: 'camera-events', class: 'camera-events' });
  const eventsSection = el('section', { 'aria-labelledby': 'events-title', hidden: true },
    el('h2', { id: 'events-title' }, 'Recent events'),
    el('form', { class: 'inline', id: 'event-filters', onsubmit: (e) => { e.preventDefault(); eventRefresher.now(); } },
      el('label', { for: 'event-camera' }, 'Camera'), cameraFilter,
      el('label', { for: 'event-label' }, 'Label'), labelFilter,
      el('button', { type: 'submit' }, 'Filter')),
    events);
  view.append(el('h1', {}, 'Cameras'), message, grid, eventsSection);

  let stopped = false;
  let snapshotRefresher = null;
  let eventRefresher = null;
  const tiles = new Map(); // camera name -> { picture, status }
  let eventPictures = new Map(); // event id -> picture, kept while the event is shown

  // The cameras, asked until Frigate answers (it may be down when the page opens); then the
  // snapshots and events refresh on their own.
  async function start() {
    let cameras;
    try {
      cameras = (await api('GET', '/api/frigate/cameras')).cameras;
    } catch (e) {
      if (stopped) return;
      clear(grid);
      if (e.code === NOT_CONFIGURED) {
        grid.append(notConfigured());
        starter.stop();
      } else {
        message.textContent = e.message;
      }
      return;
    }
    starter.stop();
    if (stopped) return;
    message.textContent = '';
    clear(grid);
    if (cameras.length === 0) grid.append(el('p', { class: 'muted' }, 'Frigate has no cameras.'));
    for (const c of cameras) grid.append(tile(c));
    cameraFilter.append(...cameras.map((c) => el('option', { value: c.name }, cameraTitle(c))));
    addLabels(cameras.flatMap((c) => c.tracked_objects));
    eventsSection.hidden = false;
    snapshotRefresher = every(SNAPSHOT_MS, refreshSnapshots);
    eventRefresher = every(EVENTS_MS, refreshEvents);
  }

  // The labels to filter by: what the cameras track, and any other label an event was seen with
  // (Frigate keeps the events of a label no longer tracked).
  const labels = new Set();
  function addLabels(more) {
    const before = labels.size;
    more.forEach((l) => labels.add(l));
    if (labels.size === before) return;
    const chosen = labelFilter.value;
    clear(labelFilter).append(el('option', { value: '' }, 'all labels'),
      ...[...labels].sort().map((l) => el('option', { value: l }, l)));
    labelFilter.value = chosen;
  }

  function tile(c) {
    const img = el('img', { alt: `Snapshot of ${cameraTitle(c)}`, width: c.width, height: c.height, hidden: !c.enabled });
    const status = el('span', { class: 'muted updated' }, c.enabled ? 'Loading…' : 'disabled');
    tiles.set(c.name, { picture: picture(img), status, enabled: c.enabled });
    return el('figure', { class: 'card camera', 'data-camera': c.name },
      img,
      el('figcaption', {}, el('strong', {}, cameraTitle(c)), ' ', status));
  }

  async function refreshSnapshots() {
    await Promise.all([...tiles.entries()].filter(([, t]) => t.enabled).map(async ([name, t]) => {
      try {
        await t.picture.load(`/api/frigate/camera/${encodeURIComponent(name)}/snapshot?h=${SNAPSHOT_HEIGHT}`);
        t.status.className = 'muted updated';
        t.status.textContent = `at ${new Date().toLocaleTimeString()}`;
      } catch (e) {
        if (stopped) return;
        t.status.className = 'error updated';
        t.status.textContent = e.message;
      }
    }));
  }

  async function refreshEvents() {
    const params = new URLSearchParams({ limit: String(EVENT_LIMIT) });
    if (cameraFilter.value) params.set('camera', cameraFilter.value);
    if (labelFilter.value) params.set('label', labelFilter.value);
    let list;
    try {
      list = (await api('GET', `/api/frigate/events?${params}`)).events;
    } catch (e) {
      if (!stopped) message.textContent = e.message;
      return;
    }
    if (stopped) return;
    message.textContent = '';
    addLabels(list.map((e) => e.label));
    // An event's snapshot is fetched once while it stays in the list; those that left are freed.
    const kept = new Map();
    const items = list.map((e) => {
      let shown = eventPictures.get(e.id);
      const img = shown ? shown.img : el('img', { alt: `${e.label} on ${e.camera}`, loading: 'lazy' });
      if (!shown && e.has_snapshot) {
        shown = { img, picture: picture(img) };
        shown.picture.load(`/api/frigate/events/${encodeURIComponent(e.id)}/snapshot`)
          .catch((failure) => { img.alt = `No snapshot: ${failure.message}`; });
      }
      if (shown) kept.set(e.id, shown);
      return el('li', { class: 'event', 'data-id': e.id, 'data-camera': e.camera, 'data-label': e.label },
        e.has_snapshot ? img : el('span', { class: 'no-snapshot muted' }, 'no snapshot'),
        el('div', {},
          el('strong', {}, e.sub_label ? `${e.label} (${e.sub_label})` : e.label), ' on ', el('span', { class: 'camera-name' }, e.camera),
          el('span', { class: 'muted' }, ` ${Math.round(e.score * 100)} %`),
          el('br'),
          el('span', { class: 'muted' }, eventTime(e.start_time), e.end_time === null ? ', in progress' : '',
            e.zones.length ? `, in ${e.zones.join(', ')}` : '')));
    });
    for (const [id, shown] of eventPictures) if (!kept.has(id)) shown.picture.release();
    eventPictures = kept;
    clear(events).append(...items);
    if (items.length === 0) events.append(el('li', { class: 'muted' }, 'No events match.'));
  }

  const starter = every(SNAPSHOT_MS, start);
  return {
    stop: () => {
      stopped = true;
      starter.stop();
      if (snapshotRefresher) snapshotRefresher.stop();
      if (eventRefresher) eventRefresher.stop();
      for (const t of tiles.values()) t.picture.release();
      for (const shown of eventPictures.values()) shown.picture.release();
    },
  };
}

/** The overview's card: how many cameras, and the latest event; none when Frigate is off. */
export function camerasCard(api) {
  return upstreamCard({
    id: 'cameras-card',
    title: 'Cameras',
    href: '#/cameras',
    refreshMs: CARD_REFRESH_MS,
    summary: async () => {
      let cameras;
      let latest;
      try {
        [cameras, latest] = await Promise.all([
          api('GET', '/api/frigate/cameras'),
          api('GET', '/api/frigate/events?limit=1'),
        ]);
      } catch (e) {
        if (e.code === NOT_CONFIGURED) return null;
        throw e;
      }
      const count = cameras.cameras.length;
      const e = latest.events[0];
      return [
        el('span', { class: 'figure' }, String(count)), ` camera${count === 1 ? '' : 's'}`,
        el('br'),
        e ? `Latest event: ${e.label} on ${e.camera}, ${eventTime(e.start_time)}` : 'No events yet.',
      ];
    },
  });
}
