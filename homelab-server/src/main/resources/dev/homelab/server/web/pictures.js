// Pictures behind the login (camera and event snapshots). An <img src> cannot send the bearer
// token, which lives in this tab's sessionStorage and never in a URL or a cookie, so a picture is
// fetched with the token as a header and shown from a blob: URL; each URL is revoked once the
// next picture replaces it or the page is left, so a grid refreshing every few seconds keeps no
// old pictures in memory.
import { ApiError, session } from './api.js';

async function fetchPicture(path) {
  let response;
  try {
    response = await fetch(path, {
      headers: { Accept: 'image/*', Authorization: `Bearer ${session.token()}` },
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { detail: 'The server cannot be reached.' });
  }
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    throw new ApiError(response.status, body);
  }
  return URL.createObjectURL(await response.blob());
}

/** An <img> whose picture comes from the API; load() replaces it, release() frees the last one. */
export function picture(img) {
  let url = null;
  let released = false;
  return {
    async load(path) {
      const next = await fetchPicture(path);
      if (released) {
        URL.revokeObjectURL(next);
        return;
      }
      img.src = next;
      if (url) URL.revokeObjectURL(url);
      url = next;
    },
    release() {
      released = true;
      if (url) URL.revokeObjectURL(url);
      url = null;
    },
  };
}
