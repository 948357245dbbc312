// node --test: the catalogues stay in step, and every key the code uses exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogues, pickLanguage, format } from '../src/i18n.js';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const en = catalogues.en;
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('there is one catalogue file per language and each is loaded', () => {
	const files = readdirSync(path.join(src, 'i18n')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
	assert.deepEqual(files.sort(), Object.keys(catalogues).sort());
	assert.ok(files.includes('en') && files.includes('zh-CN'));
});

test('every catalogue has exactly the English keys', () => {
	for (const [lang, cat] of Object.entries(catalogues)) {
		const missing = Object.keys(en).filter((k) => !(k in cat));
		const extra = Object.keys(cat).filter((k) => !(k in en));
		assert.deepEqual({ lang, missing, extra }, { lang, missing: [], extra: [] });
	}
});

test('every message is a non-empty string with the same placeholders as English', () => {
	for (const [lang, cat] of Object.entries(catalogues))
		for (const [key, value] of Object.entries(cat)) {
			assert.equal(typeof value, 'string', `${lang} ${key}`);
			assert.ok(value.trim().length > 0, `${lang} ${key} is empty`);
			assert.deepEqual(placeholders(value), placeholders(en[key]), `${lang} ${key} placeholders`);
		}
});

function sources(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
		d.isDirectory() ? sources(path.join(dir, d.name)) : d.name.endsWith('.js') ? [path.join(dir, d.name)] : [],
	);
}

test('every literal key passed to t() exists in English', () => {
	const used = new Set();
	for (const file of sources(src)) {
		const text = readFileSync(file, 'utf8');
		for (const m of text.matchAll(/\bt\(\s*'([\w.]+)'\s*[,)]/g)) used.add(m[1]);
		for (const m of text.matchAll(/\b(?:title|label): '([\w.]+)'/g)) used.add(m[1]);
		for (const m of text.matchAll(/\bt\(\s*[^()]*\?\s*'([\w.]+)'\s*:\s*'([\w.]+)'/g)) used.add(m[1]).add(m[2]);
	}
	assert.ok(used.size > 100, 'found ' + used.size + ' keys; is the scan still working?');
	assert.deepEqual([...used].filter((k) => !(k in en)), []);
});

test('keys built at run time exist', () => {
	const built = [
		...['authenticate', 'select_account', 'reauthenticate', 'consent'].flatMap((s) => [
			'interaction.step.' + s,
			'interaction.lead.' + s,
		]),
		...['system', 'light', 'dark'].map((m) => 'theme.' + m),
		...['profile', 'email', 'groups', 'offline_access'].flatMap((s) => ['scope.' + s + '.name', 'scope.' + s + '.description']),
		...['required', 'invalid_format', 'too_short', 'too_long', 'reserved', 'duplicate', 'invalid_value'].map((c) => 'field.' + c),
		...['firstName', 'lastName', 'username', 'email', 'displayName'].map((f) => 'user.' + f),
		...['notAllowed', 'alreadyRegistered', 'origin', 'notSupported', 'insecure', 'constraint', 'unknown'].map((r) => 'passkey.error.' + r),
		...['network_error', 'bad_gateway', 'http_error', 'bad_response', 'unexpected'].map((c) => 'error.' + c),
		'interactionError.access_denied',
		'language.name',
		'app.noscript',
	];
	assert.deepEqual(built.filter((k) => !(k in en)), []);
});

test('pickLanguage: exact tag, then same primary language, else English', () => {
	assert.equal(pickLanguage(['zh-CN']), 'zh-CN');
	assert.equal(pickLanguage(['zh-cn']), 'zh-CN');
	assert.equal(pickLanguage(['zh']), 'zh-CN');
	assert.equal(pickLanguage(['zh-Hans-CN']), 'zh-CN');
	assert.equal(pickLanguage(['fr-FR', 'zh-SG', 'en']), 'zh-CN');
	assert.equal(pickLanguage(['en-GB', 'zh-CN']), 'en');
	assert.equal(pickLanguage(['de', 'fr']), 'en');
	assert.equal(pickLanguage([]), 'en');
	assert.equal(pickLanguage(undefined), 'en');
	assert.equal(pickLanguage([null, 'zh-CN']), 'zh-CN');
});

test('format fills named placeholders and leaves unknown ones', () => {
	assert.equal(format('Sign in to {appName}', { appName: 'X' }), 'Sign in to X');
	assert.equal(format('{a} and {a}, {b}', { a: 1 }), '1 and 1, {b}');
	assert.equal(format('{toString}', {}), '{toString}');
	assert.equal(format('no params'), 'no params');
});
