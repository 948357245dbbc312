// OIDC client administration (spec §1.7) end to end: every admin route
// through nginx and the workers, the DTOs field by field, the errors and
// the guards; the user's authorized apps and "my apps"; and, through
// tests/helpers/client_probe, the protocol-facing client API (client
// authentication of spec §2.5, consent §2.9, group restriction §2.10)
// against the same database, until the token endpoint exercises it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startCluster } from './lib/pg.mjs';
import { startStack, binPath } from './lib/stack.mjs';
import { client } from './lib/authenticator.mjs';
import { startPublicHttps, publicHttpsUnavailable } from './lib/public-https.mjs';

const execFileP = promisify(execFile);
const PROBE = process.env.POCKET_ID_CLIENT_PROBE ??
	join(dirname(binPath), 'tests/helpers/client_probe');
const STATIC_KEY = 'static-api-key-for-oidc-client-tests-0123';
const DB = 'oidc_clients';

let cluster, dbUrl, stack, admin, adminUser, craig, craigId, anon;
// SSL_CERT_FILE for the probe while a test serves HTTPS (public-https.mjs).
let sslCertFile;
const groups = {};

before(async () => {
	cluster = await startCluster();
	dbUrl = await cluster.createDatabase(DB);
	stack = await startStack(dbUrl, { workers: 2, env: { STATIC_API_KEY: STATIC_KEY } });
	admin = client(stack.url);
	const setup = await admin.post('/api/signup/setup',
		{ username: 'tim', email: 'tim.cook@test.com', firstName: 'Tim', lastName: 'Cook' });
	assert.equal(setup.status, 200, setup.text);
	adminUser = setup.json;
	// A second, ordinary user (the users API is another branch's): a row,
	// then a login code for a session of their own.
	craigId = '1cd19686-f9a6-43f4-a41f-14a0bf5b4036';
	await cluster.psql(DB, `INSERT INTO users (id, username, email, display_name)
		VALUES ('${craigId}', 'craig', 'craig@test.com', 'Craig Federighi')`);
	const code = await admin.post(`/api/users/${craigId}/one-time-access-token`, { ttl: '10m' });
	assert.equal(code.status, 201, code.text);
	craig = client(stack.url);
	assert.equal((await craig.call('POST', `/api/one-time-access-token/${code.json.token}`)).status, 200);
	anon = client(stack.url);
	groups.developers = 'c7ae7c01-28a3-4f3c-9572-1ee734ea8368';
	groups.designers = 'adab18bf-f89d-4087-9ee1-70ff15b48211';
	await cluster.psql(DB, `INSERT INTO user_groups (id, friendly_name, name) VALUES
		('${groups.developers}', 'Developers', 'developers'),
		('${groups.designers}', 'Designers', 'designers');
		INSERT INTO user_groups_users (user_id, user_group_id) VALUES
		('${craigId}', '${groups.designers}')`);
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

const put = (c, path, body, headers) => c.call('PUT', path, body, headers);

// Runs the probe; its answer line. Under sanitizers, any report fails.
async function probe(...args) {
	let out;
	try {
		out = await execFileP(PROBE, args, { env: { ...process.env, DB_CONNECTION_STRING: dbUrl,
			APP_URL: stack.env.APP_URL, ...(sslCertFile ? { SSL_CERT_FILE: sslCertFile } : {}) } });
	} catch (err) {
		if (err.stdout === undefined) throw err;
		out = err;
	}
	assert.doesNotMatch(out.stderr, /Sanitizer|runtime error/, out.stderr);
	return out.stdout.trim();
}
const haveProbe = () => existsSync(PROBE);
const basic = (id, secret) => 'Basic ' + Buffer.from(
	`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

const META_KEYS = ['id', 'name', 'description', 'hasLogo', 'hasDarkLogo', 'launchURL',
	'requiresReauthentication', 'clientType'].sort();
const CLIENT_KEYS = [...META_KEYS, 'callbackURLs', 'logoutCallbackURLs', 'isPublic', 'pkceEnabled',
	'requiresPushedAuthorizationRequests', 'skipConsent', 'credentials', 'isGroupRestricted',
	'accessTokenDurationMinutes', 'refreshTokenDurationMinutes'].sort();
const SECRET_KEYS = ['id', 'prefix', 'createdAt', 'expiresAt', 'isActive'].sort();
const GROUP_KEYS = ['id', 'friendlyName', 'name', 'customClaims', 'userCount', 'ldapId', 'createdAt'].sort();
const keys = (o) => Object.keys(o).sort();

let plain, nextcloud, pub;

test('guards: admin routes need an admin, meta is public', async () => {
	let r = await anon.get('/api/oidc/clients');
	assert.equal(r.status, 401);
	assert.equal(r.json.code, 'not_signed_in');
	r = await craig.get('/api/oidc/clients');
	assert.equal(r.status, 403);
	assert.equal(r.json.code, 'forbidden');
	r = await craig.post('/api/oidc/clients', { name: 'x' });
	assert.equal(r.status, 403);
	for (const [m, p] of [['GET', '/api/oidc/clients/x'], ['PUT', '/api/oidc/clients/x'],
		['DELETE', '/api/oidc/clients/x'], ['PUT', '/api/oidc/clients/x/allowed-user-groups'],
		['GET', '/api/oidc/clients/x/secrets'], ['POST', '/api/oidc/clients/x/secrets'],
		['DELETE', `/api/oidc/clients/x/secrets/${craigId}`],
		['GET', `/api/oidc/users/${craigId}/authorized-clients`]]) {
		r = await craig.call(m, p, m === 'GET' || m === 'DELETE' ? undefined : {});
		assert.equal(r.status, 403, `${m} ${p}`);
	}
	for (const p of ['/api/oidc/users/me/authorized-clients', '/api/oidc/users/me/clients'])
		assert.equal((await anon.get(p)).status, 401, p);
	r = await anon.get('/api/oidc/clients/nope/meta');
	assert.equal(r.status, 404);
	assert.equal(r.json.code, 'not_found');
	// The static API key is an admin.
	r = await fetch(`${stack.url}/api/oidc/clients`, { headers: { 'x-api-key': STATIC_KEY } });
	assert.equal(r.status, 200);
});

test('create: the minimal body gets every default, OidcClientDto field by field', async () => {
	const r = await admin.post('/api/oidc/clients', { name: 'Plain' });
	assert.equal(r.status, 201, r.text);
	plain = r.json;
	assert.deepEqual(keys(plain), [...CLIENT_KEYS, 'allowedUserGroups'].sort());
	assert.match(plain.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	assert.equal(plain.name, 'Plain');
	assert.equal(plain.description, '');
	assert.equal(plain.hasLogo, false);
	assert.equal(plain.hasDarkLogo, false);
	assert.equal(plain.launchURL, null);
	assert.equal(plain.requiresReauthentication, false);
	assert.equal(plain.clientType, 'standard');
	assert.deepEqual(plain.callbackURLs, []);
	assert.deepEqual(plain.logoutCallbackURLs, []);
	assert.equal(plain.isPublic, false);
	assert.equal(plain.pkceEnabled, false);
	assert.equal(plain.requiresPushedAuthorizationRequests, false);
	assert.equal(plain.skipConsent, false);
	assert.deepEqual(plain.credentials, { secrets: [] });
	assert.equal(plain.isGroupRestricted, false);
	assert.equal(plain.accessTokenDurationMinutes, 60);
	assert.equal(plain.refreshTokenDurationMinutes, 43200);
	assert.deepEqual(plain.allowedUserGroups, []);
	const createdBy = await cluster.psql(DB, `SELECT created_by_id FROM oidc_clients WHERE id = '${plain.id}'`);
	assert.equal(createdBy, adminUser.id);
});

test('create: every field, a custom id, public forces PKCE', async () => {
	let r = await admin.post('/api/oidc/clients', {
		id: 'nextcloud.prod_1-a', name: 'Nextcloud', description: 'Files',
		callbackURLs: ['http://nextcloud.localhost/auth/callback', 'https://*.cloud.example.com/cb/**'],
		logoutCallbackURLs: ['http://nextcloud.localhost/auth/logout/callback'],
		isPublic: false, pkceEnabled: false, requiresReauthentication: true,
		requiresPushedAuthorizationRequests: true, skipConsent: true,
		credentials: { federatedIdentities: [{ issuer: 'https://external-idp.local', audience: 'api://PocketID',
			subject: '', replayProtection: true }], secrets: [{ id: 'ignored' }] },
		launchURL: 'https://nextcloud.example.com/', isGroupRestricted: false,
		accessTokenDurationMinutes: 90, refreshTokenDurationMinutes: 14 * 24 * 60,
		hasLogo: true, hasDarkLogo: true, logoUrl: null, darkLogoUrl: '',
	});
	assert.equal(r.status, 201, r.text);
	nextcloud = r.json;
	assert.equal(nextcloud.id, 'nextcloud.prod_1-a');
	assert.equal(nextcloud.description, 'Files');
	assert.deepEqual(nextcloud.callbackURLs,
		['http://nextcloud.localhost/auth/callback', 'https://*.cloud.example.com/cb/**']);
	assert.deepEqual(nextcloud.logoutCallbackURLs, ['http://nextcloud.localhost/auth/logout/callback']);
	assert.equal(nextcloud.requiresReauthentication, true);
	assert.equal(nextcloud.requiresPushedAuthorizationRequests, true);
	assert.equal(nextcloud.skipConsent, true);
	assert.equal(nextcloud.launchURL, 'https://nextcloud.example.com/');
	assert.equal(nextcloud.hasLogo, false, 'hasLogo in a body is ignored');
	assert.deepEqual(nextcloud.credentials, { federatedIdentities: [{ issuer: 'https://external-idp.local',
		audience: 'api://PocketID', replayProtection: true }], secrets: [] });
	assert.equal(nextcloud.accessTokenDurationMinutes, 90);
	assert.equal(nextcloud.refreshTokenDurationMinutes, 20160);

	r = await admin.post('/api/oidc/clients', { name: 'Public SPA', isPublic: true, pkceEnabled: false,
		callbackURLs: ['http://127.0.0.1/callback'] });
	assert.equal(r.status, 201);
	pub = r.json;
	assert.equal(pub.isPublic, true);
	assert.equal(pub.pkceEnabled, true);
});

test('create: validation errors name the field; wrong types are a bad body', async () => {
	const bad = async (body, field, code) => {
		const r = await admin.post('/api/oidc/clients', body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(r.json.code, 'validation_failed', JSON.stringify(body));
		assert.ok(r.json.details.fields.some((f) => f.field === field && (!code || f.code === code)),
			`${JSON.stringify(body)}: ${r.text}`);
		assert.ok(r.json.request_id);
	};
	await bad({}, 'name', 'required');
	await bad({ name: '' }, 'name', 'required');
	await bad({ name: 'x'.repeat(51) }, 'name', 'too_long');
	assert.equal((await admin.post('/api/oidc/clients', { name: '名'.repeat(50) })).status, 201,
		'50 characters, more bytes, is fine');
	await bad({ name: 'n', description: 'd'.repeat(151) }, 'description', 'too_long');
	await bad({ name: 'n', id: 'a' }, 'id', 'invalid_format');
	await bad({ name: 'n', id: 'has space' }, 'id', 'invalid_format');
	await bad({ name: 'n', id: 'x'.repeat(129) }, 'id', 'invalid_format');
	await bad({ name: 'n', callbackURLs: ['javascript:alert(1)'] }, 'callbackURLs', 'invalid_format');
	await bad({ name: 'n', callbackURLs: ['DATA:text/html,x'] }, 'callbackURLs');
	await bad({ name: 'n', callbackURLs: ['/relative'] }, 'callbackURLs');
	await bad({ name: 'n', logoutCallbackURLs: ['https://exa[mple.com/'] }, 'logoutCallbackURLs');
	await bad({ name: 'n', callbackURLs: Array.from({ length: 101 }, (_, i) => `https://a.test/${i}`) },
		'callbackURLs', 'too_long');
	await bad({ name: 'n', launchURL: 'javascript:alert(1)' }, 'launchURL', 'invalid_format');
	await bad({ name: 'n', launchURL: 'not a url' }, 'launchURL');
	await bad({ name: 'n', accessTokenDurationMinutes: 525601 }, 'accessTokenDurationMinutes');
	await bad({ name: 'n', refreshTokenDurationMinutes: -1 }, 'refreshTokenDurationMinutes');
	await bad({ name: 'n', credentials: { federatedIdentities: [{ audience: 'x' }] } },
		'credentials.federatedIdentities');
	// A logo URL is fetched (oidc-cimd.test.mjs has the HTTPS cases); a
	// plain-http one is refused before any connection, with 422.
	const logo = await admin.post('/api/oidc/clients', { name: 'n', logoUrl: 'http://example.com/logo.png' });
	assert.equal(logo.status, 422, logo.text);
	assert.equal(logo.json.code, 'logo_download_failed');
	// Several at once.
	const r = await admin.post('/api/oidc/clients', { name: '', id: '!' });
	assert.equal(r.json.details.fields.length, 2);
	for (const body of [{ name: 1 }, { name: 'n', isPublic: 'yes' }, { name: 'n', callbackURLs: 'x' },
		{ name: 'n', callbackURLs: [1] }, { name: 'n', accessTokenDurationMinutes: 1.5 },
		{ name: 'n', credentials: [] }]) {
		const t = await admin.post('/api/oidc/clients', body);
		assert.equal(t.status, 400, JSON.stringify(body));
		assert.equal(t.json.code, 'invalid_request_body', JSON.stringify(body));
	}
	const text = await admin.call('POST', '/api/oidc/clients', undefined, { 'content-type': 'text/plain' });
	assert.equal(text.status, 400);
	assert.equal(text.json.code, 'invalid_request_body');
	const dup = await admin.post('/api/oidc/clients', { id: 'nextcloud.prod_1-a', name: 'Again' });
	assert.equal(dup.status, 409);
	assert.equal(dup.json.code, 'client_id_already_exists');
	assert.equal(dup.json.error, 'Client ID is already in use');
});

