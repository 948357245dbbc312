// The device authorization grant (RFC 8628) against openid-client: the
// device authorization response, authorization_pending and slow_down
// while the user has not approved, approval through the web UI's API
// (info + verify) with the admin's session, tokens exactly once, expiry,
// unknown codes, group restriction and re-authentication.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startCluster } from './lib/pg.mjs';
import { startStack } from './lib/stack.mjs';
import { client as apiClient } from './lib/authenticator.mjs';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
let cluster, stack, admin, adminUser, rpId, rpSecret, config;

async function makeClient(body) {
	const created = await admin.post('/api/oidc/clients', { callbackURLs: ['https://rp.example/cb'],
		isPublic: false, pkceEnabled: false, ...body });
	assert.equal(created.status, 201, created.text);
	const secret = await admin.post(`/api/oidc/clients/${created.json.id}/secrets`, {});
	assert.equal(secret.status, 201, secret.text);
	return { id: created.json.id, secret: secret.json.secret };
}

before(async () => {
	cluster = await startCluster();
	stack = await startStack(await cluster.createDatabase('device'), { workers: 2 });
	admin = apiClient(stack.url);
	adminUser = (await admin.post('/api/signup/setup', { username: 'tim',
		email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' })).json;
	({ id: rpId, secret: rpSecret } = await makeClient({ name: 'Smart TV' }));
	config = await oidc.discovery(new URL(stack.url), rpId, rpSecret, undefined,
		{ execute: [oidc.allowInsecureRequests] });
});
after(async () => {
	await stack?.stop();
	await cluster?.destroy();
});

// One raw poll of the token endpoint (client_secret_post).
async function poll(deviceCode, id = rpId, secret = rpSecret) {
	const res = await fetch(`${stack.url}/api/oidc/token`, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: deviceCode,
			client_id: id, client_secret: secret }) });
	return { status: res.status, json: await res.json() };
}

const info = (code) => admin.get(`/api/oidc/device/info?code=${encodeURIComponent(code)}`);
const verify = (code) => admin.post(`/api/oidc/device/verify?code=${encodeURIComponent(code)}`);

test('discovery names the device endpoint and grant', () => {
	const md = config.serverMetadata();
	assert.equal(md.device_authorization_endpoint,
		`${stack.env.APP_URL}/api/oidc/device/authorize`);
	assert.ok(md.grant_types_supported.includes(DEVICE_GRANT));
});

test('device flow: pending, slow_down, approval, tokens once', async () => {
	const da = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile email bogus' });
	assert.match(da.device_code, /^pocket_id_dc_[A-Za-z0-9_-]{43}$/);
	assert.match(da.user_code, /^E[ABCDEFGHJKMNPQRSTUVWXYZ0-9]{7}$/);
	assert.equal(da.verification_uri, `${stack.env.APP_URL}/device`);
	assert.equal(da.verification_uri_complete, `${stack.env.APP_URL}/device?user_code=${da.user_code}`);
	assert.equal(da.expires_in, 900);
	assert.equal(da.interval, 5);
	assert.equal((await poll(da.device_code)).json.error, 'authorization_pending');
	const fast = await poll(da.device_code);
	assert.equal(fast.status, 400);
	assert.equal(fast.json.error, 'slow_down');

	// The user types the code sloppily: lower case, spaces, O for 0, I for 1.
	const typed = `  ${da.user_code.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'i')} `;
	const shown = await info(typed);
	assert.equal(shown.status, 200, shown.text);
	assert.deepEqual(shown.json.scope, ['openid', 'profile', 'email']);
	assert.deepEqual(shown.json.scopeInfo, []);
	assert.equal(shown.json.authorizationRequired, true);
	assert.equal(shown.json.reauthenticationRequired, false);
	assert.equal(shown.json.client.name, 'Smart TV');
	const ok = await verify(typed);
	assert.equal(ok.status, 204, ok.text);
	const again = await verify(da.user_code);
	assert.equal(again.status, 400);
	assert.equal(again.json.code, 'oidc_invalid_device_code');
	assert.equal((await info(da.user_code)).json.code, 'oidc_invalid_device_code');

	const tokens = await oidc.pollDeviceAuthorizationGrant(config, da);
	const claims = tokens.claims();
	assert.equal(claims.sub, adminUser.id);
	assert.deepEqual(claims.aud, [rpId]);
	assert.equal(claims.email, 'tim@example.com');
	assert.equal(tokens.scope, 'openid profile email');
	assert.ok(tokens.refresh_token.startsWith('pocket_id_rt_'));
	const user = await oidc.fetchUserInfo(config, tokens.access_token, adminUser.id);
	assert.equal(user.name, 'Tim Cook');
	const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
	assert.ok(refreshed.access_token);

	const replay = await poll(da.device_code);
	assert.equal(replay.status, 400);
	assert.equal(replay.json.error, 'invalid_grant');
	const events = await cluster.psql('device', "SELECT string_agg(event, ',' ORDER BY created_at) FROM audit_logs WHERE event LIKE '%DEVICE_CODE_AUTHORIZATION'");
	assert.equal(events, 'NEW_DEVICE_CODE_AUTHORIZATION');
});

