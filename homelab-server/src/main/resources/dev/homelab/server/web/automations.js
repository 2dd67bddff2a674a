// Automations: every automation container's health and state (refreshed every 10 s), start, stop
// and restart for administrators (each confirmed first; the answer, or the upstream's refusal, in
// its own words), and the live log of a chosen automation: streamed, at most the last 1000 lines
// kept, following the newest line unless the reader scrolled up, ended when the page is left.
// Each automation's History button opens a panel charting its collected trigger and error counts.
// Also the Overview's card. Without AUTOMATION_API_URL the server answers 404
// AUTOMATIONS_NOT_CONFIGURED: the page says how to configure it and the card stays hidden.
import { el, clear, formatDuration } from './dom.js';
import { followStream, liveList } from './live.js';
import { upstreamCard, oneRead } from './upstream-card.js';
import { historyToggle, chart, column } from './charts.js';
import { every } from './polling.js';

const NOT_CONFIGURED = 'AUTOMATIONS_NOT_CONFIGURED';
const REFRESH_MS = 10000;
const CARD_REFRESH_MS = 30000;
/** The log lines kept in the page: older ones are dropped as new ones come. */
export const MAX_LOG_LINES = 1000;
/** The names the server accepts in a path (the rest would be refused with 422). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** The name to call an automation by: its automation name, else its container name. */
function apiName(a) {
  return [a.automation_name, a.container_name].find((n) => typeof n === 'string' && NAME.test(n)) || null;
}

function label(a) {
  return a.automation_name || a.container_name || '(unnamed)';
}

function health(a) {
  return (a.health && a.health.overall) || 'unknown';
}

/** A time as the automation API writes it (ISO, without a zone), to the second. */
function shortTime(text) {
  return String(text).replace('T', ' ').replace(/\.\d+/, '');
}

function running(a) {
  return !!a.container && a.container.status === 'running';
}

export function notConfiguredNote() {
  return el('div', { class: 'card note', id: 'automations-off' },
    el('h2', {}, 'The automation API is not configured'),
    el('p', {}, 'Set ', el('code', {}, 'AUTOMATION_API_URL'), ' (the automation API\'s address, such as ',
      el('code', {}, 'http://10.0.20.102:8080'), '), ', el('code', {}, 'AUTOMATION_API_USER'), ' and ',
      el('code', {}, 'AUTOMATION_API_PASSWORD'), ', then restart the server. The settings are described in ',
      el('code', {}, 'docs/configuration.md'), '.'));
}

