// /settings/admin/users: the people who may sign in (spec §1.5): list and
// search, add a user, hand out a login code (spec §1.4; the link signs the
// person in once so they can add a passkey), delete.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, seg } from '../api.js';
import { useApp } from '../context.js';
import { loginCodeLink } from '../forms.js';
import {
	Button, Checkbox, Confirm, CopyValue, ErrorBox, Field, Notice, Spinner, fieldErrors, useAction, useLoad,
} from '../components.js';

const LIST_QUERY = '?pagination[limit]=100&sort[column]=username&sort[direction]=asc';
const FIELDS = ['firstName', 'lastName', 'username', 'email'];

export function UsersPage() {
	const { user: me } = useApp();
	const [search, setSearch] = useState('');
	const [adding, setAdding] = useState(false);
	const [code, setCode] = useState(null);
	const [deleting, setDeleting] = useState(null);
	const action = useAction();
	const list = useLoad(() => api.get('/users' + LIST_QUERY + (search ? '&search=' + seg(search) : '')), [search]);
	const users = (list.data && list.data.data) || [];

	const loginCode = (u) =>
		action.run(async () => {
			const res = await api.post('/users/' + seg(u.id) + '/one-time-access-token', {});
			setCode({ user: u, link: loginCodeLink(location.origin, res.token) });
		});
	const onDelete = () =>
		action.run(async () => {
			await api.del('/users/' + seg(deleting.id));
			setDeleting(null);
			list.reload();
		});
	return html`<div class="stack">
		<h1 id="page-title">${t('users.title')}</h1>
		<section class="panel" aria-labelledby="users-list">
			<div class="panel-head">
				<h2 id="users-list">${t('users.all')}</h2>
				<${Button} onClick=${() => setAdding(!adding)}>${t('users.add')}<//>
			</div>
			${adding && html`<${NewUser} onDone=${() => { setAdding(false); list.reload(); }} />`}
			${code &&
			html`<${Notice}>${t('users.codeFor', { name: code.user.username })}<//>
				<${CopyValue} id="login-code-link" label=${t('users.codeLink')} value=${code.link} />`}
			<${ErrorBox} error=${deleting ? null : action.error} />
			<${Field} id="user-search" type="search" label=${t('action.search')} value=${search}
				onInput=${(e) => setSearch(e.currentTarget.value)} />
			${list.loading && html`<${Spinner} />`}
			<${ErrorBox} error=${list.error} />
			<ul class="rows">
				${users.map(
					(u) => html`<li key=${u.id} class="row" data-testid=${'user-' + u.username}>
						<div class="row-main">
							<strong>${u.displayName || u.username}</strong>
							<span class="small muted">${[u.username, u.email].filter(Boolean).join(' · ')}</span>
						</div>
						<div class="row-actions">
							${u.isAdmin && html`<span class="badge">${t('account.admin')}</span>`}
							${u.disabled && html`<span class="badge">${t('users.disabled')}</span>`}
							<${Button} kind="secondary" disabled=${action.busy} onClick=${() => loginCode(u)}
								aria-label=${t('users.codeNamed', { name: u.username })}>${t('users.code')}<//>
							${u.id !== me.id &&
							html`<${Button} kind="danger-outline" onClick=${() => { action.setError(null); setDeleting(u); }}
								aria-label=${t('users.deleteNamed', { name: u.username })}>${t('action.delete')}<//>`}
						</div>
					</li>`,
				)}
			</ul>
		</section>
		<${Confirm}
			open=${!!deleting}
			title=${t('users.deleteTitle')}
			message=${deleting ? t('users.deleteConfirm', { name: deleting.username }) : ''}
			confirmLabel=${t('action.delete')}
			danger
			busy=${action.busy}
			error=${action.error}
			onConfirm=${onDelete}
			onCancel=${() => setDeleting(null)}
		/>
	</div>`;
}

function NewUser({ onDone }) {
	const [form, setForm] = useState({ firstName: '', lastName: '', username: '', email: '', isAdmin: false });
	const action = useAction();
	const errors = fieldErrors(action.error);
	const submit = (e) => {
		e.preventDefault();
		action.run(async () => {
			await api.post('/users', { ...form, email: form.email.trim() || undefined });
			onDone();
		});
	};
	return html`<form onSubmit=${submit} novalidate>
		${FIELDS.map(
			(f) => html`<${Field} key=${f} id=${'new-' + f} label=${t('user.' + f)} value=${form[f]}
				type=${f === 'email' ? 'email' : 'text'} error=${errors[f]} required=${f === 'username'}
				onInput=${(e) => setForm({ ...form, [f]: e.currentTarget.value })} />`,
		)}
		<${Checkbox} id="new-isAdmin" label=${t('users.isAdmin')} checked=${form.isAdmin}
			onChange=${(on) => setForm({ ...form, isAdmin: on })} />
		<${ErrorBox} error=${Object.keys(errors).length ? null : action.error} />
		<div class="actions">
			<${Button} type="submit" busy=${action.busy}>${t('users.create')}<//>
		</div>
	</form>`;
}
