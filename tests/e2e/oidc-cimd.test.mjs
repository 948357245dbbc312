// OAuth Client ID Metadata Documents (spec §2.12, §1.7) end to end: a
// client whose client_id is the https URL of its own metadata document,
// served over real TLS from a TEST-NET address of this machine
// (lib/public-https.mjs; the daemon trusts its CA through SSL_CERT_FILE).
// The code flow with PKCE through openid-client; the allowlist; each
// document rule refused with its own message; the metadata cache and its
// expiry; the admin's refresh route, PUT rules and ~base64url ids; the
// device grant; and the SSRF guard refusing loopback and private targets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startCluster } from './lib/pg.mjs';
import { startStack } from './lib/stack.mjs';
import { client } from './lib/authenticator.mjs';
import { request, baseParams } from './lib/fcgi.mjs';
import { png } from './lib/images.mjs';
import { startPublicHttps, publicHttpsUnavailable } from './lib/public-https.mjs';

const DB = 'oidc_cimd';
const ADDR = '198.51.100.7';
const CALLBACK = 'https://rp.example/callback';
const UA = 'pocket-id/oidc-client-metadata-fetcher';
const skip = publicHttpsUnavailable() ?? false;
if (skip) console.log(`# oidc-cimd: skipped: ${skip}`);

let cluster, stack, admin, adminUser, anon, https;
// Set when the HTTPS fixture could not start after all (ip addr add
// refused, e.g. root without CAP_NET_ADMIN): every test then skips.
let lateSkip;
function cimdTest(name, fn) {
	test(name, { skip }, async (t) => {
		if (lateSkip) {
			t.skip(lateSkip);
			return;
		}
		await fn(t);
	});
}
// path -> { status, body, headers } served by the metadata host.
const docs = new Map();
const hits = new Map();
const agents = [];

const b64 = (s) => `~${Buffer.from(s).toString('base64url')}`;
const idOf = (path) => `${https.url}${path}`;
const docFor = (path, o = {}) => ({ client_id: idOf(path), client_name: 'CIMD App',
	redirect_uris: [CALLBACK], grant_types: ['authorization_code', 'refresh_token'],
	response_types: ['code'], token_endpoint_auth_method: 'none', ...o });
function serve(path, body, { status = 200, headers = {} } = {}) {
	docs.set(path, { status, body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
		headers: { 'content-type': 'application/json', ...headers } });
}
async function setAllowlist(list) {
	await cluster.psql(DB, `INSERT INTO app_config (key, value) VALUES
		('cimdUrlAllowlist', '${JSON.stringify(list)}')
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
}

before(async () => {
	if (skip) return;
	https = await startPublicHttps(ADDR, (req, res) => {
		hits.set(req.url, (hits.get(req.url) ?? 0) + 1);
		agents.push(req.headers['user-agent']);
		const d = docs.get(req.url);
		if (!d) {
			res.writeHead(404);
			res.end();
			return;
		}
		res.writeHead(d.status, d.headers);
		res.end(d.body);
	});
	if (https.skip) {
		lateSkip = https.skip;
		console.log(`# oidc-cimd: skipped: ${lateSkip}`);
		https = undefined;
		return;
	}
	cluster = await startCluster();
	stack = await startStack(await cluster.createDatabase(DB), { workers: 2,
		env: { SSL_CERT_FILE: https.caFile } });
	admin = client(stack.url);
	anon = client(stack.url);
	const setup = await admin.post('/api/signup/setup', { username: 'tim',
		email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' });
	assert.equal(setup.status, 200, setup.text);
	adminUser = setup.json;
	await setAllowlist([`https://${ADDR}:*/allowed/**`, 'https://127.0.0.1:*/**',
		'https://10.1.2.3/**', 'https://localhost/**']);
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
	await https?.stop?.();
});

// Our redirects (authorize -> interaction -> authorize) with the admin's
// cookies, until the browser would leave for the client or an error page.
async function authorize(url) {
	const steps = [];
	let res = await fetch(url, { redirect: 'manual', headers: { cookie: admin.jar.header() } });
	for (let guard = 0; guard < 5; guard++) {
		assert.equal(res.status, 302, await res.text());
		const location = res.headers.get('location');
		if (!location.startsWith(`${stack.env.APP_URL}/interaction?`)) return { location, steps };
		const id = new URL(location).searchParams.get('interaction');
		const step = (await admin.get(`/api/oidc/interactions/${id}`)).json.currentStep;
		steps.push(step);
		const done = await admin.post(`/api/oidc/interactions/${id}/complete`, { step });
		assert.equal(done.status, 200, done.text);
		res = await fetch(stack.url + done.json.redirectUrl,
			{ redirect: 'manual', headers: { cookie: admin.jar.header() } });
	}
	throw new Error('too many redirects');
}

// PAR with a client_id: the client lookup's answer, as { status, json }.
async function par(clientId, extra = {}) {
	const res = await fetch(`${stack.url}/api/oidc/par`, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: clientId, response_type: 'code',
			redirect_uri: CALLBACK, scope: 'openid', state: 'state-12345678',
			code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
			code_challenge_method: 'S256', ...extra }) });
	return { status: res.status, json: await res.json().catch(() => undefined) };
}

