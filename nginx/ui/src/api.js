// The JSON API client. Every call goes to /api/... on this origin with the
// session cookie; bodies are JSON with Content-Type: application/json (the
// server rejects other types on state changes, spec §0.4, §3.8), except
// image uploads, which are multipart/form-data. Failures
// become ApiError: the server's {error, code, details, request_id} when it
// sent one (spec §0.3), else a code of our own (network_error, bad_gateway,
// http_error, bad_response) so the page can still say what went wrong.

export class ApiError extends Error {
	constructor(status, code, message, data) {
		super(message || code || 'HTTP ' + status);
		this.name = 'ApiError';
		this.status = status; // 0 when no response arrived
		this.code = code || '';
		this.serverMessage = message || '';
		this.details = (data && data.details) || null;
		this.requestId = (data && data.request_id) || '';
	}

	/** Validation failures by field: {username: {code, message}, ...}. */
	get fields() {
		const out = {};
		const list = this.details && Array.isArray(this.details.fields) ? this.details.fields : [];
		for (const f of list) if (f && f.field) out[f.field] = f;
		return out;
	}
}

/** Turns a status and a response body into an ApiError (pure; tested). */
export function errorFromResponse(status, contentType, bodyText) {
	let data = null;
	if (/json/i.test(contentType || '')) {
		try {
			data = JSON.parse(bodyText);
		} catch {
			data = null;
		}
	}
	if (data && typeof data === 'object' && typeof data.error === 'string') {
		// Application errors carry code; OAuth-style ones carry error as the
		// code and error_description as the words; a few bare ones only words.
		if (data.code) return new ApiError(status, data.code, data.error, data);
		if (/^[a-z_]+$/.test(data.error)) return new ApiError(status, data.error, data.error_description || '', data);
		return new ApiError(status, '', data.error, data);
	}
	// Not our JSON: most likely nginx answering for a backend that is down.
	if (status === 502 || status === 503 || status === 504) return new ApiError(status, 'bad_gateway', '', null);
	return new ApiError(status, 'http_error', '', null);
}

let unauthorizedListener = null;

/** Called (once per response) when the server says the session is gone. */
export function onUnauthorized(fn) {
	unauthorizedListener = fn;
}

export async function request(method, path, body) {
	const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
	// A FormData body (an upload) sets its own multipart Content-Type.
	if (body instanceof FormData) init.body = body;
	else if (body !== undefined) {
		init.headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	let res;
	try {
		res = await fetch('/api' + path, init);
	} catch (e) {
		throw new ApiError(0, 'network_error', '', null);
	}
	const text = await res.text().catch(() => '');
	if (!res.ok) {
		const err = errorFromResponse(res.status, res.headers.get('Content-Type'), text);
		if (res.status === 401 && err.code === 'not_signed_in' && unauthorizedListener) unauthorizedListener();
		throw err;
	}
	if (!text) return null;
	try {
		return JSON.parse(text);
	} catch {
		throw new ApiError(res.status, 'bad_response', '', null);
	}
}

export const api = {
	get: (path) => request('GET', path),
	post: (path, body) => request('POST', path, body),
	put: (path, body) => request('PUT', path, body),
	patch: (path, body) => request('PATCH', path, body),
	del: (path) => request('DELETE', path),
	/** Sends one file as the multipart field "file" (spec §1.11 uploads). */
	upload: (method, path, file) => {
		const form = new FormData();
		form.append('file', file);
		return request(method, path, form);
	},
};

/** encodeURIComponent for one path segment. */
export const seg = encodeURIComponent;
