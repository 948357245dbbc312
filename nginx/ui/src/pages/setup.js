// First-admin setup (/setup, /signup/setup: GET and POST /api/signup/setup,
// spec §1.4) and the add-a-passkey step that follows it (/signup/add-passkey).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { useApp } from '../context.js';
import { isOn } from '../settings.js';
import { addPasskey } from '../auth.js';
import { AuthCard, Button, Confirm, ErrorBox, Field, Spinner, useAction, useLoad } from '../components.js';

const FIELDS = [
	{ id: 'firstName', autocomplete: 'given-name', maxlength: 50 },
	{ id: 'lastName', autocomplete: 'family-name', maxlength: 50 },
	{ id: 'username', autocomplete: 'username', maxlength: 50, required: true, autocapitalize: 'off', spellcheck: 'false' },
	{ id: 'email', autocomplete: 'email', type: 'email', maxlength: 254 },
];

export function SetupPage() {
	const { setUser, settings } = useApp();
	const availability = useLoad(() => api.get('/signup/setup'));
	const [doneError, setDoneError] = useState(null);

	if (availability.loading) return html`<${Spinner} />`;
	const gone = (e) => e instanceof ApiError && (e.code === 'setup_not_available' || e.code === 'setup_already_completed');
	if (gone(availability.error) || gone(doneError))
		return html`<${AuthCard} title=${t('setup.doneTitle')} lead=${t('setup.doneLead')}>
			<p class="center"><a class="btn btn-primary" href="/login">${t('setup.toLogin')}</a></p>
		<//>`;
	if (availability.error)
		return html`<${AuthCard} title=${t('setup.title')}>
			<${ErrorBox} error=${availability.error} />
			<${Button} block onClick=${availability.reload}>${t('action.retry')}<//>
		<//>`;
	const create = async (body) => {
		try {
			return await api.post('/signup/setup', body);
		} catch (e) {
			if (gone(e)) setDoneError(e);
			throw e;
		}
	};
	return html`<${AuthCard} title=${t('setup.title', { appName: settings.appName })} lead=${t('setup.lead')}>
		<${NewAccountForm} submitLabel=${t('setup.submit')} create=${create} onCreated=${setUser} />
	<//>`;
}

/**
 * The new-account form of setup and sign-up: names, username, email (required
 * when the requireUserEmail setting says so). Empty required fields are
 * flagged here, in the catalogue's words; everything else is the server's to
 * judge (spec §0.4 rules). create(body) calls the API and returns the user;
 * the browser then goes on to add a passkey.
 */
export function NewAccountForm({ submitLabel, create, onCreated }) {
	const { settings } = useApp();
	const [form, setForm] = useState({ firstName: '', lastName: '', username: '', email: '' });
	const action = useAction();
	const [missing, setMissing] = useState(null);
	const emailRequired = isOn(settings.requireUserEmail);
	const required = (f) => f.required || (f.id === 'email' && emailRequired);
	const fieldErrors = missing || (action.error instanceof ApiError ? action.error.fields : {});
	const submit = (e) => {
		e.preventDefault();
		const empty = {};
		for (const f of FIELDS) if (required(f) && !form[f.id].trim()) empty[f.id] = { code: 'required' };
		setMissing(Object.keys(empty).length ? empty : null);
		if (Object.keys(empty).length) return;
		action.run(async () => {
			const user = await create({ ...form, email: form.email.trim() || undefined });
			navigate('/signup/add-passkey', { replace: true });
			onCreated(user);
		});
	};
	return html`<form onSubmit=${submit} novalidate>
		${FIELDS.map(
			(f) => html`<${Field}
				key=${f.id}
				label=${t('user.' + f.id)}
				value=${form[f.id]}
				onInput=${(e) => setForm({ ...form, [f.id]: e.currentTarget.value })}
				error=${fieldErrors[f.id]}
				...${f}
				required=${required(f)}
			/>`,
		)}
		<${ErrorBox} error=${Object.keys(fieldErrors).length ? null : action.error} />
		<${Button} type="submit" block busy=${action.busy}>${submitLabel}<//>
	</form>`;
}

export function AddPasskeyPage() {
	const { settings } = useApp();
	const action = useAction();
	const [confirmSkip, setConfirmSkip] = useState(false);
	const add = () =>
		action.run(async () => {
			await addPasskey();
			navigate('/settings', { replace: true });
		});
	return html`<${AuthCard} title=${t('addPasskey.title')} lead=${t('addPasskey.lead', { appName: settings.appName })}>
		<${ErrorBox} error=${action.error} />
		<${Button} block busy=${action.busy} onClick=${add}>${t('passkey.add')}<//>
		<${Button} block kind="link" onClick=${() => setConfirmSkip(true)}>${t('addPasskey.skip')}<//>
		<${Confirm}
			open=${confirmSkip}
			title=${t('addPasskey.skipTitle')}
			message=${t('addPasskey.skipWarning')}
			confirmLabel=${t('addPasskey.skipConfirm')}
			danger
			onConfirm=${() => navigate('/settings', { replace: true })}
			onCancel=${() => setConfirmSkip(false)}
		/>
	<//>`;
}
