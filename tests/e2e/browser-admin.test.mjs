// The admin pages of the web UI in headless Chromium against the real
// stack: an admin registers an OIDC client, creates its secret (which then
// authenticates at the token endpoint), edits and deletes it; adds a user
// and hands out a login-code link that signs that user in elsewhere; the
// user sees the client under "My apps" and cannot open the admin pages;
// groups (members, client restriction) and API keys.
// Needs Debian's chromium (tests/run installs it); skipped, saying so,
// when it is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumSkip as skip, startBrowserStack, snap, addAuthenticator } from './lib/browser.mjs';
import { png } from './lib/images.mjs';

let env, browser, context, page, base, clientId;

before(async () => {
	if (skip) return;
	env = await startBrowserStack('browser_admin');
	({ base, browser, context, page } = env);
	// The first admin, signed in through the setup page.
	await page.goto(`${base}/setup`);
	await page.fill('#username', 'ada');
	await page.fill('#email', 'ada@example.com');
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.waitForURL('**/signup/add-passkey');
	await page.getByRole('button', { name: 'Add passkey' }).click();
	await page.waitForURL('**/settings/**');
});

after(async () => {
	await env?.stop();
});

const putSettings = (body) => page.evaluate((b) => fetch('/api/application-configuration', { method: 'PUT',
	headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) }).then((r) => r.status), body);
const apiGet = (p, path) => p.evaluate((u) => fetch(u).then(async (r) => ({ status: r.status, json: await r.json().catch(() => null) })), path);

test('an admin registers a client, and its new secret works at the token endpoint', { skip }, async () => {
	await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'OIDC clients', exact: true }).click();
	await page.waitForURL('**/settings/admin/oidc-clients');
	await page.getByText('No clients yet').waitFor();
	await page.getByRole('button', { name: 'Add client' }).click();
	await page.fill('#client-name', 'Grafana');
	await page.fill('#client-callbacks', 'https://grafana.example/login/generic_oauth\n\n');
	await page.fill('#client-launch', 'https://grafana.example/');
	await page.getByRole('button', { name: 'Create client' }).click();
	await page.waitForURL('**/settings/admin/oidc-clients/*');
	clientId = (await page.getByTestId('client-id').textContent()).trim();
	const got = await apiGet(page, `/api/oidc/clients/${clientId}`);
	assert.equal(got.status, 200);
	assert.equal(got.json.name, 'Grafana');
	assert.deepEqual(got.json.callbackURLs, ['https://grafana.example/login/generic_oauth']);
	assert.equal(got.json.launchURL, 'https://grafana.example/');
	assert.equal(got.json.isPublic, false);

	await page.getByRole('button', { name: 'Create secret' }).click();
	const secret = await page.getByTestId('new-secret').inputValue();
	assert.match(secret, /^[A-Za-z0-9]{32}$/);
	await page.getByText(`${secret.slice(0, 4)}••••••••`).waitFor();
	await snap(page, 'admin-client');
	const token = await fetch(`${base}/api/oidc/token`, { method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded',
			Authorization: 'Basic ' + Buffer.from(`${clientId}:${secret}`).toString('base64') },
		body: 'grant_type=client_credentials' });
	assert.equal(token.status, 200, await token.clone().text());
	assert.ok((await token.json()).access_token);
});

// A picture for the upload fields, as a file the page's picker accepts.
const picture = (name, w = 40, h = 30) => ({ name, mimeType: 'image/png', buffer: png(w, h) });
const shown = (p, id) => p.getByTestId(id).locator('img.image-preview')
	.evaluate((img) => img.complete && img.naturalWidth > 0);

