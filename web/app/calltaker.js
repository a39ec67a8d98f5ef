// calltaker.js — the 110 call-taker's screen: the phone system's queue of ringing calls,
// live; the form that records a call (POST /api/v1/calls), built for the keyboard; the
// caller's position as a pin on the map that the call-taker can move; and, once the
// call is stored, the open incidents it may repeat, to link it to one of them or to
// create a new incident from it.
//
// Keys (shown on the screen as <kbd>): Alt+0 takes the oldest call of the queue, Alt+1
// .. Alt+9 jump to the form's fields in order, Ctrl+Enter sends, Escape clears (twice,
// so one stray press loses nothing). After sending: ↑/↓ highlight a candidate, Enter or
// Alt+L links the call to it, Alt+N creates an incident, Escape goes on to the next
// call. Alt+digit and Alt+letter are read from the physical key (KeyboardEvent.code),
// so they work the same with a Persian or a Latin keyboard layout.
//
// An expired session loses nothing: api.js shows the log-in over this screen and sends
// the same request again with the same Idempotency-Key, and the form is untouched.

import { el } from './app.js';
import { createMap } from './map.js';
import { candidateItem, coordText, countyAt, distanceText, parseCoord, typeCombobox } from './calltaker_parts.js';
import { api } from '../lib/api.js';
import * as live from '../lib/live.js';
import {
  CALL_OUTCOME, PRIORITY, digits, duration, errorText, timeOfDay, toLatin,
} from '../lib/i18n.js';

const PIN_ZOOM = 14;
const TCALL_STATE = { ringing: 'زنگ می‌خورد', answered: 'پاسخ داده شده', ended: 'قطع شده', abandoned: 'رها شده پیش از پاسخ' };

// The form's fields in the order of Alt+1 .. Alt+9 (and of Tab).
const FIELDS = [
  ['ct-number', 'شمارهٔ تماس‌گیرنده'],
  ['ct-name', 'نام تماس‌گیرنده'],
  ['ct-type', 'نوع رخداد'],
  ['ct-priority', 'اولویت'],
  ['ct-address', 'نشانی'],
  ['ct-lat', 'موقعیت'],
  ['ct-county', 'شهرستان'],
  ['ct-narrative', 'شرح'],
  ['ct-outcome-operation', 'نتیجهٔ تماس'],
];

// The API's field names → the control that shows them, for errors.
const FIELD_OF = {
  caller_number: 'ct-number', caller_name: 'ct-name', type: 'ct-type', priority: 'ct-priority',
  address: 'ct-address', location: 'ct-lat', county: 'ct-county', narrative: 'ct-narrative',
  outcome: 'ct-outcome-operation',
};

const kbd = (k) => el('kbd', { 'aria-hidden': 'true' }, k);
const altKey = (n) => `Alt+${n}`;

// The unsent form of the last unmount: switching screens, or the digits choice (which
// mounts the screen afresh), must not lose a call being taken.
let draft = null;

function fieldLabel(i, forId) {
  const [id, text] = FIELDS[i];
  return el('label', { for: forId || id }, text, ' ', kbd(altKey(i + 1)));
}

