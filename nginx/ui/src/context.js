// What every page may read: the signed-in user (null when signed out), the
// public settings, and setUser for pages that sign someone in or out.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const AppContext = createContext(null);

export function useApp() {
	return useContext(AppContext);
}
