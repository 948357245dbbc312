// Images end to end through nginx and the workers (spec §1.5 profile
// pictures, §1.7 client logos, §1.11 application images, §5.5 storage):
// multipart uploads, what comes back (type, size, headers), the type and
// size rules, the guards, deletes, cleanup with the user or client, and
// the application-configuration.spec.ts image behaviours of spec §10.3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster } from './lib/pg.mjs';
import { startStack } from './lib/stack.mjs';
import { client } from './lib/authenticator.mjs';
import { png } from './lib/images.mjs';

const DB = 'images';
let cluster, stack, admin, tim, craig, craigId;
const sql = (text) => cluster.psql(DB, text);

// ---- image bytes ------------------------------------------------------
// A 16x12 JPEG made with libgd.
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQEAYABgAAD//gA7Q1JFQVRPUjogZ2QtanBlZyB2MS4wICh1c2luZyBJSkcgSlBFRyB2NjIpLCBxdWFsaXR5ID0gNzAK/9sAQwAKBwcIBwYKCAgICwoKCw4YEA4NDQ4dFRYRGCMfJSQiHyIhJis3LyYpNCkhIjBBMTQ5Oz4+PiUuRElDPEg3PT47/9sAQwEKCwsODQ4cEBAcOygiKDs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7/8AAEQgADAAQAwEiAAIRAQMRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1LwFWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAAwDAQACEQMRAD8A8wrIrXrIr7Pir/lz/wBvf+2nPQ6n/9k=', 'base64');
// The same with an EXIF APP1 segment right after SOI.
function jpegWithExif() {
	const body = Buffer.concat([Buffer.from('Exif\0\0MM\0\x2a\0\0\0\x08', 'latin1'), Buffer.from('GPS-SECRET')]);
	const seg = Buffer.alloc(4);
	seg[0] = 0xff; seg[1] = 0xe1; seg.writeUInt16BE(body.length + 2, 2);
	return Buffer.concat([JPEG.subarray(0, 2), seg, body, JPEG.subarray(2)]);
}
const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" ' +
	'width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>\n');
const ICO = (() => {
	// ICONDIR + one entry holding a PNG (Vista-style ICO).
	const p = png(16, 16);
	const head = Buffer.alloc(22);
	head.writeUInt16LE(0, 0); head.writeUInt16LE(1, 2); head.writeUInt16LE(1, 4);
	head[6] = 16; head[7] = 16; head.writeUInt16LE(1, 10); head.writeUInt16LE(32, 12);
	head.writeUInt32LE(p.length, 14); head.writeUInt32LE(22, 18);
	return Buffer.concat([head, p]);
})();

