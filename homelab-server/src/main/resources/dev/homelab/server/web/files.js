// Files: the caller's file store (an administrator's: everyone's). Upload several files at once by
// dropping them on the page or choosing them, each with its progress bar: small ones in one
// multipart request, big ones resumable over tus (tus.js); tags, a tag filter and a name search
// with paging; download, delete, share links; the storage figures. The list follows the
// file.changed events (/api/events), so an upload from another tab or client shows at once.
// Uploads belong to the tab, not to the page: leaving the page does not stop them, and the page
// shows them again when it is opened again.
import { el, clear, formatBytes } from './dom.js';
import { api, authorization, refused, session } from './api.js';
import { liveStream } from './events.js';
import { pagedList } from './paging.js';
import { TusUpload, remembered, discard, storageKey, RETRY_DELAYS_MS } from './tus.js';
import { upstreamCard, oneRead } from './upstream-card.js';

/** Files above this size go resumable over tus; smaller ones in one multipart request each. */
export const RESUMABLE_ABOVE = 8 * 1024 * 1024;
/** How many uploads run at once; the others wait their turn. */
const UPLOADS_AT_ONCE = 2;
/** How long the last downloads' blob: URLs live: long enough for the browser to start saving them. */
const DOWNLOAD_URL_MS = 60000;
const EXPIRIES = [[3600, '1 hour'], [86400, '1 day'], [604800, '7 days'], [2592000, '30 days'], [31536000, '1 year']];
const DEFAULT_EXPIRY = 604800;

// ---- uploads: one queue per tab, shown by the page while it is open ----

const uploads = {
  list: el('ol', { class: 'uploads', id: 'upload-list', 'aria-label': 'Uploads' }),
  queue: [],
  running: 0,
  active: new Set(), // storage keys of the resumable uploads under way, so a file is not sent twice at once
  finished: null, // (file) => void, set by the page while it is open
  session: null, // the session token the lines belong to
};

function warnBeforeLeaving(event) {
  event.preventDefault();
  event.returnValue = '';
}

function pump() {
  while (uploads.running < UPLOADS_AT_ONCE && uploads.queue.length) {
    const item = uploads.queue.shift();
    if (uploads.running++ === 0) window.addEventListener('beforeunload', warnBeforeLeaving);
    item.run().finally(() => {
      if (--uploads.running === 0) window.removeEventListener('beforeunload', warnBeforeLeaving);
      pump();
    });
  }
}

/** One multipart upload of one file: {done (a promise of the file), abort()}. */
function formUpload(file, tags, onProgress) {
  const xhr = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    const form = new FormData();
    if (tags) form.append('tags', tags);
    // The server's multipart parser turns = ; , : in a part's filename into spaces and drops
    // quotes: the name also goes as a field, which it keeps exactly.
    form.append('filename', file.name);
    form.append('file', file, file.name);
    xhr.open('POST', '/api/files/upload');
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries(authorization())) xhr.setRequestHeader(name, value);
    // The request also carries the form's framing: its share of the file's size is what is shown.
    xhr.upload.onprogress = (e) => onProgress(e.lengthComputable && e.total ? Math.round((file.size * e.loaded) / e.total) : 0);
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (e) {
        body = null;
      }
      if (xhr.status === 201 && body && Array.isArray(body.files) && body.files.length) resolve(body.files[0]);
      else reject(refused(xhr.status, body));
    };
    xhr.onerror = () => reject(refused(0, { detail: 'The server cannot be reached.' }));
    xhr.onabort = () => reject(new DOMException('The upload was stopped.', 'AbortError'));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/**
 * A file to upload: its line in the list, and run() that sends it. A resumable one holds its
 * storage key in uploads.active from now until it ends, so the same file chosen twice is not sent
 * twice at once (the server would refuse the second PATCH as locked).
 */
