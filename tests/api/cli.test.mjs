// cli.test.mjs — the `hamyar` command line: help, version, usage errors (exit 2), the
// user and apikey verbs (checked through a running server), init run twice, and a
// database with a newer schema than the binary knows.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { ADMIN_PASSWORD, Server, cli, count, initDb, removeDir, sql, startServer, tempDir } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';
import { totp } from './lib/totp.mjs';

const dirs = [];
const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) removeDir(d);
});

function freshDb(opts) {
  const dir = tempDir('cli');
  dirs.push(dir);
  const db = join(dir, 'hamyar.db');
  initDb(db, opts);
  return { dir, db };
}

async function serve(db, env = {}) {
  const srv = await startServer({ db, dir: tempDir('cli-serve'), env });
  dirs.push(srv.dir);
  servers.push(srv);
  return srv;
}

describe('help and version', () => {
  test('hamyar --help lists every verb and exits 0', () => {
    const r = cli(['--help']);
    assert.equal(r.status, 0, r.stderr);
    for (const verb of ['init', 'serve', 'user', 'apikey', 'audit', 'version']) assert.match(r.stdout, new RegExp(`\\b${verb}\\b`));
  });

  test('hamyar VERB --help describes the verb and exits 0', () => {
    for (const [args, word] of [
      [['init', '--help'], '--demo'],
      [['serve', '--help'], '--listen'],
      [['user', '--help'], 'unlock'],
      [['user', '--help'], 'reset-totp'],
      [['apikey', '--help'], 'revoke'],
      [['audit', '--help'], 'verify'],
      [['version', '--help'], 'version'],
    ]) {
      const r = cli(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.includes(word), `${args.join(' ')} does not mention ${word}:\n${r.stdout}`);
    }
  });

  test('hamyar version prints the version, as health answers it', async () => {
    const r = cli(['version']);
    assert.equal(r.status, 0);
    const m = /\b(\d+\.\d+\.\d+)\b/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const { db } = freshDb();
    const srv = await serve(db);
    const h = await srv.api('GET', '/api/v1/health');
    assert.equal(h.json.version, m[1]);
  });

  test('usage errors exit 2 and say what was wrong on stderr', () => {
    const { db } = freshDb();
    for (const args of [
      [],
      ['frobnicate'],
      ['init', '--frobnicate'],
      ['serve', '--listen'],
      ['user'],
      ['user', 'fly', 'x'],
      ['user', 'add'],
      ['user', 'add', 'no.role.given'],
      ['user', 'reset-totp'],
      ['user', 'reset-totp', 'a', 'b'],
      ['user', 'reset-totp', 'x.user', '--role', 'admin'],
      ['apikey', 'add', 'k1', '--role', 'admin'],
      ['audit', 'check'],
      ['version', 'extra'],
    ]) {
      const r = cli(args, { env: { HAMYAR_DB: db } });
      assert.equal(r.status, 2, `hamyar ${args.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
      assert.ok(r.stderr.trim().length > 0, `hamyar ${args.join(' ')} says nothing on stderr`);
    }
  });
});

describe('init', () => {
  test('running init twice is harmless: nothing changes, the admin password stays', async () => {
    const { db } = freshDb({ demo: true });
    const users = count(db, 'users');
    const audit = count(db, 'audit');
    assert.equal(users, 8, 'admin and seven demo users');
    const again = cli(['init', '--db', db, '--demo-users'], { env: { HAMYAR_ADMIN_PASSWORD: 'another-admin-password' } });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout + again.stderr, /nothing changed|already/i);
    assert.equal(count(db, 'users'), users);
    assert.equal(count(db, 'audit'), audit);
    const srv = await serve(db);
    await srv.login('admin', ADMIN_PASSWORD);
    const refused = await srv.api('POST', '/api/v1/session', { body: { username: 'admin', password: 'another-admin-password' } });
    assert.equal(refused.status, 401);
  });

  test('init creates the database\'s directory', () => {
    const dir = tempDir('cli-nested');
    dirs.push(dir);
    const db = join(dir, 'a', 'b', 'hamyar.db');
    const r = cli(['init', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(db));
  });
});

describe('user and apikey verbs', () => {
  test('user add/list/disable/unlock/passwd work on the database a server uses', async () => {
    const { db } = freshDb();
    const add = cli(['user', 'add', 'cli.dispatcher', '--role', 'dispatcher', '--role', 'supervisor', '--name', 'رضا', '--password-stdin', '--db', db], {
      input: 'cli-dispatcher-pass\n',
    });
    assert.equal(add.status, 0, add.stderr);
    assert.ok(!add.stdout.includes('cli-dispatcher-pass'), 'the password is not echoed');
    const list = cli(['user', 'list', '--db', db]);
    assert.equal(list.status, 0, list.stderr);
    const line = list.stdout.split('\n').find((l) => /\bcli\.dispatcher\b/.test(l));
    assert.ok(line, list.stdout);
    assert.match(line, /dispatcher/);
    assert.match(line, /supervisor/);

    const dup = cli(['user', 'add', 'cli.dispatcher', '--role', 'analyst', '--password-stdin', '--db', db], { input: 'another-password-1\n' });
    assert.equal(dup.status, 1, 'an existing username fails (exit 1)');
    const badRole = cli(['user', 'add', 'cli.phone', '--role', 'telephony', '--password-stdin', '--db', db], { input: 'cli-phone-password\n' });
    assert.notEqual(badRole.status, 0, 'telephony is not a person\'s role');
    const shortPw = cli(['user', 'add', 'cli.short', '--role', 'analyst', '--password-stdin', '--db', db], { input: 'short\n' });
    assert.notEqual(shortPw.status, 0, 'a short password is refused');

    const srv = await serve(db);
    const s = await srv.login('cli.dispatcher', 'cli-dispatcher-pass');
    assert.deepEqual([...s.user.roles].sort(), ['dispatcher', 'supervisor']);
    assert.equal(s.user.display_name, 'رضا');

    // Lock it over HTTP, unlock it with the CLI while the server runs.
    for (let i = 0; i < 5; i++) {
      await srv.api('POST', '/api/v1/session', { body: { username: 'cli.dispatcher', password: `wrong-password-${i}` } });
    }
    const locked = await srv.api('POST', '/api/v1/session', { body: { username: 'cli.dispatcher', password: 'cli-dispatcher-pass' } });
    assert.equal(locked.json?.error?.code, 'account_locked');
    const unlock = cli(['user', 'unlock', 'cli.dispatcher', '--db', db]);
    assert.equal(unlock.status, 0, unlock.stderr);
    await srv.login('cli.dispatcher', 'cli-dispatcher-pass');

    const passwd = cli(['user', 'passwd', 'cli.dispatcher', '--password-stdin', '--db', db], { input: 'cli-dispatcher-new\n' });
    assert.equal(passwd.status, 0, passwd.stderr);
    await srv.login('cli.dispatcher', 'cli-dispatcher-new');

    const disable = cli(['user', 'disable', 'cli.dispatcher', '--db', db]);
    assert.equal(disable.status, 0, disable.stderr);
    const refused = await srv.api('POST', '/api/v1/session', { body: { username: 'cli.dispatcher', password: 'cli-dispatcher-new' } });
    assert.equal(refused.json?.error?.code, 'account_disabled');
    assert.match(cli(['user', 'list', '--db', db]).stdout.split('\n').find((l) => l.includes('cli.dispatcher')), /disabled/);

    const missing = cli(['user', 'disable', 'no.such.user', '--db', db]);
    assert.equal(missing.status, 1);

    // What the CLI did is in the audit log, by "cli".
    const admin = await srv.login('admin', ADMIN_PASSWORD);
    const a = await srv.api('GET', '/api/v1/audit?actor=cli&limit=200', { token: admin.token });
    const actions = a.json.items.map((r) => r.action);
    assert.ok(actions.includes('user.create'), actions.join());
    assert.ok(a.json.items.every((r) => r.actor === 'cli'));
    assert.ok(actions.length >= 4, `the CLI's changes are audited: ${actions.join()}`);
  });

  test('user reset-totp removes a lost phone\'s second factor, audited as "cli"', async () => {
    const { db } = freshDb();
    const add = cli(['user', 'add', 'cli.phoneless', '--role', 'call_taker', '--password-stdin', '--db', db], { input: 'cli-phoneless-pass\n' });
    assert.equal(add.status, 0, add.stderr);
    const srv = await serve(db);
    const s = await srv.login('cli.phoneless', 'cli-phoneless-pass');
    const { secret } = (await srv.api('POST', '/api/v1/me/totp', { token: s.token })).json;
    const ok = await srv.api('POST', '/api/v1/me/totp/confirm', { token: s.token, body: { code: totp(secret) } });
    assert.equal(ok.json.totp_enabled, true, ok.text);
    assert.match(cli(['user', 'list', '--db', db]).stdout.split('\n').find((l) => l.includes('cli.phoneless')), /totp/);
    const needs = await srv.api('POST', '/api/v1/session', { body: { username: 'cli.phoneless', password: 'cli-phoneless-pass' } });
    assert.equal(needs.json?.error?.code, 'totp_required');

    const updates = () => Number(sql(db, "SELECT count(*) FROM events WHERE type = 'user.updated'"));
    const updatesBefore = updates();
    // While the server runs.
    const r = cli(['user', 'reset-totp', 'cli.phoneless', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /cli\.phoneless/);
    const again = await srv.login('cli.phoneless', 'cli-phoneless-pass');
    assert.equal(again.user.totp_enabled, false);
    assert.ok(!/totp/.test(cli(['user', 'list', '--db', db]).stdout.split('\n').find((l) => l.includes('cli.phoneless'))));
    const id = again.user.id;
    assert.equal(sql(db, `SELECT coalesce(totp_secret, 'NULL'), totp_enabled FROM users WHERE id = ${id}`), 'NULL|0');
    assert.equal(
      sql(db, `SELECT actor, actor_id, detail FROM audit WHERE action = 'user.totp_reset' AND subject = 'user:${id}'`),
      'cli|0|{"was_enabled":true,"was_enrolling":false}',
    );
    assert.equal(updates(), updatesBefore + 1, 'announced as user.updated');

    // Again: nothing to remove, said so, still exit 0; an unknown user is exit 1.
    const twice = cli(['user', 'reset-totp', 'cli.phoneless', '--db', db]);
    assert.equal(twice.status, 0, twice.stderr);
    assert.match(twice.stdout, /no second factor/);
    assert.equal(cli(['user', 'reset-totp', 'no.such.user', '--db', db]).status, 1);
  });

  test('apikey add/list/revoke: the key is printed once and works until revoked', async () => {
    const { db } = freshDb();
    const add = cli(['apikey', 'add', 'asterisk-lahijan', '--role', 'telephony', '--db', db]);
    assert.equal(add.status, 0, add.stderr);
    const m = /\b(hk_[A-Za-z0-9_-]{20,})\b/.exec(add.stdout);
    assert.ok(m, `no key in ${add.stdout}`);
    const key = m[1];
    const list = cli(['apikey', 'list', '--db', db]);
    assert.equal(list.status, 0);
    assert.ok(list.stdout.includes('asterisk-lahijan'));
    assert.ok(list.stdout.includes('telephony'));
    assert.ok(!list.stdout.includes(key), 'the list does not show the key');
    assert.ok(list.stdout.includes(key.slice(0, 10)), 'the list shows the prefix');
    assert.equal(cli(['apikey', 'add', 'asterisk-lahijan', '--role', 'open311', '--db', db]).status, 1, 'a name that exists');

    const srv = await serve(db, { HAMYAR_SSE_HEARTBEAT_S: '1' });
    const s = await openEvents(srv, { apikey: key });
    s.close();
    assert.equal(s.status, 200);
    const revoke = cli(['apikey', 'revoke', 'asterisk-lahijan', '--db', db]);
    assert.equal(revoke.status, 0, revoke.stderr);
    const after1 = await openEvents(srv, { apikey: key });
    after1.close();
    assert.equal(after1.status, 401, 'a revoked key is refused at once, by the running server');
    assert.equal(cli(['apikey', 'revoke', 'no-such-key', '--db', db]).status, 1);
  });

  test('the database can come from HAMYAR_DB', () => {
    const { db } = freshDb();
    const r = cli(['user', 'list'], { env: { HAMYAR_DB: db } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\badmin\b/);
  });
});

describe('serve', () => {
  test('refuses a database with a newer schema version: exit 1 and a clear message', async () => {
    const { dir, db } = freshDb();
    sql(db, 'UPDATE schema_version SET version=999');
    const srv = new Server({ dir, db, env: {}, web: dir });
    await assert.rejects(srv.start(), /exited/);
    assert.equal(srv.exited.code, 1, srv.diagnostics());
    assert.match(srv.stderr, /999/);
    assert.match(srv.stderr, /schema/i);
    assert.ok(!/listening/.test(srv.stdout));
    // Nothing was changed on the way out.
    assert.equal(sql(db, 'SELECT version FROM schema_version'), '999');
    // The other verbs refuse it too.
    const list = cli(['user', 'list', '--db', db]);
    assert.equal(list.status, 1);
    assert.match(list.stderr, /schema/i);
  });

  test('refuses a port already in use: exit 1', async () => {
    const { db } = freshDb();
    const first = await serve(db);
    const second = new Server({ dir: first.dir, db, env: {}, web: first.dir });
    second.listenArg = `127.0.0.1:${first.port}`;
    let started = false;
    try {
      await second.start();
      started = true;
    } catch {
      /* expected: it exits before listening */
    }
    if (started) await second.stop();
    assert.equal(started, false, `a second server listened on port ${first.port}, which the first one serves`);
    assert.equal(second.exited.code, 1, second.diagnostics());
  });

  test('a file that is not a database is refused with exit 1', () => {
    const dir = tempDir('cli-notdb');
    dirs.push(dir);
    const path = join(dir, 'notes.db');
    sql(path, 'CREATE TABLE notes (t TEXT)');
    const r = cli(['user', 'list', '--db', path]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
  });
});
