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
  const headers = { Accept: 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { detail: 'The server cannot be reached.' });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (response.status === 401 && token) {
    session.clear();
    expiredHandler('Your session has ended: log in again.');
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
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
