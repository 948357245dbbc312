// WebAuthn in the browser: the bridge between the server's JSON and
// navigator.credentials.
//
// The server (go-webauthn's shapes, spec §1.3, §3.2, §3.3) sends options
// with binary fields as base64url strings, either wrapped as
// {publicKey: {...}} or bare; the browser wants ArrayBuffers. The browser
// answers with PublicKeyCredential objects holding ArrayBuffers; the finish
// endpoints want RegistrationResponseJSON / AuthenticationResponseJSON
// (WebAuthn Level 3 §5.1) with base64url strings. Everything here except
// createCredential() and getAssertion() is a pure function, tested by
// test/webauthn.test.mjs with fabricated buffers.

const ALPHABET =
	'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

function bytesOf(data) {
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (ArrayBuffer.isView(data))
		return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	throw new TypeError('expected an ArrayBuffer or a view of one');
}

/** Encodes bytes as base64url without padding (RFC 4648 §5). */
export function b64urlEncode(data) {
	const b = bytesOf(data);
	let out = '';
	let i = 0;
	for (; i + 2 < b.length; i += 3) {
		const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
		out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] +
			ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
	}
	if (i + 1 === b.length) {
		const n = b[i] << 16;
		out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
	} else if (i + 2 === b.length) {
		const n = (b[i] << 16) | (b[i + 1] << 8);
		out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] +
			ALPHABET[(n >> 6) & 63];
	}
	return out;
}

/**
 * Decodes base64url into a fresh ArrayBuffer. Trailing '=' padding is
 * tolerated; any other character outside the URL-safe alphabet, a
 * misplaced '=', an impossible length or non-zero spare bits throw.
 */
export function b64urlDecode(text) {
	if (typeof text !== 'string') throw new TypeError('base64url: not a string');
	let s = text;
	const pad = s.indexOf('=');
	if (pad >= 0) {
		if (!/^=*$/.test(s.slice(pad)) || s.length % 4 !== 0 || s.length - pad > 2)
			throw new TypeError('base64url: bad padding');
		s = s.slice(0, pad);
	}
	if (s.length % 4 === 1) throw new TypeError('base64url: bad length');
	const out = new Uint8Array(Math.floor((s.length * 3) / 4));
	let acc = 0;
	let bits = 0;
	let o = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		const v = c < 128 ? DECODE[c] : -1;
		if (v < 0) throw new TypeError('base64url: bad character at ' + i);
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (acc >> bits) & 255;
		}
	}
	if (acc & ((1 << bits) - 1)) throw new TypeError('base64url: non-zero spare bits');
	return out.buffer;
}

// The server may wrap options as {publicKey: {...}} (go-webauthn's
// CredentialCreation / CredentialAssertion) or send them bare (spec §1.3).
function unwrap(json) {
	if (!json || typeof json !== 'object') throw new TypeError('WebAuthn options: not an object');
	const pk = json.publicKey && typeof json.publicKey === 'object' ? json.publicKey : json;
	if (typeof pk.challenge !== 'string') throw new TypeError('WebAuthn options: no challenge');
	return pk;
}

function descriptors(list) {
	if (!Array.isArray(list)) return undefined;
	return list.map((d) => {
		const out = { type: d.type || 'public-key', id: b64urlDecode(d.id) };
		if (Array.isArray(d.transports) && d.transports.length) out.transports = d.transports;
		return out;
	});
}

// go-webauthn marks optional strings omitempty, but a zero value sent as ""
// would make the browser throw a TypeError for an invalid enum value.
function dropEmpty(obj) {
	const out = {};
	for (const [k, v] of Object.entries(obj)) if (v !== '' && v !== null && v !== undefined) out[k] = v;
	return out;
}

/** Server JSON → PublicKeyCredentialCreationOptions for credentials.create. */
export function creationOptionsFromJSON(json) {
	const pk = unwrap(json);
	if (!pk.user || typeof pk.user.id !== 'string') throw new TypeError('WebAuthn options: no user id');
	const out = dropEmpty({
		...pk,
		challenge: b64urlDecode(pk.challenge),
		user: { ...pk.user, id: b64urlDecode(pk.user.id) },
		excludeCredentials: descriptors(pk.excludeCredentials),
	});
	if (pk.authenticatorSelection) out.authenticatorSelection = dropEmpty(pk.authenticatorSelection);
	return out;
}

