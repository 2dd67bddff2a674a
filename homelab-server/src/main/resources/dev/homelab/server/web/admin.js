// Admin: users (administrators only), the caller's API keys (a new key shown once), and the
// audit log with filters.
import { el, clear } from './dom.js';
import { pagedList } from './paging.js';

export function adminPage(view, { api }) {
  const message = el('p', { class: 'error', role: 'alert' });
  const fail = (text) => { message.textContent = text; };
  const users = el('tbody', { id: 'user-rows' });
  const keys = el('tbody', { id: 'key-rows' });
  const shownKey = el('div', { id: 'new-key', role: 'status' });

  async function loadUsers() {
    try {
      const answer = await api('GET', '/api/users');
      clear(users).append(...answer.users.map((u) => el('tr', { 'data-id': u.id },
        el('td', { class: 'username' }, u.username), el('td', {}, u.role), el('td', {}, u.disabled ? 'disabled' : 'active'),
        el('td', { class: 'actions' }, u.builtin ? el('span', { class: 'muted' }, 'built in') : [
          el('button', { type: 'button', 'aria-label': `${u.disabled ? 'Enable' : 'Disable'} ${u.username}`, onclick: () => change(u, { disabled: !u.disabled }) }, u.disabled ? 'Enable' : 'Disable'),
          el('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${u.username}`, onclick: () => removeUser(u) }, 'Delete'),
        ]))));
    } catch (e) {
      // A non-administrator sees no users; the rest of the page still works.
      clear(users).append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, e.message)));
    }
  }

  async function change(u, patch) {
    if (patch.disabled && !confirm(`Disable ${u.username}? Their sessions and keys stop working.`)) return;
    try { await api('PATCH', `/api/users/${encodeURIComponent(u.id)}`, patch); loadUsers(); } catch (e) { fail(e.message); }
  }

  async function removeUser(u) {
    if (!confirm(`Delete ${u.username} with their devices and keys?`)) return;
    try { await api('DELETE', `/api/users/${encodeURIComponent(u.id)}`); loadUsers(); } catch (e) { fail(e.message); }
  }

  const username = el('input', { id: 'user-name', required: true, autocomplete: 'off' });
  const password = el('input', { id: 'user-password', type: 'password', required: true, autocomplete: 'new-password' });
  const role = el('select', { id: 'user-role' }, ['viewer', 'user', 'admin'].map((r) => el('option', { value: r }, r)));

  async function addUser(event) {
    event.preventDefault();
    fail('');
    try {
      await api('POST', '/api/users', { username: username.value, password: password.value, role: role.value });
      username.value = '';
      password.value = '';
      loadUsers();
    } catch (e) { fail(e.message); }
  }

  async function loadKeys() {
    try {
      const answer = await api('GET', '/api/auth/keys');
      clear(keys).append(...answer.keys.map((k) => el('tr', {},
        el('td', {}, k.name), el('td', {}, k.scope), el('td', {}, k.expires_at ? new Date(k.expires_at).toLocaleString() : 'never'),
        el('td', {}, el('button', { type: 'button', class: 'danger', 'aria-label': `Revoke key ${k.name}`, onclick: async () => {
          if (!confirm(`Revoke the key ${k.name}? Whatever uses it stops working.`)) return;
          try { await api('DELETE', `/api/auth/keys/${encodeURIComponent(k.id)}`); loadKeys(); } catch (e) { fail(e.message); }
        } }, 'Revoke')))));
      if (!answer.keys.length) keys.append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No API keys.')));
    } catch (e) { fail(e.message); }
  }

  const keyName = el('input', { id: 'key-name', required: true, maxlength: 100 });
  const keyScope = el('select', { id: 'key-scope' }, [['', 'my role'], ['viewer', 'viewer'], ['user', 'user'], ['admin', 'admin'], ['access', 'access decisions only']].map(([v, l]) => el('option', { value: v }, l)));

  async function addKey(event) {
    event.preventDefault();
    fail('');
    try {
      const created = await api('POST', '/api/auth/keys', { name: keyName.value, scope: keyScope.value || null });
      keyName.value = '';
      clear(shownKey).append(el('p', {}, `The key ${created.name}, shown this once: store it now.`), el('code', { class: 'secret' }, created.key));
      loadKeys();
    } catch (e) { fail(e.message); }
  }

  const audit = pagedList({
    api, path: '/api/audit', key: 'entries', onError: fail, empty: 'No audit entries.',
    filters: [
      { id: 'audit-action', name: 'action', label: 'Action', placeholder: 'device.created' },
      { id: 'audit-outcome', name: 'outcome', label: 'Outcome', options: [['', 'any'], ['success', 'success'], ['failure', 'failure']] },
      { id: 'audit-from', name: 'from', label: 'From', type: 'datetime-local' },
      { id: 'audit-to', name: 'to', label: 'To', type: 'datetime-local' },
    ],
    columns: ['Time', 'Action', 'Actor', 'Target', 'From', 'Detail'],
    row: (a) => el('tr', {}, el('td', {}, new Date(a.time).toLocaleString()), el('td', {}, `${a.action} (${a.outcome})`),
      el('td', {}, a.actor || ''), el('td', {}, a.target || ''), el('td', {}, a.source_ip || ''), el('td', { class: 'muted' }, JSON.stringify(a.detail))),
  });

  view.append(el('h1', {}, 'Admin'), message,
    el('section', { 'aria-labelledby': 'users-title' }, el('h2', { id: 'users-title' }, 'Users'),
      el('form', { class: 'inline', id: 'user-add', onsubmit: addUser },
        el('label', { for: 'user-name' }, 'Username'), username, el('label', { for: 'user-password' }, 'Password'), password,
        el('label', { for: 'user-role' }, 'Role'), role, el('button', { type: 'submit' }, 'Add user')),
      el('table', {}, el('thead', {}, el('tr', {}, ['Username', 'Role', 'State', 'Actions'].map((c) => el('th', {}, c)))), users)),
    el('section', { 'aria-labelledby': 'keys-title' }, el('h2', { id: 'keys-title' }, 'My API keys'),
      el('form', { class: 'inline', id: 'key-add', onsubmit: addKey },
        el('label', { for: 'key-name' }, 'Name'), keyName, el('label', { for: 'key-scope' }, 'Scope'), keyScope,
        el('button', { type: 'submit' }, 'Create key')),
      shownKey,
      el('table', {}, el('thead', {}, el('tr', {}, ['Name', 'Scope', 'Expires', ''].map((c) => el('th', {}, c)))), keys)),
    el('section', { 'aria-labelledby': 'audit-title' }, el('h2', { id: 'audit-title' }, 'Audit log'), audit.node));
  loadUsers();
  loadKeys();
  return {};
}
