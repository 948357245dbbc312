// Small routes: / and /settings forward; the not-found page.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useApp } from '../context.js';
import { homePage } from '../guard.js';
import { AuthCard, Redirect } from '../components.js';

/** /settings → the homePageUrl setting (default /settings/account). */
export function SettingsHome() {
	const { settings } = useApp();
	return html`<${Redirect} to=${homePage(settings)} />`;
}

/** / → /settings (signed-out visitors are sent to /login by the guard). */
export function Root() {
	return html`<${Redirect} to="/settings" />`;
}

export function NotFoundPage() {
	return html`<${AuthCard} title=${t('notFound.title')} lead=${t('notFound.lead')}>
		<p class="center"><a class="btn btn-primary" href="/">${t('notFound.home')}</a></p>
	<//>`;
}
