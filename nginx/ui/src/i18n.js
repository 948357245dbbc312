// Message catalogues: one flat JSON file per language in ./i18n/. Every
// string the UI shows comes from here. The language is the one the user
// picked (remembered in localStorage), else the first of the browser's
// languages we have a catalogue for, else English. Missing keys fall back
// to English, then to the key itself (test/i18n.test.mjs keeps the
// catalogues in step).
import en from './i18n/en.json' with { type: 'json' };
import zhCN from './i18n/zh-CN.json' with { type: 'json' };

export const catalogues = { en, 'zh-CN': zhCN };
export const DEFAULT_LANGUAGE = 'en';
const STORAGE_KEY = 'pocket-id.language';

let current = DEFAULT_LANGUAGE;

/** The first supported catalogue for a list of BCP 47 tags (navigator.languages). */
export function pickLanguage(tags) {
	const codes = Object.keys(catalogues);
	for (const tag of tags || []) {
		if (typeof tag !== 'string') continue;
		const lower = tag.toLowerCase();
		const exact = codes.find((c) => c.toLowerCase() === lower);
		if (exact) return exact;
		const primary = lower.split('-')[0];
		const near = codes.find((c) => c.toLowerCase().split('-')[0] === primary);
		if (near) return near;
	}
	return DEFAULT_LANGUAGE;
}

/** Fills {name} placeholders; unknown placeholders stay as they are. */
export function format(message, params) {
	if (!params) return message;
	return message.replace(/\{(\w+)\}/g, (whole, name) =>
		Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
	);
}

export function t(key, params) {
	const message = catalogues[current][key] ?? catalogues[DEFAULT_LANGUAGE][key] ?? key;
	return format(message, params);
}

/** True when the current catalogue (or English) has this key. */
export function has(key) {
	return key in catalogues[current] || key in catalogues[DEFAULT_LANGUAGE];
}

export function language() {
	return current;
}

export function setLanguage(code, remember) {
	current = code in catalogues ? code : DEFAULT_LANGUAGE;
	document.documentElement.lang = current;
	if (remember) {
		try {
			localStorage.setItem(STORAGE_KEY, current);
		} catch {
			/* storage disabled: the choice lasts for this page only */
		}
	}
	return current;
}

/** The remembered choice, else the browser's preference. */
export function initialLanguage() {
	let stored = null;
	try {
		stored = localStorage.getItem(STORAGE_KEY);
	} catch {
		/* storage disabled */
	}
	if (stored && stored in catalogues) return stored;
	return pickLanguage(navigator.languages || [navigator.language]);
}

/** Each language's own name, for the picker. */
export function languageNames() {
	return Object.entries(catalogues).map(([code, cat]) => ({ code, name: cat['language.name'] }));
}

export function formatDate(value) {
	if (!value) return '';
	const d = new Date(value);
	if (Number.isNaN(d.getTime())) return '';
	return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
