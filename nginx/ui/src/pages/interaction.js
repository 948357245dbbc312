// /interaction?interaction=<id>: the steps of an authorization request
// (spec §1.1): GET /api/oidc/interactions/:id, then for the current step
// POST /api/oidc/interactions/:id/complete {step}, until the answer is
// {redirectUrl}, where the browser goes (/authorize?interaction=<id>).
// /interaction/error?error=<text>: an authorization error.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, has } from '../i18n.js';
import { api, seg, ApiError } from '../api.js';
import { navigate, safeLocalPath } from '../router.js';
import { useApp } from '../context.js';
import { signInWithPasskey, reauthenticate } from '../auth.js';
import { AuthCard, Button, ClientLogo, ErrorBox, ScopeList, Spinner, useAction, useLoad } from '../components.js';

export function ClientTop({ client }) {
	return html`<div class="client-top">
		<${ClientLogo} client=${client} />
		<div>
			<strong>${client.name}</strong>
			${client.description && html`<p class="small muted">${client.description}</p>`}
		</div>
	</div>`;
}

function Expired() {
	return html`<${AuthCard} title=${t('interaction.expiredTitle')} lead=${t('interaction.expiredLead')} />`;
}

export function InteractionPage({ query }) {
	const id = query.get('interaction') || '';
	const { user, setUser } = useApp();
	const load = useLoad(() => (id ? api.get('/oidc/interactions/' + seg(id)) : Promise.resolve(null)), [id]);
	const action = useAction();
	const [leaving, setLeaving] = useState(false);
	const resume = '/authorize?interaction=' + encodeURIComponent(id);
	const goTo = (url) => {
		setLeaving(true);
		location.assign(safeLocalPath(url, resume));
	};
	// Nothing left to do: the authorization endpoint finishes the request.
	const done = load.data && !load.data.currentStep;
	useEffect(() => {
		if (done) goTo(resume);
	}, [done]);

	if (!id) return html`<${Expired} />`;
	if (load.loading || leaving || done) return html`<${Spinner} />`;
	if (load.error instanceof ApiError && load.error.status === 404) return html`<${Expired} />`;
	if (load.error)
		return html`<${AuthCard} title=${t('interaction.title')}>
			<${ErrorBox} error=${load.error} />
			<${Button} block onClick=${load.reload}>${t('action.retry')}<//>
		<//>`;

	const interaction = load.data;
	const client = interaction.client || { name: '' };
	const step = interaction.currentStep;
	const complete = async (name) => {
		const res = await api.post('/oidc/interactions/' + seg(id) + '/complete', { step: name });
		if (res && res.redirectUrl) goTo(res.redirectUrl);
		else if (res && res.interaction) load.setData(res.interaction);
		else load.reload();
	};
	const withPasskey = (name) =>
		action.run(async () => {
			setUser(await signInWithPasskey());
			await complete(name);
		});
	const asCurrent = (name) => action.run(() => complete(name));
	const confirmIdentity = () =>
		action.run(async () => {
			await reauthenticate();
			await complete('reauthenticate');
		});
	const deny = () => navigate('/interaction/error?error=access_denied');

	const who = user && (user.displayName || user.username);
	const top = html`<${ClientTop} client=${client} />`;
	const otherAccount = html`<${Button} kind="link" block disabled=${action.busy}
		onClick=${() => withPasskey(step)}>${t('interaction.otherAccount')}<//>`;
	let body;
	if (step === 'authenticate')
		body = html`
			${user && html`<p class="center">${t('interaction.signedInAs', { name: who })}</p>`}
			<${Button} block busy=${action.busy}
				onClick=${() => (user ? asCurrent('authenticate') : withPasskey('authenticate'))}>
				${t(user ? 'interaction.continue' : 'login.passkey')}
			<//>
			${user && otherAccount}`;
	else if (step === 'select_account')
		body = html`
			${user && html`<${Button} block busy=${action.busy} onClick=${() => asCurrent('select_account')}>
				${t('interaction.continueAs', { name: who })}
			<//>`}
			${otherAccount}`;
	else if (step === 'reauthenticate')
		body = html`<${Button} block busy=${action.busy} onClick=${confirmIdentity}>${t('interaction.confirm')}<//>`;
	else if (step === 'consent')
		body = html`
			<${ScopeList} scopes=${interaction.scopes} scopeInfo=${interaction.scopeInfo} />
			${user && html`<p class="small muted center">${t('interaction.signedInAs', { name: who })}</p>`}
			<div class="actions">
				<${Button} kind="secondary" disabled=${action.busy} onClick=${deny}>${t('interaction.deny')}<//>
				<${Button} busy=${action.busy} onClick=${() => asCurrent('consent')}>${t('interaction.allow')}<//>
			</div>`;
	else
		return html`<${AuthCard} top=${top} title=${t('interaction.title')}>
			<div class="alert alert-error" role="alert"><p>${t('interaction.unknownStep', { step })}</p></div>
		<//>`;
	return html`<${AuthCard}
		top=${top}
		title=${t('interaction.step.' + step, { client: client.name })}
		lead=${t('interaction.lead.' + step, { client: client.name })}
	>
		<${ErrorBox} error=${action.error} />
		${body}
	<//>`;
}

export function InteractionErrorPage({ query }) {
	const raw = query.get('error') || '';
	const key = 'interactionError.' + raw;
	const message = raw && /^[a-z_]+$/.test(raw) && has(key) ? t(key) : raw;
	return html`<${AuthCard} title=${t('interactionError.title')} lead=${t('interactionError.lead')}>
		${message && html`<div class="alert alert-error" role="alert"><p>${message}</p></div>`}
	<//>`;
}
