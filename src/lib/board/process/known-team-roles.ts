import type { BoardProcess } from '../types.ts';

/** A team role as the board's page loaded it from the database: its name and holders. */
export interface LoadedTeamRole {
	name: string;
	holders: readonly string[];
}

/**
 * The board's process with every team role the page knows of: the document's live mirror of role holders wins, and
 * roles it does not carry yet (the server mirrors them into the document; an older board may not have them) are
 * taken from the page's load. Returns `process` itself when nothing is missing, so derived values stay unchanged.
 */
export function withLoadedTeamRoles(process: BoardProcess, loaded: readonly LoadedTeamRole[]): BoardProcess {
	const missing = loaded.filter((r) => !Object.hasOwn(process.teamRoles, r.name));
	if (missing.length === 0) return process;
	const teamRoles: Record<string, string[]> = { ...process.teamRoles };
	for (const role of missing) teamRoles[role.name] = [...role.holders];
	return { ...process, teamRoles };
}

/** Team role names in the order the page loaded them, then any only the document knows, alphabetically. */
export function teamRoleNames(process: BoardProcess, loaded: readonly LoadedTeamRole[]): string[] {
	const names = loaded.map((r) => r.name);
	const extra = Object.keys(process.teamRoles)
		.filter((name) => !names.includes(name))
		.sort((a, b) => a.localeCompare(b));
	return [...names, ...extra];
}
