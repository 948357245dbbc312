// Signing in, end to end through nginx and the workers: first-admin setup
// (race-free), sessions (cookie and Bearer, ended for real by sign-out),
// passkey registration and login with a software authenticator, the
// guards, login codes (admin route and CLI), re-authentication, and
// ceremonies that start on one replica and finish on another.
import { test, before, after } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startCluster } from './lib/pg.mjs';
import { startStack, runPocketId } from './lib/stack.mjs';
import { SoftAuthenticator, client, CookieJar } from './lib/authenticator.mjs';

let cluster, dbUrl, stack, replica, admin, adminUser, passkey, aaguidFile;
const NAMED_AAGUID = '11111111-1111-1111-1111-111111111111';
const STATIC_KEY = 'static-api-key-for-tests-0123456789';

before(async () => {
	cluster = await startCluster();
	dbUrl = await cluster.createDatabase('auth');
	aaguidFile = join(cluster.dir, 'aaguids.json');
	writeFileSync(aaguidFile, JSON.stringify({ [NAMED_AAGUID]: { name: 'Test Key 11',
		icon_light: 'data:,' } }));
	stack = await startStack(dbUrl, { workers: 2, env: { STATIC_API_KEY: STATIC_KEY,
		PASSKEY_AAGUID_FILE: aaguidFile } });
	// A second replica on the same database, with the same APP_URL.
	replica = await startStack(dbUrl, { workers: 1, env: { APP_URL: stack.env.APP_URL,
		ENCRYPTION_KEY: stack.env.ENCRYPTION_KEY, PASSKEY_AAGUID_FILE: aaguidFile } });
	passkey = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url });
});
after(async () => {
	await replica?.stop();
	await stack?.stop();
	await cluster?.destroy();
});

const setupBody = { username: 'tim', email: 'tim.cook@test.com', firstName: 'Tim', lastName: 'Cook' };

test('before setup: setup is available and nobody is signed in', async () => {
	const c = client(stack.url);
	assert.equal((await c.get('/api/signup/setup')).status, 204);
	const me = await c.get('/api/users/me');
	assert.equal(me.status, 401);
	assert.equal(me.json.code, 'not_signed_in');
});

test('setup refuses a bad body with the field named', async () => {
	const c = client(stack.url);
	let r = await c.post('/api/signup/setup', { email: 'x@y.z' });
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'validation_failed');
	assert.equal(r.json.details.fields[0].field, 'username');
	r = await c.post('/api/signup/setup', { username: '-bad-' });
	assert.equal(r.json.details.fields[0].code, 'invalid_format');
	r = await c.post('/api/signup/setup', { username: 'ok', email: 'not-an-email' });
	assert.equal(r.json.details.fields[0].field, 'email');
	r = await c.call('POST', '/api/signup/setup', undefined, { 'content-type': 'text/plain' });
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'invalid_request_body');
});

test('20 concurrent setups create exactly one admin', async () => {
	const results = await Promise.all(Array.from({ length: 20 }, (_, i) => {
		const c = client(i % 2 ? replica.url : stack.url, undefined, stack.url);
		return c.post('/api/signup/setup', setupBody).then((r) => ({ r, c }));
	}));
	const ok = results.filter(({ r }) => r.status === 200);
	assert.equal(ok.length, 1);
	for (const { r } of results.filter(({ r }) => r.status !== 200)) {
		assert.equal(r.status, 409);
		assert.equal(r.json.code, 'setup_already_completed');
	}
	admin = ok[0].c;
	adminUser = ok[0].r.json;
	assert.equal(adminUser.username, 'tim');
	assert.equal(adminUser.isAdmin, true);
	assert.equal(adminUser.displayName, 'Tim Cook');
	assert.deepEqual(adminUser.customClaims, []);
	assert.deepEqual(adminUser.userGroups, []);
	for (const f of ['id', 'email', 'emailVerified', 'firstName', 'lastName', 'locale', 'ldapId', 'disabled'])
		assert.ok(f in adminUser, `UserDto has ${f}`);
	assert.ok(admin.jar.get('access_token'), 'the session cookie is set');
	const again = await client(stack.url).get('/api/signup/setup');
	assert.equal(again.status, 404);
	assert.equal(again.json.code, 'setup_not_available');
});

