// http.mjs: throughput and latency of the FastCGI path next to nginx
// serving a static file, in one run on this machine, plus the resident
// memory of the master and each worker. Loopback only, bounded duration.
//
//   node tests/bench/http.mjs            (POCKET_ID_BIN, POCKET_ID_SRC as
//                                         for the e2e tests)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 node tests/bench/http.mjs
//
// Prints a Markdown table for the README. Numbers never go into tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { startCluster } from '../e2e/lib/pg.mjs';
import { startStack, workerPids } from '../e2e/lib/stack.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const workers = Number(process.env.BENCH_WORKERS ?? 4);

function wrk(url) {
	const out = execFileSync('wrk', ['-t2', `-c${connections}`,
		`-d${seconds}s`, '--latency', url], { encoding: 'utf8' });
	const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
	const pct = (p) => out.match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm'))?.[1];
	const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
	return { rps, p50: pct(50), p99: pct(99), non2xx };
}

// Proportional set size: shared pages divided among the processes that
// share them, so the figures add up to what the stack really uses.
function rssKiB(pid) {
	const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
	return Number(rollup.match(/^Pss:\s+(\d+)/m)[1]);
}

const cluster = await startCluster();
const stack = await startStack(await cluster.createDatabase('bench'),
	{ workers, env: { LOG_LEVEL: 'warn' } });
try {
	const rows = [
		['nginx static file (index.html)', `${stack.url}/index.html`],
		['GET /healthz (FastCGI + 1 SQL round trip)', `${stack.url}/healthz`],
		['GET /api/version/latest (FastCGI, small JSON)', `${stack.url}/api/version/latest`],
		['GET /.well-known/jwks.json (worker key cache)', `${stack.url}/.well-known/jwks.json`],
		['GET /.well-known/openid-configuration', `${stack.url}/.well-known/openid-configuration`],
	];
	console.log(`# pocket-id HTTP benchmark — ${new Date().toISOString().slice(0, 10)}, ` +
		`${cpus().length} × ${cpus()[0].model.trim()}, wrk -t2 -c${connections} ` +
		`-d${seconds}s on loopback, WORKERS=${workers}\n`);
	console.log('| path | requests/s | p50 | p99 | non-2xx |');
	console.log('|---|---:|---:|---:|---:|');
	for (const [label, url] of rows) {
		const r = wrk(url);
		console.log(`| ${label} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
	}
	const master = rssKiB(stack.daemon.pid);
	const each = workerPids(stack).map(rssKiB);
	const nginxPids = execFileSync('pgrep', ['-f', stack.dir + '/nginx'],
		{ encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
	const nginxRss = nginxPids.map(rssKiB);
	const total = master + each.reduce((a, b) => a + b, 0) + nginxRss.reduce((a, b) => a + b, 0);
	console.log(`\nMemory after the run (PSS): master ${(master / 1024).toFixed(1)} MiB, ` +
		`workers ${each.map((k) => (k / 1024).toFixed(1)).join(', ')} MiB, ` +
		`nginx ${nginxRss.map((k) => (k / 1024).toFixed(1)).join(', ')} MiB; ` +
		`whole stack ${(total / 1024).toFixed(1)} MiB.`);
} finally {
	await stack.stop();
	await cluster.destroy();
}