test('images: a client logo, the application logo and a profile picture are uploaded and removed in the UI', { skip }, async () => {
	await page.getByTestId('client-logo-true').getByText('None').waitFor();
	await page.setInputFiles('#client-logo-true', picture('logo.png'));
	await page.getByTestId('client-logo-true').locator('img.image-preview').waitFor();
	await page.waitForFunction(() => document.querySelector('[data-testid=client-logo-true] img')?.naturalWidth > 0);
	assert.equal((await apiGet(page, `/api/oidc/clients/${clientId}`)).json.hasLogo, true);

	await page.goto(`${base}/settings/admin/application-configuration`);
	await page.setInputFiles('#app-image-logo-true', picture('brand.png'));
	await page.waitForFunction(() => document.querySelector('[data-testid=app-image-logo-true] img')?.naturalWidth > 0);
	assert.equal((await page.evaluate(() => fetch('/api/application-images/logo?light=true').then((r) => r.status))), 200);
	await page.getByTestId('app-image-logo-true').getByRole('button', { name: 'Remove' }).click();
	await page.getByTestId('app-image-logo-true').getByText('None').waitFor();
	assert.equal((await page.evaluate(() => fetch('/api/application-images/logo?light=true').then((r) => r.status))), 404);
	// The email logo takes PNG or JPEG only; the refusal is shown.
	await page.setInputFiles('#app-image-email', { name: 'x.svg', mimeType: 'image/svg+xml',
		buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
	await page.getByTestId('app-image-email').locator('.alert-error').waitFor();

	await page.goto(`${base}/settings/account`);
	assert.equal(await shown(page, 'profile-picture'), true, 'the initials picture');
	await page.setInputFiles('#profile-picture', picture('me.png', 600, 400));
	await page.waitForFunction(() => {
		const img = document.querySelector('[data-testid=profile-picture] img');
		return img && img.complete && img.naturalWidth === 300 && img.naturalHeight === 300;
	});
	await snap(page, 'account-picture');
	await page.goto(`${base}/settings/admin/oidc-clients/${clientId}`);
});

test('an admin edits a client; a bad callback URL is refused in words', { skip }, async () => {
	await page.fill('#client-name', 'Grafana (ops)');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.getByText('Client saved.').waitFor();
	assert.equal((await apiGet(page, `/api/oidc/clients/${clientId}`)).json.name, 'Grafana (ops)');
	await page.fill('#client-callbacks', 'javascript:alert(1)');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.locator('.field-error, .alert-error').first().waitFor();
	assert.deepEqual((await apiGet(page, `/api/oidc/clients/${clientId}`)).json.callbackURLs,
		['https://grafana.example/login/generic_oauth']);
	await page.fill('#client-callbacks', 'https://grafana.example/login/generic_oauth');
});

test('an admin adds a user and hands out a login link that signs them in', { skip }, async () => {
	await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Users', exact: true }).click();
	await page.waitForURL('**/settings/admin/users');
	await page.getByRole('button', { name: 'Add user' }).click();
	await page.fill('#new-firstName', 'Bob');
	await page.fill('#new-lastName', 'Builder');
	await page.fill('#new-username', 'bob');
	await page.fill('#new-email', 'bob@example.com');
	await page.getByRole('button', { name: 'Create user' }).click();
	await page.getByTestId('user-bob').waitFor();
	await page.getByRole('button', { name: 'Create a login code for bob' }).click();
	const link = await page.getByTestId('login-code-link').inputValue();
	assert.match(link, new RegExp(`^${base}/lc/[A-Za-z0-9]{6}$`));
	await snap(page, 'admin-users');

	const bobContext = await browser.newContext({ locale: 'en-US' });
	try {
		const bob = await bobContext.newPage();
		await bob.goto(link);
		await bob.waitForURL('**/settings/account');
		assert.equal((await apiGet(bob, '/api/users/me')).json.username, 'bob');
		// My apps: the unrestricted client, with its launch link.
		await bob.getByRole('link', { name: 'My apps', exact: true }).click();
		await bob.waitForURL('**/settings/apps');
		const card = bob.getByTestId('app-card');
		await card.getByText('Grafana (ops)').waitFor();
		assert.equal(await card.getByRole('link').getAttribute('href'), 'https://grafana.example/');
		await snap(bob, 'my-apps');
		// No admin entries, and the admin pages send a member away.
		assert.equal(await bob.getByRole('link', { name: 'OIDC clients', exact: true }).count(), 0);
		await bob.goto(`${base}/settings/admin/users`);
		await bob.waitForURL((u) => !u.pathname.startsWith('/settings/admin'));
	} finally {
		await bobContext.close();
	}
});

test('an admin makes a group from a friendly name, adds a member, and restricts the client to it', { skip }, async () => {
	await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'User groups', exact: true }).click();
	await page.waitForURL('**/settings/admin/user-groups');
	await page.fill('#group-friendly', 'Human Resources');
	assert.equal(await page.inputValue('#group-name'), 'human_resources');
	await page.getByRole('button', { name: 'Create group' }).click();
	await page.waitForURL('**/settings/admin/user-groups/*');
	const groupId = page.url().split('/').pop();
	await page.getByLabel('Bob Builder').check();
	await page.getByRole('button', { name: 'Save members' }).click();
	await page.getByText('Members saved.').waitFor();
	const group = await apiGet(page, `/api/user-groups/${groupId}`);
	assert.equal(group.json.name, 'human_resources');
	assert.deepEqual(group.json.users.map((u) => u.username), ['bob']);

	await page.goto(`${base}/settings/admin/oidc-clients/${clientId}`);
	await page.getByLabel('Only members of selected groups').check();
	await page.getByLabel('Human Resources').check();
	await page.getByRole('button', { name: 'Save access' }).click();
	await page.getByText('Access saved.').waitFor();
	let client = (await apiGet(page, `/api/oidc/clients/${clientId}`)).json;
	assert.equal(client.isGroupRestricted, true);
	assert.deepEqual(client.allowedUserGroups.map((g) => g.name), ['human_resources']);
	// Saving the main settings keeps the restriction.
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.getByText('Client saved.').waitFor();
	client = (await apiGet(page, `/api/oidc/clients/${clientId}`)).json;
	assert.equal(client.isGroupRestricted, true);
	assert.equal(client.allowedUserGroups.length, 1);
});

