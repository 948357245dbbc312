#!/usr/bin/env node
// Development only — never use in production (nginx serves dist/ there).
// Serves dist/ on 127.0.0.1 the way the nginx site does: index.html for
// every path that is not a file, the production CSP header, and /api/*:
//   (default)        502 with an HTML body, like nginx with no backend
//   --mock anonymous canned answers from tools/mock-api.mjs, signed out
//   --mock signed-in canned answers, signed in as an admin
// Usage: node tools/dev-server.mjs [--port 8080 (0: any)] [--mock anonymous|signed-in]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mockApi } from './mock-api.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const port = Number(opt('--port', '8080'));
const mock = opt('--mock', '');

const CSP =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'";
const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
};

async function readBody(req) {
	const chunks = [];
	for await (const c of req) chunks.push(c);
	return Buffer.concat(chunks).toString('utf8');
}

const server = createServer(async (req, res) => {
	const url = new URL(req.url, 'http://' + (req.headers.host || '127.0.0.1'));
	res.setHeader('Content-Security-Policy', CSP);
	res.setHeader('X-Content-Type-Options', 'nosniff');
	if (url.pathname.startsWith('/api/')) {
		if (!mock) {
			res.writeHead(502, { 'Content-Type': 'text/html' });
			res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
			return;
		}
		const answer = mockApi(mock, req.method, url, await readBody(req), req.headers.cookie || '');
		const headers = { 'Content-Type': 'application/json' };
		if (answer.cookie) headers['Set-Cookie'] = answer.cookie;
		if (answer.type) headers['Content-Type'] = answer.type;
		res.writeHead(answer.status, headers);
		res.end(answer.body === undefined ? '' : typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body));
		return;
	}
	let file = path.join(dist, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
	try {
		if (!(await stat(file)).isFile()) throw new Error('not a file');
	} catch {
		file = path.join(dist, 'index.html');
	}
	const type = TYPES[path.extname(file)] || 'application/octet-stream';
	res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
	res.end(await readFile(file));
});
server.listen(port, '127.0.0.1', () =>
	console.log(`dev server (not for production): http://127.0.0.1:${server.address().port}/`),
);