function mount(root, ctx) {
  const state = {
    types: new Map(), // code → type, for names and priorities
    queue: new Map(), // phone record id → record
    left: new Set(), // ids that left the queue by an event, in case the first answer is older
    picked: null, // the phone record the form is about
    typeChosen: null,
    priorityTouched: false,
    sent: null, // the stored call, while its candidates are shown
    cands: [],
    active: 0,
    busy: false,
    escArmed: false,
    places: null,
    pendingCounty: null, // a restored county choice waiting for the county list
  };
  const offs = [];

  // ---- the queue ------------------------------------------------------------------

  const queueList = el('ul', { id: 'ct-queue', role: 'listbox', tabindex: '0', 'aria-label': 'تماس‌های در صف', class: 'ct-queue' });
  const queueEmpty = el('p', { class: 'empty', id: 'ct-queue-empty' }, 'تماسی در صف نیست.');
  const announce = el('p', { class: 'ct-sr', role: 'status', 'aria-live': 'polite', id: 'ct-announce' });
  const queuePanel = el('section', { class: 'panel ct-queue-panel', 'aria-labelledby': 'ct-queue-title' },
    el('h2', { id: 'ct-queue-title' }, 'تماس‌های در صف ', el('span', { id: 'ct-queue-count', class: 'ct-count' })),
    el('p', { class: 'ct-hint' }, kbd('Alt+0'), ' پاسخ به قدیمی‌ترین تماس؛ یا ', kbd('↓'), kbd('↑'), ' و ', kbd('Enter')),
    queueList, queueEmpty, announce);
  let queueActive = 0;

  function queueItems() {
    return [...state.queue.values()].sort((a, b) => String(a.ring_at).localeCompare(String(b.ring_at)) || a.id - b.id);
  }

  function whereText(loc) {
    if (!loc) return 'موقعیت نامعلوم';
    const county = countyAt(state.places, loc.lat, loc.lon);
    const near = loc.uncertainty_m ? ` ± ${distanceText(loc.uncertainty_m)}` : '';
    return `${county ? county.name_fa : 'بیرون از استان'} (${coordText(loc.lat)}، ${coordText(loc.lon)}${near})`;
  }

  function renderQueue() {
    const items = queueItems();
    queueActive = Math.min(queueActive, Math.max(items.length - 1, 0));
    queueList.replaceChildren(...items.map((r, i) => el('li', {
      id: `ct-q-${r.id}`, role: 'option', 'data-id': r.id, 'data-state': r.state,
      'aria-selected': String(i === queueActive), class: state.picked && state.picked.id === r.id ? 'picked' : null,
      onclick: () => pick(r),
    },
    el('span', { class: 'ct-num ltr' }, r.ani ? digits(r.ani) : 'شمارهٔ پنهان'),
    el('span', { class: 'ct-state' }, TCALL_STATE[r.state] || r.state),
    el('span', { class: 'ct-age', 'data-since': r.ring_at || '' }, r.ring_at ? duration((Date.now() - Date.parse(r.ring_at)) / 1000) : ''),
    el('span', { class: 'ct-where' }, whereText(r.location)))));
    const active = queueList.children[queueActive];
    if (active) queueList.setAttribute('aria-activedescendant', active.id);
    else queueList.removeAttribute('aria-activedescendant');
    queueEmpty.hidden = items.length > 0;
    document.getElementById('ct-queue-count').textContent = items.length ? `(${digits(items.length)})` : '';
  }

  function tickAges() {
    for (const s of queueList.querySelectorAll('.ct-age[data-since]')) {
      if (s.dataset.since) s.textContent = duration((Date.now() - Date.parse(s.dataset.since)) / 1000);
    }
  }

  function upsert(rec) {
    if (state.picked && !state.sent && state.picked.id === rec.id) {
      state.picked = rec;
      showPicked();
    }
    if (rec.call_id != null || (rec.state !== 'ringing' && rec.state !== 'answered')) {
      state.queue.delete(rec.id);
      state.left.add(rec.id);
    } else {
      if (!state.queue.has(rec.id) && rec.state === 'ringing') {
        announce.textContent = `تماس تازه از ${rec.ani ? digits(rec.ani) : 'شمارهٔ پنهان'}`;
      }
      state.queue.set(rec.id, rec);
    }
    renderQueue();
  }

  queueList.addEventListener('keydown', (ev) => {
    const items = queueItems();
    if (!items.length) return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      queueActive = (queueActive + (ev.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      renderQueue();
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      pick(items[queueActive]);
    }
  });

  // ---- the form -------------------------------------------------------------------

  const msg = el('p', { class: 'msg', id: 'ct-msg', role: 'alert' });
  const picked = el('p', { class: 'ct-picked', id: 'ct-picked', 'aria-live': 'polite' });
  const combo = typeCombobox({ id: 'ct-type', onChange: typeChanged });
  const typeNote = el('p', { class: 'ct-hint', id: 'ct-type-note' });
  const prioritySel = el('select', { id: 'ct-priority', 'aria-describedby': 'ct-priority-note' },
    ...[1, 2, 3, 4].map((p) => el('option', { value: String(p) }, `${digits(p)} — ${PRIORITY[p]}`)));
  prioritySel.value = '3';
  const priorityNote = el('p', { class: 'ct-hint', id: 'ct-priority-note' }, 'از روی نوع رخداد پیشنهاد می‌شود؛ می‌توانید آن را تغییر دهید.');
  prioritySel.addEventListener('change', () => {
    state.priorityTouched = true;
  });
  const countySel = el('select', { id: 'ct-county' }, el('option', { value: '' }, 'از روی موقعیت'));
  const latIn = el('input', { id: 'ct-lat', inputmode: 'decimal', dir: 'ltr', autocomplete: 'off', 'aria-label': 'عرض جغرافیایی' });
  const lonIn = el('input', { id: 'ct-lon', inputmode: 'decimal', dir: 'ltr', autocomplete: 'off', 'aria-label': 'طول جغرافیایی' });
  const whereNote = el('p', { class: 'ct-hint', id: 'ct-where' });
  const outcomes = el('fieldset', { class: 'ct-outcome', id: 'ct-outcome' },
    el('legend', {}, FIELDS[8][1], ' ', kbd('Alt+9')),
    ...Object.entries(CALL_OUTCOME).map(([code, name]) => el('label', { class: 'ct-radio' },
      el('input', { type: 'radio', name: 'outcome', value: code, id: `ct-outcome-${code}`, checked: code === 'operation' }), ' ', name)));
  const fields = el('fieldset', { id: 'ct-fields', class: 'ct-fields' },
    el('legend', { class: 'ct-sr' }, 'تماس'),
    el('div', { class: 'field' }, fieldLabel(0), el('input', { id: 'ct-number', name: 'caller_number', dir: 'ltr', inputmode: 'tel', autocomplete: 'off' })),
    el('div', { class: 'field' }, fieldLabel(1), el('input', { id: 'ct-name', name: 'caller_name', autocomplete: 'off' })),
    el('div', { class: 'field ct-type-field' }, fieldLabel(2), combo.root, typeNote),
    el('div', { class: 'field' }, fieldLabel(3), prioritySel, priorityNote),
    el('div', { class: 'field' }, fieldLabel(4), el('input', { id: 'ct-address', name: 'address', autocomplete: 'off' })),
    el('div', { class: 'field' }, fieldLabel(5),
      el('div', { class: 'ct-coords' }, latIn, lonIn), whereNote),
    el('div', { class: 'field' }, fieldLabel(6), countySel),
    el('div', { class: 'field' }, fieldLabel(7), el('textarea', { id: 'ct-narrative', name: 'narrative', rows: '4' })),
    outcomes);
  const form = el('form', { id: 'ct-form', class: 'panel ct-form', 'aria-labelledby': 'ct-form-title', novalidate: true },
    el('h2', { id: 'ct-form-title' }, 'ثبت تماس'),
    picked, fields, msg,
    el('div', { class: 'ct-actions' },
      el('button', { type: 'submit', class: 'primary', id: 'ct-send' }, 'ثبت تماس ', kbd('Ctrl+Enter')),
      el('button', { type: 'button', class: 'secondary', id: 'ct-clear', onclick: () => clearForm(true) }, 'پاک کردن فرم ', kbd('Esc'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    send();
  });
  form.addEventListener('input', () => {
    state.escArmed = false;
  });

  function $(id) {
    return root.querySelector(`#${id}`);
  }

  function typeChanged(t) {
    state.typeChosen = t;
    if (!t) {
      typeNote.textContent = '';
      return;
    }
    typeNote.textContent = `اولویت پیشنهادی این نوع: ${digits(t.priority)} — ${PRIORITY[t.priority]}`;
    if (!state.priorityTouched) prioritySel.value = String(t.priority);
  }

  function showPicked() {
    const r = state.picked;
    picked.replaceChildren();
    if (!r) return;
    picked.append('تماس تلفنی ', el('bdi', { class: 'ltr' }, digits(r.ani || '—')), ' · ',
      TCALL_STATE[r.state] || r.state, r.ring_at ? ` · زنگ ${timeOfDay(r.ring_at)}` : '');
  }

  // Fills the phone system's part of the form; what was already typed stays.
  function pick(r) {
    if (!r || state.busy) return;
    if (state.sent) clearForm(false);
    state.picked = r;
    $('ct-number').value = r.ani ? digits(r.ani) : '';
    if (r.location) setLocation(r.location.lat, r.location.lon, r.location.uncertainty_m);
    showPicked();
    renderQueue();
    msg.textContent = '';
    combo.input.focus();
  }

  // ---- the location and the map --------------------------------------------------

  const mapEl = el('div', { id: 'ct-map', class: 'ct-map' });
  let map = null;
  let pin = null;
  let uncertainty = 0;

  function describeWhere(lat, lon) {
    const c = countyAt(state.places, lat, lon);
    whereNote.textContent = c ? `در شهرستان ${c.name_fa}` : 'این نقطه بیرون از مرز شهرستان‌های استان است.';
  }

  function placePin(lat, lon) {
    if (!map) return;
    if (pin) {
      pin.move(lat, lon);
      return;
    }
    pin = map.pin(lat, lon, { draggable: true, onMove: pinMoved });
    // Close enough to see the streets, so that dragging the pin moves it by metres.
    map.ready.then(() => {
      if (pin) map.leaflet()?.setView([lat, lon], PIN_ZOOM);
    }).catch(() => {});
  }

  function pinMoved(lat, lon) {
    latIn.value = coordText(lat);
    lonIn.value = coordText(lon);
    uncertainty = 0; // placed by hand: the phone's uncertainty no longer applies
    describeWhere(lat, lon);
  }

  function setLocation(lat, lon, unc = 0) {
    latIn.value = coordText(lat);
    lonIn.value = coordText(lon);
    uncertainty = unc || 0;
    describeWhere(lat, lon);
    placePin(lat, lon);
  }

  function coordsTyped() {
    const lat = parseCoord(latIn.value);
    const lon = parseCoord(lonIn.value);
    if (Number.isFinite(lat) && Number.isFinite(lon)) {
      uncertainty = 0;
      describeWhere(lat, lon);
      placePin(lat, lon);
    }
  }
  latIn.addEventListener('change', coordsTyped);
  lonIn.addEventListener('change', coordsTyped);

  // ---- sending --------------------------------------------------------------------

  function fail(text, id) {
    msg.textContent = text;
    for (const x of root.querySelectorAll('[aria-invalid="true"]')) x.setAttribute('aria-invalid', 'false');
    const target = id && $(id);
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      target.focus();
    }
  }

  // The request body from the form, or a {text, id} problem.
  function collect() {
    const body = {};
    const text = (id) => $(id).value.trim();
    if (state.picked) body.telephony_call_id = state.picked.telephony_call_id;
    const number = toLatin(text('ct-number'));
    if (number && !(state.picked && state.picked.ani === number)) body.caller_number = number;
    if (text('ct-name')) body.caller_name = text('ct-name');
    const t = combo.value();
    if (!t) return { problem: { text: 'نوع رخداد را از فهرست برگزینید.', id: 'ct-type' } };
    body.type = t.code;
    body.priority = Number(prioritySel.value);
    if (text('ct-address')) body.address = text('ct-address');
    const lat = parseCoord(latIn.value);
    const lon = parseCoord(lonIn.value);
    if (latIn.value.trim() || lonIn.value.trim()) {
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
        return { problem: { text: 'عرض و طول جغرافیایی را هر دو به عدد بنویسید، یا هر دو را خالی بگذارید.', id: 'ct-lat' } };
      }
      body.location = { lat, lon };
      if (uncertainty) body.location.uncertainty_m = uncertainty;
    }
    if (countySel.value) body.county = countySel.value;
    if (text('ct-narrative')) body.narrative = text('ct-narrative');
    body.outcome = root.querySelector('input[name=outcome]:checked')?.value || 'operation';
    return { body };
  }

  async function send() {
    if (state.busy || state.sent) return;
    const { body, problem } = collect();
    if (problem) {
      fail(problem.text, problem.id);
      return;
    }
    state.busy = true;
    $('ct-send').disabled = true;
    msg.textContent = '';
    try {
      const call = await api('POST', '/api/v1/calls', { body, create: true });
      sent(call);
    } catch (err) {
      fail(errorText(err), FIELD_OF[err.field]);
    } finally {
      state.busy = false;
      $('ct-send').disabled = false;
    }
  }

  // ---- after sending: repeat candidates, link or create ---------------------------

  const candList = el('ul', { id: 'ct-cands', role: 'listbox', tabindex: '0', 'aria-label': 'رخدادهایی که این تماس شاید تکرار آن‌هاست', class: 'ct-cands' });
  const candNote = el('p', { id: 'ct-cands-note', 'aria-live': 'polite' });
  const result = el('p', { id: 'ct-result', class: 'ct-result', role: 'status', 'aria-live': 'polite' });
  const linkBtn = el('button', { type: 'button', class: 'primary', id: 'ct-link', onclick: () => link() }, 'پیوست به رخداد برگزیده ', kbd('Alt+L'));
  const createBtn = el('button', { type: 'button', class: 'secondary', id: 'ct-create', onclick: () => createIncident() }, 'ساختن رخداد تازه ', kbd('Alt+N'));
  const nextBtn = el('button', { type: 'button', class: 'secondary', id: 'ct-next', onclick: () => clearForm(false) }, 'تماس بعدی ', kbd('Esc'));
  const decision = el('section', { class: 'panel ct-decision', id: 'ct-decision', 'aria-labelledby': 'ct-decision-title', hidden: true },
    el('h2', { id: 'ct-decision-title' }, 'تماس‌های تکراری احتمالی'),
    candNote, candList,
    el('p', { class: 'ct-hint' }, kbd('↓'), kbd('↑'), ' برگزیدن، ', kbd('Enter'), ' یا ', kbd('Alt+L'), ' پیوست'),
    el('div', { class: 'ct-actions' }, linkBtn, createBtn, nextBtn));

  function renderCands() {
    candList.replaceChildren(...state.cands.map((c, i) => candidateItem(c, i === state.active, state.types, () => {
      state.active = i;
      renderCands();
      candList.focus();
    })));
    const a = candList.children[state.active];
    if (a) {
      candList.setAttribute('aria-activedescendant', a.id);
      a.scrollIntoView({ block: 'nearest' });
    } else {
      candList.removeAttribute('aria-activedescendant');
    }
    candList.hidden = state.cands.length === 0;
    linkBtn.disabled = state.cands.length === 0;
  }

  function sent(call) {
    state.sent = call;
    state.cands = call.duplicate_candidates || [];
    state.active = 0;
    fields.disabled = true;
    $('ct-send').disabled = true;
    decision.hidden = false;
    result.textContent = `تماس ثبت شد (شمارهٔ ${digits(call.id)}).`;
    candNote.textContent = state.cands.length
      ? `${digits(state.cands.length)} رخداد باز شاید همین ماجرا باشد.`
      : 'رخداد بازی که این تماس تکرار آن باشد پیدا نشد.';
    renderCands();
    (state.cands.length ? candList : createBtn).focus();
  }

  candList.addEventListener('keydown', (ev) => {
    if (!state.cands.length) return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      state.active = (state.active + (ev.key === 'ArrowDown' ? 1 : -1) + state.cands.length) % state.cands.length;
      renderCands();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      link();
    }
  });

  async function decide(doIt) {
    if (!state.sent || state.busy) return;
    state.busy = true;
    try {
      const inc = await doIt(state.sent);
      clearForm(false);
      return inc;
    } catch (err) {
      candNote.textContent = errorText(err);
      return null;
    } finally {
      state.busy = false;
    }
  }

  async function link() {
    const c = state.cands[state.active];
    if (!c) return;
    await decide(async (call) => {
      const r = await api('POST', `/api/v1/calls/${call.id}/link`, { body: { incident_id: c.incident.id } });
      const text = `تماس به رخداد ${digits(r.incident.number_latin)} پیوست شد.`;
      result.textContent = text;
      ctx.toast(text, 'ok');
      return r.incident;
    });
  }

  async function createIncident() {
    await decide(async (call) => {
      const inc = await api('POST', '/api/v1/incidents', { body: { call_id: call.id }, create: true });
      const text = `رخداد ${digits(inc.number_latin)} ساخته شد.`;
      result.textContent = text;
      ctx.toast(text, 'ok');
      return inc;
    });
  }

  // Empties the form for the next call. asked: the call-taker pressed "clear" (the
  // button, or Escape twice) rather than finishing a stored call.
  function clearForm(asked) {
    if (asked && !state.sent) result.textContent = '';
    form.reset();
    combo.clear();
    typeNote.textContent = '';
    prioritySel.value = '3';
    whereNote.textContent = '';
    for (const x of root.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
    Object.assign(state, { picked: null, typeChosen: null, priorityTouched: false, sent: null, cands: [], active: 0, escArmed: false });
    uncertainty = 0;
    if (pin) {
      pin.remove();
      map.fit();
    }
    pin = null;
    fields.disabled = false;
    $('ct-send').disabled = false;
    decision.hidden = true;
    msg.textContent = '';
    showPicked();
    renderQueue();
    (state.queue.size ? queueList : $('ct-number')).focus();
  }

  function dirty() {
    return [...fields.querySelectorAll('input:not([type=radio]), textarea')].some((x) => x.value.trim() !== '') || !!state.picked;
  }

  // ---- keys -----------------------------------------------------------------------

  function onKey(ev) {
    if (document.getElementById('login')?.open) return;
    const digit = /^Digit([0-9])$/.exec(ev.code);
    if (ev.altKey && !ev.ctrlKey && digit) {
      ev.preventDefault();
      const n = Number(digit[1]);
      if (n === 0) pick(queueItems()[0]);
      else if (!state.sent) $(FIELDS[n - 1][0])?.focus();
      return;
    }
    if (ev.altKey && ev.code === 'KeyL' && state.sent) {
      ev.preventDefault();
      link();
    } else if (ev.altKey && ev.code === 'KeyN' && state.sent) {
      ev.preventDefault();
      createIncident();
    } else if (ev.ctrlKey && ev.key === 'Enter' && !state.sent) {
      ev.preventDefault();
      send();
    } else if (ev.key === 'Escape' && !ev.defaultPrevented) {
      if (state.sent) {
        clearForm(false);
      } else if (dirty() && !state.escArmed) {
        state.escArmed = true;
        msg.textContent = 'برای پاک کردن فرم، Escape را یک بار دیگر بزنید.';
      } else if (dirty()) {
        clearForm(true);
      }
    }
  }
  document.addEventListener('keydown', onKey);
  offs.push(() => document.removeEventListener('keydown', onKey));

  const keys = el('section', { class: 'panel ct-keys', 'aria-labelledby': 'ct-keys-title' },
    el('h2', { id: 'ct-keys-title' }, 'کلیدها'),
    el('dl', {},
      el('dt', {}, kbd('Alt+0')), el('dd', {}, 'پاسخ به قدیمی‌ترین تماس صف'),
      el('dt', {}, kbd('Alt+1'), '…', kbd('Alt+9')), el('dd', {}, 'رفتن به بخش‌های فرم'),
      el('dt', {}, kbd('Ctrl+Enter')), el('dd', {}, 'ثبت تماس'),
      el('dt', {}, kbd('Esc'), ' ', kbd('Esc')), el('dd', {}, 'پاک کردن فرم'),
      el('dt', {}, kbd('Alt+L')), el('dd', {}, 'پیوست به رخداد برگزیده'),
      el('dt', {}, kbd('Alt+N')), el('dd', {}, 'ساختن رخداد تازه')));

  // ---- layout, data, live ---------------------------------------------------------

  const side = el('div', { class: 'ct-side' }, decision,
    el('section', { class: 'panel ct-map-panel', 'aria-labelledby': 'ct-map-title' },
      el('h2', { id: 'ct-map-title' }, 'محل تماس‌گیرنده'),
      mapEl,
      el('p', { class: 'ct-hint' }, 'سنجاق را بکشید یا جای درست را روی نقشه بزنید؛ عرض و طول هم در فرم نوشتنی است.')),
    keys);
  root.dataset.screen = 'calls';
  root.append(el('div', { class: 'ct-layout' }, queuePanel, el('div', { class: 'ct-main' }, form, result), side));

  map = createMap(mapEl, ctx);
  offs.push(() => map.destroy());

  ctx.places().then((places) => {
    state.places = places;
    countySel.append(...places.counties.map((c) => el('option', { value: c.code }, c.name_fa)));
    if (state.pendingCounty) countySel.value = state.pendingCounty;
    state.pendingCounty = null;
    const lat = parseCoord(latIn.value);
    const lon = parseCoord(lonIn.value);
    if (Number.isFinite(lat) && Number.isFinite(lon)) describeWhere(lat, lon);
    renderQueue();
  }).catch((err) => ctx.toast(errorText(err), 'error'));

  api('GET', '/api/v1/incident-types').then((r) => {
    for (const t of r.items) state.types.set(t.code, t);
    if (state.cands.length) renderCands();
  }).catch((err) => ctx.toast(errorText(err), 'error'));

  for (const type of ['call.ringing', 'call.answered', 'call.ended', 'call.abandoned']) {
    offs.push(live.subscribe(type, (ev) => upsert(ev.payload)));
  }
  offs.push(live.subscribe('call.created', (ev) => {
    const call = ev.payload;
    for (const [id, r] of state.queue) {
      if (r.telephony_call_id !== call.telephony_call_id) continue;
      state.queue.delete(id);
      state.left.add(id);
    }
    if (state.picked && !state.sent && !state.busy && state.picked.telephony_call_id === call.telephony_call_id) {
      msg.textContent = 'همکار دیگری این تماس را ثبت کرد؛ فرم را پاک کنید یا آن را بدون پیوند با تماس تلفنی بفرستید.';
      state.picked = null;
      showPicked();
    }
    renderQueue();
  }));
  api('GET', '/api/v1/telephony/calls').then((r) => {
    for (const rec of r.items) if (!state.queue.has(rec.id) && !state.left.has(rec.id)) state.queue.set(rec.id, rec);
    renderQueue();
  }).catch((err) => ctx.toast(errorText(err), 'error'));

  const ticker = setInterval(tickAges, 1000);
  offs.push(() => clearInterval(ticker));
  renderQueue();
  restoreDraft();
  $('ct-number').focus();

  function saveDraft() {
    draft = null;
    if (state.sent || !dirty()) return;
    const values = {};
    for (const x of fields.querySelectorAll('input[id]:not([type=radio]), select[id], textarea[id]')) values[x.id] = x.value;
    draft = {
      values, picked: state.picked, type: combo.value(), priorityTouched: state.priorityTouched, uncertainty,
      outcome: root.querySelector('input[name=outcome]:checked')?.value,
    };
  }

  function restoreDraft() {
    const d = draft;
    draft = null;
    if (!d) return;
    combo.set(d.type);
    typeChanged(d.type);
    for (const [id, v] of Object.entries(d.values)) if (id !== 'ct-type' && $(id)) $(id).value = v;
    state.priorityTouched = d.priorityTouched;
    state.picked = d.picked;
    if (!state.places) state.pendingCounty = d.values['ct-county'];
    const box = d.outcome && $(`ct-outcome-${d.outcome}`);
    if (box) box.checked = true;
    const lat = parseCoord(latIn.value);
    const lon = parseCoord(lonIn.value);
    if (Number.isFinite(lat) && Number.isFinite(lon)) setLocation(lat, lon, d.uncertainty);
    showPicked();
  }

  return () => {
    saveDraft();
    for (const off of offs) off();
    delete root.dataset.screen;
  };
}

export default { id: 'calls', title: 'پاسخگویی ۱۱۰', roles: ['call_taker', 'supervisor'], key: 'F2', mount };
