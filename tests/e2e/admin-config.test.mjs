// API keys, application configuration, audit log and version routes
// (spec §1.10, §1.12, §1.13, §1.15), end to end through nginx: DTO shapes
// field by field, every documented error code, the guards (anonymous 401,
// non-admin 403, API key where forbidden 403), API-key authentication as
// the owner, UI_CONFIG_DISABLED on a second stack, the internal-network
// classification of audit events, and the audit-log retention at start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createDecipheriv, hkdfSync, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from './lib/pg.mjs';
import { startStack, waitFor, runPocketId } from './lib/stack.mjs';
import { client } from './lib/authenticator.mjs';

const STATIC_KEY = 'static-api-key-for-admin-config-tests';
const FIREFOX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
const SAFARI_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 '
	+ '(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

let cluster, dbUrl, stack, admin, adminUser, user, userId;
const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const future = (days = 30) => new Date(Date.now() + days * 86400e3).toISOString();
const put = (c, path, body, headers) => c.call('PUT', path, body, headers);
const withKey = (key, path, method = 'GET', body) => fetch(`${stack.url}${path}`, {
	method, headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
	body: body ? JSON.stringify(body) : undefined,
}).then(async (r) => ({ status: r.status, json: await r.json().catch(() => undefined) }));

function assertError(r, status, code) {
	assert.equal(r.status, status, JSON.stringify(r.json));
	assert.equal(r.json.code, code);
	assert.equal(typeof r.json.error, 'string');
	assert.equal(typeof r.json.request_id, 'string');
}

// The spec's field list for an error's details.fields, by field name.
const fieldCodes = (r) => Object.fromEntries(r.json.details.fields.map((f) => [f.field, f.code]));

// Signs a user in with a login code made by the admin: the exchange is
// a TOKEN_SIGN_IN audit event from the given address and user agent.
async function signIn(id, { ip, ua } = {}) {
	const code = await admin.post(`/api/users/${id}/one-time-access-token`, { ttl: '10m' });
	assert.equal(code.status, 201);
	const c = client(stack.url);
	const headers = {};
	if (ip) headers['x-forwarded-for'] = ip;
	if (ua) headers['user-agent'] = ua;
	const r = await c.call('POST', `/api/one-time-access-token/${code.json.token}`, undefined, headers);
	assert.equal(r.status, 200, r.text);
	return c;
}

before(async () => {
	cluster = await startCluster();
	dbUrl = await cluster.createDatabase('adminconfig');
	stack = await startStack(dbUrl, { workers: 2, env: {
		STATIC_API_KEY: STATIC_KEY,
		TRUST_PROXY: '127.0.0.1',
		LOCAL_IPV6_RANGES: '2001:db8:1::/48',
		AUDIT_LOG_RETENTION_DAYS: '30',
	} });
	admin = client(stack.url);
	const setup = await admin.post('/api/signup/setup',
		{ username: 'tim', email: 'tim@example.com', firstName: 'Tim', lastName: 'Admin' });
	assert.equal(setup.status, 200, setup.text);
	adminUser = setup.json;
	userId = randomUUID();
	await cluster.psql('adminconfig', `INSERT INTO users (id, username, email, display_name)
		VALUES ('${userId}', 'alice', 'alice@example.com', 'Alice')`);
	user = await signIn(userId, { ua: FIREFOX });
});

after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

// ---- version (spec §1.15) ------------------------------------------------

test('version: current for signed-in users, latest is "" and public', async () => {
	assertError(await client(stack.url).get('/api/version/current'), 401, 'not_signed_in');
	const r = await user.get('/api/version/current');
	assert.equal(r.status, 200);
	assert.deepEqual(Object.keys(r.json), ['currentVersion']);
	assert.match(r.json.currentVersion, /^\d+\.\d+\.\d+/);
	assert.equal((await withKey(STATIC_KEY, '/api/version/current')).status, 200);
	const latest = await client(stack.url).get('/api/version/latest');
	assert.equal(latest.status, 200);
	assert.deepEqual(latest.json, { latestVersion: '' });
	assert.match(latest.headers.get('cache-control'), /public, max-age=300/);
});

// ---- application configuration (spec §1.10, §4.2) -----------------------

const PUBLIC_KEYS = ['appName', 'homePageUrl', 'accentColor', 'disableAnimations',
	'allowOwnAccountEdit', 'allowUserSignups', 'requireUserEmail',
	'emailOneTimeAccessAsUnauthenticatedEnabled', 'emailOneTimeAccessAsAdminEnabled',
	'emailVerificationEnabled', 'ldapEnabled'];