test('custom claims of a user and a group are edited as key = value lines; reserved keys are refused', { skip }, async () => {
	await page.goto(`${base}/settings/admin/users`);
	await page.getByRole('button', { name: 'Custom claims of bob' }).click();
	await page.fill('#claims-bob', 'dept = ops\nlevel = {"n": 3}');
	await page.getByRole('button', { name: 'Save claims' }).click();
	await page.getByText('Claims saved.').waitFor();
	const bob = (await apiGet(page, '/api/users?search=bob')).json.data[0];
	assert.deepEqual((await apiGet(page, `/api/users/${bob.id}`)).json.customClaims,
		[{ key: 'dept', value: 'ops' }, { key: 'level', value: '{"n": 3}' }]);
	await page.fill('#claims-bob', 'email = x@example.com');
	await page.getByRole('button', { name: 'Save claims' }).click();
	await page.getByTestId('user-bob').locator('.alert-error').waitFor();
	assert.equal((await apiGet(page, `/api/users/${bob.id}`)).json.customClaims.length, 2, 'nothing half-written');

	const group = (await apiGet(page, '/api/user-groups?search=human')).json.data[0];
	await page.goto(`${base}/settings/admin/user-groups/${group.id}`);
	await page.fill('#group-claims-lines', 'team = hr');
	await page.getByRole('button', { name: 'Save claims' }).click();
	await page.getByText('Claims saved.').waitFor();
	assert.deepEqual((await apiGet(page, `/api/user-groups/${group.id}`)).json.customClaims, [{ key: 'team', value: 'hr' }]);
});

