// /settings/audit-log (one's own events, GET /api/audit-logs) and
// /settings/admin/audit-log (everyone's, GET /api/audit-logs/all, with
// the user and event filters): spec §1.12, §8. Newest first, 20 a page.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, has, formatDate } from '../i18n.js';
import { api } from '../api.js';
import { auditQuery } from '../forms.js';
import { Button, ErrorBox, Notice, Select, Spinner, useLoad } from '../components.js';

// The events of spec §8 a filter can pick.
const EVENTS = ['SIGN_IN', 'TOKEN_SIGN_IN', 'ACCOUNT_CREATED', 'CLIENT_AUTHORIZATION',
	'NEW_CLIENT_AUTHORIZATION', 'DEVICE_CODE_AUTHORIZATION', 'NEW_DEVICE_CODE_AUTHORIZATION',
	'PASSKEY_ADDED', 'PASSKEY_REMOVED', 'PASSKEY_COUNTER_REGRESSION'];

export const MyAuditPage = () => html`<${AuditLog} all=${false} />`;
export const AllAuditPage = () => html`<${AuditLog} all=${true} />`;

function AuditLog({ all }) {
	const [page, setPage] = useState(1);
	const [event, setEvent] = useState('');
	const [userId, setUserId] = useState('');
	const users = useLoad(() => (all ? api.get('/audit-logs/filters/users') : Promise.resolve({})), [all]);
	const list = useLoad(() => api.get((all ? '/audit-logs/all' : '/audit-logs') +
		auditQuery({ page, event, userId: all ? userId : '' })), [all, page, event, userId]);
	const rows = (list.data && list.data.data) || [];
	const pages = (list.data && list.data.pagination && list.data.pagination.totalPages) || 1;
	const pick = (set) => (v) => {
		setPage(1);
		set(v);
	};
	const userOptions = Object.entries(users.data || {}).map(([id, name]) => ({ value: id, label: name }));
	return html`<div class="stack">
		<h1 id="page-title">${t(all ? 'audit.allTitle' : 'audit.title')}</h1>
		<section class="panel" aria-labelledby="audit-list">
			<h2 id="audit-list" class="visually-hidden">${t('audit.events')}</h2>
			<div class="filters">
				<${Select} id="audit-event" label=${t('audit.event')} value=${event} onChange=${pick(setEvent)}
					options=${[{ value: '', label: t('audit.any') }, ...EVENTS.map((e) => ({ value: e, label: t('audit.event.' + e) }))]} />
				${all && html`<${Select} id="audit-user" label=${t('audit.user')} value=${userId} onChange=${pick(setUserId)}
					options=${[{ value: '', label: t('audit.any') }, ...userOptions]} />`}
			</div>
			${list.loading && html`<${Spinner} />`}
			<${ErrorBox} error=${list.error || users.error} />
			${!list.loading && !list.error && rows.length === 0 && html`<${Notice}>${t('audit.none')}<//>`}
			<ul class="rows">
				${rows.map(
					(r) => html`<li key=${r.id} class="row" data-testid="audit-row">
						<div class="row-main">
							<strong>${has('audit.event.' + r.event) ? t('audit.event.' + r.event) : r.event}</strong>
							<span class="small muted">
								${[formatDate(r.createdAt), all && r.username, r.device, r.ipAddress,
									[r.city, r.country].filter(Boolean).join(', '), r.data && r.data.clientName]
									.filter(Boolean).join(' · ')}
							</span>
						</div>
					</li>`,
				)}
			</ul>
			<div class="actions">
				<${Button} kind="secondary" disabled=${page <= 1} onClick=${() => setPage(page - 1)}>${t('audit.newer')}<//>
				<span class="small muted">${t('audit.page', { page, pages })}</span>
				<${Button} kind="secondary" disabled=${page >= pages} onClick=${() => setPage(page + 1)}>${t('audit.older')}<//>
			</div>
		</section>
	</div>`;
}