const DEFAULTS = {
	appName: 'Pocket ID', sessionDuration: '60', homePageUrl: '/settings/account',
	emailsVerified: 'false', accentColor: 'default', disableAnimations: 'false',
	allowOwnAccountEdit: 'true', allowUserSignups: 'disabled', signupDefaultUserGroupIDs: '[]',
	signupDefaultCustomClaims: '[]', requireUserEmail: 'true', smtpHost: '', smtpPort: '',
	smtpFrom: '', smtpUser: '', smtpPassword: '', smtpTls: 'none', smtpSkipCertVerify: 'false',
	emailLoginNotificationEnabled: 'false', emailOneTimeAccessAsUnauthenticatedEnabled: 'false',
	emailOneTimeAccessAsAdminEnabled: 'false', emailApiKeyExpirationEnabled: 'false',
	emailVerificationEnabled: 'false', ldapEnabled: 'false', ldapUrl: '', ldapBindDn: '',
	ldapBindPassword: '', ldapBase: '', ldapUserSearchFilter: '(objectClass=person)',
	ldapUserGroupSearchFilter: '(objectClass=groupOfNames)', ldapSkipCertVerify: 'false',
	ldapAttributeUserUniqueIdentifier: '', ldapAttributeUserUsername: '',
	ldapAttributeUserEmail: '', ldapAttributeUserFirstName: '', ldapAttributeUserLastName: '',
	ldapAttributeUserDisplayName: 'cn', ldapAttributeUserProfilePicture: '',
	ldapAttributeGroupMember: 'member', ldapAttributeGroupUniqueIdentifier: '',
	ldapAttributeGroupName: '', ldapAdminGroupName: '', ldapSoftDeleteUsers: 'true',
	webauthnUserVerification: 'required', webauthnAllowSyncedPasskeys: 'true',
	webauthnAuthenticatorAttachment: 'any', cimdUrlAllowlist: '[]',
};
const asMap = (list) => Object.fromEntries(list.map((e) => [e.key, e.value]));

test('configuration: the public list has the public settings and the virtual keys', async () => {
	const r = await client(stack.url).get('/api/application-configuration');
	assert.equal(r.status, 200);
	for (const e of r.json)
		assert.deepEqual(Object.keys(e), ['key', 'type', 'value']);
	assert.deepEqual(r.json.map((e) => e.key), [...PUBLIC_KEYS, 'uiConfigDisabled', 'tracingEnabled']);
	for (const k of PUBLIC_KEYS) {
		const e = r.json.find((x) => x.key === k);
		assert.equal(e.type, '');
		assert.equal(e.value, DEFAULTS[k]);
	}
	assert.deepEqual(r.json.at(-2), { key: 'uiConfigDisabled', type: 'boolean', value: 'false' });
	assert.deepEqual(r.json.at(-1), { key: 'tracingEnabled', type: '', value: 'false' });
});

test('configuration: /all is for admins and lists every setting with its default', async () => {
	assertError(await client(stack.url).get('/api/application-configuration/all'), 401, 'not_signed_in');
	assertError(await user.get('/api/application-configuration/all'), 403, 'forbidden');
	const r = await admin.get('/api/application-configuration/all');
	assert.equal(r.status, 200);
	assert.equal(r.json.length, Object.keys(DEFAULTS).length);
	for (const e of r.json) {
		assert.deepEqual(Object.keys(e), ['key', 'type', 'value', 'isPublic']);
		assert.equal(e.type, '');
		assert.equal(e.isPublic, false);
	}
	assert.deepEqual(asMap(r.json), DEFAULTS);
	// An admin's API key works too (spec §0.2).
	assert.equal((await withKey(STATIC_KEY, '/api/application-configuration/all')).status, 200);
});

test('configuration: PUT guards and body rules', async () => {
	const body = { ...DEFAULTS };
	assertError(await put(client(stack.url), '/api/application-configuration', body), 401, 'not_signed_in');
	assertError(await put(user, '/api/application-configuration', body), 403, 'forbidden');
	assertError(await admin.call('PUT', '/api/application-configuration', undefined,
		{ 'content-type': 'text/plain' }), 400, 'invalid_request_body');
	assertError(await put(admin, '/api/application-configuration', [1, 2]), 400, 'invalid_request_body');
	assertError(await put(admin, '/api/application-configuration', { ...body, ldapEnabled: true }),
		400, 'invalid_request_body');
	assertError(await put(admin, '/api/application-configuration', { ...body, smtpPort: 25 }),
		400, 'invalid_request_body');
});

