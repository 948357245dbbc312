// /device?user_code=<code>: a code shown by another device (spec §9).
// OIDC device flow codes: GET /api/oidc/device/info?code= (client, scopes,
// whether consent and re-authentication are needed), then
// POST /api/oidc/device/verify?code= (spec §1.1).
// Codes starting with "P" are sign-in requests from another browser:
// POST /api/device-login/verification {code}, then
// POST /api/device-login/verification/decision {code, decision} (spec §1.4);
// approving needs a fresh re-authentication.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, seg } from '../api.js';
import { useApp } from '../context.js';
import { signInWithPasskey, reauthenticate } from '../auth.js';
import { AuthCard, Button, bareCode, CodeForm, ErrorBox, Notice, ScopeList, useAction } from '../components.js';
import { ClientTop } from './interaction.js';

export function DevicePage({ query }) {
	const { user, setUser } = useApp();
	const initial = bareCode(query.get('user_code') || query.get('code') || '').toUpperCase();
	const [code, setCode] = useState(initial);
	const [request, setRequest] = useState(null); // {kind: 'oidc'|'login', code, info}
	const [done, setDone] = useState('');
	const action = useAction();

	const look = (value) =>
		action.run(async () => {
			if (value.startsWith('P')) {
				const info = await api.post('/device-login/verification', { code: value });
				setRequest({ kind: 'login', code: value, info });
			} else {
				const info = await api.get('/oidc/device/info?code=' + seg(value));
				setRequest({ kind: 'oidc', code: value, info });
			}
		});
	// A prefilled code (verification_uri_complete) is looked up once signed in.
	useEffect(() => {
		if (user && initial && !request) look(initial);
	}, [!!user]);

	if (done) return html`<${AuthCard} title=${t('device.title')}><${Notice} kind="success">${done}<//><//>`;

	if (!user)
		return html`<${AuthCard} title=${t('device.title')} lead=${t('device.signInFirst')}>
			<${ErrorBox} error=${action.error} />
			<${Button} block busy=${action.busy} onClick=${() => action.run(async () => setUser(await signInWithPasskey()))}>
				${t('login.passkey')}
			<//>
		<//>`;

	if (request && request.kind === 'oidc') {
		const { info } = request;
		const authorize = () =>
			action.run(async () => {
				if (info.reauthenticationRequired) await reauthenticate();
				await api.post('/oidc/device/verify?code=' + seg(request.code));
				setDone(t('device.authorized'));
			});
		return html`<${AuthCard}
			top=${html`<${ClientTop} client=${info.client || { name: '' }} />`}
			title=${t('device.oidcTitle', { client: (info.client && info.client.name) || '' })}
			lead=${t(info.authorizationRequired ? 'device.oidcLeadConsent' : 'device.oidcLead')}
		>
			${info.authorizationRequired && html`<${ScopeList} scopes=${info.scope} scopeInfo=${info.scopeInfo} />`}
			<${ErrorBox} error=${action.error} />
			<div class="actions">
				<${Button} kind="secondary" disabled=${action.busy} onClick=${() => setRequest(null)}>${t('action.cancel')}<//>
				<${Button} busy=${action.busy} onClick=${authorize}>${t('device.authorize')}<//>
			</div>
		<//>`;
	}

	if (request && request.kind === 'login') {
		const { info } = request;
		const decide = (decision) =>
			action.run(async () => {
				if (decision === 'approve') await reauthenticate();
				await api.post('/device-login/verification/decision', { code: request.code, decision });
				setDone(t(decision === 'approve' ? 'device.loginApproved' : 'device.loginDenied'));
			});
		const place = [info.city, info.country].filter(Boolean).join(', ');
		return html`<${AuthCard} title=${t('device.loginTitle')} lead=${t('device.loginLead')}>
			<dl class="facts">
				<div><dt>${t('device.requestedBy')}</dt><dd>${info.device || t('session.unknownDevice')}</dd></div>
				<div><dt>${t('device.ipAddress')}</dt><dd>${info.ipAddress || '—'}</dd></div>
				${place && html`<div><dt>${t('device.location')}</dt><dd>${place}</dd></div>`}
			</dl>
			<${ErrorBox} error=${action.error} />
			<div class="actions">
				<${Button} kind="secondary" disabled=${action.busy} onClick=${() => decide('deny')}>${t('device.deny')}<//>
				<${Button} busy=${action.busy} onClick=${() => decide('approve')}>${t('device.approve')}<//>
			</div>
		<//>`;
	}

	return html`<${AuthCard} title=${t('device.title')} lead=${t('device.lead')}>
		<${CodeForm}
			id="user_code"
			label=${t('device.codeLabel')}
			value=${code}
			onInput=${setCode}
			onSubmit=${(value) => look(value.toUpperCase())}
			busy=${action.busy}
			error=${action.error}
			submitLabel=${t('action.continue')}
			autocomplete="off"
			autocapitalize="characters"
		/>
	<//>`;
}
