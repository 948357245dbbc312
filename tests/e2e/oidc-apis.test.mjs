// OAuth APIs and resource indicators (spec §1.8, §2.11, §10.2): every
// admin route with its success shape and its errors, then the protocol:
// /authorize, PAR, the device and token endpoints with `resource`, the
// access token's aud and scp, userinfo, consent's scopeInfo, and the
// re-check of a refresh against the current grants. The tests titled
// "api.spec.ts: ..." replay Pocket ID's own api.spec.ts behaviours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startCluster } from './lib/pg.mjs';
import { startStack } from './lib/stack.mjs';
import { client as apiClient } from './lib/authenticator.mjs';

const CALLBACK = 'https://rp.example/callback';
const ORDERS = 'https://api.orders.test';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let cluster, stack, admin, nextcloud, immich, tailscale, pub, orders;

async function makeClient(name, body = {}) {
	const created = await admin.post('/api/oidc/clients', { name, callbackURLs: [CALLBACK],
		isPublic: false, pkceEnabled: false, ...body });
	assert.equal(created.status, 201, created.text);
	const c = { id: created.json.id, name };
	if (!body.isPublic) {
		const secret = await admin.post(`/api/oidc/clients/${c.id}/secrets`, {});
		assert.equal(secret.status, 201, secret.text);
		c.secret = secret.json.secret;
		c.config = await oidc.discovery(new URL(stack.url), c.id, c.secret, undefined,
			{ execute: [oidc.allowInsecureRequests] });
	}
	return c;
}

const put = (path, body) => admin.call('PUT', path, body);

