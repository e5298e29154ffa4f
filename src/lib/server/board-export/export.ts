import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { users } from '../db/schema/accounts.ts';
import { boardMembers, boards } from '../db/schema/boards.ts';
import { boardActivity } from '../db/schema/activity.ts';
import { cardAttachments, cardComments } from '../db/schema/comments.ts';
import { rules, webhookEndpoints } from '../db/schema/automation.ts';
import { savedViews } from '../db/schema/views.ts';
import { notifications } from '../db/schema/notifications.ts';
import { restoredNotifications } from '../db/schema/restored-notifications.ts';
import { boardTeamRoleHolders, boardTeamRoles } from '../db/schema/team-roles.ts';
import { readCardEvents, readStages } from '../history.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type BoardExport } from './format.ts';

/** What every export leaves out, and why, in the words the file itself carries. */
const NOT_INCLUDED = [
	'Attached files: only their names, types and sizes are listed (download the files from their cards).',
	'Personal saved views, view preferences, notifications and notification settings: they belong to each person (only when and about which card each notification was sent is kept, for the automation share).',
	'Rule run logs, webhook delivery logs and webhook signing secrets.',
	'Invite links, standups and delivery-risk alerts.'
];
const NOT_INCLUDED_WEBHOOKS = 'Webhook endpoints: only an owner’s export lists them (their addresses may hold tokens).';

/** What the automation share counts of a notification: never its recipient or its words. */
const SENT = { at: notifications.createdAt, cardId: notifications.cardId, kind: notifications.kind, ruleId: notifications.ruleId };
/** The same, of the notifications a restored board's original sent (the board may be restored again). */
const SENT_BEFORE = { at: restoredNotifications.createdAt, cardId: restoredNotifications.cardId, kind: restoredNotifications.kind, ruleId: restoredNotifications.ruleId };

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Everything of a board that a restore needs to rebuild it elsewhere (see format.ts and docs/export-import.md), as
 * `userId` may see it: anyone who can open the board may export it; webhook endpoints only for an owner. The document
 * is read through the board's room, so edits not yet stored are in it. Names and emails only of members.
 */