test('an admin creates an API key that authenticates as them, then revokes it', { skip }, async () => {
	await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys', exact: true }).click();
	await page.waitForURL('**/settings/admin/api-keys');
	const proposed = await page.inputValue('#key-expires');
	const days = (Date.parse(proposed) - Date.now()) / 86400000;
	assert.ok(days > 28 && days < 31, `default expiry ${proposed}`);
	await page.fill('#key-name', 'terraform');
	await page.getByRole('button', { name: 'Create API key' }).click();
	const token = await page.getByTestId('api-key-value').inputValue();
	assert.match(token, /^[A-Za-z0-9]{32}$/);
	await page.getByTestId('api-key-terraform').waitFor();
	const me = await fetch(`${base}/api/users/me`, { headers: { 'X-API-Key': token } });
	assert.equal(me.status, 200);
	assert.equal((await me.json()).username, 'ada');
	await page.getByRole('button', { name: 'Revoke terraform' }).click();
	await page.getByTestId('api-key-terraform').waitFor({ state: 'detached' });
	assert.equal((await fetch(`${base}/api/users/me`, { headers: { 'X-API-Key': token } })).status, 401);
});

test('application-configuration.spec.ts: general, sign-up and passkey settings persist and take effect', { skip }, async () => {
	await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Application settings', exact: true }).click();
	await page.waitForURL('**/settings/admin/application-configuration');
	await page.fill('#config-appName', 'Acme ID');
	await page.fill('#config-sessionDuration', '30');
	await page.selectOption('#config-homePageUrl', '/settings/apps');
	await page.selectOption('#config-allowUserSignups', 'open');
	await page.selectOption('#config-webauthnUserVerification', 'preferred');
	await page.selectOption('#config-webauthnAuthenticatorAttachment', 'cross-platform');
	await page.getByLabel(/Allow synced passkeys/).uncheck();
	await snap(page, 'admin-config');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.getByText('Settings saved.').waitFor();
	await page.reload();
	assert.equal(await page.inputValue('#config-appName'), 'Acme ID');
	assert.equal(await page.inputValue('#config-sessionDuration'), '30');
	assert.equal(await page.inputValue('#config-allowUserSignups'), 'open');
	assert.equal(await page.getByLabel(/Allow synced passkeys/).isChecked(), false);
	const pub = Object.fromEntries((await apiGet(page, '/api/application-configuration')).json.map((e) => [e.key, e.value]));
	assert.equal(pub.appName, 'Acme ID');
	assert.equal(pub.homePageUrl, '/settings/apps');
	assert.equal(pub.allowUserSignups, 'open');
	// The passkey policy reaches the ceremonies (as Pocket ID's spec checks).
	const reg = (await apiGet(page, '/api/webauthn/register/start')).json;
	assert.equal(reg.authenticatorSelection.authenticatorAttachment, 'cross-platform');
	assert.equal(reg.authenticatorSelection.userVerification, 'preferred');
	assert.equal((await apiGet(page, '/api/webauthn/login/start')).json.userVerification, 'preferred');
	// A bad value is refused by the server and shown at its field.
	await page.fill('#config-sessionDuration', '0');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.locator('#config-sessionDuration[aria-invalid="true"]').waitFor();
	const all = Object.fromEntries((await apiGet(page, '/api/application-configuration/all')).json
		.map((e) => [e.key, e.value]));
	assert.equal(all.sessionDuration, '30');
	// Platform passkeys again, for the sign-up tests' virtual authenticators.
	assert.equal(await putSettings({ ...all, webauthnAuthenticatorAttachment: 'any' }), 200);
});

// A second browser with its own passkey, for people who sign up.
async function visitor(fn) {
	const ctx = await browser.newContext({ locale: 'en-US' });
	try {
		const p = await ctx.newPage();
		await addAuthenticator(ctx, p);
		return await fn(p);
	} finally {
		await ctx.close();
	}
}

