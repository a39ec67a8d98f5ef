// openapi.mjs — docs/openapi.yaml as the tests see it: which operation a request hit,
// and whether an answer has the shape the document declares.
//
// validateResponse() is called by api() (server.mjs) for every answer, so each test
// file checks its answers — successes and errors — against the document as a side
// effect. The schema check covers what the document uses: $ref, allOf/anyOf/oneOf,
// type (one or a list, including "null"), enum, const, required, properties,
// additionalProperties, items, min/max length and items, minimum/maximum, pattern,
// and format date-time (RFC 3339 in UTC with Z, as docs/api.md requires).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssertionError } from 'node:assert';

import { SOURCE_DIR } from './paths.mjs';
import { parseYaml } from './yaml.mjs';

export const SPEC_PATH = join(SOURCE_DIR, 'docs', 'openapi.yaml');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let cached = null;

export function loadSpec() {
  if (!cached) cached = parseYaml(readFileSync(SPEC_PATH, 'utf8'));
  return cached;
}

// Follows a local $ref ("#/components/schemas/User"); other objects are returned as
// they are. Chains of refs are followed.
export function deref(obj, spec = loadSpec()) {
  let o = obj;
  const seen = new Set();
  while (o && typeof o === 'object' && typeof o.$ref === 'string') {
    if (seen.has(o.$ref)) throw new Error(`openapi: $ref cycle at ${o.$ref}`);
    seen.add(o.$ref);
    if (!o.$ref.startsWith('#/')) throw new Error(`openapi: only local $ref is supported: ${o.$ref}`);
    let t = spec;
    for (const part of o.$ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      if (t === null || typeof t !== 'object' || !(key in t)) {
        throw new Error(`openapi: dangling $ref ${o.$ref}`);
      }
      t = t[key];
    }
    o = t;
  }
  return o;
}

