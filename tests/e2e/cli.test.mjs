// The command line and the settings as a person meets them: serve refusing
// bad settings with messages that name the setting and the fix, config
// check and dump, healthcheck as a probe, the README's settings table kept
// in step with the code, worker recycling, the rate limits, and two
// daemons starting together on one empty database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from './lib/pg.mjs';
import { startStack, runPocketId, srcDir, workerPids, waitFor } from './lib/stack.mjs';

let cluster, dbUrl;
const goodEnv = () => ({
	APP_URL: 'https://id.example.com',
	ENCRYPTION_KEY: 'a-test-key-of-24-bytes!!',
	DB_CONNECTION_STRING: dbUrl,
	POCKET_ID_CONFIG_FILE: '/dev/null',
});

before(async () => {
	cluster = await startCluster();
	dbUrl = await cluster.createDatabase('cli');
});
after(async () => { await cluster?.destroy(); });

test('serve refuses bad settings and names each one with its fix', async () => {
	const cases = [
		[{ APP_URL: 'https://id.example.com/' }, /APP_URL.*must not end with "\/".*https:\/\/id\.example\.com/],
		[{ APP_URL: 'id.example.com' }, /APP_URL/],
		[{ APP_URL: 'https://id.example.com/auth' }, /APP_URL.*path/],
		[{ ENCRYPTION_KEY: 'short' }, /ENCRYPTION_KEY.*16/],
		[{ ENCRYPTION_KEY: '' }, /ENCRYPTION_KEY/],
		[{ DB_CONNECTION_STRING: 'data/pocket-id.db' }, /DB_CONNECTION_STRING.*PostgreSQL/],
		[{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
		[{ WORKERS: '0' }, /WORKERS/],
	];
	for (const [override, message] of cases) {
		const { code, stderr } = await runPocketId(['serve'], { ...goodEnv(), ...override });
		assert.equal(code, 1, `${JSON.stringify(override)} should be refused`);
		assert.match(stderr, message);
		assert.match(stderr, /not starting/);
		// A secret's value is never echoed back.
		if (override.ENCRYPTION_KEY) assert.ok(!stderr.includes(`"${override.ENCRYPTION_KEY}"`));
	}
});

test('every problem is reported at once', async () => {
	const { code, stderr } = await runPocketId(['config', 'check'], { ...goodEnv(),
		APP_URL: 'ftp://x', ENCRYPTION_KEY: 'short', WORKERS: '9999' });
	assert.equal(code, 1);
	for (const name of ['APP_URL', 'ENCRYPTION_KEY', 'WORKERS']) assert.match(stderr, new RegExp(name));
});

test('config check passes a good configuration; dump redacts secrets', async () => {
	const check = await runPocketId(['config', 'check'], goodEnv());
	assert.equal(check.code, 0, check.stderr);
	assert.match(check.stdout, /configuration OK/);
	const dump = await runPocketId(['config', 'dump'], goodEnv());
	assert.equal(dump.code, 0);
	assert.match(dump.stdout, /^APP_URL=https:\/\/id\.example\.com/m);
	assert.match(dump.stdout, /^ENCRYPTION_KEY=.*redacted/m);
	assert.ok(!dump.stdout.includes('a-test-key-of-24-bytes!!'));
});

test('settings come from the config file; the environment wins', async () => {
	const file = join(cluster.dir, 'pocket-id.conf');
	writeFileSync(file, 'APP_URL=https://from-file.example.com\nWORKERS=3\n');
	const env = { ...goodEnv(), POCKET_ID_CONFIG_FILE: file };
	delete env.APP_URL;
	const dump = await runPocketId(['config', 'dump'], { ...env, WORKERS: '5' });
	assert.match(dump.stdout, /^APP_URL=https:\/\/from-file\.example\.com/m);
	assert.match(dump.stdout, /^WORKERS=5/m);
});

test('the README settings table is the one the code generates', async () => {
	const { stdout } = await runPocketId(['config', 'markdown'], {});
	const readme = readFileSync(join(srcDir, 'README.md'), 'utf8');
	const inReadme = readme.split('<!-- settings:begin -->\n')[1]?.split('<!-- settings:end -->')[0];
	assert.equal(inReadme, stdout, 'run contrib/update-readme to regenerate the table');
});

test('healthcheck exits 0 while the service answers, 1 when it does not', async () => {
	const stack = await startStack(await cluster.createDatabase('health'), { workers: 1 });
	try {
		const up = await runPocketId(['healthcheck', '-v'], { HEALTHCHECK_URL: `${stack.url}/healthz`,
			POCKET_ID_CONFIG_FILE: '/dev/null' });
		assert.equal(up.code, 0, up.stderr);
		await stack.stopDaemon();
		const down = await runPocketId(['healthcheck'], { HEALTHCHECK_URL: `${stack.url}/healthz`,
			POCKET_ID_CONFIG_FILE: '/dev/null' });
		assert.equal(down.code, 1);
		assert.match(down.stderr, /HTTP 503/);
	} finally {
		await stack.stop();
	}
});

test('workers are recycled after WORKER_MAX_REQUESTS without failing a request', async () => {
	const stack = await startStack(await cluster.createDatabase('recycle'),
		{ workers: 2, env: { WORKER_MAX_REQUESTS: '5' } });
	try {
		const first = workerPids(stack);
		for (let i = 0; i < 40; i++)
			assert.equal((await stack.fetch('/healthz')).status, 204);
		await waitFor('recycled workers', () => {
			const now = workerPids(stack);
			return now.length === 2 && now.every((p) => !first.includes(p));
		});
		assert.doesNotMatch(stack.daemon.output, /died of signal|exited with status/);
	} finally {
		await stack.stop();
	}
});

test('rate limits answer 429 in the JSON error shape with Retry-After', async () => {
	const stack = await startStack(await cluster.createDatabase('ratelimit'),
		{ workers: 1, rateLimit: true });
	try {
		const statuses = [];
		let limited;
		for (let i = 0; i < 12; i++) {
			const res = await stack.fetch('/api/webauthn/reauthenticate', { method: 'POST' });
			statuses.push(res.status);
			if (res.status === 429) limited = { res, body: await res.json() };
		}
		// Burst 5 at one per 10 s: the first requests pass, then 429s.
		assert.ok(statuses.slice(0, 5).every((s) => s !== 429), statuses.join());
		assert.ok(limited, `no 429 in ${statuses.join()}`);
		assert.equal(limited.body.code, 'rate_limited');
		assert.equal(limited.body.request_id, limited.res.headers.get('x-request-id'));
		assert.ok(Number(limited.res.headers.get('retry-after')) > 0);
		// /healthz is never limited.
		for (let i = 0; i < 50; i++)
			assert.equal((await stack.fetch('/healthz')).status, 204);
	} finally {
		await stack.stop();
	}
});

test('two daemons starting together on an empty database both come up', async () => {
	const url = await cluster.createDatabase('twins');
	// Replicas of one installation share ENCRYPTION_KEY (a different one
	// is refused at start: tests/e2e/keys.test.mjs).
	const env = { ENCRYPTION_KEY: 'twins-share-this-encryption-key' };
	const [a, b] = await Promise.all([startStack(url, { workers: 1, env }),
		startStack(url, { workers: 1, env })]);
	try {
		assert.equal((await a.fetch('/healthz')).status, 204);
		assert.equal((await b.fetch('/healthz')).status, 204);
		const applied = await cluster.psql('twins',
			'SELECT count(*) FROM schema_migrations_pocketid');
		const files = (await runPocketId(['migrate', '--check'], { DB_CONNECTION_STRING: url,
			POCKET_ID_CONFIG_FILE: '/dev/null' }));
		assert.equal(files.code, 0, files.stdout + files.stderr);
		assert.ok(Number(applied) >= 1);
	} finally {
		await a.stop();
		await b.stop();
	}
});

test('a SIGHUP that would change ENCRYPTION_KEY keeps the running configuration', async () => {
	const keyFile = join(cluster.dir, 'encryption-key');
	writeFileSync(keyFile, 'the-original-key-0123456789');
	const stack = await startStack(await cluster.createDatabase('hupkey'),
		{ workers: 1, env: { ENCRYPTION_KEY: '', ENCRYPTION_KEY_FILE: keyFile } });
	try {
		writeFileSync(keyFile, 'another-key-entirely-0123456789');
		process.kill(stack.daemon.pid, 'SIGHUP');
		await waitFor('the refusal in the log', () =>
			stack.daemon.output.includes('ENCRYPTION_KEY changed'));
		const jwks = await stack.fetch('/.well-known/jwks.json');
		assert.equal(jwks.status, 200);
		assert.equal((await jwks.json()).keys.length, 1);
	} finally {
		await stack.stop();
	}
});
