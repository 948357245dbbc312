// admin-lists.mjs: the admin list endpoints on a large instance. Seeds
// 10,000 users and 100 groups straight in SQL (generate_series through
// the test cluster, not 10,000 HTTP calls), then measures GET /api/users
// and GET /api/user-groups through nginx with wrk (loopback, bounded),
// and prints the plans PostgreSQL used for those requests (auto_explain,
// on a second pass so that logging plans does not slow the measured one),
// checking that the searches use the trigram indexes of
// sql/0012_list_indexes.sql. Exits 1 when a check fails.
//
//   node tests/bench/admin-lists.mjs     (POCKET_ID_BIN, POCKET_ID_SRC as
//                                         for the e2e tests)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=16 node tests/bench/admin-lists.mjs
//
// Prints Markdown for the README. Numbers never go into tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { startCluster } from '../e2e/lib/pg.mjs';
import { startStack, waitFor } from '../e2e/lib/stack.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const workers = Number(process.env.BENCH_WORKERS ?? 4);
const USERS = Number(process.env.BENCH_USERS ?? 10000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 100);
const KEY = 'bench-admin-lists-static-api-key-0123456789';
const DB = 'benchlists';

// Query strings as the SPA sends them, brackets percent-encoded.
const q = (params) => Object.entries(params).map(([k, v]) =>
	`${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const CASES = [
	{ label: 'users, first page (default sort createdAt)', path: '/api/users?' +
		q({ 'pagination[limit]': 20 }) },
	{ label: 'users, sort lastName desc, page 250', path: '/api/users?' +
		q({ 'sort[column]': 'lastName', 'sort[direction]': 'desc', 'pagination[limit]': 20,
			'pagination[page]': 250 }) },
	{ label: 'users, search "user042" (100 hits), sort username', search: 'users', path: '/api/users?' +
		q({ search: 'user042', 'sort[column]': 'username', 'sort[direction]': 'asc',
			'pagination[limit]': 20 }) },
	{ label: 'users, search "Lovelace" (last name, ~100 hits), sort email', search: 'users',
		path: '/api/users?' + q({ search: 'Lovelace', 'sort[column]': 'email',
			'pagination[limit]': 20 }) },
	{ label: 'users, search with no hit', search: 'users', path: '/api/users?' +
		q({ search: 'zzqxj', 'pagination[limit]': 20 }) },
	{ label: 'users, search "example" (every user), sort displayName', path: '/api/users?' +
		q({ search: 'example', 'sort[column]': 'displayName', 'pagination[limit]': 20 }) },
	{ label: 'groups, first page, sort userCount desc', path: '/api/user-groups?' +
		q({ 'sort[column]': 'userCount', 'sort[direction]': 'desc', 'pagination[limit]': 20 }) },
	{ label: 'groups, search "team-04"', search: 'groups', path: '/api/user-groups?' +
		q({ search: 'team-04', 'sort[column]': 'name', 'pagination[limit]': 20 }) },
];

function wrk(url) {
	const out = execFileSync('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`,
		'--latency', '-H', `X-API-Key: ${KEY}`, url], { encoding: 'utf8' });
	const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
	const pct = (p) => out.match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm'))?.[1];
	const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
	return { rps, p50: pct(50), p99: pct(99), non2xx };
}

const LAST = ['Lovelace', 'Hopper', 'Turing', 'Knuth', 'Ritchie', 'Thompson', 'Liskov',
	'Hamilton', 'Dijkstra', 'Lamport', 'Perlman', 'Torvalds', 'Kernighan', 'Wirth', 'Backus',
	'McCarthy', 'Shannon', 'Babbage', 'Goldberg', 'Allen', 'Sammet', 'Bartik', 'Cerf', 'Kahn',
	'Berners', 'Stroustrup', 'Gosling', 'Pike', 'Cox', 'Hoare', 'Milner', 'Floyd', 'Tarjan',
	'Karp', 'Cook', 'Levin', 'Rivest', 'Shamir', 'Adleman', 'Diffie', 'Hellman', 'Merkle',
	'Bernstein', 'Lange', 'Wozniak', 'Jobs', 'Gates', 'Allen', 'Moore', 'Noyce', 'Kilby',
	'Hollerith', 'Zuse', 'Aiken', 'Eckert', 'Mauchly', 'Neumann', 'Wilkes', 'Strachey',
	'Landin', 'Scott', 'Plotkin', 'Reynolds', 'Hughes', 'Wadler', 'Peyton', 'Lattner',
	'Stallman', 'Raymond', 'Joy', 'McKusick', 'Bostic', 'Karels', 'Leffler', 'Ousterhout',
	'Welsh', 'Wall', 'Rossum', 'Matsumoto', 'Eich', 'Hejlsberg', 'Odersky', 'Armstrong',
	'Virding', 'Williams', 'Steele', 'Sussman', 'Abelson', 'Felleisen', 'Flatt', 'Krishnamurthi',
	'Pierce', 'Harper', 'Appel', 'Leroy', 'Xavier', 'Coquand', 'Huet', 'Paulin', 'Bertot'];

