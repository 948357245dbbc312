// fcgi.mjs: a minimal FastCGI client, to talk to the workers without nginx
// and send what nginx never would (malformed records, odd parameters).
import { createConnection } from 'node:net';

const VERSION = 1, BEGIN_REQUEST = 1, END_REQUEST = 3, PARAMS = 4,
	STDIN = 5, STDOUT = 6;

function record(type, content, requestId = 1) {
	const header = Buffer.alloc(8);
	header[0] = VERSION;
	header[1] = type;
	header.writeUInt16BE(requestId, 2);
	header.writeUInt16BE(content.length, 4);
	return Buffer.concat([header, content]);
}

function lengthBytes(n) {
	if (n < 128) return Buffer.from([n]);
	const b = Buffer.alloc(4);
	b.writeUInt32BE((n | 0x80000000) >>> 0);
	return b;
}

// params: array of [name, value] (Buffers or strings).
export function encodeParams(params) {
	const parts = [];
	for (const [name, value] of params) {
		const n = Buffer.from(name), v = Buffer.from(value);
		parts.push(lengthBytes(n.length), lengthBytes(v.length), n, v);
	}
	return Buffer.concat(parts);
}

// The records of a whole request, split so no record exceeds 65535 bytes.
export function encodeRequest(params, body = Buffer.alloc(0)) {
	const chunks = [record(BEGIN_REQUEST, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]))];
	const encoded = encodeParams(params);
	for (let i = 0; i < encoded.length; i += 65535)
		chunks.push(record(PARAMS, encoded.subarray(i, i + 65535)));
	chunks.push(record(PARAMS, Buffer.alloc(0)));
	for (let i = 0; i < body.length; i += 65535)
		chunks.push(record(STDIN, body.subarray(i, i + 65535)));
	chunks.push(record(STDIN, Buffer.alloc(0)));
	return Buffer.concat(chunks);
}

// Sends raw bytes to the socket and collects the STDOUT stream until the
// worker ends the request or closes. Resolves { status, headers, body, raw,
// ended } where ended says whether END_REQUEST arrived.
export function exchange(socketPath, bytes, timeoutMs = 5000) {
	return new Promise((ok, fail) => {
		const conn = createConnection(socketPath);
		let buffered = Buffer.alloc(0), stdout = Buffer.alloc(0), ended = false;
		const timer = setTimeout(() => { conn.destroy(); fail(new Error('fcgi timeout')); }, timeoutMs);
		conn.on('connect', () => conn.write(bytes));
		conn.on('data', (d) => {
			buffered = Buffer.concat([buffered, d]);
			while (buffered.length >= 8) {
				const len = buffered.readUInt16BE(4), pad = buffered[6];
				if (buffered.length < 8 + len + pad) break;
				const type = buffered[1], content = buffered.subarray(8, 8 + len);
				if (type === STDOUT) stdout = Buffer.concat([stdout, content]);
				if (type === END_REQUEST) ended = true;
				buffered = buffered.subarray(8 + len + pad);
			}
		});
		conn.on('error', () => {});
		conn.on('close', () => {
			clearTimeout(timer);
			const raw = stdout.toString('utf8');
			const split = raw.indexOf('\r\n\r\n');
			const head = split >= 0 ? raw.slice(0, split) : raw;
			const headers = {};
			for (const line of head.split('\r\n')) {
				const i = line.indexOf(':');
				if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
			}
			const status = headers.status ? Number(headers.status.split(' ')[0]) : 0;
			ok({ status, headers, body: split >= 0 ? raw.slice(split + 4) : '', raw, ended });
		});
	});
}

export function request(socketPath, params, body) {
	return exchange(socketPath, encodeRequest(params, body));
}

// The parameters nginx would send for a simple request.
export function baseParams(method, uri, extra = []) {
	const [path, query = ''] = uri.split('?');
	return [['REQUEST_METHOD', method], ['REQUEST_URI', uri],
		['DOCUMENT_URI', path], ['QUERY_STRING', query],
		['REMOTE_ADDR', '127.0.0.1'], ['SERVER_PROTOCOL', 'HTTP/1.1'],
		...extra];
}
