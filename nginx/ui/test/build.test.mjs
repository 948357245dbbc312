// node --test: build.mjs produces a CSP-clean shell (no inline script,
// style or handlers), hashed assets, gzip siblings and robots.txt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

test('build output', (t) => {
	const out = mkdtempSync(path.join(tmpdir(), 'ui-build-'));
	t.after(() => rmSync(out, { recursive: true, force: true }));
	execFileSync(process.execPath, [path.join(root, 'build.mjs'), '--outdir', out, '--quiet']);
	const files = readdirSync(out).sort();
	const script = files.find((f) => /^app-[A-Z0-9]+\.js$/.test(f));
	const style = files.find((f) => /^style-[A-Z0-9]+\.css$/.test(f));
	assert.ok(script && style, files.join(' '));
	assert.deepEqual(files, ['index.html', 'index.html.gz', script, script + '.gz', 'robots.txt', style, style + '.gz'].sort());

	const html = readFileSync(path.join(out, 'index.html'), 'utf8');
	const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
	assert.equal(scripts.length, 1);
	assert.match(scripts[0][1], new RegExp(`^ type="module" src="/${script}"$`));
	assert.equal(scripts[0][2], '');
	assert.equal([...html.matchAll(/<link rel="stylesheet" href="\/([^"]+)">/g)].map((m) => m[1]).join(), style);
	assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=|javascript:/i);
	assert.match(html, /<noscript>[^<]*<p class="noscript">[^<]*JavaScript[^<]*\/[^<]*JavaScript/);

	const js = readFileSync(path.join(out, script), 'utf8');
	assert.doesNotMatch(js, /\beval\(|new Function\(/);
	assert.match(js, /credentials\.create/);
	assert.equal(gunzipSync(readFileSync(path.join(out, script + '.gz'))).toString('utf8'), js);
	assert.equal(readFileSync(path.join(out, 'robots.txt'), 'utf8'), 'User-agent: *\nDisallow: /\n');
});
