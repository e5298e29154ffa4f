import { describe, expect, it } from 'vitest';
import { can, canEditBoard, type BoardAction, type Role } from '../../src/lib/server/auth/permissions.ts';

const expected: Record<BoardAction, Record<Role | 'none', boolean>> = {
	view: { owner: true, editor: true, viewer: true, none: false },
	edit_content: { owner: true, editor: true, viewer: false, none: false },
	rename: { owner: true, editor: true, viewer: false, none: false },
	delete: { owner: true, editor: false, viewer: false, none: false },
	manage_members: { owner: true, editor: false, viewer: false, none: false },
	manage_invites: { owner: true, editor: false, viewer: false, none: false },
	leave: { owner: true, editor: true, viewer: true, none: false }
};

describe('role checks', () => {
	for (const [action, byRole] of Object.entries(expected) as [BoardAction, Record<Role | 'none', boolean>][]) {
		for (const [role, allowed] of Object.entries(byRole)) {
			it(`${role} ${allowed ? 'may' : 'may not'} ${action}`, () => {
				expect(can(role === 'none' ? null : (role as Role), action)).toBe(allowed);
			});
		}
	}

	it('only owners and editors may edit the board document', () => {
		expect([canEditBoard('owner'), canEditBoard('editor'), canEditBoard('viewer'), canEditBoard(null)]).toEqual([true, true, false, false]);
	});
});
