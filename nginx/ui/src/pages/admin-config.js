// /settings/admin/application-configuration: the runtime settings of spec
// §4.2 a person changes most (name, session length, home page, signups,
// passkey policy). The API replaces the whole set at once (spec §1.10),
// so the page sends every key it read back, with the edited ones changed.
// With UI_CONFIG_DISABLED the settings come from the environment and the
// form is read-only.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useApp } from '../context.js';
import { isOn } from '../settings.js';
import { configBody, configValues } from '../forms.js';
import {
	Button, Checkbox, ErrorBox, Field, ImageField, Notice, Select, Spinner, fieldErrors, useAction, useLoad,
} from '../components.js';

// The settings on this page, by section; kind says which input edits it.
const SECTIONS = [
	['config.general', [
		{ key: 'appName', kind: 'text' },
		{ key: 'sessionDuration', kind: 'number' },
		{ key: 'homePageUrl', kind: 'select', options: ['/settings/account', '/settings/apps'] },
		{ key: 'allowOwnAccountEdit', kind: 'bool' },
		{ key: 'requireUserEmail', kind: 'bool' },
		{ key: 'emailsVerified', kind: 'bool' },
	]],
	['config.signup', [
		{ key: 'allowUserSignups', kind: 'select', options: ['disabled', 'withToken', 'open'] },
	]],
	['config.passkeys', [
		{ key: 'webauthnUserVerification', kind: 'select', options: ['required', 'preferred'] },
		{ key: 'webauthnAuthenticatorAttachment', kind: 'select', options: ['any', 'platform', 'cross-platform'] },
		{ key: 'webauthnAllowSyncedPasskeys', kind: 'bool' },
	]],
];

export function ConfigPage() {
	const { settings } = useApp();
	const loaded = useLoad(() => api.get('/application-configuration/all'));
	if (!loaded.data && loaded.loading) return html`<${Spinner} />`;
	if (!loaded.data) return html`<${ErrorBox} error=${loaded.error} />`;
	return html`<div class="stack">
		<${ConfigForm} entries=${loaded.data} readOnly=${isOn(settings.uiConfigDisabled)} />
		<${AppImages} />
	</div>`;
}

// The application images of spec §1.11: [name, query, deletable, accept].
const IMAGES = [
	['logo', '?light=true', true, 'image/*'],
	['logo', '?light=false', true, 'image/*'],
	['favicon', '', false, 'image/svg+xml,image/png,image/x-icon,.ico'],
	['background', '', true, 'image/*'],
	['email', '', false, 'image/png,image/jpeg'],
	['default-profile-picture', '', true, 'image/*'],
];

function AppImages() {
	return html`<section class="panel" aria-labelledby="config-images">
		<h2 id="config-images">${t('config.images')}</h2>
		${IMAGES.map(([name, query, deletable, accept]) => {
			const path = '/application-images/' + name + query;
			const key = name + query;
			return html`<${ImageField} key=${key} id=${'app-image-' + name + (query ? '-' + query.slice(7) : '')}
				label=${t('image.' + name + query.replace('?light=', '.'))} src=${'/api' + path} accept=${accept}
				onUpload=${(file) => api.upload('PUT', path, file)}
				onDelete=${deletable ? () => api.del(path) : undefined} />`;
		})}
	</section>`;
}

function ConfigForm({ entries, readOnly }) {
	const [values, setValues] = useState(() => configValues(entries));
	const action = useAction();
	const [saved, setSaved] = useState(false);
	const errors = fieldErrors(action.error);
	const set = (key, value) => {
		setSaved(false);
		setValues({ ...values, [key]: value });
	};
	const submit = (e) => {
		e.preventDefault();
		action.run(async () => {
			setValues(configValues(await api.put('/application-configuration', configBody(values))));
			setSaved(true);
		});
	};
	const input = (s) => {
		const id = 'config-' + s.key;
		const label = t('config.' + s.key);
		if (s.kind === 'bool')
			return html`<${Checkbox} key=${s.key} id=${id} label=${label} checked=${values[s.key] === 'true'}
				disabled=${readOnly} onChange=${(on) => set(s.key, on ? 'true' : 'false')} />`;
		if (s.kind === 'select') {
			// A value set outside this page (environment, API) stays choosable.
			const options = s.options.map((o) => ({ value: o, label: t('config.' + s.key + '.' + o) }));
			if (!s.options.includes(values[s.key])) options.push({ value: values[s.key], label: values[s.key] });
			return html`<${Select} key=${s.key} id=${id} label=${label} value=${values[s.key]} error=${errors[s.key]}
				options=${options} onChange=${(v) => set(s.key, v)} />`;
		}
		return html`<${Field} key=${s.key} id=${id} label=${label} type=${s.kind} value=${values[s.key]}
			error=${errors[s.key]} readonly=${readOnly} min=${s.kind === 'number' ? 1 : undefined}
			onInput=${(e) => set(s.key, e.currentTarget.value)} />`;
	};
	return html`<form class="stack" onSubmit=${submit} novalidate>
		<h1 id="page-title">${t('config.title')}</h1>
		${readOnly && html`<${Notice} kind="warning">${t('config.readOnly')}<//>`}
		${SECTIONS.map(
			([title, fields]) => html`<section key=${title} class="panel" aria-labelledby=${title}>
				<h2 id=${title}>${t(title)}</h2>
				<fieldset disabled=${readOnly} class="checklist">${fields.map(input)}</fieldset>
			</section>`,
		)}
		${saved && html`<${Notice} kind="success">${t('config.saved')}<//>`}
		<${ErrorBox} error=${Object.keys(errors).length ? null : action.error} />
		${!readOnly && html`<div class="actions"><${Button} type="submit" busy=${action.busy}>${t('action.save')}<//></div>`}
	</form>`;
}
