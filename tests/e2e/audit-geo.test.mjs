// GeoLite2 locations in the audit log (spec §4.1 GEOLITE_DB_PATH, §8),
// end to end through nginx with a database written by lib/mmdb.mjs: a
// sign-in whose X-Forwarded-For (trusted: TRUST_PROXY) is a public
// address gets the database's country and city in the AuditLogDto;
// internal-network addresses keep their own names even when the
// database has them; the file is picked up when it appears, reloaded
// when replaced, and a broken or removed file gives no location, a clear
// log line and never a dead worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync, renameSync, rmSync, unlinkSync,
	utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from './lib/pg.mjs';
import { startStack, waitFor, workerPids } from './lib/stack.mjs';
import { client } from './lib/authenticator.mjs';
import { cityDatabase } from './lib/mmdb.mjs';

let cluster, stack, admin, userId, dir, dbPath, workersAtStart;
let generation = 0;

const FIRST = cityDatabase([
	{ network: '192.0.2.0/24', country: 'Testland', iso: 'TL', city: 'Exampleville' },
	{ network: '198.51.100.0/24', country: 'Südland', iso: 'SL', city: 'Zürich-Ost' },
	{ network: '203.0.113.0/24', country: 'Nocityland', iso: 'NC' },
	{ network: '2001:db8::/32', country: 'Sixland', iso: 'SX', city: 'Hexham' },
	// Never consulted: the internal network is named without the database.
	{ network: '10.0.0.0/8', country: 'Privatia', iso: 'PV', city: 'Hidden' },
	{ network: '100.64.0.0/10', country: 'Privatia', iso: 'PV', city: 'Hidden' },
]);
const SECOND = cityDatabase([
	{ network: '192.0.2.0/24', country: 'Otherland', iso: 'OL', city: 'Newtown' },
]);

// Replaces the database the way an update should (rename over it); the
// mtime moves on so that the change is seen even within one second.
function install(bytes) {
	const tmp = `${dbPath}.new`;
	writeFileSync(tmp, bytes);
	generation++;
	const t = new Date(Date.UTC(2030, 0, 1) + generation * 1000);
	utimesSync(tmp, t, t);
	renameSync(tmp, dbPath);
}

// A TOKEN_SIGN_IN audit event from ip; returns the user's audit row.
async function signInFrom(ip) {
	const code = await admin.post(`/api/users/${userId}/one-time-access-token`, { ttl: '10m' });
	assert.equal(code.status, 201, code.text);
	const c = client(stack.url);
	const r = await c.call('POST', `/api/one-time-access-token/${code.json.token}`,
		undefined, { 'x-forwarded-for': ip });
	assert.equal(r.status, 200, r.text);
	const list = await admin.get(`/api/audit-logs/all?filters[userID]=${userId}` +
		'&sort[column]=createdAt&sort[direction]=desc&pagination[limit]=1');
	assert.equal(list.status, 200, list.text);
	const row = list.json.data[0];
	assert.equal(row.ipAddress, ip);
	assert.equal(row.event, 'TOKEN_SIGN_IN');
	return row;
}

async function expectPlace(ip, country, city) {
	const row = await signInFrom(ip);
	assert.equal(row.country, country, `country of ${ip}`);
	assert.equal(row.city, city, `city of ${ip}`);
}

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'pocket-id-geo-'));
	dbPath = join(dir, 'GeoLite2-City.mmdb');
	cluster = await startCluster();
	const dbUrl = await cluster.createDatabase('auditgeo');
	stack = await startStack(dbUrl, { workers: 2, env: {
		TRUST_PROXY: '127.0.0.1',
		GEOLITE_DB_PATH: dbPath,
	} });
	// The master's start-up children (audit retention) come and go.
	await waitFor('two workers', async () => workerPids(stack).length === 2);
	workersAtStart = workerPids(stack).sort();
	admin = client(stack.url);
	const setup = await admin.post('/api/signup/setup',
		{ username: 'tim', email: 'tim@example.com', firstName: 'Tim', lastName: 'Admin' });
	assert.equal(setup.status, 200, setup.text);
	userId = randomUUID();
	await cluster.psql('auditgeo', `INSERT INTO users (id, username, email, display_name)
		VALUES ('${userId}', 'alice', 'alice@example.com', 'Alice')`);
});

after(async () => {
	await stack?.stop();
	await cluster?.destroy();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

test('geo: without a database file, public addresses get no location', async () => {
	await expectPlace('192.0.2.7', '', '');
	assert.match(stack.daemon.output, /GEOLITE_DB_PATH .*no database/);
});

test('geo: a database that appears is used: country and city by address', async () => {
	install(FIRST);
	await expectPlace('192.0.2.7', 'Testland', 'Exampleville');
	await expectPlace('198.51.100.20', 'Südland', 'Zürich-Ost');
	await expectPlace('203.0.113.9', 'Nocityland', '');	// country only
	await expectPlace('2001:db8::42', 'Sixland', 'Hexham');
	await expectPlace('8.8.8.8', '', '');	// not in the database
	// Both workers answer from the file (each has its own handle).
	for (let i = 0; i < 4; i++)
		await expectPlace(`192.0.2.${100 + i}`, 'Testland', 'Exampleville');
	assert.match(stack.daemon.output, /GEOLITE_DB_PATH .*loaded GeoLite2-City/);
});

test('geo: the internal network keeps its own names whatever the database says', async () => {
	await expectPlace('10.1.2.3', 'Internal Network', 'LAN');
	await expectPlace('100.100.1.1', 'Internal Network', 'Tailscale');
});

test('geo: the list filters and sorts by the database country', async () => {
	const r = await admin.get('/api/audit-logs/all?filters[location]=external&pagination[limit]=100');
	assert.equal(r.status, 200, r.text);
	const countries = new Set(r.json.data.map((e) => e.country));
	assert.ok(countries.has('Testland'));
	assert.ok(!countries.has('Internal Network'));
});

test('geo: a replaced file is reloaded without a restart', async () => {
	install(SECOND);
	for (let i = 0; i < 4; i++)
		await expectPlace(`192.0.2.${20 + i}`, 'Otherland', 'Newtown');
	await expectPlace('198.51.100.20', '', '');	// not in the new file
});

test('geo: a corrupt file is logged, gives no location and kills nothing', async () => {
	const before = stack.daemon.output.length;
	install(Buffer.from('this is not a MaxMind database\n'.repeat(20)));
	for (let i = 0; i < 4; i++)
		await expectPlace(`192.0.2.${40 + i}`, '', '');
	const log = stack.daemon.output.slice(before);
	assert.match(log, /GEOLITE_DB_PATH \S+GeoLite2-City\.mmdb: not a usable MaxMind database/);
	// One line per worker and change, not one per lookup.
	assert.ok(log.split('not a usable MaxMind database').length - 1 <= 2, log);
	assert.deepEqual(workerPids(stack).sort(), workersAtStart);
	assert.equal((await stack.fetch('/healthz')).status, 204);
	// A truncated real database is refused the same way.
	install(FIRST.subarray(0, FIRST.length - 40));
	await expectPlace('192.0.2.50', '', '');
	assert.deepEqual(workerPids(stack).sort(), workersAtStart);
});

test('geo: repaired, then removed: locations come back, then go', async () => {
	install(FIRST);
	await expectPlace('192.0.2.60', 'Testland', 'Exampleville');
	unlinkSync(dbPath);
	await waitFor('the lookups to stop', async () => (await signInFrom('192.0.2.61')).country === '');
	await expectPlace('192.0.2.62', '', '');
	assert.deepEqual(workerPids(stack).sort(), workersAtStart);
});
