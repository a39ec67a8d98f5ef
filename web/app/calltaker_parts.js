// calltaker_parts.js — the pieces of the call-taker screen (calltaker.js) that stand on
// their own: the incident-type combobox, the county a point lies in, and the way
// distances, coordinates and ages read in Persian.
//
// The combobox follows the WAI-ARIA 1.2 "combobox with listbox popup" pattern: the text
// box keeps the focus (role=combobox, aria-activedescendant names the highlighted
// option), arrow keys move through the options, Enter chooses, Escape closes the list.
// The search itself is the server's (GET /api/v1/incident-types?q=), which normalises
// Arabic yeh and kaf and searches names and keywords, best first; the text is also
// normalised here, so that what the call-taker typed and what the server matched agree
// even where a browser's input method sends Arabic letters.

import { el } from './app.js';
import { api } from '../lib/api.js';
import { INCIDENT_STATUS, PRIORITY, REPEAT_REASON, digits, errorText } from '../lib/i18n.js';

// Arabic yeh/alef maksura and kaf to their Persian forms, zero-width non-joiners and
// runs of spaces to one space: how a Persian keyboard and an Arabic one differ.
export function normalise(s) {
  return String(s)
    .replace(/[\u064a\u0649]/g, '\u06cc')
    .replace(/\u0643/g, '\u06a9')
    .replace(/[\u200c\s]+/g, ' ')
    .trim();
}

// Is [lon, lat] inside the ring (ray casting)? The counties' borders are GeoJSON.
function inRing(ring, lon, lat) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(rings, lon, lat) {
  return inRing(rings[0], lon, lat) && !rings.slice(1).some((hole) => inRing(hole, lon, lat));
}

// The county (from GET /api/v1/places) whose border holds the point, or null. Only to
// tell the call-taker where a caller is; the server derives the call's county itself.
export function countyAt(places, lat, lon) {
  for (const c of (places && places.counties) || []) {
    const b = c.border;
    if (!b) continue;
    const polys = b.type === 'Polygon' ? [b.coordinates] : b.type === 'MultiPolygon' ? b.coordinates : [];
    if (polys.some((p) => inPolygon(p, lon, lat))) return c;
  }
  return null;
}

// "۱۴۰ متر", "۲٫۳ کیلومتر".
export function distanceText(m) {
  if (m == null) return '';
  if (m < 1000) return `${digits(Math.round(m))} متر`;
  return `${digits((m / 1000).toFixed(1)).replace('.', '٫')} کیلومتر`;
}

// A coordinate as the user reads it: five decimals, Persian decimal separator.
export function coordText(x) {
  return digits(Number(x).toFixed(5)).replace('.', '٫');
}

// What a person typed as a coordinate ("۳۷٫۲۸", "37.28") → a number, or NaN.
export function parseCoord(s) {
  const t = String(s).trim()
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[٫,]/g, '.');
  return t === '' ? NaN : Number(t);
}

// "۳ دقیقه پیش", "همین حالا".
export function minutesAgo(min) {
  return min < 1 ? 'همین حالا' : `${digits(min)} دقیقه پیش`;
}

// One repeat candidate of a stored call's answer ({incident, reasons, distance_m,
// minutes}) as an option of the candidates' listbox; types: code → incident type.
export function candidateItem(c, selected, types, onClick) {
  const inc = c.incident;
  const t = types.get(inc.type);
  const reasons = c.reasons.map((r) => REPEAT_REASON[r] || r).join('، ');
  const facts = [distanceText(c.distance_m), minutesAgo(c.minutes), inc.address, `${digits(inc.call_count)} تماس`];
  return el('li', { id: `ct-cand-${inc.id}`, role: 'option', 'data-id': inc.id, 'aria-selected': String(selected), onclick: onClick },
    el('div', { class: 'ct-cand-head' },
      el('span', { class: 'prio', 'data-p': inc.priority, title: PRIORITY[inc.priority] }, digits(inc.priority)), ' ',
      el('bdi', { class: 'ct-incno' }, digits(inc.number_latin)), ' ',
      el('span', {}, t ? t.name_fa : inc.type), ' ',
      el('span', { class: 'status' }, INCIDENT_STATUS[inc.status] || inc.status)),
    el('div', { class: 'ct-reasons' }, reasons),
    // Each fact isolated, so that the numbers of neighbouring facts never run together.
    el('div', { class: 'ct-facts' }, facts.filter(Boolean).flatMap((f, i) => [i ? ' · ' : null, el('bdi', {}, f)])));
}

