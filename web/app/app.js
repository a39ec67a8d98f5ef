// app.js — the console's shell: log-in, the header (who, live indicator, digits choice,
// log-out), the screens a user's roles allow, and the keys that switch between them.
//
// A screen is a module under web/app/ whose default export is
//   { id, title, roles: ['call_taker', ...], key: 'F2', mount(el, ctx) → unmount() }
// mount() builds the screen inside `el` and returns a function that tears it down
// (unsubscribes live events, clears timers). ctx gives what every screen needs:
//   ctx.user     the logged-in user (GET /api/v1/me)
//   ctx.places() the counties, stations and entry points (GET /api/v1/places), once
//   ctx.toast(text, kind)  a short message in the status area ("error" | "ok")
// Screens talk to the server through ../lib/api.js and listen through ../lib/live.js,
// and format everything a person reads through ../lib/i18n.js.

import { api, login, logout, onAuthLost, ApiError } from '../lib/api.js';
import * as live from '../lib/live.js';
import { ROLE, errorText, setLatinDigits, toLatin } from '../lib/i18n.js';
import calltaker from './calltaker.js';
import dispatch from './dispatch.js';
import desk from './desk.js';

const SCREENS = [calltaker, dispatch, desk];

const $ = (sel, root = document) => root.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== false && v != null) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) e.append(c);
  return e;
}
export { el };

let user = null;
let current = null; // {screen, unmount}
let placesPromise = null;

function toast(text, kind = 'ok') {
  const box = $('#toast');
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, kind === 'error' ? 8000 : 3000);
}

const ctx = {
  get user() { return user; },
  places() {
    if (!placesPromise) placesPromise = api('GET', '/api/v1/places').catch((e) => { placesPromise = null; throw e; });
    return placesPromise;
  },
  toast,
};

// ---- log-in ------------------------------------------------------------------------

// Shows the log-in dialog; resolves with the user once logged in. Over a screen it is a
// modal on top, so the screen and what was typed on it stay as they were.
function askLogin(reason) {
  return new Promise((resolve) => {
    const dialog = $('#login');
    const form = $('form', dialog);
    const msg = $('#login-msg', dialog);
    const totpRow = $('#login-totp-row', dialog);
    msg.textContent = reason || '';
    totpRow.hidden = true;
    form.reset();
    if (user) $('#login-user', dialog).value = user.username;
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      const username = $('#login-user', dialog).value.trim();
      const password = $('#login-pass', dialog).value;
      const totp = toLatin($('#login-totp', dialog).value.trim());
      msg.textContent = '';
      try {
        await login(username, password, totp || undefined);
        dialog.close();
        resolve();
      } catch (err) {
        if (err instanceof ApiError && (err.code === 'totp_required' || err.code === 'totp_invalid')) {
          totpRow.hidden = false;
          $('#login-totp', dialog).focus();
        }
        msg.textContent = errorText(err);
      }
    };
    dialog.oncancel = (ev) => ev.preventDefault(); // no way around logging in
    if (!dialog.open) dialog.showModal();
    $(user ? '#login-pass' : '#login-user', dialog).focus();
  });
}

// ---- screens -----------------------------------------------------------------------

function allowed(screen) {
  return screen.roles.some((r) => user.roles.includes(r));
}

function show(id) {
  const screen = SCREENS.find((s) => s.id === id && allowed(s)) || SCREENS.find(allowed);
  if (current && current.screen === screen) return;
  if (current) current.unmount();
  const main = $('#screen');
  main.replaceChildren();
  current = null;
  for (const a of document.querySelectorAll('#nav a')) a.setAttribute('aria-current', a.dataset.id === screen?.id ? 'page' : 'false');
  if (!screen) {
    main.append(el('p', { class: 'empty' }, 'نقش شما صفحه‌ای در این پیشخوان ندارد.'));
    return;
  }
  document.title = `${screen.title} — همیار`;
  current = { screen, unmount: screen.mount(main, ctx) || (() => {}) };
  if (location.hash !== `#${screen.id}`) history.replaceState(null, '', `#${screen.id}`);
}

function renderHeader() {
  const nav = $('#nav');
  nav.replaceChildren(...SCREENS.filter(allowed).map((s) =>
    el('a', { href: `#${s.id}`, 'data-id': s.id, title: `${s.title} (${s.key})` }, s.title, ' ', el('kbd', {}, s.key))));
  $('#who').textContent = `${user.display_name || user.username} · ${user.roles.map((r) => ROLE[r] || r).join('، ')}`;
  $('#digits').checked = !!user.latin_digits;
}

async function loadUser() {
  user = await api('GET', '/api/v1/me');
  setLatinDigits(user.latin_digits);
}

async function startConsole() {
  await loadUser();
  renderHeader();
  live.start();
  show(location.hash.slice(1));
}

function wire() {
  onAuthLost(() => askLogin('نشست شما به پایان رسید؛ دوباره وارد شوید. آنچه نوشته‌اید حفظ شده است.'));
  live.onStatus((s) => {
    const b = $('#live');
    b.dataset.status = s;
    b.textContent = s === 'live' ? 'زنده' : 'در حال اتصال دوباره…';
  });
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  document.addEventListener('keydown', (ev) => {
    if ($('#login').open) return;
    const s = SCREENS.find((x) => x.key === ev.key && allowed(x));
    if (s) {
      ev.preventDefault();
      show(s.id);
    }
  });
  $('#digits').addEventListener('change', async (ev) => {
    try {
      user = await api('PATCH', '/api/v1/me', { body: { latin_digits: ev.target.checked } });
      setLatinDigits(user.latin_digits);
      const id = current?.screen.id;
      if (current) current.unmount();
      current = null;
      show(id);
    } catch (err) {
      toast(errorText(err), 'error');
    }
  });
  $('#logout').addEventListener('click', async () => {
    try {
      await logout();
    } catch {
      /* the session is gone either way */
    }
    live.stop();
    location.hash = '';
    location.reload();
  });
}

async function boot() {
  wire();
  try {
    await startConsole();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) {
      toast(errorText(err), 'error');
      return;
    }
    await askLogin('');
    await startConsole();
  }
}

boot();
