// A card of the overview for an upstream (Proxmox, cameras): hidden until its first answer, gone
// for good when that says the upstream is not configured, refreshed at a modest rate while it is
// on the page, and stopped by itself once the page is left, so that the overview needs to know
// nothing of its timer.
import { el, clear } from './dom.js';
import { every } from './polling.js';

const REFRESH_MS = 30000;

/**
 * @param grid where the card goes
 * @param id the card's element id
 * @param title its heading, a link to href
 * @param summary async () => the nodes to show, or null when the upstream is not configured
 */
export function upstreamCard(grid, { id, title, href, summary }) {
  const body = el('p', {}, 'Loading…');
  const card = el('section', { class: 'card', id, 'aria-labelledby': `${id}-title`, hidden: true },
    el('h2', { id: `${id}-title` }, el('a', { href }, title)), body);
  grid.append(card);
  const refresher = every(REFRESH_MS, async () => {
    if (!card.isConnected) {
      refresher.stop();
      return;
    }
    let nodes;
    try {
      nodes = await summary();
      body.className = '';
    } catch (e) {
      nodes = [e.message]; // configured but failing: said in the server's words
      body.className = 'error';
    }
    if (nodes === null) {
      card.remove();
      refresher.stop();
      return;
    }
    clear(body).append(...nodes);
    card.hidden = false;
  });
}
