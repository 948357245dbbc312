// oidc.mjs: the OIDC hot paths of pocket-id next to node oidc-provider
// configured the same way (tests/bench/oidc-provider-server.mjs), in one
// run on this machine: the token endpoint (client_credentials, and
// authorization_code drawing on a pool of codes issued beforehand),
// userinfo, and discovery and JWKS through nginx, with nginx serving a
// static file as the yardstick. Loopback only, bounded duration.
//
//   node tests/bench/oidc.mjs            (POCKET_ID_BIN, POCKET_ID_SRC as
//                                         for the e2e tests)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=32 BENCH_WORKERS=4 node tests/bench/oidc.mjs
//   BENCH_BASELINE_BIN=/path/to/older/pocket-id node tests/bench/oidc.mjs
//                                        (adds that build's token and
//                                         userinfo figures, same run)
//
// Installs oidc-provider (the version pinned in tests/bench/package.json)
// into tests/bench/node_modules first. Prints a Markdown table for the
// README. Numbers never go into tests.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../e2e/lib/pg.mjs';
import { startStack, startProcess, freePort, waitFor, srcDir } from '../e2e/lib/stack.mjs';
import { client as apiClient } from '../e2e/lib/authenticator.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const workers = Number(process.env.BENCH_WORKERS ?? 4);
const CALLBACK = 'https://rp.example/callback';
const SCOPE = 'openid profile email groups';
const WRK_THREADS = 2;

