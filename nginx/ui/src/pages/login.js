// Signing in: with a passkey (/login), the list of other ways
// (/login/alternative), and login codes (/login/alternative/code, /lc,
// /lc/<code>: POST /api/one-time-access-token/<code>, spec §1.4).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, seg } from '../api.js';
import { navigate, safeLocalPath } from '../router.js';
import { useApp } from '../context.js';
import { signInWithPasskey } from '../auth.js';
import { AuthCard, Button, bareCode, CodeForm, ErrorBox, Notice, useAction } from '../components.js';

function redirectParam(query) {
	const r = query.get('redirect');
	return r ? '?redirect=' + encodeURIComponent(r) : '';
}

/** After signing in: the ?redirect= target when it is ours, else /settings. */
function finishSignIn(setUser, query, user) {
	navigate(safeLocalPath(query.get('redirect'), '/settings'), { replace: true });
	setUser(user);
}

function passkeysUnavailable() {
	if (!window.isSecureContext) return t('passkey.error.insecure');
	if (!window.PublicKeyCredential) return t('passkey.error.notSupported');
	return '';
}

export function LoginPage({ query }) {
	const { setUser, settings } = useApp();
	const action = useAction();
	const unavailable = passkeysUnavailable();
	const signIn = () =>
		action.run(async () => finishSignIn(setUser, query, await signInWithPasskey()));
	return html`<${AuthCard}
		title=${t('login.title', { appName: settings.appName })}
		lead=${t('login.lead')}
	>
		${unavailable && html`<${Notice} kind="warning">${unavailable}<//>`}
		<${ErrorBox} error=${action.error} />
		<${Button} block busy=${action.busy} onClick=${signIn}>
			${t('login.passkey')}
		<//>
		<p class="center">
			<a href=${'/login/alternative' + redirectParam(query)}>${t('login.noPasskey')}</a>
		</p>
		${settings.allowUserSignups === 'open' && html`<p class="center"><a href="/signup">${t('login.signup')}</a></p>`}
	<//>`;
}

export function AlternativePage({ query }) {
	const r = redirectParam(query);
	return html`<${AuthCard} title=${t('alternative.title')} lead=${t('alternative.lead')}>
		<ul class="choices">
			<li>
				<a class="choice" href=${'/login/alternative/code' + r}>
					<strong>${t('alternative.code')}</strong>
					<span class="muted">${t('alternative.codeHint')}</span>
				</a>
			</li>
		</ul>
		<p class="center"><a href=${'/login' + r}>${t('alternative.back')}</a></p>
	<//>`;
}

export function LoginCodePage({ params, query }) {
	const { setUser } = useApp();
	// Codes are 6 or 12 characters (spec §1.4); the server normalises I/O.
	const initial = bareCode(params.code || query.get('code') || '');
	const [code, setCode] = useState(initial);
	const action = useAction();
	const exchange = (value) =>
		action.run(async () => {
			const user = await api.post('/one-time-access-token/' + seg(value));
			finishSignIn(setUser, query, user);
		});
	// A code in the link (/lc/<code>) is used at once.
	useEffect(() => {
		if (initial) exchange(initial);
	}, [initial]);
	return html`<${AuthCard} title=${t('code.title')} lead=${t('code.lead')}>
		<${CodeForm}
			id="code"
			label=${t('code.label')}
			value=${code}
			onInput=${setCode}
			onSubmit=${exchange}
			busy=${action.busy}
			error=${action.error}
			submitLabel=${t('code.submit')}
			autocomplete="one-time-code"
			autocapitalize="off"
		/>
		<p class="center"><a href=${'/login' + redirectParam(query)}>${t('alternative.back')}</a></p>
	<//>`;
}