const errorPage = (location) => new URL(location).searchParams.get('error');

cimdTest('a metadata-document client completes the code flow with PKCE (openid-client)', async () => {
	const path = '/allowed/app.json';
	serve(path, docFor(path), { headers: { 'cache-control': 'public, max-age=600' } });
	const clientId = idOf(path);
	const config = await oidc.discovery(new URL(stack.url), clientId, undefined, oidc.None(),
		{ execute: [oidc.allowInsecureRequests] });
	const verifier = oidc.randomPKCECodeVerifier();
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK,
		scope: 'openid profile email', state, nonce,
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256' });
	const { location, steps } = await authorize(url);
	assert.deepEqual(steps, ['consent']);
	const cb = new URL(location);
	assert.equal(cb.origin + cb.pathname, CALLBACK, location);
	const tokens = await oidc.authorizationCodeGrant(config, cb, {
		pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
	const claims = tokens.claims();
	assert.equal(claims.sub, adminUser.id);
	assert.deepEqual([claims.aud].flat(), [clientId]);
	assert.ok(tokens.refresh_token, 'refresh_token is a declared grant');
	const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
	assert.ok(refreshed.access_token);
	// Fetched once, by our user agent; the row is a public PKCE 'cimd' client.
	assert.equal(hits.get(path), 1);
	assert.ok(agents.every((a) => a === UA), agents.join());
	const row = await cluster.psql(DB, `SELECT client_type, name, is_public, pkce_enabled,
		metadata_grant_types::text, metadata_expires_at > now() + interval '9 minutes',
		metadata_expires_at < now() + interval '11 minutes'
		FROM oidc_clients WHERE id = '${clientId}'`);
	assert.equal(row, 'cimd|CIMD App|t|t|["authorization_code", "refresh_token"]|t|t');
	// Without PKCE the public client is refused.
	const plain = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid',
		state: oidc.randomState() });
	const res = await fetch(plain, { redirect: 'manual', headers: { cookie: admin.jar.header() } });
	assert.match(res.headers.get('location'), /^https:\/\/rp\.example\/callback\?.*error=/);
});

