// node --test: the pure half of src/webauthn.js, with fabricated buffers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	b64urlEncode,
	b64urlDecode,
	creationOptionsFromJSON,
	requestOptionsFromJSON,
	registrationResponseToJSON,
	authenticationResponseToJSON,
	rpIdOf,
} from '../src/webauthn.js';

const bytes = (...b) => new Uint8Array(b).buffer;
const text = (s) => new TextEncoder().encode(s).buffer;
const same = (a, b) => assert.deepEqual(new Uint8Array(a), new Uint8Array(b));

test('base64url matches RFC 4648 §10 vectors (URL alphabet, no padding)', () => {
	const vectors = [
		['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'],
		['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy'],
	];
	for (const [plain, enc] of vectors) {
		assert.equal(b64urlEncode(text(plain)), enc);
		same(b64urlDecode(enc), text(plain));
	}
});

test('base64url uses - and _ where base64 has + and /', () => {
	assert.equal(b64urlEncode(bytes(0xfb, 0xff, 0xbf)), '-_-_');
	same(b64urlDecode('-_-_'), bytes(0xfb, 0xff, 0xbf));
});

test('base64url round-trips every byte value and every length up to 64', () => {
	const all = new Uint8Array(256).map((_, i) => i);
	same(b64urlDecode(b64urlEncode(all)), all);
	for (let n = 0; n <= 64; n++) {
		const b = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
		const enc = b64urlEncode(b);
		assert.match(enc, /^[A-Za-z0-9_-]*$/);
		same(b64urlDecode(enc), b);
	}
});

test('base64url encodes views at their offset, not their whole buffer', () => {
	const buf = new Uint8Array([1, 2, 3, 4, 5]);
	assert.equal(b64urlEncode(buf.subarray(1, 4)), b64urlEncode(bytes(2, 3, 4)));
	assert.equal(b64urlEncode(new DataView(buf.buffer, 2, 1)), b64urlEncode(bytes(3)));
});

test('base64url decoding tolerates padding and rejects everything else', () => {
	same(b64urlDecode('Zg=='), text('f'));
	same(b64urlDecode('Zm8='), text('fo'));
	for (const bad of ['Zg=', 'Z', 'Zm9vY', 'Zm+v', 'Zm/v', 'Zm 9v', 'Zm9v\n', 'Z=g=', '====', 'Zh', 'Zm9', 'é', null, 42]) {
		assert.throws(() => b64urlDecode(bad), TypeError, String(bad));
	}
});

test('creation options: go-webauthn {publicKey} wrapper, buffers decoded, rest kept', () => {
	const json = {
		publicKey: {
			rp: { name: 'Pocket ID', id: 'id.example.com' },
			user: { name: 'tim', displayName: 'Tim Cook', id: b64urlEncode(text('f4b89dc2-62fb-46bf-9f5f-c34f4eafe93e')) },
			challenge: b64urlEncode(bytes(1, 2, 3, 4)),
			pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -8 }],
			timeout: 60000,
			excludeCredentials: [{ type: 'public-key', id: 'AAEC', transports: ['usb', 'nfc'] }],
			authenticatorSelection: { requireResidentKey: true, residentKey: 'required', userVerification: 'required', authenticatorAttachment: '' },
			attestation: 'none',
			extensions: { credProps: true },
		},
	};
	const o = creationOptionsFromJSON(json);
	same(o.challenge, bytes(1, 2, 3, 4));
	assert.equal(new TextDecoder().decode(o.user.id), 'f4b89dc2-62fb-46bf-9f5f-c34f4eafe93e');
	assert.equal(o.user.name, 'tim');
	assert.equal(o.user.displayName, 'Tim Cook');
	assert.deepEqual(o.rp, { name: 'Pocket ID', id: 'id.example.com' });
	assert.equal(o.excludeCredentials.length, 1);
	same(o.excludeCredentials[0].id, bytes(0, 1, 2));
	assert.deepEqual(o.excludeCredentials[0].transports, ['usb', 'nfc']);
	assert.deepEqual(o.authenticatorSelection, { requireResidentKey: true, residentKey: 'required', userVerification: 'required' });
	assert.deepEqual(o.pubKeyCredParams, json.publicKey.pubKeyCredParams);
	assert.equal(o.timeout, 60000);
	assert.equal(o.attestation, 'none');
	assert.deepEqual(o.extensions, { credProps: true });
	assert.equal(rpIdOf(json), 'id.example.com');
});

test('creation options: bare (unwrapped) form and absent optional lists', () => {
	const o = creationOptionsFromJSON({
		rp: { name: 'X', id: 'localhost' },
		user: { name: 'a', displayName: 'a', id: 'YQ' },
		challenge: 'AA',
		pubKeyCredParams: [],
		excludeCredentials: null,
	});
	same(o.challenge, bytes(0));
	assert.equal('excludeCredentials' in o, false);
	assert.equal('authenticatorSelection' in o, false);
});

