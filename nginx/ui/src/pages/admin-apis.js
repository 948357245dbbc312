// /settings/admin/apis and /settings/admin/apis/:id: OAuth APIs (resource
// servers, spec §1.8, §2.11): register one by its resource URI, name its
// permissions, and grant clients access: user-delegated (sign-in flows) or
// client (machine to machine), each with the permissions it may receive.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, seg } from '../api.js';
import { navigate } from '../router.js';
import { permissionRows, permissionsBody } from '../forms.js';
import {
	Button, Checkbox, Checklist, Confirm, ErrorBox, Field, Notice, Select, Spinner, TextArea,
	fieldErrors, useAction, useChosen, useLoad,
} from '../components.js';

export function ApisPage() {
	const list = useLoad(() => api.get('/apis?pagination[limit]=100&sort[column]=name&sort[direction]=asc'));
	const [form, setForm] = useState({ name: '', resource: '' });
	const action = useAction();
	const errors = fieldErrors(action.error);
	// The issuer is reserved (spec §1.8): say why, not just "reserved".
	if (errors.resource && errors.resource.code === 'reserved') errors.resource = { code: 'issuer_reserved' };
	const apis = (list.data && list.data.data) || [];
	const submit = (e) => {
		e.preventDefault();
		action.run(async () => {
			const created = await api.post('/apis', { name: form.name.trim(), resource: form.resource.trim() });
			navigate('/settings/admin/apis/' + seg(created.id));
		});
	};
	return html`<div class="stack">
		<h1 id="page-title">${t('apis.title')}</h1>
		<section class="panel" aria-labelledby="apis-new">
			<h2 id="apis-new">${t('apis.add')}</h2>
			<p class="muted">${t('apis.lead')}</p>
			<form onSubmit=${submit} novalidate>
				<${Field} id="api-name" label=${t('apis.name')} value=${form.name} error=${errors.name} required maxlength="50"
					onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })} />
				<${Field} id="api-resource" type="url" label=${t('apis.resource')} hint=${t('apis.resourceHint')}
					value=${form.resource} error=${errors.resource} required maxlength="350"
					onInput=${(e) => setForm({ ...form, resource: e.currentTarget.value })} />
				<${ErrorBox} error=${Object.keys(errors).length ? null : action.error} />
				<div class="actions"><${Button} type="submit" busy=${action.busy}>${t('apis.create')}<//></div>
			</form>
		</section>
		<section class="panel" aria-labelledby="apis-list">
			<h2 id="apis-list">${t('apis.all')}</h2>
			${list.loading && html`<${Spinner} />`}
			<${ErrorBox} error=${list.error} />
			${!list.loading && !list.error && apis.length === 0 && html`<${Notice}>${t('apis.none')}<//>`}
			<ul class="rows">
				${apis.map(
					(a) => html`<li key=${a.id} class="row">
						<div class="row-main">
							<a href=${'/settings/admin/apis/' + seg(a.id)}><strong>${a.name}</strong></a>
							<span class="small muted">${a.resource}</span>
						</div>
						<span class="badge">${t('apis.permissionCount', { count: a.permissions.length })}</span>
					</li>`,
				)}
			</ul>
		</section>
	</div>`;
}

export function ApiPage({ params }) {
	const loaded = useLoad(() => api.get('/apis/' + seg(params.id)), [params.id]);
	const [deleting, setDeleting] = useState(false);
	const remove = useAction();
	if (!loaded.data && loaded.loading) return html`<${Spinner} />`;
	if (!loaded.data) return html`<${ErrorBox} error=${loaded.error} />`;
	const item = loaded.data;
	const onDelete = () =>
		remove.run(async () => {
			await api.del('/apis/' + seg(item.id));
			navigate('/settings/admin/apis', { replace: true });
		});
	return html`<div class="stack">
		<h1 id="page-title">${item.name}</h1>
		<section class="panel" aria-labelledby="api-settings">
			<h2 id="api-settings">${t('clients.settings')}</h2>
			<dl class="facts"><div><dt>${t('apis.resource')}</dt><dd data-testid="api-resource">${item.resource}</dd></div></dl>
			<${Rename} item=${item} onSaved=${loaded.setData} />
		</section>
		<${Permissions} key=${'p' + item.id} item=${item} onSaved=${loaded.setData} />
		<${Grants} item=${item} />
		<section class="panel" aria-labelledby="api-danger">
			<h2 id="api-danger">${t('apis.deleteTitle')}</h2>
			<p class="muted">${t('apis.deleteLead')}</p>
			<${Button} kind="danger-outline" onClick=${() => setDeleting(true)}>${t('apis.delete')}<//>
		</section>
		<${Confirm} open=${deleting} title=${t('apis.deleteTitle')} message=${t('apis.deleteConfirm', { name: item.name })}
			confirmLabel=${t('action.delete')} danger busy=${remove.busy} error=${remove.error}
			onConfirm=${onDelete} onCancel=${() => setDeleting(false)} />
	</div>`;
}

function Rename({ item, onSaved }) {
	const [name, setName] = useState(item.name);
	const action = useAction();
	const errors = fieldErrors(action.error);
	const submit = (e) => {
		e.preventDefault();
		action.run(async () => onSaved(await api.put('/apis/' + seg(item.id), { name: name.trim() })));
	};
	return html`<form class="row row-form" onSubmit=${submit} novalidate>
		<${Field} id="api-rename" label=${t('apis.name')} value=${name} error=${errors.name} required maxlength="50"
			onInput=${(e) => setName(e.currentTarget.value)} />
		<div class="row-actions"><${Button} type="submit" busy=${action.busy}>${t('action.save')}<//></div>
		<${ErrorBox} error=${Object.keys(errors).length ? null : action.error} />
	</form>`;
}

/** The permissions as "key | name | description" lines, replaced as a whole. */
function Permissions({ item, onSaved }) {
	const [text, setText] = useState(() => permissionRows(item.permissions));
	const action = useAction();
	const [saved, setSaved] = useState(false);
	const save = () =>
		action.run(async () => {
			const updated = await api.put('/apis/' + seg(item.id) + '/permissions', permissionsBody(text));
			onSaved(updated);
			setText(permissionRows(updated.permissions));
			setSaved(true);
		});
	return html`<section class="panel" aria-labelledby="api-permissions">
		<h2 id="api-permissions">${t('apis.permissions')}</h2>
		${saved && html`<${Notice} kind="success">${t('apis.permissionsSaved')}<//>`}
		<${ErrorBox} error=${action.error} />
		<${TextArea} id="api-permission-lines" label=${t('apis.permissionLines')} hint=${t('apis.permissionHint')}
			rows="5" value=${text} onInput=${(e) => { setSaved(false); setText(e.currentTarget.value); }} />
		<${Button} busy=${action.busy} onClick=${save}>${t('apis.savePermissions')}<//>
	</section>`;
}

/** Which clients may get tokens for this API, and with which permissions. */
function Grants({ item }) {
	const grants = useLoad(() => api.get('/apis/' + seg(item.id) + '/clients?pagination[limit]=100'));
	const assignable = useLoad(() => api.get('/apis/' + seg(item.id) + '/assignable-clients?pagination[limit]=100'));
	const [editing, setEditing] = useState(null);
	const action = useAction();
	const rows = (grants.data && grants.data.data) || [];
	const free = (assignable.data && assignable.data.data) || [];
	const reload = () => {
		setEditing(null);
		grants.reload();
		assignable.reload();
	};
	const revoke = (g) =>
		action.run(async () => {
			await api.del('/apis/' + seg(item.id) + '/clients/' + seg(g.client.id));
			reload();
		});
	const total = item.permissions.length;
	return html`<section class="panel" aria-labelledby="api-grants">
		<h2 id="api-grants">${t('apis.grants')}</h2>
		<${ErrorBox} error=${grants.error || assignable.error || action.error} />
		${!grants.loading && rows.length === 0 && html`<p class="muted">${t('apis.noGrants')}</p>`}
		<ul class="rows">
			${rows.map(
				(g) => html`<li key=${g.client.id} class="row" data-testid=${'grant-' + g.client.name}>
					<div class="row-main">
						<strong>${g.client.name}</strong>
						<span class="small muted">
							${[g.userDelegatedAccess && t('apis.userAccess', { n: g.userDelegatedPermissionIds.length, total }),
								g.clientAccess && t('apis.clientAccess', { n: g.clientPermissionIds.length, total })]
								.filter(Boolean).join(' · ')}
						</span>
					</div>
					<div class="row-actions">
						<${Button} kind="secondary" onClick=${() => setEditing(g)}>${t('apis.edit')}<//>
						<${Button} kind="danger-outline" disabled=${action.busy} onClick=${() => revoke(g)}
							aria-label=${t('apis.revokeNamed', { name: g.client.name })}>${t('apiKeys.revoke')}<//>
					</div>
				</li>`,
			)}
		</ul>
		${editing
			? html`<${GrantForm} key=${editing.client.id} item=${item} grant=${editing} clients=${[editing.client]}
				onDone=${reload} onCancel=${() => setEditing(null)} />`
			: free.length > 0 && html`<${GrantForm} key="new" item=${item} clients=${free} onDone=${reload} />`}
	</section>`;
}

function GrantForm({ item, grant, clients, onDone, onCancel }) {
	const [clientId, setClientId] = useState(clients[0].id);
	const [user, setUser] = useState(grant ? grant.userDelegatedAccess : true);
	const [machine, setMachine] = useState(grant ? grant.clientAccess : false);
	const [userPerms, toggleUser] = useChosen(grant ? grant.userDelegatedPermissionIds : []);
	const [clientPerms, toggleClient] = useChosen(grant ? grant.clientPermissionIds : []);
	const action = useAction();
	const perms = item.permissions.map((p) => ({ id: p.id, label: p.name, hint: p.key }));
	const chosenClient = clients.find((c) => c.id === clientId) || clients[0];
	const save = () =>
		action.run(async () => {
			await api.put('/apis/' + seg(item.id) + '/clients/' + seg(chosenClient.id), {
				userDelegatedAccess: user,
				clientAccess: machine,
				userDelegatedPermissionIds: user ? [...userPerms] : [],
				clientPermissionIds: machine ? [...clientPerms] : [],
			});
			onDone();
		});
	return html`<div class="grant-form">
		<h3>${grant ? t('apis.editGrant', { name: chosenClient.name }) : t('apis.addGrant')}</h3>
		${!grant && html`<${Select} id="grant-client" label=${t('apis.client')} value=${clientId} onChange=${setClientId}
			options=${clients.map((c) => ({ value: c.id, label: c.name }))} />`}
		<${Checkbox} id="grant-user" label=${t('apis.userDelegated')} hint=${t('apis.userDelegatedHint')}
			checked=${user} onChange=${setUser} />
		${user && html`<${Checklist} legend=${t('apis.userPermissions')} items=${perms} idPrefix="user-perm-"
			chosen=${userPerms} onToggle=${toggleUser} empty=${t('apis.noPermissions')} />`}
		<${Checkbox} id="grant-client-access" label=${t('apis.machine')} hint=${t('apis.machineHint')}
			checked=${machine} disabled=${chosenClient.isPublic} onChange=${setMachine} />
		${machine && html`<${Checklist} legend=${t('apis.clientPermissions')} items=${perms} idPrefix="client-perm-"
			chosen=${clientPerms} onToggle=${toggleClient} empty=${t('apis.noPermissions')} />`}
		<${ErrorBox} error=${action.error} />
		<div class="actions">
			${onCancel && html`<${Button} kind="secondary" onClick=${onCancel}>${t('action.cancel')}<//>`}
			<${Button} busy=${action.busy} onClick=${save}>${t('apis.saveGrant')}<//>
		</div>
	</div>`;
}