function ihdr(buf) {
	assert.equal(buf.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG');
	assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR');
	return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

// ---- HTTP ---------------------------------------------------------------
// Sends bytes as the form field "file" (or another name) with fetch's
// FormData, authenticated as c (a client() with its cookie jar) or nobody.
async function upload(c, method, path, bytes, filename, { field = 'file', type = 'application/octet-stream' } = {}) {
	const form = new FormData();
	form.append(field, new Blob([bytes], { type }), filename);
	const headers = { origin: stack.url };
	if (c && c.jar.cookies.size > 0) headers.cookie = c.jar.header();
	const res = await fetch(stack.url + path, { method, body: form, headers });
	const text = await res.text();
	let json;
	try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
	return { status: res.status, json, text, headers: res.headers };
}
async function getBytes(c, path) {
	const headers = {};
	if (c && c.jar.cookies.size > 0) headers.cookie = c.jar.header();
	const res = await fetch(stack.url + path, { headers });
	const body = Buffer.from(await res.arrayBuffer());
	let json;
	try { json = JSON.parse(body.toString('utf8')); } catch { json = undefined; }
	return { status: res.status, body, json, headers: res.headers };
}
const del = (c, path) => c.del(path);

before(async () => {
	cluster = await startCluster();
	const url = await cluster.createDatabase(DB);
	const sanitizers = Object.fromEntries(['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']
		.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
	stack = await startStack(url, { workers: 2, env: sanitizers });
	admin = client(stack.url);
	let r = await admin.post('/api/signup/setup',
		{ username: 'tim', email: 'tim@test.com', firstName: 'Tim', lastName: 'Cook' });
	assert.equal(r.status, 200, r.text);
	tim = r.json;
	r = await admin.post('/api/users', { username: 'craig', email: 'craig@test.com',
		firstName: 'Craig', lastName: 'Federighi' });
	assert.equal(r.status, 201, r.text);
	craigId = r.json.id;
	const code = await admin.post(`/api/users/${craigId}/one-time-access-token`, {});
	assert.equal(code.status, 201, code.text);
	craig = client(stack.url);
	r = await craig.call('POST', `/api/one-time-access-token/${code.json.token}`);
	assert.equal(r.status, 200, r.text);
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

test('guards: anonymous 401, non-admin 403 on admin routes', async () => {
	const anon = null;
	for (const [m, p] of [['PUT', '/api/application-images/logo'], ['PUT', '/api/users/me/profile-picture'],
		['PUT', `/api/users/${craigId}/profile-picture`], ['POST', '/api/oidc/clients/x/logo']]) {
		const r = await upload(anon, m, p, png(4, 4), 'a.png');
		assert.equal(r.status, 401, p);
		assert.equal(r.json.code, 'not_signed_in');
	}
	for (const [m, p] of [['PUT', '/api/application-images/logo'], ['PUT', `/api/users/${tim.id}/profile-picture`],
		['POST', '/api/oidc/clients/x/logo']]) {
		const r = await upload(craig, m, p, png(4, 4), 'a.png');
		assert.equal(r.status, 403, p);
		assert.equal(r.json.code, 'forbidden');
	}
	for (const p of ['/api/application-images/logo', '/api/oidc/clients/x/logo',
		`/api/users/${tim.id}/profile-picture`]) {
		assert.equal((await client(stack.url).del(p)).status, 401, p);
		assert.equal((await craig.del(p)).status, 403, p);
	}
	assert.equal((await client(stack.url).del('/api/users/me/profile-picture')).status, 401);
	assert.equal((await getBytes(null, '/api/application-images/default-profile-picture')).status, 401);
	assert.equal((await getBytes(craig, '/api/application-images/default-profile-picture')).status, 403);
});

test('no picture: a generated initials avatar, a 300x300 PNG, cached in storage', async () => {
	const r = await getBytes(null, `/api/users/${tim.id}/profile-picture.png`);
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'image/png');
	assert.equal(r.headers.get('cache-control'), 'public, max-age=900, stale-while-revalidate=3600');
	assert.deepEqual(ihdr(r.body), { width: 300, height: 300 });
	assert.equal(await sql("SELECT count(*) FROM storage WHERE path = 'profile-pictures/defaults/TC.png'"), '1');
	const again = await getBytes(null, `/api/users/${tim.id}/profile-picture.png?skipCache=1`);
	assert.equal(again.status, 200);
	assert.ok(again.body.equals(r.body), 'served from the cache');
	assert.doesNotMatch(again.headers.get('cache-control'), /public/);
});

test('profile picture: bad ids', async () => {
	let r = await getBytes(null, '/api/users/not-a-uuid/profile-picture.png');
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'validation_failed');
	assert.equal(r.json.details.fields[0].field, 'userId');
	r = await getBytes(null, '/api/users/00000000-0000-4000-8000-000000000000/profile-picture.png');
	assert.equal(r.status, 404);
	assert.equal(r.json.code, 'user_not_found');
	r = await upload(admin, 'PUT', '/api/users/00000000-0000-4000-8000-000000000000/profile-picture', png(8, 8), 'a.png');
	assert.equal(r.status, 404);
	assert.equal(r.json.code, 'user_not_found');
	r = await upload(admin, 'PUT', '/api/users/nope/profile-picture', png(8, 8), 'a.png');
	assert.equal(r.status, 400);
	assert.equal(r.json.details.fields[0].field, 'userId');
});

test('profile picture: own upload is cropped to 300x300, delete reverts', async () => {
	const before = await getBytes(null, `/api/users/${craigId}/profile-picture.png`);
	let r = await upload(craig, 'PUT', '/api/users/me/profile-picture', png(640, 200), 'me.png', { type: 'image/png' });
	assert.equal(r.status, 204, r.text);
	const pic = await getBytes(null, `/api/users/${craigId}/profile-picture.png`);
	assert.equal(pic.status, 200);
	assert.deepEqual(ihdr(pic.body), { width: 300, height: 300 });
	assert.ok(!pic.body.equals(before.body));
	// The centre square of a red|blue picture: left red, right blue.
	r = await del(craig, '/api/users/me/profile-picture');
	assert.equal(r.status, 204);
	const after_ = await getBytes(null, `/api/users/${craigId}/profile-picture.png`);
	assert.ok(after_.body.equals(before.body), 'back to the initials');
	// Deleting when there is none is still fine.
	assert.equal((await del(craig, '/api/users/me/profile-picture')).status, 204);
});

test('profile picture: admin uploads a JPEG for a user, EXIF never stored', async () => {
	let r = await upload(admin, 'PUT', `/api/users/${tim.id}/profile-picture`, jpegWithExif(), 'p.jpg');
	assert.equal(r.status, 204, r.text);
	const pic = await getBytes(null, `/api/users/${tim.id}/profile-picture.png`);
	assert.deepEqual(ihdr(pic.body), { width: 300, height: 300 });
	assert.equal(pic.body.indexOf('GPS-SECRET'), -1);
	assert.equal(await sql(`SELECT count(*) FROM storage WHERE path = 'profile-pictures/${tim.id}.png'`), '1');
	r = await del(admin, `/api/users/${tim.id}/profile-picture`);
	assert.equal(r.status, 204);
	assert.equal(await sql(`SELECT count(*) FROM storage WHERE path = 'profile-pictures/${tim.id}.png'`), '0');
});

test('uploads: types refused, bad bytes, missing field, too large', async () => {
	const me = '/api/users/me/profile-picture';
	let r = await upload(craig, 'PUT', me, Buffer.from('hello'), 'a.txt');
	assert.equal(r.status, 415);
	assert.equal(r.json.code, 'file_type_not_supported');
	r = await upload(craig, 'PUT', me, SVG, 'a.png');
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'invalid_image');
	r = await upload(craig, 'PUT', me, Buffer.concat([png(8, 8).subarray(0, 40), Buffer.alloc(20)]), 'a.png');
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'invalid_image');
	r = await upload(craig, 'PUT', me, SVG, 'a.svg');
	assert.equal(r.status, 400, 'an SVG is not a picture we can crop');
	assert.equal(r.json.code, 'invalid_image');
	r = await upload(craig, 'PUT', me, png(8, 8), 'a.png', { field: 'picture' });
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'validation_failed');
	assert.equal(r.json.details.fields[0].field, 'file');
	r = await craig.call('PUT', me, { file: 'x' });
	assert.equal(r.status, 400);
	const big = Buffer.concat([png(8, 8), Buffer.alloc(2 * 1024 * 1024)]);
	r = await upload(craig, 'PUT', me, big, 'big.png');
	assert.equal(r.status, 413);
	assert.equal(r.json.code, 'file_too_large');
	r = await upload(admin, 'PUT', '/api/application-images/background', big, 'big.png');
	assert.equal(r.status, 413);
	assert.equal(r.json.code, 'file_too_large');
	// Far over: nginx refuses before the workers see it.
	r = await upload(admin, 'PUT', '/api/application-images/background', Buffer.alloc(3 * 1024 * 1024), 'huge.png');
	assert.equal(r.status, 413);
});

