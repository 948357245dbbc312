// /logout: "Sign out?" → POST /api/webauthn/logout → / (which sends a
// signed-out visitor to /login?redirect=%2F, as spec §10 test 9 expects).
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { navigate } from '../router.js';
import { useApp } from '../context.js';
import { AuthCard, Button, ErrorBox, useAction } from '../components.js';

export function LogoutPage() {
	const { user, setUser } = useApp();
	const action = useAction();
	const signOut = () =>
		action.run(async () => {
			await api.post('/webauthn/logout');
			navigate('/', { replace: true });
			setUser(null);
		});
	const cancel = () => navigate('/settings');
	return html`<${AuthCard} title=${t('logout.title')} lead=${t('logout.lead', { name: user.displayName || user.username })}>
		<${ErrorBox} error=${action.error} />
		<div class="actions">
			<${Button} kind="secondary" onClick=${cancel}>${t('action.cancel')}<//>
			<${Button} busy=${action.busy} onClick=${signOut}>${t('logout.confirm')}<//>
		</div>
	<//>`;
}
