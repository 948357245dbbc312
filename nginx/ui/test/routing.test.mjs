// node --test: route matching, redirect-target safety, and the page guard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, matchRoute, safeLocalPath } from '../src/router.js';
import { guardRedirect, homePage } from '../src/guard.js';

const routes = [{ path: '/' }, { path: '/lc' }, { path: '/lc/:code' }, { path: '/a/:x/b/:y' }, { path: '/settings/account' }];
const m = (p) => {
	const r = matchRoute(routes, p);
	return r && [r.route.path, r.params];
};

test('matchRoute: literal paths, parameters, trailing slashes, no partial matches', () => {
	assert.deepEqual(m('/'), ['/', {}]);
	assert.deepEqual(m('/lc'), ['/lc', {}]);
	assert.deepEqual(m('/lc/'), ['/lc', {}]);
	assert.deepEqual(m('/lc/Ab12'), ['/lc/:code', { code: 'Ab12' }]);
	assert.deepEqual(m('/lc/Ab12/'), ['/lc/:code', { code: 'Ab12' }]);
	assert.deepEqual(m('/lc/a%20b'), ['/lc/:code', { code: 'a b' }]);
	assert.deepEqual(m('/lc/%E0%A4%A'), ['/lc/:code', { code: '%E0%A4%A' }]);
	assert.deepEqual(m('/a/1/b/2'), ['/a/:x/b/:y', { x: '1', y: '2' }]);
	assert.equal(m('/lc/a/b'), null);
	assert.equal(m('/settings/accountx'), null);
	assert.equal(m('/settings'), null);
	assert.equal(m('/SETTINGS/ACCOUNT'), null);
});

test('compile escapes regular-expression characters in literal parts', () => {
	assert.ok(compile('/a.b').re.test('/a.b'));
	assert.ok(!compile('/a.b').re.test('/axb'));
});

test('safeLocalPath accepts only paths on this origin', () => {
	for (const ok of ['/', '/settings', '/authorize?interaction=1', '/a//b']) assert.equal(safeLocalPath(ok, 'F'), ok);
	for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', 'settings', '/a\nb', '/a\tb', null, undefined, 5])
		assert.equal(safeLocalPath(bad, 'F'), 'F', String(bad));
});

const user = { id: 'u', isAdmin: false };
const admin = { id: 'a', isAdmin: true };

test('guard: public pages never redirect', () => {
	for (const u of [null, user, admin]) assert.equal(guardRedirect('public', u, '/device', '?user_code=X'), null);
});

test('guard: protected pages send signed-out visitors to /login with the full path', () => {
	assert.equal(guardRedirect('user', null, '/settings/account', ''), '/login?redirect=%2Fsettings%2Faccount');
	assert.equal(guardRedirect('user', null, '/', ''), '/login?redirect=%2F');
	assert.equal(guardRedirect('user', null, '/logout', '?a=1&b=2'), '/login?redirect=%2Flogout%3Fa%3D1%26b%3D2');
	assert.equal(guardRedirect('user', user, '/settings/account', ''), null);
});

test('guard: sign-in pages send signed-in users on, to a safe ?redirect= or /settings', () => {
	assert.equal(guardRedirect('anonymous', null, '/login', ''), null);
	assert.equal(guardRedirect('anonymous', user, '/login', ''), '/settings');
	assert.equal(guardRedirect('anonymous', user, '/login', '?redirect=%2Fdevice%3Fuser_code%3DX'), '/device?user_code=X');
	assert.equal(guardRedirect('anonymous', user, '/login', '?redirect=%2F%2Fevil.example'), '/settings');
	assert.equal(guardRedirect('anonymous', user, '/setup', ''), '/settings');
});

test('guard: admin pages', () => {
	assert.equal(guardRedirect('admin', null, '/settings/admin/users', ''), '/login?redirect=%2Fsettings%2Fadmin%2Fusers');
	assert.equal(guardRedirect('admin', user, '/settings/admin/users', ''), '/settings');
	assert.equal(guardRedirect('admin', admin, '/settings/admin/users', ''), null);
});

test('homePage: the setting when it is a local page other than /settings', () => {
	assert.equal(homePage({ homePageUrl: '/settings/apps' }), '/settings/apps');
	assert.equal(homePage({ homePageUrl: '/settings' }), '/settings/account');
	assert.equal(homePage({ homePageUrl: '/settings?x' }), '/settings/account');
	assert.equal(homePage({ homePageUrl: 'https://evil.example' }), '/settings/account');
	assert.equal(homePage({}), '/settings/account');
});