export function automationsPage(view, { api }) {
  const message = el('p', { class: 'error', role: 'alert', id: 'automation-error' });
  const result = el('p', { class: 'result', role: 'status', id: 'automation-result' });
  const summary = el('p', { class: 'muted', id: 'automation-summary' }, 'Loading…');
  const rows = el('tbody', { id: 'automation-rows' });
  const table = el('table', { class: 'automations' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Automation'), el('th', {}, 'Health'), el('th', {}, 'Container'),
      el('th', {}, 'MQTT'), el('th', {}, 'Actions'))),
    rows);
  const logs = logPanel();
  // The open history panels by automation name; they outlive the table's redraws.
  const histories = new Map();
  const historyArea = el('div', { id: 'automation-history', class: 'automation-history' });
  const content = el('div', {}, summary, result, table, historyArea, logs.node);
  view.append(el('h1', {}, 'Automations'), message, content);

  let admin = false;
  let stopped = false;
  let refresher = null; // the list's refresh, paused while the tab is hidden (polling.js)
  let generation = 0; // only the latest answer is drawn, whichever comes back last
  let last = null;
  const busy = new Set(); // names with an action under way: their buttons stay disabled

  async function load() {
    const mine = ++generation;
    try {
      const list = await api('GET', '/api/automations');
      if (stopped || mine !== generation) return;
      last = list;
      render(list);
    } catch (e) {
      if (stopped || mine !== generation) return;
      if (e.code === NOT_CONFIGURED) {
        clear(content).append(notConfiguredNote());
        refresher.stop(); // nothing to refresh until the server is configured and restarted
        return;
      }
      // The list could not be read: said where the summary goes, the last rows kept.
      summary.className = 'error';
      summary.textContent = e.message;
    }
  }

  function render(list) {
    const all = list.automations || [];
    summary.className = 'muted';
    const healthy = all.filter((a) => health(a) === 'healthy').length;
    summary.textContent = `${healthy} of ${all.length} healthy, ${all.filter(running).length} running`;
    // A redraw must not take the keyboard's place away: the same button gets the focus back.
    const focused = rows.contains(document.activeElement) ? document.activeElement.getAttribute('aria-label') : null;
    clear(rows).append(...all.map(row));
    if (focused) {
      const again = [...rows.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === focused);
      if (again && !again.disabled) again.focus();
    }
    if (!all.length) rows.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'The automation API lists no automations.')));
    logs.choices(all);
  }

  function row(a) {
    const name = apiName(a);
    const mqtt = a.mqtt && a.mqtt.status;
    const uptime = a.container && typeof a.container.uptime_seconds === 'number' && running(a)
      ? `, up ${formatDuration(a.container.uptime_seconds)}` : '';
    const state = health(a);
    return el('tr', { 'data-name': name || '' },
      el('td', { class: 'name' },
        el('span', { class: 'automation-name' }, label(a)),
        a.container_name && a.container_name !== label(a) ? el('span', { class: 'muted small' }, a.container_name) : null),
      el('td', { class: `health health-${state === 'healthy' ? 'ok' : 'bad'}` }, state,
        a.health ? el('span', { class: 'muted small' },
          `docker ${a.health.docker_running ? 'up' : 'down'}, mqtt ${a.health.mqtt_responding ? 'answering' : 'silent'}`) : null),
      el('td', { class: 'state' }, `${(a.container && a.container.status) || 'unknown'}${uptime}`),
      el('td', { class: 'mqtt' }, mqtt
        ? [`${mqtt.triggers_count ?? 0} triggers, ${mqtt.errors_count ?? 0} errors`,
          mqtt.last_trigger ? el('span', { class: 'muted small' }, `last ${shortTime(mqtt.last_trigger)}`) : null]
        : el('span', { class: 'muted' }, '–')),
      el('td', { class: 'buttons' }, el('div', { class: 'row-buttons' },
        el('button', { type: 'button', disabled: !name, 'aria-label': `Logs of ${label(a)}`, onclick: () => logs.follow(name, label(a)) }, 'Logs'),
        name ? historyButton(a, name) : null,
        admin && name ? actionButtons(a, name) : null)));
  }

  function historyButton(a, name) {
    return historyToggle(api, histories, name, {
      id: `automation-history-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`,
      label: `History of ${label(a)}`,
      texts: ['History', 'History'],
      panel: () => ({ title: `${label(a)}: history`, path: `/api/metrics/automation/${encodeURIComponent(name)}`, specs: automationCharts }),
      changed: (opened) => {
        if (opened) {
          historyArea.append(opened.node);
          opened.node.scrollIntoView({ block: 'nearest' });
        }
        if (last) render(last);
      },
    });
  }

  function actionButtons(a, name) {
    const on = running(a);
    const doing = busy.has(name);
    return [
      el('button', { type: 'button', disabled: doing || on, 'aria-label': `Start ${label(a)}`, onclick: () => act(a, name, 'start') }, 'Start'),
      el('button', { type: 'button', class: 'danger', disabled: doing || !on, 'aria-label': `Stop ${label(a)}`, onclick: () => act(a, name, 'stop') }, 'Stop'),
      el('button', { type: 'button', class: 'danger', disabled: doing, 'aria-label': `Restart ${label(a)}`, onclick: () => act(a, name, 'restart') }, 'Restart'),
    ];
  }

  const QUESTIONS = {
    start: (n) => `Start ${n}?`,
    stop: (n) => `Stop ${n}? It stops reacting to its triggers until started again.`,
    restart: (n) => `Restart ${n}? It stops reacting to its triggers while its container restarts.`,
  };

  async function act(a, name, action) {
    if (!confirm(QUESTIONS[action](label(a)))) return;
    message.textContent = '';
    result.textContent = `${label(a)}: ${action} sent…`;
    busy.add(name);
    if (last) render(last); // the row's buttons disabled until the answer
    try {
      const answer = await api('POST', `/api/automations/${encodeURIComponent(name)}/${action}`);
      if (stopped) return;
      const said = [answer.message, answer.new_status ? `now ${answer.new_status}` : null].filter(Boolean).join(', ');
      if (answer.success === false) {
        result.textContent = '';
        message.textContent = `${label(a)}: ${action} failed: ${said || 'the automation API said no'}`;
      } else {
        result.textContent = `${label(a)}: ${action} done${said ? `: ${said}` : ''}`;
      }
    } catch (e) {
      if (stopped) return;
      result.textContent = '';
      message.textContent = `${label(a)}: ${action} failed: ${e.message}`;
    } finally {
      busy.delete(name);
    }
    if (refresher) refresher.now();
  }

  api('GET', '/api/auth/me')
    .then((me) => { admin = me.role === 'admin'; })
    .catch(() => {})
    .finally(() => { if (!stopped) refresher = every(REFRESH_MS, load); });

  return {
    stop: () => {
      stopped = true;
      if (refresher) refresher.stop();
      logs.stop();
      histories.forEach((panel) => panel.stop());
    },
  };
}