test('the session works by cookie and by Bearer, on every replica', async () => {
	assert.equal((await admin.get('/api/users/me')).json.id, adminUser.id);
	const bearer = await fetch(`${replica.url}/api/users/me`,
		{ headers: { authorization: `Bearer ${admin.jar.get('access_token')}` } });
	assert.equal(bearer.status, 200);
	assert.equal((await bearer.json()).username, 'tim');
	const garbage = await fetch(`${stack.url}/api/users/me`, { headers: { authorization: 'Bearer nope' } });
	assert.equal(garbage.status, 401);
});

test('a cookie-authenticated change from another origin is refused', async () => {
	const r = await admin.call('POST', '/api/webauthn/logout', undefined,
		{ origin: 'https://evil.example' });
	assert.equal(r.status, 403);
	assert.equal((await admin.get('/api/users/me')).status, 200, 'still signed in');
});

test('passkey registration, started on one replica and finished on another', async () => {
	const start = await admin.get('/api/webauthn/register/start');
	assert.equal(start.status, 200);
	const o = start.json;
	assert.equal(o.rp.id, '127.0.0.1');
	assert.equal(o.rp.name, 'Pocket ID');
	assert.equal(Buffer.from(o.user.id, 'base64url').toString(), adminUser.id);
	assert.equal(o.authenticatorSelection.residentKey, 'required');
	assert.equal(o.authenticatorSelection.userVerification, 'required');
	assert.deepEqual(o.excludeCredentials, []);
	assert.ok(o.pubKeyCredParams.some((p) => p.alg === -7));
	const cross = client(replica.url, admin.jar, stack.url);
	const finish = await cross.post('/api/webauthn/register/finish', passkey.register(o));
	assert.equal(finish.status, 200, finish.text);
	assert.equal(finish.json.name, 'New Passkey');
	assert.equal(finish.json.attestationType, 'none');
	assert.deepEqual(finish.json.transport, ['internal']);
	const list = await admin.get('/api/webauthn/credentials');
	assert.equal(list.json.length, 1);
	const next = await admin.get('/api/webauthn/register/start');
	assert.equal(next.json.excludeCredentials.length, 1);
});

test('a ceremony is single use and bound to its cookie', async () => {
	const start = await admin.get('/api/webauthn/register/start');
	const response = passkey.register(start.json);
	const saved = admin.jar.get('session');
	assert.equal((await admin.post('/api/webauthn/register/finish', response)).status, 200);
	admin.jar.cookies.set('session', saved);
	const replay = await admin.post('/api/webauthn/register/finish', response);
	assert.equal(replay.status, 400);
	assert.equal(replay.json.code, 'invalid_webauthn_session');
	admin.jar.cookies.delete('session');
	const none = await admin.post('/api/webauthn/register/finish', response);
	assert.equal(none.json.code, 'missing_session_id');
	passkey.credentials.pop();
});

test('passkey login signs in with amr phr; a wrong origin or challenge fails', async () => {
	const c = client(stack.url);
	const start = await c.get('/api/webauthn/login/start');
	assert.equal(start.status, 200);
	assert.equal(start.json.rpId, '127.0.0.1');
	const bad = await c.post('/api/webauthn/login/finish', passkey.assert(start.json,
		{ origin: 'https://phish.example' }));
	assert.equal(bad.status, 401);
	assert.equal(bad.json.code, 'webauthn_authentication_failed');
	const start2 = await c.get('/api/webauthn/login/start');
	const wrong = await c.post('/api/webauthn/login/finish', passkey.assert({ challenge: 'AAAA' }));
	assert.equal(wrong.status, 401);
	const start3 = await c.get('/api/webauthn/login/start');
	const ok = await client(replica.url, c.jar, stack.url).post('/api/webauthn/login/finish', passkey.assert(start3.json));
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.id, adminUser.id);
	assert.equal((await c.get('/api/users/me')).json.username, 'tim');
	assert.ok(start2);
	const audit = await cluster.psql('auth', "SELECT count(*) FROM audit_logs WHERE event = 'SIGN_IN'");
	assert.equal(audit, '1');
});