function uploadItem(file, tags, onTagsRefused) {
  const resumable = file.size > RESUMABLE_ABOVE;
  const key = resumable ? storageKey(file) : null;
  const bar = el('progress', { max: Math.max(file.size, 1), value: 0, 'aria-label': `Upload of ${file.name}` });
  const status = el('span', { class: 'status', role: 'status' }, 'Waiting…');
  const cancel = el('button', { type: 'button', class: 'cancel', 'aria-label': `Cancel the upload of ${file.name}` }, 'Cancel');
  const node = el('li', { class: 'upload', 'data-name': file.name, 'data-method': resumable ? 'tus' : 'form', 'data-state': 'queued' },
    el('span', { class: 'name' }, el('strong', {}, file.name), ' ',
      el('span', { class: 'muted size' }, formatBytes(file.size), resumable ? ', resumable' : '')),
    status, cancel, bar);
  let handle = null;
  let cancelled = false;

  function state(name, text) {
    node.dataset.state = name;
    status.textContent = text;
    status.className = `status${name === 'failed' ? ' error' : name === 'done' ? ' ok' : ''}`;
    cancel.hidden = ['done', 'failed', 'cancelled'].includes(name);
  }

  function progress(sent) {
    bar.value = sent;
    node.dataset.sent = String(sent);
    const percent = file.size ? Math.floor((sent / file.size) * 100) : 100;
    state('uploading', `${percent} % of ${formatBytes(file.size)}`);
  }

  cancel.addEventListener('click', () => {
    cancelled = true;
    if (handle) {
      handle.cancel();
    } else {
      state('cancelled', 'Cancelled.');
      if (key) uploads.active.delete(key);
    }
  });

  if (key && uploads.active.has(key)) {
    state('failed', 'This file is being uploaded already.');
    return { node, run: async () => {} };
  }
  if (key) uploads.active.add(key);

  async function run() {
    if (cancelled) return;
    state('uploading', 'Starting…');
    try {
      let stored;
      let note = '';
      if (resumable) {
        const upload = new TusUpload(file, {
          endpoint: '/api/files/uploads',
          metadata: { filename: file.name, filetype: file.type || 'application/octet-stream', tags },
          onProgress: progress,
          onRetry: (attempt, wait, e) => state('retrying',
            `${e.message} Trying again in ${Math.ceil(wait / 1000)} s (${attempt} of ${RETRY_DELAYS_MS.length}).`),
        });
        handle = { cancel: () => upload.cancel() };
        const result = await upload.start();
        if (result.resumedAt) note = `, continued from ${formatBytes(result.resumedAt)}`;
        stored = await api('GET', `/api/files/${encodeURIComponent(result.fileId)}`);
      } else {
        const upload = formUpload(file, tags, progress);
        handle = { cancel: () => upload.abort() };
        stored = await upload.done;
      }
      bar.value = bar.max;
      node.dataset.id = stored.id;
      if (note) node.dataset.resumed = 'true';
      state('done', `Done${note}.`);
      if (uploads.finished) uploads.finished(stored);
    } catch (e) {
      if (e.name === 'AbortError') {
        state('cancelled', 'Cancelled.');
      } else {
        state('failed', e.message);
        if (e.field === 'tags') onTagsRefused(e.message);
      }
    } finally {
      if (key) uploads.active.delete(key);
    }
  }

  return { node, run };
}

// ---- the page ----

function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

function percent(part, whole) {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}