test('application images (application-configuration.spec.ts): upload, fetch, reset', async () => {
	const uploads = [['favicon', ICO, 'favicon.ico', 'image/x-icon'], ['logo?light=true', png(40, 20), 'light.png', 'image/png'],
		['logo?light=false', JPEG, 'dark.jpg', 'image/jpeg'], ['email', png(30, 30), 'email.png', 'image/png'],
		['background', jpegWithExif(), 'bg.jpeg', 'image/jpeg'], ['default-profile-picture', png(500, 500), 'd.png', 'image/png']];
	for (const [name, bytes, filename] of uploads) {
		const r = await upload(admin, 'PUT', `/api/application-images/${name}`, bytes, filename);
		assert.equal(r.status, 204, `${name}: ${r.text}`);
	}
	for (const [name, bytes, , type] of uploads) {
		const r = await getBytes(admin, `/api/application-images/${name}`);
		assert.equal(r.status, 200, name);
		assert.equal(r.headers.get('content-type'), type, name);
		assert.equal(r.headers.get('cache-control'), 'public, max-age=900, stale-while-revalidate=86400', name);
		if (name === 'favicon') assert.ok(r.body.equals(bytes), 'ICO kept as uploaded');
	}
	const bg = await getBytes(null, '/api/application-images/background');
	assert.equal(bg.body.indexOf('Exif'), -1, 'EXIF stripped');
	assert.equal(bg.body.indexOf('GPS-SECRET'), -1);
	assert.equal(bg.body[0], 0xff);
	// The default profile picture is what a user without one gets.
	const dpp = await getBytes(admin, '/api/application-images/default-profile-picture');
	assert.deepEqual(ihdr(dpp.body), { width: 300, height: 300 });
	const craigPic = await getBytes(null, `/api/users/${craigId}/profile-picture.png`);
	assert.ok(craigPic.body.equals(dpp.body));
	// Resetting both logos: 204 each, then 404.
	for (const light of ['true', 'false']) {
		let r = await admin.del(`/api/application-images/logo?light=${light}`);
		assert.equal(r.status, 204);
		r = await getBytes(null, `/api/application-images/logo?light=${light}`);
		assert.equal(r.status, 404);
		assert.equal(r.json.code, 'image_not_found');
		r = await admin.del(`/api/application-images/logo?light=${light}`);
		assert.equal(r.status, 404);
		assert.equal(r.json.code, 'image_not_found');
	}
	// SVG as the email logo.
	let r = await upload(admin, 'PUT', '/api/application-images/email', SVG, 'logo.svg');
	assert.equal(r.status, 415);
	assert.equal(r.json.code, 'file_type_not_supported');
	assert.equal(r.json.error, 'File must be of type PNG or JPEG');
	r = await upload(admin, 'PUT', '/api/application-images/favicon', JPEG, 'f.jpg');
	assert.equal(r.status, 415);
	// Replacing an image with another type leaves one object.
	r = await upload(admin, 'PUT', '/api/application-images/email', JPEG, 'e.jpg');
	assert.equal(r.status, 204);
	assert.equal(await sql("SELECT string_agg(path, ',') FROM storage WHERE path LIKE 'application-images/logoEmail.%'"),
		'application-images/logoEmail.jpg');
	// The email logo and favicon cannot be deleted; unknown names are 404.
	assert.equal((await admin.del('/api/application-images/email')).status, 404);
	assert.equal((await getBytes(null, '/api/application-images/nope')).status, 404);
	// Deleting the default profile picture brings the initials back.
	assert.equal((await admin.del('/api/application-images/default-profile-picture')).status, 204);
	assert.equal((await getBytes(admin, '/api/application-images/default-profile-picture')).status, 404);
	const initials = await getBytes(null, `/api/users/${craigId}/profile-picture.png`);
	assert.ok(!initials.body.equals(dpp.body));
	assert.equal(await sql("SELECT count(*) FROM storage WHERE path = 'profile-pictures/defaults/CF.png'"), '1');
});

