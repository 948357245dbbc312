// Migrations end to end: the real `pocket-id migrate` against a throwaway
// PostgreSQL cluster (tests/e2e/lib/pg.mjs).
//
// Run from the build directory:
//   node --test /path/to/source/tests/e2e/migrations.test.mjs
// The binary is $POCKET_ID_BIN, default ./pocket-id (relative to the
// current directory, i.e. the build directory). The migrations it embeds
// are compared with the sql/ directory of the source tree this file is in.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startCluster } from './lib/pg.mjs';

const BIN = path.resolve(process.env.POCKET_ID_BIN || './pocket-id');
const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));
const SQL_FILES = fs.readdirSync(SQL_DIR).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
const LATEST = Number(SQL_FILES.at(-1).slice(0, 4));

let cluster;
let dbCount = 0;
const tmpDirs = [];

before(async () => {
  assert.ok(fs.existsSync(BIN), `pocket-id binary not found at ${BIN} (set POCKET_ID_BIN)`);
  cluster = await startCluster();
});

after(async () => {
  if (cluster) await cluster.destroy();
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

async function freshDb() {
  dbCount += 1;
  return cluster.createDatabase(`mig_${dbCount}`);
}

function dbName(url) {
  return new URL(url).pathname.slice(1);
}

// Runs `pocket-id migrate args...` with DB_CONNECTION_STRING = url.
function migrate(url, args = []) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    if (url === null) delete env.DB_CONNECTION_STRING;
    else env.DB_CONNECTION_STRING = url;
    const child = spawn(BIN, ['migrate', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A temporary copy of sql/ plus extra files { name: text }.
function sqlDirWith(extra = {}, edit = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocket-id-sql-'));
  tmpDirs.push(dir);
  for (const f of SQL_FILES) fs.copyFileSync(path.join(SQL_DIR, f), path.join(dir, f));
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  for (const [name, fn] of Object.entries(edit)) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, fn(fs.readFileSync(p, 'utf8')));
  }
  return dir;
}

async function recorded(url) {
  const out = await cluster.psql(dbName(url),
    "SELECT version || ' ' || name || ' ' || sha256 FROM schema_migrations_pocketid ORDER BY version");
  return out === '' ? [] : out.split('\n');
}

function expectedRows() {
  return SQL_FILES.map((f) => {
    const sum = createHash('sha256').update(fs.readFileSync(path.join(SQL_DIR, f))).digest('hex');
    return `${Number(f.slice(0, 4))} ${f} ${sum}`;
  });
}

test('a fresh database gets every migration, with its checksum', async () => {
  const url = await freshDb();
  const r = await migrate(url);
  assert.equal(r.code, 0, r.stderr);
  for (const f of SQL_FILES) assert.match(r.stdout, new RegExp(`^applied ${f}$`, 'm'));
  assert.match(r.stdout, new RegExp(`database at version ${LATEST}: ${SQL_FILES.length} migrations? applied`));
  assert.deepEqual(await recorded(url), expectedRows());
  // 0001_init: citext and the kv table.
  assert.equal(await cluster.psql(dbName(url), "SELECT extname FROM pg_extension WHERE extname = 'citext'"), 'citext');
  await cluster.psql(dbName(url), "INSERT INTO kv (key, value) VALUES ('k', 'v')");
  await assert.rejects(cluster.psql(dbName(url), "INSERT INTO kv (key, value) VALUES ('n', NULL)"), /null value/);
});

test('running again does nothing', async () => {
  const url = await freshDb();
  assert.equal((await migrate(url)).code, 0);
  const before = await cluster.psql(dbName(url), 'SELECT applied_at FROM schema_migrations_pocketid ORDER BY version');
  const r = await migrate(url);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /^applied/m);
  assert.match(r.stdout, new RegExp(`database at version ${LATEST}: up to date, nothing to do`));
  assert.deepEqual(await recorded(url), expectedRows());
  assert.equal(await cluster.psql(dbName(url), 'SELECT applied_at FROM schema_migrations_pocketid ORDER BY version'), before);
});

test('--check lists pending migrations and applies nothing', async () => {
  const url = await freshDb();
  let r = await migrate(url, ['--check']);
  assert.equal(r.code, 3, r.stderr);
  for (const f of SQL_FILES) assert.match(r.stdout, new RegExp(`^pending ${f}$`, 'm'));
  assert.deepEqual(await recorded(url), []);
  assert.equal(await cluster.psql(dbName(url), "SELECT to_regclass('kv') IS NULL"), 't');
  assert.equal((await migrate(url)).code, 0);
  r = await migrate(url, ['--check']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /up to date/);
});

test('an applied migration whose checksum differs is refused, naming the file', async () => {
  const url = await freshDb();
  assert.equal((await migrate(url)).code, 0);
  // The recorded checksum differs from the binary's.
  await cluster.psql(dbName(url), "UPDATE schema_migrations_pocketid SET sha256 = repeat('0', 64) WHERE version = 1");
  let r = await migrate(url);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /migration 0001_init\.sql was changed after it was applied/);
  assert.match(r.stderr, /0{64}/);
  // An edited file (through --dir) against the true checksum.
  await cluster.psql(dbName(url), `UPDATE schema_migrations_pocketid SET sha256 = '${expectedRows()[0].split(' ')[2]}' WHERE version = 1`);
  const dir = sqlDirWith({}, { '0001_init.sql': (t) => `${t}\n-- an innocent-looking edit\n` });
  r = await migrate(url, ['--dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /migration 0001_init\.sql was changed after it was applied/);
  assert.equal((await migrate(url)).code, 0);
});

test('a failing migration is rolled back whole and named with its line and statement', async () => {
  const url = await freshDb();
  const bad = [
    '-- 9999_bad: its second statement fails',
    'CREATE TABLE bad_first (id int);',
    '',
    'INSERT INTO bad_first (id)',
    '  SELECT id FROM no_such_table;',
    'CREATE TABLE bad_third (id int);',
    '',
  ].join('\n');
  const dir = sqlDirWith({ '9999_bad.sql': bad });
  for (let run = 0; run < 2; run++) {
    const r = await migrate(url, ['--dir', dir]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /migration 9999_bad\.sql failed at line 5: relation "no_such_table" does not exist/);
    assert.match(r.stderr, /statement \(line 4\): INSERT INTO bad_first \(id\)/);
    assert.match(r.stderr, /rolled back/);
    // No trace of the file's first statement, no row for it; the good
    // files before it stay applied (the first run applied them).
    assert.equal(await cluster.psql(dbName(url), "SELECT to_regclass('bad_first') IS NULL"), 't');
    assert.deepEqual(await recorded(url), expectedRows());
  }
  // Nothing to clean up by hand: without the bad file all is well.
  const r = await migrate(url);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /nothing to do/);
});

test('a file that controls transactions is refused before anything runs', async () => {
  const url = await freshDb();
  const dir = sqlDirWith({ '9999_tx.sql': 'CREATE TABLE tx_a (id int);\nCOMMIT;\nCREATE TABLE tx_b (id int);\n' });
  const r = await migrate(url, ['--dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /migration 9999_tx\.sql, line 2: migration files must not control transactions/);
  assert.deepEqual(await recorded(url), []);
  assert.equal(await cluster.psql(dbName(url), "SELECT to_regclass('tx_a') IS NULL"), 't');
});

test('a database migrated by a newer pocket-id is refused', async () => {
  const url = await freshDb();
  assert.equal((await migrate(url)).code, 0);
  await cluster.psql(dbName(url),
    "INSERT INTO schema_migrations_pocketid (version, name, sha256) VALUES (9000, '9000_future.sql', repeat('a', 64))");
  const r = await migrate(url);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(
    `database was migrated by a newer pocket-id (version 9000 > ${LATEST}); upgrade pocket-id or restore a backup`), r.stderr);
});

test('an applied version unknown to the binary, or a gap, is refused', async () => {
  const url = await freshDb();
  const dir = sqlDirWith({ '9000_extra.sql': 'CREATE TABLE extra (id int);\n' });
  assert.equal((await migrate(url, ['--dir', dir])).code, 0);
  // Back to a set that lacks 9000 but knows a later file.
  fs.rmSync(path.join(dir, '9000_extra.sql'));
  fs.writeFileSync(path.join(dir, '9001_later.sql'), 'SELECT 1;\n');
  let r = await migrate(url, ['--dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the database has migration 9000 \(9000_extra\.sql\) applied, which this pocket-id does not have/);
  // A pending file older than an applied one.
  fs.writeFileSync(path.join(dir, '9000_extra.sql'), 'CREATE TABLE extra (id int);\n');
  fs.writeFileSync(path.join(dir, '8999_forgotten.sql'), 'SELECT 1;\n');
  r = await migrate(url, ['--dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /migration 8999_forgotten\.sql is not applied but a later one \(version 9000\) is/);
});

async function raceOnEmptyDatabase(n, args) {
  const url = await freshDb();
  const runs = await Promise.all(Array.from({ length: n }, () => migrate(url, args)));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const rows = await cluster.psql(dbName(url), 'SELECT version, count(*) FROM schema_migrations_pocketid GROUP BY version HAVING count(*) > 1');
  assert.equal(rows, '');
  return { url, runs };
}

test('processes started together apply each migration exactly once', async () => {
  // A few rounds: the window in which they overlap is short.
  for (let round = 0; round < 3; round++) {
    const { url, runs } = await raceOnEmptyDatabase(4, []);
    assert.deepEqual(await recorded(url), expectedRows());
    const applied = runs.map((r) => (r.stdout.match(/^applied /gm) || []).length);
    assert.equal(applied.reduce((a, b) => a + b), SQL_FILES.length);
  }
});

test('while one process applies, the others wait for it', async () => {
  // A slow last file makes the overlap certain.
  const dir = sqlDirWith({ '9999_slow.sql': 'SELECT pg_sleep(1);\nCREATE TABLE slow_done (id int);\n' });
  const { url, runs } = await raceOnEmptyDatabase(3, ['--dir', dir]);
  assert.equal((await recorded(url)).length, SQL_FILES.length + 1);
  const appliers = runs.filter((r) => /^applied 9999_slow\.sql$/m.test(r.stdout));
  assert.equal(appliers.length, 1);
  const waiters = runs.filter((r) => /waiting for it/.test(r.stderr));
  assert.ok(waiters.length >= 1, runs.map((r) => r.stderr).join('\n'));
  for (const r of runs.filter((x) => x !== appliers[0])) assert.match(r.stdout, /nothing to do/);
});

test('a role that owns its database but is not superuser can migrate (citext is trusted)', async () => {
  await cluster.createRole('app_owner');
  await cluster.createDatabase('owned_by_app', { owner: 'app_owner' });
  const r = await migrate(cluster.url('owned_by_app', 'app_owner'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await cluster.psql('owned_by_app', "SELECT extname FROM pg_extension WHERE extname = 'citext'"), 'citext');
});

test('connection problems and a missing setting are reported', async () => {
  let r = await migrate(null);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /DB_CONNECTION_STRING: is not set/);
  r = await migrate('postgresql://postgres@127.0.0.1:1/none');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot connect to PostgreSQL/);
  r = await migrate('host=127.0.0.1 nonsense_option=1');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /DB_CONNECTION_STRING: is neither a postgres:\/\/ URL nor a libpq key=value connection string/);
  const url = await freshDb();
  r = await migrate(url, ['--dir', '/nonexistent']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\/nonexistent: cannot open the directory/);
});
