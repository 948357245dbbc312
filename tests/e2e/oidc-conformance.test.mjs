// The OpenID Foundation's conformance plans, replayed against the real
// stack: one test per module of oidcc-basic-certification-test-plan
// (spec peers-and-users.md §4.4; titles start with the module name), the
// checks every Basic module runs (§4.3) in one shared helper, the Config
// OP module oidcc-discovery-endpoint-verification (§4.5), the client
// preview route (spec §1.7), and the behaviours of Pocket ID's
// oidc.spec.ts (spec §10.1) that tests/e2e/oidc*.test.mjs did not assert
// yet ("oidc.spec.ts: ..."). The browser steps of the suite (login,
// consent, screenshots) are the interaction API driven with a session
// cookie and a software passkey.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify as verifySignature, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import * as oidc from 'openid-client';
import { startCluster } from './lib/pg.mjs';
import { startStack } from './lib/stack.mjs';
import { client as apiClient, SoftAuthenticator } from './lib/authenticator.mjs';

const CALLBACK = 'https://rp.example/callback';
const CALLBACK2 = 'https://rp.example/second-callback';
const WELL_KNOWN = '/.well-known/openid-configuration';
// RFC 6749 §5.2 / Appendix A: error_description characters.
const DESCRIPTION_CHARS = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;
const b64json = (s) => JSON.parse(Buffer.from(s, 'base64url').toString());

let cluster, stack, admin, adminUser, passkey, md, jwks, issuer;
let rp, rp2, config;

async function makeClient(body) {
	const created = await admin.post('/api/oidc/clients', { callbackURLs: [CALLBACK, CALLBACK2],
		isPublic: false, pkceEnabled: false, ...body });
	assert.equal(created.status, 201, created.text);
	const secret = await admin.post(`/api/oidc/clients/${created.json.id}/secrets`, {});
	assert.equal(secret.status, 201, secret.text);
	return { id: created.json.id, secret: secret.json.secret };
}