before(async () => {
	cluster = await startCluster();
	stack = await startStack(await cluster.createDatabase('apis'), { workers: 2 });
	admin = apiClient(stack.url);
	const setup = await admin.post('/api/signup/setup', { username: 'tim',
		email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' });
	assert.equal(setup.status, 200, setup.text);
	nextcloud = await makeClient('Nextcloud');
	immich = await makeClient('Immich');
	tailscale = await makeClient('Tailscale');
	pub = await makeClient('Public SPA', { isPublic: true });
	// The seeded API of Pocket ID's e2e data: Orders API.
	const created = await admin.post('/api/apis', { name: 'Orders API', resource: ORDERS });
	assert.equal(created.status, 201, created.text);
	const perms = await put(`/api/apis/${created.json.id}/permissions`, { permissions: [
		{ key: 'read:orders', name: 'Read orders', description: 'See your orders' },
		{ key: 'write:orders', name: 'Write orders' }] });
	assert.equal(perms.status, 200, perms.text);
	orders = perms.json;
	orders.read = orders.permissions.find((p) => p.key === 'read:orders').id;
	orders.write = orders.permissions.find((p) => p.key === 'write:orders').id;
	// immich: user-delegated read, client (M2M) write, as in the seed.
	const grant = await put(`/api/apis/${orders.id}/clients/${immich.id}`, {
		userDelegatedAccess: true, clientAccess: true,
		userDelegatedPermissionIds: [orders.read], clientPermissionIds: [orders.write] });
	assert.equal(grant.status, 200, grant.text);
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
	// Under --enable-asan/--enable-ubsan builds the workers report here.
	assert.doesNotMatch(stack?.daemon?.output ?? '', /Sanitizer|runtime error/);
});

function jwtClaims(token) {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}
const audOf = (c) => (Array.isArray(c.aud) ? c.aud : [c.aud]);
const scopesOf = (c) => (Array.isArray(c.scp) ? c.scp : (c.scope ? c.scope.split(' ') : []));

// A raw token request (client_secret_basic) so every error is visible.
async function token(c, params) {
	const basic = Buffer.from(`${encodeURIComponent(c.id)}:${encodeURIComponent(c.secret)}`).toString('base64');
	const res = await fetch(`${stack.url}/api/oidc/token`, { method: 'POST',
		headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(params) });
	return { status: res.status, json: await res.json() };
}

// Follows our own redirects (authorize -> interaction -> authorize) with
// the admin's session until the browser would leave for the client;
// interactions collects the interaction documents the UI would render.
async function authorize(url, interactions = []) {
	let res = await fetch(url, { redirect: 'manual', headers: { cookie: admin.jar.header() } });
	for (let guard = 0; guard < 5; guard++) {
		assert.equal(res.status, 302, await res.text());
		const location = res.headers.get('location');
		if (!location.startsWith(`${stack.env.APP_URL}/interaction?`)) return new URL(location);
		const id = new URL(location).searchParams.get('interaction');
		const got = await admin.get(`/api/oidc/interactions/${id}`);
		assert.equal(got.status, 200, got.text);
		interactions.push(got.json);
		const done = await admin.post(`/api/oidc/interactions/${id}/complete`, { step: got.json.currentStep });
		assert.equal(done.status, 200, done.text);
		res = await fetch(stack.url + done.json.redirectUrl,
			{ redirect: 'manual', headers: { cookie: admin.jar.header() } });
	}
	throw new Error('too many redirects');
}

function authorizeUrl(c, params) {
	const url = new URL(`${stack.url}/authorize`);
	url.search = new URLSearchParams({ client_id: c.id, response_type: 'code',
		redirect_uri: CALLBACK, state: 'nXx-6Qr-owc1SHBa', ...params }).toString();
	return url;
}

// The code flow to the tokens (raw token request with resource when given).
async function codeTokens(c, params, tokenExtra = {}) {
	const cb = await authorize(authorizeUrl(c, params));
	const code = cb.searchParams.get('code');
	assert.ok(code, cb.toString());
	return token(c, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...tokenExtra });
}

// ---- admin routes (spec §1.8) ----------------------------------------

test('POST /api/apis creates an API: ApiDto, trailing slash stripped', async () => {
	const res = await admin.post('/api/apis', { name: 'Billing API', resource: 'https://api.billing.test//' });
	assert.equal(res.status, 201, res.text);
	assert.match(res.json.id, UUID);
	assert.equal(res.json.name, 'Billing API');
	assert.equal(res.json.resource, 'https://api.billing.test');
	assert.deepEqual(res.json.permissions, []);
	assert.equal(res.json.allowCimdClients, false);
	assert.ok(!Number.isNaN(Date.parse(res.json.createdAt)));
	const got = await admin.get(`/api/apis/${res.json.id}`);
	assert.equal(got.status, 200);
	assert.deepEqual(got.json, res.json);
});

test('POST /api/apis refuses bad bodies, the issuer and duplicates', async () => {
	const missing = await admin.post('/api/apis', {});
	assert.equal(missing.status, 400);
	assert.equal(missing.json.code, 'validation_failed');
	assert.deepEqual(missing.json.details.fields.map((f) => [f.field, f.code]).sort(),
		[['name', 'required'], ['resource', 'required']]);
	const long = await admin.post('/api/apis', { name: 'x'.repeat(51), resource: 'https://a.test' });
	assert.equal(long.json.details.fields[0].field, 'name');
	assert.equal(long.json.details.fields[0].code, 'too_long');
	for (const resource of ['not a uri', 'api.test/x', 'https://a.test/#frag',
		'javascript:alert(1)', 'data:text/plain,x', `https://a.test/${'x'.repeat(350)}`]) {
		const bad = await admin.post('/api/apis', { name: 'Bad', resource });
		assert.equal(bad.status, 400, resource);
		assert.equal(bad.json.details.fields[0].field, 'resource', resource);
	}
	for (const resource of [stack.env.APP_URL, `${stack.env.APP_URL}/`]) {
		const reserved = await admin.post('/api/apis', { name: 'Me', resource });
		assert.equal(reserved.status, 400);
		assert.equal(reserved.json.error, 'Resource is reserved by Pocket ID and cannot be used for a custom API');
		assert.equal(reserved.json.details.fields[0].code, 'reserved');
	}
	const dup = await admin.post('/api/apis', { name: 'Again', resource: `${ORDERS}/` });
	assert.equal(dup.status, 409);
	assert.equal(dup.json.code, 'already_in_use');
	assert.equal(dup.json.details.property, 'resource');
	const notJson = await admin.call('POST', '/api/apis', undefined, { 'content-type': 'text/plain' });
	assert.equal(notJson.status, 400);
	assert.equal(notJson.json.code, 'invalid_request_body');
	const anon = await fetch(`${stack.url}/api/apis`);
	assert.equal(anon.status, 401);
});

test('GET /api/apis lists with search, sort and pagination', async () => {
	const all = await admin.get('/api/apis?sort[column]=name&sort[direction]=desc');
	assert.equal(all.status, 200, all.text);
	const names = all.json.data.map((a) => a.name);
	assert.deepEqual(names, [...names].sort().reverse());
	assert.deepEqual(Object.keys(all.json.pagination).sort(),
		['currentPage', 'itemsPerPage', 'totalItems', 'totalPages']);
	const found = await admin.get('/api/apis?search=orders');
	assert.deepEqual(found.json.data.map((a) => a.resource), [ORDERS]);
	assert.equal(found.json.data[0].permissions.length, 2);
	const page = await admin.get('/api/apis?pagination[limit]=1&pagination[page]=2');
	assert.equal(page.json.data.length, 1);
	assert.equal(page.json.pagination.currentPage, 2);
	const badSort = await admin.get('/api/apis?sort[column]=secret');
	assert.equal(badSort.status, 400);
});

test('GET/PUT/DELETE /api/apis/:id: read, rename (resource immutable), delete, 404s', async () => {
	const made = (await admin.post('/api/apis', { name: 'Temp', resource: 'urn:example:temp' })).json;
	const renamed = await put(`/api/apis/${made.id}`, { name: 'Renamed', resource: 'https://other.test' });
	assert.equal(renamed.status, 200, renamed.text);
	assert.equal(renamed.json.name, 'Renamed');
	assert.equal(renamed.json.resource, 'urn:example:temp');
	const empty = await put(`/api/apis/${made.id}`, { name: '' });
	assert.equal(empty.status, 400);
	assert.equal(empty.json.details.fields[0].code, 'required');
	assert.equal((await admin.del(`/api/apis/${made.id}`)).status, 204);
	for (const path of [`/api/apis/${made.id}`, '/api/apis/not-a-uuid']) {
		const gone = await admin.get(path);
		assert.equal(gone.status, 404);
		assert.equal(gone.json.code, 'not_found');
		assert.equal(gone.json.error, 'API not found');
	}
	assert.equal((await admin.del(`/api/apis/${made.id}`)).status, 404);
	assert.equal((await put(`/api/apis/${made.id}`, { name: 'x' })).status, 404);
});

test('PUT /api/apis/:id/permissions replaces by key; reserved and duplicate keys refused', async () => {
	const api = (await admin.post('/api/apis', { name: 'Ship', resource: 'https://ship.test' })).json;
	const path = `/api/apis/${api.id}/permissions`;
	const first = await put(path, { permissions: [{ key: 'read:x', name: 'Read' },
		{ key: 'write:x', name: 'Write', description: 'Change things' }] });
	assert.equal(first.status, 200, first.text);
	assert.deepEqual(first.json.permissions.map((p) => [p.key, p.name, p.description, p.allowedForCimdClients]),
		[['read:x', 'Read', undefined, false], ['write:x', 'Write', 'Change things', false]]);
	const readId = first.json.permissions[0].id;
	await put(`/api/apis/${api.id}/clients/${tailscale.id}`, { userDelegatedAccess: true,
		clientAccess: false, userDelegatedPermissionIds: [readId], clientPermissionIds: [] });
	const second = await put(path, { permissions: [{ key: 'read:x', name: 'Read it' },
		{ key: 'ship:orders', name: 'Ship orders' }] });
	assert.equal(second.status, 200);
	assert.deepEqual(second.json.permissions.map((p) => p.key), ['read:x', 'ship:orders']);
	assert.equal(second.json.permissions[0].id, readId, 'a kept key keeps its id');
	const grant = await admin.get(`/api/api-access/${tailscale.id}/apis`);
	assert.deepEqual(grant.json.find((g) => g.api.id === api.id).userDelegatedPermissionIds, [readId],
		'and its grants');
	const reserved = await put(path, { permissions: [{ key: 'openid', name: 'Nope' }] });
	assert.equal(reserved.status, 400);
	assert.equal(reserved.json.details.fields[0].code, 'reserved');
	const dup = await put(path, { permissions: [{ key: 'a', name: 'A' }, { key: 'a', name: 'B' }] });
	assert.equal(dup.status, 400);
	assert.equal(dup.json.details.fields[0].code, 'duplicate');
	for (const key of ['has space', 'quo"te', '', 'k'.repeat(129)]) {
		const bad = await put(path, { permissions: [{ key, name: 'X' }] });
		assert.equal(bad.status, 400, key);
		assert.equal(bad.json.details.fields[0].field, 'key');
	}
	const noName = await put(path, { permissions: [{ key: 'ok' }] });
	assert.equal(noName.json.details.fields[0].field, 'name');
	const longDesc = await put(path, { permissions: [{ key: 'ok', name: 'ok', description: 'd'.repeat(201) }] });
	assert.equal(longDesc.json.details.fields[0].field, 'description');
	assert.equal((await put(path, {})).status, 400);
	assert.equal((await put(path, { permissions: 'x' })).status, 400);
	assert.equal((await put(`/api/apis/${crypto.randomUUID()}/permissions`, { permissions: [] })).status, 404);
	const cleared = await put(path, { permissions: [] });
	assert.deepEqual(cleared.json.permissions, []);
	await admin.del(`/api/apis/${api.id}`);
});

test('PUT /api/apis/:id/cimd-access flags the API and its permissions', async () => {
	const res = await put(`/api/apis/${orders.id}/cimd-access`, { enabled: true, permissionIds: [orders.read] });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.allowCimdClients, true);
	assert.deepEqual(res.json.permissions.map((p) => [p.key, p.allowedForCimdClients]),
		[['read:orders', true], ['write:orders', false]]);
	const foreign = await put(`/api/apis/${orders.id}/cimd-access`, { enabled: true,
		permissionIds: [crypto.randomUUID()] });
	assert.equal(foreign.status, 400);
	assert.equal(foreign.json.details.fields[0].field, 'permissionIds');
	const notIds = await put(`/api/apis/${orders.id}/cimd-access`, { enabled: true, permissionIds: ['x'] });
	assert.equal(notIds.status, 400);
	const off = await put(`/api/apis/${orders.id}/cimd-access`, { enabled: false, permissionIds: [] });
	assert.equal(off.json.allowCimdClients, false);
	assert.ok(off.json.permissions.every((p) => !p.allowedForCimdClients));
});

