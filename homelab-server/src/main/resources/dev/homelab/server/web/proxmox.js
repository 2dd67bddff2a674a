// Proxmox: the configured servers (online or not, CPU, memory, uptime) and their guests (virtual
// machines and containers: status, CPU, memory), refreshed at a modest rate; for administrators,
// start, stop and restart with a confirmation, each followed as a task until it ends, showing
// Proxmox's own end state or error. An offline server is shown as such, never as a broken page.
// Each server and guest has a history panel (charts of its collected metrics, opened and closed by
// its History button) that lives across the page's redraws. Also the overview's Proxmox card.
import { el, clear, formatBytes, formatDuration } from './dom.js';
import { every } from './polling.js';
import { upstreamCard } from './upstream-card.js';
import { historyToggle, chart, column } from './charts.js';

// The Overview's card asks at a modest rate: a summary, not a live view.
const CARD_REFRESH_MS = 30000;

const REFRESH_MS = 15000;
const TASK_POLL_MS = 1000;
/** A task poll that fails (the network, a 502) is tried again this many times before giving up. */
const TASK_POLL_TRIES = 5;

const ACTIONS = {
  start: { label: 'Start', when: (g) => g.status !== 'running', ask: (g) => `Start ${guestName(g)}?` },
  stop: { label: 'Stop', when: (g) => g.status === 'running', ask: (g) => `Stop ${guestName(g)} at once? Like pulling its power cord: unsaved work in it is lost.` },
  restart: { label: 'Restart', when: (g) => g.status === 'running', ask: (g) => `Restart ${guestName(g)}?` },
};

function guestName(g) {
  return `${g.type === 'lxc' ? 'container' : 'VM'} ${g.vmid}${g.name ? ` (${g.name})` : ''}`;
}

function percent(fraction) {
  return typeof fraction === 'number' ? Math.round(fraction * 100) : null;
}

/** How to turn Proxmox on, for a server that has none configured. */
function notConfigured() {
  return el('section', { class: 'card', id: 'pve-not-configured' },
    el('h2', {}, 'No Proxmox server is configured'),
    el('p', {}, 'List the servers in PROXMOX_SERVERS (such as nas,smart-home) and give each its ',
      el('code', {}, 'PROXMOX_<ID>_URL'), ', ', el('code', {}, 'PROXMOX_<ID>_TOKEN_ID'), ' and ',
      el('code', {}, 'PROXMOX_<ID>_TOKEN_SECRET'), ', then restart the server. The configuration guide (docs/configuration.md) describes every key.'));
}