test('configuration: PUT validates every key and names every bad field', async () => {
	const r = await put(admin, '/api/application-configuration', {
		...DEFAULTS, appName: '', emailsVerified: 'yes', sessionDuration: 'abc',
		allowUserSignups: 'sometimes', smtpFrom: 'not-an-email', smtpTls: 'ssl',
		signupDefaultCustomClaims: '[1]', signupDefaultUserGroupIDs: '{"a":1}',
		cimdUrlAllowlist: '["javascript:alert(1)"]', smtpPort: '70000', ldapUrl: 'http://x',
		webauthnUserVerification: 'discouraged', webauthnAuthenticatorAttachment: 'usb',
	});
	assertError(r, 400, 'validation_failed');
	assert.deepEqual(fieldCodes(r), {
		appName: 'required', emailsVerified: 'invalid_format', sessionDuration: 'invalid_format',
		allowUserSignups: 'invalid_value', smtpFrom: 'invalid_format', smtpTls: 'invalid_value',
		signupDefaultCustomClaims: 'invalid_format', signupDefaultUserGroupIDs: 'invalid_format',
		cimdUrlAllowlist: 'invalid_format', smtpPort: 'invalid_value', ldapUrl: 'invalid_format',
		webauthnUserVerification: 'invalid_value', webauthnAuthenticatorAttachment: 'invalid_value',
	});
	for (const f of r.json.details.fields) assert.equal(typeof f.message, 'string');
	// appName is NFC-normalised before it is checked and stored.
	const nfc = await put(admin, '/api/application-configuration',
		{ ...DEFAULTS, appName: 'Cafe\u0301 '.repeat(5) + 'x'.repeat(5) });
	assert.equal(nfc.status, 200, nfc.text);
	assert.equal(asMap(nfc.json).appName, 'Caf\u00e9 '.repeat(5) + 'x'.repeat(5));
	assert.equal((await put(admin, '/api/application-configuration', DEFAULTS)).status, 200);
	const long = await put(admin, '/api/application-configuration',
		{ ...DEFAULTS, appName: 'x'.repeat(31), sessionDuration: '0' });
	assert.deepEqual(fieldCodes(long), { appName: 'too_long', sessionDuration: 'invalid_value' });
	// Full replacement: required settings missing from the body are named.
	const empty = await put(admin, '/api/application-configuration', {});
	assertError(empty, 400, 'validation_failed');
	assert.equal(fieldCodes(empty).appName, 'required');
	assert.equal(fieldCodes(empty).smtpTls, 'required');
	assert.equal(fieldCodes(empty).smtpHost, undefined, 'optional settings may be absent');
	// Nothing was written by any refused PUT.
	assert.equal(await cluster.psql('adminconfig', 'SELECT count(*) FROM app_config'), '0');
});

test('configuration: PUT replaces everything, and every worker sees it at once', async () => {
	const body = { ...DEFAULTS, appName: 'Example ID', accentColor: '#2563eb',
		allowUserSignups: 'withToken', sessionDuration: '480', smtpHost: 'smtp.example.com',
		smtpPort: '587', smtpFrom: 'id@example.com', smtpPassword: 's3cret-pass', smtpTls: 'starttls',
		signupDefaultCustomClaims: '[{"key":"dept","value":"it"}]',
		cimdUrlAllowlist: '["https://*.example.com/*"]', unknownKey: 'ignored' };
	const r = await put(admin, '/api/application-configuration', body);
	assert.equal(r.status, 200, r.text);
	const { unknownKey, ...expected } = body;
	assert.deepEqual(asMap(r.json), expected);
	for (const e of r.json) assert.deepEqual(Object.keys(e), ['key', 'type', 'value', 'isPublic']);
	// Rows only for what differs from the defaults.
	assert.equal(await cluster.psql('adminconfig', 'SELECT count(*) FROM app_config'), '11');
	for (let i = 0; i < 8; i++) {
		const pub = asMap((await client(stack.url).get('/api/application-configuration')).json);
		assert.equal(pub.appName, 'Example ID');
		assert.equal(pub.allowUserSignups, 'withToken');
		assert.equal(pub.smtpHost, undefined, 'not a public setting');
	}
	// The admin sees the password (Pocket ID's UI edits it in place).
	assert.equal(asMap((await admin.get('/api/application-configuration/all')).json).smtpPassword,
		's3cret-pass');
	// At rest it is sealed as Pocket ID's encrypted strings are: base64 of
	// nonce || AES-256-GCM, key HKDF-SHA256(ENCRYPTION_KEY, "pocketid/
	// encrypted_string"), AAD "encrypted_string" (spec §4.3).
	const sealed = Buffer.from(await cluster.psql('adminconfig',
		`SELECT value FROM app_config WHERE key = 'smtpPassword'`), 'base64');
	const key = Buffer.from(hkdfSync('sha256', Buffer.from(stack.env.ENCRYPTION_KEY),
		Buffer.alloc(0), Buffer.from('pocketid/encrypted_string'), 32));
	const gcm = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
	gcm.setAAD(Buffer.from('encrypted_string'));
	gcm.setAuthTag(sealed.subarray(sealed.length - 16));
	const plain = Buffer.concat([gcm.update(sealed.subarray(12, sealed.length - 16)), gcm.final()]);
	assert.equal(plain.toString(), 's3cret-pass');
	// One that does not open (another key, tampering) reads as unset.
	await cluster.psql('adminconfig', `UPDATE app_config SET value = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
		WHERE key = 'smtpPassword'`);
	const unreadable = await admin.get('/api/application-configuration/all');
	assert.equal(unreadable.status, 200);
	assert.equal(asMap(unreadable.json).smtpPassword, '');
	assert.equal(asMap(unreadable.json).smtpHost, 'smtp.example.com');
	// Absent and empty optional settings go back to their defaults.
	const reset = await put(admin, '/api/application-configuration',
		{ ...DEFAULTS, appName: 'Example ID', accentColor: '' });
	assert.equal(reset.status, 200);
	assert.equal(asMap(reset.json).accentColor, 'default');
	assert.equal(asMap(reset.json).smtpPassword, '');
	assert.equal(await cluster.psql('adminconfig', 'SELECT key FROM app_config'), 'appName');
	// The session lifetime setting is used by new sessions.
	await put(admin, '/api/application-configuration', { ...DEFAULTS, sessionDuration: '5' });
	const c = await signIn(userId);
	assert.equal((await c.get('/api/users/me')).status, 200);
	const expiry = await cluster.psql('adminconfig', `SELECT round(extract(epoch FROM expires_at - created_at))
		FROM browser_sessions WHERE user_id = '${userId}' ORDER BY created_at DESC LIMIT 1`);
	assert.equal(expiry, '300');
	assert.equal((await put(admin, '/api/application-configuration', DEFAULTS)).status, 200);
});