function templateRegex(template) {
  const src = template
    .split('/')
    .map((seg) => (/^\{[^}]+\}$/.test(seg) ? '([^/]+)' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${src}$`);
}

// Every operation of the document: {method: 'GET', path: '/api/v1/users/{id}', op}.
export function operations(spec = loadSpec()) {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const m of METHODS) {
      if (item[m]) out.push({ method: m.toUpperCase(), path, op: item[m], item });
    }
  }
  return out;
}

// The document's path template that matches a concrete URL path, preferring literal
// segments over captures ("/api/v1/me/totp" before "/api/v1/me/{x}").
export function matchPath(urlPath, spec = loadSpec()) {
  const path = urlPath.split('?')[0];
  const candidates = Object.keys(spec.paths || {})
    .filter((t) => templateRegex(t).test(path))
    .sort((a, b) => (a.match(/\{/g) || []).length - (b.match(/\{/g) || []).length);
  return candidates[0] || null;
}

export function operationKey(method, template) {
  return `${method.toUpperCase()} ${template}`;
}

// ---- schema check ---------------------------------------------------------------

const RFC3339_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function hasType(t, v) {
  const actual = typeOf(v);
  if (t === 'number') return actual === 'number' || actual === 'integer';
  return t === actual;
}

// Returns a list of problems ("$.user.roles[0]: expected string, got integer").
export function checkSchema(schema, value, at = '$', spec = loadSpec()) {
  const problems = [];
  walk(schema, value, at);
  return problems;

  function walk(sch, v, where) {
    const s = deref(sch, spec);
    if (s === true || s === undefined || s === null) return;
    if (s === false) {
      problems.push(`${where}: no value is allowed here`);
      return;
    }
    if (s.allOf) for (const sub of s.allOf) walk(sub, v, where);
    if (s.anyOf || s.oneOf) {
      const alts = s.anyOf || s.oneOf;
      const passing = alts.filter((sub) => checkSchema(sub, v, where, spec).length === 0).length;
      if (s.anyOf && passing === 0) problems.push(`${where}: matches none of anyOf`);
      if (s.oneOf && passing !== 1) problems.push(`${where}: matches ${passing} of oneOf, not exactly one`);
    }
    let types = s.type === undefined ? null : [].concat(s.type);
    if (s.nullable === true && types) types = types.concat('null');
    if (types && !types.some((t) => hasType(t, v))) {
      problems.push(`${where}: expected ${types.join(' or ')}, got ${typeOf(v)} ${JSON.stringify(v)?.slice(0, 80)}`);
      return;
    }
    if (s.enum && !s.enum.some((e) => e === v)) {
      problems.push(`${where}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
    }
    if (s.const !== undefined && s.const !== v) problems.push(`${where}: must be ${JSON.stringify(s.const)}`);
    if (typeof v === 'string') {
      const len = [...v].length;
      if (s.minLength !== undefined && len < s.minLength) problems.push(`${where}: shorter than ${s.minLength}`);
      if (s.maxLength !== undefined && len > s.maxLength) problems.push(`${where}: longer than ${s.maxLength}`);
      if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) {
        problems.push(`${where}: ${JSON.stringify(v)} does not match ${s.pattern}`);
      }
      if (s.format === 'date-time' && !RFC3339_UTC.test(v)) {
        problems.push(`${where}: ${JSON.stringify(v)} is not an RFC 3339 UTC time with Z`);
      }
    }
    if (typeof v === 'number') {
      if (s.minimum !== undefined && v < s.minimum) problems.push(`${where}: below ${s.minimum}`);
      if (s.maximum !== undefined && v > s.maximum) problems.push(`${where}: above ${s.maximum}`);
    }
    if (Array.isArray(v)) {
      if (s.minItems !== undefined && v.length < s.minItems) problems.push(`${where}: fewer than ${s.minItems} items`);
      if (s.maxItems !== undefined && v.length > s.maxItems) problems.push(`${where}: more than ${s.maxItems} items`);
      if (s.items) v.forEach((item, i) => walk(s.items, item, `${where}[${i}]`));
    }
    if (typeOf(v) === 'object') {
      for (const r of s.required || []) {
        if (!(r in v)) problems.push(`${where}: required property "${r}" is missing`);
      }
      const props = s.properties || {};
      for (const [k, val] of Object.entries(v)) {
        if (k in props) walk(props[k], val, `${where}.${k}`);
        else if (s.additionalProperties === false) problems.push(`${where}: property "${k}" is not in the document`);
        else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          walk(s.additionalProperties, val, `${where}.${k}`);
        }
      }
    }
  }
}

// ---- answers ----------------------------------------------------------------------

// Every error code with its status, from the shared responses of the document
// (components.responses.*: x-status and x-error-codes).
export function documentedErrorCodes(spec = loadSpec()) {
  const out = new Map();
  for (const [name, r] of Object.entries(spec.components?.responses || {})) {
    if (r['x-status'] === undefined) continue;
    for (const code of r['x-error-codes'] || []) {
      if (out.has(code) && out.get(code).status !== r['x-status']) {
        throw new Error(`openapi: error code ${code} has two statuses`);
      }
      out.set(code, { status: r['x-status'], response: name });
    }
  }
  return out;
}

// Operations that some answer of this process was checked against, with the
// statuses seen: "GET /api/v1/users" → Set{200, 401}.
export const exercised = new Map();

function headerOf(headers, name) {
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const k = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : headers[k];
}

