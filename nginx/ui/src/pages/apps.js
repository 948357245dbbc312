// /settings/apps ("My apps", spec §1.7 GET /api/oidc/users/me/clients):
// the clients the signed-in person may use, most recently used first,
// with a link to each one's launch URL.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { ClientLogo, ErrorBox, Notice, Spinner, useLoad } from '../components.js';

export function AppsPage() {
	const list = useLoad(() => api.get('/oidc/users/me/clients?pagination[limit]=100&sort[column]=lastUsedAt&sort[direction]=desc'));
	const apps = (list.data && list.data.data) || [];
	return html`<div class="stack">
		<h1 id="page-title">${t('apps.title')}</h1>
		${list.loading && html`<${Spinner} />`}
		<${ErrorBox} error=${list.error} />
		${!list.loading && !list.error && apps.length === 0 && html`<${Notice}>${t('apps.none')}<//>`}
		<ul class="apps">
			${apps.map(
				(c) => html`<li key=${c.id} class="app-card" data-testid="app-card">
					<${ClientLogo} client=${c} />
					<div class="row-main">
						<strong>${c.name}</strong>
						${c.launchURL
							? html`<a href=${c.launchURL} rel="noopener noreferrer">${t('apps.open', { host: hostOf(c.launchURL) })}</a>`
							: html`<span class="small muted">${t('apps.noLaunch')}</span>`}
					</div>
				</li>`,
			)}
		</ul>
	</div>`;
}

function hostOf(url) {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}