test('get and meta: full DTO for admins, metadata for everyone, ~base64url ids', async () => {
	let r = await admin.get(`/api/oidc/clients/${nextcloud.id}`);
	assert.equal(r.status, 200);
	assert.deepEqual(r.json, nextcloud);
	const tilde = '~' + Buffer.from(nextcloud.id).toString('base64url');
	r = await admin.get(`/api/oidc/clients/${tilde}`);
	assert.equal(r.status, 200);
	assert.equal(r.json.id, nextcloud.id);
	r = await admin.get('/api/oidc/clients/does-not-exist');
	assert.equal(r.status, 404);
	assert.equal(r.json.code, 'not_found');
	assert.equal(r.json.error, 'OIDC client not found');
	assert.equal(r.json.details.resource, 'OIDC client');
	assert.equal((await admin.get('/api/oidc/clients/~!!')).status, 404);
	r = await anon.get(`/api/oidc/clients/${nextcloud.id}/meta`);
	assert.equal(r.status, 200);
	assert.deepEqual(keys(r.json), META_KEYS);
	assert.deepEqual(r.json, { id: nextcloud.id, name: 'Nextcloud', description: 'Files', hasLogo: false,
		hasDarkLogo: false, launchURL: 'https://nextcloud.example.com/', requiresReauthentication: true,
		clientType: 'standard' });
	if (haveProbe()) {
		const meta = await probe('meta', nextcloud.id);
		assert.deepEqual(JSON.parse(meta.slice(3)), r.json);
		const load = await probe('load', nextcloud.id);
		assert.equal(load, 'ok id=nextcloud.prod_1-a name=Nextcloud launch=https://nextcloud.example.com/ ' +
			'public=0 pkce=0 reauth=1 par=1 skip=1 restricted=0 access=90 refresh=20160 ' +
			'callbacks=http://nextcloud.localhost/auth/callback,https://*.cloud.example.com/cb/** ' +
			'logout=http://nextcloud.localhost/auth/logout/callback');
		assert.equal(await probe('load', 'nope'), 'error not_found');
	}
});

