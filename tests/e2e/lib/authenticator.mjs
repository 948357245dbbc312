// authenticator.mjs: a software passkey (ES256, "none" attestation) that
// speaks the browser's WebAuthn JSON, so API tests can register and sign
// in without a browser. The browser tests use Chromium's own virtual
// authenticator instead.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const sha256 = (data) => createHash('sha256').update(data).digest();

// Minimal CBOR encoder: unsigned/negative ints, byte and text strings, maps.
function cborHead(major, n) {
	if (n < 24) return Buffer.from([(major << 5) | n]);
	if (n < 256) return Buffer.from([(major << 5) | 24, n]);
	const b = Buffer.alloc(3);
	b[0] = (major << 5) | 25;
	b.writeUInt16BE(n, 1);
	return b;
}
export function cbor(value) {
	if (typeof value === 'number')
		return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
	if (Buffer.isBuffer(value)) return Buffer.concat([cborHead(2, value.length), value]);
	if (typeof value === 'string') {
		const t = Buffer.from(value);
		return Buffer.concat([cborHead(3, t.length), t]);
	}
	if (value instanceof Map) {
		const parts = [cborHead(5, value.size)];
		for (const [k, v] of value) parts.push(cbor(k), cbor(v));
		return Buffer.concat(parts);
	}
	throw new Error('cbor: unsupported value');
}

export class SoftAuthenticator {
	constructor({ rpId, origin, aaguid = Buffer.alloc(16), flags = {} }) {
		this.rpId = rpId;
		this.origin = origin;
		this.aaguid = aaguid;
		this.uv = flags.uv ?? true;
		this.backupEligible = flags.backupEligible ?? false;
		this.credentials = [];
	}

	flagsByte(at) {
		let f = 0x01;	// UP
		if (this.uv) f |= 0x04;
		if (this.backupEligible) f |= 0x08 | 0x10;
		if (at) f |= 0x40;
		return f;
	}

	// options: the server's creation options (wrapped or not). alg is
	// 'ES256' or 'EdDSA'; fmt 'none' or 'packed' (self attestation).
	register(options, { origin = this.origin, alg = 'ES256', fmt = 'none' } = {}) {
		const o = options.publicKey ?? options;
		const { privateKey, publicKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519')
			: generateKeyPairSync('ec', { namedCurve: 'P-256' });
		const jwk = publicKey.export({ format: 'jwk' });
		const id = randomBytes(16);
		const coseAlg = alg === 'EdDSA' ? -8 : -7;
		const cose = alg === 'EdDSA'
			? cbor(new Map([[1, 1], [3, -8], [-1, 6], [-2, Buffer.from(jwk.x, 'base64url')]]))
			: cbor(new Map([[1, 2], [3, -7], [-1, 1],
				[-2, Buffer.from(jwk.x, 'base64url')], [-3, Buffer.from(jwk.y, 'base64url')]]));
		const idLen = Buffer.alloc(2);
		idLen.writeUInt16BE(id.length);
		const authData = Buffer.concat([sha256(this.rpId), Buffer.from([this.flagsByte(true)]),
			Buffer.alloc(4), this.aaguid, idLen, id, cose]);
		const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.create',
			challenge: o.challenge, origin, crossOrigin: false }));
		const cred = { id, privateKey, userHandle: Buffer.from(o.user.id, 'base64url'), counter: 0,
			hash: alg === 'EdDSA' ? null : 'sha256' };
		this.credentials.push(cred);
		const attStmt = fmt === 'packed' ? new Map([['alg', coseAlg], ['sig',
			sign(cred.hash, Buffer.concat([authData, sha256(clientData)]), privateKey)]])
			: new Map();
		return {
			id: b64url(id), rawId: b64url(id), type: 'public-key',
			response: {
				clientDataJSON: b64url(clientData),
				attestationObject: b64url(cbor(new Map([['fmt', fmt],
					['attStmt', attStmt], ['authData', authData]]))),
				transports: ['internal'],
			},
			clientExtensionResults: {}, authenticatorAttachment: 'platform',
		};
	}

	// options: the server's request options; signs with the first (or
	// given) credential, as a discoverable login would.
	// Faults for negative tests: type, rpId, up (false clears UP),
	// corruptSignature, counter.
	assert(options, { credential = this.credentials[0], origin = this.origin,
		counter, type = 'webauthn.get', rpId = this.rpId, up = true,
		corruptSignature = false } = {}) {
		const o = options.publicKey ?? options;
		credential.counter = counter ?? credential.counter + 1;
		const count = Buffer.alloc(4);
		count.writeUInt32BE(credential.counter);
		const flags = up ? this.flagsByte(false) : this.flagsByte(false) & ~0x01;
		const authData = Buffer.concat([sha256(rpId), Buffer.from([flags]), count]);
		const clientData = Buffer.from(JSON.stringify({ type,
			challenge: o.challenge, origin, crossOrigin: false }));
		const signature = sign(credential.hash ?? null,
			Buffer.concat([authData, sha256(clientData)]), credential.privateKey);
		if (corruptSignature) signature[signature.length - 1] ^= 0x01;
		return {
			id: b64url(credential.id), rawId: b64url(credential.id), type: 'public-key',
			response: {
				clientDataJSON: b64url(clientData), authenticatorData: b64url(authData),
				signature: b64url(signature), userHandle: b64url(credential.userHandle),
			},
			clientExtensionResults: {}, authenticatorAttachment: 'platform',
		};
	}
}

// A cookie jar good enough for our own cookies on one origin.
export class CookieJar {
	constructor() { this.cookies = new Map(); }
	store(res) {
		for (const line of res.headers.getSetCookie()) {
			const [pair, ...attrs] = line.split(';');
			const i = pair.indexOf('=');
			const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
			const maxAge = attrs.find((a) => a.trim().toLowerCase().startsWith('max-age='));
			if (value === '' || (maxAge && Number(maxAge.split('=')[1]) <= 0)) this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}
	header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
	get(name) { return this.cookies.get(name); }
}

// fetch with the jar's cookies, JSON bodies and the browser's Origin (the
// page's, which is APP_URL even when a replica answers).
export function client(baseUrl, jar = new CookieJar(), origin = baseUrl) {
	const call = async (method, path, body, headers = {}) => {
		const init = { method, headers: { origin, ...headers } };
		if (jar.cookies.size > 0) init.headers.cookie = jar.header();
		if (body !== undefined) {
			init.headers['content-type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		const res = await fetch(baseUrl + path, init);
		jar.store(res);
		const text = await res.text();
		let json;
		try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
		return { status: res.status, json, text, headers: res.headers };
	};
	return { jar, call,
		get: (p, h) => call('GET', p, undefined, h),
		post: (p, b, h) => call('POST', p, b, h),
		patch: (p, b, h) => call('PATCH', p, b, h),
		del: (p, h) => call('DELETE', p, undefined, h) };
}
