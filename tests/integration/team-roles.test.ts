import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds, openTestDatabase } from '../helpers/db.ts';
import type { Database } from '../../src/lib/server/db/client.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { removeMember } from '../../src/lib/server/boards/members.ts';
import { addTeamRole, deleteTeamRole, getProcessOwner, listTeamRoles, renameTeamRole, setProcessOwner, setTeamRoleHolders } from '../../src/lib/server/boards/team-roles.ts';

describe.each(dbKinds())('team roles and the process owner (%s)', (kind) => {
	let database: Database;
	const ids: Record<string, string> = {};
	let boardId = '';

	beforeAll(async () => {
		database = await openTestDatabase(kind);
		for (const who of ['Olivia', 'Sam', 'Priya', 'Vic', 'Stranger']) ids[who] = await signUp(database.db, { name: who, email: `${who.toLowerCase()}@example.com`, password: 'plum-orbit-cactus-91' }, new Date());
		boardId = await createBoard(database.db, ids.Olivia!, 'Blog', new Date());
		for (const [who, role] of [['Sam', 'editor'], ['Priya', 'editor'], ['Vic', 'viewer']] as const) {
			const { token } = await createInvite(database.db, boardId, ids.Olivia!, { role, days: 1 }, new Date());
			await acceptInvite(database.db, token, ids[who]!, new Date());
		}
	}, 60_000);

	afterAll(async () => {
		await database?.close();
	});

	it('an owner names roles and who holds them (several each, several per person); members see them; others cannot', async () => {
		const db = database.db;
		const strategist = await addTeamRole(db, boardId, ids.Olivia!, '  Content   strategist ');
		const seo = await addTeamRole(db, boardId, ids.Olivia!, 'SEO strategist');
		const writer = await addTeamRole(db, boardId, ids.Olivia!, 'Blog writer');
		await setTeamRoleHolders(db, boardId, ids.Olivia!, strategist, [ids.Sam!]);
		await setTeamRoleHolders(db, boardId, ids.Olivia!, seo, [ids.Sam!, ids.Priya!]);
		expect(await listTeamRoles(db, boardId, ids.Vic!)).toEqual([
			{ id: strategist, name: 'Content strategist', holders: [ids.Sam] },
			{ id: seo, name: 'SEO strategist', holders: [ids.Sam, ids.Priya] },
			{ id: writer, name: 'Blog writer', holders: [] }
		]);
		// Duplicates in any case, blanks and over-long names are refused with a message, changing nothing.
		await expect(addTeamRole(db, boardId, ids.Olivia!, 'seo STRATEGIST')).rejects.toThrow(/already a team role called/);
		await expect(addTeamRole(db, boardId, ids.Olivia!, '   ')).rejects.toThrow(/Give the team role a name/);
		await expect(addTeamRole(db, boardId, ids.Olivia!, 'x'.repeat(61))).rejects.toThrow(/at most 60 characters/);
		await expect(renameTeamRole(db, boardId, ids.Olivia!, writer, 'Content Strategist')).rejects.toThrow(/already a team role/);
		// Only owners manage them; only members may hold them; a stranger does not learn the board exists.
		await expect(addTeamRole(db, boardId, ids.Sam!, 'Editor in chief')).rejects.toMatchObject({ code: 'forbidden' });
		await expect(setTeamRoleHolders(db, boardId, ids.Olivia!, writer, [ids.Stranger!])).rejects.toThrow(/Only members/);
		await expect(listTeamRoles(db, boardId, ids.Stranger!)).rejects.toMatchObject({ code: 'not_found' });
		expect((await listTeamRoles(db, boardId, ids.Olivia!)).length).toBe(3);
		await renameTeamRole(db, boardId, ids.Olivia!, writer, 'Writer');
		await deleteTeamRole(db, boardId, ids.Olivia!, strategist);
		expect((await listTeamRoles(db, boardId, ids.Olivia!)).map((r) => r.name)).toEqual(['SEO strategist', 'Writer']);
	});

	it('a process owner is one member, shown until they leave the board; a member who leaves holds no role', async () => {
		const db = database.db;
		expect(await getProcessOwner(db, boardId)).toBeNull();
		await setProcessOwner(db, boardId, ids.Olivia!, ids.Priya!);
		expect(await getProcessOwner(db, boardId)).toEqual({ userId: ids.Priya, name: 'Priya' });
		await expect(setProcessOwner(db, boardId, ids.Olivia!, ids.Stranger!)).rejects.toThrow(/Only members/);
		await expect(setProcessOwner(db, boardId, ids.Sam!, ids.Sam!)).rejects.toMatchObject({ code: 'forbidden' });
		await removeMember(db, boardId, ids.Olivia!, ids.Priya!);
		expect(await getProcessOwner(db, boardId)).toBeNull();
		expect((await listTeamRoles(db, boardId, ids.Olivia!)).find((r) => r.name === 'SEO strategist')?.holders).toEqual([ids.Sam]);
	});
});
