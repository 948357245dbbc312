// stack.mjs: starts the real thing for a test file: a database in a
// PostgreSQL cluster (lib/pg.mjs), "pocket-id serve" on a unix socket and
// nginx in front of it on a free loopback port, and stops them again.
//
// Environment: POCKET_ID_BIN (the built binary), POCKET_ID_SRC (the source
// tree, for nginx/ and contrib/). tests/run sets both.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, chmodSync,
	readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const srcDir = resolve(process.env.POCKET_ID_SRC ??
	new URL('../../..', import.meta.url).pathname);
export const binPath = resolve(process.env.POCKET_ID_BIN ??
	join(srcDir, 'build/plain/pocket-id'));

export async function freePort() {
	return await new Promise((ok, fail) => {
		const server = createServer();
		server.unref();
		server.on('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => ok(port));
		});
	});
}

export async function waitFor(what, check, timeoutMs = 15000) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	while (Date.now() < deadline) {
		try {
			if (await check()) return;
		} catch (e) {
			lastError = e;
		}
		await sleep(50);
	}
	throw new Error(`timed out waiting for ${what}` +
		(lastError ? `: ${lastError.message}` : ''));
}

// A child process whose output is kept for assertions and post-mortems.
export function startProcess(cmd, args, options = {}) {
	const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'],
		...options });
	child.output = '';
	child.stdout.on('data', (d) => { child.output += d; });
	child.stderr.on('data', (d) => { child.output += d; });
	child.exited = new Promise((ok) => child.on('exit',
		(code, signal) => ok({ code, signal })));
	return child;
}

// Runs the binary to completion: { code, stdout, stderr }.
export async function runPocketId(args, env) {
	const child = spawn(binPath, args, { env: { PATH: process.env.PATH,
		...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '', stderr = '';
	child.stdout.on('data', (d) => { stdout += d; });
	child.stderr.on('data', (d) => { stderr += d; });
	const code = await new Promise((ok) => child.on('exit', ok));
	return { code, stdout, stderr };
}

function uiRoot(dir) {
	const built = join(srcDir, 'nginx/ui/dist');
	if (existsSync(join(built, 'index.html'))) return built;
	const placeholder = join(dir, 'ui');
	mkdirSync(placeholder, { recursive: true });
	writeFileSync(join(placeholder, 'index.html'),
		'<!doctype html><title>pocket-id</title>\n');
	return placeholder;
}

// Starts daemon + nginx for a database URL. Options: env (extra settings),
// workers, rateLimit (default off), trustProxy.
export async function startStack(databaseUrl, options = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'pocket-id-e2e-'));
	chmodSync(dir, 0o755);
	const port = options.port ?? await freePort();
	const socket = join(dir, 'fcgi.sock');
	// An empty config file, so that the machine's /etc/pocket-id is not read.
	writeFileSync(join(dir, 'pocket-id.conf'), '');
	const stack = {
		dir, port, socket, databaseUrl,
		url: `http://127.0.0.1:${port}`,
		env: {
			PATH: process.env.PATH,
			APP_URL: `http://127.0.0.1:${port}`,
			ENCRYPTION_KEY: randomBytes(24).toString('base64'),
			DB_CONNECTION_STRING: databaseUrl,
			FCGI_LISTEN: `unix:${socket}`,
			// nginx's workers run as another user when we are root.
			FCGI_SOCKET_MODE: '0666',
			WORKERS: String(options.workers ?? 2),
			LOG_LEVEL: 'debug',
			POCKET_ID_CONFIG_FILE: join(dir, 'pocket-id.conf'),
			...options.env,
		},
	};
	stack.startDaemon = async () => {
		stack.daemon = startProcess(binPath, ['serve'], { env: stack.env });
		await waitFor('the FastCGI socket', async () => {
			const gone = stack.daemon.exitCode !== null;
			if (gone) throw new Error(`daemon exited:\n${stack.daemon.output}`);
			return existsSync(socket);
		});
	};
	stack.stopDaemon = async (signal = 'SIGTERM') => {
		if (!stack.daemon || stack.daemon.exitCode !== null ||
			stack.daemon.signalCode !== null) return;
		stack.daemon.kill(signal);
		return await stack.daemon.exited;
	};
	await stack.startDaemon();

	const ngDir = join(dir, 'nginx');
	execFileSync(join(srcDir, 'contrib/nginx-standalone'),
		[ngDir, String(port), socket, uiRoot(dir)], { env: {
			PATH: process.env.PATH,
			DISABLE_RATE_LIMITING: options.rateLimit ? 'false' : 'true',
			TRUST_PROXY: options.trustProxy ?? 'false',
		} });
	stack.nginx = startProcess('nginx', ['-p', ngDir, '-c', 'conf/nginx.conf',
		'-e', join(ngDir, 'logs/error.log')]);
	await waitFor('nginx and /healthz', async () => {
		if (stack.nginx.exitCode !== null)
			throw new Error(`nginx exited:\n${stack.nginx.output}`);
		const res = await fetch(`${stack.url}/healthz`);
		return res.status === 204;
	});
	stack.fetch = (path, init) => fetch(`${stack.url}${path}`, init);
	stack.stop = async () => {
		await stack.stopDaemon();
		if (stack.nginx.exitCode === null) {
			stack.nginx.kill('SIGTERM');
			await stack.nginx.exited;
		}
		if (!process.env.KEEP_E2E_DIRS)
			rmSync(dir, { recursive: true, force: true });
	};
	stack.nginxLog = () => {
		try { return readFileSync(join(ngDir, 'logs/error.log'), 'utf8'); }
		catch { return ''; }
	};
	return stack;
}

// The worker PIDs of a running daemon: children of the master, except the
// short-lived cleanup child it forks at start and daily (pocket-id-clean).
export function workerPids(stack) {
	const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid',
		String(stack.daemon.pid)], { encoding: 'utf8' });
	return out.split('\n').map((s) => s.trim().split(/\s+/))
		.filter(([pid, comm]) => pid && comm !== 'pocket-id-clean').map(([pid]) => Number(pid));
}
