// The dashboard's shell: login, the page for the hash route, the connection banner, the theme.
import { api, login, logout, session } from './api.js';
import { el, clear } from './dom.js';
import { overviewPage } from './overview.js';
import { devicesPage } from './devices.js';
import { accessPage } from './access.js';
import { adminPage } from './admin.js';
import { historyPage } from './history.js';
import { proxmoxPage } from './proxmox.js';
import { camerasPage } from './cameras.js';
import { automationsPage } from './automations.js';
import { aiPage } from './ai.js';
import { mqttPage } from './mqtt.js';
import { sensorsPage } from './sensors.js';
import { deviceHistoryPage } from './device-history.js';
import { filesPage } from './files.js';

const pages = {
  overview: overviewPage,
  history: historyPage,
  access: accessPage,
  devices: devicesPage,
  admin: adminPage,
  proxmox: proxmoxPage,
  cameras: camerasPage,
  automations: automationsPage,
  ai: aiPage,
  mqtt: mqttPage,
  sensors: sensorsPage,
  'device-history': deviceHistoryPage,
  files: filesPage,
};
const view = document.getElementById('view');
const nav = document.getElementById('nav');
const banner = document.getElementById('banner');
const logoutButton = document.getElementById('logout');
let current = null;

export function showBanner(text, kind) {
  if (!text) {
    banner.hidden = true;
    clear(banner);
    return;
  }
  banner.className = `banner ${kind || ''}`;
  banner.replaceChildren(text);
  banner.hidden = false;
}

function loginPage(message) {
  nav.hidden = true;
  logoutButton.hidden = true;
  const error = el('p', { class: 'error', role: 'alert' }, message || '');
  const byToken = el('input', { id: 'token', type: 'password', autocomplete: 'current-password' });
  const username = el('input', { id: 'username', autocomplete: 'username' });
  const password = el('input', { id: 'password', type: 'password', autocomplete: 'current-password' });
  async function submit(event, credentials) {
    event.preventDefault();
    error.textContent = '';
    try {
      await login(credentials());
      if (location.hash === '#/overview') route();
      else location.hash = '#/overview'; // the hashchange routes
    } catch (e) {
      error.textContent = e.message;
    }
  }
  return el('section', { class: 'login' },
    el('h1', {}, 'Log in'),
    error,
    el('form', { id: 'login-password', onsubmit: (e) => submit(e, () => ({ username: username.value, password: password.value })) },
      el('label', { for: 'username' }, 'Username'), username,
      el('label', { for: 'password' }, 'Password'), password,
      el('button', { type: 'submit' }, 'Log in')),
    el('form', { id: 'login-token', onsubmit: (e) => submit(e, () => ({ token: byToken.value })) },
      el('label', { for: 'token' }, 'Or the access token'), byToken,
      el('button', { type: 'submit' }, 'Log in with the token')));
}

function route(message) {
  if (current && current.stop) current.stop();
  current = null;
  showBanner(null);
  clear(view);
  if (!session.token()) {
    view.append(loginPage(message));
    return;
  }
  nav.hidden = false;
  logoutButton.hidden = false;
  const name = (location.hash.replace(/^#\//, '') || 'overview').split('/')[0];
  const page = pages[name] || pages.overview;
  for (const link of nav.querySelectorAll('a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#/${name}`);
  }
  current = page(view, { api, showBanner });
}

session.onExpired((message) => route(message));
logoutButton.addEventListener('click', async () => {
  try {
    await logout();
  } catch (e) {
    // the session is gone from this tab either way
  }
  route('You are logged out.');
});
document.getElementById('theme').addEventListener('click', () => {
  const root = document.documentElement;
  const next = root.dataset.theme === 'dark' ? 'light' : 'dark';
  root.dataset.theme = next;
  localStorage.setItem('homelab.theme', next);
});
document.documentElement.dataset.theme = localStorage.getItem('homelab.theme') || 'dark';
window.addEventListener('hashchange', () => route());
route();
