// dispatch.js — the dispatch board (اعزام, F3): the incidents waiting for a unit and
// those being worked, by priority and then age, with a timer that turns red when a
// pending incident has waited too long; the units by station and status; the map; and
// the selected incident (dispatch_detail.js) with its recommendations, status changes
// and timeline.
//
// Live: the lists follow the shared event stream (live.js) — incident.created,
// incident.updated (which also carries the unit of an assignment or a unit's move),
// call.linked, unit.updated and unit.position — and change in place, without reloading.
// live.js resumes a dropped stream from the last event it saw, so nothing made during
// the gap is missed. Events that arrive while the first lists are still loading are kept
// and applied after them; of two versions of an incident the newer (updated_at) wins.
//
// A commander sees the board but has no action buttons (canAct false).

import { api } from '../lib/api.js';
import * as live from '../lib/live.js';
import {
  INCIDENT_STATUS, PRIORITY, UNIT_STATUS, UNIT_TYPE, digits, duration, errorText, num,
} from '../lib/i18n.js';
import { el } from './app.js';
import { createDetail } from './dispatch_detail.js';
import { PRIORITY_COLOUR_VAR, UNIT_COLOUR_VAR, createMap } from './map.js';

// How long a pending incident may wait for a unit before it shows as overdue, in
// seconds: priority 1 a minute (the centre's goal: dispatched within 60 s of answer),
// the others five minutes. The one place these limits are written.
export const OVERDUE_S = { 1: 60, other: 300 };

export function overdueAfter(incident) {
  return incident.status === 'pending' ? OVERDUE_S[incident.priority] ?? OVERDUE_S.other : null;
}

const OPEN = ['pending', 'dispatched', 'en_route', 'on_scene', 'cleared'];
const MAX_PAGES = 10; // 2,000 open incidents: far more than a province's busiest hour

const since = (i) => Date.parse(i.answer_at || i.created_at);
const byPriorityThenAge = (a, b) => a.priority - b.priority || since(a) - since(b) || a.id - b.id;

async function allPages(path) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await api('GET', cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...r.items);
    cursor = r.next_cursor;
    if (!cursor) break;
  }
  return items;
}

