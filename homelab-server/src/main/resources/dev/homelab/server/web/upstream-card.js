// An Overview card for an upstream the server may or may not have (Proxmox, cameras, the
// automation API, the AI hub, the MQTT broker): hidden until its first answer, refreshed at a modest rate while the
// tab is visible (polling.js), hidden for good once `summary` answers null (the upstream is not
// configured, or this user may not use it: it stays so until the server is reconfigured and
// restarted), a failure shown in the server's own words. Its data-state (shown, off, failed) tells
// a test that the first answer came. stop() ends the refreshing when the Overview is left.
import { el, clear } from './dom.js';
import { every } from './polling.js';

/**
 * @param id the card's element id
 * @param title its heading, a link to href
 * @param refreshMs how long after one refresh the next starts
 * @param summary async () => the nodes to show, or null when the upstream is not there
 * @returns {node, stop}
 */
export function upstreamCard({ id, title, href, refreshMs, summary }) {
  const body = el('div', {}, el('p', { class: 'muted' }, 'Checking…'));
  const node = el('section', { class: 'card', id, 'aria-labelledby': `${id}-title`, hidden: true },
    el('h2', { id: `${id}-title` }, el('a', { href }, title)), body);

  function show(state, ...content) {
    clear(body).append(...content);
    node.hidden = state === 'off';
    node.dataset.state = state;
  }

  const refresher = every(refreshMs, async () => {
    let nodes;
    try {
      nodes = await summary();
    } catch (e) {
      show('failed', el('p', { class: 'error' }, e.message));
      return;
    }
    if (nodes === null) {
      show('off');
      refresher.stop();
    } else {
      show('shown', ...nodes);
    }
  });
  return { node, stop: () => refresher.stop() };
}

/**
 * A card's summary made of one GET: null when `off(error)` says the upstream is not there.
 *
 * @param draw answer => the nodes to show
 */
export function oneRead(api, path, off, draw) {
  return async () => {
    let answer;
    try {
      answer = await api('GET', path);
    } catch (e) {
      if (off(e)) return null;
      throw e;
    }
    return draw(answer);
  };
}