test('each forged or broken assertion is refused and signs nobody in', async () => {
	const faults = [
		[{ type: 'webauthn.create' }, 401],
		[{ rpId: 'evil.example' }, 401],
		[{ up: false }, 401],
		[{ corruptSignature: true }, 401],
	];
	for (const [fault, status] of faults) {
		const c = client(stack.url);
		const start = await c.get('/api/webauthn/login/start');
		const r = await c.post('/api/webauthn/login/finish', passkey.assert(start.json, fault));
		assert.equal(r.status, status, `${JSON.stringify(fault)}: ${r.text}`);
		assert.equal(r.json.code, 'webauthn_authentication_failed');
		assert.equal(c.jar.get('access_token'), undefined, 'no session was issued');
	}
	// An unknown credential.
	const stranger = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url });
	stranger.register({ challenge: 'AAAA', user: { id: 'eA' } });
	let c = client(stack.url);
	let start = await c.get('/api/webauthn/login/start');
	let r = await c.post('/api/webauthn/login/finish', stranger.assert(start.json));
	assert.equal(r.status, 401);
	// Malformed JSON.
	start = await c.get('/api/webauthn/login/start');
	r = await c.post('/api/webauthn/login/finish', { id: 'x', response: {} });
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'invalid_webauthn_response');
	// Finish without start, and after the challenge expired.
	c = client(stack.url);
	r = await c.post('/api/webauthn/login/finish', passkey.assert({ challenge: 'AAAA' }));
	assert.equal(r.json.code, 'missing_session_id');
	start = await c.get('/api/webauthn/login/start');
	await cluster.psql('auth', "UPDATE webauthn_sessions SET expires_at = now() - interval '1 second'");
	r = await c.post('/api/webauthn/login/finish', passkey.assert(start.json));
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'invalid_webauthn_session');
});

test('a signature counter that goes backwards is logged and audited, not fatal', async () => {
	const c = client(stack.url);
	let start = await c.get('/api/webauthn/login/start');
	assert.equal((await c.post('/api/webauthn/login/finish', passkey.assert(start.json, { counter: 50 }))).status, 200);
	start = await c.get('/api/webauthn/login/start');
	assert.equal((await c.post('/api/webauthn/login/finish', passkey.assert(start.json, { counter: 7 }))).status, 200);
	const n = await cluster.psql('auth', "SELECT count(*) FROM audit_logs WHERE event = 'PASSKEY_COUNTER_REGRESSION'");
	assert.equal(n, '1');
});

test('Ed25519 passkeys and packed self attestation register and sign in', async () => {
	const ed = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url });
	const start = await admin.get('/api/webauthn/register/start');
	const r = await admin.post('/api/webauthn/register/finish', ed.register(start.json, { alg: 'EdDSA', fmt: 'packed' }));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.attestationType, 'self');
	const c = client(stack.url);
	const login = await c.get('/api/webauthn/login/start');
	assert.equal((await c.post('/api/webauthn/login/finish', ed.assert(login.json))).status, 200);
	await admin.del(`/api/webauthn/credentials/${r.json.id}`);
});

test('a new passkey is named from PASSKEY_AAGUID_FILE', async () => {
	const named = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url,
		aaguid: Buffer.alloc(16, 0x11) });
	const start = await admin.get('/api/webauthn/register/start');
	const r = await admin.post('/api/webauthn/register/finish', named.register(start.json));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.name, 'Test Key 11');
	await admin.del(`/api/webauthn/credentials/${r.json.id}`);
});

test('user verification is required by default', async () => {
	const noUv = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url, flags: { uv: false } });
	noUv.credentials = passkey.credentials;
	const c = client(stack.url);
	const start = await c.get('/api/webauthn/login/start');
	const r = await c.post('/api/webauthn/login/finish', noUv.assert(start.json));
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'passkey_user_verification_required');
});

