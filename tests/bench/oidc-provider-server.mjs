// oidc-provider-server.mjs: the reference provider for tests/bench/oidc.mjs,
// run in a child process (wrk blocks the parent). It is configured like
// the pocket-id side of the benchmark: one confidential client using
// client_secret_basic, RS256 for every signature, the scopes openid
// profile email groups with claims in the ID token, refresh tokens on the
// code grant, and client_credentials issuing RS256 JWT access tokens.
//
//   node oidc-provider-server.mjs PORT CODES_FILE
//
// Prints "ready" once listening. Every line "codes N" read on stdin makes
// N authorization codes (through the provider's own Grant and
// AuthorizationCode models, as its /authorize would) and appends them to
// CODES_FILE, then prints "codes done".
import { appendFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { createInterface } from 'node:readline';
import Provider from 'oidc-provider';

const [port, codesFile] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const CALLBACK = 'https://rp.example/callback';
const SCOPE = 'openid profile email groups';
const RESOURCE = 'https://api.bench.example';

// The in-memory adapter that ships with oidc-provider keeps 1000 entries
// (LRU), fewer than the code pool: this one keeps everything.
const stores = new Map();
class MapAdapter {
	constructor(name) {
		if (!stores.has(name)) stores.set(name, new Map());
		this.store = stores.get(name);
	}
	async upsert(id, payload) { this.store.set(id, { ...payload }); }
	async find(id) { return this.store.get(id); }
	async findByUserCode(code) {
		for (const p of this.store.values()) if (p.userCode === code) return p;
		return undefined;
	}
	async findByUid(uid) {
		for (const p of this.store.values()) if (p.uid === uid) return p;
		return undefined;
	}
	async consume(id) {
		const p = this.store.get(id);
		if (p) p.consumed = Math.floor(Date.now() / 1000);
	}
	async destroy(id) { this.store.delete(id); }
	async revokeByGrantId(grantId) {
		for (const s of stores.values())
			for (const [id, p] of s) if (p.grantId === grantId) s.delete(id);
	}
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
	adapter: MapAdapter,
	jwks: { keys: [jwk] },
	clients: [{
		client_id: 'bench',
		client_secret: 'bench-secret-0123456789abcdef0123456789abcdef',
		token_endpoint_auth_method: 'client_secret_basic',
		grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
		response_types: ['code'],
		redirect_uris: [CALLBACK],
		id_token_signed_response_alg: 'RS256',
		scope: SCOPE,
	}],
	scopes: ['openid', 'profile', 'email', 'groups'],
	claims: {
		openid: ['sub'],
		profile: ['name', 'given_name', 'family_name', 'preferred_username',
			'picture'],
		email: ['email', 'email_verified'],
		groups: ['groups'],
	},
	// Our ID tokens carry the user's claims as well.
	conformIdTokenClaims: false,
	pkce: { required: () => false },
	issueRefreshToken: async () => true,
	features: {
		devInteractions: { enabled: false },
		clientCredentials: { enabled: true },
		userinfo: { enabled: true },
		// client_credentials gets an RS256 JWT access token like ours; the
		// code grant keeps opaque ones, which its userinfo requires.
		resourceIndicators: {
			enabled: true,
			defaultResource: (ctx) => (ctx.oidc.params?.grant_type ===
				'client_credentials' ? RESOURCE : undefined),
			useGrantedResource: () => false,
			getResourceServerInfo: () => ({ scope: SCOPE,
				accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
		},
	},
	findAccount: async (_ctx, sub) => ({
		accountId: sub,
		claims: async () => ({ sub, name: 'Tim Cook', given_name: 'Tim',
			family_name: 'Cook', preferred_username: 'tim',
			picture: `${issuer}/api/users/${sub}/profile-picture.png`,
			email: 'tim@example.com', email_verified: false, groups: [] }),
	}),
});
provider.on('server_error', (_ctx, e) => console.error('server_error', e));

async function makeCodes(n) {
	const client = await provider.Client.find('bench');
	const lines = [];
	for (let i = 0; i < n; i++) {
		const grant = new provider.Grant({ accountId: 'user-1', clientId: 'bench' });
		grant.addOIDCScope(SCOPE);
		const grantId = await grant.save();
		const code = new provider.AuthorizationCode({ client, accountId: 'user-1',
			grantId, scope: SCOPE, redirectUri: CALLBACK,
			authTime: Math.floor(Date.now() / 1000), nonce: `n${i}` });
		lines.push(await code.save());
	}
	appendFileSync(codesFile, lines.join('\n') + '\n');
}

provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
createInterface({ input: process.stdin }).on('line', async (line) => {
	const m = line.match(/^codes (\d+)$/);
	if (m) {
		await makeCodes(Number(m[1]));
		console.log('codes done');
	}
});
