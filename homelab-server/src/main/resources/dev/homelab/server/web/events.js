// The event stream (/api/events) read with fetch, which can send the bearer token and
// Last-Event-ID as headers (EventSource can do neither without putting the token in the URL).
// It reconnects after a loss and resumes after the last event seen, so nothing is missed while
// the server replays; the status callback drives the "connection lost" banner.
import { session } from './api.js';
import { readEvents } from './sse.js';

export class EventStream {
  constructor(topics, onEvent, onStatus) {
    this.topics = topics;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.lastId = null;
    this.delay = 1000;
    this.stopped = false;
    this.controller = null;
    this.connected = false;
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
    clearTimeout(this.timer);
  }

  async connect() {
    if (this.stopped) return;
    this.controller = new AbortController();
    const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${session.token()}` };
    if (this.lastId) headers['Last-Event-ID'] = this.lastId;
    try {
      const response = await fetch(`/api/events?topics=${encodeURIComponent(this.topics.join(','))}`, {
        headers,
        cache: 'no-store',
        signal: this.controller.signal,
      });
      if (response.status === 401) {
        this.stopped = true;
        this.status(false, 'Your session has ended.');
        return;
      }
      if (!response.ok) throw new Error(`status ${response.status}`);
      this.delay = 1000;
      this.status(true);
      await this.read(response.body.getReader());
    } catch (e) {
      // lost, refused or aborted: said below, unless stopped on purpose
    }
    if (!this.stopped) {
      this.status(false);
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 10000);
    }
  }

  status(connected, message) {
    if (connected !== this.connected || message) {
      this.connected = connected;
      this.onStatus(connected, message);
    }
  }

  async read(reader) {
    await readEvents(reader, (event) => {
      if (event.id !== null) this.lastId = event.id;
      if (!event.hasData) return;
      try {
        this.onEvent(event.type, JSON.parse(event.data));
      } catch (e) {
        // not JSON: not one of ours
      }
    });
  }
}

// A stream whose losses and recoveries show in the page's banner: never silently stale figures.
// onStatus, if given, also hears each change (connected or not), for a page to mark itself live.
export function liveStream(topics, onEvent, showBanner, onStatus) {
  let lost = false;
  let clearTimer = null;
  return new EventStream(topics, onEvent, (connected, message) => {
    if (onStatus) onStatus(connected);
    clearTimeout(clearTimer);
    if (connected) {
      if (lost) {
        showBanner('Connection restored: the figures are live again.', 'ok');
        clearTimer = setTimeout(() => showBanner(null), 4000);
      }
      lost = false;
    } else {
      lost = true;
      showBanner(message || 'Connection to the server lost: what you see is not live. Reconnecting…', 'warn');
    }
  }).start();
}