test('passkey policy settings: synced passkeys refused, user verification preferred', async () => {
	await cluster.psql('auth', "INSERT INTO app_config (key, value) VALUES "
		+ "('webauthnAllowSyncedPasskeys', 'false'), ('webauthnUserVerification', 'preferred')");
	try {
		const synced = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url,
			flags: { backupEligible: true } });
		const start = await admin.get('/api/webauthn/register/start');
		assert.equal(start.json.authenticatorSelection.userVerification, 'preferred');
		const r = await admin.post('/api/webauthn/register/finish', synced.register(start.json));
		assert.equal(r.status, 400);
		assert.equal(r.json.code, 'synced_passkey_not_allowed');
		const noUv = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url, flags: { uv: false } });
		noUv.credentials = passkey.credentials;
		const c = client(stack.url);
		const login = await c.get('/api/webauthn/login/start');
		assert.equal(login.json.userVerification, 'preferred');
		assert.equal((await c.post('/api/webauthn/login/finish', noUv.assert(login.json))).status, 200);
	} finally {
		await cluster.psql('auth', "DELETE FROM app_config WHERE key LIKE 'webauthn%'");
	}
});

test('sessions: listed, ended one by one, and sign-out ends them for real', async () => {
	const other = client(stack.url);
	const start = await other.get('/api/webauthn/login/start');
	assert.equal((await other.post('/api/webauthn/login/finish', passkey.assert(start.json))).status, 200);
	const list = await admin.get('/api/users/me/sessions');
	assert.ok(list.json.length >= 2);
	assert.equal(list.json.filter((s) => s.current).length, 1);
	for (const s of list.json) assert.equal(typeof s.device, 'string', 'a device string next to the user agent');
	const otherToken = other.jar.get('access_token');
	assert.equal((await other.post('/api/webauthn/logout')).status, 204);
	const after = await fetch(`${stack.url}/api/users/me`, { headers: { authorization: `Bearer ${otherToken}` } });
	assert.equal(after.status, 401, 'the token of a signed-out session no longer works');
	const third = client(stack.url);
	const s3 = await third.get('/api/webauthn/login/start');
	await third.post('/api/webauthn/login/finish', passkey.assert(s3.json));
	const mine = (await third.get('/api/users/me/sessions')).json.find((s) => s.current);
	assert.equal((await admin.del(`/api/users/me/sessions/${mine.id}`)).status, 204);
	assert.equal((await third.get('/api/users/me')).status, 401);
	assert.equal((await admin.del('/api/users/me/sessions/00000000-0000-4000-8000-000000000000')).status, 404);
});

test('passkeys can be renamed and deleted, with audit entries', async () => {
	const [cred] = (await admin.get('/api/webauthn/credentials')).json;
	const renamed = await admin.patch(`/api/webauthn/credentials/${cred.id}`, { name: 'Laptop' });
	assert.equal(renamed.status, 200);
	assert.equal(renamed.json.name, 'Laptop');
	const tooLong = await admin.patch(`/api/webauthn/credentials/${cred.id}`, { name: 'x'.repeat(51) });
	assert.equal(tooLong.status, 400);
	const missing = await admin.patch('/api/webauthn/credentials/00000000-0000-4000-8000-000000000000', { name: 'x' });
	assert.equal(missing.status, 404);
	const events = await cluster.psql('auth', "SELECT string_agg(event, ',' ORDER BY created_at) FROM audit_logs WHERE event LIKE 'PASSKEY%'");
	assert.match(events, /PASSKEY_ADDED/);
});

test('re-authentication: by assertion, and the one-minute shortcut after a passkey login', async () => {
	let start = await admin.get('/api/webauthn/login/start');
	let r = await admin.post('/api/webauthn/reauthenticate', passkey.assert(start.json));
	assert.equal(r.status, 204, r.text);
	assert.ok(admin.jar.get('reauthentication_token'));
	// admin's session came from setup (amr otp): no shortcut.
	start = await admin.get('/api/webauthn/login/start');
	r = await admin.call('POST', '/api/webauthn/reauthenticate');
	assert.equal(r.status, 401);
	assert.equal(r.json.code, 'reauthentication_required');
	const fresh = client(stack.url);
	start = await fresh.get('/api/webauthn/login/start');
	await fresh.post('/api/webauthn/login/finish', passkey.assert(start.json));
	await fresh.get('/api/webauthn/login/start');
	r = await fresh.call('POST', '/api/webauthn/reauthenticate');
	assert.equal(r.status, 204);
});