before(async () => {
	cluster = await startCluster();
	stack = await startStack(await cluster.createDatabase('conformance'), { workers: 2 });
	admin = apiClient(stack.url);
	adminUser = (await admin.post('/api/signup/setup', { username: 'tim',
		email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' })).json;
	// A passkey, so that prompt=login and max_age can be satisfied.
	passkey = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url });
	const start = await admin.get('/api/webauthn/register/start');
	const reg = await admin.post('/api/webauthn/register/finish', passkey.register(start.json));
	assert.equal(reg.status, 200, reg.text);
	// The suite's two static clients ("client" and "client2").
	rp = await makeClient({ name: 'Conformance' });
	rp2 = await makeClient({ name: 'Conformance 2' });
	// §4.3 (1): discovery, then the JWKS: every key has a distinct kid.
	const res = await fetch(stack.url + WELL_KNOWN);
	assert.equal(res.status, 200);
	md = await res.json();
	issuer = md.issuer;
	assert.equal(issuer, stack.env.APP_URL);
	jwks = await (await fetch(md.jwks_uri)).json();
	assert.ok(jwks.keys.length >= 1);
	for (const k of jwks.keys) {
		assert.ok(typeof k.kid === 'string' && k.kid.length > 0, 'every key has a kid');
		createPublicKey({ key: k, format: 'jwk' });
	}
	assert.equal(new Set(jwks.keys.map((k) => k.kid)).size, jwks.keys.length, 'kids are distinct');
	for (const m of ['client_secret_basic', 'client_secret_post'])
		assert.ok(md.token_endpoint_auth_methods_supported.includes(m), m);
	config = await oidc.discovery(new URL(stack.url), rp.id, undefined,
		oidc.ClientSecretBasic(rp.secret), { execute: [oidc.allowInsecureRequests] });
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

// ---- the shared checks (§4.3) ------------------------------------------

async function reauthenticate(as) {
	const start = await as.get('/api/webauthn/login/start');
	const r = await as.post('/api/webauthn/reauthenticate', passkey.assert(start.json));
	assert.equal(r.status, 204, r.text);
}

// A passkey sign-in for a client that has no session yet.
async function signIn(as) {
	const start = await as.get('/api/webauthn/login/start');
	const r = await as.post('/api/webauthn/login/finish', passkey.assert(start.json));
	assert.equal(r.status, 200, r.text);
}

// The browser: follows our redirects (authorize -> interaction ->
// authorize) as `as`, taking each step the UI would (signing in with the
// passkey when asked to authenticate), until it would leave for the client
// or land on our error page. steps collects the steps; scopes the scopes
// the consent screen lists. The first request goes without cookies when
// crossSite (a SameSite=Lax cookie is not sent with a cross-site POST). A
// form_post page (200) is returned as { html }.
async function authorize(url, { as = admin, steps = [], scopes = [], init = {},
	crossSite = false } = {}) {
	const headers = () => (as ? { cookie: as.jar.header() } : {});
	let res = await fetch(url, { redirect: 'manual', ...init,
		headers: { ...(crossSite ? {} : headers()), ...init.headers } });
	let id;
	for (let guard = 0; guard < 6; guard++) {
		if (res) {
			if (res.status === 200) return { html: await res.text() };
			assert.equal(res.status, 302, await res.text());
			const location = res.headers.get('location');
			if (!location.startsWith(`${stack.env.APP_URL}/interaction?`) || !as) return location;
			id = new URL(location).searchParams.get('interaction');
		}
		const got = await as.get(`/api/oidc/interactions/${id}`);
		assert.equal(got.status, 200, got.text);
		const step = got.json.currentStep;
		steps.push(step);
		if (step === 'consent') scopes.push(...got.json.scopes);
		if (step === 'reauthenticate') await reauthenticate(as);
		if (step === 'authenticate' && !as.jar.get('access_token')) await signIn(as);
		const done = await as.post(`/api/oidc/interactions/${id}/complete`, { step });
		assert.equal(done.status, 200, done.text);
		res = undefined;
		if (done.json.interaction) continue;
		res = await fetch(stack.url + done.json.redirectUrl,
			{ redirect: 'manual', headers: headers() });
	}
	throw new Error('too many redirects');
}

const authorizeUrl = (params) => `${md.authorization_endpoint}?${new URLSearchParams(params)}`;

// §4.3 (3) and the error-response checks: the callback's parameters.
function checkCallback(location, { state, redirect = CALLBACK, error } = {}) {
	const url = new URL(location);
	assert.equal(url.origin + url.pathname, redirect, location);
	const keys = [...url.searchParams.keys()];
	assert.equal(new Set(keys).size, keys.length, `no parameter repeats: ${location}`);
	assert.equal(url.searchParams.get('iss'), issuer, 'RFC 9207 iss');
	assert.equal(url.searchParams.get('state'), state, 'state echoed');
	const p = Object.fromEntries(url.searchParams);
	if (error) {
		assert.ok([].concat(error).includes(p.error), `error ${p.error} in ${error}`);
		assert.equal(p.code, undefined, 'no code with an error');
		if (p.error_description !== undefined)
			assert.match(p.error_description, DESCRIPTION_CHARS);
		if (p.error_uri !== undefined) new URL(p.error_uri);
	} else {
		assert.equal(p.error, undefined, `${p.error}: ${p.error_description}`);
		assert.ok(p.code, 'a code');
	}
	return p;
}

const basicAuth = (c) => `Basic ${Buffer.from(`${encodeURIComponent(c.id)}:${encodeURIComponent(c.secret)}`).toString('base64')}`;

async function tokenRequest(params, { client = rp, auth = 'basic' } = {}) {
	const body = new URLSearchParams(params);
	const headers = { 'content-type': 'application/x-www-form-urlencoded' };
	if (auth === 'basic') headers.authorization = basicAuth(client);
	else {
		body.set('client_id', client.id);
		body.set('client_secret', client.secret);
	}
	const res = await fetch(md.token_endpoint, { method: 'POST', headers, body });
	const text = await res.text();
	let json;
	try { json = JSON.parse(text); } catch { json = undefined; }
	return { res, json, text };
}

// §4.3 (4): 200 JSON with a bearer access token and an ID token.
function checkTokenResponse({ res, json, text }) {
	assert.equal(res.status, 200, text);
	assert.match(res.headers.get('content-type'), /^application\/json/);
	assert.match(res.headers.get('cache-control'), /no-store/);
	assert.equal(typeof json.access_token, 'string');
	assert.match(json.token_type, /^bearer$/i);
	if (json.expires_in !== undefined) assert.equal(typeof json.expires_in, 'number');
	assert.equal(typeof json.id_token, 'string', 'id_token required');
}

// §4.3 (4) for an error: 400 JSON invalid_grant with valid characters.
function checkTokenError({ res, json, text }, error = 'invalid_grant', status = 400) {
	assert.equal(res.status, status, text);
	assert.match(res.headers.get('content-type'), /^application\/json/);
	assert.equal(json.error, error);
	if (json.error_description !== undefined)
		assert.match(json.error_description, DESCRIPTION_CHARS);
	if (json.error_uri !== undefined) new URL(json.error_uri);
}

// §4.3 (5): PerformStandardIdTokenChecks and the RS256 signature by the
// JWKS key its kid names. nonce: the request's (null: none sent;
// undefined: not checked).
function checkIdToken(idToken, { clientId = rp.id, nonce } = {}) {
	const [h, p, s, extra] = idToken.split('.');
	assert.equal(extra, undefined);
	const header = b64json(h);
	assert.equal(header.alg, 'RS256');
	assert.ok(header.kid, 'the ID token header has a kid');
	const jwk = jwks.keys.find((k) => k.kid === header.kid);
	assert.ok(jwk, 'its kid is in the JWKS');
	assert.ok(verifySignature('sha256', Buffer.from(`${h}.${p}`),
		createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url')),
	'the RS256 signature verifies');
	const c = b64json(p), now = Date.now() / 1000;
	assert.equal(c.iss, issuer);
	const aud = [].concat(c.aud);
	assert.ok(aud.includes(clientId), 'aud names the client');
	if (aud.length > 1 || c.azp !== undefined) assert.equal(c.azp, clientId);
	assert.equal(typeof c.exp, 'number');
	assert.ok(c.exp > now, 'exp in the future');
	assert.ok(c.exp < now + 86400, 'exp not absurdly far (no milliseconds)');
	assert.equal(typeof c.iat, 'number');
	assert.ok(c.iat <= now + 5, 'iat not in the future');
	assert.ok(c.iat >= now - 300, 'iat at most 5 minutes old');
	if (c.auth_time !== undefined) {
		assert.equal(typeof c.auth_time, 'number');
		assert.ok(c.auth_time <= now + 5, 'auth_time not in the future');
		assert.ok(c.auth_time >= now - 365 * 86400, 'auth_time within a year');
	}
	if (c.acr !== undefined) assert.ok(typeof c.acr === 'string' && c.acr !== '');
	if (nonce === null) assert.equal(c.nonce, undefined);
	else if (nonce !== undefined) assert.equal(c.nonce, nonce);
	assert.ok(typeof c.sub === 'string' && c.sub.length > 0);
	if (c.updated_at !== undefined) assert.equal(typeof c.updated_at, 'number');
	checkStandardClaims(c);
	return c;
}

// OIDC Core §5.1 claim types.
function checkStandardClaims(c) {
	for (const k of ['name', 'given_name', 'family_name', 'preferred_username',
		'email', 'picture', 'sub'])
		if (c[k] !== undefined) assert.equal(typeof c[k], 'string', k);
	if (c.email_verified !== undefined) assert.equal(typeof c.email_verified, 'boolean');
	if (c.picture !== undefined) new URL(c.picture);
	if (c.updated_at !== undefined) assert.equal(typeof c.updated_at, 'number');
}

// One authorization code flow as the suite runs it: no PKCE, random
// state and nonce, client_secret_basic unless told otherwise.
async function codeFlow({ scope = 'openid', nonce = oidc.randomNonce(), extra = {},
	client = rp, redirect = CALLBACK, auth = 'basic', as = admin, steps = [],
	verifier } = {}) {
	const state = oidc.randomState();
	const params = { client_id: client.id, response_type: 'code', scope,
		redirect_uri: redirect, state, ...(nonce ? { nonce } : {}), ...extra };
	const location = await authorize(authorizeUrl(params), { as, steps });
	const cb = checkCallback(location, { state, redirect });
	const token = await tokenRequest({ grant_type: 'authorization_code', code: cb.code,
		redirect_uri: redirect, ...(verifier ? { code_verifier: verifier } : {}) },
	{ client, auth });
	checkTokenResponse(token);
	const claims = checkIdToken(token.json.id_token, { clientId: client.id, nonce: nonce ?? null });
	return { tokens: token.json, claims, code: cb.code, state, steps };
}

async function userinfo(accessToken, { method = 'GET', inBody = false } = {}) {
	const init = { method, headers: {} };
	if (inBody) {
		init.headers['content-type'] = 'application/x-www-form-urlencoded';
		init.body = new URLSearchParams({ access_token: accessToken });
	} else init.headers.authorization = `Bearer ${accessToken}`;
	return await fetch(md.userinfo_endpoint, init);
}

// §4.3 (6) and oidcc-userinfo-*: 200 JSON, same sub, well-typed claims.
async function checkUserinfo(res, sub) {
	assert.equal(res.status, 200);
	assert.match(res.headers.get('content-type'), /^application\/json/);
	const info = await res.json();
	assert.equal(info.sub, sub);
	checkStandardClaims(info);
	return info;
}

const unsignedJwt = (claims, header = { alg: 'none' }) =>
	`${Buffer.from(JSON.stringify(header)).toString('base64url')}.` +
	`${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

// ---- oidcc-basic-certification-test-plan -----------------------------------

test('oidcc-server: the code flow with client_secret_basic passes every common check', async () => {
	const { tokens, claims, steps } = await codeFlow();
	assert.deepEqual(steps, ['consent'], 'the first authorization asks for consent');
	assert.equal(claims.sub, adminUser.id);
	await checkUserinfo(await userinfo(tokens.access_token), claims.sub);
	// The same flow through openid-client, a certified relying party.
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid',
		state, nonce });
	const got = await oidc.authorizationCodeGrant(config, new URL(await authorize(url)),
		{ expectedState: state, expectedNonce: nonce });
	assert.equal(got.claims().sub, adminUser.id);
	checkIdToken(got.id_token, { nonce });
});

test('oidcc-response-type-missing: an error to the client with the state, never a code', async () => {
	const state = oidc.randomState();
	const location = await authorize(authorizeUrl({ client_id: rp.id, scope: 'openid',
		redirect_uri: CALLBACK, state, nonce: oidc.randomNonce() }));
	checkCallback(location, { state, error: ['invalid_request', 'unsupported_response_type'] });
});

test('oidcc-idtoken-signature: the ID token has a kid and is signed RS256', async () => {
	const { tokens } = await codeFlow();
	const header = b64json(tokens.id_token.split('.')[0]);
	assert.equal(header.alg, 'RS256');
	assert.ok(header.kid);
	assert.ok(md.id_token_signing_alg_values_supported.includes('RS256'));
});

test('oidcc-idtoken-unsigned: skipped by the suite, as discovery does not offer alg none', () => {
	assert.ok(!md.id_token_signing_alg_values_supported.includes('none'));
});

test('oidcc-userinfo-get: GET with a bearer header', async () => {
	const { tokens, claims } = await codeFlow();
	await checkUserinfo(await userinfo(tokens.access_token), claims.sub);
});

test('oidcc-userinfo-post-header: POST with a bearer header', async () => {
	const { tokens, claims } = await codeFlow();
	await checkUserinfo(await userinfo(tokens.access_token, { method: 'POST' }), claims.sub);
});

test('oidcc-userinfo-post-body: POST with access_token in the form body', async () => {
	const { tokens, claims } = await codeFlow();
	await checkUserinfo(await userinfo(tokens.access_token, { method: 'POST', inBody: true }),
		claims.sub);
	const bad = await userinfo('not-a-token', { method: 'POST', inBody: true });
	assert.equal(bad.status, 401);
});

test('oidcc-ensure-request-without-nonce-succeeds-for-code-flow: no nonce in, none out', async () => {
	const { claims } = await codeFlow({ nonce: null });
	assert.equal(claims.nonce, undefined);
});

test('oidcc-scope-profile: profile claims at userinfo', async () => {
	assert.ok(md.scopes_supported.includes('profile'));
	const { tokens, claims } = await codeFlow({ scope: 'openid profile' });
	const info = await checkUserinfo(await userinfo(tokens.access_token), claims.sub);
	assert.equal(info.name, 'Tim Cook');
	assert.equal(info.given_name, 'Tim');
	assert.equal(info.family_name, 'Cook');
	assert.equal(info.preferred_username, 'tim');
	assert.equal(info.email, undefined, 'email needs its scope');
});

test('oidcc-scope-email: email claims at userinfo', async () => {
	assert.ok(md.scopes_supported.includes('email'));
	const { tokens, claims } = await codeFlow({ scope: 'openid email' });
	const info = await checkUserinfo(await userinfo(tokens.access_token), claims.sub);
	assert.equal(info.email, 'tim@example.com');
	assert.equal(info.email_verified, false);
	assert.equal(info.name, undefined, 'name needs the profile scope');
});

test('oidcc-scope-address: skipped by the suite, as scopes_supported lacks address', () => {
	assert.ok(!md.scopes_supported.includes('address'));
});

test('oidcc-scope-phone: skipped by the suite, as scopes_supported lacks phone', () => {
	assert.ok(!md.scopes_supported.includes('phone'));
});

test('oidcc-scope-all: skipped by the suite, as address and phone are not offered', () => {
	assert.ok(!['address', 'phone'].every((s) => md.scopes_supported.includes(s)));
});

test('oidcc-alternate-happy-flow: scopes reversed and parameters reordered', async () => {
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const url = `${md.authorization_endpoint}?nonce=${nonce}&state=${state}` +
		`&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=${encodeURIComponent('email profile openid')}` +
		`&response_type=code&client_id=${encodeURIComponent(rp.id)}`;
	const cb = checkCallback(await authorize(url), { state });
	const token = await tokenRequest({ redirect_uri: CALLBACK, code: cb.code,
		grant_type: 'authorization_code' });
	checkTokenResponse(token);
	const claims = checkIdToken(token.json.id_token, { nonce });
	assert.equal(claims.email, 'tim@example.com');
	assert.equal(claims.name, 'Tim Cook');
});

for (const display of ['page', 'popup']) {
	test(`oidcc-display-${display}: display=${display} is no error; the login page shows`, async () => {
		await codeFlow({ extra: { display } });
		const res = await fetch(authorizeUrl({ client_id: rp.id, response_type: 'code',
			scope: 'openid', redirect_uri: CALLBACK, state: oidc.randomState(), display }),
		{ redirect: 'manual' });
		assert.match(res.headers.get('location'), /\/interaction\?interaction=/);
	});
}

test('oidcc-prompt-login: the second authorization re-authenticates; auth_time moves on', async () => {
	const first = await codeFlow();
	await sleep(1100);
	const second = await codeFlow({ extra: { prompt: 'login' } });
	assert.deepEqual(second.steps, ['reauthenticate'], 'the user authenticates again');
	assert.equal(second.claims.sub, first.claims.sub);
	assert.ok(second.claims.auth_time > first.claims.auth_time,
		`${second.claims.auth_time} > ${first.claims.auth_time}`);
});

test('oidcc-prompt-none-not-logged-in: login_required to the client, with state', async () => {
	const state = oidc.randomState();
	const location = await authorize(authorizeUrl({ client_id: rp.id, response_type: 'code',
		scope: 'openid', redirect_uri: CALLBACK, state, nonce: oidc.randomNonce(),
		prompt: 'none' }), { as: null });
	checkCallback(location, { state, error: ['login_required', 'interaction_required',
		'consent_required', 'account_selection_required'] });
});

test('oidcc-prompt-none-logged-in: silent success, same sub and auth_time', async () => {
	const first = await codeFlow();
	const second = await codeFlow({ extra: { prompt: 'none' } });
	assert.deepEqual(second.steps, []);
	assert.equal(second.claims.sub, first.claims.sub);
	assert.equal(second.claims.auth_time, first.claims.auth_time);
});

test('oidcc-max-age-1: after 2 s, max_age=1 forces a new login and a later auth_time', async () => {
	const first = await codeFlow();
	await sleep(2000);
	const second = await codeFlow({ extra: { max_age: '1' } });
	assert.deepEqual(second.steps, ['reauthenticate']);
	assert.equal(typeof second.claims.auth_time, 'number', 'auth_time is required');
	assert.ok(second.claims.auth_time > first.claims.auth_time);
	assert.ok(second.claims.auth_time >= Date.now() / 1000 - 60, 'and recent');
});

test('oidcc-max-age-10000: no new login; both ID tokens carry the same auth_time', async () => {
	const first = await codeFlow({ extra: { max_age: '15000' } });
	const second = await codeFlow({ extra: { max_age: '10000' } });
	assert.deepEqual(first.steps, []);
	assert.deepEqual(second.steps, []);
	assert.equal(typeof first.claims.auth_time, 'number');
	assert.equal(second.claims.auth_time, first.claims.auth_time);
	assert.equal(second.claims.sub, first.claims.sub);
});

test('oidcc-ensure-request-with-unknown-parameter-succeeds: extra=foobar is ignored', async () => {
	await codeFlow({ extra: { extra: 'foobar' } });
});

test('oidcc-id-token-hint: prompt=none with our ID token as hint succeeds silently', async () => {
	const first = await codeFlow();
	const second = await codeFlow({ extra: { prompt: 'none', id_token_hint: first.tokens.id_token } });
	assert.equal(second.claims.sub, first.claims.sub);
	assert.equal(second.claims.auth_time, first.claims.auth_time);
	// Another user's ID token, with tim signed in: login_required.
	const made = await admin.post('/api/users', { username: 'buffy', email: 'buffy@example.com',
		firstName: 'Buffy', lastName: 'Summers' });
	assert.equal(made.status, 201, made.text);
	const code = await admin.post(`/api/users/${made.json.id}/one-time-access-token`, { ttl: '10m' });
	const buffy = apiClient(stack.url);
	assert.equal((await buffy.call('POST', `/api/one-time-access-token/${code.json.token}`)).status, 200);
	const hers = await codeFlow({ as: buffy });
	assert.equal(hers.claims.sub, made.json.id);
	for (const prompt of ['none', undefined]) {
		const state = oidc.randomState();
		const location = await authorize(authorizeUrl({ client_id: rp.id, response_type: 'code',
			scope: 'openid', redirect_uri: CALLBACK, state, id_token_hint: hers.tokens.id_token,
			...(prompt ? { prompt } : {}) }));
		checkCallback(location, { state, error: 'login_required' });
	}
	// A hint that is not our ID token (signature broken; an access token).
	const [h, p, s] = first.tokens.id_token.split('.');
	const forged = `${h}.${p}.${s.slice(0, -4)}AAAA`;
	for (const hint of [forged, first.tokens.access_token, 'garbage']) {
		const state = oidc.randomState();
		checkCallback(await authorize(authorizeUrl({ client_id: rp.id, response_type: 'code',
			scope: 'openid', redirect_uri: CALLBACK, state, prompt: 'none', id_token_hint: hint })),
		{ state, error: 'invalid_request' });
	}
	// Not signed in: prompt=none still means login_required.
	const state = oidc.randomState();
	checkCallback(await authorize(authorizeUrl({ client_id: rp.id, response_type: 'code',
		scope: 'openid', redirect_uri: CALLBACK, state, prompt: 'none',
		id_token_hint: first.tokens.id_token }), { as: null }), { state, error: 'login_required' });
});

test('oidcc-login-hint: login_hint is no error; a fresh login page shows', async () => {
	const login_hint = `buffy@${new URL(issuer).hostname}`;
	await codeFlow({ extra: { login_hint } });
	const res = await fetch(authorizeUrl({ client_id: rp.id, response_type: 'code', scope: 'openid',
		redirect_uri: CALLBACK, state: oidc.randomState(), login_hint }), { redirect: 'manual' });
	assert.match(res.headers.get('location'), /\/interaction\?interaction=/);
});

test('oidcc-ui-locales: ui_locales=se is no error', async () => {
	await codeFlow({ extra: { ui_locales: 'se' } });
});

test('oidcc-claims-locales: claims_locales=se is no error', async () => {
	await codeFlow({ extra: { claims_locales: 'se' } });
});

test('oidcc-ensure-request-with-acr-values-succeeds: acr_values do not fail the flow', async () => {
	const { claims } = await codeFlow({ extra: { acr_values: '1 2' } });
	if (claims.acr !== undefined) assert.notEqual(claims.acr, '');
});

test('oidcc-codereuse: a code redeemed twice at once: the second is 400 invalid_grant', async () => {
	const { code } = await codeFlow();
	checkTokenError(await tokenRequest({ grant_type: 'authorization_code', code,
		redirect_uri: CALLBACK }));
});

test('oidcc-codereuse-30seconds: 30 s later the code is refused and its access token revoked', async () => {
	const { code, tokens } = await codeFlow();
	assert.equal((await userinfo(tokens.access_token)).status, 200);
	await sleep(30000);
	checkTokenError(await tokenRequest({ grant_type: 'authorization_code', code,
		redirect_uri: CALLBACK }));
	const after = await userinfo(tokens.access_token);
	assert.ok(after.status >= 400 && after.status < 500, `userinfo ${after.status}`);
});

test('oidcc-ensure-registered-redirect-uri: an unregistered redirect_uri is never redirected to', async () => {
	const bad = `${CALLBACK}${randomBytes(6).toString('hex')}`;
	for (const as of [admin, null]) {
		const res = await fetch(authorizeUrl({ client_id: rp.id, response_type: 'code',
			scope: 'openid', redirect_uri: bad, state: oidc.randomState() }),
		{ redirect: 'manual', headers: as ? { cookie: as.jar.header() } : {} });
		assert.equal(res.status, 302);
		const location = res.headers.get('location');
		assert.ok(location.startsWith(`${stack.env.APP_URL}/interaction/error?`), location);
		assert.ok(!location.startsWith(CALLBACK));
		assert.match(decodeURIComponent(location), /is not registered for this client/);
	}
});

test('oidcc-ensure-post-request-succeeds: the authorization request as a form POST', async () => {
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const body = new URLSearchParams({ client_id: rp.id, response_type: 'code', scope: 'openid',
		redirect_uri: CALLBACK, state, nonce });
	const location = await authorize(md.authorization_endpoint, { init: { method: 'POST', body,
		headers: { 'content-type': 'application/x-www-form-urlencoded' } } });
	const cb = checkCallback(location, { state });
	const token = await tokenRequest({ grant_type: 'authorization_code', code: cb.code,
		redirect_uri: CALLBACK });
	checkTokenResponse(token);
	checkIdToken(token.json.id_token, { nonce });
});

test('oidcc-server-client-secret-post: client_secret_post at the token endpoint', async () => {
	assert.ok(md.token_endpoint_auth_methods_supported.includes('client_secret_post'));
	const { tokens, claims } = await codeFlow({ auth: 'post' });
	await checkUserinfo(await userinfo(tokens.access_token), claims.sub);
});

test('oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported: request_uri_not_supported', async () => {
	// The module runs: request objects with alg none are advertised.
	assert.ok(md.request_object_signing_alg_values_supported.includes('none'));
	assert.equal(md.request_uri_parameter_supported, false);
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const location = await authorize(authorizeUrl({ client_id: rp.id, response_type: 'code',
		scope: 'openid', redirect_uri: CALLBACK, state, nonce,
		request_uri: 'https://rp.example/requests/abc.jwt' }));
	checkCallback(location, { state, error: 'request_uri_not_supported' });
});

test('oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported: the object wins', async () => {
	assert.equal(md.request_parameter_supported, true);
	assert.deepEqual(md.request_object_signing_alg_values_supported, ['none']);
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const request = unsignedJwt({ iss: rp.id, aud: issuer, client_id: rp.id,
		response_type: 'code', scope: 'openid email', redirect_uri: CALLBACK, state, nonce });
	const location = await authorize(authorizeUrl({ client_id: rp.id, response_type: 'code',
		scope: 'openid', redirect_uri: CALLBACK, state: 'front-channel-state', request }));
	const cb = checkCallback(location, { state });
	const token = await tokenRequest({ grant_type: 'authorization_code', code: cb.code,
		redirect_uri: CALLBACK });
	checkTokenResponse(token);
	const claims = checkIdToken(token.json.id_token, { nonce });
	assert.equal(claims.email, 'tim@example.com', "the object's scope was used");
	// Signed, malformed or expired objects: invalid_request_object.
	const signed = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.` +
		`${Buffer.from(JSON.stringify({ state })).toString('base64url')}.c2lnbmF0dXJl`;
	const expired = unsignedJwt({ client_id: rp.id, state, exp: 1000 });
	for (const bad of [signed, 'not-a-jwt', expired]) {
		const frontState = oidc.randomState();
		checkCallback(await authorize(authorizeUrl({ client_id: rp.id, response_type: 'code',
			scope: 'openid', redirect_uri: CALLBACK, state: frontState, request: bad })),
		{ state: frontState, error: 'invalid_request_object' });
	}
});

test('oidcc-claims-essential: the claims parameter is accepted', async () => {
	const claims = JSON.stringify({ userinfo: { name: { essential: true } } });
	const { tokens } = await codeFlow({ scope: 'openid profile', extra: { claims } });
	const info = await checkUserinfo(await userinfo(tokens.access_token), adminUser.id);
	assert.equal(info.name, 'Tim Cook');
});

test('oidcc-ensure-request-object-with-redirect-uri: the redirect_uri inside the object is used', async () => {
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const request = unsignedJwt({ client_id: rp.id, response_type: 'code', scope: 'openid',
		redirect_uri: CALLBACK, state, nonce });
	const location = await authorize(authorizeUrl({ client_id: rp.id, response_type: 'code',
		scope: 'openid', redirect_uri: CALLBACK2, request }));
	const cb = checkCallback(location, { state, redirect: CALLBACK });
	const token = await tokenRequest({ grant_type: 'authorization_code', code: cb.code,
		redirect_uri: CALLBACK });
	checkTokenResponse(token);
	checkIdToken(token.json.id_token, { nonce });
});

test('oidcc-refresh-token: refresh keeps the identity, renews iat, and is bound to its client', async () => {
	assert.ok(md.grant_types_supported.includes('refresh_token'));
	const scope = md.scopes_supported.includes('offline_access') ? 'openid offline_access' : 'openid';
	const { tokens, claims } = await codeFlow({ scope });
	assert.match(tokens.refresh_token, /^[\x20-\x7E]+$/, 'refresh token characters');
	await sleep(1100);
	const refreshed = await tokenRequest({ grant_type: 'refresh_token',
		refresh_token: tokens.refresh_token, scope });
	assert.equal(refreshed.res.status, 200, refreshed.text);
	assert.match(refreshed.res.headers.get('content-type'), /^application\/json/);
	assert.match(refreshed.res.headers.get('cache-control'), /no-store/);
	assert.match(refreshed.json.token_type, /^bearer$/i);
	assert.ok(refreshed.json.access_token && refreshed.json.access_token !== tokens.access_token);
	assert.equal(typeof refreshed.json.expires_in, 'number');
	const again = checkIdToken(refreshed.json.id_token, {});
	for (const k of ['iss', 'sub', 'aud', 'azp', 'auth_time'])
		assert.deepEqual(again[k], claims[k], k);
	assert.ok(again.iat > claims.iat, 'a new iat');
	// client2 with client1's refresh token: 400 invalid_grant.
	checkTokenError(await tokenRequest({ grant_type: 'refresh_token',
		refresh_token: refreshed.json.refresh_token }, { client: rp2 }));
});

test('oidcc-ensure-request-with-valid-pkce-succeeds: S256 challenge and verifier', async () => {
	const verifier = oidc.randomPKCECodeVerifier();
	await codeFlow({ verifier, extra: { code_challenge_method: 'S256',
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier) } });
});

// ---- oidcc-config-certification-test-plan --------------------------------

// Every rule of §4.5. https: whether URLs must be https (the test stack
// serves plain http on loopback; then they must start with APP_URL).
async function checkDiscovery(base, appUrl, { https }) {
	const res = await fetch(base + WELL_KNOWN);
	assert.equal(res.status, 200);
	assert.match(res.headers.get('content-type'), /^application\/json/);
	const d = await res.json();
	const url = (v, what) => {
		assert.equal(typeof v, 'string', what);
		const u = new URL(v);
		if (https) assert.equal(u.protocol, 'https:', `${what} is https`);
		assert.ok(v.startsWith(appUrl), `${what} under APP_URL`);
		return u;
	};
	// The discovery URL is the issuer plus the well-known suffix.
	url(d.issuer, 'issuer');
	assert.equal(d.issuer.replace(/\/$/, ''), appUrl.replace(/\/$/, ''));
	assert.equal(`${d.issuer.replace(/\/$/, '')}${WELL_KNOWN}`, `${appUrl}${WELL_KNOWN}`);
	// RFC 8414 / OIDC Discovery members and their types; nothing unknown.
	const strings = ['issuer', 'service_documentation', 'op_policy_uri', 'op_tos_uri'];
	const booleans = ['request_parameter_supported', 'request_uri_parameter_supported',
		'claims_parameter_supported', 'require_request_uri_registration',
		'authorization_response_iss_parameter_supported', 'require_pushed_authorization_requests',
		'frontchannel_logout_supported', 'backchannel_logout_supported',
		'client_id_metadata_document_supported'];
	const known = new Set([...strings, ...booleans, 'jwks_uri', 'registration_endpoint',
		'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'end_session_endpoint',
		'introspection_endpoint', 'revocation_endpoint', 'device_authorization_endpoint',
		'pushed_authorization_request_endpoint']);
	for (const [k, v] of Object.entries(d)) {
		if (k.endsWith('_supported') && !booleans.includes(k)) {
			assert.ok(Array.isArray(v) && v.every((x) => typeof x === 'string'), `${k} is a string array`);
			known.add(k);
		}
		if (booleans.includes(k)) assert.equal(typeof v, 'boolean', k);
		if (k.endsWith('_endpoint')) url(v, k);
		assert.ok(known.has(k), `member ${k} is known`);
	}
	assert.ok(d.response_types_supported.includes('code'));
	assert.ok(d.subject_types_supported.some((t) => t === 'public' || t === 'pairwise'));
	assert.ok(d.id_token_signing_alg_values_supported.includes('RS256'));
	assert.ok(d.userinfo_endpoint, 'userinfo_endpoint recommended');
	url(d.authorization_endpoint, 'authorization_endpoint');
	url(d.token_endpoint, 'token_endpoint');
	url(d.jwks_uri, 'jwks_uri');
	// The keys, fetched where the stack serves them.
	const keys = await (await fetch(d.jwks_uri.replace(appUrl, base))).json();
	assert.ok(keys.keys.length >= 1);
	for (const k of keys.keys) {
		assert.ok(k.kid && k.kty && k.use === 'sig' && k.alg, JSON.stringify(k));
		assert.equal(k.d, undefined, 'no private part');
		createPublicKey({ key: k, format: 'jwk' });
	}
	assert.ok(Array.isArray(d.claims_supported) && d.claims_supported.includes('sub'));
	assert.ok(d.grant_types_supported.length > 0);
	assert.ok(d.scopes_supported.includes('openid'));
	for (const s of d.scopes_supported) assert.match(s, /^[\x21\x23-\x5B\x5D-\x7E]+$/, 'scope-token');
	for (const k of ['ui_locales_supported', 'claims_locales_supported'])
		for (const tag of d[k] ?? []) assert.match(tag, /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, k);
	assert.ok(d.code_challenge_methods_supported.some((m) => m === 'S256' || m === 'plain'));
	return d;
}

test('oidcc-discovery-endpoint-verification: every Config OP rule, http test stack under APP_URL', async () => {
	await checkDiscovery(stack.url, stack.env.APP_URL, { https: false });
});

test('oidcc-discovery-endpoint-verification: with an https APP_URL every endpoint is https', async () => {
	const appUrl = 'https://id.conformance.test';
	const https = await startStack(await cluster.createDatabase('conformance_https'),
		{ workers: 1, env: { APP_URL: appUrl } });
	try {
		const d = await checkDiscovery(https.url, appUrl, { https: true });
		assert.equal(d.issuer, appUrl);
	} finally {
		await https.stop();
	}
});

// ---- client preview (spec §1.7) ---------------------------------------------

test('preview: the payloads real tokens carry, for the user and scopes asked', async () => {
	const scopes = 'openid profile email groups';
	const res = await admin.get(`/api/oidc/clients/${rp.id}/preview/${adminUser.id}?scopes=${encodeURIComponent(scopes)}`);
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(Object.keys(res.json).sort(), ['accessToken', 'idToken', 'userInfo']);
	const { idToken, accessToken, userInfo } = res.json;
	const now = Date.now() / 1000;
	assert.equal(idToken.iss, issuer);
	assert.equal(idToken.sub, adminUser.id);
	assert.deepEqual(idToken.aud, [rp.id]);
	assert.equal(idToken.type, 'id-token');
	assert.equal(idToken.exp - idToken.iat, 3600);
	assert.ok(Math.abs(idToken.iat - now) < 10);
	assert.equal(idToken.email, 'tim@example.com');
	assert.equal(idToken.name, 'Tim Cook');
	assert.deepEqual(idToken.groups, []);
	assert.equal(accessToken.iss, issuer);
	assert.equal(accessToken.sub, adminUser.id);
	assert.deepEqual(accessToken.aud, [rp.id, issuer]);
	assert.equal(accessToken.client_id, rp.id);
	assert.equal(accessToken.scope, scopes);
	assert.deepEqual(accessToken.scp, scopes.split(' '));
	assert.equal(accessToken.exp - accessToken.iat, 60 * 60);
	assert.equal(userInfo.sub, adminUser.id);
	assert.equal(userInfo.email, 'tim@example.com');
	assert.equal(userInfo.picture, `${issuer}/api/users/${adminUser.id}/profile-picture.png`);
	assert.equal(userInfo.iss, undefined, 'userinfo has no token claims');
	// The same claim code as a real ID token: the same members, but for
	// those only a real request has (nonce, at_hash, amr).
	const real = await codeFlow({ scope: scopes });
	const members = (o) => Object.keys(o).filter((k) => !['nonce', 'at_hash', 'amr'].includes(k)).sort();
	assert.deepEqual(members(idToken), members(real.claims));
	const info = await (await userinfo(real.tokens.access_token)).json();
	assert.deepEqual(Object.keys(userInfo).sort(), Object.keys(info).sort());
	// Fewer scopes, fewer claims.
	const narrow = await admin.get(`/api/oidc/clients/${rp.id}/preview/${adminUser.id}?scopes=openid`);
	assert.equal(narrow.status, 200);
	assert.equal(narrow.json.idToken.email, undefined);
	assert.deepEqual(narrow.json.userInfo, { sub: adminUser.id });
	assert.deepEqual(narrow.json.accessToken.scp, ['openid']);
});

test('preview: scopes required, unknown client or user 404, group restriction 403, admins only', async () => {
	const base = `/api/oidc/clients/${rp.id}/preview/${adminUser.id}`;
	for (const q of ['', '?scopes=']) {
		const r = await admin.get(base + q);
		assert.equal(r.status, 400, r.text);
		assert.equal(r.json.code, 'validation_failed');
		assert.equal(r.json.details.fields[0].field, 'scopes');
	}
	const noClient = await admin.get(`/api/oidc/clients/no-such-client/preview/${adminUser.id}?scopes=openid`);
	assert.equal(noClient.status, 404);
	assert.equal(noClient.json.code, 'not_found');
	for (const user of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
		const noUser = await admin.get(`/api/oidc/clients/${rp.id}/preview/${user}?scopes=openid`);
		assert.equal(noUser.status, 404);
		assert.equal(noUser.json.code, 'user_not_found');
	}
	const restricted = await admin.post('/api/oidc/clients', { name: 'Restricted',
		callbackURLs: [CALLBACK], isGroupRestricted: true });
	assert.equal(restricted.status, 201, restricted.text);
	const denied = await admin.get(`/api/oidc/clients/${restricted.json.id}/preview/${adminUser.id}?scopes=openid`);
	assert.equal(denied.status, 403);
	assert.equal(denied.json.code, 'oidc_access_denied');
	const anonymous = await fetch(`${stack.url}${base}?scopes=openid`);
	assert.equal(anonymous.status, 401);
});

// ---- Pocket ID's oidc.spec.ts (spec §10.1), what oidc*.test.mjs lacked --------

const LOGOUT_CALLBACK = 'https://rp.example/logout-callback';
let spec;	// { nextcloud, immich, skip }: fresh clients for these tests

async function specClients() {
	spec ??= {
		nextcloud: await makeClient({ name: 'Nextcloud', logoutCallbackURLs: [LOGOUT_CALLBACK] }),
		immich: await makeClient({ name: 'Immich' }),
		skip: await makeClient({ name: 'Skip consent', skipConsent: true }),
	};
	return spec;
}

// createUrlParams(client) of oidc.spec.ts.
const specParams = (c, extra = {}) => ({ client_id: c.id, response_type: 'code',
	scope: 'openid profile email', redirect_uri: CALLBACK, state: 'nXx-6Qr-owc1SHBa',
	nonce: 'P1gN3PtpKHJgKUVcLpLjm', ...extra });

test('oidc.spec.ts: new client: consent lists email and profile; offline_access adds no error', async () => {
	const { immich } = await specClients();
	const steps = [], scopes = [];
	const location = await authorize(authorizeUrl(specParams(immich,
		{ scope: 'openid profile email offline_access' })), { steps, scopes });
	assert.deepEqual(steps, ['consent']);
	assert.ok(scopes.includes('email') && scopes.includes('profile'), scopes.join());
	checkCallback(location, { state: 'nXx-6Qr-owc1SHBa' });
});

test('oidc.spec.ts: not signed in: interaction, passkey sign-in, then the callback', async () => {
	const { nextcloud } = await specClients();
	const browser = apiClient(stack.url);
	const steps = [];
	const location = await authorize(authorizeUrl(specParams(nextcloud)), { as: browser, steps });
	assert.deepEqual(steps, ['authenticate', 'consent']);
	checkCallback(location, { state: 'nXx-6Qr-owc1SHBa' });
});

test('oidc.spec.ts: a cross-site POST without the cookie gets the interaction, then the callback', async () => {
	const { nextcloud } = await specClients();
	await authorize(authorizeUrl(specParams(nextcloud)));	// consented now
	const steps = [];
	const location = await authorize(md.authorization_endpoint, { steps, crossSite: true,
		init: { method: 'POST', body: new URLSearchParams(specParams(nextcloud)),
			headers: { 'content-type': 'application/x-www-form-urlencoded' } } });
	assert.deepEqual(steps, ['authenticate']);
	checkCallback(location, { state: 'nXx-6Qr-owc1SHBa' });
});

test('oidc.spec.ts: without a scope parameter: direct for a consented client, consent for a new one', async () => {
	const { nextcloud } = await specClients();
	await authorize(authorizeUrl(specParams(nextcloud)));
	const { scope, ...noScope } = specParams(nextcloud, { state: 'no-scope-state' });
	assert.ok(scope);
	const steps = [];
	checkCallback(await authorize(authorizeUrl(noScope), { steps }), { state: 'no-scope-state' });
	assert.deepEqual(steps, []);
	const fresh = await makeClient({ name: 'New without scopes' });
	const { scope: s2, ...noScope2 } = specParams(fresh, { state: 'no-scope-new-client' });
	assert.ok(s2);
	const steps2 = [];
	checkCallback(await authorize(authorizeUrl(noScope2), { steps: steps2 }),
		{ state: 'no-scope-new-client' });
	assert.deepEqual(steps2, ['consent']);
});

test('oidc.spec.ts: response modes: form_post posts code, state and iss; fragment leaves the query empty', async () => {
	const { nextcloud } = await specClients();
	for (const as of [admin, apiClient(stack.url)]) {
		const page = await authorize(authorizeUrl(specParams(nextcloud, { response_mode: 'form_post' })), { as });
		const fields = Object.fromEntries([...page.html.matchAll(/name="([^"]+)" value="([^"]*)"/g)]
			.map((m) => [m[1], m[2]]));
		assert.ok(fields.code);
		assert.equal(fields.state, 'nXx-6Qr-owc1SHBa');
		assert.equal(fields.iss, issuer);
		assert.match(page.html, new RegExp(`<form method="post" action="${CALLBACK}">`));
	}
	const location = new URL(await authorize(authorizeUrl(specParams(nextcloud,
		{ response_mode: 'fragment' }))));
	assert.equal(location.search, '');
	const frag = new URLSearchParams(location.hash.slice(1));
	assert.ok(frag.get('code'));
	assert.equal(frag.get('state'), 'nXx-6Qr-owc1SHBa');
	assert.equal(frag.get('iss'), issuer);
});

test('oidc.spec.ts: prompt=none: fragment login_required, consent_required, no redirect to an unregistered URI', async () => {
	const { nextcloud, immich } = await specClients();
	const frag = new URL(await authorize(authorizeUrl(specParams(nextcloud,
		{ prompt: 'none', response_mode: 'fragment' })), { as: null }));
	const f = new URLSearchParams(frag.hash.slice(1));
	assert.equal(f.get('error'), 'login_required');
	assert.equal(f.get('state'), 'nXx-6Qr-owc1SHBa');
	const fresh = await makeClient({ name: 'Not consented' });
	checkCallback(await authorize(authorizeUrl(specParams(fresh, { prompt: 'none' }))),
		{ state: 'nXx-6Qr-owc1SHBa', error: 'consent_required' });
	for (const [c, as] of [[nextcloud, null], [immich, admin]]) {
		const location = await authorize(authorizeUrl(specParams(c, { prompt: 'none',
			redirect_uri: 'https://attacker.example/collect' })), { as });
		assert.ok(location.startsWith(`${stack.env.APP_URL}/interaction/error?`), location);
		assert.match(decodeURIComponent(location), /is not registered for this client\./);
	}
});

test('oidc.spec.ts: prompt=consent and select_account add their step; none with another value is invalid_request', async () => {
	const { nextcloud } = await specClients();
	await authorize(authorizeUrl(specParams(nextcloud)));
	for (const [prompt, step] of [['consent', 'consent'], ['select_account', 'select_account'],
		['login', 'reauthenticate']]) {
		const steps = [];
		checkCallback(await authorize(authorizeUrl(specParams(nextcloud, { prompt })), { steps }),
			{ state: 'nXx-6Qr-owc1SHBa' });
		assert.deepEqual(steps, [step], prompt);
	}
	for (const prompt of ['none consent', 'none login', 'none select_account'])
		checkCallback(await authorize(authorizeUrl(specParams(nextcloud, { prompt }))),
			{ state: 'nXx-6Qr-owc1SHBa', error: 'invalid_request' });
});

test('oidc.spec.ts: skip-consent client: no consent step, unless prompt=consent', async () => {
	const { skip } = await specClients();
	const steps = [];
	checkCallback(await authorize(authorizeUrl(specParams(skip)), { steps }),
		{ state: 'nXx-6Qr-owc1SHBa' });
	assert.deepEqual(steps, []);
	const again = [], scopes = [];
	checkCallback(await authorize(authorizeUrl(specParams(skip, { prompt: 'consent' })),
		{ steps: again, scopes }), { state: 'nXx-6Qr-owc1SHBa' });
	assert.deepEqual(again, ['consent']);
	assert.ok(scopes.includes('email') && scopes.includes('profile'));
});

test('oidc.spec.ts: refresh: token_type bearer, expires_in about 3600, a new refresh token; gone user 400', async () => {
	const { nextcloud } = await specClients();
	const { tokens } = await codeFlow({ client: nextcloud, scope: 'openid profile email' });
	const r = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
		{ client: nextcloud, auth: 'post' });
	assert.equal(r.res.status, 200, r.text);
	assert.ok(r.json.access_token && r.json.id_token);
	assert.equal(r.json.token_type, 'bearer');
	assert.ok(r.json.expires_in >= 3598 && r.json.expires_in <= 3600, String(r.json.expires_in));
	assert.ok(r.json.refresh_token && r.json.refresh_token !== tokens.refresh_token);
	// The refresh token of a user who was deleted since.
	const made = await admin.post('/api/users', { username: 'carl', email: 'carl@example.com',
		firstName: 'Carl', lastName: 'Gone' });
	assert.equal(made.status, 201, made.text);
	const code = await admin.post(`/api/users/${made.json.id}/one-time-access-token`, { ttl: '10m' });
	const carl = apiClient(stack.url);
	assert.equal((await carl.call('POST', `/api/one-time-access-token/${code.json.token}`)).status, 200);
	const his = await codeFlow({ client: nextcloud, as: carl });
	assert.equal((await admin.del(`/api/users/${made.json.id}`)).status, 204);
	const gone = await tokenRequest({ grant_type: 'refresh_token',
		refresh_token: his.tokens.refresh_token }, { client: nextcloud, auth: 'post' });
	assert.equal(gone.res.status, 400, gone.text);
});

