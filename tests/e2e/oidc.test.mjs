// The OpenID Connect provider against a real relying-party library
// (openid-client): discovery, the authorization code flow with PKCE
// through consent in the interaction API, ID token and userinfo, refresh
// rotation and reuse detection, code replay, client credentials,
// introspection, revocation, prompt=none, and RP-initiated logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startCluster } from './lib/pg.mjs';
import { startStack, runPocketId } from './lib/stack.mjs';
import { client as apiClient } from './lib/authenticator.mjs';

let cluster, stack, admin, adminUser, rp, rpId, rpSecret, config;
const CALLBACK = 'https://rp.example/callback';

before(async () => {
	cluster = await startCluster();
	stack = await startStack(await cluster.createDatabase('oidc'), { workers: 2 });
	admin = apiClient(stack.url);
	adminUser = (await admin.post('/api/signup/setup', { username: 'tim',
		email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' })).json;
	const created = await admin.post('/api/oidc/clients', { name: 'Nextcloud',
		callbackURLs: [CALLBACK], logoutCallbackURLs: ['https://rp.example/bye'],
		isPublic: false, pkceEnabled: false });
	assert.equal(created.status, 201, created.text);
	rpId = created.json.id;
	const secret = await admin.post(`/api/oidc/clients/${rpId}/secrets`, {});
	assert.equal(secret.status, 201, secret.text);
	rpSecret = secret.json.secret;
	config = await oidc.discovery(new URL(stack.url), rpId, rpSecret, undefined,
		{ execute: [oidc.allowInsecureRequests] });
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

// Follows our own redirects (authorize -> interaction -> authorize) with
// the admin's cookies until the browser would leave for the client.
async function authorize(url, { steps = [] } = {}) {
	let res = await fetch(url, { redirect: 'manual', headers: { cookie: admin.jar.header() } });
	for (let guard = 0; guard < 5; guard++) {
		assert.equal(res.status, 302, await res.text());
		const location = res.headers.get('location');
		if (!location.startsWith(`${stack.env.APP_URL}/interaction?`)) return location;
		const id = new URL(location).searchParams.get('interaction');
		const got = await admin.get(`/api/oidc/interactions/${id}`);
		assert.equal(got.status, 200);
		const step = got.json.currentStep;
		steps.push(step);
		const done = await admin.post(`/api/oidc/interactions/${id}/complete`, { step });
		assert.equal(done.status, 200, done.text);
		assert.ok(done.json.redirectUrl, 'one step was enough here');
		res = await fetch(stack.url + done.json.redirectUrl,
			{ redirect: 'manual', headers: { cookie: admin.jar.header() } });
	}
	throw new Error('too many redirects');
}

async function codeFlow(extra = {}) {
	const verifier = oidc.randomPKCECodeVerifier();
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK,
		scope: 'openid profile email groups', state, nonce,
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256', ...extra });
	const steps = [];
	const callback = await authorize(url, { steps });
	return { callback, verifier, state, nonce, steps };
}

test('discovery names our endpoints, and the JWKS verifies our tokens', async () => {
	const md = config.serverMetadata();
	assert.equal(md.issuer, stack.env.APP_URL);
	assert.equal(md.token_endpoint, `${stack.env.APP_URL}/api/oidc/token`);
	assert.deepEqual(md.response_types_supported, ['code']);
	assert.ok(md.code_challenge_methods_supported.includes('S256'));
	assert.equal(md.authorization_response_iss_parameter_supported, true);
	const again = await fetch(`${stack.url}/.well-known/oauth-authorization-server`);
	assert.equal((await again.json()).issuer, md.issuer);
});

test('authorization code flow with PKCE, consent, ID token and userinfo', async () => {
	const { callback, verifier, state, nonce, steps } = await codeFlow();
	assert.deepEqual(steps, ['consent']);
	const cb = new URL(callback);
	assert.equal(cb.origin + cb.pathname, CALLBACK);
	assert.equal(cb.searchParams.get('iss'), stack.env.APP_URL);
	const tokens = await oidc.authorizationCodeGrant(config, cb, {
		pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
	const claims = tokens.claims();
	assert.equal(claims.sub, adminUser.id);
	assert.deepEqual(claims.aud, [rpId]);
	assert.equal(claims.type, 'id-token');
	assert.deepEqual(claims.amr, ['otp']);
	assert.equal(claims.email, 'tim@example.com');
	assert.equal(claims.preferred_username, 'tim');
	assert.deepEqual(claims.groups, []);
	assert.ok(tokens.refresh_token.startsWith('pocket_id_rt_'));
	assert.equal(tokens.token_type.toLowerCase(), 'bearer');
	const info = await oidc.fetchUserInfo(config, tokens.access_token, adminUser.id);
	assert.equal(info.name, 'Tim Cook');
	assert.equal(info.email_verified, false);
	assert.equal(info.picture, `${stack.env.APP_URL}/api/users/${adminUser.id}/profile-picture.png`);
	const events = await cluster.psql('oidc', "SELECT string_agg(event, ',' ORDER BY created_at) FROM audit_logs WHERE event LIKE '%CLIENT_AUTHORIZATION'");
	assert.equal(events, 'NEW_CLIENT_AUTHORIZATION,CLIENT_AUTHORIZATION');
});

test('with consent stored, a signed-in user gets the code in one redirect', async () => {
	const { callback, steps } = await codeFlow();
	assert.deepEqual(steps, []);
	assert.ok(new URL(callback).searchParams.get('code'));
	const none = await codeFlow({ prompt: 'none' });
	assert.ok(new URL(none.callback).searchParams.get('code'));
});

test('a replayed code is refused and revokes what it issued', async () => {
	const { callback, verifier, state, nonce } = await codeFlow();
	const cb = new URL(callback);
	const tokens = await oidc.authorizationCodeGrant(config, cb, {
		pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
	await assert.rejects(oidc.authorizationCodeGrant(config, cb, {
		pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }),
	(e) => e.error === 'invalid_grant');
	await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, adminUser.id));
	await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token),
		(e) => e.error === 'invalid_grant');
});

test('a wrong PKCE verifier or redirect_uri is refused', async () => {
	const { callback, state, nonce } = await codeFlow();
	await assert.rejects(oidc.authorizationCodeGrant(config, new URL(callback), {
		pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state,
		expectedNonce: nonce }), (e) => e.error === 'invalid_grant');
});

test('refresh tokens rotate; reusing a rotated one revokes the family', async () => {
	const { callback, verifier, state, nonce } = await codeFlow();
	const first = await oidc.authorizationCodeGrant(config, new URL(callback), {
		pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
	const second = await oidc.refreshTokenGrant(config, first.refresh_token);
	assert.notEqual(second.refresh_token, first.refresh_token);
	assert.equal(second.claims().sub, adminUser.id);
	const narrow = await oidc.refreshTokenGrant(config, second.refresh_token, { scope: 'openid' });
	assert.equal(narrow.scope, 'openid');
	await assert.rejects(oidc.refreshTokenGrant(config, first.refresh_token),
		(e) => e.error === 'invalid_grant');
	await assert.rejects(oidc.refreshTokenGrant(config, narrow.refresh_token),
		(e) => e.error === 'invalid_grant', 'the whole family is gone');
});

test('client credentials, introspection and revocation', async () => {
	const cc = await oidc.clientCredentialsGrant(config);
	assert.ok(cc.access_token);
	assert.equal(cc.refresh_token, undefined);
	const intro = await oidc.tokenIntrospection(config, cc.access_token);
	assert.equal(intro.active, true);
	assert.equal(intro.sub, `client-${rpId}`);
	assert.equal(intro.client_id, rpId);
	await oidc.tokenRevocation(config, cc.access_token);
	assert.equal((await oidc.tokenIntrospection(config, cc.access_token)).active, false);
	assert.equal((await oidc.tokenIntrospection(config, 'garbage')).active, false);
	const bad = await oidc.discovery(new URL(stack.url), rpId, 'wrong-secret', undefined,
		{ execute: [oidc.allowInsecureRequests] });
	await assert.rejects(oidc.clientCredentialsGrant(bad), (e) => e.error === 'invalid_client');
});

test('no client authentication at all is invalid_client, 401 (RFC 6749 §5.2)', async () => {
	for (const path of ['/api/oidc/token', '/api/oidc/par', '/api/oidc/device/authorize',
		'/api/oidc/introspect', '/api/oidc/revoke']) {
		const res = await fetch(`${stack.url}${path}`, { method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials&token=x&response_type=code' });
		assert.equal(res.status, 401, path);
		const body = await res.json();
		assert.equal(body.error, 'invalid_client', path);
		assert.match(body.error_description, /did not authenticate/, path);
	}
});

test('a repeated parameter is refused (RFC 6749 §3.1, §3.2)', async () => {
	const basic = `Basic ${Buffer.from(`${encodeURIComponent(rpId)}:${encodeURIComponent(rpSecret)}`).toString('base64')}`;
	const res = await fetch(`${stack.url}/api/oidc/token`, { method: 'POST',
		headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
		body: 'grant_type=client_credentials&grant_type=authorization_code' });
	assert.equal(res.status, 400);
	assert.equal((await res.json()).error, 'invalid_request');
	const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid',
		state: oidc.randomState() });
	const twice = await fetch(`${url}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
		{ redirect: 'manual' });
	assert.ok(twice.headers.get('location').startsWith(`${stack.env.APP_URL}/interaction/error?`), twice.headers.get('location'));
});

test('errors go to the client only for a registered redirect URI', async () => {
	const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK,
		scope: 'openid', state: 'short' });
	const res = await fetch(url, { redirect: 'manual' });
	const loc = new URL(res.headers.get('location'));
	assert.equal(loc.searchParams.get('error'), 'invalid_state');
	assert.equal(loc.searchParams.get('iss'), stack.env.APP_URL);
	const evil = oidc.buildAuthorizationUrl(config, { redirect_uri: 'https://evil.example/cb',
		scope: 'openid', state: oidc.randomState() });
	const res2 = await fetch(evil, { redirect: 'manual' });
	const loc2 = res2.headers.get('location');
	assert.ok(loc2.startsWith(`${stack.env.APP_URL}/interaction/error?`), loc2);
	assert.match(decodeURIComponent(loc2), /is not registered for this client/);
	const anon = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid',
		state: oidc.randomState(), prompt: 'none' });
	const res3 = await fetch(anon, { redirect: 'manual' });
	assert.equal(new URL(res3.headers.get('location')).searchParams.get('error'), 'login_required');
});

test('form_post answers with a self-submitting page under a strict CSP', async () => {
	const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid',
		state: oidc.randomState(), response_mode: 'form_post',
		code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
		code_challenge_method: 'S256' });
	const res = await fetch(url, { headers: { cookie: admin.jar.header() } });
	assert.equal(res.status, 200);
	const html = await res.text();
	assert.match(html, /<form method="post" action="https:\/\/rp\.example\/callback">/);
	assert.match(html, /name="code"/);
	assert.match(res.headers.get('content-security-policy'), /form-action https:\/\/rp\.example\/callback/);
});

test('group restriction: only members of an allowed group may sign in, re-checked at refresh', async () => {
	const created = await admin.post('/api/oidc/clients', { name: 'Grafana',
		callbackURLs: [CALLBACK], isPublic: false, isGroupRestricted: true });
	assert.equal(created.status, 201, created.text);
	const restricted = created.json.id;
	const secret = (await admin.post(`/api/oidc/clients/${restricted}/secrets`, {})).json.secret;
	const cfg = await oidc.discovery(new URL(stack.url), restricted, secret, undefined,
		{ execute: [oidc.allowInsecureRequests] });
	const url = (verifier, state) => oidc.buildAuthorizationUrl(cfg, { redirect_uri: CALLBACK,
		scope: 'openid groups', state, code_challenge: verifier, code_challenge_method: 'plain' });
	const verifier = oidc.randomPKCECodeVerifier(), state = oidc.randomState();
	const denied = await authorize(url(verifier, state));
	assert.match(decodeURIComponent(denied), /interaction\/error\?error=You are not allowed/);
	const group = (await admin.post('/api/user-groups', { friendlyName: 'Ops', name: 'ops' })).json;
	assert.equal((await admin.call('PUT', `/api/user-groups/${group.id}/users`, { userIds: [adminUser.id] })).status, 200);
	const allowed = await admin.call('PUT', `/api/user-groups/${group.id}/allowed-oidc-clients`,
		{ oidcClientIds: [restricted] });
	assert.equal(allowed.status, 200, allowed.text);
	assert.deepEqual(allowed.json.allowedOidcClients.map((c) => c.id), [restricted]);
	const unknown = await admin.call('PUT', `/api/user-groups/${group.id}/allowed-oidc-clients`,
		{ oidcClientIds: ['no-such-client'] });
	assert.equal(unknown.status, 404);
	const cb = await authorize(url(verifier, state));
	const tokens = await oidc.authorizationCodeGrant(cfg, new URL(cb), {
		pkceCodeVerifier: verifier, expectedState: state });
	assert.deepEqual(tokens.claims().groups, ['ops']);
	await admin.call('PUT', `/api/user-groups/${group.id}/users`, { userIds: [] });
	await assert.rejects(oidc.refreshTokenGrant(cfg, tokens.refresh_token),
		(e) => e.error === 'access_denied');
});

test('prompt=login asks for a fresh passkey confirmation', async () => {
	const steps = [];
	const verifier = oidc.randomPKCECodeVerifier(), state = oidc.randomState();
	const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid',
		state, prompt: 'login', code_challenge: verifier, code_challenge_method: 'plain' });
	await assert.rejects(authorize(url, { steps }), /reauthentication|400|401/);
	assert.deepEqual(steps, ['reauthenticate']);
});

test('key rotation: tokens issued before keep working; the old key stays as long as access tokens live', async () => {
	const long = await admin.post('/api/oidc/clients', { name: 'Long-lived',
		callbackURLs: [CALLBACK], accessTokenDurationMinutes: 600 });
	assert.equal(long.status, 201, long.text);
	const { callback, verifier, state, nonce } = await codeFlow();
	const before = await oidc.authorizationCodeGrant(config, new URL(callback), {
		pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
	const oldKid = JSON.parse(Buffer.from(before.id_token.split('.')[0], 'base64url')).kid;
	// RS256 again: relying parties registered for RS256 refuse other algs.
	const r = await runPocketId(['key-rotate', '--alg', 'RS256', '-y'], stack.env);
	assert.equal(r.code, 0, r.stderr);
	const overlap = await cluster.psql('oidc', 'SELECT extract(epoch FROM verify_until - '
		+ `retired_at)::int FROM signing_keys WHERE kid = '${oldKid}'`);
	assert.ok(Number(overlap) >= 600 * 60, `overlap ${overlap} s`);
	// No restart: the running workers sign with the new key at once.
	const after = await oidc.refreshTokenGrant(config, before.refresh_token);
	const newHeader = JSON.parse(Buffer.from(after.id_token.split('.')[0], 'base64url'));
	assert.notEqual(newHeader.kid, oldKid);
	assert.equal(newHeader.alg, 'RS256');
	const jwks = await (await fetch(`${stack.url}/.well-known/jwks.json`)).json();
	assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [oldKid, newHeader.kid].sort());
	// The access token signed with the old key still works.
	const info = await oidc.fetchUserInfo(config, after.access_token, adminUser.id);
	assert.equal(info.sub, adminUser.id);
	const intro = await oidc.tokenIntrospection(config, after.access_token);
	assert.equal(intro.active, true);
});

test('RP-initiated logout ends the session and returns to the client', async () => {
	const { callback, verifier, state, nonce } = await codeFlow();
	const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
		pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
	const url = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token,
		post_logout_redirect_uri: 'https://rp.example/bye', state: 'bye-state' });
	const res = await fetch(url, { redirect: 'manual', headers: { cookie: admin.jar.header() } });
	assert.equal(res.headers.get('location'), 'https://rp.example/bye?state=bye-state');
	assert.equal((await admin.get('/api/users/me')).status, 401, 'the browser session ended');
	await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token));
	const stray = await fetch(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token,
		post_logout_redirect_uri: 'https://evil.example/' }), { redirect: 'manual' });
	assert.equal(stray.headers.get('location'), `${stack.env.APP_URL}/logout`);
});