test('login codes: created by an admin, exchanged once, normalised', async () => {
	const created = await admin.post(`/api/users/${adminUser.id}/one-time-access-token`, { ttl: '10m' });
	assert.equal(created.status, 201);
	assert.match(created.json.token, /^[a-zA-Z0-9]{6}$/);
	const long = await admin.post(`/api/users/${adminUser.id}/one-time-access-token`, { ttl: '2h' });
	assert.equal(long.json.token.length, 12);
	const c = client(stack.url);
	const ok = await c.call('POST', `/api/one-time-access-token/${created.json.token}`);
	assert.equal(ok.status, 200);
	assert.equal(ok.json.username, 'tim');
	assert.ok(c.jar.get('access_token'));
	const again = await client(stack.url).call('POST', `/api/one-time-access-token/${created.json.token}`);
	assert.equal(again.status, 401);
	assert.equal(again.json.code, 'token_invalid_or_expired');
	assert.equal((await client(stack.url).call('POST', '/api/one-time-access-token/abc')).status, 401);
	const unknown = await admin.post('/api/users/00000000-0000-4000-8000-000000000000/one-time-access-token', {});
	assert.equal(unknown.status, 404);
	assert.equal(unknown.json.code, 'user_not_found');
	const badTtl = await admin.post(`/api/users/${adminUser.id}/one-time-access-token`, { ttl: '40d' });
	assert.equal(badTtl.status, 400);
});

test('the CLI prints a working one-hour link, also while the service is stopped', async () => {
	const env = { ...replica.env };
	const r = await runPocketId(['one-time-access-token', 'TIM.COOK@test.com'], env);
	assert.equal(r.code, 0, r.stderr);
	const link = r.stdout.trim();
	assert.match(link, new RegExp(`^${stack.env.APP_URL}/lc/[a-zA-Z0-9]{12}$`));
	const code = link.split('/lc/')[1];
	const ok = await client(stack.url).call('POST', `/api/one-time-access-token/${code}`);
	assert.equal(ok.status, 200);
	const missing = await runPocketId(['one-time-access-token', 'nobody'], env);
	assert.equal(missing.code, 1);
	assert.match(missing.stderr, /no user/);
});

test('guards: API keys, the static API key, and non-admins', async () => {
	const api = (path, key, method = 'GET') => fetch(`${stack.url}${path}`,
		{ method, headers: { 'x-api-key': key } });
	let r = await api('/api/users/me', 'wrong');
	assert.equal(r.status, 401);
	assert.equal((await r.json()).code, 'invalid_api_key');
	r = await api('/api/webauthn/register/start', STATIC_KEY);
	assert.equal(r.status, 403);
	assert.equal((await r.json()).code, 'api_key_auth_not_allowed');
	r = await api(`/api/users/${adminUser.id}/one-time-access-token`, STATIC_KEY, 'POST');
	assert.equal(r.status, 201);
	assert.equal((await api('/api/users/me', STATIC_KEY)).status, 200);
	// The static user is not a real one: setup stays done, count unchanged.
	const n = await cluster.psql('auth', "SELECT count(*) FROM users WHERE is_admin");
	assert.equal(n, '2');
});

test('a disabled user is signed out everywhere at once', async () => {
	await cluster.psql('auth', `UPDATE users SET disabled = true WHERE id = '${adminUser.id}'`);
	const r = await admin.get('/api/users/me');
	assert.equal(r.status, 403);
	assert.equal(r.json.code, 'user_disabled');
	const c = client(stack.url);
	const start = await c.get('/api/webauthn/login/start');
	const login = await c.post('/api/webauthn/login/finish', passkey.assert(start.json));
	assert.equal(login.status, 403);
	await cluster.psql('auth', `UPDATE users SET disabled = false WHERE id = '${adminUser.id}'`);
	assert.equal((await admin.get('/api/users/me')).status, 200);
});
