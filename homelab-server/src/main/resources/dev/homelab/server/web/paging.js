// A filtered, cursor-paged list: a filter form, a table body, and a "More" button that asks for
// the page after the last one shown. Used by the access log, the card policies, the audit log and
// the files.
import { el, clear } from './dom.js';

export function pagedList({ api, path, key, filters = [], columns, row, empty, onError }) {
  const inputs = filters.map((f) =>
    f.options
      ? el('select', { id: f.id, name: f.name }, f.options.map(([value, label]) => el('option', { value }, label)))
      : el('input', { id: f.id, name: f.name, type: f.type || 'text', placeholder: f.placeholder || '' }));
  const body = el('tbody', {});
  const more = el('button', { type: 'button', hidden: true }, 'More');
  let cursor = null;
  let applied = new URLSearchParams();

  function query() {
    const params = new URLSearchParams();
    filters.forEach((f, i) => {
      const value = inputs[i].value.trim();
      if (value) params.set(f.name, f.type === 'datetime-local' ? new Date(value).toISOString() : value);
    });
    if (!cursor) applied = new URLSearchParams(params);
    if (cursor) params.set('cursor', cursor);
    return `${path}?${params}`;
  }

  async function load(reset) {
    if (reset) {
      cursor = null;
      clear(body);
    }
    try {
      const page = await api('GET', query());
      body.append(...page[key].map(row));
      if (body.children.length === 0) body.append(el('tr', { class: 'empty' }, el('td', { colspan: columns.length, class: 'muted' }, empty)));
      cursor = page.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      onError(e.message);
    }
  }

  more.addEventListener('click', () => load(false));
  const form = filters.length
    ? el('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); load(true); } },
      filters.map((f, i) => [el('label', { for: f.id }, f.label), inputs[i]]),
      el('button', { type: 'submit' }, 'Filter'))
    : null;
  const node = el('div', {}, form,
    el('table', {}, el('thead', {}, el('tr', {}, columns.map((c) => el('th', {}, c)))), body), more);
  load(true);
  // body and applied() let a page change its rows in place (a live event) without reading again.
  return { node, body, reload: () => load(true), applied: () => applied };
}
