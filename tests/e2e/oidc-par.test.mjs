// Pushed authorization requests (RFC 9126) against openid-client: the
// push and its checks (client authentication, redirect URI, PKCE, no
// nested request_uri), the code flow through a request_uri, single use,
// expiry, binding to the pushing client, and clients that require PAR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startCluster } from './lib/pg.mjs';
import { startStack } from './lib/stack.mjs';
import { client as apiClient } from './lib/authenticator.mjs';

const CALLBACK = 'https://rp.example/callback';
let cluster, stack, admin, adminUser, rp, config;

async function makeClient(body) {
	const created = await admin.post('/api/oidc/clients', { callbackURLs: [CALLBACK],
		isPublic: false, pkceEnabled: false, ...body });
	assert.equal(created.status, 201, created.text);
	if (body.isPublic) return { id: created.json.id };
	const secret = await admin.post(`/api/oidc/clients/${created.json.id}/secrets`, {});
	assert.equal(secret.status, 201, secret.text);
	return { id: created.json.id, secret: secret.json.secret };
}

const discover = ({ id, secret }) => oidc.discovery(new URL(stack.url), id, secret,
	undefined, { execute: [oidc.allowInsecureRequests] });

before(async () => {
	cluster = await startCluster();
	stack = await startStack(await cluster.createDatabase('par'), { workers: 2 });
	admin = apiClient(stack.url);
	adminUser = (await admin.post('/api/signup/setup', { username: 'tim',
		email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' })).json;
	rp = await makeClient({ name: 'Nextcloud' });
	config = await discover(rp);
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

// Follows our own redirects (authorize -> interaction -> authorize) with
// the admin's cookies, completing each step, until the browser would
// leave for the client or land on our error page.
async function authorize(url) {
	let res = await fetch(url, { redirect: 'manual', headers: { cookie: admin.jar.header() } });
	for (let guard = 0; guard < 5; guard++) {
		assert.equal(res.status, 302, await res.text());
		const location = res.headers.get('location');
		if (!location.startsWith(`${stack.env.APP_URL}/interaction?`)) return location;
		const id = new URL(location).searchParams.get('interaction');
		const step = (await admin.get(`/api/oidc/interactions/${id}`)).json.currentStep;
		const done = await admin.post(`/api/oidc/interactions/${id}/complete`, { step });
		assert.equal(done.status, 200, done.text);
		res = await fetch(stack.url + done.json.redirectUrl,
			{ redirect: 'manual', headers: { cookie: admin.jar.header() } });
	}
	throw new Error('too many redirects');
}

// A raw push with client_secret_post.
async function push(params, { id = rp.id, secret = rp.secret } = {}) {
	const body = new URLSearchParams({ client_id: id, response_type: 'code',
		redirect_uri: CALLBACK, scope: 'openid', state: 'state-12345678', ...params });
	if (secret !== undefined) body.set('client_secret', secret);
	const res = await fetch(`${stack.url}/api/oidc/par`, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
	return { status: res.status, json: await res.json(), headers: res.headers };
}

const isParError = (location) => decodeURIComponent(location).includes('Invalid PAR session');

test('discovery names the PAR endpoint', () => {
	const md = config.serverMetadata();
	assert.equal(md.pushed_authorization_request_endpoint, `${stack.env.INTERNAL_APP_URL ?? stack.env.APP_URL}/api/oidc/par`);
	assert.equal(md.require_pushed_authorization_requests, false);
});

test('the code flow through a pushed request, used once', async () => {
	const verifier = oidc.randomPKCECodeVerifier();
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const url = await oidc.buildAuthorizationUrlWithPAR(config, { redirect_uri: CALLBACK,
		scope: 'openid email', state, nonce,
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256' });
	assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);
	assert.match(url.searchParams.get('request_uri'), /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
	const callback = await authorize(url);
	const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
		pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
	assert.equal(tokens.claims().sub, adminUser.id);
	assert.equal(tokens.claims().email, 'tim@example.com');
	assert.ok(isParError(await authorize(url)), 'a request_uri is single use');
});

test('push: 201 with expires_in 90; refusals are RFC 6749 errors', async () => {
	const ok = await push({});
	assert.equal(ok.status, 201);
	assert.equal(ok.json.expires_in, 90);
	assert.equal(ok.headers.get('cache-control'), 'no-store');
	const badSecret = await push({}, { secret: 'definitely-not-the-secret' });
	assert.equal(badSecret.status, 401);
	assert.equal(badSecret.json.error, 'invalid_client');
	const badRedirect = await push({ redirect_uri: 'https://evil.example/cb' });
	assert.equal(badRedirect.status, 400);
	assert.equal(badRedirect.json.error, 'invalid_request');
	const nested = await push({ request_uri: ok.json.request_uri });
	assert.equal(nested.status, 400);
	assert.equal(nested.json.error, 'invalid_request');
	const pub = await makeClient({ name: 'SPA', isPublic: true });
	const noPkce = await push({}, { id: pub.id, secret: undefined });
	assert.equal(noPkce.status, 400);
	assert.match(noPkce.json.error_description, /PKCE/);
	const withPkce = await push({ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' },
		{ id: pub.id, secret: undefined });
	assert.equal(withPkce.status, 201, JSON.stringify(withPkce.json));
});

test('an expired or foreign request_uri is refused', async () => {
	const pushed = (await push({})).json.request_uri;
	const other = await makeClient({ name: 'Other' });
	const foreign = `${stack.url}/authorize?client_id=${other.id}&request_uri=${encodeURIComponent(pushed)}`;
	assert.ok(isParError(await authorize(foreign)));
	const own = `${stack.url}/authorize?client_id=${rp.id}&request_uri=${encodeURIComponent(pushed)}`;
	await cluster.psql('par', "UPDATE oidc_par_requests SET expires_at = now() - interval '1 second'");
	assert.ok(isParError(await authorize(own)));
	const made = `${stack.url}/authorize?client_id=${rp.id}&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Anope`;
	assert.ok(isParError(await authorize(made)));
});

test('a client that requires PAR refuses plain requests and accepts pushed ones', async () => {
	const strict = await makeClient({ name: 'Bank', requiresPushedAuthorizationRequests: true });
	const cfg = await discover(strict);
	const verifier = oidc.randomPKCECodeVerifier(), state = oidc.randomState();
	const params = { redirect_uri: CALLBACK, scope: 'openid', state,
		code_challenge: verifier, code_challenge_method: 'plain' };
	const plain = new URL(await authorize(oidc.buildAuthorizationUrl(cfg, params)));
	assert.equal(plain.origin + plain.pathname, CALLBACK);
	assert.equal(plain.searchParams.get('error'), 'invalid_request');
	assert.match(plain.searchParams.get('error_description'), /pushed/);
	const cb = await authorize(await oidc.buildAuthorizationUrlWithPAR(cfg, params));
	const tokens = await oidc.authorizationCodeGrant(cfg, new URL(cb), {
		pkceCodeVerifier: verifier, expectedState: state });
	assert.equal(tokens.claims().sub, adminUser.id);
});
