// desk.js — the 197 desk's screen (F4): the inbox of contacts with its filters, the
// contact being worked on (desk_contact.js) and the intake form (desk_intake.js).
//
// The inbox is GET /api/v1/feedback, newest first, page by page ("more" follows
// next_cursor). Filters that the server knows (status, kind, channel, county, overdue)
// go to it; the number box narrows the rows already loaded, since the list has no
// filter by number. Overdue contacts are flagged red with how late they are, counted
// again every minute, since a deadline passes without any event.
//
// Live: feedback.created and feedback.updated carry no personal data
// ({id, number, kind, status, overdue, assigned_to}), so for each the row is read again
// (GET /api/v1/feedback/{id}, an audited read) and put in place, added at the top, or
// dropped when it no longer matches the filters; the open contact is redrawn from the
// same read. A supervisor's server answers only their own contacts, so events about
// others' are not even asked about.

import { el } from './app.js';
import { api } from '../lib/api.js';
import { subscribe } from '../lib/live.js';
import { FEEDBACK_CHANNEL, FEEDBACK_KIND, FEEDBACK_STATUS, dateTime, digits, errorText, num, toLatin } from '../lib/i18n.js';
import { contactPane } from './desk_contact.js';
import { intakePane } from './desk_intake.js';
import { categories, field, isOverdue, overdueFlag, placeNames, select, setOptions } from './desk_parts.js';

const PAGE = 50;
const TICK_MS = 60000;
// The status filter's choices: one status, or every open one together.
const STATUS_CHOICES = { open: 'همهٔ باز‌ها', ...FEEDBACK_STATUS };
const OPEN_STATUSES = ['received', 'assigned', 'under_review'];

