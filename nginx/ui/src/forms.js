// Pure helpers the admin forms share: turning a textarea of URLs into the
// list the API wants and back, and the login-code link an admin hands on.
// No DOM, no fetch: test/forms.test.mjs covers them.

/** One entry per non-empty line, trimmed; blank lines are dropped. */
export function linesToList(text) {
	return String(text || '')
		.split(/\r?\n/)
		.map((s) => s.trim())
		.filter(Boolean);
}

/** The opposite of linesToList, for filling a textarea. */
export function listToLines(list) {
	return Array.isArray(list) ? list.join('\n') : '';
}

/** A link to one of our pages that carries a code: /lc/<code>, /st/<token>. */
function codeLink(origin, page, code) {
	return String(origin).replace(/\/+$/, '') + '/' + page + '/' + encodeURIComponent(code);
}

/** The page that signs a user in with a login code (spec §9: /lc/:code). */
export const loginCodeLink = (origin, code) => codeLink(origin, 'lc', code);

/** The sign-up page for a sign-up token (spec §9: /st/:token). */
export const signupLink = (origin, token) => codeLink(origin, 'st', token);

/**
 * The body of POST/PUT /api/oidc/clients from the form state (spec §1.7).
 * Public clients always use PKCE, so the switch is forced on for them.
 * isGroupRestricted is not a form field: a PUT adds the value it keeps.
 */
export function clientBody(form) {
	return {
		name: form.name.trim(),
		description: form.description.trim(),
		callbackURLs: linesToList(form.callbackURLs),
		logoutCallbackURLs: linesToList(form.logoutCallbackURLs),
		launchURL: form.launchURL.trim() || undefined,
		isPublic: !!form.isPublic,
		pkceEnabled: !!form.isPublic || !!form.pkceEnabled,
		requiresReauthentication: !!form.requiresReauthentication,
		skipConsent: !!form.skipConsent,
	};
}

/** The form state for a client as the API returns it (or a new one). */
export function clientForm(client) {
	const c = client || {};
	return {
		name: c.name || '',
		description: c.description || '',
		callbackURLs: listToLines(c.callbackURLs),
		logoutCallbackURLs: listToLines(c.logoutCallbackURLs),
		launchURL: c.launchURL || '',
		isPublic: !!c.isPublic,
		pkceEnabled: !!c.pkceEnabled,
		requiresReauthentication: !!c.requiresReauthentication,
		skipConsent: !!c.skipConsent,
	};
}

/**
 * The group name proposed for a friendly name: lower case, runs of
 * anything but letters and digits become one underscore ("Human
 * Resources" → "human_resources"). The admin can still edit it.
 */
export function groupName(friendlyName) {
	return String(friendlyName || '')
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '');
}

/** The date an API key form proposes: 30 days from `now`, as YYYY-MM-DD. */
export function defaultExpiry(now) {
	const d = new Date(now.getTime() + 30 * 86400 * 1000);
	return d.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date from a date field as the end of that day in UTC. */
export function endOfDay(date) {
	return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date + 'T23:59:59Z' : date;
}

/** {key: value} from the [{key, type, value}] list of the settings API. */
export function configValues(entries) {
	const out = {};
	for (const e of entries || []) out[e.key] = e.value;
	return out;
}

/**
 * The body of PUT /api/application-configuration: every key, as strings
 * (the API replaces the whole set; spec §1.10).
 */
export function configBody(values) {
	const out = {};
	for (const [key, value] of Object.entries(values)) out[key] = value == null ? '' : String(value);
	return out;
}

/** An API's permissions as editable lines: "key | name | description". */
export function permissionRows(permissions) {
	return (permissions || [])
		.map((p) => [p.key, p.name, p.description].filter((v) => v != null && v !== '').join(' | '))
		.join('\n');
}

/**
 * The body of PUT /api/apis/:id/permissions from those lines (spec §1.8:
 * the list replaces the old one, matched by key). A line with only a key
 * uses the key as its name; blank lines are skipped.
 */
export function permissionsBody(text) {
	const permissions = linesToList(text).map((line) => {
		const [key, name, ...rest] = line.split('|').map((s) => s.trim());
		const description = rest.join(' | ');
		return { key, name: name || key, ...(description ? { description } : {}) };
	});
	return { permissions };
}

/** The query of an audit-log page: newest first, 20 a page, filters. */
export function auditQuery({ page, event, userId }) {
	const q = new URLSearchParams({ 'pagination[page]': String(page), 'pagination[limit]': '20',
		'sort[column]': 'createdAt', 'sort[direction]': 'desc' });
	if (event) q.set('filters[event]', event);
	if (userId) q.set('filters[userID]', userId);
	return '?' + q.toString();
}

/** Custom claims as editable lines: "key = value" (spec §1.9). */
export function claimRows(claims) {
	return (claims || []).map((c) => c.key + ' = ' + c.value).join('\n');
}

/**
 * The body of PUT /api/custom-claims/...: one claim per line, split at the
 * first "=" (a value may hold more, e.g. JSON); blank lines are skipped.
 */
export function claimsBody(text) {
	return linesToList(text).map((line) => {
		const at = line.indexOf('=');
		return at < 0 ? { key: line, value: '' } : { key: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
	});
}
