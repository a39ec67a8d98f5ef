// live.js — the console's live events (GET /api/v1/events, Server-Sent Events).
//
// One stream per page, shared by every screen. A screen subscribes to the event types it
// shows ("incident.updated", "unit.updated", ...); each handler gets the parsed event
// {id, time, type, subject, payload}. The browser's EventSource resumes after a dropped
// connection with Last-Event-ID by itself; when the server refuses the stream (a 401
// after the session expired) or a resume is impossible, this module opens a new stream
// from the last id it saw (?last_event_id=), so events in the gap are still delivered,
// in order. onStatus() tells the shell whether the console is live, for the indicator.

const handlers = new Map(); // type → Set of fn
const statusFns = new Set();
let source = null;
let lastId = 0;
let retryMs = 1000;
let timer = null;
let status = 'connecting';

function setStatus(s) {
  if (s === status) return;
  status = s;
  for (const fn of statusFns) fn(s);
}

function deliver(type, ev) {
  let data;
  try {
    data = JSON.parse(ev.data);
  } catch {
    return;
  }
  if (data.id && data.id <= lastId) return; // already seen (a resume overlaps)
  if (data.id) lastId = data.id;
  for (const fn of handlers.get(type) || []) fn(data);
  for (const fn of handlers.get('*') || []) fn(data);
}

function listen(type) {
  if (source && type !== '*') source.addEventListener(type, (ev) => deliver(type, ev));
}

function open() {
  clearTimeout(timer);
  const url = lastId ? `/api/v1/events?last_event_id=${lastId}` : '/api/v1/events';
  source = new EventSource(url, { withCredentials: true });
  for (const type of handlers.keys()) listen(type);
  source.onopen = () => {
    retryMs = 1000;
    setStatus('live');
  };
  source.onerror = () => {
    if (source.readyState === EventSource.CONNECTING) {
      setStatus('reconnecting');
      return;
    }
    // Closed for good (the server refused): open again later, from where we were.
    source.close();
    setStatus('reconnecting');
    timer = setTimeout(open, retryMs);
    retryMs = Math.min(retryMs * 2, 15000);
  };
}

// Starts the stream (after log-in). Idempotent.
export function start() {
  if (!source) open();
}

export function stop() {
  clearTimeout(timer);
  if (source) source.close();
  source = null;
  setStatus('connecting');
}

// fn(event) for each event of `type` ("*": every event). Returns an unsubscribe function.
export function subscribe(type, fn) {
  if (!handlers.has(type)) {
    handlers.set(type, new Set());
    listen(type);
  }
  handlers.get(type).add(fn);
  return () => handlers.get(type).delete(fn);
}

// fn(status) with "live", "reconnecting" or "connecting".
export function onStatus(fn) {
  statusFns.add(fn);
  fn(status);
  return () => statusFns.delete(fn);
}
