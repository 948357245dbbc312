// public-https.mjs: an HTTPS server on a public-looking address of this
// machine, for the outbound fetches that refuse loopback and private
// addresses (src/net: CIMD documents, federated JWKS). A TEST-NET address
// (RFC 5737) is added to the loopback interface for the test's duration
// (needs root and ip(8)); the certificate comes from a throwaway CA whose
// file the daemon gets as SSL_CERT_FILE.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(cmd, args, cwd) {
	execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

// Why the helper cannot run here, or null.
export function publicHttpsUnavailable() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0)
		return 'not root: cannot add a TEST-NET address to lo';
	try {
		run('ip', ['-V']);
		run('openssl', ['version']);
	} catch {
		return 'ip(8) or openssl(1) is missing';
	}
	return null;
}

// Starts an HTTPS server for handler on addr (a TEST-NET address; use a
// different one per test file, they may run at once). Returns { url,
// caFile, addr, stop } or { skip: why }.
export async function startPublicHttps(addr, handler) {
	const why = publicHttpsUnavailable();
	if (why) return { skip: why };
	let added = false;
	try {
		run('ip', ['addr', 'add', `${addr}/32`, 'dev', 'lo']);
		added = true;
	} catch (e) {
		if (!/File exists/.test(String(e.stderr)))
			return { skip: `ip addr add ${addr} failed: ${String(e.stderr).trim()}` };
	}
	const dir = mkdtempSync(join(tmpdir(), 'pocket-id-https-'));
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
	run('openssl', ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem',
		'-days', '2', '-subj', '/CN=pocket-id e2e CA',
		'-addext', 'basicConstraints=critical,CA:TRUE',
		'-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
	run('openssl', ['req', ...ec, '-keyout', 'srv.key', '-out', 'srv.csr',
		'-subj', `/CN=${addr}`], dir);
	writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=IP:${addr}\n` +
		'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' +
		'keyUsage=critical,digitalSignature\n');
	run('openssl', ['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
		'-CAcreateserial', '-out', 'srv.pem', '-days', '2', '-extfile', 'ext.cnf'], dir);
	const server = createServer({ key: readFileSync(join(dir, 'srv.key')),
		cert: readFileSync(join(dir, 'srv.pem')) }, handler);
	await new Promise((ok, fail) => {
		server.on('error', fail);
		server.listen(0, addr, ok);
	});
	const url = `https://${addr}:${server.address().port}`;
	return {
		url, addr, caFile: join(dir, 'ca.pem'), server,
		stop: async () => {
			await new Promise((ok) => server.close(ok));
			server.closeAllConnections?.();
			if (added) {
				try { run('ip', ['addr', 'del', `${addr}/32`, 'dev', 'lo']); } catch { /* gone */ }
			}
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
