// The route table: every page of the UI, who may see it (guard.js), its
// title key, and whether it sits in the settings layout with the sidebar.
// The first match wins; anything else is the not-found page.
import { LoginPage, AlternativePage, LoginCodePage } from './pages/login.js';
import { SetupPage, AddPasskeyPage } from './pages/setup.js';
import { AccountPage } from './pages/account.js';
import { LogoutPage } from './pages/logout.js';
import { InteractionPage, InteractionErrorPage } from './pages/interaction.js';
import { DevicePage } from './pages/device.js';
import { Root, SettingsHome, NotFoundPage } from './pages/misc.js';

export const routes = [
	{ path: '/', page: Root, access: 'user', title: 'app.loading' },
	{ path: '/login', page: LoginPage, access: 'anonymous', title: 'title.login' },
	{ path: '/login/alternative', page: AlternativePage, access: 'anonymous', title: 'title.login' },
	{ path: '/login/alternative/code', page: LoginCodePage, access: 'public', title: 'title.loginCode' },
	{ path: '/lc', page: LoginCodePage, access: 'public', title: 'title.loginCode' },
	{ path: '/lc/:code', page: LoginCodePage, access: 'public', title: 'title.loginCode' },
	{ path: '/setup', page: SetupPage, access: 'anonymous', title: 'title.setup' },
	{ path: '/signup/setup', page: SetupPage, access: 'anonymous', title: 'title.setup' },
	{ path: '/signup/add-passkey', page: AddPasskeyPage, access: 'user', title: 'title.addPasskey' },
	{ path: '/logout', page: LogoutPage, access: 'user', title: 'title.logout' },
	{ path: '/interaction', page: InteractionPage, access: 'public', title: 'title.interaction' },
	{ path: '/interaction/error', page: InteractionErrorPage, access: 'public', title: 'title.interactionError' },
	{ path: '/device', page: DevicePage, access: 'public', title: 'title.device' },
	{ path: '/settings', page: SettingsHome, access: 'user', title: 'app.loading' },
	{ path: '/settings/account', page: AccountPage, access: 'user', title: 'title.account', settings: true },
];

export const notFound = { path: '', page: NotFoundPage, access: 'public', title: 'title.notFound' };

// The settings sidebar lists only pages that exist; admin pages will add
// entries with admin: true (shown to admins only) and routes with
// access: 'admin'.
export const settingsNav = [{ href: '/settings/account', label: 'nav.account' }];
