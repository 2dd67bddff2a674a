// The API, as any client uses it: a bearer token (kept in this tab's sessionStorage, never in a
// URL or a cookie), JSON in and out, and failures carrying the server's own words (detail).
const TOKEN = 'homelab.token';

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.detail ? body.detail : `The server answered ${status}.`);
    this.status = status;
    this.code = body ? body.error_code : undefined;
    this.field = body ? body.field : undefined;
    this.requestId = body ? body.request_id : undefined;
  }
}

let expiredHandler = () => {};

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  set: (token) => sessionStorage.setItem(TOKEN, token),
  clear: () => sessionStorage.removeItem(TOKEN),
  onExpired: (handler) => { expiredHandler = handler; },
};

export async function api(method, path, body) {
  const { response, token } = await send(method, path, body, 'application/json');
  const json = await bodyOf(response);
  if (!response.ok) throw refusal(response.status, json, token);
  return json;
}

/**
 * A request answered by a stream (Server-Sent Events): the response once its head says 2xx, for
 * the caller to read its body; a refusal throws the server's words like api(). Aborting the signal
 * ends the request (an AbortError, not an ApiError).
 */
export async function openStream(method, path, body, signal) {
  const { response, token } = await send(method, path, body, 'text/event-stream', signal);
  if (!response.ok) throw refusal(response.status, await bodyOf(response), token);
  return response;
}

/**
 * A request that api() cannot make (a file upload with its progress, a download read as a blob):
 * the headers that send this tab's token, for the caller's own XMLHttpRequest or fetch().
 */
export function authorization() {
  const token = session.token();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * The error of such a request that the server refused (its body parsed, or null): the server's
 * words, and, as for api(), a refused token ends the session.
 */
export function refused(status, body) {
  return refusal(status, body, session.token());
}

/** Sends a request with this tab's token (and a JSON body, if any): the response, whatever its status, and the token. */
async function send(method, path, body, accept, signal) {
  const headers = { Accept: accept };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal,
    });
    return { response, token };
  } catch (e) {
    if (signal && signal.aborted) throw e;
    throw new ApiError(0, { detail: 'The server cannot be reached.' });
  }
}

async function bodyOf(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch (e) {
    return null;
  }
}

/** The error of a refused request; a refused token ends the session. */
function refusal(status, json, token) {
  if (status === 401 && token) {
    session.clear();
    expiredHandler('Your session has ended: log in again.');
  }
  return new ApiError(status, json);
}

export async function login(credentials) {
  session.clear();
  const answer = await api('POST', '/api/auth/login', credentials);
  session.set(answer.jwt);
  return answer;
}

export async function logout() {
  try {
    await api('POST', '/api/auth/logout');
  } finally {
    session.clear();
  }
}