if (!existsSync(join(here, 'node_modules/oidc-provider')))
	execFileSync('npm', [existsSync(join(here, 'package-lock.json')) ? 'ci' : 'install',
		'--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });

const tmp = mkdtempSync(join(tmpdir(), 'pocket-id-bench-'));

function wrk(url, script, ...args) {
	const argv = [`-t${WRK_THREADS}`, `-c${connections}`, `-d${seconds}s`,
		'--latency'];
	if (script) argv.push('-s', script);
	argv.push(url);
	if (args.length) argv.push('--', ...args.map(String));
	const out = execFileSync('wrk', argv, { encoding: 'utf8' });
	const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
	const total = Number(out.match(/(\d+) requests in/)[1]);
	const pct = (p) => out.match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm'))?.[1];
	const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
	return { rps, total, p99: pct(99), non2xx };
}

// wrk scripts: a fixed request, or one code of the pool per request (each
// wrk thread takes every n-th line of the file).
function fixedScript(name, method, headers, body) {
	const file = join(tmp, `${name}.lua`);
	const h = Object.entries(headers).map(([k, v]) =>
		`wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join('\n');
	writeFileSync(file, `wrk.method = ${JSON.stringify(method)}\n${h}\n` +
		(body ? `wrk.body = ${JSON.stringify(body)}\n` : ''));
	return file;
}
function codeScript(name, basic) {
	const file = join(tmp, `${name}.lua`);
	writeFileSync(file, `
local counter = 0
function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
end
local codes, next = {}, 0
function init(args)
	local n, i = tonumber(args[2]), 0
	for line in io.lines(args[1]) do
		if line ~= "" then
			if i % n == id then codes[#codes + 1] = line end
			i = i + 1
		end
	end
end
local headers = { ["Authorization"] = "Basic ${basic}",
	["Content-Type"] = "application/x-www-form-urlencoded" }
function request()
	next = next + 1
	return wrk.format("POST", nil, headers,
		"grant_type=authorization_code&redirect_uri=" ..
		"${encodeURIComponent(CALLBACK)}&code=" .. (codes[next] or "exhausted"))
end
`);
	return file;
}

const basicOf = (id, secret) => Buffer.from(
	`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
const form = (o) => new URLSearchParams(o).toString();

// Runs fn over 0..n-1 with a few requests in flight.
async function pool(n, width, fn) {
	let i = 0;
	await Promise.all(Array.from({ length: width }, async () => {
		while (i < n) await fn(i++);
	}));
}

async function pocketIdSide(stack) {
	const admin = apiClient(stack.url);
	await admin.post('/api/signup/setup', { username: 'tim',
		email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' });
	const created = await admin.post('/api/oidc/clients', { name: 'Bench',
		callbackURLs: [CALLBACK], isPublic: false, pkceEnabled: false });
	const id = created.json.id;
	const secret = (await admin.post(`/api/oidc/clients/${id}/secrets`, {})).json.secret;
	const authorizeUrl = `${stack.url}/authorize?` + form({ client_id: id,
		response_type: 'code', redirect_uri: CALLBACK, scope: SCOPE, nonce: 'nonce-bench',
		state: 'state-bench-0123' });
	const cookie = () => ({ cookie: admin.jar.header() });
	// The first authorization asks for consent (the interaction API, as
	// tests/e2e/oidc.test.mjs does it); later ones redirect straight back.
	let res = await fetch(authorizeUrl, { redirect: 'manual', headers: cookie() });
	const loc = res.headers.get('location');
	if (loc.includes('/interaction?')) {
		const iid = new URL(loc).searchParams.get('interaction');
		const step = (await admin.get(`/api/oidc/interactions/${iid}`)).json.currentStep;
		await admin.post(`/api/oidc/interactions/${iid}/complete`, { step });
	}
	const code = async () => {
		const r = await fetch(authorizeUrl, { redirect: 'manual', headers: cookie() });
		const c = new URL(r.headers.get('location')).searchParams.get('code');
		if (!c) throw new Error(`no code: ${r.headers.get('location')}`);
		return c;
	};
	return { tokenUrl: `${stack.url}/api/oidc/token`, basic: basicOf(id, secret),
		code, userinfoUrl: `${stack.url}/api/oidc/userinfo`,
		discoveryUrl: `${stack.url}/.well-known/openid-configuration`,
		jwksUrl: `${stack.url}/.well-known/jwks.json` };
}

async function providerSide() {
	const port = await freePort();
	const codesFile = join(tmp, 'op-codes.txt');
	writeFileSync(codesFile, '');
	const child = spawn(process.execPath, [join(here, 'oidc-provider-server.mjs'),
		String(port), codesFile], { stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	child.stdout.on('data', (d) => { out += d; });
	await waitFor('oidc-provider', () => out.includes('ready'));
	const url = `http://127.0.0.1:${port}`;
	const jwks = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()).jwks_uri;
	return { child, codesFile, url, tokenUrl: `${url}/token`,
		basic: basicOf('bench', 'bench-secret-0123456789abcdef0123456789abcdef'),
		userinfoUrl: `${url}/me`,
		discoveryUrl: `${url}/.well-known/openid-configuration`, jwksUrl: jwks,
		async codes(n) {
			out = '';
			child.stdin.write(`codes ${n}\n`);
			await waitFor('oidc-provider codes', () => out.includes('codes done'), 600000);
		} };
}

// Regenerates the stack's nginx with the cache of discovery and the JWKS
// (nginx/pocket-id-wellknown-cache.conf) and reloads it.
async function enableWellKnownCache(stack, seconds) {
	const ngDir = join(stack.dir, 'nginx');
	const uiRoot = readFileSync(join(ngDir, 'conf/pocket-id/pocket-id-locations.conf'),
		'utf8').match(/^root (.*);$/m)[1];
	execFileSync(join(srcDir, 'contrib/nginx-standalone'),
		[ngDir, String(stack.port), stack.socket, uiRoot], { env: {
			PATH: process.env.PATH, DISABLE_RATE_LIMITING: 'true',
			WELL_KNOWN_CACHE_SECONDS: String(seconds) } });
	stack.nginx.kill('SIGHUP');
	await waitFor('the cache after the reload', async () =>
		(await stack.fetch('/.well-known/jwks.json')).headers.get('x-cache-status') !== null);
}

async function exchange(side, code) {
	const res = await fetch(side.tokenUrl, { method: 'POST', headers: {
		authorization: `Basic ${side.basic}`,
		'content-type': 'application/x-www-form-urlencoded' },
	body: form({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }) });
	const json = await res.json();
	if (!json.access_token) throw new Error(`code exchange: ${JSON.stringify(json)}`);
	return json;
}

const cluster = await startCluster();
const stack = await startStack(await cluster.createDatabase('bench'),
	{ workers, env: { LOG_LEVEL: 'warn' } });
let op, baseStack;
try {
	const pi = await pocketIdSide(stack);
	const sides = [['pocket-id', pi]];
	if (process.env.BENCH_BASELINE_BIN) {
		// startStack runs POCKET_ID_BIN: swap the daemon for the baseline.
		baseStack = await startStack(await cluster.createDatabase('bench_base'),
			{ workers, env: { LOG_LEVEL: 'warn' } });
		await baseStack.stopDaemon();
		rmSync(baseStack.socket, { force: true });
		// An empty database: an older build refuses migrations it lacks.
		await cluster.psql('postgres', 'DROP DATABASE bench_base');
		await cluster.createDatabase('bench_base');
		baseStack.daemon = startProcess(process.env.BENCH_BASELINE_BIN, ['serve'],
			{ env: baseStack.env });
		await waitFor('the baseline daemon', () => existsSync(baseStack.socket));
		await waitFor('the baseline behind nginx', async () =>
			(await baseStack.fetch('/healthz')).status === 204);
		sides.push(['baseline', await pocketIdSide(baseStack)]);
	}
	op = await providerSide();
	sides.push(['oidc-provider', op]);
	const results = [];
	const run = (label, side, url, script, ...args) => {
		const r = wrk(url, script, ...args);
		results.push({ label, side, ...r });
		return r;
	};
	run('nginx static file', 'nginx', `${stack.url}/index.html`);
	// The FastCGI path first, then through the cache as shipped (10 s).
	run('discovery, no cache', 'pocket-id', pi.discoveryUrl);
	run('JWKS, no cache', 'pocket-id', pi.jwksUrl);
	await enableWellKnownCache(stack, 10);
	for (const [name, side] of sides) {
		if (name !== 'baseline') {
			run('discovery', name, side.discoveryUrl);
			run('JWKS', name, side.jwksUrl);
		}
		const cc = run('token: client_credentials', name, side.tokenUrl,
			fixedScript(`${name}-cc`, 'POST', { Authorization: `Basic ${side.basic}`,
				'Content-Type': 'application/x-www-form-urlencoded' },
			'grant_type=client_credentials'));
		// A pool larger than the run can use. pocket-id's code grant signs
		// twice (access and ID token) where client_credentials signs once;
		// oidc-provider's signs once too, and its codes cost nothing to
		// make. One more code gives the userinfo row its token.
		const n = side !== op ? Math.ceil(cc.rps * seconds * 0.9) + 1000
			: Math.max(Math.ceil(cc.rps * seconds * 3), 5000);
		const codesFile = join(tmp, `${name}-codes.txt`);
		const t0 = Date.now();
		let codes;
		if (side !== op) {
			codes = new Array(n + 1);
			await pool(n + 1, 16, async (i) => { codes[i] = await side.code(); });
		} else {
			await op.codes(n + 1);
			codes = readFileSync(op.codesFile, 'utf8').split('\n').filter(Boolean);
		}
		writeFileSync(codesFile, codes.slice(0, n).join('\n') + '\n');
		console.error(`${name}: ${n + 1} codes issued in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		const userToken = (await exchange(side, codes[n])).access_token;
		run('token: authorization_code', name, side.tokenUrl,
			codeScript(`${name}-code`, side.basic), codesFile, WRK_THREADS);
		run('userinfo', name, side.userinfoUrl, fixedScript(`${name}-ui`, 'GET',
			{ Authorization: `Bearer ${userToken}` }));
	}
	const get = (label, side) => results.find((r) => r.label === label && r.side === side);
	const stat = get('nginx static file', 'nginx');
	console.log(`# pocket-id OIDC benchmark — ${new Date().toISOString().slice(0, 10)}, ` +
		`${cpus().length} × ${cpus()[0].model.trim()}, wrk -t${WRK_THREADS} -c${connections} ` +
		`-d${seconds}s on loopback, WORKERS=${workers}, oidc-provider ` +
		`${JSON.parse(readFileSync(join(here, 'node_modules/oidc-provider/package.json'))).version}\n`);
	const names = sides.map(([n]) => n);

	console.log(`| request |${names.map((n) => ` ${n} req/s | p99 |`).join('')} ` +
		'pocket-id ÷ oidc-provider |');
	console.log(`|---|${names.map(() => '---:|---:|').join('')}---:|`);
	console.log(`| nginx static file (yardstick) | ${stat.rps.toFixed(0)} | ${stat.p99} |` +
		`${names.slice(1).map(() => ' | |').join('')} |`);
	const flag = (r) => (r.non2xx ? ` (${r.non2xx} non-2xx)` : '');
	const cell = (r) => (r ? ` ${r.rps.toFixed(0)}${flag(r)} | ${r.p99} |` : ' | |');
	for (const label of ['token: client_credentials', 'token: authorization_code',
		'userinfo', 'discovery', 'JWKS', 'discovery, no cache', 'JWKS, no cache']) {
		const a = get(label, 'pocket-id'), b = get(label, 'oidc-provider');
		console.log(`| ${label} |${names.map((n) => cell(get(label, n))).join('')}` +
			` ${b ? `${(a.rps / b.rps).toFixed(2)}×` : ''} |`);
	}

	const ratio = (label) => (get(label, 'pocket-id').rps / stat.rps).toFixed(2);
	console.log(`\nAgainst nginx's static file (DESIGN §8 target: 0.6×): discovery ` +
		`${ratio('discovery')}× and JWKS ${ratio('JWKS')}× through the cache ` +
		`(10 s), ${ratio('discovery, no cache')}× and ${ratio('JWKS, no cache')}× without.`);
} finally {
	op?.child.kill();
	await baseStack?.stop();
	await stack.stop();
	await cluster.destroy();
	rmSync(tmp, { recursive: true, force: true });
}