async function seed(cluster) {
	const sql = (text) => cluster.psql(DB, text);
	// Users: user00001..user10000, each with an email, names and a time.
	await sql(`INSERT INTO users (id, created_at, username, email, email_verified, first_name,
		last_name, display_name, is_admin, disabled)
		SELECT gen_random_uuid(), now() - (i || ' minutes')::interval, 'user' || lpad(i::text, 5, '0'),
			'user' || lpad(i::text, 5, '0') || '@example.org', i % 3 = 0,
			'First' || (i % 997), (ARRAY['${LAST.join("','")}'])[1 + i % ${LAST.length}],
			'First' || (i % 997) || ' ' || (ARRAY['${LAST.join("','")}'])[1 + i % ${LAST.length}],
			i % 500 = 0, i % 250 = 0
		FROM generate_series(1, ${USERS}) AS i`);
	await sql(`INSERT INTO user_groups (id, created_at, friendly_name, name)
		SELECT gen_random_uuid(), now() - (i || ' hours')::interval, 'Team ' || lpad(i::text, 3, '0'),
			'team-' || lpad(i::text, 3, '0')
		FROM generate_series(1, ${GROUPS}) AS i`);
	// Every user in two groups, some groups much larger than others.
	await sql(`INSERT INTO user_groups_users (user_id, user_group_id)
		SELECT u.id, g.id FROM (SELECT id, row_number() OVER (ORDER BY username) AS n FROM users) u
		JOIN (SELECT id, row_number() OVER (ORDER BY name) AS n FROM user_groups) g
		ON g.n = 1 + u.n % ${GROUPS} OR g.n = 1 + (u.n * u.n) % ${GROUPS}
		ON CONFLICT DO NOTHING`);
	// As autovacuum would leave them: statistics and a visibility map
	// (index-only scans for the member counts).
	await sql('VACUUM ANALYZE');
	return {
		users: await sql('SELECT count(*) FROM users'),
		groups: await sql('SELECT count(*) FROM user_groups'),
		members: await sql('SELECT count(*) FROM user_groups_users'),
	};
}

