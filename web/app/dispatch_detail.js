// dispatch_detail.js — the dispatch board's right-hand panel: the selected incident, the
// units recommended for it with one-click assignment, its legal status changes (with a
// disposition when closing), and its timeline with notes. dispatch.js owns the lists and
// the live stream and tells this panel what changed; the panel tells dispatch.js what
// the server answered to its own actions, so the lists change at once.
//
//   const d = createDetail(el, {ctx, canAct, names, onIncident(incident), onUnit(unit)})
//   d.show(incident | null)          load and show an incident (or the empty hint)
//   d.incidentChanged(incident, line) an event or answer about the shown incident
//   d.unitsChanged()                  some unit changed: the recommendations may differ
//   d.assignNth(n)                    the keyboard's Alt+1..9
//   d.focusNote()                     the keyboard's Alt+N
//   d.destroy()
//
// A commander sees everything and acts on nothing: with canAct false there are no
// recommendations (the server would refuse them), buttons or note form.

import { api } from '../lib/api.js';
import {
  INCIDENT_STATUS, PRIORITY, RECOMMEND_REASON, TIMELINE_KIND, UNIT_STATUS, UNIT_TYPE,
  dateTime, digits, duration, errorText, latinDigits, num, timeOfDay,
} from '../lib/i18n.js';
import { el } from './app.js';

// The moves a person may ask for from each status (src/core/incident.c's table, less
// "dispatched", which only an assignment makes).
export const NEXT_STATUS = {
  pending: ['closed'],
  dispatched: ['en_route', 'on_scene', 'pending'],
  en_route: ['on_scene', 'pending'],
  on_scene: ['cleared'],
  cleared: ['closed'],
  closed: [],
};
const ASSIGNABLE = new Set(['pending', 'dispatched', 'en_route', 'on_scene']);
const MOVE_LABEL = {
  en_route: 'در راه', on_scene: 'رسید به محل', cleared: 'پایان کار در محل',
  pending: 'بازگشت به انتظار (فراخوان یگان‌ها)', closed: 'بستن رخداد',
};
const RECS_SHOWN = 6;

// Kilometres with one decimal, with the Persian decimal separator unless Latin digits.
const km = (m) => (m == null ? '—'
  : `${digits((m / 1000).toFixed(1)).replace('.', latinDigits() ? '.' : '٫')} کیلومتر`);

