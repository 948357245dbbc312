// /settings/admin/users: the people who may sign in (spec §1.5): list and
// search, add a user, hand out a login code (spec §1.4; the link signs the
// person in once so they can add a passkey), delete; and sign-up links
// (spec §1.4 signup tokens) that let people create their own account.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, formatDate } from '../i18n.js';
import { api, seg } from '../api.js';
import { useApp } from '../context.js';
import { loginCodeLink, signupLink } from '../forms.js';
import {
	Button, Checkbox, Checklist, ClaimsEditor, Confirm, CopyValue, ErrorBox, Field, Notice, Select, Spinner,
	fieldErrors, useAction, useChosen, useLoad,
} from '../components.js';

const LIST_QUERY = '?pagination[limit]=100&sort[column]=username&sort[direction]=asc';
const FIELDS = ['firstName', 'lastName', 'username', 'email'];

export function UsersPage() {
	const { user: me } = useApp();
	const [search, setSearch] = useState('');
	const [adding, setAdding] = useState(false);
	const [code, setCode] = useState(null);
	const [deleting, setDeleting] = useState(null);
	const [claimsOf, setClaimsOf] = useState(null);
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
							<${Button} kind="secondary" onClick=${() => setClaimsOf(claimsOf === u.id ? null : u.id)}
								aria-label=${t('claims.named', { name: u.username })}>${t('claims.button')}<//>
							<${Button} kind="secondary" disabled=${action.busy} onClick=${() => loginCode(u)}
								aria-label=${t('users.codeNamed', { name: u.username })}>${t('users.code')}<//>
							${u.id !== me.id &&
							html`<${Button} kind="danger-outline" onClick=${() => { action.setError(null); setDeleting(u); }}
								aria-label=${t('users.deleteNamed', { name: u.username })}>${t('action.delete')}<//>`}
						</div>
						${claimsOf === u.id && html`<${ClaimsEditor} id=${'claims-' + u.username} claims=${u.customClaims}
							path=${'/custom-claims/user/' + seg(u.id)} onSaved=${list.reload} />`}
					</li>`,
				)}
			</ul>
		</section>
		<${SignupLinks} />
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

const LINK_TTLS = ['24h', '168h', '744h'];

/** Sign-up links: the link is shown once, when it is made (only a hash is kept). */
function SignupLinks() {
	const list = useLoad(() => api.get('/signup-tokens?pagination[limit]=100'));
	const groups = useLoad(() => api.get('/user-groups?pagination[limit]=100&sort[column]=friendlyName&sort[direction]=asc'));
	const [ttl, setTtl] = useState('168h');
	const [limit, setLimit] = useState('1');
	const [chosen, toggle] = useChosen([]);
	const [link, setLink] = useState(null);
	const action = useAction();
	const errors = fieldErrors(action.error);
	const tokens = (list.data && list.data.data) || [];
	const groupItems = ((groups.data && groups.data.data) || []).map((g) => ({ id: g.id, label: g.friendlyName }));
	const submit = (e) => {
		e.preventDefault();
		action.run(async () => {
			const made = await api.post('/signup-tokens', { ttl, usageLimit: Number(limit), userGroupIds: [...chosen] });
			setLink(signupLink(location.origin, made.token));
			list.reload();
		});
	};
	const remove = (tok) =>
		action.run(async () => {
			await api.del('/signup-tokens/' + seg(tok.id));
			list.reload();
		});
	return html`<section class="panel" aria-labelledby="signup-links">
		<h2 id="signup-links">${t('signupLinks.title')}</h2>
		<p class="muted">${t('signupLinks.lead')}</p>
		<form onSubmit=${submit} novalidate>
			<${Select} id="link-ttl" label=${t('signupLinks.expires')} value=${ttl} onChange=${setTtl} error=${errors.ttl}
				options=${LINK_TTLS.map((v) => ({ value: v, label: t('signupLinks.expires.' + v) }))} />
			<${Field} id="link-limit" type="number" min="1" max="100" label=${t('signupLinks.limit')} value=${limit}
				error=${errors.usageLimit} onInput=${(e) => setLimit(e.currentTarget.value)} />
			${groupItems.length > 0 &&
			html`<${Checklist} legend=${t('signupLinks.groups')} items=${groupItems} chosen=${chosen} onToggle=${toggle} />`}
			<${ErrorBox} error=${Object.keys(errors).length ? null : action.error} />
			<div class="actions"><${Button} type="submit" busy=${action.busy}>${t('signupLinks.create')}<//></div>
		</form>
		${link && html`<${CopyValue} id="signup-link" label=${t('signupLinks.link')} value=${link} />`}
		<ul class="rows">
			${tokens.map(
				(tok) => html`<li key=${tok.id} class="row" data-testid="signup-token">
					<div class="row-main">
						<strong>${t('signupLinks.usage', { count: tok.usageCount, limit: tok.usageLimit })}</strong>
						<span class="small muted">
							${[t('signupLinks.until', { date: formatDate(tok.expiresAt) }),
								...tok.userGroups.map((g) => g.friendlyName)].join(' · ')}
						</span>
					</div>
					<${Button} kind="danger-outline" disabled=${action.busy} onClick=${() => remove(tok)}
						aria-label=${t('signupLinks.deleteNamed', { prefix: formatDate(tok.createdAt) })}>${t('action.delete')}<//>
				</li>`,
			)}
		</ul>
	</section>`;
}