test('oidc.spec.ts: introspection: 401 without credentials; aud strictly [client, issuer]; foreign client inactive', async () => {
	const { nextcloud, immich } = await specClients();
	const { tokens } = await codeFlow({ client: nextcloud, scope: 'openid profile email' });
	const introspect = (token, c) => fetch(md.introspection_endpoint, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded',
			...(c ? { authorization: basicAuth(c) } : {}) },
		body: new URLSearchParams({ token }) });
	assert.equal((await introspect(tokens.access_token)).status, 401);
	const own = await introspect(tokens.access_token, nextcloud);
	assert.equal(own.status, 200);
	const body = await own.json();
	assert.equal(body.active, true);
	assert.equal(body.iss, issuer);
	assert.equal(body.sub, adminUser.id);
	assert.deepEqual(body.aud, [nextcloud.id, issuer]);
	const foreign = await introspect(tokens.access_token, immich);
	assert.equal(foreign.status, 200);
	assert.equal((await foreign.json()).active, false);
	const refresh = await introspect(tokens.refresh_token, nextcloud);
	assert.equal(refresh.status, 200);
	assert.equal((await refresh.json()).active, true);
});

test('oidc.spec.ts: userinfo: 401 without a token, not 200 for a made-up one', async () => {
	assert.equal((await fetch(md.userinfo_endpoint)).status, 401);
	assert.notEqual((await userinfo('not-a-real-token')).status, 200);
});