/** Server JSON → PublicKeyCredentialRequestOptions for credentials.get. */
export function requestOptionsFromJSON(json) {
	const pk = unwrap(json);
	return dropEmpty({
		...pk,
		challenge: b64urlDecode(pk.challenge),
		allowCredentials: descriptors(pk.allowCredentials),
	});
}

/** The relying-party ID the options name, for error messages. */
export function rpIdOf(json) {
	const pk = json && (json.publicKey || json);
	return (pk && (pk.rpId || (pk.rp && pk.rp.id))) || '';
}

// Client extension outputs may hold buffers (prf, largeBlob); the JSON form
// carries them as base64url (WebAuthn L3 AuthenticationExtensionsClientOutputsJSON).
function extensionsToJSON(value) {
	if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return b64urlEncode(value);
	if (Array.isArray(value)) return value.map(extensionsToJSON);
	if (value && typeof value === 'object') {
		const out = {};
		for (const [k, v] of Object.entries(value)) out[k] = extensionsToJSON(v);
		return out;
	}
	return value;
}

function common(cred, response) {
	const out = {
		id: cred.id,
		rawId: b64urlEncode(cred.rawId),
		type: cred.type,
		response,
		clientExtensionResults: extensionsToJSON(
			typeof cred.getClientExtensionResults === 'function' ? cred.getClientExtensionResults() : {},
		),
	};
	if (cred.authenticatorAttachment) out.authenticatorAttachment = cred.authenticatorAttachment;
	return out;
}

/** PublicKeyCredential from create() → RegistrationResponseJSON. */
export function registrationResponseToJSON(cred) {
	const r = cred.response;
	const response = {
		clientDataJSON: b64urlEncode(r.clientDataJSON),
		attestationObject: b64urlEncode(r.attestationObject),
		transports: typeof r.getTransports === 'function' ? r.getTransports() : [],
	};
	// Optional Level 3 conveniences; the server reads the attestation object.
	if (typeof r.getAuthenticatorData === 'function')
		response.authenticatorData = b64urlEncode(r.getAuthenticatorData());
	if (typeof r.getPublicKeyAlgorithm === 'function')
		response.publicKeyAlgorithm = r.getPublicKeyAlgorithm();
	if (typeof r.getPublicKey === 'function') {
		const key = r.getPublicKey();
		if (key) response.publicKey = b64urlEncode(key);
	}
	return common(cred, response);
}

/** PublicKeyCredential from get() → AuthenticationResponseJSON. */
export function authenticationResponseToJSON(cred) {
	const r = cred.response;
	const response = {
		clientDataJSON: b64urlEncode(r.clientDataJSON),
		authenticatorData: b64urlEncode(r.authenticatorData),
		signature: b64urlEncode(r.signature),
	};
	if (r.userHandle) response.userHandle = b64urlEncode(r.userHandle);
	return common(cred, response);
}

/** A failed browser ceremony, with what an error message needs to say. */
export class PasskeyError extends Error {
	constructor(name, message, rpId) {
		super(message);
		this.name = 'PasskeyError';
		this.reason = name; // DOMException name: NotAllowedError, SecurityError, ...
		this.rpId = rpId;
	}
}

function browserCheck() {
	const w = typeof window === 'undefined' ? null : window;
	if (w && w.PublicKeyCredential && w.navigator.credentials) return;
	const reason = w && !w.isSecureContext ? 'InsecureContext' : 'NotSupportedError';
	throw new PasskeyError(reason, 'WebAuthn unavailable', '');
}

async function ceremony(kind, optionsJSON) {
	browserCheck();
	const rpId = rpIdOf(optionsJSON);
	try {
		if (kind === 'create') {
			const cred = await navigator.credentials.create({ publicKey: creationOptionsFromJSON(optionsJSON) });
			return registrationResponseToJSON(cred);
		}
		const cred = await navigator.credentials.get({ publicKey: requestOptionsFromJSON(optionsJSON) });
		return authenticationResponseToJSON(cred);
	} catch (e) {
		throw new PasskeyError(e && e.name ? e.name : 'UnknownError', String(e && e.message), rpId);
	}
}

/** Runs navigator.credentials.create with server options; returns the JSON to post. */
export function createCredential(optionsJSON) {
	return ceremony('create', optionsJSON);
}

/** Runs navigator.credentials.get with server options; returns the JSON to post. */
export function getAssertion(optionsJSON) {
	return ceremony('get', optionsJSON);
}
