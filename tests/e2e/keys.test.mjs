// Signing keys and ENCRYPTION_KEY end to end (issue 3): the JWKS through
// nginx, the sealed key opened by an independent implementation (node's
// crypto, with Pocket ID's derivations), rotation with overlap noticed by
// running workers without a restart, a retired key dropping out, keys
// published ahead of use, a rotation missed while the connection was down,
// several daemons starting together on an empty database, a wrong
// ENCRYPTION_KEY refused at start, encryption-key-rotate (atomic, then only
// the new key opens the data) and a database that comes from Pocket ID.
//
// Signing: no endpoint signs tokens yet (the OIDC issue adds them), so the
// tests sign and verify through tests/helpers/keys_probe, which runs the
// workers' keyring code (src/keys/ring.c) against the same database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster } from './lib/pg.mjs';
import { binPath, runPocketId, startProcess, startStack, waitFor } from './lib/stack.mjs';
import { request, baseParams } from './lib/fcgi.mjs';

const PROBE = process.env.POCKET_ID_KEYS_PROBE ??
	join(dirname(binPath), 'tests/helpers/keys_probe');
const KEY1 = 'first-encryption-key-for-the-keys-test';
const KEY3 = 'the-rotated-encryption-key-0123456789';

let cluster, stack, dbUrl, probe, tmp;

// ---- helpers ---------------------------------------------------------------

// A running keys_probe: probe.send('kid') resolves to its answer line.
function startProbe(url, key) {
	const child = spawn(PROBE, [], { env: { PATH: process.env.PATH,
		DB_CONNECTION_STRING: url, ENCRYPTION_KEY: key } });
	const lines = readline.createInterface({ input: child.stdout });
	const waiting = [];
	lines.on('line', (line) => waiting.shift()?.(line));
	let stderr = '';
	child.stderr.on('data', (d) => { stderr += d; });
	return {
		send(cmd) {
			return new Promise((ok) => {
				waiting.push(ok);
				child.stdin.write(`${cmd}\n`);
			});
		},
		async value(cmd) {
			const line = await this.send(cmd);
			assert.match(line, /^ok /, `${cmd}: ${line}\n${stderr}`);
			return line.slice(3);
		},
		async close() {
			child.stdin.end();
			await new Promise((ok) => child.on('close', ok));
			return stderr;
		},
	};
}

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function fetchJwks() {
	const res = await stack.fetch('/.well-known/jwks.json');
	assert.equal(res.status, 200);
	return { res, body: await res.json() };
}

// Several fetches, so that every worker answers at least once (likely).
async function jwksKidsFromEveryWorker(times = 8) {
	const seen = [];
	for (let i = 0; i < times; i++) {
		const { body } = await fetchJwks();
		seen.push(body.keys.map((k) => k.kid).join(','));
	}
	return seen;
}

// Verifies a compact JWS against a JWKS, as a relying party would.
function verifyWithJwks(jwt, jwks) {
	const [h, p, s] = jwt.split('.');
	const header = JSON.parse(Buffer.from(h, 'base64url'));
	const jwk = jwks.keys.find((k) => k.kid === header.kid);
	if (!jwk) return false;
	assert.equal(jwk.alg, header.alg);
	const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
	const data = Buffer.from(`${h}.${p}`);
	const sig = Buffer.from(s, 'base64url');
	const hash = { RS256: 'sha256', ES256: 'sha256', ES384: 'sha384',
		EdDSA: null }[header.alg];
	return crypto.verify(hash, data, header.alg.startsWith('ES') ?
		{ key, dsaEncoding: 'ieee-p1363' } : key, sig);
}

// Pocket ID's sealing (spec §4.3), written independently of our C code.
function kek(encryptionKey, instanceId) {
	return crypto.createHmac('sha3-256', encryptionKey)
		.update(`pocketid/${instanceId}/jwk-kek`).digest();
}
function seal(key, plain) {
	const nonce = crypto.randomBytes(12);
	const c = crypto.createCipheriv('aes-256-gcm', key, nonce);
	const body = Buffer.concat([c.update(plain), c.final()]);
	return Buffer.concat([nonce, body, c.getAuthTag()]).toString('base64');
}
function open(key, sealed) {
	const raw = Buffer.from(sealed, 'base64');
	const d = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
	d.setAuthTag(raw.subarray(raw.length - 16));
	return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)),
		d.final()]).toString('utf8');
}

async function kv(db, key) {
	return cluster.psql(db, `SELECT value FROM kv WHERE key = '${key}'`);
}