test('an uploaded SVG is served with a CSP that forbids script', async () => {
	let r = await upload(admin, 'PUT', '/api/application-images/logo?light=true', SVG, 'logo.svg');
	assert.equal(r.status, 204, r.text);
	r = await getBytes(null, '/api/application-images/logo');
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'image/svg+xml');
	assert.match(r.headers.get('content-security-policy'), /default-src 'none'; style-src 'unsafe-inline'; sandbox/);
	assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
	assert.ok(r.body.equals(SVG));
});

test('client logos: upload, hasLogo/hasDarkLogo, dark fallback, delete, gone with the client', async () => {
	let r = await admin.post('/api/oidc/clients', { name: 'Logo app', callbackURLs: ['https://app.test/cb'] });
	assert.equal(r.status, 201, r.text);
	const id = r.json.id;
	assert.equal(r.json.hasLogo, false);
	assert.equal(r.json.hasDarkLogo, false);
	r = await getBytes(null, `/api/oidc/clients/${id}/logo`);
	assert.equal(r.status, 404);
	assert.equal(r.json.code, 'image_not_found');
	r = await upload(admin, 'POST', `/api/oidc/clients/${id}/logo?light=true`, png(64, 64), 'logo.png');
	assert.equal(r.status, 204, r.text);
	r = await admin.get(`/api/oidc/clients/${id}`);
	assert.equal(r.json.hasLogo, true);
	assert.equal(r.json.hasDarkLogo, false);
	r = await admin.get(`/api/oidc/clients/${id}/meta`);
	assert.equal(r.json.hasLogo, true);
	// Dark requested, none: the light one.
	r = await getBytes(null, `/api/oidc/clients/${id}/logo?light=false`);
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'image/png');
	assert.equal(r.headers.get('cache-control'), 'public, max-age=900, stale-while-revalidate=43200');
	assert.deepEqual(ihdr(r.body), { width: 64, height: 64 });
	r = await upload(admin, 'POST', `/api/oidc/clients/${id}/logo?light=false`, JPEG, 'dark.jpg');
	assert.equal(r.status, 204, r.text);
	r = await admin.get(`/api/oidc/clients/${id}/meta`);
	assert.equal(r.json.hasDarkLogo, true);
	r = await getBytes(null, `/api/oidc/clients/${id}/logo?light=false`);
	assert.equal(r.headers.get('content-type'), 'image/jpeg');
	// Replacing the light logo with an SVG drops the PNG object.
	r = await upload(admin, 'POST', `/api/oidc/clients/${id}/logo`, SVG, 'logo.svg');
	assert.equal(r.status, 204, r.text);
	assert.equal(await sql(`SELECT string_agg(path, ',' ORDER BY path) FROM storage WHERE path LIKE 'oidc-client-images/%'`),
		`oidc-client-images/${id}-dark.jpg,oidc-client-images/${id}.svg`);
	r = await getBytes(null, `/api/oidc/clients/${id}/logo`);
	assert.equal(r.headers.get('content-type'), 'image/svg+xml');
	assert.match(r.headers.get('content-security-policy'), /sandbox/);
	// Refusals.
	r = await upload(admin, 'POST', `/api/oidc/clients/${id}/logo`, Buffer.from('x'), 'logo.txt');
	assert.equal(r.status, 415);
	r = await upload(admin, 'POST', `/api/oidc/clients/${id}/logo`,
		Buffer.concat([png(8, 8), Buffer.alloc(2 * 1024 * 1024)]), 'logo.png');
	assert.equal(r.status, 413);
	assert.equal(r.json.code, 'file_too_large');
	r = await upload(admin, 'POST', '/api/oidc/clients/no-such-client/logo', png(8, 8), 'logo.png');
	assert.equal(r.status, 404);
	// Delete light: 204, then 404; the dark one stays.
	r = await admin.del(`/api/oidc/clients/${id}/logo?light=true`);
	assert.equal(r.status, 204);
	r = await admin.del(`/api/oidc/clients/${id}/logo?light=true`);
	assert.equal(r.status, 404);
	assert.equal(r.json.code, 'image_not_found');
	r = await admin.get(`/api/oidc/clients/${id}/meta`);
	assert.equal(r.json.hasLogo, false);
	assert.equal(r.json.hasDarkLogo, true);
	r = await getBytes(null, `/api/oidc/clients/${id}/logo?light=true`);
	assert.equal(r.status, 404);
	// Deleting the client deletes its images.
	assert.equal((await admin.del(`/api/oidc/clients/${id}`)).status, 204);
	assert.equal(await sql("SELECT count(*) FROM storage WHERE path LIKE 'oidc-client-images/%'"), '0');
});

test("deleting a user deletes the user's picture", async () => {
	let r = await upload(admin, 'PUT', `/api/users/${craigId}/profile-picture`, png(10, 10), 'c.png');
	assert.equal(r.status, 204, r.text);
	assert.equal(await sql(`SELECT count(*) FROM storage WHERE path = 'profile-pictures/${craigId}.png'`), '1');
	r = await admin.del(`/api/users/${craigId}`);
	assert.equal(r.status, 204, r.text);
	assert.equal(await sql(`SELECT count(*) FROM storage WHERE path = 'profile-pictures/${craigId}.png'`), '0');
	r = await getBytes(null, `/api/users/${craigId}/profile-picture.png`);
	assert.equal(r.status, 404);
});

test('the workers reported no sanitizer error and no crash', () => {
	const out = stack.daemon.output;
	assert.doesNotMatch(out, /AddressSanitizer|runtime error:|LeakSanitizer/);
	assert.doesNotMatch(out, /worker (died of signal|exited with status)/);
});