test('oidc.spec.ts: a client_assertion that is no JWT: invalid_client', async () => {
	const { nextcloud } = await specClients();
	const res = await fetch(md.token_endpoint, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'authorization_code', code: 'some-code',
			redirect_uri: CALLBACK, client_id: nextcloud.id,
			client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
			client_assertion: 'not-an-assertion' }) });
	assert.equal((await res.json()).error, 'invalid_client');
});

test('oidc.spec.ts: end-session: no hint, foreign client_id -> /logout; signed out browser + state -> callback', async () => {
	const { nextcloud, immich } = await specClients();
	const end = (params, as) => fetch(`${md.end_session_endpoint}?${new URLSearchParams(params)}`,
		{ redirect: 'manual', headers: as ? { cookie: as.jar.header() } : {} });
	assert.equal((await end({}, admin)).headers.get('location'), `${issuer}/logout`);
	const { tokens } = await codeFlow({ client: nextcloud });
	const mismatch = await end({ id_token_hint: tokens.id_token, client_id: immich.id,
		post_logout_redirect_uri: LOGOUT_CALLBACK });
	assert.equal(mismatch.headers.get('location'), `${issuer}/logout`);
	const ok = await end({ id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGOUT_CALLBACK,
		state: 'logout-state' });
	assert.equal(ok.headers.get('location'), `${LOGOUT_CALLBACK}?state=logout-state`);
	assert.equal((await admin.get('/api/users/me')).status, 200, 'the cookie was not sent: still signed in');
});

