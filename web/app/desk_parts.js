// desk_parts.js — small pieces the 197 desk's modules share (desk.js the inbox,
// desk_contact.js a contact, desk_intake.js the intake form): labelled controls, the
// overdue flag with how late a contact is, the categories and places by code, and the
// supervisors a contact can be assigned to.

import { el } from './app.js';
import { api } from '../lib/api.js';
import { digits, num } from '../lib/i18n.js';

let nextId = 0;

// A control with its <label for>, and an optional hint tied to it by aria-describedby.
export function field(label, control, hint) {
  nextId += 1;
  if (!control.id) control.id = `desk-${control.name || 'f'}-${nextId}`;
  let hintEl = null;
  if (hint) {
    hintEl = el('small', { class: 'hint', id: `${control.id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return el('div', { class: 'field' }, el('label', { for: control.id }, label), control, hintEl);
}

// <select> of {code: name}; `empty` is the text of a first option with the value "".
export function select(name, names, { empty, value = '' } = {}) {
  const s = el('select', { name });
  if (empty != null) s.append(el('option', { value: '' }, empty));
  for (const [code, text] of Object.entries(names)) s.append(el('option', { value: code }, text));
  s.value = value ?? '';
  return s;
}

// Replaces a <select>'s options, keeping its value when it is still offered.
export function setOptions(s, names, empty) {
  const keep = s.value;
  s.replaceChildren();
  if (empty != null) s.append(el('option', { value: '' }, empty));
  for (const [code, text] of Object.entries(names)) s.append(el('option', { value: code }, text));
  s.value = Object.hasOwn(names, keep) ? keep : '';
}

// Ctrl+Enter in a textarea submits its form (Enter alone is a new line there).
export function submitOnCtrlEnter(textarea) {
  textarea.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      textarea.form?.requestSubmit();
    }
  });
  return textarea;
}

// ---- deadlines ------------------------------------------------------------------------

const OPEN = new Set(['received', 'assigned', 'under_review']);

// As fb_is_overdue: open and strictly past its deadline. Computed here rather than read
// from the contact's `overdue` so that a row turns red when its deadline passes while
// the inbox is open, with no event to tell it.
export function isOverdue(f, now = Date.now()) {
  return OPEN.has(f.status) && !!f.due_at && now > Date.parse(f.due_at);
}

// "۳ روز و ۴ ساعت" — how long past its deadline.
export function lateBy(f, now = Date.now()) {
  const s = Math.max(0, Math.floor((now - Date.parse(f.due_at)) / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return h ? `${num(d)} روز و ${num(h)} ساعت` : `${num(d)} روز`;
  if (h) return `${num(h)} ساعت`;
  return `${num(Math.max(m, 1))} دقیقه`;
}

// The red flag of an overdue contact, or null.
export function overdueFlag(f, now = Date.now()) {
  if (!isOverdue(f, now)) return null;
  return el('span', { class: 'overdue flag', 'data-overdue': 'true' }, `دیرکرد ${lateBy(f, now)}`);
}

// ---- reference lists ----------------------------------------------------------------------

let categoriesPromise = null;

// GET /api/v1/feedback/categories once: {list: [...], byCode: Map, ofKind(kind) → {code: name}}.
export function categories() {
  if (!categoriesPromise) {
    categoriesPromise = api('GET', '/api/v1/feedback/categories').then((r) => {
      const byCode = new Map(r.items.map((c) => [c.code, c]));
      const ofKind = (kind) => Object.fromEntries(r.items.filter((c) => !kind || c.kind === kind).map((c) => [c.code, c.name_fa]));
      return { list: r.items, byCode, ofKind };
    }).catch((e) => {
      categoriesPromise = null;
      throw e;
    });
  }
  return categoriesPromise;
}

// Places by code, from ctx.places(): {county: {code: name}, station: {code: name}, stationsOf(county)}.
export async function placeNames(ctx) {
  const p = await ctx.places();
  const county = Object.fromEntries(p.counties.map((c) => [c.code, c.name_fa || c.code]));
  const station = Object.fromEntries(p.stations.map((s) => [s.code, s.name_fa || s.code]));
  const stationsOf = (code) => Object.fromEntries(p.stations.filter((s) => !code || s.county === code).map((s) => [s.code, s.name_fa || s.code]));
  return { county, station, stationsOf };
}

// ---- supervisors -------------------------------------------------------------------------

// Who a contact can be assigned to comes from GET /api/v1/feedback/assignees (the desk's
// route); the assignment lines of the timelines this console reads name supervisors too,
// which is how a supervisor's own screen (not allowed that list) shows their names.
const supervisors = new Map();
let assigneesPromise = null;

export function loadAssignees() {
  if (!assigneesPromise) {
    assigneesPromise = api('GET', '/api/v1/feedback/assignees').then((r) => {
      for (const s of r.items) supervisors.set(s.id, s);
      return r.items;
    }).catch((e) => {
      assigneesPromise = null;
      throw e;
    });
  }
  return assigneesPromise;
}

export function knownSupervisors() {
  return [...supervisors.values()];
}

// Remembers the supervisors that a timeline's assignment lines name.
export function learnSupervisors(timeline) {
  for (const line of timeline) {
    const d = line.kind === 'assigned' ? line.data : null;
    if (d && Number.isInteger(d.user_id) && d.username)
      supervisors.set(d.user_id, { id: d.user_id, username: d.username, display_name: d.display_name || null });
  }
}

// "نام نمایشی (username)" of a supervisor by id, or "کاربر ۱۲".
export function supervisorName(id) {
  const s = supervisors.get(id);
  if (!s) return `کاربر ${digits(id)}`;
  return s.display_name ? `${s.display_name} (${s.username})` : s.username;
}