export async function exportBoard(db: Db, documents: BoardDocuments, boardId: string, userId: string, now: Date, appVersion: string): Promise<BoardExport> {
	const access = await requireBoardAction(db, boardId, userId, 'view');
	// The document first: the history rows read afterwards then hold at least what it shows.
	const doc = await documents.readBoard(boardId, { kind: 'export' });
	const [board] = await db.select().from(boards).where(eq(boards.id, boardId));
	if (!board) throw new Error(`board ${boardId} vanished during its export`);
	const [members, roles, holders, stages, events, activity, comments, views, ruleRows, hooks, files, sent, sentBefore] = await Promise.all([
		db
			.select({ userId: boardMembers.userId, role: boardMembers.role, joinedAt: boardMembers.joinedAt, name: users.name, email: users.email })
			.from(boardMembers)
			.innerJoin(users, eq(users.id, boardMembers.userId))
			.where(eq(boardMembers.boardId, boardId))
			.orderBy(asc(boardMembers.joinedAt), asc(boardMembers.userId)),
		db.select().from(boardTeamRoles).where(eq(boardTeamRoles.boardId, boardId)).orderBy(asc(boardTeamRoles.position), asc(boardTeamRoles.id)),
		db.select().from(boardTeamRoleHolders).where(eq(boardTeamRoleHolders.boardId, boardId)),
		readStages(db, boardId),
		readCardEvents(db, boardId),
		db.select().from(boardActivity).where(eq(boardActivity.boardId, boardId)).orderBy(asc(boardActivity.at), asc(boardActivity.id)),
		db.select().from(cardComments).where(eq(cardComments.boardId, boardId)).orderBy(asc(cardComments.createdAt), asc(cardComments.id)),
		db.select().from(savedViews).where(and(eq(savedViews.boardId, boardId), eq(savedViews.shared, true))).orderBy(asc(savedViews.createdAt), asc(savedViews.id)),
		db.select().from(rules).where(eq(rules.boardId, boardId)).orderBy(asc(rules.createdAt), asc(rules.id)),
		access.role === 'owner' ? db.select().from(webhookEndpoints).where(eq(webhookEndpoints.boardId, boardId)).orderBy(asc(webhookEndpoints.createdAt)) : Promise.resolve([]),
		db.select().from(cardAttachments).where(eq(cardAttachments.boardId, boardId)).orderBy(asc(cardAttachments.createdAt), asc(cardAttachments.id)),
		db.select(SENT).from(notifications).where(eq(notifications.boardId, boardId)),
		db.select(SENT_BEFORE).from(restoredNotifications).where(eq(restoredNotifications.boardId, boardId))
	]);
	const memberIds = new Set(members.map((m) => m.userId));
	// Everyone the board names; those who are not members (any more) by id alone: an export is no directory of accounts.
	const named = new Set<string>(memberIds);
	const add = (id: string | null) => id && named.add(id);
	for (const e of events) add(e.actorId);
	for (const a of activity) add(a.actorId);
	for (const c of comments) add(c.authorId);
	for (const f of files) add(f.uploaderId);
	add(board.processOwnerId);
	for (const owner of Object.values(doc.snapshot.cards).flatMap((c) => c.owners)) add(owner);
	const roleIds = roles.map((r) => r.id);
	const holdersOf = new Map<string, string[]>();
	for (const h of holders) if (roleIds.includes(h.roleId)) holdersOf.set(h.roleId, [...(holdersOf.get(h.roleId) ?? []), h.userId].sort());
	return {
		format: EXPORT_FORMAT,
		version: EXPORT_VERSION,
		exportedAt: iso(now),
		app: { name: 'flowdeck', version: appVersion },
		board: {
			id: board.id,
			name: board.name,
			createdAt: iso(board.createdAt),
			templateId: board.templateId,
			processOwnerId: board.processOwnerId,
			reminderHours: board.reminderHours,
			blockedAlertHours: board.blockedAlertHours,
			complianceTargetPercent: board.complianceTargetPercent
		},
		people: [...named].sort().map((id) => {
			const m = members.find((x) => x.userId === id);
			return { id, name: m?.name ?? null, email: m?.email ?? null };
		}),
		members: members.map((m) => ({ userId: m.userId, role: m.role as 'owner' | 'editor' | 'viewer', joinedAt: iso(m.joinedAt) })),
		teamRoles: roles.map((r) => ({ id: r.id, name: r.name, position: r.position, createdAt: iso(r.createdAt), holders: holdersOf.get(r.id) ?? [] })),
		document: { state: Buffer.from(doc.state).toString('base64'), snapshot: doc.snapshot as unknown as Record<string, unknown> },
		stages: stages.map((s) => ({ stageId: s.stageId, name: s.name, kind: s.kind, rank: s.rank, updatedAt: iso(s.updatedAt), deletedAt: isoOrNull(s.deletedAt) })),
		events: events.map((e) => ({ cardId: e.cardId, type: e.type, at: iso(e.at), actorId: e.actorId, fromStageId: e.fromStageId, toStageId: e.toStageId, data: e.data, ruleId: e.ruleId })),
		activity: activity.map((a) => ({ at: iso(a.at), actorId: a.actorId, kind: a.kind, cardId: a.cardId, stageId: a.stageId, data: a.data, groupKey: a.groupKey, ruleId: a.ruleId })),
		sentNotifications: [...sentBefore, ...sent].sort((a, b) => a.at.getTime() - b.at.getTime()).map((n) => ({ at: iso(n.at), cardId: n.cardId, kind: n.kind, ruleId: n.ruleId })),
		comments: comments.map((c) => ({ id: c.id, cardId: c.cardId, authorId: c.authorId, body: c.body, createdAt: iso(c.createdAt), editedAt: isoOrNull(c.editedAt) })),
		views: views.map((v) => ({ name: v.name, query: v.query, ownerId: v.ownerId, createdAt: iso(v.createdAt) })),
		rules: ruleRows.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled, definition: r.definition, brokenReason: r.brokenReason, createdBy: r.createdBy, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) })),
		webhooks: hooks.map((h) => ({ url: h.url, kinds: h.kinds, enabled: h.enabled, createdAt: iso(h.createdAt) })),
		attachments: files.map((f) => ({ cardId: f.cardId, fileName: f.fileName, mimeType: f.mimeType, size: f.size, uploaderId: f.uploaderId, createdAt: iso(f.createdAt) })),
		notIncluded: access.role === 'owner' ? NOT_INCLUDED : [...NOT_INCLUDED, NOT_INCLUDED_WEBHOOKS]
	};
}
