#!/usr/bin/env node
// Drives the built UI (dist/) in headless Chromium over the DevTools
// protocol, against tools/dev-server.mjs with the mock API, with a CDP
// virtual authenticator: the guard's redirects, login code, add / rename /
// delete passkey, sign out, sign in with the passkey (the mock verifies the
// signature, so the base64url round trip is proven in a real browser), an
// interaction step to its redirect, the device page, the language switch,
// and that the CSP reported no violation. Writes a screenshot per step.
//
// Not a substitute for the end-to-end tests against the real backend.
// Usage: node --experimental-websocket tools/browser-check.mjs [--shots DIR]
// (Node 22+ needs no flag.) Needs `chromium` on PATH and a built dist/.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const shots = args.includes('--shots') ? path.resolve(args[args.indexOf('--shots') + 1]) : '';
if (typeof WebSocket === 'undefined') {
	console.error('browser-check: no WebSocket; run with node --experimental-websocket (Node 20)');
	process.exit(2);
}

function firstLine(child, pattern) {
	return new Promise((resolve, reject) => {
		let buf = '';
		const onData = (d) => {
			buf += d;
			const m = pattern.exec(buf);
			if (m) resolve(m);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', (code) => reject(new Error('exited ' + code + ': ' + buf)));
	});
}

class Cdp {
	constructor(url) {
		this.ws = new WebSocket(url);
		this.id = 0;
		this.pending = new Map();
		this.handlers = [];
		this.ws.onmessage = (e) => {
			const msg = JSON.parse(e.data);
			if (msg.id && this.pending.has(msg.id)) {
				const { resolve, reject } = this.pending.get(msg.id);
				this.pending.delete(msg.id);
				if (msg.error) reject(new Error(msg.error.message));
				else resolve(msg.result);
			} else if (msg.method) for (const h of this.handlers) h(msg);
		};
		this.open = new Promise((resolve) => (this.ws.onopen = resolve));
	}
	send(method, params = {}, sessionId) {
		const id = ++this.id;
		this.ws.send(JSON.stringify({ id, method, params, sessionId }));
		return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
	const server = spawn(process.execPath, [path.join(here, 'dev-server.mjs'), '--port', '0', '--mock', 'anonymous']);
	const port = (await firstLine(server, /127\.0\.0\.1:(\d+)/))[1];
	const base = `http://localhost:${port}`;
	const profile = await mkdtemp(path.join(tmpdir(), 'ui-check-'));
	const browser = spawn('chromium', [
		'--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
		'--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars',
		'--remote-debugging-port=0', '--user-data-dir=' + profile, '--window-size=1000,800', 'about:blank',
	]);
	const wsUrl = (await firstLine(browser, /DevTools listening on (ws:\/\/\S+)/))[1];
	const cdp = new Cdp(wsUrl);
	await cdp.open;
	const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
	const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
	const send = (m, p) => cdp.send(m, p, sessionId);
	const problems = [];
	cdp.handlers.push((msg) => {
		if (msg.sessionId !== sessionId) return;
		if (msg.method === 'Runtime.exceptionThrown') problems.push('exception: ' + msg.params.exceptionDetails.text);
		if (msg.method === 'Log.entryAdded' && /Content Security Policy|Refused to/i.test(msg.params.entry.text))
			problems.push('csp: ' + msg.params.entry.text);
	});
	await send('Runtime.enable');
	await send('Log.enable');
	await send('Page.enable');
	await send('WebAuthn.enable');
	await send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
			isUserVerified: true, automaticPresenceSimulation: true,
		},
	});

	const evaluate = async (expression) => {
		const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, userGesture: true });
		if (r.exceptionDetails) throw new Error(expression + ': ' + r.exceptionDetails.text);
		return r.result.value;
	};
	const waitFor = async (expression, what, ms = 6000) => {
		const end = Date.now() + ms;
		for (;;) {
			if (await evaluate(expression).catch(() => false)) return;
			if (Date.now() > end) {
				const text = await evaluate('document.body.innerText').catch(() => '?');
				throw new Error('timed out waiting for ' + what + ' at ' + (await here_()) + '\n' + text);
			}
			await sleep(100);
		}
	};
	const here_ = () => evaluate('location.pathname + location.search');
	const text = (s) => `document.body.innerText.includes(${JSON.stringify(s)})`;
	const click = async (label, scope = 'document') => {
		const ok = await evaluate(`(() => {
			const el = [...${scope}.querySelectorAll('button, a')].find((e) => e.textContent.trim() === ${JSON.stringify(label)} && !e.disabled);
			if (!el) return false;
			el.click();
			return true;
		})()`);
		assert.ok(ok, 'no enabled button or link "' + label + '" at ' + (await here_()));
	};
	const type = async (selector, value) => {
		await evaluate(`document.querySelector(${JSON.stringify(selector)}).select()`);
		await send('Input.insertText', { text: value });
	};
	const goto = async (p) => {
		await send('Page.navigate', { url: base + p });
		await waitFor("document.readyState === 'complete' && !document.querySelector('.spinner-wrap')", 'page ' + p);
	};
	let n = 0;
	const snap = async (name) => {
		if (!shots) return;
		const { data } = await send('Page.captureScreenshot', { format: 'png' });
		await writeFile(path.join(shots, String(n).padStart(2, '0') + '-' + name.replace(/\W+/g, '-').toLowerCase() + '.png'), Buffer.from(data, 'base64'));
	};
	const step = async (name, fn) => {
		n++;
		try {
			await fn();
			console.log(`ok ${n} - ${name}`);
		} catch (e) {
			console.log(`not ok ${n} - ${name}\n  ${String(e.message).replace(/\n/g, '\n  ')}`);
			process.exitCode = 1;
		}
		await snap(name);
	};
	if (shots) await mkdir(shots, { recursive: true });

	try {
		await step('a protected page sends a signed-out visitor to /login?redirect=', async () => {
			await goto('/settings/account');
			await waitFor(`location.pathname === '/login'`, '/login');
			assert.equal(await here_(), '/login?redirect=%2Fsettings%2Faccount');
			await waitFor(text('Sign in with a passkey'), 'login button');
		});
		await step('setup: empty required fields, then create the admin and skip the passkey', async () => {
			await goto('/setup');
			await click('Create account');
			await waitFor(`document.querySelectorAll('.field-error').length === 2`, 'two field errors');
			assert.deepEqual(await evaluate(`[...document.querySelectorAll('[aria-invalid=true]')].map((e) => e.id)`), ['username', 'email']);
			await snap('setup-errors');
			await type('#username', 'admin');
			await type('#email', 'admin@example.com');
			await click('Create account');
			await waitFor(`location.pathname === '/signup/add-passkey'`, '/signup/add-passkey');
			await click('Skip for now');
			await waitFor(`document.querySelector('dialog').open`, 'skip dialog');
			await snap('skip-dialog');
			await click('Skip', `document.querySelector('dialog')`);
			await waitFor(`location.pathname === '/settings/account'`, 'account page');
			await click('Sign out', `document.querySelector('.topbar')`);
			await waitFor(`location.pathname === '/logout'`, '/logout');
			await snap('logout');
			await click('Sign out', `document.querySelector('main')`);
			await waitFor(`location.pathname === '/login'`, '/login');
		});
		await step('a wrong login code shows the catalogue message', async () => {
			await goto('/login/alternative/code');
			await type('#code', '999999');
			await click('Sign in');
			await waitFor(text('This login code is invalid or has expired.'), 'error text');
		});
		await step('/lc/<code> signs in and lands on the home page', async () => {
			await goto('/lc/123456');
			await waitFor(`location.pathname === '/settings/account' && ${text('Passkeys')}`, 'account page');
		});
		await step('signed in, /login goes on to /settings', async () => {
			await goto('/login');
			await waitFor(`location.pathname === '/settings/account'`, '/settings/account');
		});
		await step('add a passkey with the virtual authenticator', async () => {
			await waitFor(text('YubiKey 5 NFC'), 'passkey list');
			await click('Add passkey');
			await waitFor(text('New Passkey'), 'new passkey in list');
		});
		await step('rename the new passkey', async () => {
			await evaluate(`[...document.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Rename passkey New Passkey').click()`);
			await waitFor(`document.querySelector('input[id^=rename-]') === document.activeElement`, 'focused rename field');
			await snap('rename-form');
			await type('input[id^=rename-]', 'Test key');
			await click('Save');
			await waitFor(`${text('Test key')} && !document.querySelector('input[id^=rename-]')`, 'renamed');
		});
		await step('delete a passkey after confirming', async () => {
			await evaluate(`[...document.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Delete passkey YubiKey 5 NFC').click()`);
			await waitFor(`document.querySelector('dialog').open`, 'dialog open');
			await snap('delete-dialog');
			await click('Delete', `document.querySelector('dialog')`);
			await waitFor(`!${text('YubiKey 5 NFC')} && !document.querySelector('dialog').open`, 'passkey gone');
		});
		await step('sign out ends at /login?redirect=%2F', async () => {
			await click('Sign out', `document.querySelector('.topbar')`);
			await waitFor(`location.pathname === '/logout'`, '/logout');
			await click('Sign out', `document.querySelector('main')`);
			await waitFor(`location.pathname + location.search === '/login?redirect=%2F'`, '/login?redirect=%2F');
		});
		await step('sign in with the passkey (signature checked by the mock)', async () => {
			await click('Sign in with a passkey');
			await waitFor(`location.pathname === '/settings/account'`, 'signed in');
		});
		await step('interaction reauthenticate step ends at /authorize?interaction=', async () => {
			await goto('/interaction?interaction=step-reauthenticate');
			await click('Confirm with passkey');
			await waitFor(`location.pathname === '/authorize'`, '/authorize');
			assert.equal(await here_(), '/authorize?interaction=step-reauthenticate');
		});
		await step('interaction consent lists the scopes and completes', async () => {
			await goto('/interaction?interaction=step-consent');
			const items = await evaluate(`[...document.querySelectorAll('[data-testid=scopes] li strong')].map((e) => e.textContent)`);
			assert.deepEqual(items, ['Profile', 'Email', 'Stay connected', 'Read orders']);
			await click('Allow');
			await waitFor(`location.pathname === '/authorize'`, '/authorize');
		});
		await step('an unknown interaction says it expired', async () => {
			await goto('/interaction?interaction=expired');
			await waitFor(text('This sign-in request has expired'), 'expired text');
		});
		await step('device code: info, authorize, confirmation', async () => {
			await goto('/device?user_code=eabc-1234');
			await waitFor(text('Authorize Immich'), 'device consent');
			await click('Authorize');
			await waitFor(text('The device has been authorized.'), 'authorized');
		});
		await step('switching to 简体中文 translates and is remembered', async () => {
			await goto('/settings/account');
			await evaluate(`(() => { const s = document.getElementById('language'); s.value = 'zh-CN'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);
			await waitFor(text('通行密钥') + ` && document.documentElement.lang === 'zh-CN'`, 'Chinese text');
			await goto('/settings/account');
			await waitFor(text('通行密钥'), 'Chinese after reload');
		});
		await step('unknown paths show the not-found page', async () => {
			await goto('/no/such/page');
			await waitFor(text('此地址没有内容。'), 'not found text');
		});
		await step('no CSP violation or uncaught exception', async () => {
			assert.deepEqual(problems, []);
		});
	} finally {
		await cdp.send('Browser.close').catch(() => {});
		server.kill();
		browser.kill();
		await rm(profile, { recursive: true, force: true }).catch(() => {});
	}
	console.log(`1..${n}`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
