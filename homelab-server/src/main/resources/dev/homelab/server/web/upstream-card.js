// An Overview card for an upstream the server may or may not have (the automation API, the AI
// hub, ...): read at once and every `every` ms, drawn by `draw`, hidden while `off(error)` says
// the server has no such upstream (or the caller may not use it), an error shown in its own words.
// Its data-state (shown, off, failed) tells a test the first answer came.
import { el, clear } from './dom.js';

export function upstreamCard(api, { id, title, href, path, every, draw, off }) {
  const body = el('div', {}, el('p', { class: 'muted' }, 'Checking…'));
  const node = el('section', { class: 'card', id, 'aria-labelledby': `${id}-title`, hidden: true },
    el('h2', { id: `${id}-title` }, el('a', { href }, title)), body);
  let timer = null;
  let stopped = false;

  function show(state, ...content) {
    clear(body).append(...content);
    node.hidden = state === 'off';
    node.dataset.state = state;
  }

  async function load() {
    try {
      const answer = await api('GET', path);
      if (stopped) return;
      show('shown', ...draw(answer));
    } catch (e) {
      if (stopped) return;
      if (off(e)) {
        show('off');
        return; // until the server is configured and restarted
      }
      show('failed', el('p', { class: 'error' }, e.message));
    }
    timer = setTimeout(load, every);
  }

  load();
  return { node, stop: () => { stopped = true; clearTimeout(timer); } };
}
