// Development only: canned answers in the shapes of spec §1 so that pages
// can be looked at, and the browser side of passkeys exercised, without the
// backend. The real contract is the spec. A login code "123456" signs in
// (cookie). The WebAuthn finish endpoints check what the browser sent the
// way a relying party must (type, challenge, origin, and for sign-in the
// ES256/EdDSA signature against the key stored at registration), so a
// byte lost in base64url shows up here; they skip attestation, rpIdHash,
// flags and counters, which are the backend's job.
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const unb64url = (s) => {
	if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('not base64url: ' + s);
	return Buffer.from(s, 'base64url');
};
let challenge = '';
let lastSignIn = 0;
const keys = new Map(); // credential id (base64url) → KeyObject
const USER = {
	id: 'f4b89dc2-62fb-46bf-9f5f-c34f4eafe93e',
	username: 'tim',
	email: 'tim.cook@test.com',
	emailVerified: true,
	firstName: 'Tim',
	lastName: 'Cook',
	displayName: 'Tim Cook',
	isAdmin: true,
	locale: null,
	customClaims: [],
	userGroups: [],
	ldapId: null,
	disabled: false,
};

const CONFIG = [
	{ key: 'appName', type: '', value: 'Pocket ID' },
	{ key: 'homePageUrl', type: '', value: '/settings/account' },
	{ key: 'accentColor', type: '', value: 'default' },
	{ key: 'requireUserEmail', type: '', value: 'true' },
	{ key: 'uiConfigDisabled', type: 'boolean', value: 'false' },
];

const passkeys = [
	{ id: 'c1', name: 'iCloud Keychain', credentialID: '', attestationType: 'none', transport: ['internal', 'hybrid'], backupEligible: true, backupState: true, createdAt: '2025-11-02T09:14:00Z' },
	{ id: 'c2', name: 'YubiKey 5 NFC', credentialID: '', attestationType: 'none', transport: ['usb', 'nfc'], backupEligible: false, backupState: false, createdAt: '2026-01-20T17:40:00Z' },
];

const sessions = [
	{ id: 's1', current: true, device: 'Chrome on Linux', ipAddress: '127.0.0.1', createdAt: '2026-03-01T08:00:00Z', lastSeenAt: '2026-03-01T09:30:00Z' },
	{ id: 's2', current: false, device: 'Safari on iOS 18', ipAddress: '192.0.2.44', createdAt: '2026-02-27T19:12:00Z', lastSeenAt: '2026-02-28T07:03:00Z' },
];

const CLIENT = { id: '606c7782-f2b1-49e5-8ea9-26eb1b06d018', name: 'Immich', description: 'Photo and video backup', hasLogo: false, hasDarkLogo: false, launchURL: null, requiresReauthentication: false, clientType: 'standard' };

const err = (status, code, error) => ({ status, body: { error, code, request_id: '00000000-0000-4000-8000-000000000000' } });