test('update: rewrites the fields, keeps id and secrets, resets pkceSupported', async () => {
	await cluster.psql(DB, `UPDATE oidc_clients SET pkce_supported = true WHERE id = '${plain.id}'`);
	let r = await admin.get(`/api/oidc/clients/${plain.id}`);
	assert.equal(r.json.pkceSupported, true);
	r = await put(admin, `/api/oidc/clients/${plain.id}`, { name: 'Plain 2', description: 'changed',
		callbackURLs: ['https://plain.example.com/cb'], isGroupRestricted: true, pkceEnabled: false,
		accessTokenDurationMinutes: 0, id: 'ignored-on-update' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.id, plain.id);
	assert.equal(r.json.name, 'Plain 2');
	assert.equal(r.json.description, 'changed');
	assert.deepEqual(r.json.callbackURLs, ['https://plain.example.com/cb']);
	assert.equal(r.json.isGroupRestricted, true);
	assert.equal(r.json.accessTokenDurationMinutes, 60);
	assert.equal('pkceSupported' in r.json, false, 'pkceSupported is omitted once false');
	assert.deepEqual(keys(r.json), [...CLIENT_KEYS, 'allowedUserGroups'].sort());
	plain = r.json;
	r = await put(admin, '/api/oidc/clients/nope', { name: 'x' });
	assert.equal(r.status, 404);
	r = await put(admin, `/api/oidc/clients/${plain.id}`, { name: '' });
	assert.equal(r.status, 400);
	assert.equal(r.json.details.fields[0].field, 'name');
});

test('allowed user groups: replaced as a set, shown as UserGroupMinimalDto, cleared when unrestricted', async () => {
	let r = await put(admin, `/api/oidc/clients/${plain.id}/allowed-user-groups`,
		{ userGroupIds: [groups.developers, groups.designers, '00000000-0000-4000-8000-000000000000'] });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(keys(r.json), CLIENT_KEYS, 'an OidcClientDto, as Pocket ID answers');
	r = await admin.get(`/api/oidc/clients/${plain.id}`);
	assert.deepEqual(r.json.allowedUserGroups.map((g) => g.name), ['designers', 'developers']);
	assert.deepEqual(keys(r.json.allowedUserGroups[0]), GROUP_KEYS);
	assert.equal(r.json.allowedUserGroups[0].userCount, 1);
	assert.equal(r.json.allowedUserGroups[0].friendlyName, 'Designers');
	r = await put(admin, `/api/oidc/clients/${plain.id}/allowed-user-groups`, { userGroupIds: [groups.developers] });
	assert.equal(r.status, 200);
	r = await admin.get(`/api/oidc/clients/${plain.id}`);
	assert.deepEqual(r.json.allowedUserGroups.map((g) => g.name), ['developers']);
	for (const [body, code] of [[{}, 'required'], [{ userGroupIds: null }, 'required'],
		[{ userGroupIds: ['nope'] }, 'invalid_format'], [{ userGroupIds: [1] }, 'invalid_format']]) {
		r = await put(admin, `/api/oidc/clients/${plain.id}/allowed-user-groups`, body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(r.json.details.fields[0].code, code);
	}
	r = await put(admin, '/api/oidc/clients/nope/allowed-user-groups', { userGroupIds: [] });
	assert.equal(r.status, 404);
	if (haveProbe()) {
		assert.equal(await probe('allows', plain.id, craigId), 'ok false', 'craig is a designer only');
		await put(admin, `/api/oidc/clients/${plain.id}/allowed-user-groups`, { userGroupIds: [groups.designers] });
		assert.equal(await probe('allows', plain.id, craigId), 'ok true');
		assert.equal(await probe('allows', plain.id, adminUser.id), 'ok false');
		assert.equal(await probe('allows', nextcloud.id, adminUser.id), 'ok true', 'unrestricted');
	}
	// Lifting the restriction clears the groups (spec §1.7).
	const body = { ...plain, isGroupRestricted: false };
	r = await put(admin, `/api/oidc/clients/${plain.id}`, body);
	assert.equal(r.status, 200);
	assert.deepEqual(r.json.allowedUserGroups, []);
	const n = await cluster.psql(DB, `SELECT count(*) FROM oidc_clients_allowed_user_groups WHERE oidc_client_id = '${plain.id}'`);
	assert.equal(n, '0');
	// Restricted again with groups, for the lists below.
	await put(admin, `/api/oidc/clients/${plain.id}`, { ...body, isGroupRestricted: true });
	await put(admin, `/api/oidc/clients/${plain.id}/allowed-user-groups`, { userGroupIds: [groups.developers] });
});

test('list: paginated, searchable, sortable and filterable (spec §0.5)', async () => {
	let r = await admin.get('/api/oidc/clients');
	assert.equal(r.status, 200);
	assert.deepEqual(keys(r.json), ['data', 'pagination']);
	assert.deepEqual(r.json.pagination, { totalPages: 1, totalItems: 4, currentPage: 1, itemsPerPage: 20 });
	assert.deepEqual(keys(r.json.data[0]), [...CLIENT_KEYS, 'allowedUserGroupsCount'].sort());
	assert.deepEqual(r.json.data.map((c) => c.name), ['Nextcloud', 'Plain 2', 'Public SPA', '名'.repeat(50)]);
	r = await admin.get('/api/oidc/clients?search=cloud');
	assert.deepEqual(r.json.data.map((c) => c.id), [nextcloud.id]);
	r = await admin.get('/api/oidc/clients?search=%25');
	assert.equal(r.json.pagination.totalItems, 0, 'LIKE wildcards are literal');
	r = await admin.get('/api/oidc/clients?sort[column]=allowedUserGroupsCount&sort[direction]=desc');
	assert.equal(r.json.data[0].id, plain.id);
	assert.equal(r.json.data[0].allowedUserGroupsCount, 1);
	r = await admin.get('/api/oidc/clients?filters[isGroupRestricted]=true');
	assert.deepEqual(r.json.data.map((c) => c.id), [plain.id]);
	r = await admin.get('/api/oidc/clients?filters[pkceEnabled]=true');
	assert.deepEqual(r.json.data.map((c) => c.id), [pub.id]);
	r = await admin.get('/api/oidc/clients?filters[clientType]=standard&pagination[limit]=2&pagination[page]=9');
	assert.deepEqual(r.json.pagination, { totalPages: 2, totalItems: 4, currentPage: 2, itemsPerPage: 2 });
	r = await admin.get('/api/oidc/clients?sort[column]=secret');
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'validation_failed');
	r = await admin.get('/api/oidc/clients?filters[isPublic]=true');
	assert.equal(r.status, 400);
});

let secret1, secret2;

test('secrets: created once in the clear, SHA-256 at rest, listed with prefix and expiry', async () => {
	let r = await admin.get(`/api/oidc/clients/${nextcloud.id}/secrets`);
	assert.equal(r.status, 200);
	assert.deepEqual(r.json, []);
	r = await admin.call('POST', `/api/oidc/clients/${nextcloud.id}/secrets`);
	assert.equal(r.status, 201, r.text);
	secret1 = r.json;
	assert.deepEqual(keys(secret1), [...SECRET_KEYS, 'secret'].sort());
	assert.match(secret1.secret, /^[A-Za-z0-9]{32}$/);
	assert.equal(secret1.prefix, secret1.secret.slice(0, 4));
	assert.equal(secret1.expiresAt, null);
	assert.equal(secret1.isActive, true);
	const stored = await cluster.psql(DB, `SELECT alg || ' ' || hash FROM oidc_client_secrets WHERE id = '${secret1.id}'`);
	const { createHash } = await import('node:crypto');
	assert.equal(stored, 'sha256 ' + createHash('sha256').update(secret1.secret).digest('hex'));
	const expires = new Date(Date.now() + 90 * 86400e3).toISOString();
	r = await admin.post(`/api/oidc/clients/${nextcloud.id}/secrets`,
		{ secret: 'declared-secret-0123456789', expiresAt: expires });
	assert.equal(r.status, 201, r.text);
	secret2 = r.json;
	assert.equal(secret2.secret, 'declared-secret-0123456789');
	assert.equal(secret2.prefix, 'decl');
	assert.equal(new Date(secret2.expiresAt).getTime(), new Date(expires).getTime());
	r = await admin.get(`/api/oidc/clients/${nextcloud.id}/secrets`);
	assert.deepEqual(r.json.map((s) => s.id), [secret1.id, secret2.id]);
	assert.deepEqual(keys(r.json[0]), SECRET_KEYS);
	assert.equal(r.json.some((s) => 'secret' in s), false, 'values are never listed');
	r = await admin.get(`/api/oidc/clients/${nextcloud.id}`);
	assert.deepEqual(r.json.credentials.secrets.map((s) => s.id), [secret1.id, secret2.id]);
	r = await admin.get(`/api/oidc/clients/~${Buffer.from(nextcloud.id).toString('base64url')}/secrets`);
	assert.equal(r.json.length, 2);
});

test('secrets: bad bodies, public clients, the limit of 20, unknown ids', async () => {
	const path = `/api/oidc/clients/${nextcloud.id}/secrets`;
	for (const [body, field] of [[{ secret: 'short' }, 'secret'], [{ secret: 'x'.repeat(15) }, 'secret'],
		[{ secret: 'tab\tinside-0123456789' }, 'secret'], [{ expiresAt: 'tomorrow' }, 'expiresAt'],
		[{ expiresAt: 5 }, 'expiresAt'], [{ secret: 7 }, 'secret']]) {
		const r = await admin.post(path, body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(r.json.details.fields[0].field, field);
	}
	let r = await admin.post(path, { expiresAt: '2001-01-01T00:00:00Z' });
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'validation_failed');
	assert.equal(r.json.error, 'The expiration date of a client secret must be in the future');
	r = await admin.call('POST', path, 'not json', { 'content-type': 'text/plain' });
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'invalid_request_body');
	r = await admin.post(`/api/oidc/clients/${pub.id}/secrets`, {});
	assert.equal(r.status, 400);
	assert.equal(r.json.error, 'Cannot create a secret for a public client');
	r = await admin.post('/api/oidc/clients/nope/secrets', {});
	assert.equal(r.status, 404);
	assert.equal((await admin.get('/api/oidc/clients/nope/secrets')).status, 404);
	// Up to 20, expired ones included; concurrent creations respect it too.
	const results = await Promise.all(Array.from({ length: 24 }, () => admin.post(path, {})));
	assert.equal(results.filter((x) => x.status === 201).length, 18);
	for (const x of results.filter((y) => y.status !== 201)) {
		assert.equal(x.status, 400);
		assert.equal(x.json.error, 'A client cannot have more than 20 secrets');
	}
	const extra = (await admin.get(path)).json.slice(2);
	await Promise.all(extra.map((s) => admin.del(`${path}/${s.id}`)));
	assert.equal((await admin.get(path)).json.length, 2);
});

