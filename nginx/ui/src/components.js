// Small shared pieces: buttons with a busy state, labelled fields, alerts,
// the confirmation dialog, logos, the client header and scope list of the
// consent screens, and the hooks pages use to load data and run actions.
import { useEffect, useId, useRef, useState, useCallback } from 'preact/hooks';
import { html } from './html.js';
import { t, has } from './i18n.js';
import { describeError } from './errors.js';
import { navigate } from './router.js';
import { resolvedTheme } from './theme.js';
import { api } from './api.js';
import { claimRows, claimsBody } from './forms.js';

/** Loads data on mount (and when deps change): {data, error, loading, reload, setData}. */
export function useLoad(fn, deps = []) {
	const [state, setState] = useState({ data: undefined, error: null, loading: true });
	const seq = useRef(0);
	const reload = useCallback(() => {
		const mine = ++seq.current;
		setState((s) => ({ ...s, loading: true, error: null }));
		Promise.resolve()
			.then(fn)
			.then(
				(data) => mine === seq.current && setState({ data, error: null, loading: false }),
				(error) => mine === seq.current && setState({ data: undefined, error, loading: false }),
			);
	}, deps);
	useEffect(reload, [reload]);
	const setData = (data) => setState({ data, error: null, loading: false });
	return { ...state, reload, setData };
}

/** Runs a user action: {run, busy, error, setError}; run(fn) never rejects. */
export function useAction() {
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState(null);
	const run = async (fn) => {
		setBusy(true);
		setError(null);
		try {
			return await fn();
		} catch (e) {
			setError(e);
			return undefined;
		} finally {
			setBusy(false);
		}
	};
	return { run, busy, error, setError };
}

export function Redirect({ to }) {
	useEffect(() => navigate(to, { replace: true }), [to]);
	return null;
}

export function Spinner({ label }) {
	return html`<div class="spinner-wrap" role="status" aria-live="polite">
		<span class="spinner" aria-hidden="true"></span>
		<span class="visually-hidden">${label || t('app.loading')}</span>
	</div>`;
}

export function ErrorBox({ error }) {
	if (!error) return null;
	const { message, detail, requestId } = describeError(error);
	return html`<div class="alert alert-error" role="alert">
		<p>${message}</p>
		${detail && html`<p class="small">${t('error.detail', { detail })}</p>`}
		${requestId && html`<p class="small muted">${t('error.requestId', { id: requestId })}</p>`}
	</div>`;
}

export function Notice({ kind = 'info', children }) {
	return html`<div class=${'alert alert-' + kind} role="status">${children}</div>`;
}

export function Button({ busy, kind = 'primary', block, type = 'button', disabled, children, ...rest }) {
	return html`<button
		type=${type}
		class=${'btn btn-' + kind + (block ? ' btn-block' : '')}
		disabled=${busy || disabled}
		aria-busy=${busy ? 'true' : undefined}
		...${rest}
	>
		${busy && html`<span class="spinner spinner-small" aria-hidden="true"></span>`}
		${children}
	</button>`;
}

/** A labelled input; `error` is a server field error {code, message}. */
export function Field({ id, label, error, hint, ...input }) {
	const describedBy = [hint && id + '-hint', error && id + '-error'].filter(Boolean).join(' ') || undefined;
	let errorText = '';
	if (error) {
		const key = 'field.' + error.code;
		errorText = has(key) ? t(key) : error.message || t('field.invalid_value');
	}
	return html`<div class="field">
		<label for=${id}>${label}</label>
		<input
			id=${id}
			name=${id}
			aria-invalid=${error ? 'true' : undefined}
			aria-describedby=${describedBy}
			...${input}
		/>
		${hint && html`<p id=${id + '-hint'} class="small muted">${hint}</p>`}
		${error && html`<p id=${id + '-error'} class="field-error">${errorText}</p>`}
	</div>`;
}

/** A code as typed or linked ("EABC-1234", " ab12cd ") without spaces and dashes. */
export const bareCode = (s) => s.replace(/[\s-]+/g, '');

/**
 * A one-field form for a code someone types from elsewhere (login code,
 * device code). The code is kept as typed; onSubmit gets bareCode() of it,
 * and only when something is left.
 */
export function CodeForm({ id, label, value, onInput, onSubmit, busy, error, submitLabel, ...input }) {
	const submit = (e) => {
		e.preventDefault();
		const code = bareCode(value);
		if (code) onSubmit(code);
	};
	return html`<form onSubmit=${submit} novalidate>
		<${Field}
			id=${id}
			label=${label}
			value=${value}
			onInput=${(e) => onInput(e.currentTarget.value)}
			spellcheck="false"
			maxlength="32"
			required
			class="code-input"
			...${input}
		/>
		<${ErrorBox} error=${error} />
		<${Button} type="submit" block busy=${busy}>${submitLabel}<//>
	</form>`;
}

