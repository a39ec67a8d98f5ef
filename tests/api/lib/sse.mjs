// sse.mjs — a Server-Sent Events client over node:http, reading the stream chunk by
// chunk so that tests see events, ids and comment lines (": heartbeat") as they come.
// Each event's data is checked against components.schemas.Event of docs/openapi.yaml.
import http from 'node:http';

import { validateComponent } from './openapi.mjs';

export class EventStream {
  constructor() {
    this.events = []; // {id, event, data (parsed JSON or the text), raw}
    this.comments = []; // comment lines without the leading ':'
    this.status = null;
    this.headers = null;
    this.closed = false;
    this.bytes = 0;
    this.problems = []; // data that did not match the document
    this.waiters = [];
    this.buffer = '';
    this.pending = { data: [] };
  }

  feed(text) {
    this.buffer += text;
    for (;;) {
      const nl = this.buffer.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const line = this.buffer.slice(0, nl);
      const skip = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      this.buffer = this.buffer.slice(nl + skip);
      this.line(line);
    }
    this.wake();
  }

  line(line) {
    if (line === '') {
      if (this.pending.data.length || this.pending.event || this.pending.id) this.dispatch();
      this.pending = { data: [] };
      return;
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).trim());
      return;
    }
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? '' : line.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.pending.data.push(value);
    else if (field === 'event') this.pending.event = value;
    else if (field === 'id') this.pending.id = value;
  }

  dispatch() {
    const raw = this.pending.data.join('\n');
    let data = raw;
    try {
      data = JSON.parse(raw);
    } catch {
      /* kept as text; the check below reports it */
    }
    const ev = { id: this.pending.id, event: this.pending.event || 'message', data, raw };
    try {
      validateComponent('Event', data, `event ${ev.id} (${ev.event})`);
    } catch (e) {
      this.problems.push(e.message);
    }
    this.events.push(ev);
  }

  wake() {
    const still = [];
    for (const w of this.waiters) {
      let r;
      try {
        r = w.pred(this);
      } catch (e) {
        clearTimeout(w.timer);
        w.reject(e);
        continue;
      }
      if (r) {
        clearTimeout(w.timer);
        w.resolve(r);
      } else if (this.closed) {
        clearTimeout(w.timer);
        w.reject(new Error(`the stream closed before ${w.what}; events: ${this.describe()}`));
      } else still.push(w);
    }
    this.waiters = still;
  }

  describe() {
    return JSON.stringify(this.events.map((e) => `${e.id}:${e.event}`)) + ` comments: ${this.comments.length}`;
  }

  // Resolves with pred's truthy result once it holds; rejects after timeoutMs (a
  // bound on waiting, not a timing assertion).
  waitFor(pred, what = 'the expected data', timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const r = pred(this);
      if (r) return resolve(r);
      const w = { pred, resolve, reject, what };
      w.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`waited ${timeoutMs} ms for ${what}; events: ${this.describe()}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  waitForEvent(pred, what, timeoutMs) {
    return this.waitFor((s) => s.events.find(pred), what, timeoutMs);
  }

  // Resolves once n more comment lines than now have arrived.
  waitForComments(n = 1, timeoutMs = 10000) {
    const base = this.comments.length;
    return this.waitFor((s) => s.comments.length >= base + n, `${n} comment line(s)`, timeoutMs);
  }

  close() {
    this.closed = true;
    if (this.req) this.req.destroy();
    this.wake();
  }
}

// Opens GET /api/v1/events (or `path`). Resolves once the answer's status and headers
// arrived. opts: token, apikey, cookie, lastEventId (header), query.
export function openEvents(srv, { token, apikey, cookie, lastEventId, path = '/api/v1/events', headers = {} } = {}) {
  const s = new EventStream();
  const h = { accept: 'text/event-stream', ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (apikey) h.authorization = `ApiKey ${apikey}`;
  if (cookie) h.cookie = cookie;
  if (lastEventId !== undefined) h['last-event-id'] = String(lastEventId);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, path, method: 'GET', headers: h, agent: false });
    s.req = req;
    req.on('response', (res) => {
      s.status = res.statusCode;
      s.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (d) => {
        s.bytes += Buffer.byteLength(d);
        if (s.status === 200) s.feed(d);
        else s.body = (s.body || '') + d;
      });
      res.on('end', () => {
        s.closed = true;
        s.wake();
      });
      res.on('error', () => {
        s.closed = true;
        s.wake();
      });
      if (s.status !== 200) {
        res.on('end', () => {
          try {
            s.json = JSON.parse(s.body || '');
          } catch {
            s.json = undefined;
          }
          resolve(s);
        });
      } else resolve(s);
    });
    req.on('error', (e) => {
      if (s.closed) return;
      reject(e);
    });
    req.end();
  });
}
