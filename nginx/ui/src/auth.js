// The passkey ceremonies against the server (spec §1.3): start → browser →
// finish. Pages call these and show describeError() on failure.
import { api, ApiError } from './api.js';
import { createCredential, getAssertion } from './webauthn.js';

// When this tab last signed in with a passkey: the server lets a session
// that young re-authenticate without a second prompt (spec §3.6).
let lastPasskeySignIn = 0;
const SHORTCUT_MS = 50 * 1000;

/** Discoverable sign-in; resolves to the UserDto and leaves a session cookie. */
export async function signInWithPasskey() {
	const options = await api.get('/webauthn/login/start');
	const assertion = await getAssertion(options);
	const user = await api.post('/webauthn/login/finish', assertion);
	lastPasskeySignIn = Date.now();
	return user;
}

/** Registers a new passkey for the signed-in user; resolves to WebauthnCredentialDto. */
export async function addPasskey() {
	const options = await api.get('/webauthn/register/start');
	const credential = await createCredential(options);
	return api.post('/webauthn/register/finish', credential);
}

/**
 * Obtains a re-authentication token cookie. Both ways need the challenge
 * session cookie that login/start sets; right after a passkey sign-in we
 * first try without a new assertion.
 */
export async function reauthenticate() {
	let options = await api.get('/webauthn/login/start');
	if (Date.now() - lastPasskeySignIn < SHORTCUT_MS) {
		try {
			await api.post('/webauthn/reauthenticate');
			return;
		} catch (e) {
			if (!(e instanceof ApiError) || e.status !== 401) throw e;
			options = await api.get('/webauthn/login/start');
		}
	}
	const assertion = await getAssertion(options);
	await api.post('/webauthn/reauthenticate', assertion);
}
