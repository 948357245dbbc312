// Replays of Pocket ID's own Playwright specs (spec §10.3) at API level:
// api-key.spec.ts, user-group.spec.ts and user-signup.spec.ts. Every
// behaviour of those specs with an outcome visible through the API is
// here, with the API calls the SPA makes for it; what is only UI (toasts,
// date pickers, page titles) is named in a comment where the API part is
// checked. Test titles start with the spec file they replay. The seed is
// a small copy of Pocket ID's tests/data.ts: tim (admin, tim.cook@test.com),
// craig, groups developers and designers, clients nextcloud (open),
// immich and tailscale (group-restricted), API keys one live, one expired.
//
// api.spec.ts: §10.2 describes only the OAuth-APIs part of that spec
// (another engineer's); it says nothing about users or groups, so
// nothing of it is replayed here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster } from './lib/pg.mjs';
import { startStack } from './lib/stack.mjs';
import { SoftAuthenticator, client } from './lib/authenticator.mjs';

const DB = 'replayadmin';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const DAY = 86400e3;
let cluster, stack, admin, tim, craig;
const seed = {};

const sql = (text) => cluster.psql(DB, text);
const put = (c, path, body) => c.call('PUT', path, body);
const inDays = (d) => new Date(Date.now() + d * DAY).toISOString();
const withKey = (token, path) => fetch(`${stack.url}${path}`, { headers: { 'x-api-key': token } });

function assertError(r, status, code, message) {
	assert.equal(r.status, status, r.text);
	assert.equal(r.json.code, code, r.text);
	if (message) assert.equal(r.json.error, message);
	assert.equal(typeof r.json.request_id, 'string');
	assert.ok(r.json.request_id.length > 0);
}

// The SPA's application-configuration form sends the whole object back.
async function setSignupMode(mode) {
	const all = await admin.get('/api/application-configuration/all');
	assert.equal(all.status, 200, all.text);
	const body = Object.fromEntries(all.json.map((e) => [e.key, e.value]));
	body.allowUserSignups = mode;
	const r = await put(admin, '/api/application-configuration', body);
	assert.equal(r.status, 200, r.text);
	const pub = await client(stack.url).get('/api/application-configuration');
	assert.equal(pub.json.find((e) => e.key === 'allowUserSignups').value, mode);
}