cimdTest('the admin API reaches it by ~base64url id; PUT changes only the admin fields', async () => {
	const clientId = idOf('/allowed/app.json');
	let r = await admin.get(`/api/oidc/clients/${b64(clientId)}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.id, clientId);
	assert.equal(r.json.clientType, 'cimd');
	assert.equal(r.json.name, 'CIMD App');
	assert.deepEqual(r.json.callbackURLs, [CALLBACK]);
	assert.equal(r.json.isPublic, true);
	assert.equal(r.json.pkceEnabled, true);
	r = await anon.get(`/api/oidc/clients/${b64(clientId)}/meta`);
	assert.equal(r.status, 200);
	assert.equal(r.json.clientType, 'cimd');
	r = await admin.call('PUT', `/api/oidc/clients/${b64(clientId)}`, {
		name: 'Renamed', description: 'From a metadata document', callbackURLs: ['https://evil.example/cb'],
		logoutCallbackURLs: [], isPublic: false, pkceEnabled: false, requiresReauthentication: true,
		requiresPushedAuthorizationRequests: false, skipConsent: true, launchURL: 'https://app.example.com',
		isGroupRestricted: false, accessTokenDurationMinutes: 30, refreshTokenDurationMinutes: 600 });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.name, 'CIMD App', 'the document owns the name');
	assert.deepEqual(r.json.callbackURLs, [CALLBACK], 'and the redirect URIs');
	assert.equal(r.json.isPublic, true);
	assert.equal(r.json.pkceEnabled, true);
	assert.equal(r.json.description, 'From a metadata document');
	assert.equal(r.json.requiresReauthentication, true);
	assert.equal(r.json.skipConsent, true);
	assert.equal(r.json.launchURL, 'https://app.example.com');
	assert.equal(r.json.accessTokenDurationMinutes, 30);
	assert.equal(r.json.refreshTokenDurationMinutes, 600);
	r = await admin.call('PUT', `/api/oidc/clients/${b64(clientId)}`, { name: 'x', requiresReauthentication: false,
		description: 'From a metadata document', skipConsent: false, isGroupRestricted: false,
		callbackURLs: [CALLBACK] });
	assert.equal(r.status, 200, r.text);
	assert.equal((await admin.get(`/api/oidc/clients/${b64(clientId)}`)).json.skipConsent, false);
	// The user's authorized apps name it, and it is revoked by ~base64url id.
	r = await admin.get('/api/oidc/users/me/authorized-clients');
	assert.deepEqual(r.json.data.map((x) => [x.client.id, x.client.clientType]), [[clientId, 'cimd']]);
	r = await admin.del(`/api/oidc/users/me/authorized-clients/${b64(clientId)}`);
	assert.equal(r.status, 204, r.text);
	assert.equal((await admin.get('/api/oidc/users/me/authorized-clients')).json.data.length, 0);
	await cluster.psql(DB, `INSERT INTO user_authorized_oidc_clients (user_id, client_id, scope)
		VALUES ('${adminUser.id}', '${clientId}', '["openid"]')`);
	// Not base64url, or not a client: 404.
	assert.equal((await admin.get('/api/oidc/clients/~%2B%2B')).status, 404);
	assert.equal((await admin.get(`/api/oidc/clients/${b64(idOf('/allowed/none.json'))}`)).status, 404);
});

cimdTest('POST /api/oidc/clients/:id/refresh fetches the document again', async () => {
	const path = '/allowed/app.json';
	const clientId = idOf(path);
	const before = hits.get(path);
	assert.equal(await cluster.psql(DB, `SELECT count(*) FROM user_authorized_oidc_clients WHERE client_id = '${clientId}'`), '1');
	// A new name only: consents stay.
	serve(path, docFor(path, { client_name: 'CIMD App 2' }));
	let r = await admin.post(`/api/oidc/clients/${b64(clientId)}/refresh`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.id, clientId);
	assert.equal(r.json.name, 'CIMD App 2');
	assert.equal(r.json.clientType, 'cimd');
	assert.equal(r.json.description, 'From a metadata document', 'admin fields survive');
	assert.ok(Array.isArray(r.json.allowedUserGroups));
	assert.equal(hits.get(path), before + 1);
	assert.equal(await cluster.psql(DB, `SELECT count(*) FROM user_authorized_oidc_clients WHERE client_id = '${clientId}'`), '1');
	// New redirect URIs: a security-relevant change drops the consents (spec §2.9).
	serve(path, docFor(path, { client_name: 'CIMD App 2', redirect_uris: [CALLBACK, 'https://rp.example/cb2'] }));
	r = await admin.post(`/api/oidc/clients/${b64(clientId)}/refresh`);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.callbackURLs, [CALLBACK, 'https://rp.example/cb2']);
	assert.equal(await cluster.psql(DB, `SELECT count(*) FROM user_authorized_oidc_clients WHERE client_id = '${clientId}'`), '0');
	// A document that broke is refused and the stored client stays.
	serve(path, docFor(path, { token_endpoint_auth_method: 'client_secret_post' }));
	r = await admin.post(`/api/oidc/clients/${b64(clientId)}/refresh`);
	assert.equal(r.status, 400, r.text);
	assert.equal(r.json.code, 'cimd_refresh_failed');
	assert.match(r.json.error, /token_endpoint_auth_method to none/);
	assert.equal((await admin.get(`/api/oidc/clients/${b64(clientId)}`)).json.name, 'CIMD App 2');
	serve(path, docFor(path));
	// Errors: a registered client, an unknown one, a non-admin.
	const std = await admin.post('/api/oidc/clients', { name: 'Standard', callbackURLs: [CALLBACK] });
	assert.equal(std.status, 201, std.text);
	r = await admin.post(`/api/oidc/clients/${std.json.id}/refresh`);
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'not_cimd_client');
	assert.equal(r.json.error, 'The client is not a client ID metadata document client');
	r = await admin.post(`/api/oidc/clients/${b64(idOf('/allowed/unknown.json'))}/refresh`);
	assert.equal(r.status, 404);
	r = await anon.post(`/api/oidc/clients/${b64(clientId)}/refresh`);
	assert.equal(r.status, 401);
});

cimdTest('expired metadata is fetched again at the next lookup', async () => {
	const path = '/allowed/app.json';
	const clientId = idOf(path);
	const before = hits.get(path);
	assert.equal((await par(clientId)).status, 201);
	assert.equal(hits.get(path), before, 'fresh: served from the row');
	await cluster.psql(DB, `UPDATE oidc_clients SET metadata_expires_at = now() - interval '1 second' WHERE id = '${clientId}'`);
	assert.equal((await par(clientId)).status, 201);
	assert.equal(hits.get(path), before + 1);
	assert.equal(await cluster.psql(DB, `SELECT metadata_expires_at > now() + interval '50 minutes' FROM oidc_clients WHERE id = '${clientId}'`),
		't', 'no max-age: an hour');
});

cimdTest('a client_id that is not on the allowlist is refused without a fetch', async () => {
	const path = '/other/app.json';
	serve(path, docFor(path));
	const r = await par(idOf(path));
	assert.equal(r.status, 401);
	assert.equal(r.json.error, 'invalid_client');
	assert.match(r.json.error_description, /allowlist/);
	const { location } = await authorize(`${stack.url}/authorize?` + new URLSearchParams({
		client_id: idOf(path), response_type: 'code', redirect_uri: CALLBACK,
		scope: 'openid', state: 'state-12345678' }));
	assert.match(errorPage(location), /allowlist/);
	assert.equal(hits.get(path), undefined);
	assert.equal(await cluster.psql(DB, `SELECT count(*) FROM oidc_clients WHERE id = '${idOf(path)}'`), '0');
	// An empty allowlist turns the feature off.
	await setAllowlist([]);
	assert.match((await par(idOf('/allowed/app.json'))).json.error_description, /allowlist/);
	await setAllowlist([`https://${ADDR}:*/allowed/**`, 'https://127.0.0.1:*/**',
		'https://10.1.2.3/**', 'https://localhost/**']);
});