/** A modal confirmation on the native <dialog> (focus trap, Escape to cancel). */
export function Confirm({ open, title, message, confirmLabel, danger, busy, error, onConfirm, onCancel }) {
	const ref = useRef(null);
	const titleId = useId();
	useEffect(() => {
		const d = ref.current;
		if (!d) return;
		if (open && !d.open) d.showModal();
		if (!open && d.open) d.close();
	}, [open]);
	return html`<dialog ref=${ref} class="dialog" aria-labelledby=${titleId} onCancel=${(e) => {
		e.preventDefault();
		onCancel();
	}}>
		<h2 id=${titleId}>${title}</h2>
		<p>${message}</p>
		<${ErrorBox} error=${error} />
		<div class="actions">
			<${Button} kind="secondary" onClick=${onCancel}>${t('action.cancel')}<//>
			<${Button} kind=${danger ? 'danger' : 'primary'} busy=${busy} onClick=${onConfirm}>${confirmLabel}<//>
		</div>
	</dialog>`;
}

/** The built-in mark, shown when no logo has been uploaded. */
function BuiltinMark() {
	return html`<svg class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
		<circle cx="8" cy="12" r="4.5" fill="none" stroke="currentColor" stroke-width="2" />
		<path d="M12.5 12H21M18 12v3M21 12v2.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
	</svg>`;
}

/** An image with a fallback when it fails to load (404: nothing uploaded). */
function ImageOr({ src, alt, className, fallback }) {
	const [failed, setFailed] = useState('');
	if (failed === src) return fallback;
	return html`<img class=${className} src=${src} alt=${alt} onError=${() => setFailed(src)} />`;
}

export function AppLogo() {
	const light = resolvedTheme() === 'dark' ? 'false' : 'true';
	return html`<${ImageOr}
		className="logo"
		src=${'/api/application-images/logo?light=' + light}
		alt=""
		fallback=${html`<${BuiltinMark} />`}
	/>`;
}

export function ClientLogo({ client }) {
	const initial = (client.name || '?').trim().charAt(0).toUpperCase();
	const fallback = html`<span class="client-initial" aria-hidden="true">${initial}</span>`;
	if (!client.hasLogo) return fallback;
	const light = resolvedTheme() === 'dark' && client.hasDarkLogo ? 'false' : 'true';
	return html`<${ImageOr}
		className="client-logo"
		src=${'/api/oidc/clients/' + encodeURIComponent(client.id) + '/logo?light=' + light}
		alt=""
		fallback=${fallback}
	/>`;
}

/** Card shell of the sign-in, setup and consent pages. */
export function AuthCard({ title, lead, top, children }) {
	return html`<section class="auth-card" aria-labelledby="page-title">
		${top || html`<div class="auth-mark"><${AppLogo} /></div>`}
		<h1 id="page-title">${title}</h1>
		${lead && html`<p class="lead">${lead}</p>`}
		${children}
	</section>`;
}

// Scopes with a fixed meaning; openid is the sign-in itself and is not listed.
const KNOWN_SCOPES = ['profile', 'email', 'groups', 'offline_access'];

/** Scopes in plain words (spec §9: consent shows the requested scopes). */
export function ScopeList({ scopes, scopeInfo }) {
	const info = new Map((scopeInfo || []).map((s) => [s.key, s]));
	const items = (scopes || [])
		.filter((s) => s !== 'openid')
		.map((s) => {
			if (KNOWN_SCOPES.includes(s))
				return { key: s, name: t('scope.' + s + '.name'), description: t('scope.' + s + '.description') };
			const custom = info.get(s);
			return { key: s, name: (custom && custom.name) || s, description: (custom && custom.description) || '' };
		});
	if (!items.length) return null;
	return html`<ul class="scopes" data-testid="scopes">
		${items.map(
			(s) => html`<li key=${s.key}>
				<strong>${s.name}</strong>
				${s.description && html`<span class="muted">${s.description}</span>`}
			</li>`,
		)}
	</ul>`;
}

/** A labelled multi-line input (one entry per line in the admin forms). */
export function TextArea({ id, label, error, hint, ...input }) {
	const describedBy = [hint && id + '-hint', error && id + '-error'].filter(Boolean).join(' ') || undefined;
	return html`<div class="field">
		<label for=${id}>${label}</label>
		<textarea id=${id} name=${id} rows="3" aria-invalid=${error ? 'true' : undefined}
			aria-describedby=${describedBy} ...${input}></textarea>
		${hint && html`<p id=${id + '-hint'} class="small muted">${hint}</p>`}
		${error && html`<p id=${id + '-error'} class="field-error">${error.message || t('field.invalid_value')}</p>`}
	</div>`;
}

/** A labelled checkbox with an optional explanation under it. */
export function Checkbox({ id, label, hint, checked, onChange, disabled }) {
	return html`<div class="field field-check">
		<input type="checkbox" id=${id} name=${id} checked=${checked} disabled=${disabled}
			aria-describedby=${hint ? id + '-hint' : undefined}
			onChange=${(e) => onChange(e.currentTarget.checked)} />
		<label for=${id}>${label}</label>
		${hint && html`<p id=${id + '-hint'} class="small muted">${hint}</p>`}
	</div>`;
}