test('client grants: PUT/DELETE /api/apis/:id/clients/:clientId, lists from both sides', async () => {
	const path = `/api/apis/${orders.id}/clients/${tailscale.id}`;
	const set = await put(path, { userDelegatedAccess: true, clientAccess: true,
		userDelegatedPermissionIds: [orders.read, orders.write], clientPermissionIds: [orders.write] });
	assert.equal(set.status, 200, set.text);
	assert.deepEqual(set.json.client, { id: tailscale.id, name: 'Tailscale', clientType: 'standard',
		isPublic: false, hasLogo: false, hasDarkLogo: false });
	assert.equal(set.json.userDelegatedAccess, true);
	assert.equal(set.json.clientAccess, true);
	assert.deepEqual(set.json.userDelegatedPermissionIds, [orders.read, orders.write]);
	assert.deepEqual(set.json.clientPermissionIds, [orders.write]);
	assert.equal(set.json.cimdGrantedAccess, false);
	assert.deepEqual(set.json.cimdGrantedPermissionIds, []);

	const list = await admin.get(`/api/apis/${orders.id}/clients`);
	assert.equal(list.status, 200, list.text);
	assert.deepEqual(list.json.data.map((g) => g.client.name), ['Immich', 'Tailscale']);
	const assignable = await admin.get(`/api/apis/${orders.id}/assignable-clients`);
	assert.deepEqual(assignable.json.data.map((c) => c.name).sort(), ['Nextcloud', 'Public SPA']);
	const fromClient = await admin.get(`/api/api-access/${tailscale.id}/apis`);
	assert.equal(fromClient.status, 200);
	const row = fromClient.json.find((g) => g.api.id === orders.id);
	assert.equal(row.api.resource, ORDERS);
	assert.deepEqual(row.clientPermissionIds, [orders.write]);
	const offered = await admin.get(`/api/api-access/${tailscale.id}/assignable-apis`);
	assert.equal(offered.status, 200);
	assert.ok(!offered.json.data.some((a) => a.id === orders.id));
	const nextOffered = await admin.get(`/api/api-access/${nextcloud.id}/assignable-apis?search=orders`);
	assert.deepEqual(nextOffered.json.data.map((a) => a.id), [orders.id]);

	// Narrowing removes what is no longer wanted.
	const narrow = await put(path, { userDelegatedAccess: true, clientAccess: false,
		userDelegatedPermissionIds: [orders.read], clientPermissionIds: [orders.write] });
	assert.equal(narrow.json.clientAccess, false);
	assert.deepEqual(narrow.json.clientPermissionIds, []);
	assert.deepEqual(narrow.json.userDelegatedPermissionIds, [orders.read]);

	const publicM2M = await put(`/api/apis/${orders.id}/clients/${pub.id}`, { userDelegatedAccess: true,
		clientAccess: true, userDelegatedPermissionIds: [], clientPermissionIds: [] });
	assert.equal(publicM2M.status, 400);
	assert.equal(publicM2M.json.details.fields[0].field, 'clientAccess');
	const foreign = await put(path, { userDelegatedAccess: true, clientAccess: false,
		userDelegatedPermissionIds: [crypto.randomUUID()], clientPermissionIds: [] });
	assert.equal(foreign.status, 400);
	assert.equal(foreign.json.details.fields[0].field, 'userDelegatedPermissionIds');
	const noClient = await put(`/api/apis/${orders.id}/clients/nope`, { userDelegatedAccess: true });
	assert.equal(noClient.status, 404);
	const noApi = await put(`/api/apis/${crypto.randomUUID()}/clients/${tailscale.id}`, { userDelegatedAccess: true });
	assert.equal(noApi.status, 404);
	assert.equal((await admin.get(`/api/api-access/nope/apis`)).status, 404);
	assert.equal((await admin.get(`/api/api-access/nope/assignable-apis`)).status, 404);
	assert.equal((await admin.get(`/api/apis/${crypto.randomUUID()}/clients`)).status, 404);

	assert.equal((await admin.del(path)).status, 204);
	const after = await admin.get(`/api/apis/${orders.id}/clients`);
	assert.deepEqual(after.json.data.map((g) => g.client.name), ['Immich']);
	assert.equal((await admin.del(`/api/apis/${crypto.randomUUID()}/clients/${tailscale.id}`)).status, 404);
});