cimdTest('each rule of spec §2.12 refuses a document with a clear message', async () => {
	const cases = [
		['auth-basic', (p) => docFor(p, { token_endpoint_auth_method: 'client_secret_basic' }), /token_endpoint_auth_method to none/],
		['auth-jwt', (p) => docFor(p, { token_endpoint_auth_method: 'private_key_jwt' }), /token_endpoint_auth_method to none/],
		['auth-missing', (p) => docFor(p, { token_endpoint_auth_method: undefined }), /token_endpoint_auth_method/],
		['secret', (p) => docFor(p, { client_secret: 'shh' }), /client secret/],
		['grant-implicit', (p) => docFor(p, { grant_types: ['authorization_code', 'implicit'] }), /grant_types may only hold/],
		['grant-cc', (p) => docFor(p, { grant_types: ['client_credentials'] }), /grant_types may only hold/],
		['grant-refresh-only', (p) => docFor(p, { grant_types: ['refresh_token'] }), /must include authorization_code or device_code/],
		['response-token', (p) => docFor(p, { response_types: ['code', 'token'] }), /response_types may only hold code/],
		['no-redirects', (p) => docFor(p, { redirect_uris: [] }), /must list redirect_uris/],
		['wildcard', (p) => docFor(p, { redirect_uris: ['https://*.rp.example/callback'] }), /wildcard/],
		['relative', (p) => docFor(p, { redirect_uris: ['/callback'] }), /absolute/],
		['javascript', (p) => docFor(p, { redirect_uris: ['javascript:alert(1)'] }), /javascript/],
		['data', (p) => docFor(p, { redirect_uris: ['data:text/html,hi'] }), /javascript: or data:/],
		['logout-wildcard', (p) => docFor(p, { post_logout_redirect_uris: ['https://rp.example/**'] }), /wildcard/],
		['other-id', () => docFor('/allowed/someone-else.json'), /client_id in the metadata document differs/],
		['not-json', () => 'hello', /not a JSON object/],
		['array', () => [], /not a JSON object/],
		['too-large', (p) => ({ ...docFor(p), pad: 'x'.repeat(70 * 1024) }), /larger than allowed/],
	];
	for (const [name, make, why] of cases) {
		const path = `/allowed/bad-${name}.json`;
		serve(path, make(path));
		const r = await par(idOf(path));
		assert.equal(r.status, 401, `${name}: ${JSON.stringify(r.json)}`);
		assert.equal(r.json.error, 'invalid_client', name);
		assert.match(r.json.error_description, why, name);
	}
	// What the server answers besides a document.
	serve('/allowed/status-500.json', 'oops', { status: 500 });
	let r = await par(idOf('/allowed/status-500.json'));
	assert.match(r.json.error_description, /did not answer 200 OK/);
	r = await par(idOf('/allowed/missing.json'));
	assert.match(r.json.error_description, /did not answer 200 OK/);
	serve('/allowed/redirect.json', '', { status: 302, headers: { location: idOf('/allowed/app.json') } });
	r = await par(idOf('/allowed/redirect.json'));
	assert.match(r.json.error_description, /redirect, which is not followed/);
	// Malformed client_id URLs (draft §3) never leave the building.
	for (const id of [`${https.url}/allowed/a.json?x=1`, `${https.url}/allowed/./a.json`,
		`https://user@${ADDR}:${new URL(https.url).port}/allowed/a.json`]) {
		r = await par(id);
		assert.equal(r.status, 401, id);
		assert.match(r.json.error_description, /client_id URL/, id);
	}
	assert.equal(await cluster.psql(DB, "SELECT count(*) FROM oidc_clients WHERE id LIKE '%/bad-%'"), '0');
});

