// map.js — the console's map of Gilan: Leaflet with no tile layer (the centre may run on
// a closed network, so no online map tiles), drawn from the places the server knows
// (GET /api/v1/places through ctx.places()): the province outline, the county borders
// and names, the police stations; over them the units, coloured by status, and the
// incidents, coloured by priority. The dispatch board and the call-taker screen share it.
//
//   const map = createMap(el, ctx, { label(kind, item) → text })   // label: optional
//   map.setUnits(units)          units as GET /api/v1/units answers them
//   map.setIncidents(incidents)  incidents as GET /api/v1/incidents answers them
//   map.select(kind, id)         'incident' | 'unit' | null: highlight one marker
//   map.onSelect(fn)             fn(kind, id) when a marker is clicked
//   map.pin(lat, lon, {draggable, onMove})  one movable pin (the caller's location);
//                                → {move(lat, lon), position() → {lat, lon}, remove()}
//   map.fit()                    show the whole province
//   map.destroy()
//   map.ready                    a promise: resolves once the map is drawn
//
// createMap answers at once; Leaflet (/vendor/leaflet/leaflet.js, a classic script) and
// the places load in the background, and whatever was set meanwhile is drawn when they
// arrive. Colours come from app.css's variables, so the map and the lists agree.

import { digits, INCIDENT_STATUS, PRIORITY, UNIT_STATUS } from '../lib/i18n.js';

// The app.css variable that colours each unit status and incident priority.
export const UNIT_COLOUR_VAR = {
  available: '--ok', dispatched: '--warn', en_route: '--p2', on_scene: '--accent',
  busy: '--muted', out_of_service: '--line',
};
export const PRIORITY_COLOUR_VAR = { 1: '--p1', 2: '--p2', 3: '--p3', 4: '--p4' };

const LEAFLET_URL = '/vendor/leaflet/leaflet.js';
const MAP_CSS = '/app/map.css';
let leafletPromise = null;

// Leaflet once per page: it is a classic script that defines window.L.
function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  if (!leafletPromise) {
    leafletPromise = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = LEAFLET_URL;
      s.onload = () => resolve(window.L);
      s.onerror = () => {
        leafletPromise = null;
        s.remove();
        reject(new Error('leaflet did not load'));
      };
      document.head.append(s);
    });
  }
  return leafletPromise;
}

