// A relying party's whole sign-in through the real web UI: headless
// Chromium with a virtual WebAuthn authenticator walks /authorize ->
// /interaction (passkey sign-in, consent, confirmation) -> callback, and
// openid-client, as the relying party, builds the request and redeems the
// code. Nothing listens on the callback port: the test keeps the URL of
// the browser's request to it, which then fails (Playwright's routes do
// not see the targets of redirects, so it cannot be answered either).
// Needs Debian's chromium (tests/run installs it); skipped, saying so,
// when it is missing. E2E_SCREENSHOTS=<dir> saves the consent step there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { freePort } from './lib/stack.mjs';
import { client as apiClient } from './lib/authenticator.mjs';
import { chromiumSkip as skip, startBrowserStack } from './lib/browser.mjs';

// A directory for screenshots of the steps, when wanted.
const SHOTS = process.env.E2E_SCREENSHOTS;
let env, browser, context, page, base, callback;

before(async () => {
	if (skip) return;
	env = await startBrowserStack('browser_oidc');
	({ base, browser, context, page } = env);
	callback = `http://localhost:${await freePort()}/callback`;
});

after(async () => {
	await env?.stop();
});

// Creates a confidential client with the browser's admin session and
// returns openid-client's configuration for it.
async function newClient(name, extra = {}) {
	const admin = apiClient(base);
	for (const c of await context.cookies(base)) admin.jar.cookies.set(c.name, c.value);
	const created = await admin.post('/api/oidc/clients', { name, callbackURLs: [callback],
		isPublic: false, pkceEnabled: true, ...extra });
	assert.equal(created.status, 201, created.text);
	const secret = await admin.post(`/api/oidc/clients/${created.json.id}/secrets`, {});
	assert.equal(secret.status, 201, secret.text);
	const config = await oidc.discovery(new URL(base), created.json.id, secret.json.secret,
		undefined, { execute: [oidc.allowInsecureRequests] });
	return { id: created.json.id, config };
}

