// The shell: loads the signed-in user (GET /api/users/me) and the public
// settings (GET /api/application-configuration) once at start, re-checks
// the user after a 401 from any call, applies the page guard (guard.js),
// and draws header, optional settings sidebar and the page.
import { useEffect, useErrorBoundary, useMemo, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { t, setLanguage, languageNames, language } from './i18n.js';
import { api, ApiError, onUnauthorized } from './api.js';
import { subscribe, currentLocation, matchRoute, navigate } from './router.js';
import { guardRedirect } from './guard.js';
import { settingsFromConfig, DEFAULT_SETTINGS } from './settings.js';
import { themeChoice, nextTheme, startTheme } from './theme.js';
import { AppContext } from './context.js';
import { routes, notFound, settingsNav } from './routes.js';
import { AppLogo, ErrorBox, Spinner } from './components.js';

async function loadUser() {
	try {
		return { user: await api.get('/users/me'), error: null };
	} catch (e) {
		// 401 is simply "signed out"; anything else is worth showing.
		if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return { user: null, error: null };
		return { user: null, error: e };
	}
}

function applyAccent(color) {
	const root = document.documentElement.style;
	if (color && color !== 'default' && CSS.supports('color', color)) root.setProperty('--accent', color);
	else root.removeProperty('--accent');
}

export function App() {
	const [loc, setLoc] = useState(currentLocation);
	const [user, setUser] = useState(undefined); // undefined while loading
	const [settings, setSettings] = useState(DEFAULT_SETTINGS);
	const [bootError, setBootError] = useState(null);
	const [lang, setLang] = useState(language);
	const [theme, setTheme] = useState(themeChoice);
	const [, setThemeTick] = useState(0);

	useEffect(() => subscribe(setLoc), []);
	useEffect(() => startTheme(() => setThemeTick((n) => n + 1)), []);
	useEffect(() => {
		Promise.all([
			loadUser(),
			api.get('/application-configuration').then(settingsFromConfig, (e) => {
				setBootError(e);
				return DEFAULT_SETTINGS;
			}),
		]).then(([me, s]) => {
			if (me.error) setBootError((prev) => prev || me.error);
			setSettings(s);
			applyAccent(s.accentColor);
			setUser(me.user);
			// From now on, a 401 not_signed_in from any call means signed out.
			onUnauthorized(() => setUser(null));
		});
	}, []);

	const match = matchRoute(routes, loc.path);
	const route = match ? match.route : notFound;
	const redirect = user === undefined ? null : guardRedirect(route.access, user, loc.path, loc.search);
	useEffect(() => {
		if (redirect) navigate(redirect, { replace: true });
	}, [redirect]);
	useEffect(() => {
		document.title = t(route.title) + ' · ' + settings.appName;
	}, [route, settings.appName, lang]);
	// Move focus to the new page for screen readers (not on first load).
	const firstPage = useRef(true);
	useEffect(() => {
		if (firstPage.current) firstPage.current = false;
		else document.getElementById('main')?.focus({ preventScroll: true });
		scrollTo(0, 0);
	}, [loc.path]);

	const ctx = useMemo(() => ({ user, setUser, settings }), [user, settings]);

	let content;
	if (user === undefined || redirect) content = html`<${Spinner} />`;
	else {
		const Page = route.page;
		const page = html`<${Boundary} key=${loc.path}>
			<${Page} params=${match ? match.params : {}} query=${loc.query} />
		<//>`;
		content = route.settings ? html`<${SettingsLayout} path=${loc.path} user=${user}>${page}<//>` : page;
	}

	const changeLanguage = (e) => setLang(setLanguage(e.currentTarget.value, true));
	return html`<${AppContext.Provider} value=${ctx}>
		<a class="skip-link" href="#main">${t('app.skip')}</a>
		<header class="topbar">
			<a class="brand" href="/"><${AppLogo} /><span>${settings.appName}</span></a>
			<div class="topbar-tools">
				<label class="visually-hidden" for="language">${t('app.language')}</label>
				<select id="language" value=${lang} onChange=${changeLanguage}>
					${languageNames().map((l) => html`<option key=${l.code} value=${l.code}>${l.name}</option>`)}
				</select>
				<button type="button" class="btn btn-ghost" onClick=${() => setTheme(nextTheme())}
					aria-label=${t('theme.toggle', { mode: t('theme.' + theme) })}>
					${t('theme.' + theme)}
				</button>
				${user && html`<a class="btn btn-ghost" href="/logout">${t('app.signOut')}</a>`}
			</div>
		</header>
		${bootError && html`<div class="banner"><${ErrorBox} error=${bootError} /></div>`}
		<main id="main" tabindex="-1">${content}</main>
	<//>`;
}

function SettingsLayout({ path, user, children }) {
	const items = settingsNav.filter((item) => !item.admin || user.isAdmin);
	return html`<div class="settings">
		<nav class="sidebar" aria-label=${t('nav.settings')}>
			<p class="sidebar-user">${user.displayName || user.username}</p>
			<ul>
				${items.map(
					(item) => html`<li key=${item.href}>
						<a href=${item.href} aria-current=${path === item.href || path.startsWith(item.href + '/') ? 'page' : undefined}>${t(item.label)}</a>
					</li>`,
				)}
			</ul>
		</nav>
		<div class="settings-content">${children}</div>
	</div>`;
}

// An error thrown while drawing a page: say so instead of a blank page.
function Boundary({ children }) {
	const [error] = useErrorBoundary();
	if (error) return html`<div class="banner"><${ErrorBox} error=${error} /></div>`;
	return children;
}
