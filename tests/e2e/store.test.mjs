// The store layer end to end: one long-lived connection (as a worker has)
// through PostgreSQL restarts, transactions and the kv table, driven by
// tests/helpers/db_probe (built by `make check`).
//
// Run from the build directory:
//   node --test /path/to/source/tests/e2e/store.test.mjs
// Binaries: $POCKET_ID_BIN (default ./pocket-id) applies the migrations,
// $POCKET_ID_DB_PROBE (default ./tests/helpers/db_probe) is the driver.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

import { startCluster } from './lib/pg.mjs';

const BIN = path.resolve(process.env.POCKET_ID_BIN || './pocket-id');
const PROBE = path.resolve(process.env.POCKET_ID_DB_PROBE || './tests/helpers/db_probe');

let cluster;
let url;

function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

// A running db_probe: probe.send('get k') resolves to its answer line.
function startProbe() {
  const child = spawn(PROBE, [], { env: { ...process.env, DB_CONNECTION_STRING: url } });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return {
    send(cmd) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${cmd}\n`);
      });
    },
    async close() {
      child.stdin.end();
      await new Promise((resolve) => child.on('close', resolve));
      return stderr;
    },
  };
}

before(async () => {
  for (const b of [BIN, PROBE]) assert.ok(fs.existsSync(b), `${b} not found (build with make check; see the header)`);
  cluster = await startCluster();
  url = await cluster.createDatabase('store');
  const r = await run(BIN, ['migrate'], { DB_CONNECTION_STRING: url });
  assert.equal(r.code, 0, r.out);
});

after(async () => {
  if (cluster) await cluster.destroy();
});

test('kv: set, replace, get, absent key', async () => {
  const p = startProbe();
  assert.equal(await p.send('get nothing'), 'error not found');
  assert.equal(await p.send('set greeting hello'), 'ok');
  assert.equal(await p.send('get greeting'), 'ok hello');
  assert.equal(await p.send('set greeting bye'), 'ok');
  assert.equal(await p.send('get greeting'), 'ok bye');
  assert.equal(await cluster.psql('store', "SELECT value FROM kv WHERE key = 'greeting'"), 'bye');
  // Parameters are bound, never spliced into SQL.
  assert.equal(await p.send("set q' x'); DROP TABLE kv; --"), 'ok');
  assert.equal(await p.send("get q'"), "ok x'); DROP TABLE kv; --");
  await p.close();
});

test('transactions: rollback discards, commit keeps', async () => {
  const p = startProbe();
  assert.equal(await p.send('begin'), 'ok');
  assert.equal(await p.send('set tx_a 1'), 'ok');
  assert.equal(await p.send('rollback'), 'ok');
  assert.equal(await p.send('get tx_a'), 'error not found');
  assert.equal(await p.send('begin'), 'ok');
  assert.equal(await p.send('begin'), 'error internal error');
  assert.equal(await p.send('set tx_a 2'), 'ok');
  assert.equal(await p.send('commit'), 'ok');
  assert.equal(await p.send('get tx_a'), 'ok 2');
  await p.close();
});

test('after a PostgreSQL restart the first call fails and the next one works', async () => {
  const p = startProbe();
  assert.equal(await p.send('ping'), 'ok');
  assert.equal(await p.send('set before_restart yes'), 'ok');
  await cluster.stop();
  await cluster.start();
  // The connection died with the old server: one call finds out.
  assert.equal(await p.send('ping'), 'error database unavailable');
  assert.equal(await p.send('ping'), 'ok');
  // Statements are prepared again on the new connection.
  assert.equal(await p.send('get before_restart'), 'ok yes');
  const stderr = await p.close();
  assert.match(stderr, /db: ping: /);
});

test('while PostgreSQL is down every call fails, then it recovers by itself', async () => {
  const p = startProbe();
  assert.equal(await p.send('get before_restart'), 'ok yes');
  await cluster.stop();
  for (let i = 0; i < 3; i++) assert.equal(await p.send('get before_restart'), 'error database unavailable');
  assert.equal(await p.send('ping'), 'error database unavailable');
  await cluster.start();
  assert.equal(await p.send('get before_restart'), 'ok yes');
  await p.close();
});

test('a transaction cut by a restart stays failed until rolled back', async () => {
  const p = startProbe();
  assert.equal(await p.send('begin'), 'ok');
  assert.equal(await p.send('set cut 1'), 'ok');
  await cluster.stop();
  await cluster.start();
  assert.equal(await p.send('set cut 2'), 'error database unavailable');
  // No statement meant for the transaction may run outside it.
  assert.equal(await p.send('set cut 3'), 'error database unavailable');
  assert.equal(await p.send('get cut'), 'error database unavailable');
  assert.equal(await p.send('rollback'), 'ok');
  assert.equal(await p.send('get cut'), 'error not found');
  await p.close();
});

test('a handle made while PostgreSQL is down connects once it is up', async () => {
  await cluster.stop();
  const p = startProbe();
  assert.equal(await p.send('ping'), 'error database unavailable');
  await cluster.start();
  assert.equal(await p.send('ping'), 'ok');
  await p.close();
});