// The plans auto_explain wrote to the cluster's log after `from`, one per
// list statement, in the order they ran.
function plansSince(cluster, from) {
	const log = readFileSync(cluster.logPath, 'utf8').slice(from);
	const plans = [];
	const re = /LOG:\s+duration: ([\d.]+) ms\s+plan:\n([\s\S]*?)(?=\n\S[^\n]*(LOG|ERROR|STATEMENT|WARNING):|\n*$)/g;
	for (const m of log.matchAll(re)) {
		const text = m[2];
		if (!/FROM users u|FROM user_groups g/.test(text)) continue;
		if (!/json_build_object\('data'/.test(text)) continue;
		const query = text.match(/Query Text: ([\s\S]*?)\n\t/)?.[1];
		plans.push({ ms: Number(m[1]), text, query });
	}
	return plans;
}

const INDEXES = {
	users: ['users_username_trgm', 'users_email_trgm', 'users_first_name_trgm', 'users_last_name_trgm'],
	groups: ['user_groups_name_trgm', 'user_groups_friendly_name_trgm'],
};

// EXPLAIN of a logged list statement with its case's parameters and
// sequential scans disabled: true when the search's indexes all appear.
async function indexesUsable(c, query) {
	if (!query) return false;
	const u = new URL(c.path, 'http://x');
	const lit = (v) => (v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);
	const args = [`%${u.searchParams.get('search')}%`, '{}',
		u.searchParams.get('sort[column]') ?? 'createdAt', u.searchParams.get('sort[direction]') ?? 'asc',
		u.searchParams.get('pagination[limit]') ?? 20, u.searchParams.get('pagination[page]') ?? 1];
	const plan = await cluster.psql(DB, 'SET enable_seqscan = off; ' +
		`PREPARE s(text, jsonb, text, text, bigint, bigint) AS ${query}; ` +
		`EXPLAIN EXECUTE s(${args.map(lit).join(', ')})`);
	return INDEXES[c.search].every((i) => plan.includes(`Bitmap Index Scan on ${i}`));
}

// Only the plan tree, without the query text auto_explain puts first.
const planTree = (text) => text.replace(/^[\s\S]*?\n(?=\s*(Result|Aggregate|Subquery|CTE|Limit|Nested|Hash|Seq|Sort|Bitmap|Index))/, '');

const cluster = await startCluster();
const dbUrl = await cluster.createDatabase(DB);
const stack = await startStack(dbUrl, { workers, env: { LOG_LEVEL: 'warn', STATIC_API_KEY: KEY } });
let failed = false;
try {
	const t0 = Date.now();
	const counts = await seed(cluster);
	const seedMs = Date.now() - t0;
	for (const c of CASES) {
		const r = await fetch(stack.url + c.path, { headers: { 'x-api-key': KEY } });
		const body = await r.json();
		if (r.status !== 200) throw new Error(`${c.path}: ${r.status} ${JSON.stringify(body)}`);
		c.total = body.pagination.totalItems;
	}
	const load = loadavg()[0].toFixed(1);
	console.log(`# pocket-id admin lists — ${new Date().toISOString().slice(0, 10)}, ` +
		`${cpus().length} × ${cpus()[0].model.trim()}, wrk -t2 -c${connections} -d${seconds}s ` +
		`on loopback, WORKERS=${workers}, load average ${load} at the start\n`);
	console.log(`Seeded ${counts.users} users, ${counts.groups} groups, ${counts.members} ` +
		`memberships in ${(seedMs / 1000).toFixed(1)} s (SQL generate_series).\n`);
	console.log('| request | matches | requests/s | p50 | p99 | non-2xx |');
	console.log('|---|---:|---:|---:|---:|---:|');
	for (const c of CASES) {
		const r = wrk(stack.url + c.path);
		console.log(`| ${c.label} | ${c.total} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
		if (r.non2xx > 0) failed = true;
	}

	// Second pass: the plans of the very statements the workers run, with
	// their parameters, from auto_explain in fresh worker connections.
	await cluster.psql(DB, `ALTER DATABASE ${DB} SET session_preload_libraries = 'auto_explain'`);
	await cluster.psql(DB, `ALTER DATABASE ${DB} SET auto_explain.log_min_duration = 0`);
	await cluster.psql(DB, `ALTER DATABASE ${DB} SET auto_explain.log_analyze = on`);
	await cluster.psql(DB, `ALTER DATABASE ${DB} SET auto_explain.log_timing = off`);
	await stack.stopDaemon();
	await stack.startDaemon();
	await waitFor('the daemon', async () => (await fetch(`${stack.url}/healthz`)).status === 204);
	console.log('\n## Plans (auto_explain, ANALYZE without timing)\n');
	for (const c of CASES) {
		const from = readFileSync(cluster.logPath, 'utf8').length;
		// Several times, so that a cached generic plan would show too.
		for (let i = 0; i < 7; i++)
			await fetch(stack.url + c.path, { headers: { 'x-api-key': KEY } });
		await new Promise((ok) => setTimeout(ok, 300));
		const plans = plansSince(cluster, from);
		const last = plans.at(-1);
		if (!last) {
			console.log(`${c.label}: no plan found in the log`);
			failed = true;
			continue;
		}
		const tree = planTree(last.text);
		// How the rows of the list (CTE f) are found; the DTO's subplans
		// scan other tables and do not count.
		const rows = tree.split('CTE f')[1]?.split(/\n\s+CTE /)[0] ?? '';
		const used = [...new Set(rows.match(/\w+_trgm/g) ?? [])];
		const scan = /Seq Scan on (users|user_groups) /.test(rows) ? 'a sequential scan'
			: used.length ? `a BitmapOr of ${used.join(', ')}` : 'no scan found';
		let verdict = `planner chose ${scan}`;
		if (c.search) {
			// Whether the indexes fit the statement's expressions: the same
			// statement, its text from the log, planned with sequential
			// scans priced out.
			const ok = await indexesUsable(c, plans.at(-1).query);
			verdict += ok ? `; with enable_seqscan=off it uses ${INDEXES[c.search].join(', ')} — OK`
				: '; FAIL: even with enable_seqscan=off the trigram indexes are not used';
			if (!ok) failed = true;
		}
		const ms = plans.map((p) => p.ms.toFixed(1)).join(', ');
		console.log(`### ${c.label}\n\n${verdict}; statement times of the 7 runs: ${ms} ms\n`);
		console.log('```\n' + tree.replace(/\n+$/, '') + '\n```\n');
	}
} finally {
	await stack.stop();
	await cluster.destroy();
}
process.exit(failed ? 1 : 0);
