// A small tus 1.0.0 client (https://tus.io/protocols/resumable-upload) for the file manager's big
// files: the creation extension (POST), then PATCH requests of a few MiB each from the server's
// offset. After a failure (a cut connection, a server restarting, a chunk refused for its
// checksum) it asks the server where the upload stands (HEAD) and continues from there, with a
// growing wait and a bounded number of attempts in a row. The upload's URL is remembered in
// localStorage under the user, the file's name, size and modification time, so choosing the same
// file again, after a reload or a browser restart, continues it instead of sending it all again. (The npm
// tus-js-client has no webjar the build can resolve, and this is all the dashboard needs of it.)
import { ApiError, authorization, refused, session } from './api.js';

const TUS_VERSION = '1.0.0';
/** How much one PATCH sends: a cut loses at most the unacknowledged part of one chunk. */
export const CHUNK_BYTES = 4 * 1024 * 1024;
/** The wait before each retry; one entry per attempt in a row, after which the upload fails. */
export const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000];
const STORE_PREFIX = 'homelab.tus.';

/** Statuses worth another attempt after a HEAD: the connection, a conflict on the offset, a busy server. */
const RETRYABLE = new Set([0, 409, 423, 460, 500, 502, 503, 504]);

/**
 * The user of this tab's session (the subject of its token): people sharing a browser neither see
 * nor forget each other's unfinished uploads (another user's upload is a 404, like an expired one).
 */
function user() {
  try {
    const payload = session.token().split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return String(JSON.parse(atob(payload)).sub || '');
  } catch (e) {
    return '';
  }
}

function prefix() {
  return `${STORE_PREFIX}${user()}:`;
}

/** The localStorage key of a file's upload: what identifies the same file chosen again by the same user. */
export function storageKey(file) {
  return `${prefix()}${JSON.stringify([file.name, file.size, file.lastModified])}`;
}

/** The unfinished uploads this browser remembers for this user: [{key, url, name, size}]. */
export function remembered() {
  const mine = prefix();
  const found = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key || !key.startsWith(mine)) continue;
    const entry = read(key);
    if (entry) found.push({ key, ...entry });
  }
  return found;
}

/** Forgets a remembered upload (it finished, expired or was cancelled). */
export function forget(key) {
  localStorage.removeItem(key);
}

function read(key) {
  try {
    const entry = JSON.parse(localStorage.getItem(key));
    return entry && typeof entry.url === 'string' && entry.url.startsWith('/') ? entry : null;
  } catch (e) {
    return null;
  }
}

/** A tus header value of metadata: each key with its value in base64 of its UTF-8 bytes. */
function encodeMetadata(metadata) {
  return Object.entries(metadata)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => {
      const bytes = new TextEncoder().encode(String(value));
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return `${key} ${btoa(binary)}`;
    })
    .join(',');
}

function headers(more) {
  return { 'Tus-Resumable': TUS_VERSION, ...authorization(), ...more };
}

async function bodyOf(response) {
  try {
    return await response.json();
  } catch (e) {
    return null;
  }
}

function unreachable() {
  return new ApiError(0, { detail: 'The server cannot be reached.' });
}

function aborted() {
  return new DOMException('The upload was stopped.', 'AbortError');
}