async function signUp(p, url, username) {
	await p.goto(url);
	await p.fill('#firstName', 'New');
	await p.fill('#lastName', 'Person');
	await p.fill('#username', username);
	await p.fill('#email', `${username}@example.com`);
	await p.getByRole('button', { name: 'Create account' }).click();
}

test('user-signup.spec.ts: a sign-up link creates an account in its groups, counts its uses, and a bad link is named', { skip }, async () => {
	await page.goto(`${base}/settings/admin/users`);
	await page.selectOption('#link-ttl', '168h');
	await page.fill('#link-limit', '2');
	await page.getByLabel('Human Resources').check();
	await page.getByRole('button', { name: 'Create sign-up link' }).click();
	const link = await page.getByTestId('signup-link').inputValue();
	assert.match(link, new RegExp(`^${base}/st/[A-Za-z0-9]{16}$`));
	await page.getByText('0 of 2 used').waitFor();

	const me = await visitor(async (p) => {
		await signUp(p, link, 'carol');
		await p.waitForURL('**/signup/add-passkey');
		await p.getByRole('button', { name: 'Add passkey' }).click();
		await p.waitForURL('**/settings/**');
		return (await apiGet(p, '/api/users/me')).json;
	});
	assert.equal(me.username, 'carol');
	assert.deepEqual(me.userGroups.map((g) => g.name), ['human_resources']);
	await page.reload();
	await page.getByText('1 of 2 used').waitFor();

	await visitor(async (p) => {
		await signUp(p, `${base}/st/AAAAAAAAAAAAAAAA`, 'mallory');
		await p.getByText('This sign-up link is invalid').waitFor();
		assert.equal((await apiGet(p, '/api/users/me')).status, 401);
	});
});

test('user-signup.spec.ts: open sign-up from the login page; a taken username is refused; closed sign-up says so', { skip }, async () => {
	// The settings test left sign-up open.
	await visitor(async (p) => {
		await p.goto(`${base}/login`);
		await p.getByRole('link', { name: 'Create an account', exact: true }).click();
		await p.waitForURL('**/signup');
		await signUp(p, `${base}/signup`, 'carol');
		await p.getByText(/already in use/).first().waitFor();
		await signUp(p, `${base}/signup`, 'dave');
		await p.waitForURL('**/signup/add-passkey');
		assert.equal((await apiGet(p, '/api/users/me')).json.username, 'dave');
	});
	const all = Object.fromEntries((await apiGet(page, '/api/application-configuration/all')).json.map((e) => [e.key, e.value]));
	assert.equal(await putSettings({ ...all, allowUserSignups: 'disabled' }), 200);
	await visitor(async (p) => {
		await p.goto(`${base}/signup`);
		await p.getByText('User signups are currently disabled').waitFor();
		assert.equal(await p.locator('#username').count(), 0);
	});
});

test('api.spec.ts: an admin registers an API, names its permissions and grants a client access', { skip }, async () => {
	await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'APIs', exact: true }).click();
	await page.waitForURL('**/settings/admin/apis');
	// The issuer itself is reserved.
	await page.fill('#api-name', 'Self');
	await page.fill('#api-resource', base);
	await page.getByRole('button', { name: 'Create API' }).click();
	await page.getByText('This is the address of this sign-in service itself').waitFor();
	await page.fill('#api-name', 'Orders API');
	await page.fill('#api-resource', 'https://api.orders.test/');
	await page.getByRole('button', { name: 'Create API' }).click();
	await page.waitForURL('**/settings/admin/apis/*');
	const apiId = page.url().split('/').pop();
	assert.equal(await page.getByTestId('api-resource').textContent(), 'https://api.orders.test');
	await page.fill('#api-permission-lines', 'read:orders | Read orders | See your orders\nwrite:orders | Write orders');
	await page.getByRole('button', { name: 'Save permissions' }).click();
	await page.getByText('Permissions saved.').waitFor();
	const saved = (await apiGet(page, `/api/apis/${apiId}`)).json;
	assert.deepEqual(saved.permissions.map((p) => [p.key, p.name, p.description ?? null]),
		[['read:orders', 'Read orders', 'See your orders'], ['write:orders', 'Write orders', null]]);
	// Grant the confidential client: users may grant read, the client itself gets write.
	await page.selectOption('#grant-client', { label: 'Grafana (ops)' });
	await page.locator('#user-perm-' + saved.permissions[0].id).check();
	await page.getByLabel('As itself (machine to machine)').check();
	await page.locator('#client-perm-' + saved.permissions[1].id).check();
	await page.getByRole('button', { name: 'Save access' }).click();
	await page.getByTestId('grant-Grafana (ops)').getByText('for users: 1 / 2 · machine to machine: 1 / 2').waitFor();
	const grants = (await apiGet(page, `/api/apis/${apiId}/clients`)).json.data;
	assert.equal(grants.length, 1);
	assert.equal(grants[0].userDelegatedAccess, true);
	assert.equal(grants[0].clientAccess, true);
	assert.deepEqual(grants[0].clientPermissionIds, [saved.permissions[1].id]);
	await snap(page, 'admin-api');
});

