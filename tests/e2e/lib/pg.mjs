// pg.mjs: a throwaway PostgreSQL cluster for end-to-end tests (Node 20,
// ESM, no dependencies).
//
//   import { startCluster } from './lib/pg.mjs';
//   const cluster = await startCluster();
//   const url = await cluster.createDatabase('t1');   // postgresql://...
//   await cluster.psql('t1', 'SELECT 1');              // stdout, trimmed
//   await cluster.stop(); await cluster.start();       // an outage
//   await cluster.destroy();
//
// One initdb per cluster (--no-sync, fsync off): start one per test file.
// The cluster listens on 127.0.0.1 on a free port, with its unix socket in
// its own temporary directory, and trusts every local connection (it holds
// nothing but test data and lives for one test run). The superuser is
// "postgres". initdb refuses to run as root, so as root the server runs as
// the "postgres" OS user (runuser), which then owns the directory.
// The server binaries come from $PG_BINDIR, else the newest
// /usr/lib/postgresql/*/bin. Clusters still running when the process exits
// are stopped and removed.

import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const live = new Set();

export function pgBinDir() {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb'))) return bin;
  }
  throw new Error('no PostgreSQL server found: install postgresql or set PG_BINDIR');
}

// A TCP port nobody listens on right now (the kernel's pick).
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function osUser(name) {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) {
    throw new Error(`running as root needs the OS user "${name}" to own the cluster`);
  }
  return { uid: Number(r.stdout), gid: Number(g.stdout) };
}

// Runs a server program, as the postgres OS user when we are root.
function serverCommand(bin, args) {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function runServer(bin, args) {
  const [cmd, argv] = serverCommand(bin, args);
  try {
    return await execFileP(cmd, argv, { encoding: 'utf8' });
  } catch (err) {
    throw new Error(`${path.basename(bin)} ${args.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

function checkName(name) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`bad database or role name for a test: ${name}`);
  }
}

class Cluster {
  constructor(bindir, dir) {
    this.bindir = bindir;
    this.dir = dir;
    this.data = path.join(dir, 'data');
    this.logPath = path.join(dir, 'server.log');
    this.port = 0;
    this.running = false;
  }

  // A libpq URL for database db as role user (trusted, no password).
  url(db = 'postgres', user = 'postgres') {
    return `postgresql://${user}@127.0.0.1:${this.port}/${db}`;
  }

  // Settings appended to postgresql.conf: the last value of a name wins,
  // so a retry on another port just appends again.
  configure(port) {
    this.port = port;
    const conf = [
      '',
      '# tests/e2e/lib/pg.mjs',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${this.dir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 100',
      '',
    ].join('\n');
    fs.appendFileSync(path.join(this.data, 'postgresql.conf'), conf);
  }

  // Starts the server and waits until it accepts connections.
  async start() {
    if (this.running) return;
    await runServer(path.join(this.bindir, 'pg_ctl'), [
      '-D', this.data, '-l', this.logPath, '-w', '-t', '60', 'start',
    ]).catch((err) => {
      let log = '';
      try { log = fs.readFileSync(this.logPath, 'utf8'); } catch { /* none */ }
      throw new Error(`${err.message}\n${log}`);
    });
    this.running = true;
    live.add(this);
  }

  // Stops the server ("fast": open sessions are cut, as in a real restart).
  async stop() {
    if (!this.running) return;
    await runServer(path.join(this.bindir, 'pg_ctl'), ['-D', this.data, '-m', 'fast', '-w', 'stop']);
    this.running = false;
  }

  // Runs SQL through psql as the superuser; resolves to its output.
  async psql(db, sql, user = 'postgres') {
    const psql = path.join(this.bindir, 'psql');
    try {
      const { stdout } = await execFileP(psql, [
        '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', this.url(db, user), '-c', sql,
      ], { encoding: 'utf8' });
      return stdout.trim();
    } catch (err) {
      throw new Error(`psql: ${err.stderr || err.message}`);
    }
  }

  // Creates a database (owned by owner, default postgres); resolves to its URL.
  async createDatabase(name, { owner = 'postgres' } = {}) {
    checkName(name);
    checkName(owner);
    await this.psql('postgres', `CREATE DATABASE ${name} OWNER ${owner}`);
    return this.url(name);
  }

  // Creates a login role without superuser rights.
  async createRole(name) {
    checkName(name);
    await this.psql('postgres', `CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  }

  // Stops the server at once and removes every file of the cluster.
  async destroy() {
    if (this.running) {
      await runServer(path.join(this.bindir, 'pg_ctl'), ['-D', this.data, '-m', 'immediate', '-w', 'stop'])
        .catch(() => {});
      this.running = false;
    }
    live.delete(this);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// initdb in a new temporary directory, then start on a free port.
export async function startCluster() {
  const bindir = pgBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocket-id-pg-'));
  if (isRoot) {
    const { uid, gid } = osUser('postgres');
    fs.chownSync(dir, uid, gid);
  }
  fs.chmodSync(dir, 0o700);
  const cluster = new Cluster(bindir, dir);
  try {
    await runServer(path.join(bindir, 'initdb'), [
      '-D', cluster.data, '-U', 'postgres', '--auth=trust', '--no-sync',
      '-E', 'UTF8', '--locale=C', '--no-instructions',
    ]);
    // Another process may take the port between our check and the start.
    for (let attempt = 1; ; attempt++) {
      await cluster.configure(await freePort());
      try {
        await cluster.start();
        break;
      } catch (err) {
        if (attempt >= 3 || !/could not bind|already in use/i.test(err.message)) throw err;
      }
    }
  } catch (err) {
    await cluster.destroy().catch(() => {});
    throw err;
  }
  return cluster;
}

process.on('exit', () => {
  for (const c of live) {
    const [cmd, argv] = serverCommand(path.join(c.bindir, 'pg_ctl'),
      ['-D', c.data, '-m', 'immediate', '-w', 'stop']);
    spawnSync(cmd, argv, { stdio: 'ignore' });
    fs.rmSync(c.dir, { recursive: true, force: true });
  }
});
