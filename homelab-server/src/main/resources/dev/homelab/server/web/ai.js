// AI: a chat with the AI hub (a Claude Code API), its answer drawn event by event as the hub sends
// them (seed 003's events, passed through by the server unmodified), a Cancel button, and the
// hub's running processes. Also the Overview's card.
//
// The hub names a chat's process only in its last event (done); to cancel earlier, the page finds
// the process by the session id of the chat's first event (system/init) in GET /api/ai/processes
// and sends DELETE /api/ai/chat/{process_id}; before that event there is no process to name, and
// closing the connection stops the hub's process instead. Chats and cancels count against
// RATE_LIMIT_AI_PER_MINUTE (10 by default); reading the process list does not, and it refreshes
// every 20 s only while the page is visible, and the Overview's card every minute.
import { el, clear } from './dom.js';
import { openStream } from './api.js';
import { readEvents, json } from './sse.js';
import { upstreamCard, oneRead } from './upstream-card.js';

const NOT_CONFIGURED = 'AI_HUB_NOT_CONFIGURED';
const PROCESSES_REFRESH_MS = 20000;
const CARD_REFRESH_MS = 60000;
/** How long the hub has to end a cancelled chat's stream before the page closes it. */
const CANCEL_GRACE_MS = 5000;

export function notConfiguredNote() {
  return el('div', { class: 'card note', id: 'ai-off' },
    el('h2', {}, 'The AI hub is not configured'),
    el('p', {}, 'Set ', el('code', {}, 'AI_HUB_URL'), ' (the hub\'s address, such as ', el('code', {}, 'http://10.99.10.106:9876'),
      '), ', el('code', {}, 'AI_HUB_USER'), ' and ', el('code', {}, 'AI_HUB_PASSWORD'),
      ', then restart the server. The settings are described in ', el('code', {}, 'docs/configuration.md'), '.'));
}

