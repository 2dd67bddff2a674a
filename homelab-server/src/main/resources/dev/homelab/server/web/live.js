// The live panes of the dashboard (an automation's log, the MQTT messages): a stream followed
// with fetch() (EventSource cannot send the bearer token) and reopened after a cut, and a list
// that keeps the newest lines and follows the newest one unless the reader scrolled up.
import { el, clear } from './dom.js';
import { openStream } from './api.js';
import { readEvents, json } from './sse.js';

/**
 * Follows a GET stream of Server-Sent Events until stop(). A cut connection is reopened after
 * 1 s, the wait doubling up to 10 s and starting again at 1 s once a connection opens.
 *
 * @param path the stream's path
 * @param on the callbacks: `open()` at each connection the server accepted; `event(event)` for each
 *     event but `close`; `refused(error)` when the server refuses the stream (an ApiError with its
 *     words; not retried); `lost(seconds)` when a connection is cut, before the retry that many
 *     seconds later; `closed(reason)`, if given, when the server ends the stream with `event: close`
 *     (not retried then; without it such an end is retried like a cut)
 * @returns {stop}
 */
export function followStream(path, on) {
  let controller = null;
  let retry = null;
  let delay = 1000;

  async function connect() {
    const mine = new AbortController();
    controller = mine;
    let closed = null;
    try {
      const response = await openStream('GET', path, undefined, mine.signal);
      delay = 1000;
      on.open();
      await readEvents(response.body.getReader(), (event) => {
        if (event.type === 'close') closed = (json(event.data) || {}).reason || 'the server ended the stream';
        else on.event(event);
      });
    } catch (e) {
      if (mine.signal.aborted) return; // stopped
      if (e.status) {
        on.refused(e);
        return;
      }
    }
    if (mine.signal.aborted) return;
    if (closed && on.closed) {
      on.closed(closed);
      return;
    }
    on.lost(delay / 1000);
    retry = setTimeout(() => { if (controller === mine) connect(); }, delay);
    delay = Math.min(delay * 2, 10000);
  }

  connect();
  return {
    stop() {
      clearTimeout(retry);
      if (controller) controller.abort();
      controller = null;
    },
  };
}

/**
 * A list of lines, newest last, that keeps at most `max` of them and follows the newest one unless
 * the reader scrolled up; then a button takes them back to it.
 *
 * @param id the list's element id
 * @param label the list's accessible name
 * @param max how many lines it keeps
 * @param jumpId the button's element id
 * @param jumpText the button's text
 * @returns {node (the list and its button), lines (the list), add(...items), clear()}
 */
export function liveList({ id, label, max, jumpId, jumpText }) {
  const lines = el('ol', { class: 'log-lines', id, tabindex: 0, 'aria-label': label });
  const jump = el('button', { type: 'button', id: jumpId, class: 'log-jump', hidden: true, onclick: toBottom }, jumpText);
  lines.addEventListener('scroll', () => { if (atBottom()) jump.hidden = true; });

  function atBottom() {
    return lines.scrollHeight - lines.scrollTop - lines.clientHeight < 24;
  }

  function toBottom() {
    lines.scrollTop = lines.scrollHeight;
    jump.hidden = true;
  }

  return {
    node: el('div', { class: 'log-box' }, lines, jump),
    lines,
    add(...items) {
      const following = atBottom();
      lines.append(...items);
      while (lines.childElementCount > max) lines.firstElementChild.remove();
      if (following) lines.scrollTop = lines.scrollHeight;
      else jump.hidden = false;
    },
    clear() {
      clear(lines);
      jump.hidden = true;
    },
  };
}
