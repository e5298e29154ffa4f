import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boardInvites, boardMembers, boards } from '../db/schema/boards.ts';
import { DomainError } from '../errors.ts';
import { hashToken, newId, newSecretToken } from '../ids.ts';
import type { Role } from '../auth/permissions.ts';
import { requireBoardAction, toRole } from './boards.ts';
import { insertActivity, relationalEntry } from '../activity/write.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** An active invite link as the settings page lists it (the token itself is shown only once, at creation). */
export interface InviteSummary {
	id: string;
	role: Role;
	createdAt: Date;
	expiresAt: Date;
}

/** Creates an invite link granting `role` for `days` days (owners only), recorded in the board's activity; returns the token for the link. */
export async function createInvite(
	db: Db,
	boardId: string,
	actorId: string,
	input: { role: 'editor' | 'viewer'; days: number },
	now: Date
): Promise<{ id: string; token: string }> {
	await requireBoardAction(db, boardId, actorId, 'manage_invites');
	const token = newSecretToken();
	const id = newId();
	await db.transaction(async (tx) => {
		await tx.insert(boardInvites).values({
			id,
			boardId,
			tokenHash: hashToken(token),
			role: input.role,
			createdBy: actorId,
			createdAt: now,
			expiresAt: new Date(now.getTime() + input.days * DAY_MS)
		});
		await insertActivity(tx as unknown as Db, [relationalEntry(boardId, actorId, 'member_invited', { inviteId: id, role: input.role, days: input.days }, now)]);
	});
	return { id, token };
}

/** Invites that still work, newest first (owners only). */
export async function listActiveInvites(db: Db, boardId: string, actorId: string, now: Date): Promise<InviteSummary[]> {
	await requireBoardAction(db, boardId, actorId, 'manage_invites');
	const rows = await db
		.select({ id: boardInvites.id, role: boardInvites.role, createdAt: boardInvites.createdAt, expiresAt: boardInvites.expiresAt })
		.from(boardInvites)
		.where(and(eq(boardInvites.boardId, boardId), isNull(boardInvites.revokedAt), gt(boardInvites.expiresAt, now)))
		.orderBy(desc(boardInvites.createdAt));
	return rows.map((r) => ({ ...r, role: toRole(r.role) }));
}

/** Revokes an invite so its link stops working (owners only); recorded in the board's activity. */
export async function revokeInvite(db: Db, boardId: string, actorId: string, inviteId: string, now: Date): Promise<void> {
	await requireBoardAction(db, boardId, actorId, 'manage_invites');
	await db.transaction(async (tx) => {
		const revoked = await tx
			.update(boardInvites)
			.set({ revokedAt: now })
			.where(and(eq(boardInvites.id, inviteId), eq(boardInvites.boardId, boardId), isNull(boardInvites.revokedAt)))
			.returning({ id: boardInvites.id });
		if (revoked.length > 0) await insertActivity(tx as unknown as Db, [relationalEntry(boardId, actorId, 'invite_revoked', { inviteId }, now)]);
	});
}

/** What an invite link offers, or why it no longer works. */
export async function inspectInvite(db: Db, token: string, now: Date): Promise<{ boardId: string; boardName: string; role: Role }> {
	const [row] = await db
		.select({
			boardId: boardInvites.boardId,
			boardName: boards.name,
			role: boardInvites.role,
			expiresAt: boardInvites.expiresAt,
			revokedAt: boardInvites.revokedAt
		})
		.from(boardInvites)
		.innerJoin(boards, eq(boards.id, boardInvites.boardId))
		.where(eq(boardInvites.tokenHash, hashToken(token)))
		.limit(1);
	if (!row) throw new DomainError('not_found', 'This invite link is not valid. Its board may have been deleted; ask for a new link.');
	if (row.revokedAt) throw new DomainError('invite_revoked', 'This invite link was revoked. Ask a board owner for a new one.');
	if (row.expiresAt <= now) throw new DomainError('invite_expired', 'This invite link has expired. Ask a board owner for a new one.');
	return { boardId: row.boardId, boardName: row.boardName, role: toRole(row.role) };
}

/** Joins the board an invite is for (recorded in its activity); an existing member keeps their current role. Returns the board id. */
export async function acceptInvite(db: Db, token: string, userId: string, now: Date): Promise<string> {
	const invite = await inspectInvite(db, token, now);
	await db.transaction(async (tx) => {
		const joined = await tx
			.insert(boardMembers)
			.values({ boardId: invite.boardId, userId, role: invite.role, joinedAt: now })
			.onConflictDoNothing()
			.returning({ userId: boardMembers.userId });
		if (joined.length > 0) await insertActivity(tx as unknown as Db, [relationalEntry(invite.boardId, userId, 'member_joined', { role: invite.role }, now)]);
	});
	return invite.boardId;
}
