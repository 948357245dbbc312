// One place that turns any failure into words a person can act on.
// API errors: our catalogue's text for the stable code when we have one
// (error.<code>), else the server's own message, else a generic line with
// the HTTP status. Browser passkey errors: by DOMException name, with the
// relying-party ID and this page's host when the origin is the problem.
import { ApiError } from './api.js';
import { PasskeyError } from './webauthn.js';
import { t, has } from './i18n.js';

const PASSKEY_REASONS = {
	NotAllowedError: 'passkey.error.notAllowed',
	AbortError: 'passkey.error.notAllowed',
	InvalidStateError: 'passkey.error.alreadyRegistered',
	SecurityError: 'passkey.error.origin',
	NotSupportedError: 'passkey.error.notSupported',
	InsecureContext: 'passkey.error.insecure',
	ConstraintError: 'passkey.error.constraint',
};

// Codes whose server text names specifics worth showing under ours
// (which origin was expected, which field failed, ...).
const DETAILED = ['invalid_webauthn_response', 'validation_failed', 'invalid_request_body', 'already_in_use'];

/** {message, detail, requestId} for any thrown value. */
export function describeError(err) {
	if (err instanceof ApiError) {
		const key = 'error.' + err.code;
		let message;
		let detail = '';
		if (err.code && has(key)) {
			message = t(key, { status: err.status });
			if (DETAILED.includes(err.code) && err.serverMessage) detail = err.serverMessage;
		} else if (err.serverMessage) message = err.serverMessage;
		else message = t('error.http_error', { status: err.status });
		return { message, detail, requestId: err.requestId };
	}
	if (err instanceof PasskeyError) {
		const key = PASSKEY_REASONS[err.reason] || 'passkey.error.unknown';
		const host = typeof location === 'undefined' ? '' : location.host;
		return { message: t(key, { rpId: err.rpId || '?', host, reason: err.reason }), detail: '', requestId: '' };
	}
	return { message: t('error.unexpected'), detail: '', requestId: '' };
}