cimdTest('the grant types of the document bound what the client may do', async () => {
	const device = '/allowed/tv.json';
	serve(device, docFor(device, { grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
		redirect_uris: undefined }));
	let res = await fetch(`${stack.url}/api/oidc/device/authorize`, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: idOf(device), scope: 'openid' }) });
	assert.equal(res.status, 200, await res.clone().text());
	assert.ok((await res.json()).device_code);
	const r = await par(idOf(device));
	assert.equal(r.status, 401);
	assert.match(r.json.error_description, /does not declare this grant type/);
	// The code client may not use the device grant.
	res = await fetch(`${stack.url}/api/oidc/device/authorize`, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: idOf('/allowed/app.json'), scope: 'openid' }) });
	assert.equal(res.status, 401);
	assert.match((await res.json()).error_description, /does not declare this grant type/);
});

cimdTest('a document without refresh_token gets no refresh token', async () => {
	const path = '/allowed/once.json';
	serve(path, docFor(path, { grant_types: ['authorization_code'] }));
	const clientId = idOf(path);
	const config = await oidc.discovery(new URL(stack.url), clientId, undefined, oidc.None(),
		{ execute: [oidc.allowInsecureRequests] });
	const verifier = oidc.randomPKCECodeVerifier();
	const state = oidc.randomState();
	const { location } = await authorize(oidc.buildAuthorizationUrl(config, {
		redirect_uri: CALLBACK, scope: 'openid', state,
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256' }));
	const tokens = await oidc.authorizationCodeGrant(config, new URL(location), {
		pkceCodeVerifier: verifier, expectedState: state });
	assert.ok(tokens.access_token);
	assert.equal(tokens.refresh_token, undefined);
});

cimdTest('the SSRF guard refuses loopback and private targets with a clear error', async () => {
	const port = new URL(https.url).port;
	for (const id of [`https://127.0.0.1:${port}/x.json`, 'https://10.1.2.3/x.json',
		'https://localhost/x.json']) {
		const r = await par(id);
		assert.equal(r.status, 401, id);
		assert.equal(r.json.error, 'invalid_client');
		assert.match(r.json.error_description,
			/loopback, private, link-local or otherwise non-public address/, id);
	}
	assert.equal(await cluster.psql(DB, "SELECT count(*) FROM oidc_clients WHERE client_type = 'cimd' AND id NOT LIKE 'https://198.51.100.7%'"), '0');
	// Plain http is never a metadata document: just an unknown client.
	const r = await par(`http://${ADDR}:${port}/allowed/app.json`);
	assert.equal(r.status, 401);
});

cimdTest('a fetched CIMD client reaches an API that allows metadata-document clients (spec §2.11)', async () => {
	const ORDERS = 'https://api.orders.test';
	const api = await admin.post('/api/apis', { name: 'Orders API', resource: ORDERS });
	assert.equal(api.status, 201, api.text);
	const perms = await admin.call('PUT', `/api/apis/${api.json.id}/permissions`, { permissions: [
		{ key: 'read:orders', name: 'Read orders' }, { key: 'write:orders', name: 'Write orders' }] });
	assert.equal(perms.status, 200, perms.text);
	const read = perms.json.permissions.find((p) => p.key === 'read:orders').id;
	const open = await admin.call('PUT', `/api/apis/${api.json.id}/cimd-access`, { enabled: true, permissionIds: [read] });
	assert.equal(open.status, 200, open.text);
	const path = '/allowed/orders-app.json';
	serve(path, docFor(path, { client_name: 'Orders App' }));
	const clientId = idOf(path);
	const verifier = oidc.randomPKCECodeVerifier();
	const { location } = await authorize(`${stack.url}/authorize?` + new URLSearchParams({
		client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid read:orders',
		resource: ORDERS, state: 'state-12345678', code_challenge_method: 'S256',
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier) }));
	const code = new URL(location).searchParams.get('code');
	assert.ok(code, location);
	const res = await fetch(`${stack.url}/api/oidc/token`, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code,
			redirect_uri: CALLBACK, code_verifier: verifier }) });
	const json = await res.json();
	assert.equal(res.status, 200, JSON.stringify(json));
	const claims = JSON.parse(Buffer.from(json.access_token.split('.')[1], 'base64url'));
	assert.ok([claims.aud].flat().includes(ORDERS), JSON.stringify(claims));
	assert.match(claims.scope ?? [claims.scp].flat().join(' '), /read:orders/);
});

