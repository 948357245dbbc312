// nginx's cache in front of discovery and the JWKS
// (nginx/pocket-id-wellknown-cache.conf): answers come from the cache,
// only 200s are kept, a query string does not make a new entry, and a
// rotated key shows through the cache within its lifetime (the interplay
// with `key-rotate --prepublish` documented there and in the README).
// The stack's nginx is regenerated with a 2 s lifetime to keep this short.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster } from './lib/pg.mjs';
import { startStack, runPocketId, srcDir, waitFor } from './lib/stack.mjs';

const TTL_S = 2;
let cluster, stack;

before(async () => {
	cluster = await startCluster();
	stack = await startStack(await cluster.createDatabase('wkcache'), { workers: 2 });
	const ngDir = join(stack.dir, 'nginx');
	const uiRoot = readFileSync(join(ngDir, 'conf/pocket-id/pocket-id-locations.conf'),
		'utf8').match(/^root (.*);$/m)[1];
	execFileSync(join(srcDir, 'contrib/nginx-standalone'),
		[ngDir, String(stack.port), stack.socket, uiRoot], { env: {
			PATH: process.env.PATH, DISABLE_RATE_LIMITING: 'true',
			WELL_KNOWN_CACHE_SECONDS: String(TTL_S) } });
	stack.nginx.kill('SIGHUP');
	await waitFor('the cache after the reload', async () =>
		(await stack.fetch('/.well-known/jwks.json')).headers.get('x-cache-status') !== null);
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

async function get(path) {
	const res = await stack.fetch(path);
	return { res, status: res.status, cache: res.headers.get('x-cache-status'),
		text: await res.text() };
}
const kids = (text) => JSON.parse(text).keys.map((k) => k.kid);

test('discovery and the JWKS are answered from the cache with the workers\' headers', async () => {
	for (const path of ['/.well-known/jwks.json', '/.well-known/openid-configuration',
		'/.well-known/oauth-authorization-server']) {
		await sleep(TTL_S * 1000 + 1200); // expired (nginx counts whole seconds)
		const first = await get(path);
		assert.equal(first.status, 200);
		assert.notEqual(first.cache, 'HIT');
		const second = await get(path);
		assert.equal(second.cache, 'HIT', path);
		assert.equal(second.text, first.text);
		assert.equal(second.res.headers.get('cache-control'), 'public, max-age=300');
		assert.equal(second.res.headers.get('content-type'), first.res.headers.get('content-type'));
		assert.equal(second.res.headers.get('access-control-allow-origin'), '*');
		assert.equal(second.res.headers.get('x-content-type-options'), 'nosniff');
		// The path alone is the key: a query string is no way around it.
		assert.equal((await get(`${path}?x=${Math.random()}`)).cache, 'HIT');
	}
});

test('errors are not cached', async () => {
	const a = await get('/.well-known/nothing-here');
	const b = await get('/.well-known/nothing-here');
	assert.equal(a.status, 404);
	assert.equal(b.status, 404);
	assert.notEqual(b.cache, 'HIT');
});

test('a rotated key shows through the cache within its lifetime', async () => {
	await sleep(TTL_S * 1000 + 1200); // nginx counts whole seconds
	const primed = await get('/.well-known/jwks.json');
	const primedAt = Date.now();
	assert.notEqual(primed.cache, 'HIT', 'stored just now');
	const old = kids(primed.text);
	const r = await runPocketId(['key-rotate', '--alg', 'ES256', '-y'], stack.env);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const rotatedAt = Date.now();
	const fresh = kids((await get('/.well-known/jwks.json')).text);
	const kid = fresh.find((k) => !old.includes(k));
	if (Date.now() - primedAt < TTL_S * 1000 - 200)
		assert.equal(kid, undefined, 'the cached JWKS does not have it yet');
	let seenAt;
	await waitFor('the new key through the cache', async () => {
		const got = kids((await get('/.well-known/jwks.json')).text);
		if (got.length <= old.length) return false;
		seenAt = Date.now();
		return true;
	}, 10000);
	assert.ok(seenAt - rotatedAt <= TTL_S * 1000 + 1500,
		`seen ${seenAt - rotatedAt} ms after the rotation (lifetime ${TTL_S} s)`);
});

test('key-rotate --prepublish longer than the lifetime: the key is in the cached JWKS before it signs', async () => {
	const before = kids((await get('/.well-known/jwks.json')).text);
	const r = await runPocketId(['key-rotate', '--alg', 'ES256', '--prepublish', '6s', '-y'],
		stack.env);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const rotatedAt = Date.now();
	const kid = r.stdout.match(/new signing key (\S+) \(ES256\) is published now/)?.[1];
	assert.ok(kid, r.stdout);
	await waitFor('the pre-published key through the cache', async () =>
		kids((await get('/.well-known/jwks.json')).text).includes(kid), 10000);
	assert.ok(Date.now() - rotatedAt < 6000, 'published through the cache before signing');
	// Still not the signer: the first key of the JWKS is the one signing.
	assert.equal(kids((await get('/.well-known/jwks.json')).text)[0], before[0]);
});