/** Base64 of the SHA-256 of a chunk, or null where the browser has no Web Crypto (a plain-HTTP LAN address). */
async function checksum(blob) {
  if (!globalThis.crypto || !crypto.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * One file's resumable upload. start() resolves with {fileId, resumedAt} once the server has the
 * whole file, or rejects with the server's words (an ApiError) or an AbortError.
 *
 * @param file the File
 * @param endpoint the tus creation URL (a path of this origin)
 * @param metadata the Upload-Metadata (filename, filetype, tags)
 * @param onProgress (bytesSent, total), as the bytes go
 * @param onRetry (attempt, waitMs, error) before each retry
 */
export class TusUpload {
  constructor(file, { endpoint, metadata, chunkBytes = CHUNK_BYTES, onProgress = () => {}, onRetry = () => {} }) {
    this.file = file;
    this.endpoint = endpoint;
    this.metadata = metadata || {};
    this.chunkBytes = chunkBytes;
    this.onProgress = onProgress;
    this.onRetry = onRetry;
    this.key = storageKey(file);
    this.url = null;
    this.fileId = null;
    this.stopped = false;
    this.controller = new AbortController();
    this.xhr = null;
    this.wake = null;
  }

  async start() {
    let offset = null;
    let resumedAt = null;
    const stored = read(this.key);
    if (stored) {
      this.url = stored.url;
      // A remembered upload the server no longer knows (expired, cancelled, another user's) is
      // started again from nothing.
      offset = await this.retrying(() => this.head());
      if (offset === null || offset > this.file.size) {
        forget(this.key);
        this.url = null;
        offset = null;
      } else {
        resumedAt = offset;
      }
    }
    if (offset === null) {
      this.url = await this.retrying(() => this.create());
      localStorage.setItem(this.key, JSON.stringify({ url: this.url, name: this.file.name, size: this.file.size }));
      offset = 0;
    }
    this.onProgress(offset, this.file.size);
    await this.send(offset);
    forget(this.key);
    return { fileId: this.fileId, resumedAt };
  }

  /** PATCHes from `offset` to the end; after a failure, asks the server's offset and goes on from it. */
  async send(from) {
    let offset = from;
    let failures = 0;
    let lost = false;
    // Bounded: each pass either moves the offset forward (at most size / chunk of those) or counts
    // a failure, and RETRY_DELAYS_MS.length failures in a row end it.
    for (;;) {
      if (this.stopped) throw aborted();
      try {
        if (lost) {
          offset = await this.head();
          if (offset === null) throw new ApiError(404, { detail: 'The upload is no longer on the server (expired or cancelled).' });
          lost = false;
          this.onProgress(offset, this.file.size);
        }
        if (offset >= this.file.size) {
          if (!this.fileId) this.fileId = await this.sessionFile().catch(() => null);
          if (!this.fileId) {
            // Every byte is there but no file: its completion failed (the quota, a full disk) or
            // its answer was lost. An empty chunk at the end asks the server to complete it again.
            await this.patch(offset);
            if (!this.fileId) throw new ApiError(0, { detail: 'The server has every byte but no file yet.' });
          }
          return;
        }
        const next = await this.patch(offset);
        if (!(next > offset)) throw new ApiError(0, { detail: 'The server accepted none of the chunk.' });
        offset = next;
        failures = 0;
      } catch (e) {
        await this.backOff(e, failures++);
        lost = true;
      }
    }
  }

  /** Runs `step` until it succeeds, retrying as send() does. */
  async retrying(step) {
    for (let failures = 0; ; failures++) {
      if (this.stopped) throw aborted();
      try {
        return await step();
      } catch (e) {
        await this.backOff(e, failures);
      }
    }
  }

  /** After a failure: waits before the next attempt, or throws when none is worth it (or left). */
  async backOff(e, failures) {
    if (this.stopped) throw aborted();
    if (e.status === undefined || !RETRYABLE.has(e.status) || failures >= RETRY_DELAYS_MS.length) throw e;
    const wait = RETRY_DELAYS_MS[failures];
    this.onRetry(failures + 1, wait, e);
    await this.pause(wait);
  }

  async request(method, url, more) {
    let response;
    try {
      response = await fetch(url, { method, headers: headers(more), cache: 'no-store', signal: this.controller.signal });
    } catch (e) {
      if (this.stopped) throw aborted();
      throw unreachable();
    }
    if (!response.ok) throw refused(response.status, method === 'HEAD' ? null : await bodyOf(response));
    return response;
  }

  async create() {
    const response = await this.request('POST', this.endpoint, {
      'Upload-Length': String(this.file.size),
      'Upload-Metadata': encodeMetadata(this.metadata),
    });
    const location = response.headers.get('Location');
    if (!location) throw new ApiError(response.status, { detail: 'The server created the upload but did not say where.' });
    return new URL(location, window.location.href).pathname;
  }

  /** The server's offset of this upload, or null if it does not know the upload. */
  async head() {
    try {
      const response = await this.request('HEAD', this.url);
      const offset = Number.parseInt(response.headers.get('Upload-Offset'), 10);
      if (!Number.isSafeInteger(offset) || offset < 0) throw new ApiError(response.status, { detail: 'The server did not say its offset.' });
      return offset;
    } catch (e) {
      if (e.status === 404 || e.status === 410) return null;
      throw e;
    }
  }

  /** The file an upload that the server has whole became (its 204 was lost): from the session's JSON view. */
  async sessionFile() {
    const response = await this.request('GET', this.url, { Accept: 'application/json' });
    const view = await bodyOf(response);
    if (!view || !view.file) throw new ApiError(0, { detail: 'The server has every byte but no file yet.' });
    return view.file.id;
  }

  /** One PATCH of the chunk at `offset`: the server's new offset. */
  async patch(offset) {
    const chunk = this.file.slice(offset, Math.min(offset + this.chunkBytes, this.file.size));
    const sum = await checksum(chunk);
    if (this.stopped) throw aborted();
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      this.xhr = xhr;
      xhr.open('PATCH', this.url);
      const all = headers({ 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' });
      if (sum) all['Upload-Checksum'] = `sha256 ${sum}`;
      for (const [name, value] of Object.entries(all)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (e) => this.onProgress(offset + e.loaded, this.file.size);
      xhr.onload = () => {
        this.xhr = null;
        if (xhr.status !== 204) {
          let body = null;
          try {
            body = JSON.parse(xhr.responseText);
          } catch (e) {
            body = null;
          }
          reject(refused(xhr.status, body));
          return;
        }
        const id = xhr.getResponseHeader('Homelab-File-Id');
        if (id) this.fileId = id;
        resolve(Number.parseInt(xhr.getResponseHeader('Upload-Offset'), 10));
      };
      xhr.onerror = () => {
        this.xhr = null;
        reject(unreachable());
      };
      xhr.onabort = () => {
        this.xhr = null;
        reject(aborted());
      };
      xhr.send(chunk);
    });
  }

  pause(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Stops sending; the server keeps what it has, and the same file chosen again continues it. */
  stop() {
    this.stopped = true;
    this.controller.abort();
    if (this.xhr) this.xhr.abort();
    if (this.wake) this.wake();
  }

  /** Stops, and ends the upload on the server too (tus termination): nothing to continue. */
  async cancel() {
    this.stop();
    forget(this.key);
    if (!this.url) return;
    try {
      await fetch(this.url, { method: 'DELETE', headers: headers({}), cache: 'no-store' });
    } catch (e) {
      // unreachable: the server drops it when it expires
    }
  }
}

/** Ends a remembered upload on the server and forgets it (the Discard of an unfinished upload). */
export async function discard(entry) {
  forget(entry.key);
  const response = await fetch(entry.url, { method: 'DELETE', headers: headers({}), cache: 'no-store' }).catch(() => null);
  if (response && !response.ok && response.status !== 404) throw refused(response.status, await bodyOf(response));
}
