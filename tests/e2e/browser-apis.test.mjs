// The consent page of the web UI for an OAuth API (spec §2.11, §10.2
// "Consent screen ... shows the friendly name"): headless Chromium signs
// the admin up with a virtual passkey, a relying party asks for
// "openid read:orders" with resource=https://api.orders.test, and the
// consent step lists the permission by its name and description. Needs
// Debian's chromium; skipped, saying so, when it is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { freePort } from './lib/stack.mjs';
import { client as apiClient } from './lib/authenticator.mjs';
import { chromiumSkip as skip, startBrowserStack } from './lib/browser.mjs';

const ORDERS = 'https://api.orders.test';
let env, browser, context, page, base, callback;

before(async () => {
	if (skip) return;
	env = await startBrowserStack('browser_apis');
	({ base, browser, context, page } = env);
	callback = `http://localhost:${await freePort()}/callback`;
});

after(async () => {
	await env?.stop();
});

test('api.spec.ts: the consent screen shows the friendly name "Read orders"', { skip }, async () => {
	await page.goto(`${base}/setup`);
	await page.fill('#firstName', 'Tim');
	await page.fill('#lastName', 'Cook');
	await page.fill('#username', 'tim');
	await page.fill('#email', 'tim@example.com');
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.waitForURL('**/signup/add-passkey');
	await page.getByRole('button', { name: 'Add passkey' }).click();
	await page.waitForURL('**/settings/account');

	// The admin API with the browser's session: client, API, grant.
	const admin = apiClient(base);
	for (const c of await context.cookies(base)) admin.jar.cookies.set(c.name, c.value);
	const created = await admin.post('/api/oidc/clients', { name: 'Immich', callbackURLs: [callback],
		isPublic: false, pkceEnabled: true });
	assert.equal(created.status, 201, created.text);
	const secret = await admin.post(`/api/oidc/clients/${created.json.id}/secrets`, {});
	const api = await admin.post('/api/apis', { name: 'Orders API', resource: ORDERS });
	assert.equal(api.status, 201, api.text);
	const perms = await admin.call('PUT', `/api/apis/${api.json.id}/permissions`, { permissions: [
		{ key: 'read:orders', name: 'Read orders', description: 'See your orders' },
		{ key: 'write:orders', name: 'Write orders' }] });
	const read = perms.json.permissions.find((p) => p.key === 'read:orders').id;
	const grant = await admin.call('PUT', `/api/apis/${api.json.id}/clients/${created.json.id}`, {
		userDelegatedAccess: true, clientAccess: false, userDelegatedPermissionIds: [read],
		clientPermissionIds: [] });
	assert.equal(grant.status, 200, grant.text);

	const config = await oidc.discovery(new URL(base), created.json.id, secret.json.secret,
		undefined, { execute: [oidc.allowInsecureRequests] });
	const verifier = oidc.randomPKCECodeVerifier();
	const state = oidc.randomState();
	const url = oidc.buildAuthorizationUrl(config, { redirect_uri: callback,
		scope: 'openid read:orders', resource: ORDERS, state,
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256' });
	const arrived = page.waitForEvent('requestfailed',
		{ predicate: (r) => r.url().startsWith(callback), timeout: 20000 });
	await page.goto(url.href);
	await page.waitForURL('**/interaction?interaction=*');
	await page.getByRole('heading', { name: 'Immich wants to access your account' }).waitFor();
	const scopes = page.getByTestId('scopes');
	await scopes.getByText('Read orders').waitFor();
	assert.match(await scopes.innerText(), /See your orders/);
	assert.doesNotMatch(await scopes.innerText(), /read:orders|Write orders/);
	await page.getByRole('button', { name: 'Allow' }).click();
	const cb = new URL((await arrived).url());
	assert.equal(cb.searchParams.get('state'), state);
	const tokens = await oidc.authorizationCodeGrant(config, cb,
		{ pkceCodeVerifier: verifier, expectedState: state });
	const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url'));
	assert.ok(claims.aud.includes(ORDERS));
	assert.ok(claims.scp.includes('read:orders'));
});
