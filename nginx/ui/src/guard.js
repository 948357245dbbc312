// Who may see a page (spec §9), as a pure function of the page's access
// level, the signed-in user (or null) and where we are:
//   public    — anyone, no redirect either way
//   anonymous — sign-in and setup pages; a signed-in user goes on to the
//               ?redirect= target or /settings
//   user      — signed-in users; others go to /login?redirect=<here>
//   admin     — signed-in admins; other users go to /settings
import { safeLocalPath } from './router.js';

export function guardRedirect(access, user, path, search) {
	if (access === 'public') return null;
	if (access === 'anonymous') {
		if (!user) return null;
		return safeLocalPath(new URLSearchParams(search).get('redirect'), '/settings');
	}
	if (!user) return '/login?redirect=' + encodeURIComponent(path + search);
	if (access === 'admin' && !user.isAdmin) return '/settings';
	return null;
}

/** Where /settings leads: the homePageUrl setting when it is a local page. */
export function homePage(settings) {
	const target = safeLocalPath(settings && settings.homePageUrl, '/settings/account');
	return target === '/settings' || target.startsWith('/settings?') ? '/settings/account' : target;
}