// ---- protocol (spec §2.11, §10.2) -------------------------------------

test('api.spec.ts: access without permissions', async () => {
	const grant = await put(`/api/apis/${orders.id}/clients/${nextcloud.id}`, { userDelegatedAccess: true,
		clientAccess: false, userDelegatedPermissionIds: [], clientPermissionIds: [] });
	assert.equal(grant.status, 200);
	const res = await codeTokens(nextcloud, { resource: ORDERS });
	assert.equal(res.status, 200, JSON.stringify(res.json));
	const claims = jwtClaims(res.json.access_token);
	assert.ok(audOf(claims).includes(ORDERS));
	assert.ok(!audOf(claims).includes(stack.env.APP_URL));
	assert.deepEqual(scopesOf(claims), []);
	assert.equal(res.json.id_token, undefined);
});

test('api.spec.ts: resource + openid, userinfo answers 200', async () => {
	const res = await codeTokens(immich, { scope: 'openid email read:orders', resource: ORDERS });
	assert.equal(res.status, 200, JSON.stringify(res.json));
	const claims = jwtClaims(res.json.access_token);
	assert.ok(audOf(claims).includes(ORDERS));
	assert.ok(audOf(claims).includes(stack.env.APP_URL));
	assert.ok(scopesOf(claims).includes('read:orders'));
	assert.equal(res.json.scope, 'openid email read:orders');
	assert.deepEqual(jwtClaims(res.json.id_token).aud, [immich.id]);
	const info = await fetch(`${stack.url}/api/oidc/userinfo`,
		{ headers: { authorization: `Bearer ${res.json.access_token}` } });
	assert.equal(info.status, 200);
	assert.equal((await info.json()).email, 'tim@example.com');
});