function mount(root, ctx) {
  const desk = ctx.user.roles.includes('oversight');
  const me = ctx.user.id;
  let rows = []; // contacts loaded, newest first
  let cursor = null;
  let loading = 0; // generation of the list being loaded; a newer one wins
  let places = { county: {}, station: {} };
  let cats = null;

  // ---- filters ------------------------------------------------------------------------
  const fStatus = select('status', STATUS_CHOICES, { empty: 'همه' });
  const fKind = select('kind', FEEDBACK_KIND, { empty: 'همه' });
  const fChannel = select('channel', FEEDBACK_CHANNEL, { empty: 'همه' });
  const fCounty = select('county', {}, { empty: 'همه' });
  const fOverdue = el('input', { type: 'checkbox', name: 'overdue', id: 'desk-f-overdue' });
  const fNumber = el('input', { name: 'number', id: 'desk-f-number', dir: 'ltr', inputmode: 'numeric', autocomplete: 'off', placeholder: digits('1404-000123') });
  const filters = el('form', { class: 'filters', role: 'search', 'aria-label': 'پالایش پیام‌ها' },
    field('وضعیت', fStatus), field('نوع', fKind), field('راه تماس', fChannel), field('شهرستان', fCounty),
    el('div', { class: 'field check' }, el('label', { for: fOverdue.id }, fOverdue, ' فقط دیرکردها')),
    field(['شمارهٔ پیام ', el('kbd', {}, 'Alt'), '+', el('kbd', {}, 'F')], fNumber, 'در میان پیام‌های بارشده'));
  filters.addEventListener('submit', (ev) => ev.preventDefault());
  for (const c of [fStatus, fKind, fChannel, fCounty, fOverdue]) c.addEventListener('change', () => load());
  fNumber.addEventListener('input', () => draw());

  function query() {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (fStatus.value) q.set('status', fStatus.value === 'open' ? OPEN_STATUSES.join(',') : fStatus.value);
    if (fKind.value) q.set('kind', fKind.value);
    if (fChannel.value) q.set('channel', fChannel.value);
    if (fCounty.value) q.set('county', fCounty.value);
    if (fOverdue.checked) q.set('overdue', 'true');
    return q;
  }

  // Whether a contact belongs in the list the filters ask for (for live rows).
  function matches(f) {
    if (!desk && f.assigned_to !== me) return false;
    if (fStatus.value === 'open' ? !OPEN_STATUSES.includes(f.status) : fStatus.value && f.status !== fStatus.value) return false;
    if (fKind.value && f.kind !== fKind.value) return false;
    if (fChannel.value && f.channel !== fChannel.value) return false;
    if (fCounty.value && f.subject.county !== fCounty.value) return false;
    if (fOverdue.checked && !isOverdue(f)) return false;
    return true;
  }

  // The number box: digits of the number typed so far, in any digits, dashes optional.
  function numberShown(f) {
    const want = toLatin(fNumber.value).replace(/\D/g, '');
    return !want || f.number_latin.replace(/\D/g, '').includes(want);
  }

  // ---- the list -----------------------------------------------------------------------
  const tbody = el('tbody');
  const count = el('p', { class: 'count', 'aria-live': 'polite' });
  const news = el('p', { class: 'sr-only', 'aria-live': 'polite' });
  const more = el('button', { type: 'button', class: 'secondary more', hidden: true }, 'پیام‌های بیشتر');
  more.addEventListener('click', () => loadMore());
  const table = el('table', { class: 'list inbox', 'aria-label': 'پیام‌های ۱۹۷' },
    el('thead', {}, el('tr', {},
      ['شماره', 'نوع', 'موضوع', 'وضعیت', 'راه', 'کلانتری / شهرستان', 'دریافت', 'مهلت'].map((h) => el('th', { scope: 'col' }, h)))),
    tbody);

  function rowOf(f) {
    const late = isOverdue(f);
    const open = el('button', { type: 'button', class: 'linkish ltr', 'data-open': String(f.id) }, f.number);
    open.addEventListener('click', () => openContact(f.id));
    const place = f.subject.station ? places.station[f.subject.station] || f.subject.station
      : f.subject.county ? places.county[f.subject.county] || f.subject.county : '—';
    const cat = f.category ? f.category_fa || cats?.byCode.get(f.category)?.name_fa || f.category : '—';
    return el('tr', {
      'data-id': String(f.id), 'data-status': f.status, 'data-overdue': late ? 'true' : 'false',
      'aria-selected': contact.id() === f.id ? 'true' : 'false', class: late ? 'late' : '',
    },
    el('td', {}, open, f.classification_confirmed ? null : el('span', { class: 'dot', title: 'طبقه‌بندی تأیید نشده' }, ' •')),
    el('td', {}, FEEDBACK_KIND[f.kind] || f.kind),
    el('td', {}, cat),
    el('td', {}, el('span', { class: 'status', 'data-status': f.status }, FEEDBACK_STATUS[f.status] || f.status)),
    el('td', {}, FEEDBACK_CHANNEL[f.channel] || f.channel),
    el('td', {}, place),
    el('td', {}, dateTime(f.received_at)),
    el('td', {}, late ? overdueFlag(f) : f.status === 'answered' || f.status === 'closed' ? '—' : dateTime(f.due_at)));
  }

  // Redraws the rows; the row whose number had the focus keeps it, so that neither the
  // minute's tick nor a live event takes the keyboard user's place away.
  function draw() {
    const focused = tbody.contains(document.activeElement) ? document.activeElement.dataset.open : null;
    const shown = rows.filter(numberShown);
    tbody.replaceChildren(...shown.map(rowOf));
    if (!shown.length) tbody.append(el('tr', {}, el('td', { colspan: '8', class: 'empty' }, rows.length ? 'پیامی با این شماره در فهرست نیست.' : 'پیامی نیست.')));
    if (focused) tbody.querySelector(`[data-open="${focused}"]`)?.focus();
    const late = rows.filter((f) => isOverdue(f)).length;
    const text = `${num(shown.length)} پیام${cursor ? ' (بیشتر هم هست)' : ''}${late ? ` — ${num(late)} دیرکرد` : ''}`;
    if (count.textContent !== text) count.textContent = text;
    more.hidden = !cursor;
  }

  // Up and down arrows move between the rows' numbers.
  tbody.addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    const buttons = [...tbody.querySelectorAll('button[data-open]')];
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    const next = buttons[ev.key === 'ArrowDown' ? i + 1 : i - 1];
    if (next) next.focus();
    ev.preventDefault();
  });

  async function load() {
    const gen = ++loading;
    count.textContent = 'در حال خواندن…';
    table.setAttribute('aria-busy', 'true'); // the rows shown are not yet the filters' rows
    try {
      const r = await api('GET', `/api/v1/feedback?${query()}`);
      if (gen !== loading) return;
      rows = r.items;
      cursor = r.next_cursor;
      draw();
    } catch (err) {
      if (gen === loading) count.textContent = errorText(err);
    } finally {
      if (gen === loading) table.removeAttribute('aria-busy');
    }
  }

  async function loadMore() {
    if (!cursor) return;
    const gen = loading;
    const q = query();
    q.set('cursor', cursor);
    more.disabled = true;
    try {
      const r = await api('GET', `/api/v1/feedback?${q}`);
      if (gen !== loading) return;
      const have = new Set(rows.map((f) => f.id));
      rows = rows.concat(r.items.filter((f) => !have.has(f.id)));
      cursor = r.next_cursor;
      draw();
    } catch (err) {
      ctx.toast(errorText(err), 'error');
    } finally {
      more.disabled = false;
    }
  }

  // A contact read afresh: into the list where it belongs (newest first by receipt).
  function upsert(f) {
    const i = rows.findIndex((x) => x.id === f.id);
    if (!matches(f)) {
      if (i >= 0) rows.splice(i, 1);
    } else if (i >= 0) rows[i] = f;
    else {
      const at = rows.findIndex((x) => Date.parse(x.received_at) < Date.parse(f.received_at));
      rows.splice(at < 0 ? rows.length : at, 0, f);
    }
    draw();
  }

  // ---- panes ----------------------------------------------------------------------------
  const contact = contactPane(ctx, {
    onLoaded: (f) => upsert(f),
    onClose: () => {
      draw();
      fNumber.focus();
    },
  });
  const intake = intakePane(ctx, {
    onSaved: (f) => upsert(f),
    onCancel: () => closeIntake(),
    onOpen: (id) => openContact(id),
  });
  const placeholder = el('p', { class: 'empty pane-empty' }, 'پیامی را از فهرست باز کنید، یا پیام تازه‌ای ثبت کنید.');

  function openContact(id) {
    intake.stop();
    placeholder.hidden = true;
    for (const tr of tbody.querySelectorAll('tr[data-id]')) tr.setAttribute('aria-selected', tr.dataset.id === String(id) ? 'true' : 'false');
    contact.open(id);
  }
  function openIntake() {
    contact.close();
    placeholder.hidden = true;
    intake.start();
  }
  function closeIntake() {
    intake.stop();
    placeholder.hidden = false;
    newBtn.focus();
  }

  const newBtn = el('button', { type: 'button', class: 'primary', hidden: !desk }, 'ثبت پیام تازه ', el('kbd', {}, 'Alt'), '+', el('kbd', {}, 'N'));
  newBtn.addEventListener('click', openIntake);

  // ---- live -----------------------------------------------------------------------------
  // Whether an event's payload can belong in the list, from what it tells (status, kind,
  // overdue): a contact that cannot is not read at all, since each read is audited.
  function mayMatch(p) {
    if (fStatus.value === 'open' ? !OPEN_STATUSES.includes(p.status) : fStatus.value && p.status !== fStatus.value) return false;
    if (fKind.value && p.kind !== fKind.value) return false;
    if (fOverdue.checked && !p.overdue) return false;
    return true;
  }

  function drop(id) {
    const i = rows.findIndex((x) => x.id === id);
    if (i >= 0) {
      rows.splice(i, 1);
      draw();
    }
  }

  async function onEvent(ev) {
    const p = ev.payload || {};
    if (!p.id) return;
    if (contact.id() !== p.id && !mayMatch(p)) {
      drop(p.id);
      return;
    }
    if (!desk && p.assigned_to !== me) {
      // no longer (or never) theirs: the server would answer 404
      drop(p.id);
      if (contact.id() === p.id) contact.close();
      return;
    }
    try {
      const d = await api('GET', `/api/v1/feedback/${p.id}`);
      const had = rows.some((x) => x.id === d.feedback.id);
      upsert(d.feedback);
      if (ev.type === 'feedback.created' && !had && matches(d.feedback)) news.textContent = `پیام تازهٔ ${d.feedback.number} رسید.`;
      if (contact.id() === d.feedback.id) contact.reload(d);
    } catch {
      /* gone from view (a supervisor's contact re-assigned away): the next load settles it */
    }
  }
  const unsubs = [subscribe('feedback.created', onEvent), subscribe('feedback.updated', onEvent)];

  // ---- keys -----------------------------------------------------------------------------
  function onKey(ev) {
    if (document.querySelector('dialog[open]')) return;
    if (ev.altKey && !ev.ctrlKey && !ev.metaKey) {
      const k = ev.code;
      if (k === 'KeyN' && desk) openIntake();
      else if (k === 'KeyF') fNumber.focus();
      else if (k === 'KeyR' && contact.id()) contact.focusReply();
      else return;
      ev.preventDefault();
    } else if (ev.key === 'Escape') {
      if (!intake.node.hidden) closeIntake();
      else if (contact.id()) contact.close();
      else return;
      ev.preventDefault();
    }
  }
  document.addEventListener('keydown', onKey);

  const tick = setInterval(draw, TICK_MS);

  // ---- layout ---------------------------------------------------------------------------
  root.append(el('div', { class: 'desk' },
    el('section', { class: 'panel inbox-pane', 'aria-labelledby': 'desk-inbox-title' },
      el('div', { class: 'inbox-head' }, el('h2', { id: 'desk-inbox-title' }, 'صندوق پیام‌ها'), count, newBtn),
      filters, news,
      el('div', { class: 'table-wrap' }, table),
      more),
    el('div', { class: 'pane' }, placeholder, contact.node, intake.node)));

  (async () => {
    try {
      [places, cats] = await Promise.all([placeNames(ctx), categories()]);
      setOptions(fCounty, places.county, 'همه');
    } catch (err) {
      ctx.toast(errorText(err), 'error');
    }
    await load();
  })();

  return () => {
    clearInterval(tick);
    document.removeEventListener('keydown', onKey);
    for (const u of unsubs) u();
    loading += 1;
  };
}

export default { id: 'desk', title: 'میز ۱۹۷', roles: ['oversight', 'supervisor'], key: 'F4', mount };