export function createDetail(root, { ctx, canAct, names, onIncident, onUnit }) {
  let incident = null;
  let detail = null; // GET /api/v1/incidents/{id}: calls, units
  let lines = [];
  let recs = [];
  let recsTimer = null;
  let busy = false;
  let gone = false;
  let generation = 0; // answers for an incident no longer shown are dropped

  root.replaceChildren(el('p', { class: 'empty' }, 'رخدادی را از فهرست یا نقشه برگزینید.'));

  const headerBox = el('div', { class: 'dsp-head' });
  const factsBox = el('dl', { class: 'dsp-facts' });
  const unitsBox = el('div', { class: 'dsp-on' });
  const recsBox = el('section', { class: 'dsp-recs', 'aria-labelledby': 'dsp-recs-title' });
  const actionsBox = el('section', { class: 'dsp-actions', 'aria-labelledby': 'dsp-actions-title' });
  const timelineList = el('ol', { class: 'dsp-timeline', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const noteInput = el('input', { id: 'dsp-note', maxlength: '4000', autocomplete: 'off' });
  const noteForm = el('form', { class: 'dsp-note' },
    el('label', { for: 'dsp-note' }, 'یادداشت تازه ', el('kbd', {}, 'Alt+N')),
    el('div', { class: 'row' }, noteInput, el('button', { type: 'submit', class: 'secondary' }, 'ثبت یادداشت ', el('kbd', {}, 'Enter'))));
  noteForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    addNote();
  });
  noteInput.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') noteInput.value = '';
  });

  function setBusy(on) {
    busy = on;
    for (const b of root.querySelectorAll('button')) b.disabled = on;
  }

  function renderHeader() {
    const i = incident;
    headerBox.replaceChildren(
      el('h2', { id: 'dsp-detail-title' },
        el('span', { class: 'prio', 'data-p': String(i.priority), title: `اولویت ${PRIORITY[i.priority] || ''}` }, digits(i.priority)),
        ' ', el('bdi', { class: 'ltr' }, digits(i.number_latin)), ' ', names.type(i.type)),
      el('p', {},
        el('span', { class: 'status', 'data-status': i.status, id: 'dsp-detail-status' }, INCIDENT_STATUS[i.status] || i.status),
        ' · ', names.county(i.county), i.address ? ` · ${i.address}` : ''));
    const call = detail?.calls?.[0];
    const facts = [
      ['ثبت', dateTime(i.created_at)],
      ['اعزام', dateTime(i.dispatched_at)],
      ['تماس‌ها', num(i.call_count)],
    ];
    if (call?.caller_number) facts.push(['تماس‌گیرنده', el('bdi', { class: 'ltr' }, digits(call.caller_number))]);
    if (call?.narrative) facts.push(['شرح', call.narrative]);
    if (i.disposition) facts.push(['نتیجهٔ پایانی', names.disposition(i.disposition)]);
    factsBox.replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    const on = detail?.units || [];
    unitsBox.replaceChildren(
      el('h3', {}, 'یگان‌های این رخداد'),
      on.length
        ? el('ul', { class: 'dsp-on-list' }, on.map((u) => el('li', { 'data-unit': String(u.id) },
          names.unit(u), ' ', el('span', { class: 'status', 'data-status': u.status }, UNIT_STATUS[u.status] || u.status))))
        : el('p', { class: 'empty' }, 'هنوز یگانی اعزام نشده است.'));
  }

  function renderRecs() {
    recsBox.replaceChildren();
    if (!canAct || !ASSIGNABLE.has(incident.status)) return;
    recsBox.append(el('h3', { id: 'dsp-recs-title' }, 'یگان‌های پیشنهادی'));
    if (!recs.length) {
      recsBox.append(el('p', { class: 'empty' }, 'یگان آماده‌ای از نوع مناسب پیدا نشد.'));
      return;
    }
    const rows = recs.slice(0, RECS_SHOWN).map((r, n) => el('tr', { 'data-unit': String(r.unit.id) },
      el('td', {}, names.unit(r.unit), el('div', { class: 'sub' }, UNIT_TYPE[r.unit.type] || r.unit.type, ' · ', names.station(r.unit.station))),
      el('td', {}, km(r.road_m)),
      el('td', {}, r.eta_s == null ? '—' : duration(r.eta_s)),
      el('td', { class: 'sub' }, r.reasons.map((x) => RECOMMEND_REASON[x] || x).join('، ')),
      el('td', {}, el('button', {
        type: 'button', class: n === 0 ? 'primary' : 'secondary', 'data-assign': String(r.unit.id),
        onclick: () => assign(r.unit),
      }, 'اعزام', n < 9 ? [' ', el('kbd', {}, `Alt+${digits(n + 1)}`)] : null))));
    recsBox.append(el('table', { class: 'list dsp-recs-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'یگان'), el('th', {}, 'مسافت جاده‌ای'), el('th', {}, 'زمان رسیدن'), el('th', {}, 'چرا'), el('th', {}, ''))),
      el('tbody', {}, rows)));
  }

  function renderActions() {
    const chosen = actionsBox.querySelector('#dsp-disposition')?.value || '';
    actionsBox.replaceChildren();
    if (!canAct) return;
    const moves = NEXT_STATUS[incident.status] || [];
    if (!moves.length) return;
    actionsBox.append(el('h3', { id: 'dsp-actions-title' }, 'تغییر وضعیت'));
    const row = el('div', { class: 'row' });
    for (const to of moves) {
      if (to === 'closed') {
        const select = el('select', { id: 'dsp-disposition', required: true },
          el('option', { value: '' }, 'نتیجهٔ پایانی را برگزینید…'),
          names.dispositions().map((d) => el('option', { value: d.code }, d.name_fa)));
        select.value = chosen;
        row.append(el('label', { for: 'dsp-disposition', class: 'sr-only' }, 'نتیجهٔ پایانی'), select,
          el('button', { type: 'button', class: 'secondary', 'data-move': to, onclick: () => move(to, select) }, MOVE_LABEL[to]));
      } else {
        row.append(el('button', { type: 'button', class: 'secondary', 'data-move': to, onclick: () => move(to) }, MOVE_LABEL[to]));
      }
    }
    actionsBox.append(row);
  }

  function lineItem(line) {
    const who = line.actor || '';
    const text = line.kind === 'note' ? line.text : (line.text || '');
    return el('li', { 'data-line': String(line.id), 'data-kind': line.kind },
      el('time', { datetime: line.time, title: dateTime(line.time) }, timeOfDay(line.time)), ' ',
      el('strong', {}, TIMELINE_KIND[line.kind] || line.kind), ' ',
      el('span', { class: 'text' }, text), ' ',
      el('span', { class: 'sub' }, '— ', el('bdi', {}, who)));
  }

  function renderTimeline() {
    timelineList.replaceChildren(...lines.map(lineItem));
  }

  function renderAll() {
    if (!incident) return;
    renderHeader();
    renderRecs();
    renderActions();
    renderTimeline();
    // Built once per incident and then changed in place, so that a note being typed
    // keeps its focus while events arrive.
    const wantNote = canAct && incident.status !== 'closed';
    if (!headerBox.isConnected) {
      root.replaceChildren(headerBox, factsBox, unitsBox, recsBox, actionsBox,
        el('h3', {}, 'رویدادهای رخداد'), timelineList, ...(wantNote ? [noteForm] : []));
    } else if (wantNote && !noteForm.isConnected) {
      root.append(noteForm);
    } else if (!wantNote) {
      noteForm.remove();
    }
    if (busy) setBusy(true);
  }

  async function loadRecs() {
    const g = generation;
    if (!canAct || !incident || !ASSIGNABLE.has(incident.status)) {
      recs = [];
      return;
    }
    try {
      const r = await api('GET', `/api/v1/incidents/${incident.id}/recommendations?limit=${RECS_SHOWN}`);
      if (g !== generation || gone) return;
      recs = r.items;
      renderRecs();
      if (busy) setBusy(true);
    } catch (err) {
      if (g === generation && !gone) ctx.toast(errorText(err), 'error');
    }
  }

  async function loadDetail() {
    const g = generation;
    const id = incident.id;
    try {
      const d = await api('GET', `/api/v1/incidents/${id}`);
      if (g !== generation || gone) return;
      detail = d;
      incident = newer(incident, d.incident);
      lines = d.timeline;
      renderAll();
    } catch (err) {
      if (g === generation && !gone) ctx.toast(errorText(err), 'error');
    }
  }

  function newer(a, b) {
    return !a || !b || b.updated_at >= a.updated_at ? b || a : a;
  }

  async function act(fn, okText) {
    if (busy) return;
    setBusy(true);
    try {
      await fn();
      if (okText) ctx.toast(okText, 'ok');
    } catch (err) {
      ctx.toast(errorText(err), 'error');
      if (err.code === 'conflict') await Promise.all([loadDetail(), loadRecs()]);
    } finally {
      setBusy(false);
    }
  }

  function assign(unit) {
    const id = incident.id;
    return act(async () => {
      const r = await api('POST', `/api/v1/incidents/${id}/assignments`, { body: { unit_id: unit.id }, create: true });
      onUnit(r.unit);
      onIncident(r.incident);
      await Promise.all([loadDetail(), loadRecs()]);
    }, `${names.unit(unit)} به رخداد ${digits(incident.number_latin)} اعزام شد.`);
  }

  function move(to, select) {
    const body = { status: to };
    if (to === 'closed') {
      if (!select.value) {
        ctx.toast('برای بستن رخداد، نتیجهٔ پایانی را برگزینید.', 'error');
        select.focus();
        return Promise.resolve();
      }
      body.disposition = select.value;
    }
    const id = incident.id;
    return act(async () => {
      const inc = await api('POST', `/api/v1/incidents/${id}/status`, { body });
      onIncident(inc);
      await loadDetail();
      await loadRecs();
    }, `وضعیت رخداد: ${INCIDENT_STATUS[to]}`);
  }

  function addNote() {
    const text = noteInput.value.trim();
    if (!text) {
      noteInput.focus();
      return;
    }
    const id = incident.id;
    act(async () => {
      const line = await api('POST', `/api/v1/incidents/${id}/notes`, { body: { text } });
      noteInput.value = '';
      if (incident && incident.id === id) appendLine(line);
    }, 'یادداشت ثبت شد.');
  }

  function appendLine(line) {
    if (lines.some((l) => l.id === line.id)) return;
    lines.push(line);
    lines.sort((a, b) => a.id - b.id);
    if (timelineList.isConnected) renderTimeline();
  }

  function unitsChanged() {
    clearTimeout(recsTimer);
    recsTimer = setTimeout(loadRecs, 300);
  }

  return {
    show(inc) {
      generation += 1;
      clearTimeout(recsTimer);
      incident = inc;
      detail = null;
      lines = [];
      recs = [];
      if (!inc) {
        root.replaceChildren(el('p', { class: 'empty' }, 'رخدادی را از فهرست یا نقشه برگزینید.'));
        return;
      }
      renderAll();
      loadDetail();
      loadRecs();
    },
    incidentChanged(inc, line) {
      if (!incident || inc.id !== incident.id) return;
      const before = incident.status;
      incident = newer(incident, inc);
      if (line) appendLine(line);
      // The units on it and the ranking may have changed with it.
      if (line && (line.kind === 'assigned' || line.kind === 'status' || line.kind === 'unit_status' || before !== incident.status)) {
        loadDetail();
        unitsChanged();
      } else {
        renderHeader();
        renderActions();
      }
    },
    unitsChanged,
    assignNth(n) {
      const r = recs[n];
      if (canAct && r && incident && ASSIGNABLE.has(incident.status)) assign(r.unit);
    },
    focusNote() {
      if (noteInput.isConnected) noteInput.focus();
    },
    get incident() {
      return incident;
    },
    destroy() {
      gone = true;
      clearTimeout(recsTimer);
    },
  };
}
