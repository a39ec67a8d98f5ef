// i18n.test.mjs — every error code the server can answer (src/http/errors.h) has its own
// Persian sentence in the console's web/lib/i18n.js, so that no English message from the
// server ever reaches a person, and i18n.js names no code the server does not have
// (a misspelt key would leave the real code without its sentence).
//
// It needs no browser: i18n.js is a plain ES module, imported here as the console
// imports it. It lives beside the browser tests because it tests web/ (and CTest runs
// it with them); it reads errors.h as text, the one list of codes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

import { SOURCE_DIR } from '../api/lib/paths.mjs';

const i18n = await import(pathToFileURL(join(SOURCE_DIR, 'web', 'lib', 'i18n.js')).href);

// The codes of errors.h's X-macro list: X(ERR_NAME, status, "code", "message").
function serverCodes() {
  const text = readFileSync(join(SOURCE_DIR, 'src', 'http', 'errors.h'), 'utf8');
  const codes = [...text.matchAll(/X\(\s*ERR_\w+\s*,\s*\d{3}\s*,\s*"([a-z0-9_]+)"/g)].map((m) => m[1]);
  assert.ok(codes.length >= 20, `errors.h lists its codes (found ${codes.length}); has its X-macro changed shape?`);
  return codes;
}

// Codes the console makes itself, not the server: api.js's "network" for a request
// that got no answer.
const CLIENT_CODES = ['network'];

const PERSIAN_LETTER = /[\u0600-\u06ff]/;
const LATIN_WORD = /[A-Za-z]{3,}/;

test('every error code of errors.h has a Persian sentence in i18n.js', () => {
  const missing = serverCodes().filter((c) => !Object.hasOwn(i18n.ERROR_MESSAGES, c));
  assert.deepEqual(missing, [], `add these codes to ERROR_MESSAGES in web/lib/i18n.js: ${missing.join(', ')}`);
});

test('i18n.js has no sentence for a code the server does not have', () => {
  const known = new Set([...serverCodes(), ...CLIENT_CODES]);
  const extra = Object.keys(i18n.ERROR_MESSAGES).filter((c) => !known.has(c));
  assert.deepEqual(extra, [], `these ERROR_MESSAGES keys are no code of src/http/errors.h: ${extra.join(', ')}`);
});

test('each sentence is Persian, not English, and its own', () => {
  const seen = new Map();
  for (const [code, text] of Object.entries(i18n.ERROR_MESSAGES)) {
    assert.equal(typeof text, 'string', code);
    assert.match(text, PERSIAN_LETTER, `${code}: the sentence is in Persian`);
    assert.doesNotMatch(text, LATIN_WORD, `${code}: no English words in "${text}"`);
    assert.ok(!seen.has(text), `${code} and ${seen.get(text)} share one sentence; each code says what to do in its own case`);
    seen.set(text, code);
  }
});

test('errorText gives the sentence of the code, with the field for field errors, and never the server message', () => {
  const { errorText, ERROR_MESSAGES } = i18n;
  assert.equal(errorText({ code: 'conflict', message: 'The request conflicts' }), ERROR_MESSAGES.conflict);
  assert.equal(errorText({ code: 'missing_field', field: 'text' }), `${ERROR_MESSAGES.missing_field} (متن)`);
  // An unknown code still gets Persian, not the English message beside it.
  assert.equal(errorText({ code: 'no_such_code', message: 'English' }), ERROR_MESSAGES.internal);
});
