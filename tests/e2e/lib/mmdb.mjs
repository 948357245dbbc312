// mmdb.mjs: writes small MaxMind DB files (format 2.0, as described at
// https://maxmind.github.io/MaxMind-DB/) for tests, shaped like
// GeoLite2-City: each network maps to { city: { names: { en } },
// country: { iso_code, names: { en } } }. Written from the format
// description; an IPv6 tree with 24-bit records, IPv4 networks under
// ::/96 as MaxMind's own databases have them.
//
//   import { cityDatabase } from './lib/mmdb.mjs';
//   writeFileSync(path, cityDatabase([
//     { network: '192.0.2.0/24', country: 'Testland', iso: 'TL', city: 'Exampleville' },
//   ]));
import { isIPv4, isIPv6 } from 'node:net';

// ---- data section encoding ------------------------------------------------

const T_STRING = 2, T_UINT16 = 5, T_UINT32 = 6, T_MAP = 7;
const T_UINT64 = 9, T_ARRAY = 11;	// extended types (7 + second byte)

function control(type, size) {
	const head = [];
	let extra = [];
	let sizeBits;
	if (size < 29) sizeBits = size;
	else if (size < 29 + 256) { sizeBits = 29; extra = [size - 29]; }
	else if (size < 285 + 65536) {
		const n = size - 285;
		sizeBits = 30; extra = [n >> 8, n & 0xff];
	} else {
		const n = size - 65821;
		sizeBits = 31; extra = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
	}
	if (type <= 7) head.push((type << 5) | sizeBits);
	else head.push(sizeBits, type - 7);
	return Buffer.from([...head, ...extra]);
}

function unsigned(type, value) {
	let v = BigInt(value);
	const bytes = [];
	while (v > 0n) { bytes.unshift(Number(v & 0xffn)); v >>= 8n; }
	return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

// Encodes a JS value: strings, { $u16 | $u32 | $u64: n }, arrays, objects.
export function encode(value) {
	if (typeof value === 'string') {
		const b = Buffer.from(value, 'utf8');
		return Buffer.concat([control(T_STRING, b.length), b]);
	}
	if (Buffer.isBuffer(value)) return value;	// pre-encoded (tests of odd data)
	if (Array.isArray(value))
		return Buffer.concat([control(T_ARRAY, value.length), ...value.map(encode)]);
	if (value && typeof value === 'object') {
		if ('$u16' in value) return unsigned(T_UINT16, value.$u16);
		if ('$u32' in value) return unsigned(T_UINT32, value.$u32);
		if ('$u64' in value) return unsigned(T_UINT64, value.$u64);
		const keys = Object.keys(value);
		return Buffer.concat([control(T_MAP, keys.length),
			...keys.flatMap((k) => [encode(k), encode(value[k])])]);
	}
	throw new Error(`mmdb: cannot encode ${typeof value}`);
}

// ---- search tree ------------------------------------------------------------

// The 128 bits of an address, IPv4 placed under ::/96.
function addressBits(ip) {
	let bytes;
	if (isIPv4(ip)) bytes = [...Array(12).fill(0), ...ip.split('.').map(Number)];
	else if (isIPv6(ip)) {
		const [head, tail] = ip.split('::');
		const groups = (s) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
		const h = groups(head), t = tail === undefined ? [] : groups(tail);
		const all = [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
		bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
	} else throw new Error(`mmdb: bad address ${ip}`);
	const bits = [];
	for (const b of bytes) for (let i = 7; i >= 0; i--) bits.push((b >> i) & 1);
	return bits;
}

function networkBits(cidr) {
	const [ip, len] = cidr.split('/');
	const prefix = Number(len) + (isIPv4(ip) ? 96 : 0);
	return addressBits(ip).slice(0, prefix);
}

// records: [{ network, data }] (data: any encodable value). Returns the
// file as a Buffer. Later networks inside earlier ones override them.
export function writeDatabase(records, { databaseType = 'GeoLite2-City',
	buildEpoch = 1700000000, description = 'pocket-id test database' } = {}) {
	// nodes[i] = [left, right]; an entry is null (empty), { node } or { data }.
	const nodes = [[null, null]];
	const data = [];
	for (const { network, data: value } of records) {
		const bits = networkBits(network);
		if (bits.length === 0) throw new Error('mmdb: a /0 network is not supported');
		const di = data.push(encode(value)) - 1;
		let n = 0;
		for (let i = 0; i < bits.length - 1; i++) {
			const side = bits[i];
			const next = nodes[n][side];
			if (next && 'node' in next) { n = next.node; continue; }
			// Split an empty or data record into a node of its own.
			nodes.push([next, next]);
			nodes[n][side] = { node: nodes.length - 1 };
			n = nodes.length - 1;
		}
		nodes[n][bits.at(-1)] = { data: di };
	}
	// The data section: each record once, in order.
	const offsets = [];
	let at = 0;
	for (const d of data) { offsets.push(at); at += d.length; }
	const nodeCount = nodes.length;
	const recordValue = (r) => {
		if (r === null) return nodeCount;
		if ('node' in r) return r.node;
		return nodeCount + 16 + offsets[r.data];
	};
	const tree = Buffer.alloc(nodeCount * 6);
	nodes.forEach(([l, r], i) => {
		tree.writeUIntBE(recordValue(l), i * 6, 3);
		tree.writeUIntBE(recordValue(r), i * 6 + 3, 3);
	});
	const metadata = encode({
		node_count: { $u32: nodeCount },
		record_size: { $u16: 24 },
		ip_version: { $u16: 6 },
		database_type: databaseType,
		languages: ['en'],
		binary_format_major_version: { $u16: 2 },
		binary_format_minor_version: { $u16: 0 },
		build_epoch: { $u64: buildEpoch },
		description: { en: description },
	});
	return Buffer.concat([tree, Buffer.alloc(16), ...data,
		Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com'), metadata]);
}

// A GeoLite2-City-shaped database: [{ network, country, iso, city }].
export function cityDatabase(places, options) {
	return writeDatabase(places.map((p) => ({
		network: p.network,
		data: {
			...(p.city === undefined ? {} : {
				city: { geoname_id: { $u32: 1000 }, names: { en: p.city } } }),
			country: { geoname_id: { $u32: 2000 }, iso_code: p.iso ?? 'XX',
				names: { en: p.country } },
		},
	})), options);
}