export function proxmoxPage(view, { api }) {
  const message = el('p', { class: 'error', role: 'alert' });
  const tasks = el('ol', { class: 'pve-tasks', id: 'pve-tasks', 'aria-live': 'polite' });
  const tasksCard = el('section', { class: 'card', 'aria-labelledby': 'pve-tasks-title', hidden: true },
    el('h2', { id: 'pve-tasks-title' }, 'Tasks'), tasks);
  const servers = el('div', { id: 'pve-servers', class: 'pve-servers' }, el('p', { class: 'muted' }, 'Loading…'));
  view.append(el('h1', {}, 'Proxmox'), message, tasksCard, servers);

  // Only administrators get the power buttons (the server refuses anyone else with 403 anyway).
  const isAdmin = api('GET', '/api/auth/me').then((me) => me.role === 'admin', () => false);
  let admin = false;
  let stopped = false;
  const busy = new Set(); // `${server}/${vmid}` of guests with a task under way
  const timers = new Set();
  // The open history panels by `${server}` or `${server}/${vmid}`: moved into each redrawn card,
  // not drawn again, so that their charts and period choice stay.
  const histories = new Map();
  let last = null;

  async function refresh() {
    let list;
    try {
      admin = await isAdmin;
      list = (await api('GET', '/api/proxmox/servers')).servers;
    } catch (e) {
      if (!stopped) message.textContent = e.message;
      return;
    }
    // The guests of every online server at once; one that fails is shown in its card, in its words.
    const guests = await Promise.all(list.map((s) => (s.online
      ? api('GET', `/api/proxmox/${encodeURIComponent(s.id)}/vms`).then((g) => ({ list: g }), (e) => ({ error: e.message }))
      : Promise.resolve(null))));
    if (stopped) return;
    message.textContent = '';
    last = { list, guests };
    render();
  }

  function render() {
    const { list, guests } = last;
    // Redrawn whole; the focused control is found again by its key, so a keyboard user keeps it.
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : undefined;
    clear(servers);
    if (list.length === 0) servers.append(notConfigured());
    list.forEach((s, i) => servers.append(serverCard(s, guests[i])));
    if (focused) {
      const again = servers.querySelector(`[data-key="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  function serverCard(s, guests) {
    const card = el('section', { class: `card pve-server ${s.online ? 'online' : 'offline'}`, 'data-server': s.id, 'aria-labelledby': `pve-${s.id}-title` },
      el('h2', { id: `pve-${s.id}-title` }, s.name, ' ',
        el('span', { class: `badge ${s.online ? 'ok' : 'bad'}` }, s.online ? 'online' : 'offline')));
    // History is read from the store: it answers while the server is offline too.
    const serverHistory = historyButton(s.id, `History of ${s.name}`, () => ({
      title: `${s.name}: history`,
      path: `/api/metrics/server/${encodeURIComponent(s.id)}`,
      specs: serverCharts,
    }), `${s.id}/history`, 'Show history', 'Hide history');
    const panels = el('div', { class: 'pve-history' },
      [...histories].filter(([key]) => key === s.id || key.startsWith(`${s.id}/`))
        .sort(([a], [b]) => (a === s.id ? -1 : b === s.id ? 1 : Number(a.split('/').pop()) - Number(b.split('/').pop())))
        .map(([, panel]) => panel.node));
    if (!s.online) {
      card.append(el('p', { class: 'muted' }, `${s.ip}: the server could not be reached. It is asked again every ${REFRESH_MS / 1000} s.`),
        el('div', { class: 'pve-history-toggle' }, serverHistory), panels);
      return card;
    }
    card.append(
      el('p', { class: 'muted' }, `node ${s.node}, Proxmox VE ${s.version || 'unknown'}, ${s.ip}, up ${formatDuration(s.uptime || 0)}`),
      meter('CPU', percent(s.cpu_usage), `${s.cpu_count} CPUs`),
      meter('Memory', s.memory_percent, `${formatBytes(s.memory_used)} of ${formatBytes(s.memory_total)}`));
    card.append(el('div', { class: 'pve-history-toggle' }, serverHistory));
    if (guests && guests.error) {
      card.append(el('p', { class: 'error' }, `Its guests could not be read: ${guests.error}`));
    } else if (guests) {
      card.append(guestTable(s, guests.list));
    }
    card.append(panels);
    return card;
  }

  /** The button of the panel histories holds at key: the page is redrawn when it opens or closes. */
  function historyButton(key, label, panel, focusKey, show, hide) {
    return historyToggle(api, histories, key, {
      id: `pve-history-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`,
      label,
      texts: [show, hide],
      attrs: { 'data-key': focusKey },
      panel,
      changed: render,
    });
  }

  function guestTable(s, list) {
    const g = list;
    const rows = g.instances.map((guest) => guestRow(s, guest));
    return el('div', {},
      el('p', { class: 'muted' }, `${g.total} guests (${g.vms} VMs, ${g.containers} containers): ${g.running} running, ${g.stopped} stopped`),
      el('table', { class: 'pve-guests' },
        el('thead', {}, el('tr', {}, ['ID', 'Name', 'Type', 'Status', 'CPU', 'Memory', 'Uptime', 'History', admin ? 'Actions' : null].filter(Boolean).map((h) => el('th', {}, h)))),
        el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 9, class: 'muted' }, 'No guests.')))));
  }

  function guestRow(s, g) {
    const running = g.status === 'running';
    const key = `${s.id}/${g.vmid}`;
    const row = el('tr', { 'data-vmid': g.vmid, class: `guest ${running ? 'running' : 'stopped'}` },
      el('td', { 'data-label': 'ID' }, String(g.vmid)),
      el('td', { 'data-label': 'Name', class: 'name' }, g.name || '–'),
      el('td', { 'data-label': 'Type' }, g.type === 'lxc' ? 'container' : 'VM'),
      el('td', { 'data-label': 'Status', class: `status ${running ? 'ok' : 'muted'}` }, g.template ? `${g.status} (template)` : g.status),
      el('td', { 'data-label': 'CPU' }, running ? `${percent(g.cpu)} % of ${g.maxcpu}` : `– of ${g.maxcpu}`),
      el('td', { 'data-label': 'Memory' }, running ? `${formatBytes(g.mem)} of ${formatBytes(g.maxmem)}` : `– of ${formatBytes(g.maxmem)}`),
      el('td', { 'data-label': 'Uptime' }, running ? formatDuration(g.uptime) : '–'),
      // A template never runs and is not collected: it has no history to show.
      el('td', { 'data-label': 'History', class: 'history' }, g.template ? '–' : historyButton(key, `History of ${guestName(g)}`, () => ({
        title: `${guestName(g)} on ${s.name}: history`,
        path: `/api/metrics/vm/${encodeURIComponent(s.id)}/${g.vmid}`,
        specs: guestCharts,
      }), `${key}/history`, 'Show', 'Hide')));
    if (admin) {
      const buttons = g.template ? [el('span', { class: 'muted' }, 'template')] : Object.entries(ACTIONS)
        .filter(([, a]) => a.when(g))
        .map(([name, a]) => el('button', {
          type: 'button',
          class: name === 'stop' ? 'danger' : '',
          'data-action': name,
          'data-key': `${key}/${name}`,
          disabled: busy.has(key),
          'aria-label': `${a.label} ${guestName(g)}`,
          onclick: () => act(s, g, name),
        }, a.label));
      row.append(el('td', { class: 'actions', 'data-label': 'Actions' }, buttons));
    }
    return row;
  }

  async function act(s, g, action) {
    if (!confirm(ACTIONS[action].ask(g))) return;
    const key = `${s.id}/${g.vmid}`;
    const item = el('li', { class: 'running', 'data-server': s.id, 'data-vmid': g.vmid },
      el('strong', {}, `${ACTIONS[action].label} ${guestName(g)} on ${s.name}`), ' ',
      el('span', { class: 'state' }, 'asking Proxmox…'), el('span', { class: 'muted log' }));
    tasks.prepend(item);
    tasksCard.hidden = false;
    busy.add(key);
    refresher.now();
    try {
      const accepted = await api('POST', `/api/proxmox/${encodeURIComponent(s.id)}/vm/${g.vmid}/${action}`);
      item.dataset.upid = accepted.task_id;
      follow(s, accepted.task_id, item, key, 0);
    } catch (e) {
      ended(item, key, false, e.message);
    }
  }

  /** Asks Proxmox where the task is, every second, until it ended. */
  async function follow(s, upid, item, key, failures) {
    if (stopped) return;
    let task;
    try {
      task = await api('GET', `/api/proxmox/${encodeURIComponent(s.id)}/tasks/${encodeURIComponent(upid)}`);
    } catch (e) {
      if (e.status >= 400 && e.status < 500) {
        ended(item, key, false, e.message);
      } else if (failures + 1 >= TASK_POLL_TRIES) {
        ended(item, key, false, `Its progress could not be read: ${e.message}`);
      } else {
        item.querySelector('.state').textContent = `running (asking again: ${e.message})`;
        later(() => follow(s, upid, item, key, failures + 1), TASK_POLL_MS * 2 ** (failures + 1));
      }
      return;
    }
    if (stopped) return;
    const last = task.log.length ? task.log[task.log.length - 1] : '';
    item.querySelector('.log').textContent = last ? ` ${last}` : '';
    if (!task.ended) {
      item.querySelector('.state').textContent = 'running…';
      later(() => follow(s, upid, item, key, 0), TASK_POLL_MS);
      return;
    }
    // Proxmox's own words: OK, WARNINGS: n, or its error text.
    ended(item, key, task.succeeded, task.exit_status);
  }

  function ended(item, key, succeeded, text) {
    busy.delete(key);
    item.className = succeeded ? 'ok' : 'failed';
    item.querySelector('.state').textContent = succeeded ? `done: ${text}` : `failed: ${text}`;
    refresher.now();
  }

  function later(fn, ms) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  const refresher = every(REFRESH_MS, refresh);
  return {
    stop: () => {
      stopped = true;
      refresher.stop();
      timers.forEach(clearTimeout);
      histories.forEach((panel) => panel.stop());
    },
  };
}

/** A server's history (seed 003's columns): CPU and memory in percent, network traffic. */
function serverCharts(rows) {
  const xs = rows.map((r) => r.timestamp);
  return [
    chart('CPU and memory', 'percent', xs, [['CPU', column(rows, 'cpu_percent')], ['Memory', column(rows, 'ram_percent')]]),
    chart('Network', 'rate', xs, [['Received', column(rows, 'net_rx')], ['Sent', column(rows, 'net_tx')]]),
  ];
}

/** A guest's history: CPU in percent of its CPUs, memory in use and its total. */
function guestCharts(rows) {
  const xs = rows.map((r) => r.timestamp);
  return [
    chart('CPU', 'percent', xs, [['CPU', column(rows, 'cpu_percent')]]),
    chart('Memory', 'bytes', xs, [['Used', column(rows, 'ram_used')], ['Total', column(rows, 'ram_total')]]),
  ];
}

function meter(label, value, detail) {
  const shown = value === null || value === undefined ? null : Math.round(value);
  return el('div', { class: 'meter', 'data-metric': label },
    el('span', { class: 'label' }, label),
    el('progress', { max: 100, value: shown ?? 0, 'aria-label': `${label} ${shown ?? 'unknown'} percent` }),
    el('span', { class: 'value' }, shown === null ? '–' : `${shown} %`),
    el('span', { class: 'detail' }, detail));
}

/** The overview's card: servers online, guests running; none when no server is configured. */
export function proxmoxCard(api) {
  return upstreamCard({
    id: 'pve-card',
    title: 'Proxmox',
    href: '#/proxmox',
    refreshMs: CARD_REFRESH_MS,
    summary: async () => {
      const servers = (await api('GET', '/api/proxmox/servers')).servers;
      if (servers.length === 0) return null;
      const online = servers.filter((s) => s.online);
      const guests = await Promise.all(online.map((s) => api('GET', `/api/proxmox/${encodeURIComponent(s.id)}/vms`).catch(() => null)));
      const known = guests.filter(Boolean);
      const running = known.reduce((n, g) => n + g.running, 0);
      const total = known.reduce((n, g) => n + g.total, 0);
      return [
        el('span', { class: 'figure' }, `${online.length} of ${servers.length}`), ' servers online',
        el('br'),
        el('span', { class: 'figure' }, `${running} of ${total}`), ' guests running',
        ...(known.length < online.length ? [el('span', { class: 'error' }, ' (some servers could not be read)')] : []),
      ];
    },
  });
}
