// The public application settings (GET /api/application-configuration,
// spec §1.10, §4.2) as a map, with the documented defaults for when the
// server could not be asked.
export const DEFAULT_SETTINGS = {
	appName: 'Pocket ID',
	homePageUrl: '/settings/account',
	accentColor: 'default',
	allowOwnAccountEdit: 'true',
	allowUserSignups: 'disabled',
	requireUserEmail: 'true',
	emailOneTimeAccessAsUnauthenticatedEnabled: 'false',
	emailVerificationEnabled: 'false',
	ldapEnabled: 'false',
	uiConfigDisabled: 'false',
};

export function settingsFromConfig(list) {
	const out = { ...DEFAULT_SETTINGS };
	if (Array.isArray(list))
		for (const item of list)
			if (item && typeof item.key === 'string' && typeof item.value === 'string' && item.value !== '')
				out[item.key] = item.value;
	return out;
}

export const isOn = (value) => value === 'true';
