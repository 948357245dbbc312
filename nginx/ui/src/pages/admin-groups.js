// /settings/admin/user-groups and /settings/admin/user-groups/:id: user
// groups (spec §1.6): list, create, rename, members, delete. Groups carry
// the `groups` claim and decide who may use a group-restricted client.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, seg } from '../api.js';
import { navigate } from '../router.js';
import { groupName } from '../forms.js';
import {
	Button, Checklist, ClaimsEditor, Confirm, ErrorBox, Field, Notice, Spinner, fieldErrors, useAction, useChosen,
	useLoad,
} from '../components.js';

export function GroupsPage() {
	const list = useLoad(() => api.get('/user-groups?pagination[limit]=100&sort[column]=friendlyName&sort[direction]=asc'));
	const groups = (list.data && list.data.data) || [];
	return html`<div class="stack">
		<h1 id="page-title">${t('groups.title')}</h1>
		<section class="panel" aria-labelledby="groups-new">
			<h2 id="groups-new">${t('groups.add')}</h2>
			<${GroupForm} submitLabel=${t('groups.create')} onSave=${async (body) => {
				const created = await api.post('/user-groups', body);
				navigate('/settings/admin/user-groups/' + seg(created.id));
			}} />
		</section>
		<section class="panel" aria-labelledby="groups-list">
			<h2 id="groups-list">${t('groups.all')}</h2>
			${list.loading && html`<${Spinner} />`}
			<${ErrorBox} error=${list.error} />
			${!list.loading && !list.error && groups.length === 0 && html`<${Notice}>${t('groups.none')}<//>`}
			<ul class="rows">
				${groups.map(
					(g) => html`<li key=${g.id} class="row">
						<div class="row-main">
							<a href=${'/settings/admin/user-groups/' + seg(g.id)}><strong>${g.friendlyName}</strong></a>
							<span class="small muted">${g.name}</span>
						</div>
						<span class="badge">${t('groups.members', { count: g.userCount })}</span>
					</li>`,
				)}
			</ul>
		</section>
	</div>`;
}

export function GroupPage({ params }) {
	const loaded = useLoad(() => api.get('/user-groups/' + seg(params.id)), [params.id]);
	const [deleting, setDeleting] = useState(false);
	const remove = useAction();
	if (!loaded.data && loaded.loading) return html`<${Spinner} />`;
	if (!loaded.data) return html`<${ErrorBox} error=${loaded.error} />`;
	const group = loaded.data;
	const onDelete = () =>
		remove.run(async () => {
			await api.del('/user-groups/' + seg(group.id));
			navigate('/settings/admin/user-groups', { replace: true });
		});
	return html`<div class="stack">
		<h1 id="page-title">${group.friendlyName}</h1>
		<section class="panel" aria-labelledby="group-settings">
			<h2 id="group-settings">${t('clients.settings')}</h2>
			<${GroupForm} group=${group} submitLabel=${t('action.save')}
				onSave=${async (body) => loaded.setData(await api.put('/user-groups/' + seg(group.id), body))} />
		</section>
		<${Members} group=${group} onSaved=${loaded.setData} />
		<section class="panel" aria-labelledby="group-claims">
			<h2 id="group-claims">${t('claims.title')}</h2>
			<${ClaimsEditor} id="group-claims-lines" claims=${group.customClaims}
				path=${'/custom-claims/user-group/' + seg(group.id)} />
		</section>
		<section class="panel" aria-labelledby="group-danger">
			<h2 id="group-danger">${t('groups.deleteTitle')}</h2>
			<${Button} kind="danger-outline" onClick=${() => setDeleting(true)}>${t('groups.delete')}<//>
		</section>
		<${Confirm} open=${deleting} title=${t('groups.deleteTitle')}
			message=${t('groups.deleteConfirm', { name: group.friendlyName })} confirmLabel=${t('action.delete')}
			danger busy=${remove.busy} error=${remove.error} onConfirm=${onDelete} onCancel=${() => setDeleting(false)} />
	</div>`;
}

/** Friendly name and the name that goes into the `groups` claim. */
function GroupForm({ group, submitLabel, onSave }) {
	const [form, setForm] = useState({ friendlyName: group ? group.friendlyName : '', name: group ? group.name : '' });
	const [nameTouched, setNameTouched] = useState(!!group);
	const action = useAction();
	const errors = fieldErrors(action.error);
	const submit = (e) => {
		e.preventDefault();
		action.run(() => onSave({ friendlyName: form.friendlyName.trim(), name: form.name.trim() }));
	};
	// Until the name is edited by hand it follows the friendly name.
	const onFriendly = (e) => {
		const friendlyName = e.currentTarget.value;
		setForm({ friendlyName, name: nameTouched ? form.name : groupName(friendlyName) });
	};
	return html`<form onSubmit=${submit} novalidate>
		<${Field} id="group-friendly" label=${t('groups.friendlyName')} value=${form.friendlyName}
			onInput=${onFriendly} error=${errors.friendlyName} required maxlength="50" />
		<${Field} id="group-name" label=${t('groups.name')} hint=${t('groups.nameHint')} value=${form.name}
			onInput=${(e) => { setNameTouched(true); setForm({ ...form, name: e.currentTarget.value }); }}
			error=${errors.name} required maxlength="255" />
		<${ErrorBox} error=${Object.keys(errors).length ? null : action.error} />
		<div class="actions"><${Button} type="submit" busy=${action.busy}>${submitLabel}<//></div>
	</form>`;
}

function Members({ group, onSaved }) {
	const users = useLoad(() => api.get('/users?pagination[limit]=100&sort[column]=username&sort[direction]=asc'));
	const [chosen, toggle] = useChosen(group.users.map((u) => u.id));
	const action = useAction();
	const [saved, setSaved] = useState(false);
	const items = ((users.data && users.data.data) || []).map((u) => ({
		id: u.id, label: u.displayName || u.username, hint: u.username,
	}));
	const save = () =>
		action.run(async () => {
			onSaved(await api.put('/user-groups/' + seg(group.id) + '/users', { userIds: [...chosen] }));
			setSaved(true);
		});
	return html`<section class="panel" aria-labelledby="group-members">
		<h2 id="group-members">${t('groups.membersTitle')}</h2>
		${users.loading && html`<${Spinner} />`}
		<${ErrorBox} error=${users.error || action.error} />
		${saved && html`<${Notice} kind="success">${t('groups.membersSaved')}<//>`}
		<${Checklist} legend=${t('groups.membersLegend')} items=${items} chosen=${chosen}
			onToggle=${(id, on) => { setSaved(false); toggle(id, on); }} empty=${t('groups.noUsers')} />
		<${Button} busy=${action.busy} onClick=${save}>${t('groups.saveMembers')}<//>
	</section>`;
}