test('api.spec.ts: the consent screen shows the friendly name "Read orders"', async () => {
	const seen = [];
	const cb = await authorize(authorizeUrl(immich, { scope: 'openid read:orders', resource: ORDERS,
		prompt: 'consent' }), seen);
	assert.ok(cb.searchParams.get('code'));
	const consent = seen.find((i) => i.currentStep === 'consent');
	assert.ok(consent.scopes.includes('read:orders'));
	assert.deepEqual(consent.scopeInfo, [{ key: 'read:orders', name: 'Read orders',
		description: 'See your orders' }]);
});

test('api.spec.ts: openid read:orders without resource is invalid_scope, state echoed', async () => {
	const cb = await authorize(authorizeUrl(immich, { scope: 'openid read:orders' }));
	assert.equal(cb.searchParams.get('error'), 'invalid_scope');
	assert.equal(cb.searchParams.get('state'), 'nXx-6Qr-owc1SHBa');
});

test('api.spec.ts: client credentials with write:orders', async () => {
	const res = await token(immich, { grant_type: 'client_credentials', scope: 'write:orders', resource: ORDERS });
	assert.equal(res.status, 200, JSON.stringify(res.json));
	const claims = jwtClaims(res.json.access_token);
	assert.ok(audOf(claims).includes(ORDERS));
	assert.ok(scopesOf(claims).includes('write:orders'));
	assert.equal(claims.sub, `client-${immich.id}`);
	assert.equal(res.json.refresh_token, undefined);
});

