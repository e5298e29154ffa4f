import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds, openTestDatabase } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { refusal } from '../helpers/refusal.ts';
import type { Database } from '../../src/lib/server/db/client.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createBoard, deleteBoard, findBoardAccess, listBoardsForUser, renameBoard } from '../../src/lib/server/boards/boards.ts';
import { changeMemberRole, leaveBoard, listMembers, removeMember } from '../../src/lib/server/boards/members.ts';
import { acceptInvite, createInvite, inspectInvite, listActiveInvites, revokeInvite } from '../../src/lib/server/boards/invites.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(dbKinds())('boards, members and invites on %s', (kind) => {
	let database: Database;
	const clock = new FakeClock();
	const ids = { owner: '', editor: '', viewer: '', outsider: '' };
	let boardId = '';

	beforeAll(async () => {
		database = await openTestDatabase(kind);
		for (const who of Object.keys(ids) as (keyof typeof ids)[]) {
			ids[who] = await signUp(database.db, { name: who, email: `${who}@example.com`, password: 'plum-orbit-cactus-91' }, clock.now());
		}
	});
	afterAll(() => database?.close());

	it('a new user has no boards; creating one makes them its owner', async () => {
		expect(await listBoardsForUser(database.db, ids.owner)).toEqual([]);
		boardId = await createBoard(database.db, ids.owner, 'Content publishing', clock.now());
		const boards = await listBoardsForUser(database.db, ids.owner);
		expect(boards).toMatchObject([{ id: boardId, name: 'Content publishing', role: 'owner', members: 1 }]);
	});

	it('an invite link lets people join with its role; joining twice changes nothing', async () => {
		const editorInvite = await createInvite(database.db, boardId, ids.owner, { role: 'editor', days: 7 }, clock.now());
		const viewerInvite = await createInvite(database.db, boardId, ids.owner, { role: 'viewer', days: 1 }, clock.now());
		expect(await inspectInvite(database.db, viewerInvite.token, clock.now())).toMatchObject({ boardName: 'Content publishing', role: 'viewer' });
		await acceptInvite(database.db, editorInvite.token, ids.editor, clock.now());
		await acceptInvite(database.db, viewerInvite.token, ids.viewer, clock.now());
		await acceptInvite(database.db, viewerInvite.token, ids.editor, clock.now());
		expect((await findBoardAccess(database.db, boardId, ids.editor))?.role).toBe('editor');
		expect((await findBoardAccess(database.db, boardId, ids.viewer))?.role).toBe('viewer');
		const members = await listMembers(database.db, boardId, ids.viewer);
		expect(members.map((m) => [m.name, m.role])).toEqual([
			['owner', 'owner'],
			['editor', 'editor'],
			['viewer', 'viewer']
		]);
	});

	it('expired and revoked invites are refused with their reason, and add no one', async () => {
		const shortLived = await createInvite(database.db, boardId, ids.owner, { role: 'editor', days: 1 }, clock.now());
		const expired = await refusal(() => acceptInvite(database.db, shortLived.token, ids.outsider, new Date(clock.now().getTime() + 2 * DAY)));
		expect(expired.code).toBe('invite_expired');
		const revoked = await createInvite(database.db, boardId, ids.owner, { role: 'editor', days: 7 }, clock.now());
		await revokeInvite(database.db, boardId, ids.owner, revoked.id, clock.now());
		expect((await refusal(() => acceptInvite(database.db, revoked.token, ids.outsider, clock.now()))).code).toBe('invite_revoked');
		expect((await refusal(() => acceptInvite(database.db, 'no-such-token', ids.outsider, clock.now()))).code).toBe('not_found');
		expect(await findBoardAccess(database.db, boardId, ids.outsider)).toBeNull();
		const active = await listActiveInvites(database.db, boardId, ids.owner, clock.now());
		expect(active.map((i) => i.id)).not.toContain(revoked.id);
	});

	it('hides the board from non-members (not found) and refuses low roles (forbidden)', async () => {
		expect((await refusal(() => listMembers(database.db, boardId, ids.outsider))).code).toBe('not_found');
		expect((await refusal(() => renameBoard(database.db, boardId, ids.outsider, 'x'))).code).toBe('not_found');
		expect((await refusal(() => renameBoard(database.db, boardId, ids.viewer, 'x'))).code).toBe('forbidden');
		expect((await refusal(() => createInvite(database.db, boardId, ids.editor, { role: 'editor', days: 7 }, clock.now()))).code).toBe('forbidden');
		expect((await refusal(() => changeMemberRole(database.db, boardId, ids.editor, ids.viewer, 'owner'))).code).toBe('forbidden');
		expect((await refusal(() => deleteBoard(database.db, boardId, ids.editor, 'Content publishing'))).code).toBe('forbidden');
		await renameBoard(database.db, boardId, ids.editor, 'Blog pipeline');
		expect((await findBoardAccess(database.db, boardId, ids.owner))?.name).toBe('Blog pipeline');
	});

	it('keeps at least one owner', async () => {
		expect((await refusal(() => leaveBoard(database.db, boardId, ids.owner))).code).toBe('last_owner');
		expect((await refusal(() => changeMemberRole(database.db, boardId, ids.owner, ids.owner, 'editor'))).code).toBe('last_owner');
		await changeMemberRole(database.db, boardId, ids.owner, ids.editor, 'owner');
		await changeMemberRole(database.db, boardId, ids.editor, ids.owner, 'editor');
		expect((await findBoardAccess(database.db, boardId, ids.owner))?.role).toBe('editor');
		await changeMemberRole(database.db, boardId, ids.editor, ids.owner, 'owner');
	});

	it('removes a member and lets a member leave', async () => {
		await removeMember(database.db, boardId, ids.owner, ids.viewer);
		expect(await findBoardAccess(database.db, boardId, ids.viewer)).toBeNull();
		await leaveBoard(database.db, boardId, ids.editor);
		expect(await findBoardAccess(database.db, boardId, ids.editor)).toBeNull();
		expect(await listBoardsForUser(database.db, ids.editor)).toEqual([]);
	});

	it('deletes only with the exact name typed, then the board is gone for everyone', async () => {
		const wrong = await refusal(() => deleteBoard(database.db, boardId, ids.owner, 'blog pipeline'));
		expect(wrong.code).toBe('confirmation_mismatch');
		expect(await findBoardAccess(database.db, boardId, ids.owner)).not.toBeNull();
		await deleteBoard(database.db, boardId, ids.owner, 'Blog pipeline');
		expect(await findBoardAccess(database.db, boardId, ids.owner)).toBeNull();
		expect((await refusal(() => renameBoard(database.db, boardId, ids.owner, 'again'))).code).toBe('not_found');
	});
});