// "pocket-id serve" alone (no nginx) on its own socket.
async function startDaemon(url, encryptionKey, workers = 1) {
	const dir = mkdtempSync(join(tmpdir(), 'pocket-id-keys-'));
	const socket = join(dir, 'fcgi.sock');
	const child = startProcess(binPath, ['serve'], { env: {
		PATH: process.env.PATH, APP_URL: 'http://127.0.0.1:1411',
		ENCRYPTION_KEY: encryptionKey, DB_CONNECTION_STRING: url,
		FCGI_LISTEN: `unix:${socket}`, WORKERS: String(workers),
		POCKET_ID_CONFIG_FILE: '/dev/null', LOG_LEVEL: 'info' } });
	await waitFor('the daemon', async () => {
		if (child.exitCode !== null)
			throw new Error(`daemon exited:\n${child.output}`);
		return existsSync(socket);
	}, 30000);
	return {
		child, socket,
		async jwks() {
			const r = await request(socket, baseParams('GET',
				'/.well-known/jwks.json'));
			assert.equal(r.status, 200, r.raw);
			return JSON.parse(r.body);
		},
		async stop() {
			child.kill('SIGTERM');
			await child.exited;
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

// "pocket-id serve" that must refuse to start: resolves to its output.
async function serveRefused(url, encryptionKey) {
	const child = startProcess(binPath, ['serve'], { env: {
		PATH: process.env.PATH, APP_URL: 'http://127.0.0.1:1411',
		ENCRYPTION_KEY: encryptionKey, DB_CONNECTION_STRING: url,
		FCGI_LISTEN: `unix:${join(tmp, 'refused.sock')}`,
		POCKET_ID_CONFIG_FILE: '/dev/null' } });
	const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
	const { code } = await child.exited;
	clearTimeout(timer);
	assert.equal(code, 1, `serve should refuse:\n${child.output}`);
	return child.output;
}

function assertWrongKeyMessage(output) {
	assert.match(output, /ENCRYPTION_KEY does not open the secrets/);
	assert.match(output, /back to the key used before/);
	assert.match(output, /pocket-id encryption-key-rotate/);
}

// ---- the tests --------------------------------------------------------------

before(async () => {
	assert.ok(existsSync(PROBE), `${PROBE} not found (make check builds it)`);
	tmp = mkdtempSync(join(tmpdir(), 'pocket-id-keys-test-'));
	cluster = await startCluster();
	dbUrl = await cluster.createDatabase('keys');
	stack = await startStack(dbUrl, { workers: 2, env: { ENCRYPTION_KEY: KEY1 } });
	probe = startProbe(dbUrl, KEY1);
});

after(async () => {
	await probe?.close();
	await stack?.stop();
	await cluster?.destroy();
	if (tmp) rmSync(tmp, { recursive: true, force: true });
});

let kidA, jwtA;

test('first start: one RS256 / RSA-2048 key, served as a JWKS with a short public cache', async () => {
	const { res, body } = await fetchJwks();
	assert.match(res.headers.get('content-type'), /^application\/json/);
	assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
	assert.equal(res.headers.get('access-control-allow-origin'), '*');
	assert.equal(body.keys.length, 1);
	const [k] = body.keys;
	assert.equal(k.kty, 'RSA');
	assert.equal(k.use, 'sig');
	assert.equal(k.alg, 'RS256');
	assert.match(k.kid, /^[A-Za-z0-9_-]{11}$/);	// 8 random bytes
	assert.equal(k.e, 'AQAB');
	assert.equal(Buffer.from(k.n, 'base64url').length, 256);	// 2048 bits
	for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
		assert.equal(k[secret], undefined, `JWKS leaks ${secret}`);
	kidA = k.kid;
	assert.equal(await cluster.psql('keys', 'SELECT count(*) FROM signing_keys'), '1');
	// HEAD: the same headers, no body.
	const head = await stack.fetch('/.well-known/jwks.json', { method: 'HEAD' });
	assert.equal(head.status, 200);
	assert.equal((await head.arrayBuffer()).byteLength, 0);
});

test('the stored key is sealed the way Pocket ID seals it', async () => {
	const instanceId = await kv('keys', 'instance_id');
	assert.match(instanceId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	const sealed = await kv('keys', 'jwt_private_key.json');
	assert.equal(sealed, await cluster.psql('keys',
		`SELECT sealed_jwk FROM signing_keys WHERE kid = '${kidA}'`));
	const jwk = JSON.parse(open(kek(KEY1, instanceId), sealed));
	assert.equal(jwk.kid, kidA);
	assert.equal(jwk.kty, 'RSA');
	assert.equal(jwk.alg, 'RS256');
	assert.equal(jwk.use, 'sig');
	assert.ok(jwk.d && jwk.p && jwk.q, 'the sealed JWK is the private key');
	const { body } = await fetchJwks();
	assert.equal(jwk.n, body.keys[0].n);
	assert.notEqual(await kv('keys', 'encryption_key_check'), '');
	// Another ENCRYPTION_KEY does not open it.
	assert.throws(() => open(kek(KEY3, instanceId), sealed));
});

test('key-rotate: every worker serves the new key at once, the old one keeps verifying', async () => {
	assert.equal(await probe.send('refresh'), 'ok');
	assert.equal(await probe.value('kid'), kidA);
	const claims = { sub: 'user-1', iat: now(), exp: now() + 3600 };
	jwtA = await probe.value(`sign ${JSON.stringify(claims)}`);
	assert.ok(verifyWithJwks(jwtA, (await fetchJwks()).body));

	const r = await runPocketId(['key-rotate', '--alg', 'ES256', '-y'], stack.env);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const kidB = r.stdout.match(/new signing key (\S+) \(ES256\) signs new tokens now/)?.[1];
	assert.ok(kidB, r.stdout);
	assert.match(r.stdout, new RegExp(`previous key ${kidA} stays in the JWKS and verifies until`));

	// No restart: the running workers serve both, the new one first (the
	// notification reaches them within milliseconds of the commit).
	await waitFor('the new key in the JWKS', async () =>
		(await fetchJwks()).body.keys[0].kid === kidB);
	for (const kids of await jwksKidsFromEveryWorker())
		assert.equal(kids, `${kidB},${kidA}`);
	const { body } = await fetchJwks();
	const b = body.keys[0];
	assert.deepEqual([b.kty, b.crv, b.alg, b.use], ['EC', 'P-256', 'ES256', 'sig']);
	assert.equal(b.d, undefined);

	// The keyring noticed (NOTIFY) and signs with B; A's token verifies
	// against the served JWKS and in the keyring.
	assert.equal(await probe.send('refresh'), 'ok');
	assert.equal(await probe.value('kid'), kidB);
	const jwtB = await probe.value(`sign ${JSON.stringify(claims)}`);
	assert.equal(JSON.parse(Buffer.from(jwtB.split('.')[0], 'base64url')).kid, kidB);
	assert.ok(verifyWithJwks(jwtA, body), 'pre-rotation token verifies');
	assert.ok(verifyWithJwks(jwtB, body), 'post-rotation token verifies');
	assert.equal(await probe.send(`verify ${jwtA}`), 'ok');
	assert.equal(await probe.send(`verify ${jwtB}`), 'ok');

	// The overlap covers the longest token lifetime (1 h) plus 5 min.
	const left = Number(await cluster.psql('keys', `SELECT extract(epoch FROM
		verify_until - retired_at)::int FROM signing_keys WHERE kid = '${kidA}'`));
	assert.equal(left, 3600 + 300);
	// kv holds the newest key for Pocket ID's export.
	const jwk = JSON.parse(open(kek(KEY1, await kv('keys', 'instance_id')),
		await kv('keys', 'jwt_private_key.json')));
	assert.equal(jwk.kid, kidB);
});

test('a retired key drops out of the JWKS once its verify_until has passed', async () => {
	await cluster.psql('keys', `UPDATE signing_keys SET
		retired_at = now() - interval '2 hours',
		verify_until = now() - interval '1 second' WHERE kid = '${kidA}';
		NOTIFY pocketid_signing_keys`);
	await waitFor('the JWKS without the old key', async () =>
		(await fetchJwks()).body.keys.every((k) => k.kid !== kidA));
	for (const kids of await jwksKidsFromEveryWorker())
		assert.ok(!kids.includes(kidA), kids);
	assert.equal(await probe.send('refresh'), 'ok');
	assert.match(await probe.send(`verify ${jwtA}`), /^error .*no longer published/);
	// The next rotation removes it from the database.
	const r = await runPocketId(['key-rotate', '-a', 'es384', '-y'], stack.env);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.equal(await cluster.psql('keys',
		`SELECT count(*) FROM signing_keys WHERE kid = '${kidA}'`), '0');
});

test('key-rotate --prepublish: published at once, signing only later', async () => {
	assert.equal(await probe.send('refresh'), 'ok');
	const before = await probe.value('kid');
	const r = await runPocketId(['key-rotate', '--alg=EdDSA', '--crv', 'Ed25519',
		'--prepublish', '3s', '-y'], stack.env);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const kidC = r.stdout.match(/new signing key (\S+) \(EdDSA\) is published now/)?.[1];
	assert.ok(kidC, r.stdout);
	await waitFor('the pre-published key in the JWKS', async () =>
		(await fetchJwks()).body.keys.some((k) => k.kid === kidC));
	for (const kids of await jwksKidsFromEveryWorker(4)) {
		assert.ok(kids.startsWith(`${before},`), kids);
		assert.ok(kids.includes(kidC), kids);
	}
	assert.equal(await probe.send('refresh'), 'ok');
	assert.equal(await probe.value('kid'), before);
	await sleep(3500);
	// The clock alone makes it the signer (and first in the JWKS).
	assert.equal(await probe.value('kid'), kidC);
	const jwk = (await fetchJwks()).body.keys[0];
	assert.deepEqual([jwk.kid, jwk.kty, jwk.crv, jwk.alg], [kidC, 'OKP', 'Ed25519', 'EdDSA']);
	const jwt = await probe.value(`sign {"sub":"eddsa"}`);
	assert.ok(verifyWithJwks(jwt, (await fetchJwks()).body));
});

test('a rotation made while the workers\' connections were down is noticed', async () => {
	await cluster.stop();
	await cluster.start();
	// The workers' LISTEN died with their connections: nobody hears this.
	const r = await runPocketId(['key-rotate', '--alg', 'RS256', '-y'], stack.env);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const kidD = r.stdout.match(/new signing key (\S+)/)[1];
	// Each worker finds its connection lost before its next request and
	// reloads; every answer has the new key.
	for (const kids of await jwksKidsFromEveryWorker())
		assert.ok(kids.startsWith(`${kidD},`), kids);
	assert.equal(await probe.send('refresh'), 'ok');
	assert.equal(await probe.value('kid'), kidD);
});

test('wrong or unusable key-rotate arguments are refused', async () => {
	for (const args of [['--alg', 'HS256'], ['--alg', 'PS256'], ['--alg', 'EdDSA', '--crv', 'X25519']]) {
		const r = await runPocketId(['key-rotate', ...args, '-y'], stack.env);
		assert.equal(r.code, 1, args.join(' '));
		assert.match(r.stderr, /unsupported/);
	}
	assert.equal((await runPocketId(['key-rotate', '--prepublish', 'soon', '-y'], stack.env)).code, 2);
	// Without a terminal and without -y nothing happens.
	const count = await cluster.psql('keys', 'SELECT count(*) FROM signing_keys');
	const r = await runPocketId(['key-rotate'], stack.env);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /pass -y/);
	assert.equal(await cluster.psql('keys', 'SELECT count(*) FROM signing_keys'), count);
	// With a wrong ENCRYPTION_KEY it refuses and says why.
	const w = await runPocketId(['key-rotate', '-y'], { ...stack.env, ENCRYPTION_KEY: KEY3 });
	assert.equal(w.code, 1);
	assertWrongKeyMessage(w.stderr);
	assert.equal(await cluster.psql('keys', 'SELECT count(*) FROM signing_keys'), count);
});

test('serve refuses a wrong ENCRYPTION_KEY with the way out', async () => {
	const out = await serveRefused(dbUrl, KEY3);
	assertWrongKeyMessage(out);
	assert.doesNotMatch(out, new RegExp(KEY3));
});

test('encryption-key-rotate: atomic; afterwards only the new key opens the data', async () => {
	const sealed = () => cluster.psql('keys', `SELECT string_agg(v, ' ' ORDER BY v) FROM (
		SELECT sealed_jwk v FROM signing_keys UNION ALL
		SELECT value FROM kv WHERE key IN ('jwt_private_key.json', 'encryption_key_check')) s`);
	const kidsBefore = (await fetchJwks()).body.keys.map((k) => k.kid).sort();
	await stack.stopDaemon();

	// A row that does not open makes the whole run fail: nothing changes.
	const start = await sealed();
	await cluster.psql('keys', `INSERT INTO signing_keys (kid, alg, sealed_jwk,
		signs_from, retired_at, verify_until) VALUES ('damaged', 'ES256',
		'${crypto.randomBytes(80).toString('base64')}', now() - interval '1 day',
		now() - interval '1 hour', now() + interval '1 hour')`);
	const failed = await runPocketId(['encryption-key-rotate', '--new-key', KEY3, '-y'],
		stack.env);
	assert.equal(failed.code, 1, failed.stdout);
	assert.match(failed.stderr, /nothing was changed/);
	await cluster.psql('keys', "DELETE FROM signing_keys WHERE kid = 'damaged'");
	assert.equal(await sealed(), start);

	// The same key again, or too short a key, is refused.
	assert.equal((await runPocketId(['encryption-key-rotate', '--new-key', KEY1, '-y'], stack.env)).code, 1);
	assert.equal((await runPocketId(['encryption-key-rotate', '--new-key', 'short', '-y'], stack.env)).code, 1);
	assert.equal((await runPocketId(['encryption-key-rotate', '-y'], stack.env)).code, 2);

	// From a file, byte for byte.
	const file = join(tmp, 'new-key');
	writeFileSync(file, KEY3, { mode: 0o600 });
	const r = await runPocketId(['encryption-key-rotate', '--new-key-file', file, '-y'], stack.env);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /re-sealed \d+ signing keys and the key check value/);
	const after = await sealed();
	for (const value of start.split(' '))
		assert.ok(!after.includes(value), 'every sealed value changed');
	const instanceId = await kv('keys', 'instance_id');
	const kvSealed = await kv('keys', 'jwt_private_key.json');
	assert.throws(() => open(kek(KEY1, instanceId), kvSealed));

	// The old key is refused now, the new one works, with the same keys.
	assertWrongKeyMessage(await serveRefused(dbUrl, KEY1));
	stack.env.ENCRYPTION_KEY = KEY3;
	await stack.startDaemon();
	await waitFor('the JWKS', async () => (await stack.fetch('/.well-known/jwks.json')).status === 200);
	assert.deepEqual((await fetchJwks()).body.keys.map((k) => k.kid).sort(), kidsBefore);
	const jwk = JSON.parse(open(kek(KEY3, instanceId), await kv('keys', 'jwt_private_key.json')));
	assert.ok(kidsBefore.includes(jwk.kid));
});

test('several daemons starting together on an empty database make exactly one key', async () => {
	const url = await cluster.createDatabase('keys_race');
	const daemons = await Promise.all([1, 2, 3].map(() => startDaemon(url, KEY1)));
	try {
		assert.equal(await cluster.psql('keys_race', 'SELECT count(*) FROM signing_keys'), '1');
		const kids = await Promise.all(daemons.map(async (d) =>
			(await d.jwks()).keys.map((k) => k.kid).join(',')));
		assert.equal(new Set(kids).size, 1, kids.join(' '));
		assert.equal(await cluster.psql('keys_race',
			"SELECT count(*) FROM kv WHERE key = 'encryption_key_check'"), '1');
	} finally {
		await Promise.all(daemons.map((d) => d.stop()));
	}
});

test('a database from Pocket ID (sealed key in kv, no check value) opens with its key', async () => {
	const url = await cluster.createDatabase('from_pocket_id');
	const m = await runPocketId(['migrate'], { DB_CONNECTION_STRING: url,
		POCKET_ID_CONFIG_FILE: '/dev/null' });
	assert.equal(m.code, 0, m.stdout + m.stderr);
	// What Pocket ID leaves behind, made here with node's crypto.
	const pocketIdKey = 'the-encryption-key-pocket-id-had';
	const instanceId = crypto.randomUUID();
	const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'pocketidkid',
		use: 'sig', alg: 'RS256' };
	const sealedKey = seal(kek(pocketIdKey, instanceId), `${JSON.stringify(jwk)}\n`);
	await cluster.psql('from_pocket_id', `INSERT INTO kv (key, value) VALUES
		('instance_id', '${instanceId}'), ('jwt_private_key.json', '${sealedKey}')`);

	// Without a check value, opening the key decides.
	assertWrongKeyMessage(await serveRefused(url, KEY1));
	assert.equal(await cluster.psql('from_pocket_id',
		"SELECT count(*) FROM kv WHERE key = 'encryption_key_check'"), '0');
	assert.equal(await cluster.psql('from_pocket_id', 'SELECT count(*) FROM signing_keys'), '0');

	const d = await startDaemon(url, pocketIdKey);
	try {
		const { keys } = await d.jwks();
		assert.equal(keys.length, 1);
		assert.deepEqual([keys[0].kid, keys[0].alg, keys[0].use, keys[0].n],
			['pocketidkid', 'RS256', 'sig', jwk.n]);
		assert.equal(await cluster.psql('from_pocket_id',
			"SELECT count(*) FROM kv WHERE key = 'encryption_key_check'"), '1');
		assert.equal(await kv('from_pocket_id', 'jwt_private_key.json'), sealedKey);
	} finally {
		await d.stop();
	}
	// From now on the check value decides.
	assertWrongKeyMessage(await serveRefused(url, KEY1));
});