test('api.spec.ts: client credentials asking read:orders (user-delegated only) is invalid_scope', async () => {
	const res = await token(immich, { grant_type: 'client_credentials', scope: 'read:orders', resource: ORDERS });
	assert.equal(res.json.access_token, undefined);
	assert.equal(res.json.error, 'invalid_scope');
});

test('api.spec.ts: code flow asking a client-only permission is invalid_request, state echoed', async () => {
	const cb = await authorize(authorizeUrl(immich, { scope: 'openid write:orders', resource: ORDERS }));
	assert.equal(cb.searchParams.get('error'), 'invalid_request');
	assert.equal(cb.searchParams.get('state'), 'nXx-6Qr-owc1SHBa');
	assert.equal(cb.searchParams.get('error_description'), "The 'resource' or 'scope' parameter is invalid.");
});

test('client credentials: no scope gets every client permission; identity scopes are dropped', async () => {
	const all = await token(immich, { grant_type: 'client_credentials', resource: `${ORDERS}/` });
	assert.equal(all.status, 200, JSON.stringify(all.json));
	assert.deepEqual(scopesOf(jwtClaims(all.json.access_token)), ['write:orders']);
	const id = await token(immich, { grant_type: 'client_credentials', scope: 'openid write:orders', resource: ORDERS });
	assert.equal(id.status, 200);
	const claims = jwtClaims(id.json.access_token);
	assert.deepEqual(scopesOf(claims), ['write:orders']);
	assert.ok(!audOf(claims).includes(stack.env.APP_URL));
	const plain = await token(immich, { grant_type: 'client_credentials' });
	assert.deepEqual(audOf(jwtClaims(plain.json.access_token)), [immich.id]);
	const noRes = await token(immich, { grant_type: 'client_credentials', scope: 'write:orders' });
	assert.equal(noRes.json.error, 'invalid_scope');
	const noM2M = await token(nextcloud, { grant_type: 'client_credentials', resource: ORDERS });
	assert.equal(noM2M.status, 403);
	assert.equal(noM2M.json.error, 'access_denied');
});

test('an unknown resource is invalid_target at the token endpoint, collapsed at /authorize', async () => {
	const res = await token(immich, { grant_type: 'client_credentials', resource: 'https://unknown.test' });
	assert.equal(res.status, 400);
	assert.equal(res.json.error, 'invalid_target');
	const frag = await token(immich, { grant_type: 'client_credentials', resource: 'https://a.test/#x' });
	assert.equal(frag.json.error, 'invalid_target');
	const cb = await authorize(authorizeUrl(immich, { scope: 'openid', resource: 'https://unknown.test' }));
	assert.equal(cb.searchParams.get('error'), 'invalid_request');
	const noAccess = await authorize(authorizeUrl(tailscale, { scope: 'openid', resource: ORDERS }));
	assert.equal(noAccess.searchParams.get('error'), 'invalid_request');
});

test('the code is bound to its resource; another resource at the token endpoint is invalid_target', async () => {
	const res = await codeTokens(immich, { scope: 'openid read:orders', resource: ORDERS },
		{ resource: 'https://api.billing.test' });
	assert.equal(res.status, 400);
	assert.equal(res.json.error, 'invalid_target');
	const same = await codeTokens(immich, { scope: 'openid read:orders', resource: ORDERS },
		{ resource: `${ORDERS}/` });
	assert.equal(same.status, 200, JSON.stringify(same.json));
});