/** A value to copy once (a new secret, a login-code link), with its button. */
export function CopyValue({ id, label, value }) {
	const [copied, setCopied] = useState(false);
	const copy = () => navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
	return html`<div class="field">
		<label for=${id}>${label}</label>
		<div class="copy-row">
			<input id=${id} readonly value=${value} class="code-input" data-testid=${id}
				onFocus=${(e) => e.currentTarget.select()} />
			<${Button} kind="secondary" onClick=${copy}>${t(copied ? 'action.copied' : 'action.copy')}<//>
		</div>
	</div>`;
}

/** Server field errors of a failed save, keyed by field ({} otherwise). */
export const fieldErrors = (error) => (error && error.fields) || {};

/**
 * A titled list of checkboxes over `items` ({id, label, hint?}); `chosen`
 * is a Set of ids and onToggle(id, on) reports each change. Two lists
 * over the same items on one page need different idPrefix values.
 */
export function Checklist({ legend, items, chosen, onToggle, empty, idPrefix = 'check-' }) {
	return html`<fieldset class="checklist">
		<legend>${legend}</legend>
		${items.length === 0 && html`<p class="muted">${empty}</p>`}
		${items.map(
			(item) => html`<${Checkbox} key=${item.id} id=${idPrefix + item.id} label=${item.label} hint=${item.hint}
				checked=${chosen.has(item.id)} onChange=${(on) => onToggle(item.id, on)} />`,
		)}
	</fieldset>`;
}

/** A Set state with a toggle, for Checklist. */
export function useChosen(initial) {
	const [chosen, setChosen] = useState(() => new Set(initial));
	const toggle = (id, on) => {
		const next = new Set(chosen);
		if (on) next.add(id);
		else next.delete(id);
		setChosen(next);
	};
	return [chosen, toggle];
}

/** A labelled <select> over options [{value, label}]. */
export function Select({ id, label, hint, value, options, onChange, error }) {
	return html`<div class="field">
		<label for=${id}>${label}</label>
		<select id=${id} name=${id} value=${value} aria-invalid=${error ? 'true' : undefined}
			aria-describedby=${hint ? id + '-hint' : undefined} onChange=${(e) => onChange(e.currentTarget.value)}>
			${options.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
		</select>
		${hint && html`<p id=${id + '-hint'} class="small muted">${hint}</p>`}
		${error && html`<p class="field-error">${error.message || t('field.invalid_value')}</p>`}
	</div>`;
}

/**
 * An image the admin or user may replace or remove: the current one (or
 * "none"), a file picker that uploads at once, and a remove button when
 * onDelete is given. `version` changes after each change so the <img>
 * fetches again past any cache.
 */
export function ImageField({ id, label, src, accept = 'image/*', onUpload, onDelete }) {
	const action = useAction();
	const [version, setVersion] = useState(0);
	const [missing, setMissing] = useState(false);
	const url = src + (src.includes('?') ? '&' : '?') + 'v=' + version;
	const done = () => {
		setMissing(false);
		setVersion(version + 1);
	};
	const pick = (e) => {
		const file = e.currentTarget.files[0];
		e.currentTarget.value = '';
		if (file) action.run(async () => {
			await onUpload(file);
			done();
		});
	};
	return html`<div class="field image-field" data-testid=${id}>
		<label for=${id}>${label}</label>
		<div class="image-row">
			${missing
				? html`<span class="image-none muted">${t('image.none')}</span>`
				: html`<img class="image-preview" src=${url} alt="" onError=${() => setMissing(true)} />`}
			<input type="file" id=${id} accept=${accept} onChange=${pick} disabled=${action.busy} />
			${onDelete && !missing && html`<${Button} kind="danger-outline" busy=${action.busy}
				onClick=${() => action.run(async () => { await onDelete(); done(); })}>${t('image.remove')}<//>`}
		</div>
		<${ErrorBox} error=${action.error} />
	</div>`;
}

/**
 * Custom claims of a user or group (spec §1.9), edited as "key = value"
 * lines and saved as a whole with PUT path; the server's refusals
 * (reserved or repeated keys) are shown.
 */
export function ClaimsEditor({ id, claims, path, onSaved }) {
	const [text, setText] = useState(() => claimRows(claims));
	const action = useAction();
	const [saved, setSaved] = useState(false);
	const save = () =>
		action.run(async () => {
			const stored = await api.put(path, claimsBody(text));
			setText(claimRows(stored));
			setSaved(true);
			if (onSaved) onSaved(stored);
		});
	return html`<div class="claims-editor">
		${saved && html`<${Notice} kind="success">${t('claims.saved')}<//>`}
		<${TextArea} id=${id} label=${t('claims.label')} hint=${t('claims.hint')} value=${text}
			onInput=${(e) => { setSaved(false); setText(e.currentTarget.value); }} />
		<${ErrorBox} error=${action.error} />
		<${Button} busy=${action.busy} onClick=${save}>${t('claims.save')}<//>
	</div>`;
}
