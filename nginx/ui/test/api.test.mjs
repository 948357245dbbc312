// node --test: the API client's request shape and error handling, with a
// fake fetch; and the words describeError() picks for each kind of failure.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { api, ApiError, errorFromResponse, onUnauthorized } from '../src/api.js';
import { describeError } from '../src/errors.js';
import { PasskeyError } from '../src/webauthn.js';
import { catalogues } from '../src/i18n.js';

const en = catalogues.en;
let calls;
function fakeFetch(status, body, contentType = 'application/json') {
	globalThis.fetch = async (url, init) => {
		calls.push({ url, init });
		if (status === 'fail') throw new TypeError('Failed to fetch');
		return new Response(status === 204 ? null : body, { status, headers: { 'Content-Type': contentType } });
	};
}
beforeEach(() => {
	calls = [];
	onUnauthorized(null);
});

test('GET sends the cookie, asks for JSON, sends no body or Content-Type', async () => {
	fakeFetch(200, '{"id":"1"}');
	assert.deepEqual(await api.get('/users/me'), { id: '1' });
	assert.equal(calls[0].url, '/api/users/me');
	assert.equal(calls[0].init.method, 'GET');
	assert.equal(calls[0].init.credentials, 'same-origin');
	assert.equal(calls[0].init.headers.Accept, 'application/json');
	assert.equal('Content-Type' in calls[0].init.headers, false);
	assert.equal(calls[0].init.body, undefined);
});

test('a body is sent as JSON with Content-Type: application/json', async () => {
	fakeFetch(200, '{"name":"k"}');
	await api.patch('/webauthn/credentials/x', { name: 'k' });
	assert.equal(calls[0].init.method, 'PATCH');
	assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
	assert.equal(calls[0].init.body, '{"name":"k"}');
});

test('204 and empty bodies resolve to null', async () => {
	fakeFetch(204, null);
	assert.equal(await api.del('/webauthn/credentials/x'), null);
	assert.equal(calls[0].init.method, 'DELETE');
});

test('the spec error shape becomes an ApiError with code, words, details and request id', async () => {
	fakeFetch(400, JSON.stringify({
		error: 'Validation failed', code: 'validation_failed', request_id: 'r-1',
		details: { fields: [{ field: 'username', code: 'invalid_format', message: 'Username is invalid' }] },
	}));
	const err = await api.post('/signup/setup', {}).catch((e) => e);
	assert.ok(err instanceof ApiError);
	assert.equal(err.status, 400);
	assert.equal(err.code, 'validation_failed');
	assert.equal(err.serverMessage, 'Validation failed');
	assert.equal(err.requestId, 'r-1');
	assert.deepEqual(err.fields, { username: { field: 'username', code: 'invalid_format', message: 'Username is invalid' } });
});

test('no network and a backend that is down get codes of their own', async () => {
	fakeFetch('fail');
	assert.equal((await api.get('/x').catch((e) => e)).code, 'network_error');
	fakeFetch(502, '<html>Bad Gateway</html>', 'text/html');
	const e = await api.get('/x').catch((e) => e);
	assert.equal(e.code, 'bad_gateway');
	assert.equal(e.status, 502);
	fakeFetch(200, 'not json', 'application/json');
	assert.equal((await api.get('/x').catch((e) => e)).code, 'bad_response');
});

test('401 not_signed_in tells the shell; other 401s do not', async () => {
	let told = 0;
	onUnauthorized(() => told++);
	fakeFetch(401, '{"error":"You are not signed in","code":"not_signed_in"}');
	await api.get('/webauthn/credentials').catch(() => {});
	fakeFetch(401, '{"error":"Token is invalid or expired","code":"token_invalid_or_expired"}');
	await api.post('/one-time-access-token/abcdef').catch(() => {});
	assert.equal(told, 1);
});

test('errorFromResponse: OAuth-style, bare and non-JSON bodies', () => {
	const oauth = errorFromResponse(400, 'application/json', '{"error":"invalid_grant","error_description":"bad code"}');
	assert.deepEqual([oauth.code, oauth.serverMessage], ['invalid_grant', 'bad code']);
	const bare = errorFromResponse(403, 'application/json; charset=utf-8', `{"error":"You're not allowed to access this service."}`);
	assert.deepEqual([bare.code, bare.serverMessage], ['', "You're not allowed to access this service."]);
	assert.equal(errorFromResponse(500, 'text/plain', 'oops').code, 'http_error');
	assert.equal(errorFromResponse(504, '', '').code, 'bad_gateway');
	assert.equal(errorFromResponse(400, 'application/json', '{"error":').code, 'http_error');
	assert.equal(errorFromResponse(400, 'application/json', '[1]').code, 'http_error');
});

test('describeError: catalogue words for known codes, server words otherwise', () => {
	const known = describeError(new ApiError(401, 'token_invalid_or_expired', 'Token is invalid or expired', { request_id: 'r' }));
	assert.deepEqual(known, { message: en['error.token_invalid_or_expired'], detail: '', requestId: 'r' });
	const detailed = describeError(new ApiError(400, 'invalid_webauthn_response', 'origin mismatch: http://a vs http://b', null));
	assert.equal(detailed.detail, 'origin mismatch: http://a vs http://b');
	const unknown = describeError(new ApiError(409, 'something_new', 'Something new happened', null));
	assert.equal(unknown.message, 'Something new happened');
	const wordless = describeError(new ApiError(418, '', '', null));
	assert.equal(wordless.message, en['error.http_error'].replace('{status}', '418'));
	const down = describeError(new ApiError(502, 'bad_gateway', '', null));
	assert.equal(down.message, en['error.bad_gateway'].replace('{status}', '502'));
});

test('describeError: passkey failures by DOMException name, naming the RP ID', () => {
	const origin = describeError(new PasskeyError('SecurityError', 'x', 'id.example.com'));
	assert.ok(origin.message.includes('“id.example.com”'));
	assert.ok(origin.message.includes('APP_URL'));
	assert.equal(describeError(new PasskeyError('NotAllowedError', 'x', '')).message, en['passkey.error.notAllowed']);
	assert.ok(describeError(new PasskeyError('WeirdError', 'x', '')).message.includes('WeirdError'));
	assert.equal(describeError(new Error('boom')).message, en['error.unexpected']);
});
