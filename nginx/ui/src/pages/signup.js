// Self sign-up (spec §1.4, POST /api/signup): /signup when the
// allowUserSignups setting is "open", and /st/<token> with a sign-up link
// an admin made (works whatever the setting). A new account goes on to add
// its passkey, like the first admin does.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { useApp } from '../context.js';
import { AuthCard } from '../components.js';
import { NewAccountForm } from './setup.js';

export function SignupPage({ params }) {
	const { setUser, settings } = useApp();
	const token = params.token;
	if (!token && settings.allowUserSignups !== 'open') {
		const reason = settings.allowUserSignups === 'withToken' ? 'signup.needLink' : 'signup.disabled';
		return html`<${AuthCard} title=${t('signup.title')} lead=${t(reason)}>
			<p class="center"><a class="btn btn-primary" href="/login">${t('setup.toLogin')}</a></p>
		<//>`;
	}
	const create = (body) =>
		api.post('/signup', token ? { ...body, token } : body).catch((e) => {
			// The link is checked only on submit: name the link, not a login code.
			if (e instanceof ApiError && e.code === 'token_invalid_or_expired')
				throw new ApiError(e.status, 'signup_link_invalid', '', null);
			throw e;
		});
	return html`<${AuthCard} title=${t('signup.title')} lead=${t('signup.lead', { appName: settings.appName })}>
		<${NewAccountForm} submitLabel=${t('setup.submit')} create=${create} onCreated=${setUser} />
		<p class="center"><a href="/login">${t('signup.haveAccount')}</a></p>
	<//>`;
}
