// /settings/admin/api-keys: the admin's own API keys (spec §1.13) for
// scripts and Terraform: create (the token is shown once), renew an
// expired one (a new token), revoke. A key acts as its owner.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, formatDate } from '../i18n.js';
import { api, seg } from '../api.js';
import { defaultExpiry, endOfDay } from '../forms.js';
import {
	Button, CopyValue, ErrorBox, Field, Notice, Spinner, fieldErrors, useAction, useLoad,
} from '../components.js';

export function ApiKeysPage() {
	const list = useLoad(() => api.get('/api-keys?pagination[limit]=100&sort[column]=createdAt&sort[direction]=desc'));
	const [form, setForm] = useState(() => ({ name: '', description: '', expires: defaultExpiry(new Date()) }));
	const [token, setToken] = useState(null);
	const create = useAction();
	const change = useAction();
	const keys = (list.data && list.data.data) || [];
	const errors = fieldErrors(create.error);
	const show = (res) => {
		setToken({ name: res.apiKey.name, value: res.token });
		list.reload();
	};
	const submit = (e) => {
		e.preventDefault();
		create.run(async () => {
			show(await api.post('/api-keys', { name: form.name.trim(), description: form.description.trim() || undefined,
				expiresAt: endOfDay(form.expires) }));
			setForm({ ...form, name: '', description: '' });
		});
	};
	const renew = (k) =>
		change.run(async () => show(await api.post('/api-keys/' + seg(k.id) + '/renew',
			{ expiresAt: endOfDay(defaultExpiry(new Date())) })));
	const revoke = (k) =>
		change.run(async () => {
			await api.del('/api-keys/' + seg(k.id));
			list.reload();
		});
	const now = Date.now();
	return html`<div class="stack">
		<h1 id="page-title">${t('apiKeys.title')}</h1>
		<section class="panel" aria-labelledby="api-keys-new">
			<h2 id="api-keys-new">${t('apiKeys.add')}</h2>
			<form onSubmit=${submit} novalidate>
				<${Field} id="key-name" label=${t('apiKeys.name')} value=${form.name} error=${errors.name}
					onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })} required minlength="3" maxlength="50" />
				<${Field} id="key-description" label=${t('clients.description')} value=${form.description}
					error=${errors.description} onInput=${(e) => setForm({ ...form, description: e.currentTarget.value })} />
				<${Field} id="key-expires" type="date" label=${t('apiKeys.expires')} value=${form.expires}
					error=${errors.expiresAt} onInput=${(e) => setForm({ ...form, expires: e.currentTarget.value })} required />
				<${ErrorBox} error=${Object.keys(errors).length ? null : create.error} />
				<div class="actions"><${Button} type="submit" busy=${create.busy}>${t('apiKeys.create')}<//></div>
			</form>
		</section>
		${token &&
		html`<section class="panel" aria-labelledby="api-key-token">
			<h2 id="api-key-token">${t('apiKeys.created', { name: token.name })}</h2>
			<${Notice} kind="warning">${t('apiKeys.once')}<//>
			<${CopyValue} id="api-key-value" label=${t('apiKeys.token')} value=${token.value} />
		</section>`}
		<section class="panel" aria-labelledby="api-keys-list">
			<h2 id="api-keys-list">${t('apiKeys.yours')}</h2>
			${list.loading && html`<${Spinner} />`}
			<${ErrorBox} error=${list.error || change.error} />
			${!list.loading && !list.error && keys.length === 0 && html`<${Notice}>${t('apiKeys.none')}<//>`}
			<ul class="rows">
				${keys.map((k) => {
					const expired = Date.parse(k.expiresAt) <= now;
					return html`<li key=${k.id} class="row" data-testid=${'api-key-' + k.name}>
						<div class="row-main">
							<strong>${k.name}</strong>
							<span class="small muted">
								${t(expired ? 'apiKeys.expired' : 'apiKeys.expiresOn', { date: formatDate(k.expiresAt) })}
								${' · '}${k.lastUsedAt ? t('apiKeys.lastUsed', { date: formatDate(k.lastUsedAt) }) : t('apiKeys.neverUsed')}
							</span>
						</div>
						<div class="row-actions">
							${expired && html`<${Button} kind="secondary" disabled=${change.busy} onClick=${() => renew(k)}
								aria-label=${t('apiKeys.renewNamed', { name: k.name })}>${t('apiKeys.renew')}<//>`}
							<${Button} kind="danger-outline" disabled=${change.busy} onClick=${() => revoke(k)}
								aria-label=${t('apiKeys.revokeNamed', { name: k.name })}>${t('apiKeys.revoke')}<//>
						</div>
					</li>`;
				})}
			</ul>
		</section>
	</div>`;
}
