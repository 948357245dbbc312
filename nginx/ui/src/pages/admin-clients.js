// /settings/admin/oidc-clients and /settings/admin/oidc-clients/:id: the
// OIDC clients an admin registers (spec §1.7): list and search, create,
// edit, client secrets (shown once at creation), delete. Everything goes
// through the admin JSON API; this page keeps no state of its own.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, formatDate } from '../i18n.js';
import { api, seg } from '../api.js';
import { navigate } from '../router.js';
import { clientBody, clientForm } from '../forms.js';
import {
	Button, Checkbox, Checklist, ClientLogo, Confirm, CopyValue, ErrorBox, Field, ImageField, Notice, Spinner,
	TextArea, fieldErrors, useAction, useChosen, useLoad,
} from '../components.js';

const LIST_QUERY = '?pagination[limit]=100&sort[column]=name&sort[direction]=asc';

export function ClientsPage() {
	const [search, setSearch] = useState('');
	const [adding, setAdding] = useState(false);
	const list = useLoad(() => api.get('/oidc/clients' + LIST_QUERY + (search ? '&search=' + seg(search) : '')), [search]);
	const clients = (list.data && list.data.data) || [];
	return html`<div class="stack">
		<h1 id="page-title">${t('clients.title')}</h1>
		<section class="panel" aria-labelledby="clients-list">
			<div class="panel-head">
				<h2 id="clients-list">${t('clients.registered')}</h2>
				<${Button} onClick=${() => setAdding(!adding)}>${t('clients.add')}<//>
			</div>
			${adding &&
			html`<${ClientEditor}
				submitLabel=${t('clients.create')}
				onSave=${async (body) => {
					const created = await api.post('/oidc/clients', body);
					navigate('/settings/admin/oidc-clients/' + seg(created.id));
				}}
				onCancel=${() => setAdding(false)}
			/>`}
			<${Field} id="client-search" type="search" label=${t('action.search')} value=${search}
				onInput=${(e) => setSearch(e.currentTarget.value)} />
			${list.loading && html`<${Spinner} />`}
			<${ErrorBox} error=${list.error} />
			${!list.loading && !list.error && clients.length === 0 && html`<${Notice}>${t('clients.none')}<//>`}
			<ul class="rows">
				${clients.map(
					(c) => html`<li key=${c.id} class="row">
						<div class="row-main">
							<a href=${'/settings/admin/oidc-clients/' + seg(c.id)}><strong>${c.name}</strong></a>
							<span class="small muted">${c.id}</span>
						</div>
						<span class="badge">${t(c.isPublic ? 'clients.public' : 'clients.confidential')}</span>
					</li>`,
				)}
			</ul>
		</section>
	</div>`;
}

export function ClientPage({ params }) {
	const loaded = useLoad(() => api.get('/oidc/clients/' + seg(params.id)), [params.id]);
	const [deleting, setDeleting] = useState(false);
	const remove = useAction();
	const [saved, setSaved] = useState(false);
	// A reload after a change keeps the page (and a secret just shown) up.
	if (!loaded.data && loaded.loading) return html`<${Spinner} />`;
	if (!loaded.data) return html`<${ErrorBox} error=${loaded.error} />`;
	const client = loaded.data;
	const onDelete = () =>
		remove.run(async () => {
			await api.del('/oidc/clients/' + seg(client.id));
			navigate('/settings/admin/oidc-clients', { replace: true });
		});
	return html`<div class="stack">
		<div class="panel-head">
			<h1 id="page-title">${client.name}</h1>
			<${ClientLogo} client=${client} />
		</div>
		<section class="panel" aria-labelledby="client-facts">
			<h2 id="client-facts">${t('clients.connect')}</h2>
			<dl class="facts">
				<div><dt>${t('clients.clientId')}</dt><dd data-testid="client-id">${client.id}</dd></div>
				<div><dt>${t('clients.discovery')}</dt><dd>${location.origin}/.well-known/openid-configuration</dd></div>
			</dl>
		</section>
		<section class="panel" aria-labelledby="client-settings">
			<h2 id="client-settings">${t('clients.settings')}</h2>
			${saved && html`<${Notice} kind="success">${t('clients.saved')}<//>`}
			<${ClientEditor}
				client=${client}
				submitLabel=${t('action.save')}
				onSave=${async (body) => {
					const updated = await api.put('/oidc/clients/' + seg(client.id),
						{ ...body, isGroupRestricted: client.isGroupRestricted });
					loaded.setData({ ...client, ...updated });
					setSaved(true);
				}}
			/>
		</section>
		<${Logos} client=${client} />
		${!client.isPublic && html`<${Secrets} client=${client} onChange=${loaded.reload} />`}
		<${GroupRestriction} client=${client} onSaved=${loaded.setData} />
		<section class="panel" aria-labelledby="client-danger">
			<h2 id="client-danger">${t('clients.deleteTitle')}</h2>
			<p class="muted">${t('clients.deleteLead')}</p>
			<${Button} kind="danger-outline" onClick=${() => setDeleting(true)}>${t('clients.delete')}<//>
		</section>
		<${Confirm}
			open=${deleting}
			title=${t('clients.deleteTitle')}
			message=${t('clients.deleteConfirm', { name: client.name })}
			confirmLabel=${t('action.delete')}
			danger
			busy=${remove.busy}
			error=${remove.error}
			onConfirm=${onDelete}
			onCancel=${() => setDeleting(false)}
		/>
	</div>`;
}

/** The fields of OidcClientCreateDto a person sets by hand. */
function ClientEditor({ client, submitLabel, onSave, onCancel }) {
	const [form, setForm] = useState(() => clientForm(client));
	const action = useAction();
	const errors = fieldErrors(action.error);
	const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
	const flag = (key) => (on) => setForm({ ...form, [key]: on });
	const submit = (e) => {
		e.preventDefault();
		action.run(() => onSave(clientBody(form)));
	};
	return html`<form onSubmit=${submit} novalidate class="client-form">
		<${Field} id="client-name" label=${t('clients.name')} value=${form.name} onInput=${set('name')}
			error=${errors.name} required maxlength="50" />
		<${Field} id="client-description" label=${t('clients.description')} value=${form.description}
			onInput=${set('description')} error=${errors.description} maxlength="150" />
		<${TextArea} id="client-callbacks" label=${t('clients.callbackURLs')} hint=${t('clients.callbackHint')}
			value=${form.callbackURLs} onInput=${set('callbackURLs')} error=${errors.callbackURLs} />
		<${TextArea} id="client-logout-callbacks" label=${t('clients.logoutCallbackURLs')}
			value=${form.logoutCallbackURLs} onInput=${set('logoutCallbackURLs')} error=${errors.logoutCallbackURLs} />
		<${Field} id="client-launch" type="url" label=${t('clients.launchURL')} value=${form.launchURL}
			onInput=${set('launchURL')} error=${errors.launchURL} />
		<${Checkbox} id="client-public" label=${t('clients.isPublic')} hint=${t('clients.isPublicHint')}
			checked=${form.isPublic} onChange=${flag('isPublic')} />
		<${Checkbox} id="client-pkce" label=${t('clients.pkce')} checked=${form.isPublic || form.pkceEnabled}
			disabled=${form.isPublic} onChange=${flag('pkceEnabled')} />
		<${Checkbox} id="client-reauth" label=${t('clients.reauth')} checked=${form.requiresReauthentication}
			onChange=${flag('requiresReauthentication')} />
		<${Checkbox} id="client-skip-consent" label=${t('clients.skipConsent')} checked=${form.skipConsent}
			onChange=${flag('skipConsent')} />
		<${ErrorBox} error=${Object.keys(errors).length ? null : action.error} />
		<div class="actions">
			${onCancel && html`<${Button} kind="secondary" onClick=${onCancel}>${t('action.cancel')}<//>`}
			<${Button} type="submit" busy=${action.busy}>${submitLabel}<//>
		</div>
	</form>`;
}

/** Client secrets: the value is shown once, right after creation. */
function Secrets({ client, onChange }) {
	const [created, setCreated] = useState(null);
	const add = useAction();
	const remove = useAction();
	const secrets = (client.credentials && client.credentials.secrets) || [];
	const onAdd = () =>
		add.run(async () => {
			const s = await api.post('/oidc/clients/' + seg(client.id) + '/secrets', {});
			setCreated(s.secret);
			onChange();
		});
	const onDelete = (s) =>
		remove.run(async () => {
			await api.del('/oidc/clients/' + seg(client.id) + '/secrets/' + seg(s.id));
			onChange();
		});
	return html`<section class="panel" aria-labelledby="client-secrets">
		<div class="panel-head">
			<h2 id="client-secrets">${t('secrets.title')}</h2>
			<${Button} busy=${add.busy} onClick=${onAdd}>${t('secrets.add')}<//>
		</div>
		<${ErrorBox} error=${add.error || remove.error} />
		${created &&
		html`<${Notice} kind="warning">${t('secrets.once')}<//>
			<${CopyValue} id="new-secret" label=${t('secrets.value')} value=${created} />`}
		${secrets.length === 0 && html`<p class="muted">${t('secrets.none')}</p>`}
		<ul class="rows">
			${secrets.map(
				(s) => html`<li key=${s.id} class="row">
					<div class="row-main">
						<strong class="mono">${s.prefix}••••••••</strong>
						<span class="small muted">
							${t('secrets.created', { date: formatDate(s.createdAt) })}
							${s.expiresAt && ' · ' + t('secrets.expires', { date: formatDate(s.expiresAt) })}
						</span>
					</div>
					<${Button} kind="danger-outline" disabled=${remove.busy} onClick=${() => onDelete(s)}
						aria-label=${t('secrets.deleteNamed', { prefix: s.prefix })}>${t('action.delete')}<//>
				</li>`,
			)}
		</ul>
	</section>`;
}

/**
 * Who may use the client (spec §2.10): everyone, or members of the chosen
 * groups. The flag lives on the client, the groups in their own route.
 */
function GroupRestriction({ client, onSaved }) {
	const groups = useLoad(() => api.get('/user-groups?pagination[limit]=100&sort[column]=friendlyName&sort[direction]=asc'));
	const [restricted, setRestricted] = useState(client.isGroupRestricted);
	const [chosen, toggle] = useChosen((client.allowedUserGroups || []).map((g) => g.id));
	const action = useAction();
	const [saved, setSaved] = useState(false);
	const items = ((groups.data && groups.data.data) || []).map((g) => ({ id: g.id, label: g.friendlyName, hint: g.name }));
	const save = () =>
		action.run(async () => {
			const path = '/oidc/clients/' + seg(client.id);
			let updated = await api.put(path, { ...clientBody(clientForm(client)), isGroupRestricted: restricted });
			if (restricted) updated = await api.put(path + '/allowed-user-groups', { userGroupIds: [...chosen] });
			onSaved({ ...client, ...updated });
			setSaved(true);
		});
	return html`<section class="panel" aria-labelledby="client-groups">
		<h2 id="client-groups">${t('clients.access')}</h2>
		${saved && html`<${Notice} kind="success">${t('clients.accessSaved')}<//>`}
		<${ErrorBox} error=${groups.error || action.error} />
		<${Checkbox} id="client-restricted" label=${t('clients.restrict')} hint=${t('clients.restrictHint')}
			checked=${restricted} onChange=${(on) => { setSaved(false); setRestricted(on); }} />
		${restricted && html`<${Checklist} legend=${t('clients.allowedGroups')} items=${items} chosen=${chosen}
			onToggle=${(id, on) => { setSaved(false); toggle(id, on); }} empty=${t('clients.noGroups')} />`}
		<${Button} busy=${action.busy} onClick=${save}>${t('clients.saveAccess')}<//>
	</section>`;
}

/** The client's logos (spec §1.7), shown on the consent screen and My apps. */
function Logos({ client }) {
	const path = (light) => '/oidc/clients/' + seg(client.id) + '/logo?light=' + light;
	return html`<section class="panel" aria-labelledby="client-logos">
		<h2 id="client-logos">${t('clients.logos')}</h2>
		${['true', 'false'].map((light) => html`<${ImageField} key=${light} id=${'client-logo-' + light}
			label=${t(light === 'true' ? 'image.logoLight' : 'image.logoDark')} src=${'/api' + path(light)}
			onUpload=${(file) => api.upload('POST', path(light), file)} onDelete=${() => api.del(path(light))} />`)}
	</section>`;
}
