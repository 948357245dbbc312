// The foundation through the real stack: nginx -> FastCGI workers ->
// PostgreSQL. Health, error shape, request ids, HEAD, body limits, bad
// FastCGI input, worker crashes, recycling, SIGHUP, SIGTERM drain, and a
// database outage with recovery.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster } from './lib/pg.mjs';
import { startStack, waitFor, workerPids } from './lib/stack.mjs';
import { request, exchange, baseParams, encodeRequest } from './lib/fcgi.mjs';

let cluster, stack;

before(async () => {
	cluster = await startCluster();
	stack = await startStack(await cluster.createDatabase('foundation'),
		{ workers: 2 });
});

after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

function assertErrorShape(body, res, status, code) {
	assert.equal(res.status, status);
	assert.match(res.headers.get('content-type'), /^application\/json/);
	assert.equal(typeof body.error, 'string');
	assert.ok(body.error.length > 0);
	assert.equal(body.code, code);
	assert.equal(body.request_id, res.headers.get('x-request-id'));
}

test('/healthz answers 204 through nginx, also for HEAD', async () => {
	const res = await stack.fetch('/healthz');
	assert.equal(res.status, 204);
	assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
	const head = await stack.fetch('/healthz', { method: 'HEAD' });
	assert.equal(head.status, 204);
});

test('unknown API paths get the JSON 404 with the request id', async () => {
	for (const path of ['/api/nope', '/api/users/x/y/z', '/.well-known/nope']) {
		const res = await stack.fetch(path);
		const body = await res.json();
		assertErrorShape(body, res, 404, 'not_found');
		assert.equal(body.error, 'API endpoint not found');
		assert.equal(res.headers.get('cache-control'), 'private, no-store');
	}
});

test('every request gets its own request id', async () => {
	const a = await stack.fetch('/api/nope');
	const b = await stack.fetch('/api/nope');
	assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
});

test('HEAD is GET without a body', async () => {
	const get = await stack.fetch('/api/version/latest');
	assert.equal(get.status, 200);
	assert.deepEqual(await get.json(), { latestVersion: '' });
	assert.equal(get.headers.get('cache-control'),
		'public, max-age=300, stale-while-revalidate=900');
	const head = await stack.fetch('/api/version/latest', { method: 'HEAD' });
	assert.equal(head.status, 200);
	assert.equal(head.headers.get('content-length'),
		get.headers.get('content-length'));
	assert.equal((await head.arrayBuffer()).byteLength, 0);
});

test('bodies over the worker limit get 413 JSON; over nginx\'s too', async () => {
	const res = await stack.fetch('/api/version/latest', { method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: 'x'.repeat(1536 * 1024) });
	assertErrorShape(await res.json(), res, 413, 'request_too_large');
	const huge = await stack.fetch('/api/version/latest', { method: 'POST',
		body: 'x'.repeat(3 * 1024 * 1024) });
	assertErrorShape(await huge.json(), huge, 413, 'request_too_large');
});

test('security headers are set on API and UI responses', async () => {
	for (const path of ['/api/nope', '/']) {
		const res = await stack.fetch(path);
		assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
		assert.equal(res.headers.get('x-frame-options'), 'DENY');
		assert.ok(res.headers.get('referrer-policy'));
	}
	const ui = await stack.fetch('/settings/account');
	assert.equal(ui.status, 200, 'SPA fallback serves index.html');
	assert.match(ui.headers.get('content-security-policy'),
		/frame-ancestors 'none'/);
	assert.doesNotMatch(ui.headers.get('content-security-policy'),
		/script-src[^;]*unsafe-inline/);
});

