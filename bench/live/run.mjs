// bench/live/run.mjs — how soon a change made on one console reaches another: the
// time from a dispatcher sending a note on an incident to a second console's event
// stream (GET /api/v1/events) delivering it, over the real server with demo data.
//
//   HAMYAR_BIN=build/hamyar node bench/live/run.mjs [COUNT] [PAUSE_MS]
//
// COUNT notes (default 300), one after another with PAUSE_MS between them (default 20).
// Each is timed from just before its POST to the moment the other stream parsed its
// event (what a console then draws), and the POST's own answer time is reported beside
// it. Reference in the same run: GET /api/v1/health round trips, the floor of any HTTP
// exchange with this server. Issue 5 asks that a change appear on another console
// within a second.
import { performance } from 'node:perf_hooks';

import { startCentre } from '../../tests/api/lib/centre.mjs';
import { openEvents } from '../../tests/api/lib/sse.mjs';
import { removeDir } from '../../tests/api/lib/server.mjs';

const count = Number(process.argv[2] || 300);
const pauseMs = Number(process.argv[3] || 20);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return `p50 ${at(50).toFixed(1)} ms, p95 ${at(95).toFixed(1)} ms, p99 ${at(99).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
}

const { srv, as } = await startCentre({ demo: 'activity' });
try {
  const open = await srv.api('GET', '/api/v1/incidents?status=pending,dispatched,en_route,on_scene&limit=1', { token: as.dispatcher.token });
  const incident = open.json.items[0];
  if (!incident) throw new Error('the demo has no open incident');
  const other = await openEvents(srv, { token: as.supervisor.token }); // the second console
  const health = [];
  const answer = [];
  const seen = [];
  for (let i = 0; i < count; i++) {
    const h0 = performance.now();
    await srv.api('GET', '/api/v1/health');
    health.push(performance.now() - h0);

    const text = `bench note ${i}`;
    const t0 = performance.now();
    const arrived = other.waitFor((s) => s.events.find((e) => e.data?.payload?.line?.text === text), text, 10000)
      .then(() => performance.now());
    const r = await srv.api('POST', `/api/v1/incidents/${incident.id}/notes`, { token: as.dispatcher.token, body: { text } });
    if (r.status !== 201) throw new Error(`note ${i}: ${r.status} ${r.text}`);
    answer.push(performance.now() - t0);
    seen.push((await arrived) - t0);
    await sleep(pauseMs);
  }
  other.close();
  console.log(`bench/live/run.mjs ${count} ${pauseMs} — ${new Date().toISOString().slice(0, 10)}`);
  console.log(`GET /api/v1/health round trip (reference): ${summary(health)}`);
  console.log(`POST .../notes answered (durable):         ${summary(answer)}`);
  console.log(`the note on the other console's stream:    ${summary(seen)}`);
  const late = seen.filter((ms) => ms > 1000).length;
  console.log(`${late} of ${count} took longer than one second`);
} finally {
  await srv.stop();
  removeDir(srv.dir);
}