test('configuration: test email and LDAP sync answer their documented errors', async () => {
	assertError(await user.post('/api/application-configuration/test-email'), 403, 'forbidden');
	assertError(await user.post('/api/application-configuration/sync-ldap'), 403, 'forbidden');
	// The static API key's user has no email address.
	assertError(await withKey(STATIC_KEY, '/api/application-configuration/test-email', 'POST'),
		409, 'user_email_not_set');
	// Sending mail is not part of this build: said plainly.
	assertError(await admin.post('/api/application-configuration/test-email'), 501, 'not_implemented');
	assertError(await admin.post('/api/application-configuration/sync-ldap'), 409, 'ldap_disabled');
	await put(admin, '/api/application-configuration', { ...DEFAULTS, ldapEnabled: 'true' });
	assertError(await admin.post('/api/application-configuration/sync-ldap'), 501, 'not_implemented');
	await put(admin, '/api/application-configuration', DEFAULTS);
});

// ---- API keys (spec §1.13) -----------------------------------------------

const API_KEY_FIELDS = ['id', 'name', 'description', 'expiresAt', 'lastUsedAt', 'createdAt',
	'expirationEmailSent'];
let adminKey, userKey;

test('API keys: create shows the token once and stores its SHA-256', async () => {
	assertError(await client(stack.url).post('/api/api-keys', { name: 'x', expiresAt: future() }),
		401, 'not_signed_in');
	const expiresAt = future(10);
	const r = await admin.post('/api/api-keys', { name: 'Terraform', description: 'CI', expiresAt });
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(Object.keys(r.json), ['apiKey', 'token']);
	assert.deepEqual(Object.keys(r.json.apiKey), API_KEY_FIELDS);
	assert.match(r.json.token, /^[A-Za-z0-9]{32}$/);
	const k = r.json.apiKey;
	assert.equal(k.name, 'Terraform');
	assert.equal(k.description, 'CI');
	assert.equal(Date.parse(k.expiresAt), Date.parse(expiresAt));
	assert.equal(k.lastUsedAt, null);
	assert.equal(k.expirationEmailSent, false);
	assert.ok(Date.parse(k.createdAt) <= Date.now() + 5000);
	const stored = await cluster.psql('adminconfig', `SELECT key FROM api_keys WHERE id = '${k.id}'`);
	assert.equal(stored, sha256(r.json.token));
	adminKey = { ...k, token: r.json.token };
	const u = await user.post('/api/api-keys', { name: 'Script', expiresAt: future() });
	assert.equal(u.status, 201);
	assert.equal(u.json.apiKey.description, null);
	userKey = { ...u.json.apiKey, token: u.json.token };
	assert.notEqual(adminKey.token, userKey.token);
});

test('API keys: create refuses API-key callers and bad bodies', async () => {
	assertError(await withKey(adminKey.token, '/api/api-keys', 'POST', { name: 'abc', expiresAt: future() }),
		403, 'api_key_auth_not_allowed');
	assertError(await withKey(STATIC_KEY, '/api/api-keys', 'POST', { name: 'abc', expiresAt: future() }),
		403, 'api_key_auth_not_allowed');
	let r = await user.post('/api/api-keys', { expiresAt: future() });
	assertError(r, 400, 'validation_failed');
	assert.deepEqual(fieldCodes(r), { name: 'required' });
	r = await user.post('/api/api-keys', { name: 'ab', expiresAt: future() });
	assert.deepEqual(fieldCodes(r), { name: 'too_short' });
	r = await user.post('/api/api-keys', { name: 'x'.repeat(51), expiresAt: future() });
	assert.deepEqual(fieldCodes(r), { name: 'too_long' });
	// 50 characters of two bytes each are fine: characters count, after
	// NFC normalisation (100 code points decomposed, 50 composed).
	r = await user.post('/api/api-keys', { name: 'e\u0301'.repeat(50), expiresAt: future() });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.apiKey.name, '\u00e9'.repeat(50));
	r = await user.post('/api/api-keys', { name: 'Script' });
	assert.deepEqual(fieldCodes(r), { expiresAt: 'required' });
	assertError(await user.post('/api/api-keys', { name: 'Script', expiresAt: 'tomorrow' }),
		400, 'invalid_request_body');
	assertError(await user.post('/api/api-keys', { name: 'Script', expiresAt: 12 }),
		400, 'invalid_request_body');
	assertError(await user.post('/api/api-keys', { name: 42, expiresAt: future() }),
		400, 'invalid_request_body');
	assertError(await user.post('/api/api-keys', { name: 'Script', expiresAt: future(-1) }),
		400, 'invalid_api_key_expiration');
	assertError(await user.call('POST', '/api/api-keys', undefined, { 'content-type': 'text/plain' }),
		400, 'invalid_request_body');
});

