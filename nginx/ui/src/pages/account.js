// /settings/account: the profile (GET /api/users/me, already loaded by the
// shell), passkeys (GET/PATCH/DELETE /api/webauthn/credentials[/:id], add
// through the register ceremony; spec §1.3) and browser sessions
// (GET /api/users/me/sessions, DELETE /api/users/me/sessions/:id — our
// addition, see README.md for the shape we expect).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, formatDate } from '../i18n.js';
import { api, seg, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { useApp } from '../context.js';
import { addPasskey } from '../auth.js';
import { Button, Confirm, ErrorBox, Field, ImageField, Notice, Spinner, useAction, useLoad } from '../components.js';

export function AccountPage() {
	return html`<div class="stack">
		<h1 id="page-title">${t('account.title')}</h1>
		<${Profile} />
		<${Passkeys} />
		<${Sessions} />
	</div>`;
}

function Profile() {
	const { user } = useApp();
	const rows = [
		['user.displayName', user.displayName],
		['user.firstName', user.firstName],
		['user.lastName', user.lastName],
		['user.username', user.username],
		['user.email', user.email],
	];
	return html`<section class="panel" aria-labelledby="profile-title">
		<h2 id="profile-title">${t('account.profile')}</h2>
		<${ImageField} id="profile-picture" label=${t('image.profilePicture')}
			src=${'/api/users/' + encodeURIComponent(user.id) + '/profile-picture.png?skipCache'}
			onUpload=${(file) => api.upload('PUT', '/users/me/profile-picture', file)}
			onDelete=${() => api.del('/users/me/profile-picture')} />
		<dl class="facts">
			${rows.map(
				([key, value]) => html`<div key=${key}>
					<dt>${t(key)}</dt>
					<dd>
						${value || html`<span class="muted">${t('account.notSet')}</span>`}
						${key === 'user.email' && value && html` <span class=${'badge' + (user.emailVerified ? ' badge-ok' : '')}>
							${t(user.emailVerified ? 'account.verified' : 'account.unverified')}
						</span>`}
					</dd>
				</div>`,
			)}
			<div>
				<dt>${t('account.role')}</dt>
				<dd>${t(user.isAdmin ? 'account.admin' : 'account.member')}</dd>
			</div>
		</dl>
	</section>`;
}

function Passkeys() {
	const list = useLoad(() => api.get('/webauthn/credentials'));
	const add = useAction();
	const [renaming, setRenaming] = useState(null);
	const [deleting, setDeleting] = useState(null);
	const remove = useAction();

	const onAdd = () =>
		add.run(async () => {
			await addPasskey();
			list.reload();
		});
	const onDelete = () =>
		remove.run(async () => {
			await api.del('/webauthn/credentials/' + seg(deleting.id));
			setDeleting(null);
			list.reload();
		});
	const passkeys = list.data || [];
	return html`<section class="panel" aria-labelledby="passkeys-title">
		<div class="panel-head">
			<h2 id="passkeys-title">${t('passkey.title')}</h2>
			<${Button} busy=${add.busy} onClick=${onAdd}>${t('passkey.add')}<//>
		</div>
		<p class="muted">${t('passkey.lead')}</p>
		<${ErrorBox} error=${add.error} />
		${list.loading && html`<${Spinner} />`}
		<${ErrorBox} error=${list.error} />
		${!list.loading && !list.error && passkeys.length === 0 && html`<${Notice} kind="warning">${t('passkey.none')}<//>`}
		${!list.loading && passkeys.length === 1 && html`<${Notice}>${t('passkey.single')}<//>`}
		<ul class="rows">
			${passkeys.map((p) =>
				renaming === p.id
					? html`<li key=${p.id}><${RenameForm}
							passkey=${p}
							onDone=${(updated) => {
								setRenaming(null);
								if (updated) list.setData(passkeys.map((x) => (x.id === p.id ? updated : x)));
							}}
						/></li>`
					: html`<li key=${p.id} class="row">
							<div class="row-main">
								<strong>${p.name}</strong>
								<span class="small muted">
									${t('passkey.added', { date: formatDate(p.createdAt) })}
									${p.backupState && html` · <span class="badge">${t('passkey.synced')}</span>`}
								</span>
							</div>
							<div class="row-actions">
								<${Button} kind="secondary" onClick=${() => setRenaming(p.id)}
									aria-label=${t('passkey.renameNamed', { name: p.name })}>${t('action.rename')}<//>
								<${Button} kind="danger-outline" onClick=${() => { remove.setError(null); setDeleting(p); }}
									aria-label=${t('passkey.deleteNamed', { name: p.name })}>${t('action.delete')}<//>
							</div>
						</li>`,
			)}
		</ul>
		<${Confirm}
			open=${!!deleting}
			title=${t('passkey.deleteTitle')}
			message=${deleting ? t('passkey.deleteConfirm', { name: deleting.name }) : ''}
			confirmLabel=${t('action.delete')}
			danger
			busy=${remove.busy}
			error=${remove.error}
			onConfirm=${onDelete}
			onCancel=${() => setDeleting(null)}
		/>
	</section>`;
}

function RenameForm({ passkey, onDone }) {
	const [name, setName] = useState(passkey.name);
	const action = useAction();
	const id = 'rename-' + passkey.id;
	useEffect(() => document.getElementById(id)?.select(), [id]);
	const [empty, setEmpty] = useState(false);
	const fieldError = empty ? { code: 'required' } : action.error instanceof ApiError ? action.error.fields.name : null;
	const submit = (e) => {
		e.preventDefault();
		setEmpty(!name.trim());
		if (!name.trim()) return;
		action.run(async () => {
			const updated = await api.patch('/webauthn/credentials/' + seg(passkey.id), { name: name.trim() });
			onDone(updated);
		});
	};
	return html`<form class="row row-form" onSubmit=${submit} novalidate>
		<${Field}
			id=${id}
			label=${t('passkey.name')}
			error=${fieldError}
			value=${name}
			onInput=${(e) => setName(e.currentTarget.value)}
			required
			minlength="1"
			maxlength="50"
		/>
		<div class="row-actions">
			<${Button} kind="secondary" onClick=${() => onDone(null)}>${t('action.cancel')}<//>
			<${Button} type="submit" busy=${action.busy}>${t('action.save')}<//>
		</div>
		<${ErrorBox} error=${fieldError ? null : action.error} />
	</form>`;
}

function Sessions() {
	const { setUser } = useApp();
	const list = useLoad(() => api.get('/users/me/sessions'));
	const action = useAction();
	const sessions = Array.isArray(list.data) ? list.data : [];
	const others = sessions.filter((s) => !s.current);

	const end = (s) =>
		action.run(async () => {
			await api.del('/users/me/sessions/' + seg(s.id));
			if (s.current) {
				navigate('/login', { replace: true });
				setUser(null);
				return;
			}
			list.reload();
		});
	// No bulk endpoint is specified: end the other sessions one by one.
	const endOthers = () =>
		action.run(async () => {
			for (const s of others) await api.del('/users/me/sessions/' + seg(s.id));
			list.reload();
		});
	return html`<section class="panel" aria-labelledby="sessions-title">
		<div class="panel-head">
			<h2 id="sessions-title">${t('session.title')}</h2>
			${others.length > 0 &&
			html`<${Button} kind="secondary" busy=${action.busy} onClick=${endOthers}>${t('session.endOthers')}<//>`}
		</div>
		<p class="muted">${t('session.lead')}</p>
		<${ErrorBox} error=${action.error} />
		${list.loading && html`<${Spinner} />`}
		<${ErrorBox} error=${list.error} />
		<ul class="rows">
			${sessions.map(
				(s) => html`<li key=${s.id} class="row">
					<div class="row-main">
						<strong>${s.device || s.userAgent || t('session.unknownDevice')}</strong>
						${s.current && html` <span class="badge badge-ok">${t('session.current')}</span>`}
						<span class="small muted">
							${[
								s.ipAddress,
								t('session.signedIn', { date: formatDate(s.createdAt) }),
								s.lastSeenAt && t('session.lastSeen', { date: formatDate(s.lastSeenAt) }),
							]
								.filter(Boolean)
								.join(' · ')}
						</span>
					</div>
					<div class="row-actions">
						<${Button} kind="secondary" disabled=${action.busy} onClick=${() => end(s)}>${t('session.end')}<//>
					</div>
				</li>`,
			)}
		</ul>
	</section>`;
}
