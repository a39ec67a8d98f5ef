// centre.mjs — what the 110 centre's API tests share: a server with the demo users
// logged in, a phone-system API key, and short ways to send phone events and record
// calls.
import assert from 'node:assert/strict';

import { ADMIN_PASSWORD, DEMO_PASSWORD, DEMO_USERS, startServer } from './server.mjs';

// A server whose database has Gilan's reference data and one demo user per role, but
// no demo activity (so every call and incident is the test's own), with every demo
// user logged in (`as.call_taker.token`, ...) and a telephony key.
export async function startCentre(opts = {}) {
  const srv = await startServer({ demo: true, ...opts });
  const as = { admin: await srv.login('admin', ADMIN_PASSWORD) };
  for (const [name, role] of Object.entries(DEMO_USERS)) as[role] = await srv.login(name, DEMO_PASSWORD);
  const key = await srv.api('POST', '/api/v1/apikeys', { token: as.admin.token, body: { name: 'pbx-test', role: 'telephony' } });
  assert.equal(key.status, 201, key.text);
  return { srv, as, phoneKey: key.json.key };
}

// Central Rasht (the county seat) and a point 14 m from it; Bandar Anzali's centre.
export const RASHT = { lat: 37.2808, lon: 49.5831 };
export const RASHT_NEAR = { lat: 37.2809, lon: 49.5832 };
export const ANZALI = { lat: 37.4727, lon: 49.4622 };

let serial = 0;
// A caller number no other test uses: 0911 and seven digits.
export function newNumber() {
  serial += 1;
  return `0911${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(4, '0')}`;
}

export const code = (r) => r.json?.error?.code;
export const field = (r) => r.json?.error?.field;