test('client authentication (spec §2.5): basic, post, none; every active secret; expiry; bcrypt', { skip: !haveProbe() && `no ${PROBE}` }, async () => {
	const id = nextcloud.id;
	const form = (o) => new URLSearchParams(o).toString();
	assert.equal(await probe('auth', '--header', basic(id, secret1.secret), 'grant_type=client_credentials'),
		`ok ${id} public=0`);
	assert.equal(await probe('auth', form({ client_id: id, client_secret: secret2.secret })), `ok ${id} public=0`);
	assert.match(await probe('auth', form({ client_id: id, client_secret: 'wrong' })), /^error verify /);
	assert.match(await probe('auth', form({ client_id: id })), /^error verify The client must authenticate/);
	assert.match(await probe('auth', form({ client_id: 'nope', client_secret: 'x' })), /^error verify /);
	assert.match(await probe('auth', '--header', basic(id, secret1.secret),
		form({ client_id: id, client_secret: secret1.secret })), /^error invalid .*more than one/);
	// A public client names itself.
	assert.equal(await probe('auth', form({ client_id: pub.id })), `ok ${pub.id} public=1`);
	// An expired secret stops working; a deleted one too.
	await cluster.psql(DB, `UPDATE oidc_client_secrets SET expires_at = now() - interval '1 second' WHERE id = '${secret2.id}'`);
	assert.match(await probe('auth', form({ client_id: id, client_secret: secret2.secret })), /^error verify /);
	const listed = (await admin.get(`/api/oidc/clients/${id}/secrets`)).json;
	assert.equal(listed.find((s) => s.id === secret2.id).isActive, false, 'expired secrets are listed inactive');
	let r = await admin.del(`/api/oidc/clients/${id}/secrets/${secret1.id}`);
	assert.equal(r.status, 204);
	assert.match(await probe('auth', '--header', basic(id, secret1.secret), ''), /^error verify /);
	r = await admin.del(`/api/oidc/clients/${id}/secrets/${secret1.id}`);
	assert.equal(r.status, 404);
	assert.equal(r.json.error, 'Client secret not found');
	assert.equal((await admin.del(`/api/oidc/clients/${id}/secrets/not-a-uuid`)).json.error, 'Client secret not found');
	r = await admin.del(`/api/oidc/clients/nope/secrets/${secret1.id}`);
	assert.equal(r.json.error, 'OIDC client not found');
	// A bcrypt hash imported from Pocket ID (crypt_blowfish's vector).
	await cluster.psql(DB, `INSERT INTO oidc_client_secrets (id, client_id, alg, hash)
		VALUES ('11111111-1111-4111-8111-111111111111', '${id}', 'bcrypt',
		'$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW')`);
	assert.equal(await probe('auth', form({ client_id: id, client_secret: 'U*U' })), `ok ${id} public=0`);
	assert.match(await probe('auth', form({ client_id: id, client_secret: 'U*V' })), /^error verify /);
	const migrated = (await admin.get(`/api/oidc/clients/${id}/secrets`)).json.find((s) => s.id.startsWith('1111'));
	assert.equal(migrated.prefix, '');
	// Ids and secrets in Basic are form-urlencoded.
	const odd = await admin.post(`/api/oidc/clients/${id}/secrets`, { secret: 'with space+plus:colon%' });
	assert.equal(odd.status, 201);
	assert.equal(await probe('auth', '--header', basic(id, odd.json.secret), ''), `ok ${id} public=0`);
});