// The incident-type combobox. opts: id (of the text box), onChange(type | null).
// Returns {root, input, value() → the chosen type or null, set(type), clear(),
// isOpen()}.
export function typeCombobox({ id, onChange }) {
  const listId = `${id}-list`;
  const input = el('input', {
    id, type: 'text', role: 'combobox', autocomplete: 'off', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': listId, 'aria-describedby': `${id}-hint`,
  });
  const list = el('ul', {
    id: listId, role: 'listbox', class: 'ct-options', 'aria-label': 'نوع‌های رخداد', hidden: true,
    tabindex: '-1', // the focus stays in the text box; a scrolling list would otherwise take a Tab stop
  });
  const hint = el('p', { id: `${id}-hint`, class: 'ct-hint' }, 'بنویسید و با ', el('kbd', {}, '↓'), ' ', el('kbd', {}, '↑'),
    ' بگردید، با ', el('kbd', {}, 'Enter'), ' برگزینید.');
  const status = el('p', { class: 'ct-sr', role: 'status', 'aria-live': 'polite' });
  const root = el('div', { class: 'ct-combo' }, input, list, hint, status);

  let all = null; // every type, loaded on first use, for the instant local match
  let items = [];
  let active = -1;
  let moved = false; // the call-taker moved the highlight since the text last changed
  let chosen = null;
  let seq = 0; // answers to older searches are dropped
  let timer = null;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(i) {
    active = i;
    for (const [n, li] of [...list.children].entries()) li.setAttribute('aria-selected', String(n === i));
    const li = list.children[i];
    if (li) {
      input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  // keep: the code to stay highlighted when the list is refreshed (the server's answer
  // replacing the local match), so an arrow key pressed meanwhile is not undone.
  function render(keep) {
    list.replaceChildren(...items.map((t, i) => el('li', {
      id: `${id}-opt-${t.code}`, role: 'option', 'aria-selected': 'false', 'data-code': t.code,
      onmousedown: (ev) => ev.preventDefault(), // keep the focus in the text box
      onclick: () => choose(i),
    }, el('span', { class: 'prio', 'data-p': t.priority, title: PRIORITY[t.priority] }, digits(t.priority)), ' ', t.name_fa,
    el('span', { class: 'ct-en', lang: 'en', dir: 'ltr' }, t.name_en))));
    list.hidden = items.length === 0;
    input.setAttribute('aria-expanded', String(items.length > 0));
    status.textContent = items.length ? `${digits(items.length)} نوع پیدا شد.` : 'نوعی با این نوشته پیدا نشد.';
    const kept = keep ? items.findIndex((t) => t.code === keep) : -1;
    highlight(kept >= 0 ? kept : items.length ? 0 : -1);
  }

  // The types whose names, keywords or code hold the text: shown at once while the
  // server's search (which ranks them) is on its way.
  function localMatch(q) {
    if (!all) return null;
    const needle = q.toLowerCase();
    return all.filter((t) => normalise([t.name_fa, t.name_en, t.code, ...t.keywords].join(' ')).toLowerCase().includes(needle));
  }

  async function search() {
    const q = normalise(input.value);
    const mine = ++seq;
    const quick = q && localMatch(q);
    if (quick && document.activeElement === input) {
      const keep = moved ? items[active]?.code : null;
      items = quick;
      render(keep);
    }
    try {
      if (!all) all = (await api('GET', '/api/v1/incident-types')).items;
      const r = q ? await api('GET', `/api/v1/incident-types?q=${encodeURIComponent(q)}`) : { items: all };
      if (mine !== seq || document.activeElement !== input) return;
      const keep = moved ? items[active]?.code : null;
      items = r.items;
      render(keep);
    } catch (err) {
      if (mine === seq) status.textContent = errorText(err);
    }
  }

  function choose(i) {
    const t = items[i];
    if (!t) return;
    chosen = t;
    input.value = t.name_fa;
    input.setAttribute('aria-invalid', 'false');
    close();
    onChange(t);
  }

  input.addEventListener('input', () => {
    if (chosen) {
      chosen = null;
      onChange(null);
    }
    moved = false;
    const quick = localMatch(normalise(input.value));
    if (quick) {
      items = quick;
      render();
    }
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  input.addEventListener('focus', () => {
    if (!chosen) search();
  });
  input.addEventListener('blur', () => {
    clearTimeout(timer);
    seq++;
    close();
  });
  input.addEventListener('keydown', (ev) => {
    const open = !list.hidden;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!open) {
        search();
        return;
      }
      const step = ev.key === 'ArrowDown' ? 1 : -1;
      moved = true;
      highlight((active + step + items.length) % items.length);
    } else if (ev.key === 'Enter' && open && active >= 0 && !ev.ctrlKey) {
      ev.preventDefault(); // chooses; does not send the form
      choose(active);
    } else if (ev.key === 'Escape' && open) {
      ev.preventDefault();
      ev.stopPropagation(); // closes the list; does not clear the form
      close();
    }
  });

  return {
    root,
    input,
    value: () => chosen,
    isOpen: () => !list.hidden,
    set(t) {
      chosen = t;
      input.value = t ? t.name_fa : '';
      close();
    },
    clear() {
      chosen = null;
      items = [];
      input.value = '';
      input.removeAttribute('aria-invalid');
      close();
    },
  };
}
