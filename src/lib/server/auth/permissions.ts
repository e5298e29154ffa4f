/** A member's role on a board, from most to least powerful. */
export type Role = 'owner' | 'editor' | 'viewer';

/** Every role, most powerful first. */
export const ROLES: readonly Role[] = ['owner', 'editor', 'viewer'];

/** Everything a member may try to do to a board. */
export type BoardAction =
	| 'view'
	| 'edit_content'
	| 'rename'
	| 'delete'
	| 'manage_members'
	| 'manage_invites'
	| 'leave';

const ALLOWED: Record<BoardAction, readonly Role[]> = {
	view: ['owner', 'editor', 'viewer'],
	edit_content: ['owner', 'editor'],
	rename: ['owner', 'editor'],
	delete: ['owner'],
	manage_members: ['owner'],
	manage_invites: ['owner'],
	leave: ['owner', 'editor', 'viewer']
};

/** Whether a member with `role` (or a non-member, `null`) may perform `action`. */
export function can(role: Role | null, action: BoardAction): boolean {
	return role !== null && ALLOWED[action].includes(role);
}

/** Whether a member with `role` may change the board document. */
export function canEditBoard(role: Role | null): boolean {
	return can(role, 'edit_content');
}

/** Narrows an unknown string to a Role. */
export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