export function mockApi(mode, method, url, body, cookie) {
	const signedIn = mode === 'signed-in' || /(^|;\s*)mock_session=1/.test(cookie);
	const p = url.pathname.replace(/^\/api/, '');
	const route = method + ' ' + p;
	if (route === 'GET /application-configuration') return { status: 200, body: CONFIG };
	if (route === 'GET /users/me') return signedIn ? { status: 200, body: USER } : err(401, 'not_signed_in', 'You are not signed in');
	if (route === 'GET /signup/setup') return { status: 204 };
	if (route === 'POST /signup/setup') return { status: 200, body: { ...USER, ...JSON.parse(body || '{}') }, cookie: 'mock_session=1; Path=/' };
	if (route.startsWith('POST /one-time-access-token/'))
		return p.endsWith('/123456')
			? { status: 200, body: USER, cookie: 'mock_session=1; Path=/' }
			: err(401, 'token_invalid_or_expired', 'Token is invalid or expired');
	if (route === 'POST /webauthn/logout') return { status: 204, cookie: 'mock_session=; Path=/; Max-Age=0' };
	if (route === 'GET /webauthn/login/start') {
		challenge = b64url(randomBytes(32));
		return { status: 200, body: { publicKey: { challenge, timeout: 60000, rpId: url.hostname, userVerification: 'required' } } };
	}
	if (route === 'POST /webauthn/login/finish' || (route === 'POST /webauthn/reauthenticate' && body)) {
		try {
			checkAssertion(JSON.parse(body), url);
		} catch (e) {
			return err(401, 'webauthn_authentication_failed', 'Mock: ' + e.message);
		}
		if (route === 'POST /webauthn/reauthenticate') return { status: 204 };
		lastSignIn = Date.now();
		return { status: 200, body: USER, cookie: 'mock_session=1; Path=/' };
	}
	if (route === 'POST /webauthn/reauthenticate')
		return Date.now() - lastSignIn < 60000 ? { status: 204 } : err(401, 'reauthentication_required', 'Reauthentication required');
	if (!signedIn && !p.startsWith('/oidc/interactions/')) return err(401, 'not_signed_in', 'You are not signed in');
	if (route === 'GET /webauthn/credentials') return { status: 200, body: passkeys };
	if (route === 'GET /webauthn/register/start') {
		challenge = b64url(randomBytes(32));
		return {
			status: 200,
			body: {
				publicKey: {
					rp: { name: 'Pocket ID', id: url.hostname },
					user: { name: USER.username, displayName: USER.displayName, id: b64url(Buffer.from(USER.id)) },
					challenge,
					pubKeyCredParams: [-7, -8, -257].map((alg) => ({ type: 'public-key', alg })),
					timeout: 60000,
					excludeCredentials: [...keys.keys()].map((id) => ({ type: 'public-key', id })),
					authenticatorSelection: { requireResidentKey: true, residentKey: 'required', userVerification: 'required' },
					attestation: 'none',
					extensions: { credProps: true },
				},
			},
		};
	}
	if (route === 'POST /webauthn/register/finish') {
		let dto;
		try {
			dto = checkRegistration(JSON.parse(body), url);
		} catch (e) {
			return err(400, 'invalid_webauthn_response', 'Mock: ' + e.message);
		}
		passkeys.push(dto);
		return { status: 200, body: dto };
	}
	if (method === 'POST' && /^\/oidc\/interactions\/[^/]+\/complete$/.test(p)) {
		const id = p.split('/')[3];
		const step = JSON.parse(body || '{}').step;
		if (id.startsWith('step-') && step !== id.slice(5))
			return err(400, 'validation_failed', `expected interaction step ${id.slice(5)} but got ${step}`);
		return { status: 200, body: { redirectUrl: '/authorize?interaction=' + id } };
	}
	if (method === 'POST' && p === '/oidc/device/verify') return { status: 204 };
	if (route === 'GET /users/me/sessions') return { status: 200, body: sessions };
	if (method === 'DELETE' && p.startsWith('/webauthn/credentials/')) {
		const i = passkeys.findIndex((x) => p.endsWith('/' + x.id));
		if (i < 0) return err(404, 'not_found', 'Passkey not found');
		passkeys.splice(i, 1);
		return { status: 204 };
	}
	if (method === 'DELETE') return { status: 204 };
	if (method === 'PATCH' && p.startsWith('/webauthn/credentials/')) {
		const pk = passkeys.find((x) => p.endsWith('/' + x.id));
		if (pk) pk.name = JSON.parse(body).name;
		return pk ? { status: 200, body: pk } : err(404, 'not_found', 'Passkey not found');
	}
	if (route.startsWith('GET /oidc/interactions/')) {
		const id = p.split('/').pop();
		if (id === 'expired') return err(404, 'not_found', 'OIDC interaction not found or expired');
		const step = url.searchParams.get('step') || (id.startsWith('step-') ? id.slice(5) : 'consent');
		return {
			status: 200,
			body: {
				id,
				scopes: ['openid', 'profile', 'email', 'offline_access', 'read:orders'],
				scopeInfo: [{ key: 'read:orders', name: 'Read orders', description: 'See your orders in the Orders API' }],
				client: CLIENT,
				currentStep: step,
				requiredSteps: [step],
			},
		};
	}
	if (route === 'GET /oidc/device/info')
		return { status: 200, body: { scope: ['openid', 'profile', 'email'], scopeInfo: [], authorizationRequired: true, reauthenticationRequired: false, client: CLIENT } };
	return err(404, 'not_found', 'Mock: no answer for ' + route);
}

function clientData(json, type, url) {
	const cd = JSON.parse(unb64url(json.response.clientDataJSON).toString('utf8'));
	if (cd.type !== type) throw new Error('clientData.type ' + cd.type);
	if (!challenge || cd.challenge !== challenge) throw new Error('challenge mismatch');
	if (cd.origin !== url.origin) throw new Error('origin ' + cd.origin + ' is not ' + url.origin);
	challenge = '';
	return cd;
}

function checkRegistration(json, url) {
	if (json.type !== 'public-key' || json.id !== json.rawId) throw new Error('id/rawId/type');
	unb64url(json.rawId);
	clientData(json, 'webauthn.create', url);
	if (!unb64url(json.response.attestationObject).length) throw new Error('empty attestationObject');
	if (!Array.isArray(json.response.transports)) throw new Error('transports');
	if (!json.response.publicKey) throw new Error('no publicKey (mock needs the Level 3 getter)');
	keys.set(json.id, createPublicKey({ key: unb64url(json.response.publicKey), format: 'der', type: 'spki' }));
	const now = new Date().toISOString();
	return { id: 'c' + Date.now(), name: 'New Passkey', credentialID: '', attestationType: 'none', transport: json.response.transports, backupEligible: false, backupState: false, createdAt: now };
}

function checkAssertion(json, url) {
	if (json.type !== 'public-key' || json.id !== json.rawId) throw new Error('id/rawId/type');
	clientData(json, 'webauthn.get', url);
	const key = keys.get(json.id);
	if (!key) throw new Error('unknown credential');
	if (unb64url(json.response.userHandle).toString() !== USER.id) throw new Error('userHandle');
	const authData = unb64url(json.response.authenticatorData);
	const hash = createHash('sha256').update(unb64url(json.response.clientDataJSON)).digest();
	const signed = Buffer.concat([authData, hash]);
	const alg = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
	if (!verify(alg, signed, key, unb64url(json.response.signature))) throw new Error('bad signature');
}