test('creation options: missing challenge or user id, or bad base64url, throw', () => {
	assert.throws(() => creationOptionsFromJSON(null), TypeError);
	assert.throws(() => creationOptionsFromJSON({ publicKey: { user: { id: 'YQ' } } }), TypeError);
	assert.throws(() => creationOptionsFromJSON({ challenge: 'AA', user: {} }), TypeError);
	assert.throws(() => creationOptionsFromJSON({ challenge: 'A+A', user: { id: 'YQ' } }), TypeError);
});

test('request options: discoverable login (no allowCredentials) and with a list', () => {
	const o = requestOptionsFromJSON({ publicKey: { challenge: '_w', timeout: 60000, rpId: 'localhost', userVerification: 'required' } });
	same(o.challenge, bytes(0xff));
	assert.equal(o.rpId, 'localhost');
	assert.equal(o.userVerification, 'required');
	assert.equal('allowCredentials' in o, false);
	assert.equal(rpIdOf({ publicKey: { rpId: 'localhost' } }), 'localhost');

	const o2 = requestOptionsFromJSON({ challenge: 'AQ', allowCredentials: [{ type: 'public-key', id: 'Ag' }], allowCredentials2: 1 });
	same(o2.allowCredentials[0].id, bytes(2));
	assert.equal(o2.allowCredentials[0].type, 'public-key');
	assert.equal('transports' in o2.allowCredentials[0], false);
});

// Fabricated PublicKeyCredential lookalikes (the browser's objects hold
// ArrayBuffers and expose a few methods).
function fakeRegistration({ level3 = true } = {}) {
	const response = {
		clientDataJSON: text('{"type":"webauthn.create"}'),
		attestationObject: bytes(0xa3, 0x63, 0x66, 0x6d, 0x74),
		getTransports: () => ['internal', 'hybrid'],
	};
	if (level3) {
		response.getAuthenticatorData = () => bytes(9, 9, 9);
		response.getPublicKeyAlgorithm = () => -7;
		response.getPublicKey = () => bytes(0x30, 0x59);
	}
	return {
		id: 'AAEC_w',
		rawId: bytes(0, 1, 2, 0xff),
		type: 'public-key',
		authenticatorAttachment: 'platform',
		response,
		getClientExtensionResults: () => ({ credProps: { rk: true } }),
	};
}

test('registration response → RegistrationResponseJSON', () => {
	const j = registrationResponseToJSON(fakeRegistration());
	assert.deepEqual(j, {
		id: 'AAEC_w',
		rawId: 'AAEC_w',
		type: 'public-key',
		authenticatorAttachment: 'platform',
		clientExtensionResults: { credProps: { rk: true } },
		response: {
			clientDataJSON: b64urlEncode(text('{"type":"webauthn.create"}')),
			attestationObject: 'o2NmbXQ',
			transports: ['internal', 'hybrid'],
			authenticatorData: 'CQkJ',
			publicKeyAlgorithm: -7,
			publicKey: 'MFk',
		},
	});
	// It must survive JSON serialisation unchanged (no buffers left inside).
	assert.deepEqual(JSON.parse(JSON.stringify(j)), j);
});

test('registration response from an older browser (no Level 3 getters)', () => {
	const cred = fakeRegistration({ level3: false });
	delete cred.response.getTransports;
	cred.authenticatorAttachment = null;
	const j = registrationResponseToJSON(cred);
	assert.deepEqual(j.response.transports, []);
	assert.equal('authenticatorData' in j.response, false);
	assert.equal('publicKey' in j.response, false);
	assert.equal('authenticatorAttachment' in j, false);
});

test('authentication response → AuthenticationResponseJSON', () => {
	const cred = {
		id: 'Ag',
		rawId: bytes(2),
		type: 'public-key',
		authenticatorAttachment: 'cross-platform',
		response: {
			clientDataJSON: text('{}'),
			authenticatorData: bytes(1, 2, 3, 4, 5),
			signature: bytes(0x30, 0x45, 0x02),
			userHandle: text('1cd19686-f9a6-43f4-a41f-14a0bf5b4036'),
		},
		getClientExtensionResults: () => ({ prf: { results: { first: bytes(0xfb, 0xff) } } }),
	};
	const j = authenticationResponseToJSON(cred);
	assert.deepEqual(j, {
		id: 'Ag',
		rawId: 'Ag',
		type: 'public-key',
		authenticatorAttachment: 'cross-platform',
		clientExtensionResults: { prf: { results: { first: '-_8' } } },
		response: {
			clientDataJSON: 'e30',
			authenticatorData: 'AQIDBAU',
			signature: 'MEUC',
			userHandle: b64urlEncode(text('1cd19686-f9a6-43f4-a41f-14a0bf5b4036')),
		},
	});
	cred.response.userHandle = null;
	assert.equal('userHandle' in authenticationResponseToJSON(cred).response, false);
});