// Checks one answer against the document: the operation exists (else the answer must
// be 404 route_not_found or 405 method_not_allowed with Allow), the status is declared
// for it, the content type is the declared one, the JSON body matches the declared
// schema, and an error's code belongs to the declared response (a response marked
// x-error-format: open311 is Open311's error list, checked by its own schema). `body` is the parsed
// JSON (undefined when the answer had no JSON body), `text` the raw text.
// Returns the list of problems; throws nothing.
export function responseProblems(method, urlPath, status, body, headers, text = '') {
  const spec = loadSpec();
  const problems = [];
  const path = urlPath.split('?')[0];
  const template = matchPath(path, spec);
  const ctype = (headerOf(headers, 'content-type') || '').split(';')[0].trim().toLowerCase();
  const codes = documentedErrorCodes(spec);

  const checkError = (allowed) => {
    if (ctype !== 'application/json') problems.push(`error answer has content type "${ctype}"`);
    problems.push(...checkSchema({ $ref: '#/components/schemas/Error' }, body, '$', spec));
    const code = body?.error?.code;
    if (code !== undefined) {
      const known = codes.get(code);
      if (!known) problems.push(`error code "${code}" is not in the document`);
      else if (known.status !== status) problems.push(`error code "${code}" is documented with ${known.status}, came with ${status}`);
      if (allowed && !allowed.includes(code)) problems.push(`error code "${code}" is not one this response declares (${allowed.join(', ')})`);
    }
  };

  if (!template) {
    if (status !== 404) problems.push(`no operation has the path ${path}, yet the answer was ${status}`);
    checkError(['route_not_found']);
    return problems;
  }
  const item = spec.paths[template];
  const op = item[method.toLowerCase()];
  if (!op) {
    if (status !== 405) problems.push(`${method} ${template} is not in the document, yet the answer was ${status}`);
    checkError(['method_not_allowed']);
    const allow = headerOf(headers, 'allow');
    if (!allow) problems.push('405 without an Allow header');
    else {
      const documented = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase()).sort();
      const got = allow.split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== 'HEAD' && m !== 'OPTIONS').sort();
      if (documented.join() !== got.join()) problems.push(`Allow is "${allow}", the document has ${documented.join(', ')}`);
    }
    return problems;
  }

  const key = operationKey(method, template);
  if (!exercised.has(key)) exercised.set(key, new Set());
  exercised.get(key).add(status);

  const declared = op.responses?.[String(status)] ?? op.responses?.default;
  if (!declared) {
    problems.push(`${key} answered ${status}, which the document does not declare`);
    return problems;
  }
  const resp = deref(declared, spec);
  if (!resp.content) {
    if (text && text.length > 0) problems.push(`${key} ${status}: the document declares no body, got ${JSON.stringify(text.slice(0, 80))}`);
    return problems;
  }
  const media = resp.content[ctype];
  if (!media) {
    problems.push(`${key} ${status}: content type "${ctype}" is not declared (${Object.keys(resp.content).join(', ')})`);
    return problems;
  }
  if (status >= 400 && resp['x-error-format'] === 'open311') {
    // Open311's own error form ([{code, description}]), checked by its schema.
    if (ctype === 'application/json') {
      if (body === undefined) problems.push(`${key} ${status}: the body is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
      else if (media.schema) problems.push(...checkSchema(media.schema, body, '$', spec));
    }
    return problems;
  }
  if (status >= 400) {
    checkError(resp['x-error-codes']);
    return problems;
  }
  if (ctype === 'application/json') {
    if (body === undefined) problems.push(`${key} ${status}: the body is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
    else if (media.schema) problems.push(...checkSchema(media.schema, body, '$', spec));
  }
  return problems;
}

export function validateResponse(method, urlPath, status, body, headers, text = '') {
  const problems = responseProblems(method, urlPath, status, body, headers, text);
  if (problems.length) {
    throw new AssertionError({
      message:
        `the answer to ${method} ${urlPath} (${status}) does not match docs/openapi.yaml:\n  ` +
        problems.join('\n  ') +
        `\n  body: ${(text || JSON.stringify(body) || '').slice(0, 400)}`,
    });
  }
}

// The schema of components.schemas[name], for checking things that are not HTTP
// answers (an SSE event's data).
export function validateComponent(name, value, what = name) {
  const problems = checkSchema({ $ref: `#/components/schemas/${name}` }, value);
  if (problems.length) {
    throw new AssertionError({
      message: `${what} does not match components.schemas.${name}:\n  ${problems.join('\n  ')}\n  value: ${JSON.stringify(value).slice(0, 400)}`,
    });
  }
}
