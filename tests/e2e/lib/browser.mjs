// Headless Chromium for the browser tests: Debian's chromium driven by
// playwright-core, one context in US English whose page has a virtual
// WebAuthn authenticator (Chrome DevTools Protocol) that says yes at once.
// `chromiumSkip` is false when chromium is there, else the reason a test
// prints when it skips.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startCluster } from './pg.mjs';
import { startStack, freePort } from './stack.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

export const chromiumSkip = existsSync(CHROMIUM) ? false : `chromium not found at ${CHROMIUM}`;

/** Adds a platform authenticator with user verification to a page. */
export async function addAuthenticator(context, page) {
	const cdp = await context.newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2',
		transport: 'internal', hasResidentKey: true, hasUserVerification: true,
		isUserVerified: true, automaticPresenceSimulation: true } });
}

/** {browser, context, page}; a script error on the page fails the test. */
export async function startBrowser() {
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox',
		'--disable-gpu', '--disable-background-networking', '--disable-component-update',
		'--disable-sync', '--no-first-run', '--disable-quic'] });
	const context = await browser.newContext({ locale: 'en-US' });
	const page = await context.newPage();
	page.on('pageerror', (e) => { throw e; });
	await addAuthenticator(context, page);
	return { browser, context, page };
}

// Screenshots of the pages, kept as test artefacts (tests/run sets it).
const ARTEFACTS = process.env.E2E_ARTEFACTS ?? '/tmp/pocket-id-e2e-artefacts';

/** Saves a full-page screenshot as <artefacts>/<name>.png. */
export async function snap(page, name) {
	mkdirSync(ARTEFACTS, { recursive: true });
	await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
}

/**
 * A PostgreSQL cluster, the stack on http://localhost:<port> (passkeys need
 * a secure context: localhost is one, and the RP ID must be a host name)
 * and the browser. stop() ends all three. { cluster, stack, base, browser,
 * context, page, stop }.
 */
export async function startBrowserStack(database) {
	const cluster = await startCluster();
	const port = await freePort();
	const base = `http://localhost:${port}`;
	const stack = await startStack(await cluster.createDatabase(database),
		{ port, env: { APP_URL: base } });
	const { browser, context, page } = await startBrowser();
	const stop = async () => {
		await browser.close();
		await stack.stop();
		await cluster.destroy();
	};
	return { cluster, stack, base, browser, context, page, stop };
}