test('with consent stored, no authorization is required the second time', async () => {
	const da = await oidc.initiateDeviceAuthorization(config, { scope: 'openid email' });
	const shown = await info(da.user_code);
	assert.equal(shown.json.authorizationRequired, false);
	assert.equal((await verify(da.user_code)).status, 204);
	const events = await cluster.psql('device', "SELECT string_agg(event, ',' ORDER BY created_at) FROM audit_logs WHERE event LIKE '%DEVICE_CODE_AUTHORIZATION'");
	assert.equal(events, 'NEW_DEVICE_CODE_AUTHORIZATION,DEVICE_CODE_AUTHORIZATION');
});

test('a device code belongs to its client', async () => {
	const other = await makeClient({ name: 'Other' });
	const da = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
	assert.equal((await verify(da.user_code)).status, 204);
	const stolen = await poll(da.device_code, other.id, other.secret);
	assert.equal(stolen.json.error, 'invalid_grant');
	const wrongSecret = await poll(da.device_code, rpId, 'not-the-secret-at-all');
	assert.equal(wrongSecret.status, 401);
	assert.equal(wrongSecret.json.error, 'invalid_client');
});

test('an expired device code is refused everywhere', async () => {
	const da = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
	await cluster.psql('device', `UPDATE oidc_device_codes SET expires_at = now() - interval '1 minute' WHERE user_code = '${da.user_code}'`);
	const shown = await info(da.user_code);
	assert.equal(shown.status, 400);
	assert.equal(shown.json.code, 'oidc_device_code_expired');
	const verified = await verify(da.user_code);
	assert.equal(verified.status, 400);
	assert.equal(verified.json.code, 'oidc_device_code_expired');
	const polled = await poll(da.device_code);
	assert.equal(polled.status, 400);
	assert.equal(polled.json.error, 'expired_token');
});

test('unknown codes', async () => {
	for (const code of ['EAAAAAAA', 'nonsense', '', 'E2345678901']) {
		const res = await info(code);
		assert.equal(res.status, 400, code);
		assert.equal(res.json.code, 'oidc_invalid_device_code');
		assert.equal((await verify(code)).json.code, 'oidc_invalid_device_code');
	}
	const polled = await poll('pocket_id_dc_unknown');
	assert.equal(polled.json.error, 'invalid_grant');
	const anonymous = await fetch(`${stack.url}/api/oidc/device/info?code=EAAAAAAA`);
	assert.equal(anonymous.status, 401);
});

test('group restriction and re-authentication are enforced at verify', async () => {
	const restricted = await makeClient({ name: 'Kiosk', isGroupRestricted: true });
	const rcfg = await oidc.discovery(new URL(stack.url), restricted.id, restricted.secret,
		undefined, { execute: [oidc.allowInsecureRequests] });
	const da = await oidc.initiateDeviceAuthorization(rcfg, { scope: 'openid' });
	const denied = await verify(da.user_code);
	assert.equal(denied.status, 403);
	assert.deepEqual(denied.json, { error: "You're not allowed to access this service." });
	assert.equal((await poll(da.device_code, restricted.id, restricted.secret)).json.error,
		'authorization_pending');

	const strict = await makeClient({ name: 'Vault', requiresReauthentication: true });
	const scfg = await oidc.discovery(new URL(stack.url), strict.id, strict.secret,
		undefined, { execute: [oidc.allowInsecureRequests] });
	const db = await oidc.initiateDeviceAuthorization(scfg, { scope: 'openid' });
	assert.equal((await info(db.user_code)).json.reauthenticationRequired, true);
	const noReauth = await verify(db.user_code);
	assert.equal(noReauth.status, 401);
	assert.equal(noReauth.json.code, 'reauthentication_required');
});