test('consent and "my apps": list, filter, revoke; restricted clients only for their groups', async () => {
	let r = await craig.get('/api/oidc/users/me/authorized-clients');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json, { data: [], pagination: { totalPages: 1, totalItems: 0, currentPage: 1, itemsPerPage: 20 } });
	// My apps: unrestricted clients, and plain only while craig's group is allowed.
	r = await craig.get('/api/oidc/users/me/clients');
	assert.equal(r.status, 200);
	assert.deepEqual(keys(r.json.data[0]), [...META_KEYS, 'lastUsedAt'].sort());
	assert.deepEqual(r.json.data.map((c) => c.id).sort(), [nextcloud.id, pub.id, (await cluster.psql(DB,
		"SELECT id FROM oidc_clients WHERE name LIKE '名%'"))].sort());
	assert.ok(r.json.data.every((c) => c.lastUsedAt === null));
	await put(admin, `/api/oidc/clients/${plain.id}/allowed-user-groups`, { userGroupIds: [groups.designers] });
	r = await craig.get('/api/oidc/users/me/clients?filters[hasLaunchURL]=false');
	assert.ok(r.json.data.some((c) => c.id === plain.id));
	assert.ok(!r.json.data.some((c) => c.id === nextcloud.id));
	r = await craig.get('/api/oidc/users/me/clients?filters[hasLaunchURL]=true');
	assert.deepEqual(r.json.data.map((c) => c.id), [nextcloud.id]);
	r = await admin.get('/api/oidc/users/me/clients');
	assert.ok(!r.json.data.some((c) => c.id === plain.id), 'tim is in no allowed group');

	if (haveProbe()) {
		assert.equal(await probe('covers', craigId, nextcloud.id, 'openid'), 'ok covered=0 exists=0');
		assert.equal(await probe('merge', craigId, nextcloud.id, 'openid', 'profile'), 'ok new=1');
		assert.equal(await probe('merge', craigId, nextcloud.id, 'email', 'openid', 'https://api.test\x1fread'), 'ok new=0');
		assert.equal(await probe('covers', craigId, nextcloud.id, 'openid', 'email'), 'ok covered=1 exists=1');
		assert.equal(await probe('covers', craigId, nextcloud.id), 'ok covered=1 exists=1');
		assert.equal(await probe('covers', craigId, nextcloud.id, 'openid', 'address'), 'ok covered=0 exists=1');
		assert.equal(await probe('merge', craigId, plain.id, 'openid'), 'ok new=1');
	} else {
		await cluster.psql(DB, `INSERT INTO user_authorized_oidc_clients (user_id, client_id, scope) VALUES
			('${craigId}', '${nextcloud.id}', '["email", "https://api.test\u001fread", "openid", "profile"]'),
			('${craigId}', '${plain.id}', '["openid"]')`);
	}
	await cluster.psql(DB, `UPDATE user_authorized_oidc_clients SET last_used_at = now() - interval '1 hour'
		WHERE client_id = '${plain.id}'`);
	r = await craig.get('/api/oidc/users/me/authorized-clients');
	assert.equal(r.json.pagination.totalItems, 2);
	assert.deepEqual(r.json.data.map((a) => a.client.id), [nextcloud.id, plain.id], 'most recent first');
	const a = r.json.data[0];
	assert.deepEqual(keys(a), ['client', 'lastUsedAt', 'scope']);
	assert.deepEqual(a.scope, ['email', 'https://api.test\u001fread', 'openid', 'profile']);
	assert.deepEqual(keys(a.client), META_KEYS);
	assert.ok(Date.now() - new Date(a.lastUsedAt).getTime() < 60e3);
	r = await craig.get('/api/oidc/users/me/authorized-clients?filters[hasLaunchURL]=true');
	assert.deepEqual(r.json.data.map((x) => x.client.id), [nextcloud.id]);
	r = await craig.get('/api/oidc/users/me/authorized-clients?sort[column]=lastUsedAt&sort[direction]=asc');
	assert.deepEqual(r.json.data.map((x) => x.client.id), [plain.id, nextcloud.id]);
	// The admin's view of craig's; a user that does not exist.
	r = await admin.get(`/api/oidc/users/${craigId}/authorized-clients`);
	assert.equal(r.json.pagination.totalItems, 2);
	r = await admin.get('/api/oidc/users/00000000-0000-4000-8000-000000000000/authorized-clients');
	assert.equal(r.status, 404);
	assert.equal(r.json.code, 'user_not_found');
	// My apps: used ones carry lastUsedAt and sort first, never-used last.
	r = await craig.get('/api/oidc/users/me/clients?sort[column]=lastUsedAt&sort[direction]=desc');
	assert.deepEqual(r.json.data.slice(0, 2).map((c) => c.id), [nextcloud.id, plain.id]);
	assert.ok(r.json.data.slice(2).every((c) => c.lastUsedAt === null));
	r = await craig.get('/api/oidc/users/me/clients?sort[column]=lastUsedAt&sort[direction]=asc');
	assert.deepEqual(r.json.data.slice(0, 2).map((c) => c.id), [plain.id, nextcloud.id]);
	// Revocation (the tokens' part is the token code's).
	r = await craig.del(`/api/oidc/users/me/authorized-clients/${nextcloud.id}`);
	assert.equal(r.status, 204);
	r = await craig.del(`/api/oidc/users/me/authorized-clients/${nextcloud.id}`);
	assert.equal(r.status, 404);
	assert.equal(r.json.error, 'Client authorization not found');
	r = await admin.del(`/api/oidc/users/me/authorized-clients/${plain.id}`);
	assert.equal(r.status, 404, "tim cannot revoke craig's");
	r = await craig.get('/api/oidc/users/me/authorized-clients');
	assert.deepEqual(r.json.data.map((x) => x.client.id), [plain.id]);
	r = await craig.get('/api/oidc/users/me/clients?sort[column]=name&filters[nope]=1');
	assert.equal(r.status, 400);
});