function mount(root, ctx) {
  const canAct = ctx.user.roles.some((r) => r === 'dispatcher' || r === 'supervisor');
  const incidents = new Map(); // id → incident (open ones only)
  const units = new Map(); // id → unit
  const types = new Map(); // code → incident type
  let dispositions = [];
  let places = { counties: [], stations: [] };
  let clockSkew = 0; // server time − this machine's time, ms
  let selected = null; // incident id
  let loaded = false;
  let gone = false;
  const early = []; // events that came before the first lists
  const filters = { status: '', station: '' };

  const names = {
    type: (code) => types.get(code)?.name_fa || code,
    county: (code) => places.counties.find((c) => c.code === code)?.name_fa || code || '—',
    station: (code) => places.stations.find((s) => s.code === code)?.name_fa || code,
    unit: (u) => u.call_sign_fa ? digits(u.call_sign_fa) : u.code,
    disposition: (code) => dispositions.find((d) => d.code === code)?.name_fa || code,
    dispositions: () => dispositions,
  };

  // ---- layout ---------------------------------------------------------------------

  const announce = el('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const pendingBody = el('tbody');
  const openBody = el('tbody');
  const pendingCount = el('span', { class: 'count' });
  const openCount = el('span', { class: 'count' });
  const incTable = (body, label, withStatus) => el('table', { class: 'list dsp-inc', role: 'grid', 'aria-label': label },
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'اولویت'), el('th', { scope: 'col' }, 'شماره'), el('th', { scope: 'col' }, 'نوع'),
      withStatus ? el('th', { scope: 'col' }, 'وضعیت') : el('th', { scope: 'col' }, 'شهرستان'),
      el('th', { scope: 'col' }, 'مدت'))),
    body);
  const incPanel = el('section', { class: 'panel dsp-incidents', 'aria-labelledby': 'dsp-pending-title' },
    el('h2', { id: 'dsp-pending-title' }, 'در انتظار اعزام ', pendingCount),
    incTable(pendingBody, 'رخدادهای در انتظار اعزام', false),
    el('h2', { id: 'dsp-open-title' }, 'در جریان ', openCount),
    incTable(openBody, 'رخدادهای در جریان', true),
    el('p', { class: 'keys' },
      el('kbd', {}, '↑'), el('kbd', {}, '↓'), ' رخداد قبلی و بعدی · ',
      el('kbd', {}, 'Alt+I'), ' فهرست رخدادها · ',
      canAct ? [el('kbd', {}, 'Alt+1'), ' اعزام نخستین یگان پیشنهادی · ', el('kbd', {}, 'Alt+N'), ' یادداشت · '] : null,
      el('kbd', {}, 'Alt+U'), ' یگان‌ها'));

  const mapBox = el('div', { class: 'dsp-mapbox', id: 'dsp-map' });
  const legend = el('ul', { class: 'hmap-legend', 'aria-label': 'راهنمای رنگ‌های نقشه' },
    Object.entries(PRIORITY).map(([p, name]) => el('li', {}, el('i', { style: `background: var(${PRIORITY_COLOUR_VAR[p]})` }), `رخداد ${name}`)),
    Object.entries(UNIT_STATUS).map(([s, name]) => el('li', {}, el('i', { style: `background: var(${UNIT_COLOUR_VAR[s]}); border-radius: 2px` }), `یگان ${name}`)));
  const mapPanel = el('section', { class: 'panel dsp-map', 'aria-label': 'نقشه' }, mapBox, legend);

  const statusSelect = el('select', { id: 'dsp-unit-status' });
  const stationSelect = el('select', { id: 'dsp-unit-station' });
  const unitsBody = el('tbody');
  const unitsCount = el('span', { class: 'count' });
  const unitsPanel = el('section', { class: 'panel dsp-units', 'aria-labelledby': 'dsp-units-title' },
    el('div', { class: 'dsp-units-head' },
      el('h2', { id: 'dsp-units-title' }, 'یگان‌ها ', unitsCount),
      el('label', { for: 'dsp-unit-status' }, 'وضعیت'), statusSelect,
      el('label', { for: 'dsp-unit-station' }, 'کلانتری'), stationSelect),
    el('div', { class: 'dsp-units-scroll' },
      el('table', { class: 'list dsp-unit-table', 'aria-labelledby': 'dsp-units-title' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'یگان'), el('th', { scope: 'col' }, 'نوع'),
          el('th', { scope: 'col' }, 'وضعیت'), el('th', { scope: 'col' }, 'رخداد'))),
        unitsBody)));

  const detailBox = el('section', { class: 'panel dsp-detail', 'aria-labelledby': 'dsp-detail-title' });
  // In the order of work for Tab (the list, the chosen incident, then the map and the
  // units); dispatch.css places the detail in the third column.
  root.replaceChildren(el('div', { class: 'dsp', 'data-screen': 'dispatch' },
    incPanel, detailBox, el('div', { class: 'dsp-middle' }, mapPanel, unitsPanel), announce));
  root.dataset.screen = 'dispatch';

  const map = createMap(mapBox, ctx, {
    label: (kind, item) => kind === 'unit'
      ? `${names.unit(item)} · ${UNIT_STATUS[item.status] || item.status}`
      : `${digits(item.number_latin)} · ${names.type(item.type)} · ${INCIDENT_STATUS[item.status] || item.status}`,
  });
  const detail = createDetail(detailBox, {
    ctx, canAct, names,
    onIncident: (inc) => putIncident(inc),
    onUnit: (u) => putUnit(u),
  });

  // ---- incidents ----------------------------------------------------------------------

  function ageCell(inc) {
    return el('td', { class: 'age' }, el('time', { 'data-since': String(since(inc)), 'data-limit': String(overdueAfter(inc) ?? '') }));
  }

  function incRow(inc, withStatus) {
    const on = inc.id === selected;
    return el('tr', {
      'data-id': String(inc.id), 'aria-selected': on ? 'true' : 'false', tabindex: '-1',
      onclick: () => select(inc.id, false),
    },
    el('td', {}, el('span', { class: 'prio', 'data-p': String(inc.priority), title: PRIORITY[inc.priority] }, digits(inc.priority))),
    el('td', {}, el('bdi', { class: 'ltr' }, digits(inc.number_latin))),
    el('td', {}, names.type(inc.type), inc.call_count > 1 ? el('span', { class: 'sub' }, ` (${num(inc.call_count)} تماس)`) : null),
    withStatus
      ? el('td', {}, el('span', { class: 'status', 'data-status': inc.status }, INCIDENT_STATUS[inc.status] || inc.status))
      : el('td', {}, names.county(inc.county)),
    ageCell(inc));
  }

  function renderIncidents() {
    const focused = document.activeElement?.closest?.('tr[data-id]')?.dataset.id;
    const all = [...incidents.values()].sort(byPriorityThenAge);
    const pending = all.filter((i) => i.status === 'pending');
    const open = all.filter((i) => i.status !== 'pending');
    pendingBody.replaceChildren(...(pending.length ? pending.map((i) => incRow(i, false))
      : [el('tr', {}, el('td', { colspan: '5', class: 'empty' }, 'رخدادی در انتظار نیست.'))]));
    openBody.replaceChildren(...(open.length ? open.map((i) => incRow(i, true))
      : [el('tr', {}, el('td', { colspan: '5', class: 'empty' }, 'رخدادی در جریان نیست.'))]));
    pendingCount.textContent = `(${num(pending.length)})`;
    openCount.textContent = `(${num(open.length)})`;
    // One row of the lists is reachable by Tab (the selected one, or the first); the
    // arrows move between rows.
    const rows = [...root.querySelectorAll('.dsp-inc tr[data-id]')];
    const current = rows.find((r) => r.dataset.id === String(selected)) || rows[0];
    if (current) current.tabIndex = 0;
    if (focused) root.querySelector(`.dsp-inc tr[data-id="${focused}"]`)?.focus();
    tick();
    map.setIncidents(all);
  }

  // The timers: every age once a second, and the overdue colour.
  function tick() {
    const now = Date.now() + clockSkew;
    for (const t of root.querySelectorAll('.dsp-inc time[data-since]')) {
      const age = (now - Number(t.dataset.since)) / 1000;
      t.textContent = duration(age);
      const limit = Number(t.dataset.limit);
      const late = t.dataset.limit !== '' && age > limit;
      t.closest('tr').classList.toggle('overdue', late);
      t.title = late ? 'دیر شده است: هنوز یگانی اعزام نشده' : '';
    }
  }

  function putIncident(inc) {
    const old = incidents.get(inc.id);
    if (old && inc.updated_at < old.updated_at) return;
    if (inc.status === 'closed') incidents.delete(inc.id);
    else incidents.set(inc.id, inc);
    if (!old && inc.status === 'pending') announce.textContent = `رخداد تازه: ${digits(inc.number_latin)} ${names.type(inc.type)}، اولویت ${PRIORITY[inc.priority]}`;
    schedule();
  }

  function select(id, focus) {
    selected = id;
    for (const r of root.querySelectorAll('.dsp-inc tr[data-id]')) {
      const on = r.dataset.id === String(id);
      r.setAttribute('aria-selected', on ? 'true' : 'false');
      r.tabIndex = on ? 0 : -1;
      if (on && focus) r.focus();
    }
    map.select('incident', id);
    const inc = incidents.get(id);
    if (inc) detail.show(inc);
  }

  incPanel.addEventListener('keydown', (ev) => {
    const row = ev.target.closest?.('tr[data-id]');
    if (!row) return;
    const rows = [...root.querySelectorAll('.dsp-inc tr[data-id]')];
    const at = rows.indexOf(row);
    let next = null;
    if (ev.key === 'ArrowDown') next = rows[at + 1];
    else if (ev.key === 'ArrowUp') next = rows[at - 1];
    else if (ev.key === 'Home') next = rows[0];
    else if (ev.key === 'End') next = rows[rows.length - 1];
    else if (ev.key === 'Enter' || ev.key === ' ') next = row;
    if (!next) return;
    ev.preventDefault();
    select(Number(next.dataset.id), true);
  });

  // ---- units ----------------------------------------------------------------------

  function unitMatches(u) {
    return (!filters.status || u.status === filters.status) && (!filters.station || u.station === filters.station);
  }

  function renderFilters() {
    const all = [...units.values()];
    const countBy = (s) => all.filter((u) => u.status === s).length;
    const keepStatus = statusSelect.value;
    statusSelect.replaceChildren(el('option', { value: '' }, `همه (${num(all.length)})`),
      Object.entries(UNIT_STATUS).map(([s, name]) => el('option', { value: s }, `${name} (${num(countBy(s))})`)));
    statusSelect.value = keepStatus;
    if (stationSelect.options.length) return; // the stations do not change
    const withUnits = new Set(all.map((u) => u.station));
    stationSelect.append(el('option', { value: '' }, 'همهٔ کلانتری‌ها'),
      places.counties.map((c) => {
        const stations = places.stations.filter((s) => s.county === c.code && withUnits.has(s.code));
        return stations.length ? el('optgroup', { label: c.name_fa || c.code },
          stations.map((s) => el('option', { value: s.code }, s.name_fa || s.code))) : null;
      }));
  }

  function renderUnits() {
    renderFilters();
    const shown = [...units.values()].filter(unitMatches)
      .sort((a, b) => a.station.localeCompare(b.station) || a.code.localeCompare(b.code));
    const rows = [];
    let station = null;
    for (const u of shown) {
      if (u.station !== station) {
        station = u.station;
        rows.push(el('tr', { class: 'group' }, el('th', { colspan: '4', scope: 'rowgroup' }, names.station(station))));
      }
      const inc = u.incident_id ? incidents.get(u.incident_id) : null;
      rows.push(el('tr', { 'data-unit': String(u.id), onclick: () => map.select('unit', u.id) },
        el('td', {}, names.unit(u)),
        el('td', {}, UNIT_TYPE[u.type] || u.type),
        el('td', {}, el('span', { class: 'status', 'data-status': u.status }, UNIT_STATUS[u.status] || u.status)),
        el('td', {}, u.incident_id
          ? el('button', { type: 'button', class: 'link', onclick: (ev) => { ev.stopPropagation(); select(u.incident_id, false); } },
            el('bdi', { class: 'ltr' }, inc ? digits(inc.number_latin) : `#${digits(u.incident_id)}`))
          : '')));
    }
    unitsBody.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '4', class: 'empty' }, 'یگانی با این پالایه نیست.'))]));
    unitsCount.textContent = `(${num(shown.length)})`;
    map.setUnits(shown);
  }

  function putUnit(u) {
    units.set(u.id, u);
    schedule();
    detail.unitsChanged();
  }

  for (const [sel, key] of [[statusSelect, 'status'], [stationSelect, 'station']]) {
    sel.addEventListener('change', () => {
      filters[key] = sel.value;
      renderUnits();
    });
  }

  map.onSelect((kind, id) => {
    if (kind === 'incident') select(id, false);
    else {
      map.select('unit', id);
      unitsBody.querySelector(`tr[data-unit="${id}"]`)?.scrollIntoView({ block: 'nearest' });
    }
  });

  // Many events can come in one burst (a catch-up after a reconnect): draw once per frame.
  let frame = 0;
  function schedule() {
    if (!loaded || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (gone) return;
      renderIncidents();
      renderUnits();
    });
  }

  // ---- live -------------------------------------------------------------------------

  function onEvent(ev) {
    if (!loaded) {
      early.push(ev);
      return;
    }
    const p = ev.payload || {};
    if (p.unit) putUnit(p.unit);
    if (p.incident) {
      putIncident(p.incident);
      detail.incidentChanged(p.incident, p.line);
    }
  }
  const unsubscribe = ['incident.created', 'incident.updated', 'call.linked', 'unit.updated', 'unit.position']
    .map((t) => live.subscribe(t, onEvent));

  function onKey(ev) {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
    // ev.code, not ev.key: the shortcuts work whatever the keyboard layout (Persian too).
    const m = /^Digit([1-9])$/.exec(ev.code);
    if (m && canAct) detail.assignNth(Number(m[1]) - 1);
    else if (ev.code === 'KeyN' && canAct) detail.focusNote();
    else if (ev.code === 'KeyI') (root.querySelector('.dsp-inc tr[tabindex="0"]') || incPanel).focus();
    else if (ev.code === 'KeyU') statusSelect.focus();
    else return;
    ev.preventDefault();
  }
  document.addEventListener('keydown', onKey);

  // ---- first load -------------------------------------------------------------------

  async function load() {
    const [typeList, placeList, incs, unitList, time] = await Promise.all([
      api('GET', '/api/v1/incident-types'),
      ctx.places(),
      allPages(`/api/v1/incidents?status=${OPEN.join(',')}&limit=200`),
      api('GET', '/api/v1/units'),
      api('GET', '/api/v1/time').catch(() => null),
    ]);
    if (gone) return;
    for (const t of typeList.items) types.set(t.code, t);
    dispositions = typeList.dispositions;
    places = placeList;
    if (time) clockSkew = Date.parse(time.utc) - Date.now();
    for (const i of incs) incidents.set(i.id, i);
    for (const u of unitList.items) units.set(u.id, u);
    loaded = true;
    for (const ev of early.splice(0)) onEvent(ev);
    renderIncidents();
    renderUnits();
    const all = [...incidents.values()].sort(byPriorityThenAge);
    const first = all.find((i) => i.status === 'pending') || all[0];
    if (first && selected == null) select(first.id, false);
    root.querySelector('.dsp').dataset.loaded = 'true';
  }
  load().catch((err) => {
    if (!gone) ctx.toast(errorText(err), 'error');
  });
  const timer = setInterval(tick, 1000);

  return () => {
    gone = true;
    clearInterval(timer);
    cancelAnimationFrame(frame);
    document.removeEventListener('keydown', onKey);
    for (const u of unsubscribe) u();
    detail.destroy();
    map.destroy();
    delete root.dataset.screen;
  };
}

export default { id: 'dispatch', title: 'اعزام', roles: ['dispatcher', 'supervisor', 'commander'], key: 'F3', mount };