cimdTest('a CIMD client is deleted by ~base64url id', async () => {
	const clientId = idOf('/allowed/app.json');
	assert.equal((await admin.del(`/api/oidc/clients/${b64(clientId)}`)).status, 204);
	assert.equal((await admin.get(`/api/oidc/clients/${b64(clientId)}`)).status, 404);
});

cimdTest('logoUrl and darkLogoUrl are fetched over HTTPS and kept as the client logos (spec §1.7)', async () => {
	serve('/logos/light.png', png(20, 10), { headers: { 'content-type': 'image/png' } });
	serve('/logos/dark.png', png(8, 8), { headers: { 'content-type': 'image/png' } });
	serve('/logos/not-an-image.png', 'hello', { headers: { 'content-type': 'image/png' } });
	serve('/logos/huge.png', Buffer.alloc(3 * 1024 * 1024, 1), { headers: { 'content-type': 'image/png' } });
	const created = await admin.post('/api/oidc/clients', { name: 'With logos',
		callbackURLs: ['https://rp.example/cb'], logoUrl: idOf('/logos/light.png'),
		darkLogoUrl: idOf('/logos/dark.png') });
	assert.equal(created.status, 201, created.text);
	assert.equal(created.json.hasLogo, true);
	assert.equal(created.json.hasDarkLogo, true);
	const light = await fetch(`${stack.url}/api/oidc/clients/${created.json.id}/logo?light=true`);
	assert.equal(light.status, 200);
	assert.equal(light.headers.get('content-type'), 'image/png');
	const bytes = Buffer.from(await light.arrayBuffer());
	assert.equal(bytes.readUInt32BE(16), 20, 'the fetched picture, re-encoded');
	// Failures answer 422 with the spec's codes and change nothing.
	const put = (logoUrl) => admin.call('PUT', `/api/oidc/clients/${created.json.id}`, { name: 'Renamed',
		callbackURLs: ['https://rp.example/cb'], logoUrl });
	for (const [url, code] of [[idOf('/logos/not-an-image.png'), 'logo_type_not_supported'],
		[idOf('/logos/huge.png'), 'logo_too_large'], [idOf('/logos/missing.png'), 'logo_download_failed'],
		['https://127.0.0.1/logo.png', 'logo_download_failed'], ['http://example.com/logo.png', 'logo_download_failed']]) {
		const r = await put(url);
		assert.equal(r.status, 422, `${url}: ${r.text}`);
		assert.equal(r.json.code ?? r.json.error, code, url);
	}
	assert.equal((await admin.get(`/api/oidc/clients/${created.json.id}`)).json.name, 'With logos');
});

cimdTest('discovery announces client metadata documents only while the allowlist has an entry', async () => {
	// Straight from a worker: nginx may cache discovery for a few seconds.
	const discovery = async () => {
		const r = await request(stack.socket, baseParams('GET', '/.well-known/openid-configuration'));
		assert.equal(r.status, 200, r.raw);
		return JSON.parse(r.body);
	};
	assert.equal((await discovery()).client_id_metadata_document_supported, true);
	await setAllowlist([]);
	assert.equal('client_id_metadata_document_supported' in await discovery(), false);
});
