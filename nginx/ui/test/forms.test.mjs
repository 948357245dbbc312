// node --test: the pure helpers of the admin forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linesToList, listToLines, loginCodeLink, signupLink, clientBody, clientForm, groupName, defaultExpiry, endOfDay, configValues, configBody, permissionRows, permissionsBody, auditQuery, claimRows, claimsBody } from '../src/forms.js';

test('linesToList trims, drops blank lines, accepts CRLF', () => {
	assert.deepEqual(linesToList(' https://a.example/cb \r\n\n https://b.example/* \n'), ['https://a.example/cb', 'https://b.example/*']);
	assert.deepEqual(linesToList(''), []);
	assert.deepEqual(linesToList(undefined), []);
	assert.equal(listToLines(['a', 'b']), 'a\nb');
	assert.equal(listToLines(null), '');
});

test('loginCodeLink builds /lc/<code> on the origin, escaping the code', () => {
	assert.equal(loginCodeLink('https://id.example/', 'Ab12cd'), 'https://id.example/lc/Ab12cd');
	assert.equal(loginCodeLink('http://localhost:1411', 'a/b'), 'http://localhost:1411/lc/a%2Fb');
	assert.equal(signupLink('https://id.example', 'T0k3n'), 'https://id.example/st/T0k3n');
});

test('clientBody: public clients always get PKCE; empty launch URL is left out', () => {
	const form = { ...clientForm(null), name: ' App ', callbackURLs: 'https://a/cb\n', isPublic: true };
	const body = clientBody(form);
	assert.equal(body.name, 'App');
	assert.deepEqual(body.callbackURLs, ['https://a/cb']);
	assert.equal(body.pkceEnabled, true);
	assert.equal(body.launchURL, undefined);
	assert.equal(clientBody({ ...form, isPublic: false }).pkceEnabled, false);
});

test('clientForm round-trips what the API returns', () => {
	const client = { name: 'N', description: 'D', callbackURLs: ['x', 'y'], logoutCallbackURLs: [], launchURL: 'https://l',
		isPublic: false, pkceEnabled: true, requiresReauthentication: true, skipConsent: false };
	const body = clientBody(clientForm(client));
	for (const k of Object.keys(body)) assert.deepEqual(body[k], client[k], k);
});

test('groupName proposes a claim-friendly name from the friendly name', () => {
	assert.equal(groupName('Human Resources'), 'human_resources');
	assert.equal(groupName('  R&D / Ops  '), 'r_d_ops');
	assert.equal(groupName('Équipe Café'), 'equipe_cafe');
	assert.equal(groupName(''), '');
});

test('API key expiry: 30 days ahead by default, sent as the end of that day', () => {
	assert.equal(defaultExpiry(new Date('2026-11-29T10:00:00Z')), '2026-12-29');
	assert.equal(endOfDay('2026-12-29'), '2026-12-29T23:59:59Z');
	assert.equal(endOfDay(''), '');
});

test('settings: the list becomes a map and goes back with every key as a string', () => {
	const values = configValues([{ key: 'appName', type: '', value: 'Id' }, { key: 'sessionDuration', value: '60' }]);
	assert.deepEqual(values, { appName: 'Id', sessionDuration: '60' });
	assert.deepEqual(configBody({ ...values, sessionDuration: 30, accentColor: null }),
		{ appName: 'Id', sessionDuration: '30', accentColor: '' });
});

test('API permissions: lines of key | name | description, both ways', () => {
	const body = permissionsBody('read:orders | Read orders | See your orders\n\nwrite:orders|Write orders\nship');
	assert.deepEqual(body, { permissions: [
		{ key: 'read:orders', name: 'Read orders', description: 'See your orders' },
		{ key: 'write:orders', name: 'Write orders' },
		{ key: 'ship', name: 'ship' },
	] });
	assert.equal(permissionRows(body.permissions), 'read:orders | Read orders | See your orders\nwrite:orders | Write orders\nship | ship');
	assert.deepEqual(permissionsBody('a | b | c | d').permissions[0].description, 'c | d');
});

test('audit-log query: newest first, 20 a page, only the filters set', () => {
	const q = new URLSearchParams(auditQuery({ page: 2, event: 'SIGN_IN', userId: '' }).slice(1));
	assert.equal(q.get('pagination[page]'), '2');
	assert.equal(q.get('pagination[limit]'), '20');
	assert.equal(q.get('sort[direction]'), 'desc');
	assert.equal(q.get('filters[event]'), 'SIGN_IN');
	assert.equal(q.has('filters[userID]'), false);
	assert.equal(new URLSearchParams(auditQuery({ page: 1, event: '', userId: 'u1' }).slice(1)).get('filters[userID]'), 'u1');
});

test('custom claims: lines of key = value, both ways; "=" inside a value stays', () => {
	const body = claimsBody('dept = ops\n\nlevel = {"n": 3}\nexpr = a=b');
	assert.deepEqual(body, [{ key: 'dept', value: 'ops' }, { key: 'level', value: '{"n": 3}' }, { key: 'expr', value: 'a=b' }]);
	assert.equal(claimRows(body), 'dept = ops\nlevel = {"n": 3}\nexpr = a=b');
	assert.deepEqual(claimsBody('lonely'), [{ key: 'lonely', value: '' }]);
});