test('refresh keeps the resource, is re-checked against the grants, and targets one API', async () => {
	const first = await codeTokens(immich, { scope: 'openid read:orders', resource: ORDERS });
	assert.equal(first.status, 200, JSON.stringify(first.json));
	const second = await token(immich, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token });
	assert.equal(second.status, 200, JSON.stringify(second.json));
	const claims = jwtClaims(second.json.access_token);
	assert.ok(audOf(claims).includes(ORDERS));
	assert.ok(scopesOf(claims).includes('read:orders'));
	const other = await token(immich, { grant_type: 'refresh_token', refresh_token: second.json.refresh_token,
		resource: 'https://api.billing.test' });
	assert.equal(other.json.error, 'invalid_target');
	// The permission is taken away: the refresh asks for more than granted now.
	const third = await codeTokens(immich, { scope: 'openid read:orders', resource: ORDERS });
	await put(`/api/apis/${orders.id}/clients/${immich.id}`, { userDelegatedAccess: true, clientAccess: true,
		userDelegatedPermissionIds: [], clientPermissionIds: [orders.write] });
	const noPerm = await token(immich, { grant_type: 'refresh_token', refresh_token: third.json.refresh_token });
	assert.equal(noPerm.json.error, 'invalid_scope');
	// The whole grant is removed: access_denied.
	await put(`/api/apis/${orders.id}/clients/${immich.id}`, { userDelegatedAccess: true, clientAccess: true,
		userDelegatedPermissionIds: [orders.read], clientPermissionIds: [orders.write] });
	const fourth = await codeTokens(immich, { scope: 'openid read:orders', resource: ORDERS });
	assert.equal((await admin.del(`/api/apis/${orders.id}/clients/${immich.id}`)).status, 204);
	const denied = await token(immich, { grant_type: 'refresh_token', refresh_token: fourth.json.refresh_token });
	assert.equal(denied.status, 403);
	assert.equal(denied.json.error, 'access_denied');
	const restore = await put(`/api/apis/${orders.id}/clients/${immich.id}`, { userDelegatedAccess: true,
		clientAccess: true, userDelegatedPermissionIds: [orders.read], clientPermissionIds: [orders.write] });
	assert.equal(restore.status, 200);
});

test('without a resource: audience is the client and only standard scopes (unknown ones dropped)', async () => {
	const res = await codeTokens(immich, { scope: 'openid email bogus' });
	assert.equal(res.status, 200, JSON.stringify(res.json));
	const claims = jwtClaims(res.json.access_token);
	assert.deepEqual(audOf(claims), [immich.id, stack.env.APP_URL]);
	assert.equal(res.json.scope, 'openid email');
});

test('PAR carries the resource to /authorize', async () => {
	const basic = Buffer.from(`${immich.id}:${immich.secret}`).toString('base64');
	const pushed = await fetch(`${stack.url}/api/oidc/par`, { method: 'POST',
		headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ response_type: 'code', redirect_uri: CALLBACK, scope: 'openid read:orders',
			state: 'nXx-6Qr-owc1SHBa', resource: ORDERS }) });
	assert.equal(pushed.status, 201);
	const { request_uri } = await pushed.json();
	const url = new URL(`${stack.url}/authorize`);
	url.search = new URLSearchParams({ client_id: immich.id, request_uri }).toString();
	const cb = await authorize(url);
	const res = await token(immich, { grant_type: 'authorization_code', code: cb.searchParams.get('code'),
		redirect_uri: CALLBACK });
	assert.equal(res.status, 200, JSON.stringify(res.json));
	assert.ok(audOf(jwtClaims(res.json.access_token)).includes(ORDERS));
});