test('API keys authenticate as their owner, with admin rights only for admins', async () => {
	let r = await withKey(userKey.token, '/api/users/me');
	assert.equal(r.status, 200);
	assert.equal(r.json.id, userId);
	assertError(await withKey(userKey.token, '/api/application-configuration/all'), 403, 'forbidden');
	r = await withKey(adminKey.token, '/api/users/me');
	assert.equal(r.json.id, adminUser.id);
	assert.equal((await withKey(adminKey.token, '/api/application-configuration/all')).status, 200);
	assertError(await withKey('0'.repeat(32), '/api/users/me'), 401, 'invalid_api_key');
	// "No API key" routes refuse even a valid one.
	assertError(await withKey(userKey.token, '/api/users/me/sessions'), 403, 'api_key_auth_not_allowed');
	// Use is recorded.
	const list = await user.get('/api/api-keys?sort[column]=createdAt&sort[direction]=asc');
	const mine = list.json.data.find((k) => k.id === userKey.id);
	assert.ok(mine.lastUsedAt !== null, 'lastUsedAt is set');
});

test('API keys: the list is paginated, sorted, and only the caller\'s own', async () => {
	for (const name of ['Charlie', 'alpha', 'Bravo'])
		assert.equal((await user.post('/api/api-keys', { name, expiresAt: future() })).status, 201);
	let r = await user.get('/api/api-keys?sort[column]=name&sort[direction]=asc&pagination[limit]=3');
	assert.equal(r.status, 200);
	assert.deepEqual(Object.keys(r.json), ['data', 'pagination']);
	assert.deepEqual(r.json.pagination, { totalPages: 2, totalItems: 5, currentPage: 1, itemsPerPage: 3 });
	assert.deepEqual(r.json.data.map((k) => k.name), ['alpha', 'Bravo', 'Charlie']);
	for (const k of r.json.data) assert.deepEqual(Object.keys(k), API_KEY_FIELDS);
	r = await user.get('/api/api-keys?sort[column]=name&sort[direction]=desc&pagination[limit]=3&pagination[page]=9');
	assert.equal(r.json.pagination.currentPage, 2, 'a page past the end is the last one');
	assert.deepEqual(r.json.data.map((k) => k.name), ['Bravo', 'alpha']);
	assert.ok(!r.json.data.some((k) => k.id === adminKey.id));
	const mine = await admin.get('/api/api-keys');
	assert.deepEqual(mine.json.data.map((k) => k.id), [adminKey.id]);
	assertError(await user.get('/api/api-keys?sort[column]=key'), 400, 'validation_failed');
	assertError(await user.get('/api/api-keys?pagination[limit]=101'), 400, 'validation_failed');
	assertError(await client(stack.url).get('/api/api-keys'), 401, 'not_signed_in');
	// Listing with an API key is allowed.
	assert.equal((await withKey(userKey.token, '/api/api-keys')).json.pagination.totalItems, 5);
});

test('API keys: only expired keys are renewed, with a new token', async () => {
	assertError(await user.post(`/api/api-keys/${userKey.id}/renew`, { expiresAt: future() }),
		409, 'api_key_not_expired');
	assertError(await user.post(`/api/api-keys/${adminKey.id}/renew`, { expiresAt: future() }),
		404, 'api_key_not_found');
	assertError(await user.post('/api/api-keys/not-a-uuid/renew', { expiresAt: future() }),
		404, 'api_key_not_found');
	assertError(await withKey(userKey.token, `/api/api-keys/${userKey.id}/renew`, 'POST',
		{ expiresAt: future() }), 403, 'api_key_auth_not_allowed');
	await cluster.psql('adminconfig', `UPDATE api_keys SET expires_at = now() - interval '1 day',
		expiration_email_sent = true WHERE id = '${userKey.id}'`);
	assertError(await withKey(userKey.token, '/api/users/me'), 401, 'invalid_api_key');
	assertError(await user.post(`/api/api-keys/${userKey.id}/renew`, { expiresAt: future(-2) }),
		400, 'invalid_api_key_expiration');
	assert.deepEqual(fieldCodes(await user.post(`/api/api-keys/${userKey.id}/renew`, {})),
		{ expiresAt: 'required' });
	const expiresAt = future(60);
	const r = await user.post(`/api/api-keys/${userKey.id}/renew`, { expiresAt });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(Object.keys(r.json), ['apiKey', 'token']);
	assert.deepEqual(Object.keys(r.json.apiKey), API_KEY_FIELDS);
	assert.equal(r.json.apiKey.id, userKey.id);
	assert.equal(Date.parse(r.json.apiKey.expiresAt), Date.parse(expiresAt));
	assert.equal(r.json.apiKey.expirationEmailSent, false, 'the new expiry gets its own warning');
	assert.match(r.json.token, /^[A-Za-z0-9]{32}$/);
	assert.notEqual(r.json.token, userKey.token);
	assertError(await withKey(userKey.token, '/api/users/me'), 401, 'invalid_api_key');
	assert.equal((await withKey(r.json.token, '/api/users/me')).json.id, userId);
	userKey.token = r.json.token;
});