/** An automation's history: its counts as the automation API gives them (since its container started). */
function automationCharts(rows) {
  const xs = rows.map((r) => r.timestamp);
  return [chart('Triggers and errors (counted since its container started)', 'count', xs,
    [['Triggers', column(rows, 'triggers_count')], ['Errors', column(rows, 'errors_count')]])];
}

/** The live log: the chosen automation's lines as they come, at most MAX_LOG_LINES of them. */
function logPanel() {
  const select = el('select', { id: 'log-automation' }, el('option', { value: '' }, 'Choose an automation'));
  const status = el('p', { class: 'muted', id: 'log-status', role: 'status' }, 'Choose an automation to follow its log.');
  const list = liveList({ id: 'log-lines', label: 'Log lines, newest last', max: MAX_LOG_LINES, jumpId: 'log-jump', jumpText: 'Newest lines ↓' });
  const clearButton = el('button', { type: 'button', id: 'log-clear', onclick: () => clear(list.lines) }, 'Clear');
  const node = el('section', { class: 'card log-panel', 'aria-labelledby': 'log-title' },
    el('h2', { id: 'log-title' }, 'Live log'),
    el('div', { class: 'log-controls' }, el('label', { for: 'log-automation' }, 'Automation'), select, clearButton),
    status,
    list.node);
  let followed = null;
  let stream = null;

  select.addEventListener('change', () => follow(select.value, select.selectedOptions[0].textContent));

  function choices(all) {
    const current = select.value;
    clear(select).append(el('option', { value: '' }, 'Choose an automation'),
      ...all.filter(apiName).map((a) => el('option', { value: apiName(a) }, label(a))));
    select.value = followed || current;
  }

  function end() {
    if (stream) stream.stop();
    stream = null;
  }

  function follow(name, shown) {
    end();
    followed = name || null;
    select.value = name || '';
    list.clear();
    if (!followed) {
      status.textContent = 'Choose an automation to follow its log.';
      return;
    }
    status.textContent = `Connecting to the log of ${shown}…`;
    stream = followStream(`/api/automations/${encodeURIComponent(name)}/logs`, {
      open: () => { status.textContent = `Following the log of ${shown}: new lines appear at the bottom.`; },
      event: (event) => { if (event.type === 'log') add(event.data); },
      refused: (e) => { status.textContent = `The log of ${shown} cannot be followed: ${e.message}`; },
      closed: (reason) => { status.textContent = `The log of ${shown} ended: ${reason}`; },
      lost: (seconds) => { status.textContent = `The log of ${shown} was cut off: reconnecting in ${seconds} s…`; },
    });
    node.scrollIntoView({ block: 'nearest' });
  }

  function add(text) {
    const level = /\s-\s(ERROR|CRITICAL)\s-\s/.test(text) ? 'error' : /\s-\s(WARNING|WARN)\s-\s/.test(text) ? 'warn' : '';
    list.add(el('li', { class: level || undefined }, text));
  }

  return { node, follow, choices, stop: end };
}

/** The Overview's card: healthy of all, and which are not; hidden when not configured. */
export function automationsCard(api) {
  return upstreamCard({
    id: 'automations-card',
    title: 'Automations',
    href: '#/automations',
    refreshMs: CARD_REFRESH_MS,
    summary: oneRead(api, '/api/automations', (e) => e.code === NOT_CONFIGURED, (list) => {
      const all = list.automations || [];
      const unwell = all.filter((a) => health(a) !== 'healthy');
      return [
        el('p', { class: `figure ${unwell.length ? 'bad' : 'ok'}`, id: 'automations-healthy' }, `${all.length - unwell.length} / ${all.length} healthy`),
        unwell.length
          ? el('ul', { class: 'plain' }, unwell.slice(0, 5).map((a) => el('li', {}, `${label(a)}: ${health(a)}`)),
            unwell.length > 5 ? el('li', { class: 'muted' }, `and ${unwell.length - 5} more`) : null)
          : el('p', { class: 'muted' }, 'Every automation is healthy.'),
      ];
    }),
  });
}