test('bad FastCGI input gets a clean 4xx and the worker keeps serving', async () => {
	const cases = [
		// invalid UTF-8 in a header
		[baseParams('GET', '/healthz', [['HTTP_X_TEST', Buffer.from([0xff, 0xfe])]]), 400],
		// NUL smuggled in through the path
		[baseParams('GET', '/api/a%00b'), 400],
		// absurd Content-Length
		[baseParams('POST', '/api/version/latest', [['CONTENT_LENGTH', '99999999999999']]), 413],
		[baseParams('POST', '/api/version/latest', [['CONTENT_LENGTH', '-5']]), 400],
		[baseParams('POST', '/api/version/latest', [['CONTENT_LENGTH', '12abc']]), 400],
		// a parameter far over its limit
		[baseParams('GET', '/healthz', [['HTTP_COOKIE', 'a'.repeat(40000)]]), 413],
		// no method at all
		[[['REQUEST_URI', '/healthz']], 400],
	];
	for (const [params, status] of cases) {
		const res = await request(stack.socket, params);
		assert.equal(res.status, status, `expected ${status}: ${res.raw.slice(0, 200)}`);
		const body = JSON.parse(res.body);
		assert.equal(typeof body.error, 'string');
		assert.equal(body.request_id, res.headers['x-request-id']);
	}
	// A body shorter than its Content-Length.
	const short = await request(stack.socket, baseParams('POST', '/api/version/latest',
		[['CONTENT_LENGTH', '100']]), Buffer.from('{"a":1}'));
	assert.equal(short.status, 400);
	// Garbage instead of FastCGI records: the connection is dropped, and
	// the workers still answer.
	await exchange(stack.socket, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 2000)
		.catch(() => {});
	const truncated = encodeRequest(baseParams('GET', '/healthz')).subarray(0, 13);
	await exchange(stack.socket, truncated, 1000).catch(() => {});
	for (let i = 0; i < 6; i++)
		assert.equal((await stack.fetch('/healthz')).status, 204);
	assert.equal(workerPids(stack).length, 2);
});

test('a worker killed with SIGKILL is replaced and the service goes on', async () => {
	const before = workerPids(stack);
	assert.equal(before.length, 2);
	process.kill(before[0], 'SIGKILL');
	let failures = 0;
	for (let i = 0; i < 20; i++) {
		const res = await stack.fetch('/healthz');
		if (res.status !== 204) failures++;
	}
	assert.ok(failures <= 1, `${failures} requests failed`);
	await waitFor('a replacement worker', () => {
		const now = workerPids(stack);
		return now.length === 2 && !now.includes(before[0]);
	});
	assert.ok(stack.daemon.output.includes('died of signal 9'));
});

test('SIGHUP rolls the workers without refusing a request', async () => {
	const before = workerPids(stack);
	const statuses = [];
	const load = (async () => {
		const end = Date.now() + 1500;
		while (Date.now() < end)
			statuses.push((await stack.fetch('/healthz')).status);
	})();
	await sleep(300);
	process.kill(stack.daemon.pid, 'SIGHUP');
	await load;
	assert.ok(statuses.length > 20);
	assert.deepEqual([...new Set(statuses)], [204]);
	await waitFor('new workers', () => {
		const now = workerPids(stack);
		return now.length === 2 && now.every((p) => !before.includes(p));
	});
	assert.ok(stack.daemon.output.includes('configuration reloaded'));
});

test('the database going away gives 503, and coming back heals without a restart', async () => {
	const daemonPid = stack.daemon.pid;
	await cluster.stop();
	const down = await stack.fetch('/healthz');
	const body = await down.json();
	assertErrorShape(body, down, 503, 'database_unavailable');
	await cluster.start();
	// Each worker spends at most one request noticing the new server (a
	// 503, as above); after that every request works.
	const workers = workerPids(stack).length;
	let failures = 0;
	for (let i = 0; i < 4 * workers; i++)
		if ((await stack.fetch('/healthz')).status !== 204) failures++;
	assert.ok(failures <= workers, `${failures} failures for ${workers} workers`);
	for (let i = 0; i < 4 * workers; i++)
		assert.equal((await stack.fetch('/healthz')).status, 204);
	assert.equal(stack.daemon.pid, daemonPid);
	assert.equal(stack.daemon.exitCode, null);
});

test('SIGTERM drains: no accepted request is cut, exit status 0', async () => {
	const statuses = [];
	const loops = Array.from({ length: 6 }, async () => {
		const end = Date.now() + 1200;
		while (Date.now() < end) {
			const res = await stack.fetch('/healthz');
			statuses.push(res.status);
			await res.arrayBuffer();
		}
	});
	await sleep(400);
	const exited = stack.stopDaemon('SIGTERM');
	await Promise.all(loops);
	const { code, signal } = await exited;
	assert.equal(signal, null);
	assert.equal(code, 0);
	// Before the stop: 204; after it nginx cannot connect: 503 JSON. Never
	// a request the workers accepted and then dropped.
	assert.ok(statuses.filter((s) => s === 204).length > 10);
	assert.deepEqual([...new Set(statuses)].filter((s) => s !== 204 && s !== 503), []);
	assert.doesNotMatch(stack.nginxLog(), /prematurely closed|reset by peer|broken pipe/i);
	// Start it again for any later test in this file.
	await stack.startDaemon();
	await waitFor('healthz', async () => (await stack.fetch('/healthz')).status === 204);
});