// An authorization request as the relying party builds it.
async function request(config, extra = {}) {
	const verifier = oidc.randomPKCECodeVerifier();
	const state = oidc.randomState(), nonce = oidc.randomNonce();
	const url = oidc.buildAuthorizationUrl(config, { redirect_uri: callback,
		scope: 'openid profile email', state, nonce,
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256', ...extra });
	return { url, checks: { pkceCodeVerifier: verifier, expectedState: state,
		expectedNonce: nonce } };
}

// Resolves to the URL of the browser's next request to the callback, once
// that request has failed and Chromium shows its error page (so that no
// late navigation interrupts the next step).
async function callbackRequest() {
	const failed = await page.waitForEvent('requestfailed',
		{ predicate: (r) => r.url().startsWith(callback), timeout: 20000 });
	await page.waitForURL((u) => u.protocol === 'chrome-error:');
	return new URL(failed.url());
}

// page.goto, once more when a late navigation of the previous step (to
// Chromium's error page for the closed callback port) interrupts it.
async function go(url) {
	try {
		return await page.goto(url);
	} catch (e) {
		if (!/interrupted by another navigation/.test(e.message)) throw e;
		await page.waitForLoadState().catch(() => {});
		return await page.goto(url);
	}
}

let me;

test('first admin: setup in the browser, add a passkey', { skip }, async () => {
	await page.goto(`${base}/setup`);
	await page.fill('#firstName', 'Grace');
	await page.fill('#lastName', 'Hopper');
	await page.fill('#username', 'grace');
	await page.fill('#email', 'grace@example.com');
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.waitForURL('**/signup/add-passkey');
	await page.getByRole('button', { name: 'Add passkey' }).click();
	await page.waitForURL('**/settings/account');
	me = await page.evaluate(() => fetch('/api/users/me').then((r) => r.json()));
	assert.equal(me.username, 'grace');
	// The admin API with the browser's session cookie.
});

let rp;

test('an RP sends the signed-out admin through passkey sign-in and consent', { skip }, async () => {
	rp = await newClient('Wiki');
	await page.locator('.topbar').getByRole('link', { name: 'Sign out' }).click();
	await page.waitForURL('**/logout');
	await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click();
	await page.waitForURL('**/login**');

	const { url, checks } = await request(rp.config);
	const arrived = callbackRequest();
	await go(url.href);
	await page.waitForURL('**/interaction?interaction=*');
	await page.getByRole('heading', { name: 'Sign in to Wiki' }).waitFor();
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await page.getByRole('heading', { name: 'Wiki wants to access your account' }).waitFor();
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/pocket-id-consent.png`, fullPage: true });
	await page.getByRole('button', { name: 'Allow' }).click();
	const cb = await arrived;
	assert.equal(cb.origin + cb.pathname, callback);
	assert.equal(cb.searchParams.get('iss'), base);

	const tokens = await oidc.authorizationCodeGrant(rp.config, cb, checks);
	const claims = tokens.claims();
	assert.equal(claims.sub, me.id);
	assert.deepEqual(claims.aud, [rp.id]);
	assert.deepEqual(claims.amr, ['phr']);
	assert.equal(claims.email, 'grace@example.com');
	assert.equal(claims.preferred_username, 'grace');
	const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, me.id);
	assert.equal(info.sub, me.id);
	assert.equal(info.name, 'Grace Hopper');
	assert.equal(info.email, 'grace@example.com');
});

test('the next authorization goes straight to the callback', { skip }, async () => {
	const { url, checks } = await request(rp.config);
	const seen = [];
	const log = (r) => { if (r.isNavigationRequest()) seen.push(new URL(r.url()).pathname); };
	page.on('request', log);
	const arrived = callbackRequest();
	// /authorize redirects to the callback at once; that request fails.
	await assert.rejects(page.goto(url.href), /ERR_CONNECTION_REFUSED/);
	const cb = await arrived;
	page.off('request', log);
	assert.ok(!seen.includes('/interaction'), `no interaction page: ${seen}`);
	const tokens = await oidc.authorizationCodeGrant(rp.config, cb, checks);
	assert.equal(tokens.claims().sub, me.id);
});

let strict;

test('a client that requires re-authentication asks to confirm with the passkey', { skip }, async () => {
	strict = await newClient('Payroll', { requiresReauthentication: true });
	const { url, checks } = await request(strict.config);
	const arrived = callbackRequest();
	await go(url.href);
	await page.waitForURL('**/interaction?interaction=*');
	await page.getByRole('heading', { name: "Confirm it's you" }).waitFor();
	await page.getByRole('button', { name: 'Confirm with passkey' }).click();
	await page.getByRole('heading', { name: 'Payroll wants to access your account' }).waitFor();
	await page.getByRole('button', { name: 'Allow' }).click();
	const cb = await arrived;
	const tokens = await oidc.authorizationCodeGrant(strict.config, cb, checks);
	const claims = tokens.claims();
	assert.equal(claims.sub, me.id);
	assert.deepEqual(claims.aud, [strict.id]);
	assert.ok(claims.auth_time >= Math.floor(Date.now() / 1000) - 60, 'a fresh auth_time');
});

test('signed out, that client takes sign-in and confirmation on one page', { skip }, async () => {
	await page.goto(`${base}/logout`);
	await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click();
	await page.waitForURL('**/login**');
	const { url, checks } = await request(strict.config);
	const arrived = callbackRequest();
	await go(url.href);
	await page.waitForURL('**/interaction?interaction=*');
	await page.getByRole('heading', { name: 'Sign in to Payroll' }).waitFor();
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	// Consent is remembered; the confirmation right after signing in is
	// still asked for, because the client always wants one.
	await page.getByRole('heading', { name: "Confirm it's you" }).waitFor();
	await page.getByRole('button', { name: 'Confirm with passkey' }).click();
	const cb = await arrived;
	const tokens = await oidc.authorizationCodeGrant(strict.config, cb, checks);
	assert.equal(tokens.claims().sub, me.id);
	assert.deepEqual(tokens.claims().amr, ['phr']);
});

test('prompt=select_account offers to continue as the signed-in user', { skip }, async () => {
	const { url, checks } = await request(rp.config, { prompt: 'select_account' });
	const arrived = callbackRequest();
	await go(url.href);
	await page.waitForURL('**/interaction?interaction=*');
	await page.getByRole('heading', { name: 'Choose an account' }).waitFor();
	await page.getByRole('button', { name: 'Continue as Grace Hopper' }).click();
	const cb = await arrived;
	const tokens = await oidc.authorizationCodeGrant(rp.config, cb, checks);
	assert.equal(tokens.claims().sub, me.id);
});

test('a client closed to the user ends on the error page, not at the client', { skip }, async () => {
	const closed = await newClient('Vault', { isGroupRestricted: true });
	const { url } = await request(closed.config);
	const toClient = [];
	const log = (r) => { if (r.url().startsWith(callback)) toClient.push(r.url()); };
	page.on('request', log);
	await go(url.href);
	await page.waitForURL('**/interaction/error?error=*');
	await page.getByText('You are not allowed to access this service.').waitFor();
	page.off('request', log);
	assert.deepEqual(toClient, []);
});

test('response_mode=form_post: the page posts the code to the client, as its CSP allows', { skip }, async () => {
	const { url, checks } = await request(rp.config, { response_mode: 'form_post' });
	const violations = [];
	const watch = (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); };
	page.on('console', watch);
	const posted = page.waitForRequest((r) => r.url().startsWith(callback), { timeout: 20000 });
	await page.goto(url.href).catch(() => {});
	const req = await posted;
	page.off('console', watch);
	assert.deepEqual(violations, []);
	assert.equal(req.method(), 'POST');
	assert.equal(req.url(), callback);
	const form = new URLSearchParams(req.postData());
	assert.equal(form.get('iss'), base);
	await page.waitForURL((u) => u.protocol === 'chrome-error:');
	const tokens = await oidc.authorizationCodeGrant(rp.config, new Request(callback, {
		method: 'POST', body: req.postData(),
		headers: { 'content-type': 'application/x-www-form-urlencoded' } }), checks);
	assert.equal(tokens.claims().sub, me.id);
});

test('a finished sign-in request cannot be replayed from the browser history', { skip }, async () => {
	// prompt=consent keeps the browser on the interaction page for a step.
	const { url } = await request(rp.config, { prompt: 'consent' });
	const arrived = callbackRequest();
	await go(url.href);
	await page.waitForURL('**/interaction?interaction=*');
	const interaction = page.url();
	const id = new URL(interaction).searchParams.get('interaction');
	await page.getByRole('button', { name: 'Allow' }).click();
	await arrived;
	await page.goto(interaction);
	await page.getByRole('heading', { name: 'This sign-in request has expired' }).waitFor();
	await page.goto(`${base}/authorize?interaction=${id}`);
	await page.waitForURL('**/interaction/error?error=*');
	await page.getByText('This sign-in request has expired or was already used.').waitFor();
});
