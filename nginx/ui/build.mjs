#!/usr/bin/env node
// Builds the web UI into dist/ (or --outdir DIR):
//   app-<hash>.js    the bundled, minified ES module (Preact + htm + src/)
//   style-<hash>.css the one stylesheet
//   index.html       shell naming both; no inline script or style (the
//                    CSP is script-src 'self'; style-src 'self')
//   robots.txt       disallow everything
// plus a .gz sibling of each text file for nginx's gzip_static.
// Usage: npm ci && node build.mjs [--outdir DIR] [--quiet]
import { build } from 'esbuild';
import { readFile, writeFile, rm, mkdir, copyFile } from 'node:fs/promises';
import { gzipSync, constants } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--outdir');
const outdir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(here, 'dist'));
const quiet = args.includes('--quiet');
const src = path.join(here, 'src');

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const result = await build({
	entryPoints: [
		{ in: path.join(src, 'main.js'), out: 'app' },
		{ in: path.join(src, 'style.css'), out: 'style' },
	],
	outdir,
	entryNames: '[name]-[hash]',
	bundle: true,
	minify: true,
	format: 'esm',
	target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
	legalComments: 'none',
	charset: 'utf8',
	metafile: true,
	write: true,
	logLevel: quiet ? 'error' : 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => path.basename(p));
const script = outputs.find((f) => /^app-[A-Z0-9]+\.js$/.test(f));
const style = outputs.find((f) => /^style-[A-Z0-9]+\.css$/.test(f));
if (!script || !style) throw new Error('build: missing output in ' + outputs.join(', '));

// The <noscript> text cannot be translated at run time, so it carries
// every catalogue's message.
const noscript = [];
for (const lang of ['en', 'zh-CN']) {
	const cat = JSON.parse(await readFile(path.join(src, 'i18n', lang + '.json'), 'utf8'));
	noscript.push(cat['app.noscript']);
}
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const indexHtml = (await readFile(path.join(src, 'index.html'), 'utf8'))
	.replace('{{STYLE}}', style)
	.replace('{{SCRIPT}}', script)
	.replace('{{NOSCRIPT}}', noscript.map(escape).join(' / '));
await writeFile(path.join(outdir, 'index.html'), indexHtml);
await copyFile(path.join(src, 'robots.txt'), path.join(outdir, 'robots.txt'));

const report = [];
for (const file of ['index.html', script, style]) {
	const body = await readFile(path.join(outdir, file));
	const gz = gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
	await writeFile(path.join(outdir, file + '.gz'), gz);
	report.push(`${file.padEnd(24)} ${String(body.length).padStart(7)} B  gzip ${String(gz.length).padStart(6)} B`);
}
if (!quiet) console.log('built ' + path.relative(process.cwd(), outdir) + '/\n  ' + report.join('\n  '));