test('API keys: delete only one\'s own', async () => {
	assertError(await user.del(`/api/api-keys/${adminKey.id}`), 404, 'api_key_not_found');
	assertError(await user.del('/api/api-keys/nope'), 404, 'api_key_not_found');
	assertError(await client(stack.url).del(`/api/api-keys/${userKey.id}`), 401, 'not_signed_in');
	// With the key itself: allowed (the route takes API keys).
	assert.equal((await withKey(userKey.token, `/api/api-keys/${userKey.id}`, 'DELETE')).status, 204);
	assertError(await user.del(`/api/api-keys/${userKey.id}`), 404, 'api_key_not_found');
	assertError(await withKey(userKey.token, '/api/users/me'), 401, 'invalid_api_key');
	assert.equal((await admin.del(`/api/api-keys/${adminKey.id}`)).status, 204);
});

// ---- audit log (spec §1.12, §8) --------------------------------------------

const AUDIT_FIELDS = ['id', 'createdAt', 'event', 'ipAddress', 'country', 'city', 'device',
	'userID', 'username', 'actorUsername', 'data'];

test('audit: sign-ins are placed on the internal network as the spec says', async () => {
	const cases = [
		['10.1.2.3', 'Internal Network', 'LAN'],
		['192.168.7.7', 'Internal Network', 'LAN'],
		['100.100.1.1', 'Internal Network', 'Tailscale'],
		['2001:db8:1::5', 'Internal Network', 'LAN'],	// LOCAL_IPV6_RANGES
		['fd12::1', 'Internal Network', 'LAN'],
		['8.8.8.8', '', ''],
		['2001:db8:2::5', '', ''],
	];
	await cluster.psql('adminconfig', `DELETE FROM audit_logs`);
	for (const [ip] of cases) await signIn(userId, { ip, ua: SAFARI_IOS });
	await signIn(userId, { ua: FIREFOX });	// straight from 127.0.0.1
	const r = await user.get('/api/audit-logs?pagination[limit]=100');
	assert.equal(r.status, 200);
	assert.equal(r.json.pagination.totalItems, cases.length + 1);
	const byIp = Object.fromEntries(r.json.data.map((e) => [e.ipAddress, e]));
	for (const [ip, country, city] of cases) {
		assert.equal(byIp[ip]?.country, country, ip);
		assert.equal(byIp[ip].city, city, ip);
		assert.equal(byIp[ip].device, 'Safari on iOS 17.1');
	}
	assert.equal(byIp['127.0.0.1'].city, 'localhost');
	assert.equal(byIp['127.0.0.1'].device, 'Firefox on Linux x86_64');
});

test('audit: the own list, its DTO, sorting and filters', async () => {
	assertError(await client(stack.url).get('/api/audit-logs'), 401, 'not_signed_in');
	const r = await user.get('/api/audit-logs');
	assert.equal(r.status, 200);
	assert.deepEqual(Object.keys(r.json), ['data', 'pagination']);
	const e = r.json.data[0];
	assert.deepEqual(Object.keys(e), AUDIT_FIELDS);
	assert.equal(e.event, 'TOKEN_SIGN_IN');
	assert.equal(e.userID, userId);
	assert.equal(e.username, '', 'the own list names nobody');
	assert.equal(e.actorUsername, '');
	assert.deepEqual(e.data, {});
	// Newest first by default.
	const times = r.json.data.map((x) => Date.parse(x.createdAt));
	assert.deepEqual(times, [...times].sort((a, b) => b - a));
	const asc = await user.get('/api/audit-logs?sort[column]=ipAddress&sort[direction]=asc&pagination[limit]=100');
	const ips = asc.json.data.map((x) => x.ipAddress);
	assert.equal(ips[0], '8.8.8.8');
	assert.equal(ips.at(-1), 'fd12::1');
	const none = await user.get('/api/audit-logs?filters[event]=SIGN_IN');
	assert.equal(none.json.pagination.totalItems, 0);
	assert.deepEqual(none.json.data, []);
	assert.equal(none.json.pagination.totalPages, 1);
	assertError(await user.get('/api/audit-logs?filters[clientName]=x'), 400, 'validation_failed');
	assertError(await user.get('/api/audit-logs?sort[column]=data'), 400, 'validation_failed');
	// The admin's own list does not hold Alice's events.
	const adminOwn = await admin.get('/api/audit-logs?pagination[limit]=100');
	assert.ok(adminOwn.json.data.every((x) => x.userID === adminUser.id));
	// An API key may read its owner's log.
	assert.equal((await withKey(STATIC_KEY, '/api/audit-logs')).status, 200);
});

