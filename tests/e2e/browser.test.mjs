// The web UI in headless Chromium with a virtual WebAuthn authenticator
// (Chrome DevTools Protocol), against the real stack: first-admin setup,
// adding a passkey, signing out, signing back in with the passkey, a login
// code link, and sign-in with the wrong APP_URL reported to the person.
// Needs Debian's chromium (tests/run installs it); skipped, saying so,
// when it is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runPocketId } from './lib/stack.mjs';
import { chromiumSkip as skip, startBrowserStack, snap } from './lib/browser.mjs';

let env, stack, browser, page, base;

before(async () => {
	if (skip) return;
	env = await startBrowserStack('browser');
	({ stack, base, browser, page } = env);
});

after(async () => {
	await env?.stop();
});

test('first admin: setup, add a passkey, sign out, sign in with it', { skip }, async () => {
	await page.goto(`${base}/setup`);
	await page.fill('#firstName', 'Ada');
	await page.fill('#lastName', 'Lovelace');
	await page.fill('#username', 'ada');
	await page.fill('#email', 'ada@example.com');
	await snap(page, 'setup');
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.waitForURL('**/signup/add-passkey');
	await snap(page, 'add-passkey');
	await page.getByRole('button', { name: 'Add passkey' }).click();
	await page.waitForURL('**/settings/account');
	await page.getByText('Passkeys').first().waitFor();
	await snap(page, 'account');
	const creds = await page.evaluate(() => fetch('/api/webauthn/credentials').then((r) => r.json()));
	assert.equal(creds.length, 1);
	await page.locator('.topbar').getByRole('link', { name: 'Sign out' }).click();
	await page.waitForURL('**/logout');
	await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click();
	await page.waitForURL('**/login**');
	await snap(page, 'login');
	assert.equal((await page.evaluate(() => fetch('/api/users/me').then((r) => r.status))), 401);
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await page.waitForURL('**/settings/account');
	const me = await page.evaluate(() => fetch('/api/users/me').then((r) => r.json()));
	assert.equal(me.username, 'ada');
	const sessions = await page.evaluate(() => fetch('/api/users/me/sessions').then((r) => r.json()));
	assert.equal(sessions.filter((s) => s.current && s.amr === 'phr').length, 1);
	// The account page names the browser, not the raw user agent.
	const current = sessions.find((s) => s.current);
	assert.match(current.device, /Chrome.* on Linux/);
	await page.getByText(current.device).first().waitFor();
});

test('rename the passkey in the UI, and the UI in Chinese', { skip }, async () => {
	const [cred] = await page.evaluate(() => fetch('/api/webauthn/credentials').then((r) => r.json()));
	await page.getByRole('button', { name: `Rename passkey ${cred.name}` }).click();
	const field = page.locator('input[id^=rename-]');
	await field.fill('Work laptop');
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByText('Work laptop').waitFor();
	const [renamed] = await page.evaluate(() => fetch('/api/webauthn/credentials').then((r) => r.json()));
	assert.equal(renamed.name, 'Work laptop');
	await page.selectOption('#language', 'zh-CN');
	await page.getByText('通行密钥').first().waitFor();
	assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
	await snap(page, 'account-zh-CN');
	await page.selectOption('#language', 'en');
});

test('a login link from the CLI signs a browser in', { skip }, async () => {
	const context = await browser.newContext();
	const other = await context.newPage();
	const r = await runPocketId(['one-time-access-token', 'ada'], stack.env);
	assert.equal(r.code, 0, r.stderr);
	await other.goto(r.stdout.trim());
	await other.waitForURL('**/settings/account');
	const me = await other.evaluate(() => fetch('/api/users/me').then((r) => r.json()));
	assert.equal(me.username, 'ada');
	await context.close();
});

test('the page says so when APP_URL does not match the address in the browser', { skip }, async () => {
	// Same server reached as 127.0.0.1: the RP ID (localhost) cannot match.
	const context = await browser.newContext();
	const other = await context.newPage();
	await other.goto(`http://127.0.0.1:${stack.port}/login`);
	await other.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await other.getByText(/APP_URL must match the address in the browser/).waitFor({ timeout: 10000 });
	await context.close();
});