// map.css once per page (leaflet.css is linked by index.html).
function linkCss() {
  if (document.querySelector(`link[href="${MAP_CSS}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = MAP_CSS;
  document.head.append(link);
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#555e69';
}

const toLatLng = (p) => (p && Number.isFinite(p.lat) && Number.isFinite(p.lon) ? [p.lat, p.lon] : null);

// A text for a tooltip, as its own bidi-isolated right-to-left element.
function tip(text) {
  const span = document.createElement('span');
  span.dir = 'rtl';
  span.textContent = text;
  return span;
}

function defaultLabel(kind, item) {
  if (kind === 'unit') {
    return `${item.call_sign_fa || item.code} · ${UNIT_STATUS[item.status] || item.status}`;
  }
  return `${digits(item.number_latin)} · ${PRIORITY[item.priority] || ''} · ${INCIDENT_STATUS[item.status] || item.status}`;
}

export function createMap(el, ctx, { label = defaultLabel } = {}) {
  const state = {
    units: [], incidents: [], selected: null, pin: null, fns: new Set(), gone: false,
  };
  let L = null;
  let map = null;
  let bounds = null;
  let unitLayer = null;
  let incidentLayer = null;
  const markers = { unit: new Map(), incident: new Map() };
  let pinMarker = null;

  linkCss();
  el.classList.add('hmap');
  el.dir = 'ltr'; // Leaflet lays its panes out left to right
  el.setAttribute('role', 'application');
  el.setAttribute('aria-label', 'نقشهٔ گیلان: شهرستان‌ها، کلانتری‌ها، یگان‌ها و رخدادها');

  function styleFor(kind, item) {
    const chosen = state.selected && state.selected.kind === kind && state.selected.id === item.id;
    if (kind === 'unit') {
      return {
        radius: chosen ? 8 : 5, weight: chosen ? 3 : 1, color: chosen ? cssVar('--ink') : '#ffffff',
        fillColor: cssVar(UNIT_COLOUR_VAR[item.status] || '--muted'), fillOpacity: 0.95,
      };
    }
    return {
      radius: chosen ? 12 : 8, weight: chosen ? 4 : 2, color: chosen ? cssVar('--focus') : '#ffffff',
      fillColor: cssVar(PRIORITY_COLOUR_VAR[item.priority] || '--p4'), fillOpacity: 1,
    };
  }

  function drawKind(kind, items, layer, where) {
    const seen = new Set();
    for (const item of items) {
      const at = toLatLng(where(item));
      if (!at) continue;
      seen.add(item.id);
      let m = markers[kind].get(item.id);
      if (!m) {
        m = L.circleMarker(at, { ...styleFor(kind, item), bubblingMouseEvents: false, className: `hmap-${kind}` });
        m.on('click', () => {
          for (const fn of state.fns) fn(kind, m.hamyarId);
        });
        m.bindTooltip(tip(label(kind, item)), { direction: 'top' });
        m.addTo(layer);
        m.getElement()?.setAttribute('data-id', String(item.id));
        markers[kind].set(item.id, m);
      } else {
        m.setLatLng(at);
        m.setStyle(styleFor(kind, item));
        m.setRadius(styleFor(kind, item).radius);
        m.setTooltipContent(tip(label(kind, item)));
      }
      m.hamyarId = item.id;
      m.hamyarItem = item;
    }
    for (const [id, m] of markers[kind]) {
      if (!seen.has(id)) {
        m.remove();
        markers[kind].delete(id);
      }
    }
    // Where incidents overlap, the more urgent one is drawn on top (priority 1 last), so
    // that a burglary's marker never hides an armed robbery's; the chosen marker above all.
    if (kind === 'incident') {
      const byUrgency = [...markers.incident.values()].sort((x, y) => (y.hamyarItem.priority || 4) - (x.hamyarItem.priority || 4));
      for (const m of byUrgency) m.bringToFront();
    }
    if (state.selected && state.selected.kind === kind) markers[kind].get(state.selected.id)?.bringToFront();
  }

  // Pans to a place when it is out of view or near the edge; leaves the view alone
  // otherwise, so that the map does not jump about under the user's eyes.
  function bringIntoView(at) {
    if (map && !map.getBounds().pad(-0.2).contains(at)) map.panTo(at);
  }

  function drawUnits() {
    if (map) drawKind('unit', state.units, unitLayer, (u) => u.position);
  }
  function drawIncidents() {
    if (map) drawKind('incident', state.incidents, incidentLayer, (i) => i.location);
  }

  function drawPin() {
    if (!map) return;
    const p = state.pin;
    if (!p) {
      pinMarker?.remove();
      pinMarker = null;
      return;
    }
    if (pinMarker && pinMarker.options.draggable !== !!p.draggable) {
      pinMarker.remove();
      pinMarker = null;
    }
    if (!pinMarker) {
      pinMarker = L.marker([p.lat, p.lon], { draggable: !!p.draggable, keyboard: true, title: 'محل تماس', alt: 'محل تماس', zIndexOffset: 1000 });
      pinMarker.on('dragend', () => {
        const ll = pinMarker.getLatLng();
        state.pin.lat = ll.lat;
        state.pin.lon = ll.lng;
        state.pin.onMove?.(ll.lat, ll.lng);
      });
      pinMarker.addTo(map);
    } else {
      pinMarker.setLatLng([p.lat, p.lon]);
    }
  }

  function drawPlaces(places) {
    const counties = places.counties.filter((c) => c.border && c.border.type === 'Polygon');
    const feature = (c) => ({ type: 'Feature', properties: { name: c.name_fa || c.name_en || c.code }, geometry: c.border });
    const all = { type: 'FeatureCollection', features: counties.map(feature) };
    // The province outline: every county drawn first with a wide stroke, then the same
    // polygons filled over it with a thin one. The fills hide the wide stroke's halves
    // along the inner borders, so only the outer edge stays wide: the outline of the
    // union, without computing the union.
    const outline = L.geoJSON(all, { interactive: false, style: { color: cssVar('--ink'), weight: 5, fill: false } });
    const countyLayer = L.geoJSON(all, {
      interactive: false,
      style: { color: cssVar('--muted'), weight: 1, dashArray: '4 3', fillColor: '#fbfaf4', fillOpacity: 1 },
    });
    // Leaflet draws paths only on a map that has a view: set it before adding them.
    bounds = countyLayer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
      map.setMaxBounds(bounds.pad(0.5));
    } else {
      map.setView([37.28, 49.58], 9); // Rasht, when the places have no borders
    }
    outline.addTo(map);
    countyLayer.addTo(map);
    for (const c of counties) {
      if (!c.seat) continue;
      L.marker([c.seat.lat, c.seat.lon], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: 'hmap-county', html: '', iconSize: null }),
      }).addTo(map).getElement()?.append(tip(c.name_fa || c.code));
    }
    for (const s of places.stations) {
      const at = toLatLng(s.location);
      if (!at) continue;
      L.circleMarker(at, { radius: 2.5, weight: 1, color: cssVar('--muted'), fillColor: '#ffffff', fillOpacity: 1, interactive: true })
        .bindTooltip(tip(s.name_fa || s.code), { direction: 'top' })
        .addTo(map);
    }
  }

  const ready = Promise.all([loadLeaflet(), ctx.places()]).then(([leaflet, places]) => {
    if (state.gone) return;
    L = leaflet;
    map = L.map(el, {
      zoomControl: true, attributionControl: false, zoomSnap: 0.25, minZoom: 7, maxZoom: 16,
      preferCanvas: false, keyboard: true,
    });
    drawPlaces(places);
    // Stations under units, units under incidents, the pin above all.
    unitLayer = L.layerGroup().addTo(map);
    incidentLayer = L.layerGroup().addTo(map);
    map.on('click', (ev) => {
      if (state.pin && state.pin.draggable) {
        state.pin.lat = ev.latlng.lat;
        state.pin.lon = ev.latlng.lng;
        drawPin();
        state.pin.onMove?.(ev.latlng.lat, ev.latlng.lng);
      }
    });
    // data-moving while the view animates, so that a test (or a screenshot) can wait
    // for it to settle.
    map.on('movestart zoomstart', () => { el.dataset.moving = 'true'; });
    map.on('moveend zoomend', () => { delete el.dataset.moving; });
    drawUnits();
    drawIncidents();
    drawPin();
    el.dataset.ready = 'true';
  });

  return {
    ready,
    setUnits(units) {
      state.units = units || [];
      drawUnits();
    },
    setIncidents(incidents) {
      state.incidents = incidents || [];
      drawIncidents();
    },
    select(kind, id) {
      const before = state.selected;
      state.selected = kind ? { kind, id } : null;
      if (before?.kind === 'unit' || kind === 'unit') drawUnits();
      if (before?.kind === 'incident' || kind === 'incident') drawIncidents();
      const m = kind && markers[kind].get(id);
      if (m) bringIntoView(m.getLatLng());
    },
    onSelect(fn) {
      state.fns.add(fn);
      return () => state.fns.delete(fn);
    },
    pin(lat, lon, { draggable = false, onMove = null } = {}) {
      state.pin = { lat, lon, draggable, onMove };
      drawPin();
      bringIntoView([lat, lon]);
      return {
        move(la, lo) {
          if (!state.pin) return;
          state.pin.lat = la;
          state.pin.lon = lo;
          drawPin();
          bringIntoView([la, lo]);
        },
        position() {
          return state.pin ? { lat: state.pin.lat, lon: state.pin.lon } : null;
        },
        remove() {
          state.pin = null;
          drawPin();
        },
      };
    },
    fit() {
      if (map && bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    },
    // For tests and screens that need the map's own object (never needed for drawing).
    leaflet() {
      return map;
    },
    destroy() {
      state.gone = true;
      state.fns.clear();
      if (map) map.remove();
      map = null;
      el.classList.remove('hmap');
      delete el.dataset.ready;
    },
  };
}
