// Access: live decisions and lockouts, the access log (filters, paging), card policies (add,
// schedule windows, disable, delete) and reader groups.
import { el, clear } from './dom.js';
import { liveStream } from './events.js';
import { addDecision } from './overview.js';
import { pagedList } from './paging.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function accessPage(view, { api, showBanner }) {
  const message = el('p', { class: 'error', role: 'alert' });
  const fail = (text) => { message.textContent = text; };
  const live = el('ol', { class: 'decisions', id: 'live-decisions' });
  const lockouts = el('ul', { class: 'plain', id: 'lockouts' });

  const log = pagedList({
    api, path: '/api/access/logs', key: 'logs', onError: fail, empty: 'No decisions recorded.',
    filters: [
      { id: 'log-device', name: 'device_id', label: 'Reader' },
      { id: 'log-card', name: 'card_uid', label: 'Card' },
      { id: 'log-granted', name: 'granted', label: 'Outcome', options: [['', 'any'], ['true', 'granted'], ['false', 'denied']] },
      { id: 'log-from', name: 'from', label: 'From', type: 'datetime-local' },
      { id: 'log-to', name: 'to', label: 'To', type: 'datetime-local' },
    ],
    columns: ['Time', 'Reader', 'Card', 'Holder', 'Outcome'],
    row: (e) => el('tr', {}, el('td', {}, new Date(e.timestamp).toLocaleString()), el('td', {}, e.device_id),
      el('td', {}, e.card_uid), el('td', {}, e.holder || ''), el('td', { class: e.granted ? 'ok' : 'bad' }, `${e.granted ? 'granted' : 'denied'} (${e.reason})`)),
  });

  const cards = pagedList({
    api, path: '/api/policies/cards', key: 'cards', onError: fail, empty: 'No card policies yet.',
    columns: ['Card', 'Holder', 'Readers', 'Schedule', 'State', 'Actions'],
    row: cardRow,
  });

  function cardRow(c) {
    const schedule = c.schedule
      ? c.schedule.windows.map((w) => `${w.days.join(',')} ${w.start}-${w.end}`).join('; ') + ` (${c.schedule.time_zone})`
      : 'always';
    return el('tr', { 'data-uid': c.uid },
      el('td', {}, c.uid), el('td', { class: 'holder' }, c.holder || ''),
      el('td', {}, [...c.readers, ...c.reader_groups.map((g) => `group ${g}`)].join(', ')),
      el('td', {}, schedule), el('td', {}, c.enabled ? 'enabled' : 'disabled'),
      el('td', { class: 'actions' },
        el('button', { type: 'button', onclick: () => edit(c), 'aria-label': `Edit card ${c.uid}` }, 'Edit'),
        el('button', { type: 'button', onclick: () => toggle(c), 'aria-label': `${c.enabled ? 'Disable' : 'Enable'} card ${c.uid}` }, c.enabled ? 'Disable' : 'Enable'),
        el('button', { type: 'button', class: 'danger', onclick: () => removeCard(c), 'aria-label': `Delete card ${c.uid}` }, 'Delete')));
  }

  async function toggle(c) {
    if (c.enabled && !confirm(`Disable card ${c.uid}? It stops opening doors at once.`)) return;
    try {
      await api('PATCH', `/api/policies/cards/${encodeURIComponent(c.uid)}`, { enabled: !c.enabled });
      cards.reload();
    } catch (e) { fail(e.message); }
  }

  async function removeCard(c) {
    if (!confirm(`Delete the policy of card ${c.uid}? It stops opening doors at once.`)) return;
    try {
      await api('DELETE', `/api/policies/cards/${encodeURIComponent(c.uid)}`);
      cards.reload();
    } catch (e) { fail(e.message); }
  }

  const uid = el('input', { id: 'card-uid', required: true, placeholder: 'BA:83:9D:07' });
  const holder = el('input', { id: 'card-holder', maxlength: 100 });
  const readers = el('input', { id: 'card-readers', placeholder: 'door-1, garage' });
  const groups = el('input', { id: 'card-groups', placeholder: 'front-doors' });
  const days = DAYS.map((d) => el('input', { type: 'checkbox', id: `day-${d}`, value: d }));
  const start = el('input', { id: 'window-start', type: 'time' });
  const end = el('input', { id: 'window-end', type: 'time' });
  const zone = el('input', { id: 'window-zone', value: Intl.DateTimeFormat().resolvedOptions().timeZone });

  // The form adds a card, or, after Edit, changes that card (its uid cannot change).
  let editing = null;
  const submitCard = el('button', { type: 'submit' }, 'Add card');
  const cancelEdit = el('button', { type: 'button', hidden: true, onclick: () => stopEditing() }, 'Cancel');

  function edit(c) {
    editing = c.uid;
    uid.value = c.uid;
    uid.disabled = true;
    holder.value = c.holder || '';
    readers.value = c.readers.join(', ');
    groups.value = c.reader_groups.join(', ');
    const window = c.schedule && c.schedule.windows[0];
    days.forEach((d) => { d.checked = !!window && window.days.includes(d.value); });
    start.value = window ? window.start : '';
    end.value = window ? window.end : '';
    if (c.schedule) zone.value = c.schedule.time_zone;
    submitCard.textContent = `Save card ${c.uid}`;
    cancelEdit.hidden = false;
    uid.form.scrollIntoView();
    holder.focus();
  }

  function stopEditing() {
    editing = null;
    uid.disabled = false;
    uid.value = '';
    holder.value = '';
    days.forEach((d) => { d.checked = false; });
    start.value = '';
    end.value = '';
    submitCard.textContent = 'Add card';
    cancelEdit.hidden = true;
  }

  async function addCard(event) {
    event.preventDefault();
    fail('');
    const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
    const chosen = days.filter((d) => d.checked).map((d) => d.value);
    const body = { holder: holder.value || null, readers: list(readers.value), reader_groups: list(groups.value) };
    body.schedule = chosen.length || start.value || end.value
      ? { time_zone: zone.value, windows: [{ days: chosen, start: start.value, end: end.value }] }
      : null;
    try {
      if (editing) {
        await api('PATCH', `/api/policies/cards/${encodeURIComponent(editing)}`, body);
      } else {
        await api('POST', '/api/policies/cards', { uid: uid.value, enabled: true, ...body });
      }
      stopEditing();
      cards.reload();
    } catch (e) { fail(e.message); }
  }

  const groupList = el('ul', { class: 'plain', id: 'groups' });
  const groupName = el('input', { id: 'group-name', required: true, placeholder: 'front-doors' });
  const groupReaders = el('input', { id: 'group-readers', placeholder: 'door-1, door-2' });

  async function loadGroups() {
    try {
      const answer = await api('GET', '/api/policies/groups');
      clear(groupList).append(...answer.groups.map((g) => el('li', {},
        `${g.name}: ${g.readers.join(', ')} `,
        el('button', { type: 'button', class: 'danger', 'aria-label': `Delete group ${g.name}`, onclick: async () => {
          if (!confirm(`Delete reader group ${g.name}? Cards that name it lose those readers.`)) return;
          try { await api('DELETE', `/api/policies/groups/${encodeURIComponent(g.name)}`); loadGroups(); } catch (e) { fail(e.message); }
        } }, 'Delete'))));
      if (!answer.groups.length) groupList.append(el('li', { class: 'muted' }, 'No reader groups.'));
    } catch (e) { fail(e.message); }
  }

  async function putGroup(event) {
    event.preventDefault();
    try {
      await api('PUT', `/api/policies/groups/${encodeURIComponent(groupName.value)}`,
        { readers: groupReaders.value.split(',').map((s) => s.trim()).filter(Boolean) });
      loadGroups();
    } catch (e) { fail(e.message); }
  }

  view.append(
    el('h1', {}, 'Access'), message,
    el('div', { class: 'grid' },
      el('section', { class: 'card', 'aria-labelledby': 'live-title' }, el('h2', { id: 'live-title' }, 'Live decisions'), live),
      el('section', { class: 'card', 'aria-labelledby': 'lockout-title' }, el('h2', { id: 'lockout-title' }, 'Lockouts'), lockouts)),
    el('section', { 'aria-labelledby': 'cards-title' }, el('h2', { id: 'cards-title' }, 'Card policies'),
      el('form', { class: 'inline', id: 'card-add', onsubmit: addCard },
        el('label', { for: 'card-uid' }, 'Card'), uid, el('label', { for: 'card-holder' }, 'Holder'), holder,
        el('label', { for: 'card-readers' }, 'Readers'), readers, el('label', { for: 'card-groups' }, 'Groups'), groups,
        el('fieldset', { class: 'days' }, el('legend', {}, 'Days (none: always)'),
          DAYS.map((d, i) => el('label', { for: `day-${d}` }, days[i], d))),
        el('label', { for: 'window-start' }, 'From'), start, el('label', { for: 'window-end' }, 'Until'), end,
        el('label', { for: 'window-zone' }, 'Time zone'), zone,
        submitCard, cancelEdit),
      cards.node),
    el('section', { 'aria-labelledby': 'groups-title' }, el('h2', { id: 'groups-title' }, 'Reader groups'), groupList,
      el('form', { class: 'inline', onsubmit: putGroup },
        el('label', { for: 'group-name' }, 'Group'), groupName, el('label', { for: 'group-readers' }, 'Readers'), groupReaders,
        el('button', { type: 'submit' }, 'Save group'))),
    el('section', { 'aria-labelledby': 'log-title' }, el('h2', { id: 'log-title' }, 'Access log'), log.node));
  loadGroups();

  const stream = liveStream(['access.decision', 'access.lockout'], (type, event) => {
    if (type === 'access.decision') addDecision(live, event.payload);
    if (type === 'access.lockout') {
      const l = event.payload;
      lockouts.prepend(el('li', {}, `${l.device_id} locked until ${new Date(l.until).toLocaleTimeString()} after ${l.denied_scans} denied scans`));
    }
  }, showBanner);
  return { stop: () => stream.stop() };
}
