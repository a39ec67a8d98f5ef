// source.mjs — facts read from hamyar's C sources, so that tests compare the document
// and the answers with the code itself: the route table (src/http/routes.c), the
// error registry (src/http/errors.h) and the role sets (src/core/role.h).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SOURCE_DIR } from './paths.mjs';

const read = (rel) => readFileSync(join(SOURCE_DIR, rel), 'utf8');

const stripComments = (c) => c.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');

// #define NAME value, with continuation lines joined.
function defines(text) {
  const out = {};
  const joined = stripComments(text).replace(/\\\r?\n/g, ' ');
  for (const m of joined.matchAll(/^[ \t]*#define[ \t]+(\w+)[ \t]+(.+)$/gm)) out[m[1]] = m[2].trim();
  return out;
}

// role.h: enum role { ROLE_CALL_TAKER = 1u << 0, ... } → {ROLE_CALL_TAKER: 'call_taker'}.
export function roleConstants() {
  const text = stripComments(read('src/core/role.h'));
  const enumBody = /enum role\s*\{([\s\S]*?)\}/.exec(text);
  if (!enumBody) throw new Error('role.h: enum role not found');
  const out = {};
  for (const m of enumBody[1].matchAll(/ROLE_(\w+)\s*=/g)) out[`ROLE_${m[1]}`] = m[1].toLowerCase();
  return out;
}

// Expands a role expression of routes.c ("ROLE_SUPERVISOR | ROLE_ADMIN", "ANYONE",
// "0") into a sorted list of role names.
export function expandRoles(expr, extraDefines = {}) {
  const consts = roleConstants();
  const defs = { ...defines(read('src/core/role.h')), ...extraDefines };
  const out = new Set();
  const expand = (e, depth) => {
    if (depth > 10) throw new Error(`role expression too deep: ${expr}`);
    for (const tok of e.replace(/[()]/g, ' ').split('|').map((t) => t.trim()).filter(Boolean)) {
      if (tok === '0') continue;
      if (consts[tok]) out.add(consts[tok]);
      else if (defs[tok]) expand(defs[tok], depth + 1);
      else throw new Error(`unknown role token ${tok} in "${expr}"`);
    }
  };
  expand(expr, 0);
  return [...out].sort();
}

// routes.c → [{method, path, roles: [...], flags: ['public', 'json_body', ...], handler}].
export function routeTable() {
  const text = read('src/http/routes.c');
  const localDefs = defines(text);
  const body = /http_routes\[\]\s*=\s*\{([\s\S]*?)\n\};/.exec(stripComments(text));
  if (!body) throw new Error('routes.c: the http_routes table was not found');
  const out = [];
  const re = /\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*([^,{}]+?)\s*,\s*([^,{}]+?)\s*,\s*(\w+)\s*\}/g;
  for (const m of body[1].matchAll(re)) {
    const flags = m[4]
      .split('|')
      .map((f) => f.trim())
      .filter((f) => f && f !== '0')
      .map((f) => f.replace(/^HTTP_/, '').toLowerCase());
    out.push({ method: m[1], path: m[2], roles: expandRoles(m[3], localDefs), rolesExpr: m[3], flags, handler: m[5] });
  }
  if (out.length === 0) throw new Error('routes.c: no routes parsed');
  return out;
}

// errors.h → [{sym, status, code, message}].
export function errorRegistry() {
  const text = read('src/http/errors.h');
  const out = [];
  for (const m of text.matchAll(/X\(\s*(ERR_\w+)\s*,\s*(\d{3})\s*,\s*"([a-z0-9_]+)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*\)/g)) {
    out.push({ sym: m[1], status: Number(m[2]), code: m[3], message: m[4] });
  }
  if (out.length === 0) throw new Error('errors.h: no error codes parsed');
  return out;
}

// code → status, for assertions in tests.
export function statusOf(code) {
  const e = errorRegistry().find((x) => x.code === code);
  if (!e) throw new Error(`errors.h has no code ${code}`);
  return e.status;
}