// RFC 7523 assertions from a federated identity provider that serves its
// JWKS over HTTPS from a public-looking address of this machine (the
// fetcher refuses loopback and private addresses, and plain http).
function signJwt(key, header, payload) {
	const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const input = `${enc(header)}.${enc(payload)}`;
	const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
	return `${input}.${sig.toString('base64url')}`;
}

const httpsSkip = publicHttpsUnavailable() ?? false;
test('client assertions (RFC 7523, spec §2.5): federated identities, JWKS cache, replay protection', { skip: (!haveProbe() && `no ${PROBE}`) || httpsSkip }, async (t) => {
	const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const rogue = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const jwk = { ...idp.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
	const hits = {};
	const server = await startPublicHttps('198.51.100.8', (req, res) => {
		hits[req.url] = (hits[req.url] ?? 0) + 1;
		if (req.url === '/.well-known/jwks.json' || req.url === '/custom-jwks') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ keys: [jwk] }));
		} else {
			res.writeHead(404);
			res.end();
		}
	});
	if (server.skip) {
		t.skip(server.skip);
		return;
	}
	sslCertFile = server.caFile;
	const iss = server.url;
	try {
		let r = await admin.post('/api/oidc/clients', { id: 'federated-client', name: 'Federated',
			credentials: { federatedIdentities: [
				{ issuer: iss, audience: 'api://PocketID', replayProtection: true },
				{ issuer: 'https://ci.example', subject: 'svc', jwks: `${iss}/custom-jwks` }] } });
		assert.equal(r.status, 201, r.text);
		const id = r.json.id;
		const now = Math.floor(Date.now() / 1000);
		const claims = (o = {}) => ({ iss, sub: id, aud: 'api://PocketID', exp: now + 60, iat: now,
			jti: randomUUID(), ...o });
		const jwt = (o, key = idp.privateKey, kid = 'k1') => signJwt(key, { alg: 'ES256', kid, typ: 'JWT' }, claims(o));
		const form = (assertion, clientId) => new URLSearchParams({ ...(clientId ? { client_id: clientId } : {}),
			client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
			client_assertion: assertion }).toString();
		const ok = `ok ${id} public=0`;

		const first = jwt();
		assert.equal(await probe('auth', form(first, id)), ok);
		assert.match(await probe('auth', form(first, id)), /^error verify The client assertion was already used/);
		assert.equal(await probe('auth', form(jwt())), ok, 'no client_id: the sub names the client');
		assert.match(await probe('auth', form(jwt({ aud: 'api://Other' }), id)), /^error verify /);
		assert.match(await probe('auth', form(jwt({ aud: stack.env.APP_URL }), id)), /^error verify /,
			'a configured audience replaces APP_URL');
		assert.match(await probe('auth', form(jwt({ exp: now - 120 }), id)), /^error verify /);
		assert.match(await probe('auth', form(jwt({ exp: undefined }), id)), /^error verify /);
		assert.match(await probe('auth', form(jwt({ sub: 'someone-else' }), id)), /^error verify /);
		assert.match(await probe('auth', form(jwt({ jti: undefined }), id)), /^error verify The client assertion has no jti/);
		assert.match(await probe('auth', form(jwt({ iss: 'https://unknown.example' }), id)), /^error verify /);
		assert.match(await probe('auth', form(jwt({}, rogue.privateKey), id)), /^error verify /);
		assert.match(await probe('auth', form(jwt({}, rogue.privateKey, 'k2'), id)), /^error verify /);
		const t = jwt().split('.');
		t[2] = Buffer.from(t[2], 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b)).toString('base64url');
		assert.match(await probe('auth', form(t.join('.'), id)), /^error verify /);
		assert.match(await probe('auth', form('not.a.jwt', id)), /^error verify /);
		assert.match(await probe('auth', '--header', basic(id, 'x'), form(jwt(), id)), /^error invalid /);
		// The second identity: its own JWKS URL and subject, APP_URL as audience.
		assert.equal(await probe('auth', form(jwt({ iss: 'https://ci.example', sub: 'svc',
			aud: stack.env.APP_URL }), id)), ok);
		assert.match(await probe('auth', form(jwt({ iss: 'https://ci.example', aud: stack.env.APP_URL }), id)),
			/^error verify .*subject/);
		// One fetch per JWKS, whatever was asked: the cache serves the rest.
		assert.equal(hits['/.well-known/jwks.json'], 1);
		assert.equal(hits['/custom-jwks'], 1);
		assert.equal(await cluster.psql(DB, 'SELECT count(*) FROM oidc_federated_jwks'), '2');
		// With the issuer unreachable, the cached keys still serve.
		await new Promise((res) => server.server.close(res));
		server.server.closeAllConnections();
		assert.equal(await probe('auth', form(jwt(), id)), ok);
		// Past the fresh period the keys are fetched again; a day-old copy still serves.
		await cluster.psql(DB, "UPDATE oidc_federated_jwks SET fetched_at = now() - interval '1 hour'");
		assert.equal(await probe('auth', form(jwt(), id)), ok, 'stale but under a day');
		await cluster.psql(DB, "UPDATE oidc_federated_jwks SET fetched_at = now() - interval '2 days'");
		assert.match(await probe('auth', form(jwt(), id)), /^error verify The issuer's keys could not be fetched/);
	} finally {
		sslCertFile = undefined;
		await server.stop();
	}
});

