import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema/accounts.ts';
import { boardMembers, boards } from '../db/schema/boards.ts';
import { boardUpdates } from '../db/schema/documents.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { insertActivity, relationalEntry } from '../activity/write.ts';
import { insertTeamRoles, TEAM_ROLE_LIMITS } from '../boards/team-roles.ts';
import { templateBoardUpdate } from '../../board/doc/template-seed.ts';
import { isTimeZone } from '../../board/process/step-settings.ts';
import { validateTemplate, type ProcessTemplate } from '../../board/templates/template.ts';
import { TemplateProblemsError } from './templates.ts';

/** Someone a board's creator may give a team role to: themselves, or a person they already share a board with. */
export interface Collaborator {
	userId: string;
	name: string;
	email: string;
}

/** What a new board from a template needs. */
export interface NewBoardFromTemplate {
	name: string;
	template: ProcessTemplate;
	/** The board's IANA time zone. */
	timeZone: string;
	/** Team role name → the people who hold it (may be empty or missing: the role stays unstaffed). */
	roleHolders: Record<string, readonly string[]>;
	/** The template's id (built-in or team), kept on the board so the process review can name it and update it. */
	templateId?: string;
}

/** `userId` first, then everyone who shares at least one board with them, by name. */
export async function listCollaborators(db: Db, userId: string): Promise<Collaborator[]> {
	const mine = alias(boardMembers, 'mine');
	const [me] = await db.select({ userId: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
	const others = await db
		.selectDistinct({ userId: users.id, name: users.name, email: users.email })
		.from(mine)
		.innerJoin(boardMembers, and(eq(boardMembers.boardId, mine.boardId), ne(boardMembers.userId, userId)))
		.innerJoin(users, eq(users.id, boardMembers.userId))
		.where(eq(mine.userId, userId))
		.orderBy(asc(users.name), asc(users.id));
	return [...(me ? [me] : []), ...others];
}

/**
 * Creates a board from a process template in ONE transaction and returns its id: the board with `userId` as owner and
 * process owner, the template's team roles with their holders (each holder not yet a member joins as an editor), and
 * the board's first document state (the template's stages, step settings, labels, checklist, time zone and the role
 * holders), stored as its first update so the board opens with those stages instead of the default five. Refused
 * with a message, creating nothing, for a bad name, time zone, template, an unknown role, or a holder who is neither
 * the creator nor someone they already share a board with.
 */
export async function createBoardFromTemplate(db: Db, userId: string, input: NewBoardFromTemplate, now: Date): Promise<string> {
	const name = input.name.trim();
	if (!name) throw new DomainError('invalid_input', 'Enter a board name.', 'name');
	if (name.length > 100) throw new DomainError('invalid_input', 'Keep the board name under 100 characters.', 'name');
	if (!isTimeZone(input.timeZone)) throw new DomainError('invalid_input', `“${String(input.timeZone).slice(0, 64)}” is not a time zone this server knows. Use a name like Europe/Berlin or America/New_York.`, 'timeZone');
	// Checked again here: a template may come from anywhere (a team template saved by an older version).
	const checked = validateTemplate(input.template);
	if (!checked.ok) throw new TemplateProblemsError(checked.problems);
	const { template } = checked;
	if (template.teamRoles.length > TEAM_ROLE_LIMITS.roles) {
		throw new DomainError('invalid_input', `This template has ${template.teamRoles.length} team roles; a board can have at most ${TEAM_ROLE_LIMITS.roles}.`, 'template');
	}
	const roleHolders = holdersByRole(template, input.roleHolders);
	const people = [...new Set(Object.values(roleHolders).flat())];
	await assertMayAssign(db, userId, people);
	const { update } = templateBoardUpdate(template, { timeZone: input.timeZone, fallbackApprover: userId, teamRoles: roleHolders });
	const id = newId();
	await db.transaction(async (tx) => {
		const t = tx as unknown as Db;
		await tx.insert(boards).values({ id, name, createdBy: userId, createdAt: now, processOwnerId: userId, templateId: input.templateId ?? null });
		await tx.insert(boardMembers).values({ boardId: id, userId, role: 'owner', joinedAt: now });
		const joining = people.filter((p) => p !== userId);
		if (joining.length > 0) {
			await tx.insert(boardMembers).values(joining.map((p) => ({ boardId: id, userId: p, role: 'editor', joinedAt: now })));
			await insertActivity(t, joining.map((p) => relationalEntry(id, p, 'member_joined', { role: 'editor' }, now)));
		}
		await insertTeamRoles(t, id, template.teamRoles.map((role) => ({ name: role, holders: roleHolders[role] ?? [] })), now);
		// The document store's own table: the board's room loads this as its stored state and never seeds it.
		await tx.insert(boardUpdates).values({ boardId: id, data: update, createdAt: now });
	});
	return id;
}

/** Every template role with its (deduplicated) holders; a role the template does not have is refused. */
function holdersByRole(template: ProcessTemplate, given: Record<string, readonly string[]>): Record<string, string[]> {
	const unknown = Object.keys(given).filter((role) => !template.teamRoles.includes(role));
	if (unknown.length > 0) throw new DomainError('invalid_input', `The template “${template.name}” has no team role called “${unknown[0]}”.`, 'roles');
	// Sorted, as the server's team-role mirror writes them, so the first mirror pass finds nothing to change.
	return Object.fromEntries(template.teamRoles.map((role) => [role, [...new Set(given[role] ?? [])].sort()]));
}

/** Refuses anyone but the creator and the people they already share a board with (a stranger cannot be added to a board). */
async function assertMayAssign(db: Db, userId: string, people: readonly string[]): Promise<void> {
	const others = people.filter((p) => p !== userId);
	if (others.length === 0) return;
	const mine = alias(boardMembers, 'mine');
	const known = await db
		.selectDistinct({ userId: boardMembers.userId })
		.from(mine)
		.innerJoin(boardMembers, eq(boardMembers.boardId, mine.boardId))
		.where(and(eq(mine.userId, userId), inArray(boardMembers.userId, others)));
	const knownIds = new Set(known.map((k) => k.userId));
	const strangers = others.filter((p) => !knownIds.has(p));
	if (strangers.length > 0) {
		throw new DomainError(
			'invalid_input',
			`You can give team roles only to yourself and people you already share a board with; ${strangers.length === 1 ? 'one person you chose is not one of them' : `${strangers.length} people you chose are not`}. Invite them to the board once it exists.`,
			'roles'
		);
	}
}
