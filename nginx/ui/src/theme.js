// Light and dark: the user's choice (system, light or dark), remembered in
// localStorage, resolved against prefers-color-scheme and written to
// <html data-theme="light|dark">, which style.css keys its palette on.
const KEY = 'pocket-id.theme';
const CHOICES = ['system', 'light', 'dark'];
const dark = matchMedia('(prefers-color-scheme: dark)');

let choice = 'system';
try {
	const stored = localStorage.getItem(KEY);
	if (CHOICES.includes(stored)) choice = stored;
} catch {
	/* storage disabled */
}

export function themeChoice() {
	return choice;
}

export function resolvedTheme() {
	return choice === 'system' ? (dark.matches ? 'dark' : 'light') : choice;
}

function apply() {
	document.documentElement.dataset.theme = resolvedTheme();
}

/** Cycles system → light → dark → system; returns the new choice. */
export function nextTheme() {
	choice = CHOICES[(CHOICES.indexOf(choice) + 1) % CHOICES.length];
	try {
		localStorage.setItem(KEY, choice);
	} catch {
		/* storage disabled */
	}
	apply();
	return choice;
}

/** Applies the theme now and whenever the system preference changes. */
export function startTheme(onChange) {
	apply();
	dark.addEventListener('change', () => {
		apply();
		onChange();
	});
}
