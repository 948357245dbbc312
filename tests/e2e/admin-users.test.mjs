// The admin's users, user groups, custom claims and signup (spec §1.4-§1.6,
// §1.9), end to end through nginx and the workers: every route's success
// shape field by field against the spec's DTOs (§0.6), every documented
// error code, the guards (anonymous 401, non-admin 403), the list
// conventions (§0.5: pagination, sort, filters, search, their edge cases)
// and the concurrency rule for signup tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster } from './lib/pg.mjs';
import { startStack } from './lib/stack.mjs';
import { SoftAuthenticator, client } from './lib/authenticator.mjs';

const DB = 'adminusers';
const STATIC_KEY = 'static-api-key-for-admin-users-0123456789';
const NIL = '00000000-0000-4000-8000-000000000000';
let cluster, stack, admin, adminUser, member, memberUser, memberId;

const put = (c, path, body, headers) => c.call('PUT', path, body, headers);
const sql = (text) => cluster.psql(DB, text);
const setSetting = (key, value) => sql(`INSERT INTO app_config (key, value)
	VALUES ('${key}', '${value}') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
const resetSetting = (key) => sql(`DELETE FROM app_config WHERE key = '${key}'`);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

before(async () => {
	cluster = await startCluster();
	const url = await cluster.createDatabase(DB);
	// Sanitizer options pass through, for runs against an ASan build.
	const sanitizers = Object.fromEntries(['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']
		.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
	stack = await startStack(url, { workers: 3, env: { STATIC_API_KEY: STATIC_KEY, ...sanitizers } });
	admin = client(stack.url);
	const r = await admin.post('/api/signup/setup',
		{ username: 'tim', email: 'tim@test.com', firstName: 'Tim', lastName: 'Cook' });
	assert.equal(r.status, 200, r.text);
	adminUser = r.json;
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

// Signs in as user id with a login code made by the admin.
async function signInAs(id) {
	const code = await admin.post(`/api/users/${id}/one-time-access-token`, {});
	assert.equal(code.status, 201, code.text);
	const c = client(stack.url);
	const r = await c.call('POST', `/api/one-time-access-token/${code.json.token}`);
	assert.equal(r.status, 200, r.text);
	return c;
}

function assertUserDto(u) {
	assert.deepEqual(Object.keys(u).sort(), ['customClaims', 'disabled', 'displayName',
		'email', 'emailVerified', 'firstName', 'id', 'isAdmin', 'lastName', 'ldapId',
		'locale', 'userGroups', 'username']);
	assert.match(u.id, /^[0-9a-f-]{36}$/);
	assert.equal(typeof u.username, 'string');
	assert.ok(u.email === null || typeof u.email === 'string');
	for (const f of ['emailVerified', 'isAdmin', 'disabled']) assert.equal(typeof u[f], 'boolean', f);
	for (const f of ['firstName', 'lastName', 'displayName']) assert.equal(typeof u[f], 'string', f);
	assert.ok(u.locale === null || typeof u.locale === 'string');
	assert.ok(u.ldapId === null || typeof u.ldapId === 'string');
	assert.ok(Array.isArray(u.customClaims));
	for (const c of u.customClaims) assert.deepEqual(Object.keys(c).sort(), ['key', 'value']);
	for (const g of u.userGroups) assertGroupMinimalDto(g);
}

function assertGroupMinimalDto(g) {
	assert.deepEqual(Object.keys(g).sort(), ['createdAt', 'customClaims', 'friendlyName',
		'id', 'ldapId', 'name', 'userCount']);
	assert.equal(typeof g.userCount, 'number');
	assert.match(g.createdAt, ISO);
}

function assertGroupDto(g) {
	assert.deepEqual(Object.keys(g).sort(), ['allowedOidcClients', 'createdAt', 'customClaims',
		'friendlyName', 'id', 'ldapId', 'name', 'users']);
	assert.match(g.createdAt, ISO);
	assert.deepEqual(g.allowedOidcClients, []);
	for (const u of g.users) assertUserDto(u);
}

function assertPage(r, { items, page, pages, limit = 20 }) {
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(Object.keys(r.json).sort(), ['data', 'pagination']);
	assert.deepEqual(r.json.pagination,
		{ totalPages: pages, totalItems: items, currentPage: page, itemsPerPage: limit });
}

function assertValidation(r, fields) {
	assert.equal(r.status, 400, r.text);
	assert.equal(r.json.code, 'validation_failed');
	assert.ok(r.json.request_id);
	assert.deepEqual(r.json.details.fields.map((f) => [f.field, f.code]), fields);
	for (const f of r.json.details.fields) assert.equal(typeof f.message, 'string');
}

test('a member to play the non-admin, made by the admin', async () => {
	const r = await admin.post('/api/users', { username: 'member', email: 'member@test.com',
		firstName: 'Mem', lastName: 'Ber' });
	assert.equal(r.status, 201, r.text);
	memberId = r.json.id;
	member = await signInAs(memberId);
	memberUser = (await member.get('/api/users/me')).json;
	assert.equal(memberUser.username, 'member');
});

test('guards: anonymous 401 not_signed_in, non-admin 403 forbidden on every admin route', async () => {
	const anon = client(stack.url);
	const routes = [
		['GET', '/api/users'], ['POST', '/api/users', {}], ['GET', `/api/users/${NIL}`],
		['PUT', `/api/users/${NIL}`, {}], ['DELETE', `/api/users/${NIL}`],
		['GET', `/api/users/${NIL}/groups`], ['PUT', `/api/users/${NIL}/user-groups`, {}],
		['GET', `/api/users/${NIL}/webauthn-credentials`],
		['DELETE', `/api/users/${NIL}/webauthn-credentials/${NIL}`],
		['GET', '/api/user-groups'], ['POST', '/api/user-groups', {}],
		['GET', `/api/user-groups/${NIL}`], ['PUT', `/api/user-groups/${NIL}`, {}],
		['DELETE', `/api/user-groups/${NIL}`], ['PUT', `/api/user-groups/${NIL}/users`, {}],
		['GET', '/api/custom-claims/suggestions'], ['PUT', `/api/custom-claims/user/${NIL}`, []],
		['PUT', `/api/custom-claims/user-group/${NIL}`, []],
		['GET', '/api/signup-tokens'], ['POST', '/api/signup-tokens', {}],
		['DELETE', `/api/signup-tokens/${NIL}`],
	];
	for (const [method, path, body] of routes) {
		const a = await anon.call(method, path, body);
		assert.equal(a.status, 401, `${method} ${path}`);
		assert.equal(a.json.code, 'not_signed_in');
		const m = await member.call(method, path, body);
		assert.equal(m.status, 403, `${method} ${path}`);
		assert.equal(m.json.code, 'forbidden');
	}
	const me = await put(anon, '/api/users/me', { username: 'x' });
	assert.equal(me.status, 401);
});

test('the static API key is an admin, and its synthetic user is not listed', async () => {
	const r = await fetch(`${stack.url}/api/users`, { headers: { 'x-api-key': STATIC_KEY } });
	assert.equal(r.status, 200);
	const body = await r.json();
	assert.ok(body.data.every((u) => !u.username.startsWith('static-api-user-')));
	assert.equal(body.pagination.totalItems, 2);
});

test('POST /api/users: 201 UserDto field by field, declarative id, defaults', async () => {
	const id = '3f0e8c1a-1111-4a2b-9c3d-123456789abc';
	const r = await admin.post('/api/users', { id, username: 'Alice.Smith', email: 'alice@test.com',
		firstName: 'Alice', lastName: 'Smith', isAdmin: false, locale: 'de-DE' });
	assert.equal(r.status, 201, r.text);
	assertUserDto(r.json);
	assert.equal(r.json.id, id);
	assert.equal(r.json.username, 'Alice.Smith');
	assert.equal(r.json.email, 'alice@test.com');
	assert.equal(r.json.emailVerified, false, 'the emailsVerified setting (false)');
	assert.equal(r.json.displayName, 'Alice Smith');
	assert.equal(r.json.locale, 'de-DE');
	assert.equal(r.json.ldapId, null);
	assert.equal(r.json.disabled, false);
	assert.deepEqual(r.json.customClaims, []);
	assert.deepEqual(r.json.userGroups, []);
	const got = await admin.get(`/api/users/${id}`);
	assert.equal(got.status, 200);
	assert.deepEqual(got.json, r.json);
	// emailVerified and displayName as given; no email when not required.
	await setSetting('requireUserEmail', 'false');
	const bob = await admin.post('/api/users', { username: 'bob', emailVerified: true,
		displayName: 'Bobby', disabled: true });
	await resetSetting('requireUserEmail');
	assert.equal(bob.status, 201, bob.text);
	assert.equal(bob.json.email, null);
	assert.equal(bob.json.emailVerified, true);
	assert.equal(bob.json.displayName, 'Bobby');
	assert.equal(bob.json.disabled, true);
	assert.equal(bob.json.firstName, '');
});

test('POST /api/users: 409 already_in_use, email first, usernames case-insensitive', async () => {
	let r = await admin.post('/api/users', { username: 'ALICE.smith', email: 'other@test.com' });
	assert.equal(r.status, 409);
	assert.equal(r.json.code, 'already_in_use');
	assert.deepEqual(r.json.details, { property: 'username' });
	r = await admin.post('/api/users', { username: 'alice.smith', email: 'Alice@Test.com' });
	assert.equal(r.status, 409);
	assert.deepEqual(r.json.details, { property: 'email' });
	r = await admin.post('/api/users', { id: '3f0e8c1a-1111-4a2b-9c3d-123456789abc',
		username: 'fresh', email: 'fresh@test.com' });
	assert.equal(r.status, 409);
	assert.deepEqual(r.json.details, { property: 'id' });
});

test('POST /api/users: validation errors name every field (spec §0.3, §0.4)', async () => {
	assertValidation(await admin.post('/api/users', { email: 'x@test.com' }), [['username', 'required']]);
	assertValidation(await admin.post('/api/users', { username: 'ok' }), [['email', 'required']]);
	assertValidation(await admin.post('/api/users', { username: '-bad', email: 'nope',
		firstName: 'x'.repeat(51), lastName: 'y'.repeat(51), displayName: 'z'.repeat(101),
		id: 'not-a-uuid', locale: 'no spaces' }),
	[['id', 'invalid_format'], ['username', 'invalid_format'], ['email', 'invalid_format'],
		['firstName', 'too_long'], ['lastName', 'too_long'], ['displayName', 'too_long'],
		['locale', 'invalid_format']]);
	assertValidation(await admin.post('/api/users', { username: 'a'.repeat(51), email: 'a@test.com' }),
		[['username', 'too_long']]);
	assertValidation(await admin.post('/api/users', { username: 'ok', email: 'ok@test.com',
		isAdmin: 'yes', userGroupIds: ['nope'] }),
	[['isAdmin', 'invalid_format'], ['userGroupIds', 'invalid_format']]);
	// 50 characters is fine, and so are non-ASCII names within 50 characters.
	const r = await admin.post('/api/users', { username: 'u'.repeat(50), email: 'long@test.com',
		firstName: 'é'.repeat(50) });
	assert.equal(r.status, 201, r.text);
	assert.equal((await admin.del(`/api/users/${r.json.id}`)).status, 204);
	const one = await admin.post('/api/users', { username: 'x' });
	assert.equal(one.json.error, 'email is required');
});

test('NFC normalisation before validation and storage', async () => {
	const decomposed = 'Jose\u0301';
	const r = await admin.post('/api/users', { username: 'nfc', email: 'nfc@test.com',
		firstName: decomposed });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.firstName, 'Jos\u00e9');
	// Kelvin sign K (U+212A) normalises to a plain K, before the
	// username rule (ASCII only) is checked.
	const k = await admin.post('/api/users', { username: '\u212Aate', email: 'kate@test.com' });
	assert.equal(k.status, 201, k.text);
	assert.equal(k.json.username, 'Kate');
	await admin.del(`/api/users/${r.json.id}`);
	await admin.del(`/api/users/${k.json.id}`);
});

test('bad bodies: 400 invalid_request_body', async () => {
	let r = await admin.call('POST', '/api/users', undefined, { 'content-type': 'text/plain' });
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'invalid_request_body');
	r = await admin.call('POST', '/api/users', undefined, { 'content-type': 'application/json' });
	assert.equal(r.json.code, 'invalid_request_body');
	const raw = await fetch(`${stack.url}/api/users`, { method: 'POST',
		headers: { 'content-type': 'application/json', cookie: admin.jar.header(), origin: stack.url },
		body: '{"username": "x",' });
	assert.equal(raw.status, 400);
	assert.equal((await raw.json()).code, 'invalid_request_body');
	r = await admin.post('/api/users', ['not', 'an', 'object']);
	assert.equal(r.json.code, 'invalid_request_body');
	r = await put(admin, `/api/custom-claims/user/${memberId}`, { key: 'not an array' });
	assert.equal(r.json.code, 'invalid_request_body');
	r = await admin.call('POST', '/api/users', undefined,
		{ 'content-type': 'application/merge-patch+json' });
	assert.equal(r.json.code, 'invalid_request_body', 'an empty +json body is still not an object');
});

test('GET /api/users/:id: 404 user_not_found, also for ids that are not UUIDs', async () => {
	for (const path of [`/api/users/${NIL}`, '/api/users/nope', `/api/users/${NIL}/groups`,
		`/api/users/${NIL}/webauthn-credentials`]) {
		const r = await admin.get(path);
		assert.equal(r.status, 404, path);
		assert.equal(r.json.code, 'user_not_found');
	}
	for (const [m, b] of [['PUT', { username: 'x', email: 'x@test.com' }], ['DELETE']]) {
		const r = await admin.call(m, `/api/users/${NIL}`, b);
		assert.equal(r.status, 404);
		assert.equal(r.json.code, 'user_not_found');
	}
	const r = await put(admin, `/api/users/${NIL}/user-groups`, { userGroupIds: [] });
	assert.equal(r.json.code, 'user_not_found');
});

test('users list: pagination, clamping, sorting, filters, search (spec §0.5)', async () => {
	// tim, member, Alice.Smith, bob
	let r = await admin.get('/api/users');
	assertPage(r, { items: 4, page: 1, pages: 1 });
	for (const u of r.json.data) assertUserDto(u);
	r = await admin.get('/api/users?sort[column]=username&sort[direction]=asc');
	assert.deepEqual(r.json.data.map((u) => u.username), ['Alice.Smith', 'bob', 'member', 'tim']);
	r = await admin.get('/api/users?sort[column]=username&sort[direction]=desc&pagination[limit]=3');
	assertPage(r, { items: 4, page: 1, pages: 2, limit: 3 });
	assert.deepEqual(r.json.data.map((u) => u.username), ['tim', 'member', 'bob']);
	r = await admin.get('/api/users?sort[column]=username&sort[direction]=desc&pagination[limit]=3&pagination[page]=2');
	assertPage(r, { items: 4, page: 2, pages: 2, limit: 3 });
	assert.deepEqual(r.json.data.map((u) => u.username), ['Alice.Smith']);
	// A page past the end is clamped to the last page.
	r = await admin.get('/api/users?sort[column]=username&pagination[limit]=3&pagination[page]=99');
	assertPage(r, { items: 4, page: 2, pages: 2, limit: 3 });
	assert.deepEqual(r.json.data.map((u) => u.username), ['tim']);
	r = await admin.get('/api/users?sort[column]=isAdmin&sort[direction]=desc');
	assert.equal(r.json.data[0].username, 'tim');
	r = await admin.get('/api/users?filters[isAdmin]=true');
	assert.deepEqual(r.json.data.map((u) => u.username), ['tim']);
	r = await admin.get('/api/users?filters[disabled][0]=true&filters[disabled][1]=false&sort[column]=username');
	assert.equal(r.json.data.length, 4);
	r = await admin.get('/api/users?filters[disabled]=true&filters[emailVerified]=true');
	assert.deepEqual(r.json.data.map((u) => u.username), ['bob']);
	// search: email, first, last and user name, case-insensitive.
	r = await admin.get('/api/users?search=SMITH');
	assert.deepEqual(r.json.data.map((u) => u.username), ['Alice.Smith']);
	r = await admin.get('/api/users?search=test.com&sort[column]=email');
	assert.deepEqual(r.json.data.map((u) => u.email), ['alice@test.com', 'member@test.com', 'tim@test.com']);
	// LIKE wildcards in a search are literal.
	r = await admin.get('/api/users?search=%25');
	assertPage(r, { items: 0, page: 1, pages: 1 });
	r = await admin.get('/api/users?search=_');
	assert.equal(r.json.data.length, 0);
	r = await admin.get('/api/users?search=nobody-at-all');
	assertPage(r, { items: 0, page: 1, pages: 1 });
	assert.deepEqual(r.json.data, []);
	// Percent-encoded brackets work like plain ones.
	r = await admin.get('/api/users?sort%5Bcolumn%5D=username&pagination%5Blimit%5D=1');
	assertPage(r, { items: 4, page: 1, pages: 4, limit: 1 });
	assert.equal(r.json.data[0].username, 'Alice.Smith');
});

test('list refusals: unknown sort column, filter, bad page sizes (400 validation_failed)', async () => {
	const cases = [
		['sort[column]=password', 'sort[column]'], ['sort[column]=customClaims', 'sort[column]'],
		['sort[direction]=sideways', 'sort[direction]'], ['filters[username]=tim', 'filters'],
		['filters[isAdmin]=maybe', 'filters'], ['pagination[limit]=101', 'pagination[limit]'],
		['pagination[limit]=0', 'pagination[limit]'], ['pagination[limit]=100000000', 'pagination[limit]'],
		['pagination[page]=0', 'pagination[page]'], ['pagination[page]=abc', 'pagination[page]'],
		['pagination[offset]=3', 'pagination'], ['search=%ZZ', 'query'],
	];
	for (const [q, field] of cases) {
		const r = await admin.get(`/api/users?${q}`);
		assert.equal(r.status, 400, q);
		assert.equal(r.json.code, 'validation_failed', q);
		assert.equal(r.json.details.fields[0].field, field, q);
	}
	const r = await admin.get('/api/users?pagination[limit]=100');
	assertPage(r, { items: 4, page: 1, pages: 1, limit: 100 });
	const t = await admin.get('/api/signup-tokens?search=x');
	assert.equal(t.status, 400, 'the signup-token list has no search');
});

test('user groups: create, get, update, list, members, 404/409/400', async () => {
	const r = await admin.post('/api/user-groups', { friendlyName: 'Developers', name: 'developers' });
	assert.equal(r.status, 201, r.text);
	assertGroupDto(r.json);
	assert.equal(r.json.friendlyName, 'Developers');
	assert.equal(r.json.name, 'developers');
	assert.deepEqual(r.json.users, []);
	assert.deepEqual(r.json.customClaims, []);
	const devs = r.json.id;
	const dup = await admin.post('/api/user-groups', { friendlyName: 'Other', name: 'developers' });
	assert.equal(dup.status, 409);
	assert.equal(dup.json.code, 'already_in_use');
	assert.deepEqual(dup.json.details, { property: 'name' });
	assertValidation(await admin.post('/api/user-groups', { friendlyName: 'x', name: 'y'.repeat(256) }),
		[['friendlyName', 'too_short'], ['name', 'too_long']]);
	assertValidation(await admin.post('/api/user-groups', {}),
		[['friendlyName', 'required'], ['name', 'required']]);
	assertValidation(await admin.post('/api/user-groups', { friendlyName: 'f'.repeat(51), name: 7 }),
		[['name', 'invalid_format']]);
	assertValidation(await admin.post('/api/user-groups', { friendlyName: 'f'.repeat(51), name: 'ok' }),
		[['friendlyName', 'too_long']]);
	const ops = await admin.post('/api/user-groups', { friendlyName: 'Operations', name: 'ops' });
	assert.equal(ops.status, 201);
	const upd = await put(admin, `/api/user-groups/${ops.json.id}`, { friendlyName: 'Ops', name: 'ops' });
	assert.equal(upd.status, 200);
	assertGroupDto(upd.json);
	assert.equal(upd.json.friendlyName, 'Ops');
	const clash = await put(admin, `/api/user-groups/${ops.json.id}`, { friendlyName: 'Ops', name: 'developers' });
	assert.equal(clash.status, 409);
	for (const [m, path, body] of [['GET', `/api/user-groups/${NIL}`], ['GET', '/api/user-groups/x'],
		['PUT', `/api/user-groups/${NIL}`, { friendlyName: 'aa', name: 'bb' }],
		['DELETE', `/api/user-groups/${NIL}`], ['PUT', `/api/user-groups/${NIL}/users`, { userIds: [] }]]) {
		const nf = await admin.call(m, path, body);
		assert.equal(nf.status, 404, `${m} ${path}`);
		assert.equal(nf.json.code, 'not_found');
		assert.deepEqual(nf.json.details, { resource: 'User group' });
		assert.equal(nf.json.error, 'User group not found');
	}
	// Members: replace, unknown user 404, missing list 400.
	let m = await put(admin, `/api/user-groups/${devs}/users`, { userIds: [memberId, adminUser.id] });
	assert.equal(m.status, 200, m.text);
	assertGroupDto(m.json);
	assert.deepEqual(m.json.users.map((u) => u.username).sort(), ['member', 'tim']);
	m = await put(admin, `/api/user-groups/${devs}/users`, { userIds: [memberId, NIL] });
	assert.equal(m.status, 404);
	assert.equal(m.json.code, 'user_not_found');
	assertValidation(await put(admin, `/api/user-groups/${devs}/users`, {}), [['userIds', 'required']]);
	assertValidation(await put(admin, `/api/user-groups/${devs}/users`, { userIds: 'x' }),
		[['userIds', 'invalid_format']]);
	const got = await admin.get(`/api/user-groups/${devs}`);
	assert.equal(got.json.users.length, 2, 'the failed replacement changed nothing');
	// List: userCount, search on both names, sorted by userCount.
	let l = await admin.get('/api/user-groups?sort[column]=userCount&sort[direction]=desc');
	assertPage(l, { items: 2, page: 1, pages: 1 });
	for (const g of l.json.data) assertGroupMinimalDto(g);
	assert.deepEqual(l.json.data.map((g) => [g.name, g.userCount]), [['developers', 2], ['ops', 0]]);
	l = await admin.get('/api/user-groups?search=OPS');
	assert.deepEqual(l.json.data.map((g) => g.name), ['ops']);
	l = await admin.get('/api/user-groups?sort[column]=friendlyName');
	assert.deepEqual(l.json.data.map((g) => g.friendlyName), ['Developers', 'Ops']);
	assert.equal((await admin.get('/api/user-groups?filters[name]=ops')).status, 400);
	// A user's groups (UserGroupDto) and their replacement (UserDto).
	const ug = await admin.get(`/api/users/${memberId}/groups`);
	assert.equal(ug.status, 200);
	assert.equal(ug.json.length, 1);
	assertGroupDto(ug.json[0]);
	let set = await put(admin, `/api/users/${memberId}/user-groups`, { userGroupIds: [devs, ops.json.id] });
	assert.equal(set.status, 200, set.text);
	assertUserDto(set.json);
	assert.deepEqual(set.json.userGroups.map((g) => g.name), ['developers', 'ops']);
	set = await put(admin, `/api/users/${memberId}/user-groups`, { userGroupIds: [devs, NIL] });
	assert.equal(set.status, 404);
	assert.deepEqual(set.json.details, { resource: 'User group' });
	assertValidation(await put(admin, `/api/users/${memberId}/user-groups`, {}), [['userGroupIds', 'required']]);
	assert.equal((await admin.get(`/api/users/${memberId}`)).json.userGroups.length, 2);
	// Delete.
	assert.equal((await admin.del(`/api/user-groups/${ops.json.id}`)).status, 204);
	assert.equal((await admin.get(`/api/users/${memberId}`)).json.userGroups.length, 1);
});

test('users created without groups get the signup default groups; default claims always', async () => {
	const devs = (await admin.get('/api/user-groups?search=developers')).json.data[0].id;
	await setSetting('signupDefaultUserGroupIDs', JSON.stringify([devs, NIL]));
	await setSetting('signupDefaultCustomClaims', JSON.stringify([{ key: 'plan', value: 'basic' }]));
	try {
		let r = await admin.post('/api/users', { username: 'carol', email: 'carol@test.com' });
		assert.equal(r.status, 201, r.text);
		assert.deepEqual(r.json.userGroups.map((g) => g.name), ['developers']);
		assert.deepEqual(r.json.customClaims, [{ key: 'plan', value: 'basic' }]);
		const ops = await admin.post('/api/user-groups', { friendlyName: 'Ops', name: 'ops2' });
		r = await admin.post('/api/users', { username: 'dave', email: 'dave@test.com',
			userGroupIds: [ops.json.id] });
		assert.deepEqual(r.json.userGroups.map((g) => g.name), ['ops2']);
		assert.deepEqual(r.json.customClaims, [{ key: 'plan', value: 'basic' }]);
		const unknown = await admin.post('/api/users', { username: 'erin', email: 'erin@test.com',
			userGroupIds: [NIL] });
		assert.equal(unknown.status, 404);
		assert.deepEqual(unknown.json.details, { resource: 'User group' });
		assert.equal((await admin.get('/api/users?search=erin')).json.data.length, 0, 'nothing written');
		await admin.del(`/api/users/${r.json.id}`);
		await admin.del(`/api/user-groups/${ops.json.id}`);
	} finally {
		await resetSetting('signupDefaultUserGroupIDs');
		await resetSetting('signupDefaultCustomClaims');
	}
});

test('custom claims: replace for user and group, reserved and repeated keys, suggestions', async () => {
	let r = await put(admin, `/api/custom-claims/user/${memberId}`,
		[{ key: 'department', value: 'eng' }, { key: 'level', value: '3' }]);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, [{ key: 'department', value: 'eng' }, { key: 'level', value: '3' }]);
	r = await put(admin, `/api/custom-claims/user/${memberId}`, [{ key: 'department', value: 'ops' }]);
	assert.deepEqual(r.json, [{ key: 'department', value: 'ops' }], 'full replacement');
	assert.deepEqual((await admin.get(`/api/users/${memberId}`)).json.customClaims, r.json);
	const devs = (await admin.get('/api/user-groups?search=developers')).json.data[0].id;
	r = await put(admin, `/api/custom-claims/user-group/${devs}`, [{ key: 'department', value: 'x' }]);
	assert.equal(r.status, 200);
	assert.deepEqual((await admin.get(`/api/user-groups/${devs}`)).json.customClaims, r.json);
	for (const key of ['sub', 'email', 'groups', 'amr', 'email_verified', 'preferred_username']) {
		const bad = await put(admin, `/api/custom-claims/user/${memberId}`, [{ key, value: 'v' }]);
		assert.equal(bad.status, 400, key);
		assert.equal(bad.json.code, 'reserved_claim');
		assert.equal(bad.json.details.key, key);
		assert.deepEqual(bad.json.details.fields, [{ field: 'key', code: 'reserved', message: 'is reserved' }]);
	}
	const dup = await put(admin, `/api/custom-claims/user-group/${devs}`,
		[{ key: 'a', value: '1' }, { key: 'a', value: '2' }]);
	assert.equal(dup.status, 400);
	assert.equal(dup.json.code, 'duplicate_claim');
	assert.equal(dup.json.details.key, 'a');
	assertValidation(await put(admin, `/api/custom-claims/user/${memberId}`, [{ key: 'k' }]),
		[['value', 'required']]);
	assertValidation(await put(admin, `/api/custom-claims/user/${memberId}`, [{ key: '', value: 'v' }]),
		[['key', 'required']]);
	assertValidation(await put(admin, `/api/custom-claims/user/${memberId}`, ['x']),
		[['claims', 'invalid_format']]);
	assert.deepEqual((await admin.get(`/api/users/${memberId}`)).json.customClaims,
		[{ key: 'department', value: 'ops' }], 'refused changes wrote nothing');
	let nf = await put(admin, `/api/custom-claims/user/${NIL}`, []);
	assert.equal(nf.status, 404);
	assert.equal(nf.json.code, 'user_not_found');
	nf = await put(admin, `/api/custom-claims/user-group/${NIL}`, []);
	assert.equal(nf.status, 404);
	assert.deepEqual(nf.json.details, { resource: 'User group' });
	await put(admin, `/api/custom-claims/user/${adminUser.id}`, [{ key: 'level', value: '9' }]);
	const s = await admin.get('/api/custom-claims/suggestions');
	assert.equal(s.status, 200);
	assert.deepEqual(s.json, ['department', 'level', 'plan'], 'by usage count, then name');
	r = await put(admin, `/api/custom-claims/user/${adminUser.id}`, []);
	assert.deepEqual(r.json, []);
});

test('PUT /api/users/:id: full replacement, email change resets emailVerified, 409', async () => {
	const carol = (await admin.get('/api/users?search=carol')).json.data[0];
	let r = await put(admin, `/api/users/${carol.id}`, { username: 'carol', email: 'carol@test.com',
		emailVerified: true, firstName: 'Carol', isAdmin: true });
	assert.equal(r.status, 200, r.text);
	assertUserDto(r.json);
	assert.equal(r.json.emailVerified, true);
	assert.equal(r.json.isAdmin, true);
	assert.equal(r.json.displayName, 'Carol');
	await setSetting('emailsVerified', 'false');
	r = await put(admin, `/api/users/${carol.id}`, { username: 'carol', email: 'carol2@test.com',
		firstName: 'Carol' });
	assert.equal(r.json.email, 'carol2@test.com');
	assert.equal(r.json.emailVerified, false, 'a new email is not verified');
	assert.equal(r.json.isAdmin, false, 'full replacement');
	await setSetting('emailsVerified', 'true');
	r = await put(admin, `/api/users/${carol.id}`, { username: 'carol', email: 'carol3@test.com' });
	assert.equal(r.json.emailVerified, true, 'the emailsVerified setting');
	await resetSetting('emailsVerified');
	r = await put(admin, `/api/users/${carol.id}`, { username: 'Member', email: 'carol3@test.com' });
	assert.equal(r.status, 409);
	assert.deepEqual(r.json.details, { property: 'username' });
	r = await put(admin, `/api/users/${carol.id}`, { username: 'carol', email: 'MEMBER@test.com' });
	assert.deepEqual(r.json.details, { property: 'email' });
	assertValidation(await put(admin, `/api/users/${carol.id}`, { email: 'c@test.com' }),
		[['username', 'required']]);
	// Keeping one's own username and email is no conflict.
	r = await put(admin, `/api/users/${carol.id}`, { username: 'CAROL', email: 'carol3@test.com' });
	assert.equal(r.status, 200);
	assert.equal(r.json.username, 'CAROL');
});

test('disabling a user ends their sessions at once', async () => {
	const carol = (await admin.get('/api/users?search=carol')).json.data[0];
	const c = await signInAs(carol.id);
	assert.equal((await c.get('/api/users/me')).status, 200);
	const r = await put(admin, `/api/users/${carol.id}`, { username: 'carol', email: 'carol3@test.com',
		disabled: true });
	assert.equal(r.status, 200);
	assert.equal(r.json.disabled, true);
	assert.equal(await sql(`SELECT count(*) FROM browser_sessions WHERE user_id = '${carol.id}'`), '0');
	assert.equal((await c.get('/api/users/me')).status, 401);
	const code = await admin.post(`/api/users/${carol.id}/one-time-access-token`, {});
	const again = await client(stack.url).call('POST', `/api/one-time-access-token/${code.json.token}`);
	assert.equal(again.status, 403, 'a disabled user cannot sign in');
	assert.equal((await admin.get('/api/users?filters[disabled]=true&search=carol')).json.data.length, 1);
	await put(admin, `/api/users/${carol.id}`, { username: 'carol', email: 'carol3@test.com' });
	assert.equal((await c.get('/api/users/me')).status, 401, 're-enabling does not revive old sessions');
});

test('PUT /api/users/me: own fields only, allowOwnAccountEdit, emailVerified', async () => {
	let r = await put(member, '/api/users/me', { username: 'member', email: 'member@test.com',
		firstName: 'Mem', lastName: 'Ber', locale: 'fr', isAdmin: true, disabled: true, emailVerified: true });
	assert.equal(r.status, 200, r.text);
	assertUserDto(r.json);
	assert.equal(r.json.locale, 'fr');
	assert.equal(r.json.isAdmin, false, 'admin-only fields are ignored');
	assert.equal(r.json.disabled, false);
	assert.equal(r.json.emailVerified, false);
	await sql(`UPDATE users SET email_verified = true WHERE id = '${memberId}'`);
	r = await put(member, '/api/users/me', { username: 'member', email: 'member@test.com', locale: 'fr' });
	assert.equal(r.json.emailVerified, true, 'unchanged email stays verified');
	r = await put(member, '/api/users/me', { username: 'member', email: 'member2@test.com', locale: 'fr' });
	assert.equal(r.json.emailVerified, false, 'a new email is not');
	r = await put(member, '/api/users/me', { username: 'tim', email: 'member2@test.com' });
	assert.equal(r.status, 409);
	assertValidation(await put(member, '/api/users/me', { username: 'bad name', email: 'x' }),
		[['username', 'invalid_format'], ['email', 'invalid_format']]);
	await setSetting('allowOwnAccountEdit', 'false');
	try {
		r = await put(member, '/api/users/me', { username: 'renamed', email: 'x@test.com', locale: 'zh-CN' });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.username, 'member', 'only the locale changes');
		assert.equal(r.json.email, 'member2@test.com');
		assert.equal(r.json.locale, 'zh-CN');
	} finally {
		await resetSetting('allowOwnAccountEdit');
	}
	r = await put(member, '/api/users/me', { username: 'member', email: 'member@test.com', locale: 'en' });
	assert.equal(r.status, 200);
});

test('LDAP-managed users and groups: only the locale changes; delete and group edits refused', async () => {
	const r = await admin.post('/api/users', { username: 'ldapuser', email: 'ldap@test.com' });
	const id = r.json.id;
	const g = await admin.post('/api/user-groups', { friendlyName: 'LDAP', name: 'ldapgroup' });
	await sql(`UPDATE users SET ldap_id = 'uid=ldapuser' WHERE id = '${id}'`);
	await sql(`UPDATE user_groups SET ldap_id = 'cn=ldapgroup' WHERE id = '${g.json.id}'`);
	// LDAP disabled: ordinary rules.
	let u = await put(admin, `/api/users/${id}`, { username: 'ldapuser', email: 'ldap@test.com', firstName: 'L' });
	assert.equal(u.json.firstName, 'L');
	await setSetting('ldapEnabled', 'true');
	try {
		u = await put(admin, `/api/users/${id}`, { username: 'changed', email: 'other@test.com',
			firstName: 'X', locale: 'nl' });
		assert.equal(u.status, 200);
		assert.equal(u.json.username, 'ldapuser');
		assert.equal(u.json.firstName, 'L');
		assert.equal(u.json.locale, 'nl');
		assert.equal(u.json.ldapId, 'uid=ldapuser');
		const del = await admin.del(`/api/users/${id}`);
		assert.equal(del.status, 403);
		assert.equal(del.json.code, 'ldap_user_update');
		for (const [m, path, body] of [['PUT', `/api/user-groups/${g.json.id}`, { friendlyName: 'xx', name: 'yy' }],
			['DELETE', `/api/user-groups/${g.json.id}`], ['PUT', `/api/user-groups/${g.json.id}/users`, { userIds: [] }]]) {
			const x = await admin.call(m, path, body);
			assert.equal(x.status, 403, `${m} ${path}`);
			assert.equal(x.json.code, 'ldap_user_group_update');
		}
		// A disabled LDAP user may be deleted.
		await sql(`UPDATE users SET disabled = true WHERE id = '${id}'`);
		assert.equal((await admin.del(`/api/users/${id}`)).status, 204);
	} finally {
		await resetSetting('ldapEnabled');
	}
	assert.equal((await admin.del(`/api/user-groups/${g.json.id}`)).status, 204);
});

test('admin passkey routes: list a user\'s passkeys, delete one with an audit entry', async () => {
	const key = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url });
	const start = await member.get('/api/webauthn/register/start');
	const fin = await member.post('/api/webauthn/register/finish', key.register(start.json));
	assert.equal(fin.status, 200, fin.text);
	const list = await admin.get(`/api/users/${memberId}/webauthn-credentials`);
	assert.equal(list.status, 200);
	assert.equal(list.json.length, 1);
	const cred = list.json[0];
	for (const f of ['id', 'name', 'credentialID', 'attestationType', 'transport', 'backupEligible',
		'backupState', 'createdAt']) assert.ok(f in cred, f);
	assert.ok(Array.isArray(cred.transport));
	assert.equal(typeof cred.backupEligible, 'boolean');
	assert.match(cred.createdAt, ISO);
	assert.equal((await member.get(`/api/users/${memberId}/webauthn-credentials`)).status, 403);
	let d = await admin.del(`/api/users/${adminUser.id}/webauthn-credentials/${cred.id}`);
	assert.equal(d.status, 404, 'not that user\'s passkey');
	assert.equal(d.json.code, 'not_found');
	d = await admin.del(`/api/users/${memberId}/webauthn-credentials/nope`);
	assert.equal(d.status, 404);
	d = await admin.del(`/api/users/${memberId}/webauthn-credentials/${cred.id}`);
	assert.equal(d.status, 204);
	assert.deepEqual((await admin.get(`/api/users/${memberId}/webauthn-credentials`)).json, []);
	const audit = JSON.parse(await sql(`SELECT data FROM audit_logs WHERE event = 'PASSKEY_REMOVED'
		AND user_id = '${memberId}'`));
	assert.equal(audit.actorUserID, adminUser.id);
	assert.equal(audit.actorUsername, 'tim');
	assert.equal(audit.passkeyName, cred.name);
	assert.match(audit.credentialID, /^[0-9a-f]+$/);
});

test('DELETE /api/users/:id cascades to everything the user owns', async () => {
	const r = await admin.post('/api/users', { username: 'gone', email: 'gone@test.com' });
	const id = r.json.id;
	const devs = (await admin.get('/api/user-groups?search=developers')).json.data[0].id;
	await put(admin, `/api/users/${id}/user-groups`, { userGroupIds: [devs] });
	await put(admin, `/api/custom-claims/user/${id}`, [{ key: 'k', value: 'v' }]);
	const c = await signInAs(id);
	const key = new SoftAuthenticator({ rpId: '127.0.0.1', origin: stack.url });
	const start = await c.get('/api/webauthn/register/start');
	assert.equal((await c.post('/api/webauthn/register/finish', key.register(start.json))).status, 200);
	await sql(`INSERT INTO api_keys (id, name, key, expires_at, user_id)
		VALUES (gen_random_uuid(), 'k', 'hash-of-gone', now() + interval '1 day', '${id}')`);
	assert.equal((await admin.del(`/api/users/${id}`)).status, 204);
	const left = await sql(`SELECT (SELECT count(*) FROM user_groups_users WHERE user_id = '${id}')
		+ (SELECT count(*) FROM custom_claims WHERE user_id = '${id}')
		+ (SELECT count(*) FROM webauthn_credentials WHERE user_id = '${id}')
		+ (SELECT count(*) FROM browser_sessions WHERE user_id = '${id}')
		+ (SELECT count(*) FROM api_keys WHERE user_id = '${id}')
		+ (SELECT count(*) FROM audit_logs WHERE user_id = '${id}')`);
	assert.equal(left, '0');
	assert.equal((await c.get('/api/users/me')).status, 401);
	assert.equal((await admin.get(`/api/users/${id}`)).status, 404);
});

test('signup tokens: create (201 shape), list, expired not listed, delete, errors', async () => {
	const empty = await admin.get('/api/signup-tokens');
	assertPage(empty, { items: 0, page: 1, pages: 1 });
	assert.deepEqual(empty.json.data, []);
	const devs = (await admin.get('/api/user-groups?search=developers')).json.data[0].id;
	const r = await admin.post('/api/signup-tokens', { ttl: '24h', usageLimit: 3, userGroupIds: [devs] });
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(Object.keys(r.json).sort(), ['createdAt', 'expiresAt', 'id', 'token',
		'usageCount', 'usageLimit', 'userGroups']);
	assert.match(r.json.token, /^[a-zA-Z0-9]{16}$/);
	assert.equal(r.json.usageLimit, 3);
	assert.equal(r.json.usageCount, 0);
	assert.match(r.json.expiresAt, ISO);
	assert.match(r.json.createdAt, ISO);
	const hours = (Date.parse(r.json.expiresAt) - Date.parse(r.json.createdAt)) / 3600e3;
	assert.ok(Math.abs(hours - 24) < 0.01);
	assert.equal(r.json.userGroups.length, 1);
	assertGroupMinimalDto(r.json.userGroups[0]);
	assert.equal(await sql(`SELECT count(*) FROM signup_tokens WHERE token_hash = '${r.json.token}'`), '0',
		'only a hash is stored');
	const t2 = await admin.post('/api/signup-tokens', { ttl: 3600, usageLimit: 100 });
	assert.equal(t2.status, 201);
	assert.deepEqual(t2.json.userGroups, []);
	const t3 = await admin.post('/api/signup-tokens', { ttl: '1h', usageLimit: 1 });
	await sql(`UPDATE signup_tokens SET expires_at = now() - interval '1 second' WHERE id = '${t3.json.id}'`);
	let l = await admin.get('/api/signup-tokens?sort[column]=usageLimit&sort[direction]=desc');
	assertPage(l, { items: 2, page: 1, pages: 1 });
	assert.deepEqual(l.json.data.map((t) => t.usageLimit), [100, 3]);
	assert.equal(l.json.data[0].token, null, 'a token is shown once, when made');
	l = await admin.get('/api/signup-tokens?sort[column]=createdAt&pagination[limit]=1&pagination[page]=5');
	assertPage(l, { items: 2, page: 2, pages: 2, limit: 1 });
	assert.equal((await admin.get('/api/signup-tokens?sort[column]=token')).status, 400);
	assertValidation(await admin.post('/api/signup-tokens', {}), [['ttl', 'required'], ['usageLimit', 'required']]);
	assertValidation(await admin.post('/api/signup-tokens', { ttl: '32d', usageLimit: 0 }),
		[['ttl', 'invalid_value'], ['usageLimit', 'invalid_value']]);
	assertValidation(await admin.post('/api/signup-tokens', { ttl: '745h', usageLimit: 101 }),
		[['ttl', 'invalid_value'], ['usageLimit', 'invalid_value']]);
	assertValidation(await admin.post('/api/signup-tokens', { ttl: 1, usageLimit: '5', userGroupIds: [1] }),
		[['ttl', 'invalid_value'], ['usageLimit', 'invalid_value'], ['userGroupIds', 'invalid_format']]);
	const nf = await admin.post('/api/signup-tokens', { ttl: '1h', usageLimit: 1, userGroupIds: [NIL] });
	assert.equal(nf.status, 404);
	assert.deepEqual(nf.json.details, { resource: 'User group' });
	assert.equal((await admin.del(`/api/signup-tokens/${t2.json.id}`)).status, 204);
	assert.equal((await admin.del(`/api/signup-tokens/${t2.json.id}`)).status, 204, 'unknown: 204 too');
	assert.equal((await admin.del('/api/signup-tokens/not-a-uuid')).status, 204);
	assertPage(await admin.get('/api/signup-tokens'), { items: 1, page: 1, pages: 1 });
});

test('signup: disabled, open, with a token; defaults; session without amr; audit', async () => {
	const anon = client(stack.url);
	let r = await anon.post('/api/signup', { username: 'frank', email: 'frank@test.com' });
	assert.equal(r.status, 403);
	assert.equal(r.json.code, 'open_signup_disabled');
	await setSetting('allowUserSignups', 'withToken');
	r = await anon.post('/api/signup', { username: 'frank', email: 'frank@test.com' });
	assert.equal(r.status, 403, 'withToken without a token');
	await setSetting('allowUserSignups', 'open');
	const devs = (await admin.get('/api/user-groups?search=developers')).json.data[0].id;
	await setSetting('signupDefaultUserGroupIDs', JSON.stringify([devs]));
	await setSetting('signupDefaultCustomClaims', JSON.stringify([{ key: 'plan', value: 'free' }]));
	await setSetting('emailsVerified', 'true');
	try {
		const frank = client(stack.url);
		r = await frank.post('/api/signup', { username: 'frank', email: 'frank@test.com',
			firstName: 'Frank', lastName: 'Lee', isAdmin: true, userGroupIds: [], id: NIL });
		assert.equal(r.status, 201, r.text);
		assertUserDto(r.json);
		assert.equal(r.json.displayName, 'Frank Lee');
		assert.equal(r.json.isAdmin, false);
		assert.notEqual(r.json.id, NIL);
		assert.equal(r.json.emailVerified, true);
		assert.deepEqual(r.json.userGroups.map((g) => g.name), ['developers']);
		assert.deepEqual(r.json.customClaims, [{ key: 'plan', value: 'free' }]);
		assert.ok(frank.jar.get('access_token'), 'signed in at once');
		assert.equal((await frank.get('/api/users/me')).json.id, r.json.id);
		assert.equal(await sql(`SELECT count(*) FROM browser_sessions WHERE user_id = '${r.json.id}'
			AND amr IS NULL`), '1', 'no amr');
		assert.deepEqual(JSON.parse(await sql(`SELECT data FROM audit_logs WHERE event = 'ACCOUNT_CREATED'
			AND user_id = '${r.json.id}'`)), { method: 'open_signup' });
		r = await anon.post('/api/signup', { username: 'FRANK', email: 'f2@test.com' });
		assert.equal(r.status, 409);
		assert.deepEqual(r.json.details, { property: 'username' });
		assertValidation(await anon.post('/api/signup', { username: 'x y' }),
			[['username', 'invalid_format'], ['email', 'required']]);
		r = await anon.post('/api/signup', { username: 'gina', email: 'gina@test.com', token: 'nope' });
		assert.equal(r.status, 401, 'a token given must be valid even when signup is open');
		assert.equal(r.json.code, 'token_invalid_or_expired');
	} finally {
		await resetSetting('signupDefaultUserGroupIDs');
		await resetSetting('signupDefaultCustomClaims');
		await resetSetting('emailsVerified');
		await resetSetting('allowUserSignups');
	}
	// A token works while signups are disabled, and its groups win over the defaults.
	const ops = await admin.post('/api/user-groups', { friendlyName: 'Ops', name: 'ops3' });
	const t = await admin.post('/api/signup-tokens', { ttl: '1h', usageLimit: 1, userGroupIds: [ops.json.id] });
	await setSetting('signupDefaultUserGroupIDs', JSON.stringify([devs]));
	try {
		const gina = client(stack.url);
		r = await gina.post('/api/signup', { username: 'gina', email: 'gina@test.com', token: t.json.token });
		assert.equal(r.status, 201, r.text);
		assert.deepEqual(r.json.userGroups.map((g) => g.name), ['ops3']);
		assert.deepEqual(JSON.parse(await sql(`SELECT data FROM audit_logs WHERE event = 'ACCOUNT_CREATED'
			AND user_id = '${r.json.id}'`)), { signupTokenId: t.json.id });
	} finally {
		await resetSetting('signupDefaultUserGroupIDs');
	}
	r = await anon.post('/api/signup', { username: 'hank', email: 'hank@test.com', token: t.json.token });
	assert.equal(r.status, 401, 'used up');
	assert.equal(r.json.code, 'token_invalid_or_expired');
	const listed = (await admin.get('/api/signup-tokens')).json.data.find((x) => x.id === t.json.id);
	assert.equal(listed.usageCount, 1);
	// A refused signup does not use the token up.
	const t2 = await admin.post('/api/signup-tokens', { ttl: '1h', usageLimit: 1 });
	r = await anon.post('/api/signup', { username: 'gina', email: 'other@test.com', token: t2.json.token });
	assert.equal(r.status, 409);
	r = await anon.post('/api/signup', { username: 'ivy', email: 'ivy@test.com', token: t2.json.token });
	assert.equal(r.status, 201);
	// Expired tokens are refused.
	const t3 = await admin.post('/api/signup-tokens', { ttl: '1h', usageLimit: 5 });
	await sql(`UPDATE signup_tokens SET expires_at = now() WHERE id = '${t3.json.id}'`);
	r = await anon.post('/api/signup', { username: 'jack', email: 'jack@test.com', token: t3.json.token });
	assert.equal(r.status, 401);
});

test('20 concurrent signups on a token with limit 5 create exactly 5 users', async () => {
	const t = await admin.post('/api/signup-tokens', { ttl: '1h', usageLimit: 5 });
	const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
		client(stack.url).post('/api/signup', { username: `rush${i}`, email: `rush${i}@test.com`,
			token: t.json.token })));
	const created = results.filter((r) => r.status === 201);
	assert.equal(created.length, 5, results.map((r) => r.status).join(','));
	for (const r of results.filter((x) => x.status !== 201)) {
		assert.equal(r.status, 401);
		assert.equal(r.json.code, 'token_invalid_or_expired');
	}
	assert.equal(await sql("SELECT count(*) FROM users WHERE username LIKE 'rush%'"), '5');
	assert.equal(await sql(`SELECT usage_count FROM signup_tokens WHERE id = '${t.json.id}'`), '5');
});