before(async () => {
	cluster = await startCluster();
	const url = await cluster.createDatabase(DB);
	const sanitizers = Object.fromEntries(['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']
		.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
	stack = await startStack(url, { workers: 3, env: sanitizers });
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

// ---- user-signup.spec.ts: initial setup ----------------------------------

test('user-signup.spec.ts: 20 concurrent setup requests → one 200 with isAdmin true and 19 × 409, exactly one admin afterwards', async () => {
	assert.equal((await client(stack.url).get('/api/signup/setup')).status, 204, '/setup is offered');
	const body = { firstName: 'Tim', lastName: 'Cook', username: 'tim', email: 'tim.cook@test.com' };
	const results = await Promise.all(Array.from({ length: 20 }, async () => {
		const c = client(stack.url);
		return { c, r: await c.post('/api/signup/setup', body) };
	}));
	const ok = results.filter(({ r }) => r.status === 200);
	assert.equal(ok.length, 1, results.map(({ r }) => r.status).join(','));
	assert.equal(ok[0].r.json.isAdmin, true);
	for (const { r } of results.filter(({ r }) => r.status !== 200))
		assertError(r, 409, 'setup_already_completed');
	admin = ok[0].c;
	tim = ok[0].r.json;
	const users = await admin.get('/api/users');
	assert.equal(users.status, 200);
	assert.equal(users.json.data.length, 1);
	assert.equal(users.json.data.filter((u) => u.isAdmin).length, 1);
	assert.equal(users.json.data[0].username, 'tim');
});

test('user-signup.spec.ts: initial signup success flow → signed in, and the add-passkey page can start a registration', async () => {
	const me = await admin.get('/api/users/me');
	assert.equal(me.status, 200);
	assert.equal(me.json.id, tim.id);
	assert.equal(me.json.displayName, 'Tim Cook');
	// "/signup/add-passkey": "Set up your passkey" asks for creation options.
	const start = await admin.get('/api/webauthn/register/start');
	assert.equal(start.status, 200, start.text);
	const o = start.json.publicKey ?? start.json;
	assert.ok(o.challenge);
	assert.equal(o.user.name, 'tim');
});

test('user-signup.spec.ts: setup already completed → 409 setup_already_completed, and /setup is Not found', async () => {
	const r = await client(stack.url).post('/api/signup/setup',
		{ firstName: 'Test', lastName: 'User', username: 'testuser123', email: 'tim.cook@test.com' });
	assertError(r, 409, 'setup_already_completed');
	// HEAD v2.6: the SPA asks GET /api/signup/setup and shows "Not found".
	assertError(await client(stack.url).get('/api/signup/setup'), 404, 'setup_not_available');
	assert.equal((await admin.get('/api/users')).json.pagination.totalItems, 1);
});

// The rest of Pocket ID's fixture, made the way an admin would.
test('seed: craig, developers, designers, three clients, two API keys', async () => {
	let r = await admin.post('/api/users', { username: 'craig', email: 'craig.federighi@test.com',
		firstName: 'Craig', lastName: 'Federighi', isAdmin: false });
	assert.equal(r.status, 201, r.text);
	craig = r.json;
	for (const [key, friendlyName, name] of [['developers', 'Developers', 'developers'],
		['designers', 'Designers', 'designers']]) {
		r = await admin.post('/api/user-groups', { friendlyName, name });
		assert.equal(r.status, 201, r.text);
		seed[key] = r.json;
	}
	r = await put(admin, `/api/user-groups/${seed.designers.id}/users`, { userIds: [tim.id] });
	assert.equal(r.status, 200, r.text);
	r = await put(admin, `/api/user-groups/${seed.developers.id}/users`, { userIds: [tim.id, craig.id] });
	assert.equal(r.status, 200, r.text);
	for (const [key, restricted] of [['nextcloud', false], ['immich', true], ['tailscale', true]]) {
		r = await admin.post('/api/oidc/clients', { name: key[0].toUpperCase() + key.slice(1),
			callbackURLs: [`http://${key}.localhost/auth/callback`], isGroupRestricted: restricted });
		assert.equal(r.status, 201, r.text);
		seed[key] = r.json;
	}
	r = await admin.post('/api/api-keys', { name: 'Initial API Key', expiresAt: inDays(30) });
	assert.equal(r.status, 201, r.text);
	seed.liveKey = r.json;
	r = await admin.post('/api/api-keys', { name: 'Expired API Key', expiresAt: inDays(1) });
	assert.equal(r.status, 201, r.text);
	seed.expiredKey = r.json;
	await sql(`UPDATE api_keys SET expires_at = now() - interval '2 days' WHERE id = '${r.json.apiKey.id}'`);
});

// ---- api-key.spec.ts --------------------------------------------------------

test('api-key.spec.ts: create new API key → 201, token of 32 characters, listed with its expiry', async () => {
	// The form's date picker defaults to today + 30 days; the spec then
	// picks the first day of a month next year.
	const next = new Date();
	const expiresAt = new Date(Date.UTC(next.getUTCFullYear() + 1, next.getUTCMonth(), 1)).toISOString();
	const r = await admin.post('/api/api-keys',
		{ name: 'New Test API Key', description: 'Created by automated test', expiresAt });
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(Object.keys(r.json).sort(), ['apiKey', 'token']);
	assert.equal(r.json.token.length, 32);
	assert.match(r.json.token, /^[A-Za-z0-9]{32}$/);
	const k = r.json.apiKey;
	assert.equal(k.name, 'New Test API Key');
	assert.equal(k.description, 'Created by automated test');
	assert.equal(Date.parse(k.expiresAt), Date.parse(expiresAt));
	assert.equal(k.lastUsedAt, null);
	// After the reload the key is in the list, with its expiry.
	const list = await admin.get('/api/api-keys?pagination[limit]=100');
	assert.equal(list.status, 200);
	const listed = list.json.data.find((x) => x.id === k.id);
	assert.ok(listed, 'listed');
	assert.equal(listed.name, 'New Test API Key');
	assert.equal(Date.parse(listed.expiresAt), Date.parse(expiresAt));
	// The token is a working credential of its owner.
	const me = await withKey(r.json.token, '/api/users/me');
	assert.equal(me.status, 200);
	assert.equal((await me.json()).id, tim.id);
});

test('api-key.spec.ts: the default expiry (today + 30 days) is accepted; a past one is not', async () => {
	const expiresAt = inDays(30);
	const r = await admin.post('/api/api-keys', { name: 'Default Expiry Key', expiresAt });
	assert.equal(r.status, 201, r.text);
	assert.ok(Math.abs(Date.parse(r.json.apiKey.expiresAt) - (Date.now() + 30 * DAY)) < 60e3);
	assertError(await admin.post('/api/api-keys', { name: 'Past Key', expiresAt: inDays(-1) }),
		400, 'invalid_api_key_expiration');
});

test('api-key.spec.ts: renew the expired key → "API key renewed": new date, new token, the old one dead', async () => {
	const id = seed.expiredKey.apiKey.id;
	assert.equal((await withKey(seed.expiredKey.token, '/api/users/me')).status, 401, 'expired');
	const expiresAt = inDays(30);
	const r = await admin.post(`/api/api-keys/${id}/renew`, { expiresAt });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(Object.keys(r.json).sort(), ['apiKey', 'token']);
	assert.equal(r.json.apiKey.id, id);
	assert.equal(Date.parse(r.json.apiKey.expiresAt), Date.parse(expiresAt));
	assert.match(r.json.token, /^[A-Za-z0-9]{32}$/);
	assert.notEqual(r.json.token, seed.expiredKey.token);
	assert.equal((await withKey(r.json.token, '/api/users/me')).status, 200);
	assert.equal((await withKey(seed.expiredKey.token, '/api/users/me')).status, 401);
	const listed = (await admin.get('/api/api-keys?pagination[limit]=100')).json.data.find((x) => x.id === id);
	assert.equal(Date.parse(listed.expiresAt), Date.parse(expiresAt));
	// Only expired keys are renewed (the menu offers it for them alone).
	assertError(await admin.post(`/api/api-keys/${seed.liveKey.apiKey.id}/renew`, { expiresAt }),
		409, 'api_key_not_expired');
});

test('api-key.spec.ts: revoke API key → 204, no longer listed, its token refused', async () => {
	const id = seed.liveKey.apiKey.id;
	assert.equal((await withKey(seed.liveKey.token, '/api/users/me')).status, 200);
	const r = await admin.del(`/api/api-keys/${id}`);
	assert.equal(r.status, 204);
	const list = await admin.get('/api/api-keys?pagination[limit]=100');
	assert.ok(!list.json.data.some((x) => x.id === id || x.name === 'Initial API Key'));
	assert.equal((await withKey(seed.liveKey.token, '/api/users/me')).status, 401);
	assertError(await admin.del(`/api/api-keys/${id}`), 404, 'api_key_not_found');
});

// ---- user-group.spec.ts -----------------------------------------------------

test('user-group.spec.ts: create user group "Human Resources" → name human_resources (slugged by the SPA)', async () => {
	// The SPA fills "Name" from "Friendly Name" as the admin types
	// (lower case, spaces to "_"); the API requires both and never slugs.
	assertError(await admin.post('/api/user-groups', { friendlyName: 'Human Resources' }),
		400, 'validation_failed');
	const r = await admin.post('/api/user-groups', { friendlyName: 'Human Resources', name: 'human_resources' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.friendlyName, 'Human Resources');
	assert.equal(r.json.name, 'human_resources');
	// The page it redirects to (/settings/admin/user-groups/<id>) loads it.
	const g = await admin.get(`/api/user-groups/${r.json.id}`);
	assert.equal(g.status, 200);
	assert.equal(g.json.friendlyName, 'Human Resources');
	assert.equal(g.json.name, 'human_resources');
	const dup = await admin.post('/api/user-groups', { friendlyName: 'HR again', name: 'human_resources' });
	assertError(dup, 409, 'already_in_use');
	assert.equal(dup.json.details.property, 'name');
});

test('user-group.spec.ts: edit user group → friendly name and name both updated', async () => {
	const id = seed.developers.id;
	const r = await put(admin, `/api/user-groups/${id}`,
		{ friendlyName: 'Developers updated', name: 'developers_updated' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.friendlyName, 'Developers updated');
	assert.equal(r.json.name, 'developers_updated');
	const g = await admin.get(`/api/user-groups/${id}`);
	assert.equal(g.json.friendlyName, 'Developers updated');
	assert.equal(g.json.name, 'developers_updated');
	// Members are untouched by an edit of the names.
	assert.deepEqual(g.json.users.map((u) => u.username).sort(), ['craig', 'tim']);
});

test('user-group.spec.ts: update user group users → tim unchecked, craig checked after reload', async () => {
	const id = seed.designers.id;
	let g = await admin.get(`/api/user-groups/${id}`);
	assert.deepEqual(g.json.users.map((u) => u.username), ['tim']);
	const r = await put(admin, `/api/user-groups/${id}/users`, { userIds: [craig.id] });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.users.map((u) => u.username), ['craig']);
	g = await admin.get(`/api/user-groups/${id}`);
	assert.deepEqual(g.json.users.map((u) => u.id), [craig.id]);
	// The users' side agrees.
	const timGroups = (await admin.get(`/api/users/${tim.id}/groups`)).json.map((x) => x.id);
	assert.ok(!timGroups.includes(id));
	const craigGroups = (await admin.get(`/api/users/${craig.id}/groups`)).json.map((x) => x.id);
	assert.ok(craigGroups.includes(id));
	const list = await admin.get(`/api/user-groups?search=designers`);
	assert.equal(list.json.data[0].userCount, 1);
});

test('user-group.spec.ts: update user group custom claims → two added, one removed', async () => {
	const id = seed.designers.id;
	let r = await put(admin, `/api/custom-claims/user-group/${id}`, [
		{ key: 'customClaim1', value: 'customClaim1_value' },
		{ key: 'customClaim2', value: 'customClaim2_value' },
	]);
	assert.equal(r.status, 200, r.text);
	let g = await admin.get(`/api/user-groups/${id}`);
	assert.deepEqual(g.json.customClaims, [
		{ key: 'customClaim1', value: 'customClaim1_value' },
		{ key: 'customClaim2', value: 'customClaim2_value' },
	]);
	// "Remove custom claim" on the first, save: the form sends the rest.
	r = await put(admin, `/api/custom-claims/user-group/${id}`,
		[{ key: 'customClaim2', value: 'customClaim2_value' }]);
	assert.equal(r.status, 200, r.text);
	g = await admin.get(`/api/user-groups/${id}`);
	assert.deepEqual(g.json.customClaims, [{ key: 'customClaim2', value: 'customClaim2_value' }]);
});

test('user-group.spec.ts: allowed OIDC clients → restricted clients toggled; unrestricted ones need no grant', async () => {
	const id = seed.designers.id;
	// The tab lists every client; nextcloud is not restricted (shown
	// checked and disabled in the SPA): the API reports isGroupRestricted.
	const clients = (await admin.get('/api/oidc/clients?pagination[limit]=100')).json.data;
	const byName = Object.fromEntries(clients.map((c) => [c.name, c]));
	assert.equal(byName.Nextcloud.isGroupRestricted, false);
	assert.equal(byName.Immich.isGroupRestricted, true);
	assert.equal(byName.Tailscale.isGroupRestricted, true);
	let r = await put(admin, `/api/user-groups/${id}/allowed-oidc-clients`,
		{ oidcClientIds: [seed.tailscale.id, seed.immich.id] });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.allowedOidcClients.map((c) => c.id).sort(),
		[seed.tailscale.id, seed.immich.id].sort());
	// Toggle tailscale off again.
	r = await put(admin, `/api/user-groups/${id}/allowed-oidc-clients`, { oidcClientIds: [seed.immich.id] });
	assert.equal(r.status, 200, r.text);
	const g = await admin.get(`/api/user-groups/${id}`);
	assert.deepEqual(g.json.allowedOidcClients.map((c) => c.id), [seed.immich.id]);
	// The client's side agrees.
	const immich = await admin.get(`/api/oidc/clients/${seed.immich.id}`);
	assert.deepEqual(immich.json.allowedUserGroups.map((x) => x.id), [id]);
	const tailscale = await admin.get(`/api/oidc/clients/${seed.tailscale.id}`);
	assert.deepEqual(tailscale.json.allowedUserGroups, []);
});

test('user-group.spec.ts: delete user group → 204, gone from the list', async () => {
	const id = seed.developers.id;
	assert.equal((await admin.del(`/api/user-groups/${id}`)).status, 204);
	const list = await admin.get('/api/user-groups?pagination[limit]=100');
	assert.ok(!list.json.data.some((g) => g.id === id || g.name === 'developers_updated'));
	assertError(await admin.get(`/api/user-groups/${id}`), 404, 'not_found');
	// Its members stay, without it.
	assert.ok(!(await admin.get(`/api/users/${craig.id}/groups`)).json.some((g) => g.id === id));
	// Recreate "developers" for the signup tests, as the fixture has it.
	const r = await admin.post('/api/user-groups', { friendlyName: 'Developers', name: 'developers' });
	assert.equal(r.status, 201);
	seed.developers = r.json;
});

// ---- user-signup.spec.ts: signup -------------------------------------------

test('user-signup.spec.ts: signup token creation → expiry a week, usage "0 of 8", two groups', async () => {
	const r = await admin.post('/api/signup-tokens', { ttl: '168h', usageLimit: 8,
		userGroupIds: [seed.developers.id, seed.designers.id] });
	assert.equal(r.status, 201, r.text);
	assert.match(r.json.token, /^[A-Za-z0-9]{16}$/);
	const list = await admin.get('/api/signup-tokens');
	const t = list.json.data.find((x) => x.id === r.json.id);
	assert.equal(`${t.usageCount} of ${t.usageLimit}`, '0 of 8');
	assert.match(t.expiresAt, ISO);
	assert.ok(Math.abs(Date.parse(t.expiresAt) - (Date.now() + 7 * DAY)) < 120e3);
	assert.deepEqual(t.userGroups.map((g) => g.name).sort(), ['designers', 'developers']);
	seed.weekToken = r.json;
});

test('user-signup.spec.ts: signup is disabled → "User signups are currently disabled" (403 open_signup_disabled)', async () => {
	await setSignupMode('disabled');
	assertError(await client(stack.url).post('/api/signup',
		{ firstName: 'Jane', lastName: 'Smith', username: 'janesmith', email: 'jane.smith@test.com' }),
	403, 'open_signup_disabled');
});

test('user-signup.spec.ts: signup with token - success flow → 201, signed in, /api/users/me has the developers group', async () => {
	await setSignupMode('withToken');
	const t = await admin.post('/api/signup-tokens', { ttl: '24h', usageLimit: 2,
		userGroupIds: [seed.developers.id] });
	const john = client(stack.url);
	const r = await john.post('/api/signup', { firstName: 'John', lastName: 'Doe',
		username: 'johndoe', email: 'john.doe@test.com', token: t.json.token });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.displayName, 'John Doe');
	assert.equal(r.json.isAdmin, false);
	const me = await john.get('/api/users/me');
	assert.equal(me.status, 200);
	assert.deepEqual(me.json.userGroups.map((g) => g.name), ['developers']);
	// "/signup/add-passkey" can start a registration at once.
	assert.equal((await john.get('/api/webauthn/register/start')).status, 200);
	const listed = (await admin.get('/api/signup-tokens')).json.data.find((x) => x.id === t.json.id);
	assert.equal(`${listed.usageCount} of ${listed.usageLimit}`, '1 of 2');
});

test('user-signup.spec.ts: signup with token - invalid token → "Token is invalid or expired." (401)', async () => {
	const r = await client(stack.url).post('/api/signup', { firstName: 'Complete', lastName: 'User',
		username: 'completeuser', email: 'complete.user@test.com', token: 'invalid-token-123' });
	assertError(r, 401, 'token_invalid_or_expired');
	assert.match(r.json.error, /^Token is invalid or expired/);
});

test('user-signup.spec.ts: signup with token - no token in URL → refused (403)', async () => {
	const r = await client(stack.url).post('/api/signup', { firstName: 'No', lastName: 'Token',
		username: 'notoken', email: 'no.token@test.com' });
	assertError(r, 403, 'open_signup_disabled');
});

test('user-signup.spec.ts: token usage limit is enforced → a fully used token is "invalid or expired"', async () => {
	const t = await admin.post('/api/signup-tokens', { ttl: '24h', usageLimit: 1 });
	let r = await client(stack.url).post('/api/signup', { username: 'usesitup',
		email: 'uses.it.up@test.com', token: t.json.token });
	assert.equal(r.status, 201, r.text);
	r = await client(stack.url).post('/api/signup', { firstName: 'Complete', lastName: 'User',
		username: 'completeuser', email: 'complete.user@test.com', token: t.json.token });
	assertError(r, 401, 'token_invalid_or_expired');
	assert.equal((await admin.get('/api/users?search=completeuser')).json.pagination.totalItems, 0);
	// An expired token likewise.
	const e = await admin.post('/api/signup-tokens', { ttl: '1h', usageLimit: 5 });
	await sql(`UPDATE signup_tokens SET expires_at = now() - interval '1 minute' WHERE id = '${e.json.id}'`);
	assertError(await client(stack.url).post('/api/signup', { username: 'late',
		email: 'late@test.com', token: e.json.token }), 401, 'token_invalid_or_expired');
});

test('user-signup.spec.ts: open signup - success flow → 201 and a session', async () => {
	await setSignupMode('open');
	const jane = client(stack.url);
	const r = await jane.post('/api/signup',
		{ firstName: 'Jane', lastName: 'Smith', username: 'janesmith', email: 'jane.smith@test.com' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.username, 'janesmith');
	assert.equal((await jane.get('/api/users/me')).json.id, r.json.id);
});

test('user-signup.spec.ts: open signup - validation errors → 400 validation_failed naming the fields', async () => {
	let r = await client(stack.url).post('/api/signup', {});
	assertError(r, 400, 'validation_failed');
	const fields = Object.fromEntries(r.json.details.fields.map((f) => [f.field, f.code]));
	assert.equal(fields.username, 'required');
	assert.equal(fields.email, 'required');	// requireUserEmail is on by default
	// "Invalid email address"
	r = await client(stack.url).post('/api/signup', { username: 'valid', email: 'not-an-email' });
	assertError(r, 400, 'validation_failed');
	assert.deepEqual(r.json.details.fields.map((f) => [f.field, f.code]), [['email', 'invalid_format']]);
});

test('user-signup.spec.ts: open signup - duplicate email → "Email is already in use" (409)', async () => {
	const r = await client(stack.url).post('/api/signup',
		{ firstName: 'Test', lastName: 'User', username: 'testuser123', email: 'tim.cook@test.com' });
	assertError(r, 409, 'already_in_use');
	assert.equal(r.json.details.property, 'email');
	assert.match(r.json.error, /^Email is already in use/);
});

test('user-signup.spec.ts: open signup - duplicate username → "Username is already in use" (409)', async () => {
	for (const username of ['tim', 'TIM']) {
		const r = await client(stack.url).post('/api/signup',
			{ firstName: 'Test', lastName: 'User', username, email: 'newuser@test.com' });
		assertError(r, 409, 'already_in_use');
		assert.equal(r.json.details.property, 'username');
		assert.match(r.json.error, /^Username is already in use/);
	}
});

test('user-signup.spec.ts: complete signup flow with passkey creation → "Single Passkey Configured"', async () => {
	const c = client(stack.url);
	const r = await c.post('/api/signup', { firstName: 'Complete', lastName: 'User',
		username: 'completeuser', email: 'complete.user@test.com' });
	assert.equal(r.status, 201, r.text);
	const passkey = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url });
	const start = await c.get('/api/webauthn/register/start');
	assert.equal(start.status, 200, start.text);
	const finish = await c.post('/api/webauthn/register/finish', passkey.register(start.json));
	assert.equal(finish.status, 200, finish.text);
	const creds = await c.get('/api/webauthn/credentials');
	assert.equal(creds.status, 200);
	assert.equal(creds.json.length, 1, 'one passkey: "Single Passkey Configured"');
});

test('user-signup.spec.ts: skip passkey creation during signup → signed in without a passkey ("Passkey missing")', async () => {
	const c = client(stack.url);
	const r = await c.post('/api/signup', { firstName: 'Skip', lastName: 'User',
		username: 'skipuser', email: 'skip.user@test.com' });
	assert.equal(r.status, 201, r.text);
	assert.equal((await c.get('/api/users/me')).status, 200);
	assert.deepEqual((await c.get('/api/webauthn/credentials')).json, []);
});

test('user-signup.spec.ts: afterwards still exactly one admin', async () => {
	const r = await admin.get('/api/users?filters[isAdmin]=true');
	assert.equal(r.status, 200);
	assert.equal(r.json.pagination.totalItems, 1);
	assert.equal(r.json.data[0].id, tim.id);
	await setSignupMode('disabled');
});