test('the audit log: all events for the admin, filtered by user and event; a member sees their own', { skip }, async () => {
	await page.goto(`${base}/settings/admin/audit-log`);
	await page.getByTestId('audit-row').first().waitFor();
	const bob = (await apiGet(page, '/api/users?search=bob')).json.data[0];
	// The rows shown once the filtered page has arrived.
	const filtered = async (select, value) => {
		const answered = page.waitForResponse((r) => r.url().includes('/api/audit-logs/all') &&
			r.url().includes(encodeURIComponent(value)));
		await page.selectOption(select, value);
		await answered;
		// The list shows a spinner until the new rows replace the old.
		await page.locator('main .spinner-wrap').waitFor({ state: 'detached' });
		await page.getByTestId('audit-row').first().waitFor();
		return page.getByTestId('audit-row').allTextContents();
	};
	const rows = await filtered('#audit-user', bob.id);
	assert.ok(rows.length >= 1 && rows.every((r) => r.includes('bob')), rows.join('\n'));
	assert.ok(rows.some((r) => r.startsWith('Signed in with a login code')), rows.join('\n'));
	await page.selectOption('#audit-user', '');
	const created = await filtered('#audit-event', 'ACCOUNT_CREATED');
	assert.ok(created.some((r) => r.includes('carol')), created.join('\n'));
	assert.ok(created.every((r) => r.startsWith('Account created')), created.join('\n'));
	await snap(page, 'admin-audit');
	// A member sees only their own events, and not the admin page.
	await visitor(async (p) => {
		const link = (await page.evaluate((id) => fetch(`/api/users/${id}/one-time-access-token`,
			{ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
			.then((r) => r.json()), bob.id)).token;
		await p.goto(`${base}/lc/${link}`);
		await p.waitForURL('**/settings/**');
		await p.goto(`${base}/settings/audit-log`);
		await p.getByTestId('audit-row').getByText('Signed in with a login code').first().waitFor();
		assert.equal(await p.locator('#audit-user').count(), 0);
	});
});

test('an admin deletes a user and a client after confirming', { skip }, async () => {
	await page.goto(`${base}/settings/admin/users`);
	await page.getByRole('button', { name: 'Delete bob' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
	await page.getByTestId('user-bob').waitFor({ state: 'detached' });
	const users = await apiGet(page, '/api/users');
	assert.deepEqual(users.json.data.map((u) => u.username).sort(), ['ada', 'carol', 'dave']);

	await page.goto(`${base}/settings/admin/oidc-clients/${clientId}`);
	await page.getByRole('button', { name: 'Delete this client' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
	await page.waitForURL('**/settings/admin/oidc-clients');
	assert.equal((await apiGet(page, `/api/oidc/clients/${clientId}`)).status, 404);
});