test('audit: the admin list, its filters, and the filter menus', async () => {
	assertError(await user.get('/api/audit-logs/all'), 403, 'forbidden');
	assertError(await client(stack.url).get('/api/audit-logs/all'), 401, 'not_signed_in');
	assertError(await user.get('/api/audit-logs/filters/client-names'), 403, 'forbidden');
	assertError(await user.get('/api/audit-logs/filters/users'), 403, 'forbidden');
	await cluster.psql('adminconfig', `INSERT INTO audit_logs (id, event, ip_address, data, user_id,
		user_agent, country, city) VALUES
		('${randomUUID()}', 'NEW_CLIENT_AUTHORIZATION', '10.0.0.9', '{"clientName":"Nextcloud"}',
		 '${adminUser.id}', 'curl/8.5.0', 'Internal Network', 'LAN'),
		('${randomUUID()}', 'CLIENT_AUTHORIZATION', '8.8.4.4', '{"clientName":"Grafana"}',
		 '${userId}', NULL, NULL, NULL),
		('${randomUUID()}', 'PASSKEY_REMOVED', NULL,
		 '{"passkeyName":"Key","actorUserID":"${adminUser.id}","actorUsername":"tim"}',
		 '${userId}', '', NULL, NULL)`);
	const all = await admin.get('/api/audit-logs/all?pagination[limit]=100');
	assert.equal(all.status, 200);
	for (const e of all.json.data) assert.deepEqual(Object.keys(e), AUDIT_FIELDS);
	const nextcloud = all.json.data.find((e) => e.data.clientName === 'Nextcloud');
	assert.equal(nextcloud.username, 'tim');
	assert.equal(nextcloud.device, 'curl on  ');
	const removed = all.json.data.find((e) => e.event === 'PASSKEY_REMOVED');
	assert.equal(removed.username, 'alice');
	assert.equal(removed.actorUsername, 'tim');
	assert.equal(removed.ipAddress, '');
	assert.equal(removed.device, ' on  ');
	const byUser = await admin.get(`/api/audit-logs/all?filters[userID]=${adminUser.id}&pagination[limit]=100`);
	assert.ok(byUser.json.data.length > 0);
	assert.ok(byUser.json.data.every((e) => e.userID === adminUser.id));
	const byEvents = await admin.get('/api/audit-logs/all?filters[event][0]=CLIENT_AUTHORIZATION'
		+ '&filters[event][1]=NEW_CLIENT_AUTHORIZATION');
	assert.deepEqual(byEvents.json.data.map((e) => e.event).sort(),
		['CLIENT_AUTHORIZATION', 'NEW_CLIENT_AUTHORIZATION']);
	const byClient = await admin.get('/api/audit-logs/all?filters[clientName]=Grafana');
	assert.deepEqual(byClient.json.data.map((e) => e.data.clientName), ['Grafana']);
	const internal = await admin.get('/api/audit-logs/all?filters[location]=internal&pagination[limit]=100');
	assert.ok(internal.json.data.length > 0);
	assert.ok(internal.json.data.every((e) => e.country === 'Internal Network'));
	const external = await admin.get('/api/audit-logs/all?filters[location]=external&pagination[limit]=100');
	assert.ok(external.json.data.some((e) => e.ipAddress === '8.8.8.8'));
	assert.ok(external.json.data.every((e) => e.country !== 'Internal Network'));
	assert.equal(internal.json.pagination.totalItems + external.json.pagination.totalItems,
		all.json.pagination.totalItems);
	assertError(await admin.get('/api/audit-logs/all?filters[username]=tim'), 400, 'validation_failed');
	const names = await admin.get('/api/audit-logs/filters/client-names');
	assert.equal(names.status, 200);
	assert.deepEqual(names.json, ['Grafana', 'Nextcloud']);
	const users = await admin.get('/api/audit-logs/filters/users');
	assert.equal(users.status, 200);
	assert.deepEqual(users.json, { [adminUser.id]: 'tim', [userId]: 'alice' });
});