test('preview: a non-admin user is refused', async () => {
	const made = await admin.post('/api/users', { username: 'dawn', email: 'dawn@example.com',
		firstName: 'Dawn', lastName: 'Summers' });
	const code = await admin.post(`/api/users/${made.json.id}/one-time-access-token`, { ttl: '10m' });
	const dawn = apiClient(stack.url);
	assert.equal((await dawn.call('POST', `/api/one-time-access-token/${code.json.token}`)).status, 200);
	const r = await dawn.get(`/api/oidc/clients/${rp.id}/preview/${made.json.id}?scopes=openid`);
	assert.equal(r.status, 403);
});

test('oidc.spec.ts: prompt=select_account, "use a different account": the other user signs in and gets the code', async () => {
	const { nextcloud } = await specClients();
	const res = await fetch(authorizeUrl(specParams(nextcloud, { prompt: 'select_account' })),
		{ redirect: 'manual', headers: { cookie: admin.jar.header() } });
	const id = new URL(res.headers.get('location')).searchParams.get('interaction');
	assert.equal((await admin.get(`/api/oidc/interactions/${id}`)).json.currentStep, 'select_account');
	// "Use a different account": another browser session takes over.
	const made = await admin.post('/api/users', { username: 'faith', email: 'faith@example.com',
		firstName: 'Faith', lastName: 'Lehane' });
	const code = await admin.post(`/api/users/${made.json.id}/one-time-access-token`, { ttl: '10m' });
	const faith = apiClient(stack.url);
	assert.equal((await faith.call('POST', `/api/one-time-access-token/${code.json.token}`)).status, 200);
	const steps = [];
	let done = await faith.post(`/api/oidc/interactions/${id}/complete`, { step: 'select_account' });
	assert.equal(done.status, 200, done.text);
	while (done.json.interaction) {
		const step = done.json.interaction.currentStep;
		steps.push(step);
		done = await faith.post(`/api/oidc/interactions/${id}/complete`, { step });
		assert.equal(done.status, 200, done.text);
	}
	assert.deepEqual(steps, ['consent'], 'faith has not consented yet');
	const back = await fetch(stack.url + done.json.redirectUrl,
		{ redirect: 'manual', headers: { cookie: faith.jar.header() } });
	const cb = checkCallback(back.headers.get('location'), { state: 'nXx-6Qr-owc1SHBa' });
	const token = await tokenRequest({ grant_type: 'authorization_code', code: cb.code,
		redirect_uri: CALLBACK }, { client: nextcloud });
	checkTokenResponse(token);
	assert.equal(checkIdToken(token.json.id_token, { clientId: nextcloud.id,
		nonce: 'P1gN3PtpKHJgKUVcLpLjm' }).sub, made.json.id);
});