export function filesPage(view, { showBanner }) {
  // Someone else logged in in this tab: the names of the last one's uploads are not theirs to see.
  if (uploads.session !== session.token() && uploads.running === 0) clear(uploads.list);
  uploads.session = session.token();
  const message = el('p', { class: 'error', role: 'alert', id: 'files-error' });
  const picker = el('input', { type: 'file', id: 'file-input', multiple: true });
  const tagsInput = el('input', { id: 'upload-tags', placeholder: 'docs, 2026', autocomplete: 'off', maxlength: 2200 });
  const drop = el('label', { class: 'drop-zone', id: 'file-drop', for: 'file-input' },
    el('strong', {}, 'Drop files here'), el('span', { class: 'muted' }, ' or choose them: '), picker);
  const unfinished = el('div', { id: 'unfinished-uploads' });
  const upload = el('section', { class: 'card', id: 'file-upload', 'aria-labelledby': 'file-upload-title' },
    el('h2', { id: 'file-upload-title' }, 'Upload'),
    drop,
    el('div', { class: 'upload-tags' }, el('label', { for: 'upload-tags' }, 'Tags, comma separated'), tagsInput),
    el('p', { class: 'muted small' }, `Files above ${formatBytes(RESUMABLE_ABOVE)} are sent resumably: after a cut connection the upload goes on by itself, and after a reload choosing the same file again continues it.`),
    unfinished, uploads.list);
  const stats = el('dl', { class: 'facts', id: 'file-stats' });
  const statsCard = el('section', { class: 'card', id: 'file-stats-card', 'aria-labelledby': 'file-stats-title' },
    el('h2', { id: 'file-stats-title' }, 'Storage'), stats);
  const shares = el('section', { class: 'card', id: 'file-shares', 'aria-labelledby': 'file-shares-title', hidden: true });
  let stopped = false;
  let statsTimer = null;
  let sharing = null; // the file whose share links are shown
  const downloadUrls = new Set();

  const list = pagedList({
    api,
    path: '/api/files',
    key: 'files',
    filters: [
      { id: 'file-tag', name: 'tag', label: 'Tag', placeholder: 'any tag' },
      { id: 'file-q', name: 'q', label: 'Name contains', type: 'search', placeholder: 'report' },
    ],
    columns: ['Name', 'Size', 'Tags', 'Added', 'Actions'],
    row: listed,
    empty: 'No files match.',
    onError: (text) => { message.textContent = text; },
  });
  list.body.id = 'file-rows';
  const listSection = el('section', { id: 'file-list', 'aria-labelledby': 'file-list-title' },
    el('h2', { id: 'file-list-title' }, 'Your files'), list.node);
  list.node.querySelector('table').classList.add('files');

  view.append(
    el('h1', {}, 'Files'),
    message,
    el('div', { class: 'files-top' }, upload, statsCard),
    shares,
    listSection);

  function row(f) {
    const name = f.filename;
    return el('tr', { 'data-id': f.id, 'data-name': name },
      el('td', { class: 'name', 'data-label': 'Name' }, el('span', { class: 'filename' }, name),
        el('span', { class: 'muted small' }, f.content_type)),
      el('td', { class: 'size', 'data-label': 'Size' }, formatBytes(f.size)),
      el('td', { class: 'tags', 'data-label': 'Tags' }, f.tags.map((t) =>
        el('button', { type: 'button', class: 'tag', 'data-tag': t, 'aria-label': `Show the files tagged ${t}`, onclick: () => filterByTag(t) }, t))),
      el('td', { class: 'added', 'data-label': 'Added' }, formatTime(f.created_at)),
      el('td', { class: 'actions' },
        el('button', { type: 'button', class: 'download', onclick: (e) => download(f, e.currentTarget), 'aria-label': `Download ${name}` }, 'Download'),
        el('button', { type: 'button', class: 'edit', onclick: (e) => edit(f, e.currentTarget.closest('tr')), 'aria-label': `Rename or retag ${name}` }, 'Edit'),
        el('button', { type: 'button', class: 'share', onclick: () => showShares(f), 'aria-label': `Share ${name}` }, 'Share'),
        el('button', { type: 'button', class: 'danger delete', onclick: () => remove(f), 'aria-label': `Delete ${name}` }, 'Delete')));
  }

  /** A row of a page read: it replaces the row an event may have added while the page was read. */
  function listed(f) {
    const shown = shownRow(f.id);
    if (shown) shown.remove();
    return row(f);
  }

  function shownRow(id) {
    return list.body.querySelector(`tr[data-id="${CSS.escape(id)}"]`);
  }

  /** The row as a form for the file's name and tags (PATCH /api/files/{id}). */
  function edit(f, tr) {
    const name = el('input', { class: 'edit-name', value: f.filename, maxlength: 255, required: true, 'aria-label': `New name of ${f.filename}` });
    const tags = el('input', { class: 'edit-tags', value: f.tags.join(', '), placeholder: 'no tags', 'aria-label': `Tags of ${f.filename}, comma separated` });
    const error = el('p', { class: 'error', role: 'alert' });
    async function save(event) {
      event.preventDefault();
      error.textContent = '';
      name.removeAttribute('aria-invalid');
      tags.removeAttribute('aria-invalid');
      try {
        const updated = await api('PATCH', `/api/files/${encodeURIComponent(f.id)}`, {
          filename: name.value,
          tags: tags.value.split(',').map((t) => t.trim()).filter((t) => t),
        });
        tr.replaceWith(row(updated));
        upsert(updated);
      } catch (e) {
        error.textContent = e.message;
        if (e.field === 'tags') tags.setAttribute('aria-invalid', 'true');
        if (e.field === 'filename') name.setAttribute('aria-invalid', 'true');
      }
    }
    // While it is edited, an event about the file does not redraw it (what is typed would go).
    tr.dataset.editing = 'true';
    tr.replaceChildren(el('td', { colspan: 5 },
      el('form', { class: 'inline edit-file', onsubmit: save },
        name, tags,
        el('button', { type: 'submit', class: 'primary' }, 'Save'),
        el('button', { type: 'button', onclick: () => tr.replaceWith(row(f)) }, 'Cancel')),
      error));
    name.focus();
  }

  function filterByTag(tag) {
    list.node.querySelector('#file-tag').value = tag;
    list.node.querySelector('#file-q').value = '';
    list.reload();
  }

  /** Whether a file belongs in the list as filtered now. */
  function matches(f) {
    const applied = list.applied();
    const tag = applied.get('tag');
    const q = applied.get('q');
    return (!tag || f.tags.includes(tag.toLowerCase())) && (!q || f.filename.toLowerCase().includes(q.toLowerCase()));
  }

  /** A file created or changed (an upload here, an event): its row added or redrawn, in place. */
  function upsert(f) {
    const shown = shownRow(f.id);
    if (!matches(f)) {
      if (shown) shown.remove();
    } else if (shown) {
      if (!shown.dataset.editing) shown.replaceWith(row(f));
    } else {
      const empty = list.body.querySelector('tr.empty');
      if (empty) empty.remove();
      list.body.prepend(row(f));
    }
    if (sharing && sharing.id === f.id) sharing = f;
  }

  function removed(id) {
    const shown = shownRow(id);
    if (shown) shown.remove();
    if (sharing && sharing.id === id) closeShares();
  }

  async function loadStats() {
    try {
      const s = await api('GET', '/api/files/stats');
      if (stopped) return;
      renderStats(s);
    } catch (e) {
      if (!stopped) clear(stats).append(el('dd', { class: 'error' }, e.message));
    }
  }

  /** The figures, read again shortly after a change: a burst of uploads asks once. */
  function statsSoon() {
    clearTimeout(statsTimer);
    statsTimer = setTimeout(loadStats, 300);
  }

  function fact(key, label, ...value) {
    return [el('dt', {}, label), el('dd', { 'data-stat': key }, ...value)];
  }

  /** A share of a whole, as a bar that turns red from 90 % (a quota or a disk nearly full). */
  function usage(key, label, used, total, text) {
    const share = percent(used, total);
    return fact(key, label,
      el('progress', { max: 100, value: share, class: share >= 90 ? 'hot' : '', 'aria-label': `${label} ${share} percent` }),
      el('span', { class: 'detail' }, text));
  }

  function renderStats(s) {
    const diskUsed = s.disk_total_bytes - s.disk_free_bytes;
    clear(stats).append(
      ...fact('count', 'Files', String(s.count)),
      ...fact('bytes', 'Size', formatBytes(s.bytes)),
      ...fact('stored', 'Stored on disk', formatBytes(s.stored_bytes)),
      ...fact('saved', 'Saved by dedup', formatBytes(s.saved_bytes)),
      ...(s.quota_bytes === null || s.quota_bytes === undefined
        ? fact('quota', 'Your files', `${formatBytes(s.used_bytes)}, no quota`)
        : usage('quota', 'Your quota', s.used_bytes, s.quota_bytes, `${formatBytes(s.used_bytes)} of ${formatBytes(s.quota_bytes)}`)),
      ...usage('disk', 'Disk', diskUsed, s.disk_total_bytes, `${formatBytes(s.disk_free_bytes)} free of ${formatBytes(s.disk_total_bytes)}`));
    statsCard.dataset.loaded = 'true';
  }

  // Downloads need the session's token, which an <a href> cannot send: the file is fetched with it
  // and saved from a blob: URL under its name.
  async function download(f, button) {
    message.textContent = '';
    button.disabled = true;
    button.textContent = 'Downloading…';
    try {
      let response;
      try {
        response = await fetch(`/api/files/${encodeURIComponent(f.id)}/download`, { headers: authorization(), cache: 'no-store' });
      } catch (e) {
        throw refused(0, { detail: 'The server cannot be reached.' });
      }
      if (!response.ok) throw refused(response.status, await response.json().catch(() => null));
      const url = URL.createObjectURL(await response.blob());
      downloadUrls.add(url);
      setTimeout(() => {
        URL.revokeObjectURL(url);
        downloadUrls.delete(url);
      }, DOWNLOAD_URL_MS);
      const link = el('a', { href: url, download: f.filename, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (e) {
      if (!stopped) message.textContent = `${f.filename}: ${e.message}`;
    } finally {
      button.disabled = false;
      button.textContent = 'Download';
    }
  }

  async function remove(f) {
    if (!confirm(`Delete ${f.filename}? Its share links stop working too.`)) return;
    message.textContent = '';
    try {
      await api('DELETE', `/api/files/${encodeURIComponent(f.id)}`);
      removed(f.id);
      statsSoon();
    } catch (e) {
      message.textContent = e.message;
    }
  }

  // ---- share links ----

  function closeShares() {
    sharing = null;
    shares.hidden = true;
    clear(shares);
  }

  function showShares(f) {
    sharing = f;
    const expiry = el('select', { id: 'share-expiry' },
      EXPIRIES.map(([seconds, label]) => el('option', { value: seconds, selected: seconds === DEFAULT_EXPIRY }, label)));
    const limit = el('input', { id: 'share-limit', type: 'number', min: 1, max: 1000000, placeholder: 'no limit', inputmode: 'numeric' });
    const created = el('div', { id: 'share-created', role: 'status' });
    const error = el('p', { class: 'error', role: 'alert', id: 'share-error' });
    const rows = el('tbody', { id: 'share-rows' });

    async function loadShares() {
      try {
        const answer = await api('GET', `/api/files/${encodeURIComponent(f.id)}/shares`);
        clear(rows).append(...answer.shares.map(shareRow));
        if (answer.shares.length === 0) rows.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No links yet.')));
      } catch (e) {
        error.textContent = e.message;
      }
    }

    function shareState(s) {
      if (s.revoked) return 'revoked';
      if (Date.parse(s.expires_at) <= Date.now()) return 'expired';
      if (s.max_downloads !== null && s.downloads >= s.max_downloads) return 'used up';
      return 'active';
    }

    function shareRow(s) {
      const state = shareState(s);
      return el('tr', { 'data-share': s.id, 'data-state': state },
        el('td', { 'data-label': 'Created' }, formatTime(s.created_at)),
        el('td', { 'data-label': 'Expires' }, formatTime(s.expires_at)),
        el('td', { 'data-label': 'Downloads' }, s.max_downloads === null ? String(s.downloads) : `${s.downloads} of ${s.max_downloads}`),
        el('td', { 'data-label': 'State', class: state === 'active' ? 'ok' : 'bad' }, state),
        el('td', { class: 'actions' }, state === 'active'
          ? el('button', { type: 'button', class: 'danger revoke', onclick: () => revoke(s) }, 'Revoke')
          : ''));
    }

    async function create(event) {
      event.preventDefault();
      error.textContent = '';
      limit.removeAttribute('aria-invalid');
      const body = { expires_in_seconds: Number(expiry.value) };
      if (limit.value.trim()) body.max_downloads = Number(limit.value);
      try {
        const issued = await api('POST', `/api/files/${encodeURIComponent(f.id)}/shares`, body);
        const url = new URL(issued.url, window.location.origin).href;
        const copy = el('button', { type: 'button', id: 'share-copy' }, 'Copy');
        const code = el('code', { class: 'secret', id: 'share-url' }, url);
        copy.addEventListener('click', async () => {
          try {
            await navigator.clipboard.writeText(url);
            copy.textContent = 'Copied';
          } catch (e) {
            // no clipboard (a plain-HTTP LAN address): the text is selected for a manual copy
            getSelection().selectAllChildren(code);
            copy.textContent = 'Selected: copy it';
          }
        });
        clear(created).append(
          el('p', {}, 'The link, shown this once: anyone who has it can download the file without logging in.'),
          el('div', { class: 'share-url' }, code, copy));
        limit.value = '';
        await loadShares();
      } catch (e) {
        error.textContent = e.message;
        if (e.field === 'max_downloads') limit.setAttribute('aria-invalid', 'true');
      }
    }

    async function revoke(s) {
      if (!confirm(`Revoke this link to ${f.filename}? It stops working at once.`)) return;
      error.textContent = '';
      try {
        await api('DELETE', `/api/files/${encodeURIComponent(f.id)}/shares/${encodeURIComponent(s.id)}`);
        await loadShares();
      } catch (e) {
        error.textContent = e.message;
      }
    }

    clear(shares).append(
      el('div', { class: 'card-head' },
        el('h2', { id: 'file-shares-title' }, 'Share links of ', el('span', { class: 'filename' }, f.filename)),
        el('button', { type: 'button', id: 'share-close', onclick: closeShares }, 'Close')),
      error,
      el('form', { class: 'inline', id: 'share-create', onsubmit: create },
        el('label', { for: 'share-expiry' }, 'Expires after'), expiry,
        el('label', { for: 'share-limit' }, 'Downloads at most'), limit,
        el('button', { type: 'submit', class: 'primary' }, 'Create link')),
      created,
      el('table', { class: 'shares' },
        el('thead', {}, el('tr', {}, ['Created', 'Expires', 'Downloads', 'State', ''].map((c) => el('th', {}, c)))),
        rows));
    shares.hidden = false;
    shares.dataset.file = f.id;
    shares.scrollIntoView({ block: 'nearest' });
    loadShares();
  }

  // ---- unfinished resumable uploads this browser remembers ----

  async function loadUnfinished() {
    const entries = remembered().filter((u) => !uploads.active.has(u.key));
    const items = [];
    for (const entry of entries) {
      try {
        const session = await api('GET', entry.url);
        items.push(el('li', { 'data-name': entry.name },
          el('span', { class: 'name' }, entry.name), ' ',
          el('span', { class: 'muted' }, `${formatBytes(session.offset)} of ${formatBytes(session.length)}, until ${formatTime(session.expires_at)}`), ' ',
          el('button', { type: 'button', onclick: () => forgetUpload(entry) }, 'Discard')));
      } catch (e) {
        if (e.status === 404) discard(entry).catch(() => {});
      }
    }
    if (stopped) return;
    clear(unfinished);
    if (items.length) {
      unfinished.append(el('p', {}, 'Unfinished uploads: choose the same file again to continue.'),
        el('ul', { class: 'plain unfinished' }, items));
    }
  }

  async function forgetUpload(entry) {
    if (!confirm(`Discard the unfinished upload of ${entry.name}? What was sent is deleted.`)) return;
    try {
      await discard(entry);
    } catch (e) {
      message.textContent = e.message;
    }
    loadUnfinished();
  }

  // ---- choosing and dropping files ----

  function add(files) {
    if (!files.length) return;
    message.textContent = '';
    tagsInput.removeAttribute('aria-invalid');
    const tags = tagsInput.value.trim();
    for (const file of files) {
      const item = uploadItem(file, tags, (text) => {
        tagsInput.setAttribute('aria-invalid', 'true');
        message.textContent = text;
      });
      uploads.list.prepend(item.node);
      uploads.queue.push(item);
    }
    // Finished lines beyond the newest 50 go: the list stays short through a long session.
    while (uploads.list.childElementCount > 50 && uploads.list.lastElementChild.dataset.state !== 'uploading') {
      uploads.list.lastElementChild.remove();
    }
    pump();
    loadUnfinished();
  }

  picker.addEventListener('change', () => {
    add([...picker.files]);
    picker.value = '';
  });
  // The whole page takes a drop (the browser would otherwise open the file in place of the page).
  let dragDepth = 0;
  const hasFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  function onDragEnter(e) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth++;
    drop.classList.add('over');
  }
  function onDragOver(e) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }
  function onDragLeave(e) {
    if (!hasFiles(e)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) drop.classList.remove('over');
  }
  function onDrop(e) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth = 0;
    drop.classList.remove('over');
    add([...e.dataTransfer.files]);
  }
  const dragEvents = { dragenter: onDragEnter, dragover: onDragOver, dragleave: onDragLeave, drop: onDrop };
  for (const [type, handler] of Object.entries(dragEvents)) window.addEventListener(type, handler);

  uploads.finished = (f) => {
    upsert(f);
    statsSoon();
    loadUnfinished();
  };
  const stream = liveStream(['file.changed'], (type, event) => {
    const change = event.payload;
    if (type !== 'file.changed' || !change || !change.file) return;
    if (change.change === 'deleted') removed(change.file.id);
    else upsert(change.file);
    statsSoon();
  }, showBanner, (connected) => { listSection.dataset.live = String(connected); });
  loadStats();
  loadUnfinished();

  return {
    stop: () => {
      stopped = true;
      stream.stop();
      clearTimeout(statsTimer);
      uploads.finished = null;
      for (const [type, handler] of Object.entries(dragEvents)) window.removeEventListener(type, handler);
      for (const url of downloadUrls) URL.revokeObjectURL(url);
    },
  };
}

/** The Overview's card: how many files and bytes, and the free disk, read every minute. */
export function filesCard(api) {
  return upstreamCard({
    id: 'files-card',
    title: 'Files',
    href: '#/files',
    refreshMs: 60000,
    summary: oneRead(api, '/api/files/stats', (e) => e.status === 404, (s) => [
      el('span', { class: 'figure' }, String(s.count)), ` file${s.count === 1 ? '' : 's'}, ${formatBytes(s.bytes)}`,
      el('br'),
      `${formatBytes(s.disk_free_bytes)} free of ${formatBytes(s.disk_total_bytes)} on the disk`,
    ]),
  });
}