test('device authorization: resource checked, scopeInfo shown, token for the API', async () => {
	const basic = Buffer.from(`${immich.id}:${immich.secret}`).toString('base64');
	const device = (params) => fetch(`${stack.url}/api/oidc/device/authorize`, { method: 'POST',
		headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(params) });
	const unknown = await device({ scope: 'openid', resource: 'https://unknown.test' });
	assert.equal(unknown.status, 400);
	assert.equal((await unknown.json()).error, 'invalid_target');
	const clientOnly = await device({ scope: 'openid write:orders', resource: ORDERS });
	assert.equal((await clientOnly.json()).error, 'invalid_scope');
	const ok = await device({ scope: 'openid read:orders', resource: ORDERS });
	assert.equal(ok.status, 200);
	const da = await ok.json();
	const info = await admin.get(`/api/oidc/device/info?code=${da.user_code}`);
	assert.equal(info.status, 200, info.text);
	assert.deepEqual(info.json.scopeInfo.map((s) => s.name), ['Read orders']);
	assert.deepEqual(info.json.scope, ['openid', 'read:orders']);
	assert.equal(info.json.authorizationRequired, false, 'consented to in the code flows');
	assert.equal((await admin.post(`/api/oidc/device/verify?code=${da.user_code}`)).status, 204);
	const res = await token(immich, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
		device_code: da.device_code });
	assert.equal(res.status, 200, JSON.stringify(res.json));
	const claims = jwtClaims(res.json.access_token);
	assert.ok(audOf(claims).includes(ORDERS));
	assert.ok(scopesOf(claims).includes('read:orders'));
});

test('deleting a client or an API removes its grants', async () => {
	const temp = await makeClient('Temp');
	await put(`/api/apis/${orders.id}/clients/${temp.id}`, { userDelegatedAccess: true, clientAccess: true,
		userDelegatedPermissionIds: [orders.read], clientPermissionIds: [orders.write] });
	assert.equal((await admin.del(`/api/oidc/clients/${temp.id}`)).status, 204);
	assert.equal(await cluster.psql('apis',
		`SELECT count(*) FROM oidc_clients_allowed_api_permissions WHERE oidc_client_id = '${temp.id}'`), '0');
	const api = (await admin.post('/api/apis', { name: 'Gone', resource: 'https://gone.test' })).json;
	const p = (await put(`/api/apis/${api.id}/permissions`, { permissions: [{ key: 'g', name: 'G' }] })).json;
	await put(`/api/apis/${api.id}/clients/${tailscale.id}`, { userDelegatedAccess: true, clientAccess: false,
		userDelegatedPermissionIds: [p.permissions[0].id], clientPermissionIds: [] });
	assert.equal((await admin.del(`/api/apis/${api.id}`)).status, 204);
	assert.equal(await cluster.psql('apis',
		`SELECT count(*) FROM oidc_clients_allowed_apis WHERE api_id = '${api.id}'`), '0');
});

test('CIMD clients reach APIs that allow them, with the flagged permissions only', async () => {
	await cluster.psql('apis', `UPDATE oidc_clients SET client_type = 'cimd' WHERE id = '${pub.id}'`);
	const verifier = oidc.randomPKCECodeVerifier();
	const params = { scope: 'openid read:orders', resource: ORDERS, code_challenge_method: 'S256',
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier) };
	const closed = await authorize(authorizeUrl(pub, params));
	assert.equal(closed.searchParams.get('error'), 'invalid_request', 'the API does not allow CIMD clients');
	const open = await put(`/api/apis/${orders.id}/cimd-access`, { enabled: true, permissionIds: [orders.read] });
	assert.equal(open.status, 200);
	const write = await authorize(authorizeUrl(pub, { ...params, scope: 'openid write:orders' }));
	assert.equal(write.searchParams.get('error'), 'invalid_request', 'write:orders is not flagged');
	const cb = await authorize(authorizeUrl(pub, params));
	const res = await fetch(`${stack.url}/api/oidc/token`, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'authorization_code', client_id: pub.id,
			code: cb.searchParams.get('code'), redirect_uri: CALLBACK, code_verifier: verifier }) });
	const json = await res.json();
	assert.equal(res.status, 200, JSON.stringify(json));
	const claims = jwtClaims(json.access_token);
	assert.ok(audOf(claims).includes(ORDERS));
	assert.ok(scopesOf(claims).includes('read:orders'));
	const listed = await admin.get(`/api/apis/${orders.id}/clients`);
	const row = listed.json.data.find((g) => g.client.id === pub.id);
	assert.equal(row.client.clientType, 'cimd');
	assert.equal(row.cimdGrantedAccess, true);
	assert.deepEqual(row.cimdGrantedPermissionIds, [orders.read]);
	assert.equal(row.userDelegatedAccess, false);
	await put(`/api/apis/${orders.id}/cimd-access`, { enabled: false, permissionIds: [] });
	await cluster.psql('apis', `UPDATE oidc_clients SET client_type = 'standard' WHERE id = '${pub.id}'`);
});