test('audit: rows past AUDIT_LOG_RETENTION_DAYS are deleted at start-up', async () => {
	await cluster.psql('adminconfig', `INSERT INTO audit_logs (id, event, created_at, user_id) VALUES
		('${randomUUID()}', 'SIGN_IN', now() - interval '31 days', '${userId}'),
		('${randomUUID()}', 'SIGN_IN', now() - interval '400 days', '${userId}'),
		('${randomUUID()}', 'SIGN_IN', now() - interval '29 days', '${userId}')`);
	const old = `SELECT count(*) FROM audit_logs WHERE created_at < now() - interval '30 days'`;
	assert.equal(await cluster.psql('adminconfig', old), '2');
	const kept = await cluster.psql('adminconfig', 'SELECT count(*) FROM audit_logs');
	// Expired short-lived state goes in the same daily run.
	await cluster.psql('adminconfig', `INSERT INTO webauthn_sessions (id, challenge,
		expires_at, user_verification) VALUES ('${randomUUID()}', 'expired-challenge',
		now() - interval '1 minute', 'required');
		INSERT INTO one_time_access_tokens (id, token_hash, expires_at, user_id) VALUES
		('${randomUUID()}', 'expired-code-hash', now() - interval '1 minute', '${userId}')`);
	await stack.stopDaemon();
	await stack.startDaemon();
	await waitFor('the retention cleanup', async () =>
		await cluster.psql('adminconfig', old) === '0');
	await waitFor('the expired rows cleanup', async () => await cluster.psql('adminconfig',
		"SELECT count(*) FROM webauthn_sessions WHERE challenge = 'expired-challenge'") === '0');
	assert.equal(await cluster.psql('adminconfig',
		"SELECT count(*) FROM one_time_access_tokens WHERE token_hash = 'expired-code-hash'"), '0');
	assert.equal(await cluster.psql('adminconfig', 'SELECT count(*) FROM audit_logs'), String(kept - 2));
	await waitFor('the service', async () => (await stack.fetch('/healthz')).status === 204);
	assert.match(stack.daemon.output, /audit log retention: deleted 2 rows older than 30 days/);
});

// ---- UI_CONFIG_DISABLED (spec §4.1, §4.2) ----------------------------------

test('UI_CONFIG_DISABLED: settings come from the environment, passwords redacted, PUT refused', async () => {
	// Something in the database that the environment-driven stack must not show.
	assert.equal((await put(admin, '/api/application-configuration',
		{ ...DEFAULTS, appName: 'From The Database', accentColor: 'red' })).status, 200);
	const secretFile = join(stack.dir, 'ldap-password');
	writeFileSync(secretFile, 'ldap-secret\n');
	const envStack = await startStack(dbUrl, { workers: 1, env: {
		APP_URL: stack.env.APP_URL, ENCRYPTION_KEY: stack.env.ENCRYPTION_KEY,
		STATIC_API_KEY: STATIC_KEY, UI_CONFIG_DISABLED: 'true',
		APP_NAME: 'From The Environment', ALLOW_USER_SIGNUPS: 'open', SMTP_HOST: 'mail.example.com',
		SMTP_PASSWORD: 'smtp-secret', LDAP_BIND_PASSWORD_FILE: secretFile,
	} });
	try {
		const pub = await fetch(`${envStack.url}/api/application-configuration`).then((r) => r.json());
		const p = asMap(pub);
		assert.equal(p.appName, 'From The Environment');
		assert.equal(p.allowUserSignups, 'open');
		assert.equal(p.accentColor, 'default', 'unset: the default, not the database');
		assert.equal(p.uiConfigDisabled, 'true');
		assert.equal(pub.find((e) => e.key === 'uiConfigDisabled').type, 'boolean');
		const key = (path, method = 'GET', body) => fetch(`${envStack.url}${path}`, { method,
			headers: { 'x-api-key': STATIC_KEY, 'content-type': 'application/json' },
			body: body ? JSON.stringify(body) : undefined })
			.then(async (r) => ({ status: r.status, json: await r.json() }));
		const all = await key('/api/application-configuration/all');
		assert.equal(all.status, 200);
		const a = asMap(all.json);
		assert.equal(a.smtpHost, 'mail.example.com');
		assert.equal(a.smtpPassword, 'XXXXXXXXXX');
		assert.equal(a.ldapBindPassword, 'XXXXXXXXXX', 'read from LDAP_BIND_PASSWORD_FILE');
		assert.equal(a.sessionDuration, '60');
		assertError(await key('/api/application-configuration', 'PUT', DEFAULTS), 403, 'ui_config_disabled');
		// The database-driven stack is unaffected, on the same database.
		assert.equal(asMap((await client(stack.url).get('/api/application-configuration')).json).appName,
			'From The Database');
		assert.equal(await cluster.psql('adminconfig', `SELECT value FROM app_config WHERE key = 'appName'`),
			'From The Database');
	} finally {
		await envStack.stop();
	}
	assert.equal((await put(admin, '/api/application-configuration', DEFAULTS)).status, 200);
});

// Last: it changes the stack's ENCRYPTION_KEY.
test('encryption-key-rotate re-seals the stored passwords with the signing keys', async () => {
	const r = await put(admin, '/api/application-configuration', { ...DEFAULTS,
		smtpPassword: 'rotate-me', ldapBindPassword: 'and-me' });
	assert.equal(r.status, 200, r.text);
	const newKey = 'the-next-encryption-key-0123456789';
	await stack.stopDaemon();
	const rot = await runPocketId(['encryption-key-rotate', '--new-key', newKey, '-y'], stack.env);
	assert.equal(rot.code, 0, rot.stderr);
	stack.env.ENCRYPTION_KEY = newKey;
	await stack.startDaemon();
	await waitFor('healthz', async () => (await stack.fetch('/healthz')).status === 204);
	const all = asMap((await admin.get('/api/application-configuration/all')).json);
	assert.equal(all.smtpPassword, 'rotate-me');
	assert.equal(all.ldapBindPassword, 'and-me');
});
