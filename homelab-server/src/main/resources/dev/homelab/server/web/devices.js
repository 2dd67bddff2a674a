// Devices: the caller's devices (an administrator's: everyone's), create, rename, delete, and a
// device token shown once when created.
import { el, clear } from './dom.js';

export function devicesPage(view, { api }) {
  const message = el('p', { class: 'error', role: 'alert' });
  const list = el('tbody', { id: 'device-rows' });
  const token = el('div', { id: 'device-token', role: 'status' });
  const name = el('input', { id: 'device-name', required: true, maxlength: 100 });
  const type = el('input', { id: 'device-type', required: true, value: 'sensor', maxlength: 50 });

  async function load() {
    try {
      const page = await api('GET', '/api/devices?limit=500');
      clear(list).append(...page.devices.map(row));
      if (page.devices.length === 0) list.append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No devices yet.')));
    } catch (e) {
      message.textContent = e.message;
    }
  }

  function row(d) {
    return el('tr', { 'data-id': d.id },
      el('td', { class: 'name' }, d.name),
      el('td', {}, d.device_type),
      el('td', { class: 'muted' }, new Date(d.created_at).toLocaleString()),
      el('td', { class: 'actions' },
        el('button', { type: 'button', onclick: () => issueToken(d), 'aria-label': `New token for ${d.name}` }, 'New token'),
        el('button', { type: 'button', class: 'danger', onclick: () => remove(d), 'aria-label': `Delete ${d.name}` }, 'Delete')));
  }

  async function create(event) {
    event.preventDefault();
    message.textContent = '';
    try {
      await api('POST', '/api/devices', { name: name.value, device_type: type.value });
      name.value = '';
      await load();
    } catch (e) {
      message.textContent = e.message;
    }
  }

  async function issueToken(d) {
    if (!confirm(`Issue a new token for ${d.name}? Its current token stops working.`)) return;
    try {
      const issued = await api('POST', `/api/devices/${encodeURIComponent(d.id)}/token`);
      clear(token).append(
        el('p', {}, `The token of ${d.name}, shown this once: copy it into the device now.`),
        el('code', { class: 'secret' }, issued.token));
    } catch (e) {
      message.textContent = e.message;
    }
  }

  async function remove(d) {
    if (!confirm(`Delete ${d.name}? Its token stops working.`)) return;
    try {
      await api('DELETE', `/api/devices/${encodeURIComponent(d.id)}`);
      clear(token);
      await load();
    } catch (e) {
      message.textContent = e.message;
    }
  }

  view.append(
    el('h1', {}, 'Devices'),
    message,
    el('form', { class: 'inline', id: 'device-create', onsubmit: create },
      el('label', { for: 'device-name' }, 'Name'), name,
      el('label', { for: 'device-type' }, 'Type'), type,
      el('button', { type: 'submit' }, 'Add device')),
    token,
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Type'), el('th', {}, 'Created'), el('th', {}, 'Actions'))), list));
  load();
  return {};
}