export function aiPage(view, { api }) {
  const error = el('p', { class: 'error', role: 'alert', id: 'ai-error' });
  const transcript = el('div', { class: 'transcript', id: 'ai-transcript', 'aria-live': 'polite' });
  const message = el('textarea', { id: 'ai-message', rows: 3, required: true, maxlength: 100000,
    placeholder: 'Ask something, such as: check the disks of the NAS' });
  const cwd = el('input', { id: 'ai-cwd', placeholder: '/home/user/servers', maxlength: 4096 });
  const systemPrompt = el('textarea', { id: 'ai-system', rows: 2, maxlength: 100000 });
  const send = el('button', { type: 'submit', id: 'ai-send', class: 'primary' }, 'Send');
  const cancel = el('button', { type: 'button', id: 'ai-cancel', class: 'danger', disabled: true, onclick: () => cancelChat() }, 'Cancel');
  const status = el('p', { class: 'muted', id: 'ai-status', role: 'status' });
  const sessionLine = el('p', { class: 'muted small', id: 'ai-session' });
  const newSession = el('button', { type: 'button', id: 'ai-new', hidden: true, onclick: () => startOver() }, 'New conversation');
  const form = el('form', { id: 'ai-form', class: 'ai-form', onsubmit: (e) => { e.preventDefault(); ask(); } },
    el('label', { for: 'ai-message' }, 'Message'), message,
    el('details', { class: 'ai-options' }, el('summary', {}, 'Options'),
      el('label', { for: 'ai-cwd' }, 'Working directory (absolute path)'), cwd,
      el('label', { for: 'ai-system' }, 'System prompt'), systemPrompt),
    el('div', { class: 'ai-buttons' }, send, cancel, newSession, el('span', { class: 'muted small' }, 'Ctrl+Enter sends')));
  const processRows = el('tbody', { id: 'ai-process-rows' });
  const processStatus = el('p', { class: 'muted small', id: 'ai-process-status' });
  const processes = el('section', { class: 'card', 'aria-labelledby': 'ai-processes-title' },
    el('div', { class: 'card-head' }, el('h2', { id: 'ai-processes-title' }, 'Running processes'),
      el('button', { type: 'button', id: 'ai-processes-refresh', onclick: () => loadProcesses() }, 'Refresh')),
    el('table', { class: 'ai-processes' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Process'), el('th', {}, 'Model'), el('th', {}, 'Directory'),
        el('th', {}, 'Started'), el('th', {}, 'Actions'))),
      processRows),
    processStatus);
  const content = el('div', {}, el('section', { class: 'card chat', 'aria-labelledby': 'ai-chat-title' },
    el('h2', { id: 'ai-chat-title' }, 'Chat'), transcript, status, form, sessionLine), processes);
  view.append(el('h1', {}, 'AI assistant'), error, content);

  message.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  let stopped = false;
  let sessionId = null; // kept from the first chat's system/init, so that the next one continues it
  let chat = null; // the chat streaming now
  let timer = null;

  function off(e) {
    if (e.code !== NOT_CONFIGURED) return false;
    clear(content).append(notConfiguredNote());
    stopped = true;
    clearTimeout(timer);
    return true;
  }

  async function loadProcesses() {
    clearTimeout(timer);
    if (stopped) return;
    try {
      const answer = await api('GET', '/api/ai/processes');
      if (stopped) return;
      clear(processRows).append(...answer.processes.map(processRow));
      if (!answer.processes.length) processRows.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No process is running.')));
      processStatus.textContent = `${answer.count} running, as of ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      if (stopped || off(e)) return;
      if (e.status === 403) { // a viewer: the hub runs tools on the servers, users and admins only
        error.textContent = e.message;
        send.disabled = true;
      }
      processStatus.textContent = '';
      clear(processRows).append(el('tr', {}, el('td', { colspan: 5, class: 'error' }, e.message)));
    }
    timer = setTimeout(refreshWhenVisible, PROCESSES_REFRESH_MS);
  }

  function refreshWhenVisible() {
    if (document.hidden) timer = setTimeout(refreshWhenVisible, PROCESSES_REFRESH_MS);
    else loadProcesses();
  }

  function processRow(p) {
    return el('tr', { 'data-process': p.process_id },
      el('td', { class: 'mono' }, p.process_id),
      el('td', {}, p.model || ''),
      el('td', {}, p.cwd || ''),
      el('td', {}, p.started_at || ''),
      el('td', { class: 'buttons' }, el('button', { type: 'button', class: 'danger', 'aria-label': `Cancel process ${p.process_id}`,
        onclick: () => cancelProcess(p.process_id) }, 'Cancel')));
  }

  async function cancelProcess(processId) {
    if (!confirm(`Cancel AI process ${processId}? Its answer stops where it is.`)) return;
    try {
      await api('DELETE', `/api/ai/chat/${encodeURIComponent(processId)}`);
    } catch (e) {
      error.textContent = e.message;
    }
    loadProcesses();
  }

  function startOver() {
    sessionId = null;
    clear(transcript);
    sessionLine.textContent = '';
    status.textContent = '';
    newSession.hidden = true;
  }

  async function ask() {
    const text = message.value;
    if (!text.trim() || chat) return;
    error.textContent = '';
    const body = { message: text };
    if (cwd.value.trim()) body.cwd = cwd.value.trim();
    if (systemPrompt.value.trim()) body.system_prompt = systemPrompt.value;
    if (sessionId) body.session_id = sessionId;
    const exchange = el('article', { class: 'exchange' },
      el('p', { class: 'question' }, el('span', { class: 'who' }, 'You'), text));
    const answer = el('div', { class: 'answer', 'aria-busy': 'true' }, el('span', { class: 'who' }, 'Assistant'));
    exchange.append(answer);
    transcript.append(exchange);
    transcript.scrollTop = transcript.scrollHeight;
    const current = { controller: new AbortController(), answer, sessionId: null, processId: null, done: false, cancelled: false };
    chat = current;
    send.disabled = true;
    cancel.disabled = false;
    message.value = '';
    status.textContent = 'Sending…';
    let failure = null;
    try {
      const response = await openStream('POST', '/api/ai/chat', body, current.controller.signal);
      status.textContent = 'Answering…';
      await readEvents(response.body.getReader(), (event) => onEvent(current, event));
    } catch (e) {
      if (!current.controller.signal.aborted) failure = e;
    }
    answer.removeAttribute('aria-busy');
    if (failure && failure.status) {
      if (!off(failure)) error.textContent = failure.message;
      show(answer, el('p', { class: 'error' }, `Not answered: ${failure.message}`));
      status.textContent = '';
      message.value = message.value || text; // to send again
    } else if (failure) {
      show(answer, el('p', { class: 'error' }, 'The connection broke before the answer ended.'));
      status.textContent = 'The answer is incomplete.';
    } else if (current.done) {
      status.textContent = 'Done.';
    } else if (current.cancelled) {
      show(answer, el('p', { class: 'muted ended' }, 'Cancelled.'));
      status.textContent = 'Cancelled.';
    } else {
      show(answer, el('p', { class: 'muted ended' }, 'The hub ended the answer before it finished (cancelled elsewhere?).'));
      status.textContent = 'Ended early.';
    }
    chat = null;
    send.disabled = false;
    cancel.disabled = true;
    if (!stopped) loadProcesses();
  }

  /** Adds to an answer, keeping the newest part in sight unless the reader scrolled up. */
  function show(box, ...nodes) {
    const following = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 24;
    box.append(...nodes);
    if (following) transcript.scrollTop = transcript.scrollHeight;
  }

  function onEvent(current, event) {
    if (stopped) return;
    const data = json(event.data);
    if (data && typeof data.process_id === 'string') current.processId = data.process_id;
    if (event.type === 'done') {
      current.done = true;
      return;
    }
    if (event.type === 'error') {
      show(current.answer, el('p', { class: 'error' }, `The hub said: ${(data && (data.error || data.detail || data.message)) || event.data}`));
      return;
    }
    if (event.type !== 'message' || !data) return;
    draw(current, data);
  }

  function draw(current, data) {
    const box = current.answer;
    if (data.type === 'system' && data.subtype === 'init') {
      current.sessionId = data.session_id || null;
      if (current.sessionId) {
        sessionId = current.sessionId;
        sessionLine.textContent = `Session ${sessionId}${data.model ? `, model ${data.model}` : ''}: the next message continues it.`;
        newSession.hidden = false;
      }
      loadProcesses(); // its process is running now
      return;
    }
    const content = data.message && Array.isArray(data.message.content) ? data.message.content : [];
    if (data.type === 'assistant') {
      for (const part of content) {
        if (part.type === 'text' && part.text) {
          show(box, el('p', { class: 'text' }, part.text));
        } else if (part.type === 'tool_use') {
          const input = part.input && typeof part.input.command === 'string' ? part.input.command : JSON.stringify(part.input || {});
          show(box, el('p', { class: 'tool' }, el('span', { class: 'who' }, `Tool ${part.name || ''}`), el('code', {}, input)));
        }
      }
    } else if (data.type === 'user') {
      for (const part of content) {
        if (part.type !== 'tool_result') continue;
        const output = typeof part.content === 'string' ? part.content
          : Array.isArray(part.content) ? part.content.map((c) => c.text || '').join('\n') : JSON.stringify(part.content);
        show(box, el('details', { class: 'tool-result' }, el('summary', {}, part.is_error ? 'Tool error' : 'Tool output'), el('pre', {}, output)));
      }
    } else if (data.type === 'result') {
      const usage = data.usage || {};
      const facts = [data.subtype || 'finished'];
      if (typeof data.total_cost_usd === 'number') facts.push(`$${data.total_cost_usd.toFixed(4)}`);
      if (typeof usage.input_tokens === 'number') facts.push(`${usage.input_tokens} tokens in, ${usage.output_tokens ?? 0} out`);
      const bad = data.is_error || (data.subtype && data.subtype !== 'success');
      show(box, el('p', { class: bad ? 'error summary' : 'muted small summary' }, `Result: ${facts.join(', ')}`));
    }
  }

  async function cancelChat() {
    const current = chat;
    if (!current) return;
    cancel.disabled = true;
    current.cancelled = true;
    status.textContent = 'Cancelling…';
    let processId = current.processId;
    try {
      if (!processId && current.sessionId) {
        const list = await api('GET', '/api/ai/processes');
        const found = list.processes.find((p) => p.session_id === current.sessionId);
        processId = found ? found.process_id : null;
      }
      if (processId) {
        await api('DELETE', `/api/ai/chat/${encodeURIComponent(processId)}`);
        // The hub ends the stream, which ends ask(); should it not, the page stops reading.
        setTimeout(() => { if (chat === current) current.controller.abort(); }, CANCEL_GRACE_MS);
        return;
      }
    } catch (e) {
      if (chat !== current) return; // the answer ended meanwhile
      error.textContent = `Cancelling: ${e.message}`;
    }
    // No process to name (yet), or the hub refused: closing the connection stops the process.
    if (chat === current) current.controller.abort();
  }

  loadProcesses();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      // Leaving the page closes the chat's connection, which stops the hub's process.
      if (chat) chat.controller.abort();
    },
  };
}

/** The Overview's card: how many chats the hub runs; hidden when not configured or not allowed. */
export function aiCard(api) {
  return upstreamCard({
    id: 'ai-card',
    title: 'AI hub',
    href: '#/ai',
    refreshMs: CARD_REFRESH_MS,
    // Not configured, or a viewer (the hub is for users and administrators): no card.
    summary: oneRead(api, '/api/ai/processes', (e) => e.code === NOT_CONFIGURED || e.status === 403,
      (answer) => [
        el('p', { class: 'figure', id: 'ai-processes' }, `${answer.count} ${answer.count === 1 ? 'process' : 'processes'} running`),
        answer.processes.length
          ? el('ul', { class: 'plain' }, answer.processes.slice(0, 3).map((p) => el('li', {}, `${p.model || 'model?'} in ${p.cwd || '?'}, since ${p.started_at || '?'}`)))
          : el('p', { class: 'muted' }, 'The hub is idle.'),
      ]),
  });
}