// The JWKS fetch goes through the same SSRF guard as metadata documents:
// plain http, loopback and private issuers are never fetched.
test('client assertions: JWKS only over HTTPS from public addresses', { skip: !haveProbe() && `no ${PROBE}` }, async () => {
	const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const hits = [];
	const plain = createHttpServer((req, res) => {
		hits.push(req.url);
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ keys: [{ ...idp.publicKey.export({ format: 'jwk' }), kid: 'k1' }] }));
	});
	await new Promise((r) => plain.listen(0, '127.0.0.1', r));
	const port = plain.address().port;
	try {
		const issuers = [`http://127.0.0.1:${port}`, `https://127.0.0.1:${port}`, 'https://10.1.2.3',
			'https://169.254.169.254', 'https://[::1]'];
		const r = await admin.post('/api/oidc/clients', { id: 'federated-guarded', name: 'Guarded',
			credentials: { federatedIdentities: issuers.map((issuer) => ({ issuer })) } });
		assert.equal(r.status, 201, r.text);
		const now = Math.floor(Date.now() / 1000);
		for (const iss of issuers) {
			const jwt = signJwt(idp.privateKey, { alg: 'ES256', kid: 'k1', typ: 'JWT' },
				{ iss, sub: 'federated-guarded', aud: stack.env.APP_URL, exp: now + 60, iat: now });
			const form = new URLSearchParams({ client_id: 'federated-guarded',
				client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
				client_assertion: jwt }).toString();
			assert.match(await probe('auth', form), /^error verify The issuer's keys could not be fetched/, iss);
		}
		assert.deepEqual(hits, [], 'nothing reached the loopback server');
		assert.equal(await cluster.psql(DB, "SELECT count(*) FROM oidc_federated_jwks WHERE url LIKE '%127.0.0.1%' OR url LIKE '%10.1.2.3%'"), '0');
	} finally {
		plain.close();
	}
});

test('delete: 204, then gone with its secrets, groups and consents', async () => {
	let r = await admin.del(`/api/oidc/clients/${plain.id}`);
	assert.equal(r.status, 204);
	assert.equal((await admin.get(`/api/oidc/clients/${plain.id}`)).status, 404);
	assert.equal((await admin.del(`/api/oidc/clients/${plain.id}`)).status, 404);
	const left = await cluster.psql(DB, `SELECT
		(SELECT count(*) FROM oidc_clients_allowed_user_groups WHERE oidc_client_id = '${plain.id}') +
		(SELECT count(*) FROM user_authorized_oidc_clients WHERE client_id = '${plain.id}')`);
	assert.equal(left, '0');
	r = await admin.del(`/api/oidc/clients/${nextcloud.id}`);
	assert.equal(r.status, 204);
	assert.equal(await cluster.psql(DB, `SELECT count(*) FROM oidc_client_secrets WHERE client_id = '${nextcloud.id}'`), '0');
	r = await craig.get('/api/oidc/users/me/authorized-clients');
	assert.equal(r.json.pagination.totalItems, 0);
});
