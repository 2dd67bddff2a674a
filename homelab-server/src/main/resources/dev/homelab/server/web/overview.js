// Overview: the host live from the event stream (warning colour at or above the threshold, the
// dashboard.warn_percent setting, 80 by default), recent access decisions, and the health of the
// server's parts.
import { liveStream } from './events.js';
import { el, clear, formatBytes, formatDuration } from './dom.js';
import { proxmoxCard } from './proxmox.js';
import { camerasCard } from './cameras.js';
import { automationsCard } from './automations.js';
import { aiCard } from './ai.js';
import { mqttCard } from './mqtt.js';
import { filesCard } from './files.js';

export function overviewPage(view, { api, showBanner }) {
  let warnAt = 80;
  const host = el('section', { class: 'card wide', 'aria-labelledby': 'host-title' },
    el('h2', { id: 'host-title' }, 'Host'), el('p', { class: 'muted' }, 'Waiting for the first sample…'));
  const decisions = el('ol', { class: 'decisions', id: 'decisions' });
  const access = el('section', { class: 'card', 'aria-labelledby': 'access-title' },
    el('h2', { id: 'access-title' }, 'Access decisions'), decisions);
  const health = el('section', { class: 'card', 'aria-labelledby': 'health-title' },
    el('h2', { id: 'health-title' }, 'Server'), el('p', { class: 'muted' }, 'Checking…'));
  view.append(el('h1', {}, 'Overview'), el('div', { class: 'grid' }, host, access, health));

  api('GET', '/api/settings/dashboard.warn_percent')
    .then((s) => { if (typeof s.value === 'number') warnAt = s.value; })
    .catch(() => {});
  api('GET', '/health')
    .then((h) => renderHealth(health, h))
    .catch((e) => renderHealth(health, null, e.message));
  api('GET', '/api/system').then((snapshot) => renderHost(host, snapshot, warnAt)).catch(() => {});

  // The upstreams (Proxmox, cameras, automations, AI hub, MQTT broker): a card each, shown only
  // where configured; and the file store's figures.
  const upstreamCards = [filesCard(api), proxmoxCard(api), camerasCard(api), automationsCard(api), aiCard(api), mqttCard(api)];
  view.querySelector('.grid').append(...upstreamCards.map((card) => card.node));

  const stream = liveStream(['host.metrics', 'access.decision'], (type, event) => {
    if (type === 'host.metrics') renderHost(host, event.payload, warnAt);
    if (type === 'access.decision') addDecision(decisions, event.payload);
  }, showBanner);
  return { stop: () => { stream.stop(); upstreamCards.forEach((card) => card.stop()); } };
}

function meter(label, percent, text, warnAt) {
  const value = percent === null || percent === undefined ? null : Math.round(percent);
  const hot = value !== null && value >= warnAt;
  return el('div', { class: `meter${hot ? ' hot' : ''}`, 'data-metric': label },
    el('span', { class: 'label' }, label),
    el('progress', { max: 100, value: value ?? 0, 'aria-label': `${label} ${value ?? 'unknown'} percent` }),
    el('span', { class: 'value' }, value === null ? '–' : `${value} %`),
    el('span', { class: 'detail' }, text || ''));
}

function renderHost(card, s, warnAt) {
  if (!s) return;
  const rows = [
    meter('CPU', s.cpu.percent, `${s.cpu.cores} cores, load ${s.cpu.load_average.map((l) => l.toFixed(2)).join(' ')}`, warnAt),
    meter('Memory', s.memory.percent, `${formatBytes(s.memory.used)} of ${formatBytes(s.memory.total)}`, warnAt),
    meter('Swap', s.swap.percent, `${formatBytes(s.swap.used)} of ${formatBytes(s.swap.total)}`, warnAt),
    ...s.disks.map((d) => meter(`Disk ${d.mount}`, d.percent, `${formatBytes(d.used)} of ${formatBytes(d.total)}`, warnAt)),
  ];
  const network = el('ul', { class: 'plain' }, s.network
    .filter((n) => n.name !== 'lo')
    .map((n) => el('li', {}, `${n.name}: ↓ ${formatBytes(n.rx_bytes_per_second)}/s ↑ ${formatBytes(n.tx_bytes_per_second)}/s`)));
  const temps = Object.entries(s.temperatures || {});
  clear(card).append(
    el('h2', { id: 'host-title' }, `Host ${s.hostname}`),
    el('p', { class: 'muted' }, `${s.os}, up ${formatDuration(s.uptime_seconds)}`),
    ...rows,
    el('h3', {}, 'Network'), network,
    // append() would write a null as the text "null": leave the section out instead
    ...(temps.length ? [el('h3', {}, 'Temperatures'),
      el('ul', { class: 'plain' }, temps.map(([k, v]) => el('li', {}, `${k}: ${Number(v).toFixed(1)} °C`)))] : []));
}

export function addDecision(list, d) {
  const item = el('li', { class: d.granted ? 'granted' : 'denied' },
    el('strong', {}, d.granted ? 'Granted' : 'Denied'), ' ',
    `${d.holder || d.card_uid} at ${d.device_id}`,
    el('span', { class: 'muted' }, ` ${d.reason}, ${new Date(d.time).toLocaleTimeString()}`));
  list.prepend(item);
  while (list.children.length > 10) list.lastChild.remove();
}

function renderHealth(card, h, error) {
  const body = error
    ? el('p', { class: 'error' }, error)
    : el('dl', { class: 'facts' }, ...Object.entries(h).flatMap(([k, v]) => [
      el('dt', {}, k.replace(/_/g, ' ')),
      el('dd', { class: k === 'status' ? `status-${v}` : '' }, typeof v === 'object' ? JSON.stringify(v) : String(v)),
    ]));
  clear(card).append(el('h2', { id: 'health-title' }, 'Server'), body);
}
