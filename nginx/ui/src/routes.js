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
import { AppsPage } from './pages/apps.js';
import { SignupPage } from './pages/signup.js';
import { MyAuditPage, AllAuditPage } from './pages/audit.js';
import { ClientsPage, ClientPage } from './pages/admin-clients.js';
import { UsersPage } from './pages/admin-users.js';
import { GroupsPage, GroupPage } from './pages/admin-groups.js';
import { ApiKeysPage } from './pages/admin-api-keys.js';
import { ConfigPage } from './pages/admin-config.js';
import { ApisPage, ApiPage } from './pages/admin-apis.js';

export const routes = [
	{ path: '/', page: Root, access: 'user', title: 'app.loading' },
	{ path: '/login', page: LoginPage, access: 'anonymous', title: 'title.login' },
	{ path: '/login/alternative', page: AlternativePage, access: 'anonymous', title: 'title.login' },
	{ path: '/login/alternative/code', page: LoginCodePage, access: 'public', title: 'title.loginCode' },
	{ path: '/lc', page: LoginCodePage, access: 'public', title: 'title.loginCode' },
	{ path: '/lc/:code', page: LoginCodePage, access: 'public', title: 'title.loginCode' },
	{ path: '/setup', page: SetupPage, access: 'anonymous', title: 'title.setup' },
	{ path: '/signup/setup', page: SetupPage, access: 'anonymous', title: 'title.setup' },
	{ path: '/signup', page: SignupPage, access: 'anonymous', title: 'title.signup' },
	{ path: '/st/:token', page: SignupPage, access: 'anonymous', title: 'title.signup' },
	{ path: '/signup/add-passkey', page: AddPasskeyPage, access: 'user', title: 'title.addPasskey' },
	{ path: '/logout', page: LogoutPage, access: 'user', title: 'title.logout' },
	{ path: '/interaction', page: InteractionPage, access: 'public', title: 'title.interaction' },
	{ path: '/interaction/error', page: InteractionErrorPage, access: 'public', title: 'title.interactionError' },
	{ path: '/device', page: DevicePage, access: 'public', title: 'title.device' },
	{ path: '/settings', page: SettingsHome, access: 'user', title: 'app.loading' },
	{ path: '/settings/account', page: AccountPage, access: 'user', title: 'title.account', settings: true },
	{ path: '/settings/apps', page: AppsPage, access: 'user', title: 'title.apps', settings: true },
	{ path: '/settings/audit-log', page: MyAuditPage, access: 'user', title: 'title.audit', settings: true },
	{ path: '/settings/admin/audit-log', page: AllAuditPage, access: 'admin', title: 'title.audit', settings: true },
	{ path: '/settings/admin/users', page: UsersPage, access: 'admin', title: 'title.users', settings: true },
	{ path: '/settings/admin/user-groups', page: GroupsPage, access: 'admin', title: 'title.groups', settings: true },
	{ path: '/settings/admin/user-groups/:id', page: GroupPage, access: 'admin', title: 'title.group', settings: true },
	{ path: '/settings/admin/apis', page: ApisPage, access: 'admin', title: 'title.apis', settings: true },
	{ path: '/settings/admin/apis/:id', page: ApiPage, access: 'admin', title: 'title.api', settings: true },
	{ path: '/settings/admin/application-configuration', page: ConfigPage, access: 'admin', title: 'title.config', settings: true },
	{ path: '/settings/admin/api-keys', page: ApiKeysPage, access: 'admin', title: 'title.apiKeys', settings: true },
	{ path: '/settings/admin/oidc-clients', page: ClientsPage, access: 'admin', title: 'title.clients', settings: true },
	{ path: '/settings/admin/oidc-clients/:id', page: ClientPage, access: 'admin', title: 'title.client', settings: true },
];

export const notFound = { path: '', page: NotFoundPage, access: 'public', title: 'title.notFound' };

// The settings sidebar; entries with admin: true are shown to admins only
// (their routes say access: 'admin', so the guard enforces it too).
export const settingsNav = [
	{ href: '/settings/account', label: 'nav.account' },
	{ href: '/settings/apps', label: 'nav.apps' },
	{ href: '/settings/audit-log', label: 'nav.audit' },
	{ href: '/settings/admin/users', label: 'nav.users', admin: true },
	{ href: '/settings/admin/user-groups', label: 'nav.groups', admin: true },
	{ href: '/settings/admin/oidc-clients', label: 'nav.clients', admin: true },
	{ href: '/settings/admin/apis', label: 'nav.apis', admin: true },
	{ href: '/settings/admin/api-keys', label: 'nav.apiKeys', admin: true },
	{ href: '/settings/admin/application-configuration', label: 'nav.config', admin: true },
	{ href: '/settings/admin/audit-log', label: 'nav.auditAll', admin: true },
];
