// Database round trips on the OIDC hot paths (DESIGN §8: at most three on
// the token and userinfo paths). At LOG_LEVEL=debug the store logs one
// "db round trip: <statement>" line per statement it sends, tagged with
// the request id; one worker and sequential requests keep them apart,
// and each hot path is held to its exact list of statements (warmed up
// first: a statement's first use also prepares it). RT_LOG=1 prints the
// daemon's warnings and errors at the end.
// The checks the folded statements carry are exercised here too: single
// use and replay revocation of codes and refresh tokens, group
// restriction and disabled users at token time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster } from './lib/pg.mjs';
import { startStack, waitFor } from './lib/stack.mjs';
import { client as apiClient } from './lib/authenticator.mjs';

let cluster, stack, admin, adminUser;
const CALLBACK = 'https://rp.example/callback';
const DB = 'roundtrips';

before(async () => {
	cluster = await startCluster();
	stack = await startStack(await cluster.createDatabase(DB), { workers: 1 });
	admin = apiClient(stack.url);
	adminUser = (await admin.post('/api/signup/setup', { username: 'tim',
		email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' })).json;
});
after(async () => {
	// RT_LOG=1 prints the warnings and errors of the daemon.
	if (process.env.RT_LOG) console.log(stack?.daemon.output.split("\n").filter((l) => / (warn|error) /.test(l)).join("\n"));
	await stack?.stop();
	await cluster?.destroy();
});

async function makeClient(extra = {}) {
	const created = await admin.post('/api/oidc/clients', { name: 'RT',
		callbackURLs: [CALLBACK], isPublic: false, pkceEnabled: false, ...extra });
	assert.equal(created.status, 201, created.text);
	const id = created.json.id;
	const secret = (await admin.post(`/api/oidc/clients/${id}/secrets`, {})).json.secret;
	return { id, basic: Buffer.from(`${id}:${secret}`).toString('base64') };
}

// A code through /authorize, consenting through the interaction API once.
async function code(c, scope = 'openid profile email groups') {
	const url = `${stack.url}/authorize?` + new URLSearchParams({ client_id: c.id,
		response_type: 'code', redirect_uri: CALLBACK, scope, nonce: 'nonce-rt',
		state: 'state-rt-0123' });
	for (let guard = 0; guard < 3; guard++) {
		const res = await fetch(url, { redirect: 'manual',
			headers: { cookie: admin.jar.header() } });
		const loc = res.headers.get('location');
		assert.ok(loc, `status ${res.status}`);
		if (!loc.includes('/interaction?')) {
			const got = new URL(loc).searchParams.get('code');
			assert.ok(got, loc);
			return got;
		}
		const iid = new URL(loc).searchParams.get('interaction');
		const step = (await admin.get(`/api/oidc/interactions/${iid}`)).json.currentStep;
		const done = await admin.post(`/api/oidc/interactions/${iid}/complete`, { step });
		assert.equal(done.status, 200, done.text);
	}
	throw new Error('no code');
}

// Sends one request and returns [response, json, the statements it ran].
async function measured(method, path, { basic, bearer, form } = {}) {
	const before = stack.daemon.output.length;
	const headers = {};
	if (basic) headers.authorization = `Basic ${basic}`;
	if (bearer) headers.authorization = `Bearer ${bearer}`;
	if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
	const res = await fetch(stack.url + path, { method, headers,
		body: form ? new URLSearchParams(form).toString() : undefined });
	const json = await res.json();
	const done = new RegExp(`req=(\\S+) ${method} ${path.replace(/[?]/g, '\\?')} -> ${res.status}\\n`);
	let id;
	await waitFor('the request log line', () =>
		(id = stack.daemon.output.slice(before).match(done)?.[1]) !== undefined);
	const statements = [...stack.daemon.output.slice(before).matchAll(
		new RegExp(`req=${id} db round trip: (\\S+)`, 'g'))].map((m) => m[1]);
	return [res, json, statements];
}

const token = (c, form) => measured('POST', '/api/oidc/token', { basic: c.basic, form });

test('authorization_code, refresh_token, userinfo and client_credentials stay within three round trips', async () => {
	const c = await makeClient();
	// Warm up: the first use of each statement also prepares it.
	let [res, json] = await token(c, { grant_type: 'authorization_code',
		code: await code(c), redirect_uri: CALLBACK });
	assert.equal(res.status, 200, JSON.stringify(json));
	await token(c, { grant_type: 'refresh_token', refresh_token: json.refresh_token });
	await measured('GET', '/api/oidc/userinfo', { bearer: json.access_token });
	await token(c, { grant_type: 'client_credentials' });

	let trips;
	[res, json, trips] = await token(c, { grant_type: 'authorization_code',
		code: await code(c), redirect_uri: CALLBACK });
	assert.equal(res.status, 200, JSON.stringify(json));
	assert.ok(json.id_token && json.refresh_token && json.access_token);
	// Client, code + user + group + claims, access + refresh rows.
	assert.deepEqual(trips, ['client_load', 'oidc_code_take', 'oidc_tokens_issue']);

	const claims = JSON.parse(Buffer.from(json.id_token.split('.')[1], 'base64url'));
	assert.equal(claims.email, 'tim@example.com');
	assert.equal(claims.name, 'Tim Cook');
	assert.deepEqual(claims.groups, []);

	let info;
	[res, info, trips] = await measured('GET', '/api/oidc/userinfo', { bearer: json.access_token });
	assert.equal(res.status, 200, JSON.stringify(info));
	assert.equal(info.sub, adminUser.id);
	assert.equal(info.email, 'tim@example.com');
	assert.deepEqual(trips, ['oidc_access_userinfo']);

	let refreshed;
	[res, refreshed, trips] = await token(c, { grant_type: 'refresh_token',
		refresh_token: json.refresh_token, scope: 'openid email' });
	assert.equal(res.status, 200, JSON.stringify(refreshed));
	assert.deepEqual(trips, ['client_load', 'oidc_refresh_take', 'oidc_tokens_issue']);
	const narrowed = JSON.parse(Buffer.from(refreshed.id_token.split('.')[1], 'base64url'));
	assert.equal(narrowed.email, 'tim@example.com');
	assert.equal(narrowed.name, undefined, 'profile was not asked for on refresh');
	assert.equal(refreshed.scope, 'openid email');

	[res, json, trips] = await token(c, { grant_type: 'client_credentials' });
	assert.equal(res.status, 200, JSON.stringify(json));
	assert.deepEqual(trips, ['client_load', 'oidc_tokens_issue']);
});

test('token, refresh, userinfo and preview build the same claims from one expression', async () => {
	const c = await makeClient();
	const group = (await admin.post('/api/user-groups', { friendlyName: 'Claims',
		name: 'claims' })).json;
	assert.equal((await admin.call('PUT', `/api/user-groups/${group.id}/users`,
		{ userIds: [adminUser.id] })).status, 200);
	await cluster.psql(DB, `INSERT INTO custom_claims (id, key, value, user_id, user_group_id)
		VALUES (gen_random_uuid(), 'dept', 'ops', '${adminUser.id}', NULL),
		(gen_random_uuid(), 'dept', 'group-value', NULL, '${group.id}'),
		(gen_random_uuid(), 'level', '{"n": 3}', NULL, '${group.id}')`);
	try {
		const [res, tokens] = await token(c, { grant_type: 'authorization_code',
			code: await code(c), redirect_uri: CALLBACK });
		assert.equal(res.status, 200, JSON.stringify(tokens));
		const [, info] = await measured('GET', '/api/oidc/userinfo', { bearer: tokens.access_token });
		// spec §2.3: the user's own claim wins over the group's; JSON values
		// stay JSON; groups by name; profile and email claims.
		assert.equal(info.sub, adminUser.id);
		assert.equal(info.dept, 'ops');
		assert.deepEqual(info.level, { n: 3 });
		assert.deepEqual(info.groups, ['claims']);
		assert.equal(info.preferred_username, adminUser.username);
		assert.equal(info.email, adminUser.email);
		assert.equal(info.picture, `${stack.env.APP_URL}/api/users/${adminUser.id}/profile-picture.png`);
		const id = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
		for (const [k, v] of Object.entries(info)) assert.deepEqual(id[k], v, k);
		const preview = await admin.get(`/api/oidc/clients/${c.id}/preview/${adminUser.id}` +
			`?scopes=${encodeURIComponent('openid profile email groups')}`);
		assert.equal(preview.status, 200, preview.text);
		assert.deepEqual(preview.json.userInfo, info);
		const [, narrowed] = await token(c, { grant_type: 'refresh_token',
			refresh_token: tokens.refresh_token, scope: 'openid groups' });
		const nid = JSON.parse(Buffer.from(narrowed.id_token.split('.')[1], 'base64url'));
		assert.deepEqual(nid.groups, ['claims']);
		assert.equal(nid.dept, undefined);
		assert.equal(nid.email, undefined);
	} finally {
		await cluster.psql(DB, `DELETE FROM custom_claims; DELETE FROM user_groups_users
			WHERE user_group_id = '${group.id}'`);
	}
});

test('a replayed code is refused and revokes the tokens of its grant', async () => {
	const c = await makeClient();
	const value = await code(c);
	const form = { grant_type: 'authorization_code', code: value, redirect_uri: CALLBACK };
	const [first, tokens] = await token(c, form);
	assert.equal(first.status, 200);
	const [again, err] = await token(c, form);
	assert.equal(again.status, 400);
	assert.equal(err.error, 'invalid_grant');
	const [info] = await measured('GET', '/api/oidc/userinfo', { bearer: tokens.access_token });
	assert.equal(info.status, 401);
	const [rt, rtErr] = await token(c, { grant_type: 'refresh_token',
		refresh_token: tokens.refresh_token });
	assert.equal(rt.status, 400);
	assert.equal(rtErr.error, 'invalid_grant');
});

test('a reused refresh token revokes the family', async () => {
	const c = await makeClient();
	const [, tokens] = await token(c, { grant_type: 'authorization_code',
		code: await code(c), redirect_uri: CALLBACK });
	const [, next] = await token(c, { grant_type: 'refresh_token',
		refresh_token: tokens.refresh_token });
	assert.ok(next.refresh_token);
	const [reuse, err] = await token(c, { grant_type: 'refresh_token',
		refresh_token: tokens.refresh_token });
	assert.equal(reuse.status, 400);
	assert.equal(err.error, 'invalid_grant');
	const [later] = await token(c, { grant_type: 'refresh_token',
		refresh_token: next.refresh_token });
	assert.equal(later.status, 400, 'the rotated token went with the family');
});

test('group restriction and a disabled user are checked at token time', async () => {
	const c = await makeClient({ isGroupRestricted: true });
	const group = (await admin.post('/api/user-groups', { friendlyName: 'RT', name: 'rt' })).json;
	assert.equal((await admin.call('PUT', `/api/user-groups/${group.id}/users`,
		{ userIds: [adminUser.id] })).status, 200);
	assert.equal((await admin.call('PUT', `/api/user-groups/${group.id}/allowed-oidc-clients`,
		{ oidcClientIds: [c.id] })).status, 200);
	const first = await code(c);
	const second = await code(c);
	let [res, json] = await token(c, { grant_type: 'authorization_code', code: first,
		redirect_uri: CALLBACK });
	assert.equal(res.status, 200, JSON.stringify(json));
	const claims = JSON.parse(Buffer.from(json.id_token.split('.')[1], 'base64url'));
	assert.deepEqual(claims.groups, ['rt']);
	const refresh = json.refresh_token;
	// Out of the group after the code was issued: the code no longer works.
	await admin.call('PUT', `/api/user-groups/${group.id}/users`, { userIds: [] });
	[res, json] = await token(c, { grant_type: 'authorization_code', code: second,
		redirect_uri: CALLBACK });
	assert.equal(res.status, 403);
	assert.equal(json.error, 'access_denied');
	[res, json] = await token(c, { grant_type: 'refresh_token', refresh_token: refresh });
	assert.equal(res.status, 403);
	assert.equal(json.error, 'access_denied');
	// Back in the group but disabled: invalid_grant.
	await admin.call('PUT', `/api/user-groups/${group.id}/users`, { userIds: [adminUser.id] });
	const third = await code(c);
	await cluster.psql(DB, `UPDATE users SET disabled = true WHERE id = '${adminUser.id}'`);
	try {
		[res, json] = await token(c, { grant_type: 'authorization_code', code: third,
			redirect_uri: CALLBACK });
		assert.equal(res.status, 400);
		assert.equal(json.error, 'invalid_grant');
		assert.match(json.error_description, /disabled/);
	} finally {
		await cluster.psql(DB, `UPDATE users SET disabled = false WHERE id = '${adminUser.id}'`);
	}
});
