// A tiny History-API router: a route table of path patterns ("/lc/:code"),
// a store of the current location that components subscribe to, and a
// document-level click handler that turns same-origin links into
// pushState navigations. Paths the server answers (/api/, /authorize,
// /.well-known/) always load for real.

/** Compiles "/a/:b" into a matcher; ":name" matches one non-empty segment. */
export function compile(pattern) {
	const keys = [];
	const source = pattern
		.split('/')
		.map((part) => {
			if (part.startsWith(':')) {
				keys.push(part.slice(1));
				return '([^/]+)';
			}
			return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { re: new RegExp('^' + source + '$'), keys };
}

/** Finds the first route whose path matches; returns {route, params} or null. */
export function matchRoute(routes, pathname) {
	const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
	for (const route of routes) {
		route.matcher = route.matcher || compile(route.path);
		const m = route.matcher.re.exec(path);
		if (!m) continue;
		const params = {};
		route.matcher.keys.forEach((k, i) => {
			try {
				params[k] = decodeURIComponent(m[i + 1]);
			} catch {
				params[k] = m[i + 1];
			}
		});
		return { route, params };
	}
	return null;
}

/**
 * A redirect target from a query parameter, accepted only as a path on this
 * origin ("/x", not "//evil", "/\\evil", "https://..."); else the fallback.
 */
export function safeLocalPath(target, fallback) {
	if (typeof target !== 'string' || !target.startsWith('/')) return fallback;
	if (target.startsWith('//') || target.startsWith('/\\')) return fallback;
	if (/[\u0000-\u001f\u007f]/.test(target)) return fallback;
	return target;
}

const SERVER_PATHS = /^\/(api\/|authorize(\/|$|\?)|\.well-known\/|healthz?$)/;

const listeners = new Set();

export function currentLocation() {
	return { path: location.pathname, search: location.search, query: new URLSearchParams(location.search) };
}

function notify() {
	for (const fn of listeners) fn(currentLocation());
}

export function subscribe(fn) {
	listeners.add(fn);
	return () => listeners.delete(fn);
}

/** Goes to a path of this app; server paths get a real page load. */
export function navigate(to, { replace = false } = {}) {
	if (SERVER_PATHS.test(to)) {
		location.assign(to);
		return;
	}
	if (!replace && to === location.pathname + location.search) return;
	history[replace ? 'replaceState' : 'pushState'](null, '', to);
	notify();
}

function onClick(e) {
	if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
	const a = e.target.closest && e.target.closest('a[href]');
	if (!a || (a.target && a.target !== '_self') || a.hasAttribute('download')) return;
	const url = new URL(a.href, location.href);
	if (url.origin !== location.origin || SERVER_PATHS.test(url.pathname)) return;
	if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
	e.preventDefault();
	navigate(url.pathname + url.search);
}

export function startRouter() {
	addEventListener('popstate', notify);
	document.addEventListener('click', onClick);
}
