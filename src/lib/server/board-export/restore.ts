import * as Y from 'yjs';
import type { Db } from '../db/client.ts';
import { boardMembers, boards } from '../db/schema/boards.ts';
import { boardUpdates } from '../db/schema/documents.ts';
import { boardActivity } from '../db/schema/activity.ts';
import { boardStages, cardEvents } from '../db/schema/history.ts';
import { cardComments } from '../db/schema/comments.ts';
import { rules, webhookEndpoints } from '../db/schema/automation.ts';
import { savedViews } from '../db/schema/views.ts';
import { restoredNotifications } from '../db/schema/restored-notifications.ts';
import { boardTeamRoleHolders, boardTeamRoles } from '../db/schema/team-roles.ts';
import { inChunks, MAX_BIND_PARAMETERS } from '../db/batches.ts';
import { refreshCardFlow } from '../card-flow.ts';
import { reindexCardComments } from '../search/card-comments.ts';
import { newWebhookSecret } from '../webhooks/endpoints.ts';
import { newId } from '../ids.ts';
import { remapPeople } from '../../board/doc/people-remap.ts';
import { mapPeople, mentionsAny, remapJson } from './restore-people.ts';
import type { ParsedExport } from './parse.ts';

/** What a restore made: the new board, and how many of the export's people were found here. */
export interface RestoreResult {
	boardId: string;
	name: string;
	cards: number;
	events: number;
	peopleFound: number;
	peopleMissing: number;
}

const at = (iso: string) => new Date(iso);
const atOrNull = (iso: string | null) => (iso === null ? null : new Date(iso));

/** Inserts rows in statements within the drivers' bind-parameter limit. */
async function insertAll<R extends Record<string, unknown>>(rows: readonly R[], columns: number, insert: (chunk: R[]) => Promise<unknown>): Promise<void> {
	for (const chunk of inChunks(rows, MAX_BIND_PARAMETERS / columns)) await insert(chunk);
}

/**
 * Creates a NEW board from a parsed export, in ONE transaction, with `userId` as its owner: the board's settings, its
 * members and team role holders found here (see restore-people.ts), its document (card, stage and checklist ids kept:
 * they are per board), its whole history with the original times, comments, shared views, rules (switched off when
 * they name someone not found) and webhook endpoints (off, with a new secret). The derived tables (card_flow,
 * stage_attempts) are replayed from the history as the history writer does, so its stats equal the original's.
 */
export async function restoreBoard(db: Db, userId: string, parsed: ParsedExport, now: Date): Promise<RestoreResult> {
	const { data, doc } = parsed;
	const people = await mapPeople(db, userId, data);
	const { ids } = people;
	const person = (id: string | null) => (id === null ? null : (ids.get(id) ?? id));
	const real = (id: string | null) => (id !== null && !people.absent.has(id) ? id : null);
	remapPeople(doc, people);
	const state = Y.encodeStateAsUpdate(doc);
	const boardId = newId();
	const roleIds = new Map(data.teamRoles.map((r) => [r.id, newId()]));
	const ruleIds = new Map(data.rules.map((r) => [r.id, newId()]));
	// Rule definitions name people and team roles by id.
	const ruleRefs = new Map([...ids, ...roleIds]);
	const members = new Map<string, string>([[userId, 'owner']]);
	for (const m of data.members) {
		const mapped = real(person(m.userId));
		if (mapped && !members.has(mapped)) members.set(mapped, m.role);
	}
	await db.transaction(async (tx) => {
		const t = tx as unknown as Db;
		const b = data.board;
		await tx.insert(boards).values({
			id: boardId,
			name: b.name,
			createdBy: userId,
			createdAt: at(b.createdAt),
			processOwnerId: real(person(b.processOwnerId)) ?? userId,
			reminderHours: b.reminderHours,
			blockedAlertHours: b.blockedAlertHours,
			complianceTargetPercent: b.complianceTargetPercent,
			templateId: b.templateId
		});
		const joined = new Map(data.members.map((m) => [person(m.userId), at(m.joinedAt)]));
		await tx.insert(boardMembers).values([...members].map(([id, role]) => ({ boardId, userId: id, role, joinedAt: joined.get(id) ?? now })));
		for (const role of data.teamRoles) {
			const roleId = roleIds.get(role.id)!;
			await tx.insert(boardTeamRoles).values({ id: roleId, boardId, name: role.name, position: role.position, createdAt: at(role.createdAt) });
			const holders = [...new Set(role.holders.map((h) => real(person(h))).filter((h): h is string => h !== null && members.has(h)))];
			if (holders.length > 0) await tx.insert(boardTeamRoleHolders).values(holders.map((h) => ({ roleId, boardId, userId: h })));
		}
		// The document store's own table: the board's room loads this as its stored state.
		await tx.insert(boardUpdates).values({ boardId, data: state, createdAt: now });
		await insertAll(data.stages, 7, (chunk) =>
			tx.insert(boardStages).values(chunk.map((s) => ({ boardId, stageId: s.stageId, name: s.name, kind: s.kind, rank: s.rank, updatedAt: at(s.updatedAt), deletedAt: atOrNull(s.deletedAt) })))
		);
		// In the export's order (time, then as recorded): the new ids keep the order the replay breaks ties by.
		await insertAll(data.events, 9, (chunk) =>
			tx.insert(cardEvents).values(
				chunk.map((e) => ({
					boardId,
					cardId: e.cardId,
					type: e.type,
					at: at(e.at),
					actorId: person(e.actorId),
					fromStageId: e.fromStageId,
					toStageId: e.toStageId,
					data: remapJson(e.data, ids),
					ruleId: e.ruleId === null ? null : (ruleIds.get(e.ruleId) ?? e.ruleId)
				}))
			)
		);
		await insertAll(data.activity, 9, (chunk) =>
			tx.insert(boardActivity).values(
				chunk.map((a) => ({ boardId, at: at(a.at), actorId: person(a.actorId), kind: a.kind, cardId: a.cardId, stageId: a.stageId, data: remapJson(a.data, ids), groupKey: a.groupKey, ruleId: a.ruleId === null ? null : (ruleIds.get(a.ruleId) ?? a.ruleId) }))
			)
		);
		await insertAll(data.sentNotifications, 5, (chunk) =>
			tx.insert(restoredNotifications).values(chunk.map((n) => ({ boardId, cardId: n.cardId, kind: n.kind, ruleId: n.ruleId === null ? null : (ruleIds.get(n.ruleId) ?? n.ruleId), createdAt: at(n.at) })))
		);
		await insertAll(data.comments, 7, (chunk) =>
			tx.insert(cardComments).values(chunk.map((c) => ({ id: newId(), boardId, cardId: c.cardId, authorId: person(c.authorId)!, body: c.body, createdAt: at(c.createdAt), editedAt: atOrNull(c.editedAt) })))
		);
		if (data.views.length > 0) {
			await tx.insert(savedViews).values(data.views.map((v) => ({ id: newId(), boardId, ownerId: real(person(v.ownerId)) ?? userId, name: v.name, query: v.query, shared: true, createdAt: at(v.createdAt) })));
		}
		for (const r of data.rules) {
			const definition = remapJson(r.definition, ruleRefs);
			const namesMissing = mentionsAny(definition, people.absent);
			await tx.insert(rules).values({
				id: ruleIds.get(r.id)!,
				boardId,
				name: r.name,
				enabled: r.enabled && !namesMissing,
				definition,
				brokenReason: namesMissing ? 'It names someone who has no account on this server (restored from an export).' : r.brokenReason,
				createdBy: real(person(r.createdBy)),
				createdAt: at(r.createdAt),
				updatedAt: at(r.updatedAt)
			});
		}
		if (data.webhooks.length > 0) {
			await tx.insert(webhookEndpoints).values(
				data.webhooks.map((h) => ({
					id: newId(),
					boardId,
					url: h.url,
					secret: newWebhookSecret(),
					kinds: h.kinds,
					enabled: false,
					disabledReason: 'Restored from an export with a new signing secret: give the receiver the new secret, then switch it on.',
					createdBy: userId,
					createdAt: at(h.createdAt)
				}))
			);
		}
		// What the history writer keeps up to date as events arrive, replayed once for the whole board.
		await refreshCardFlow(t, boardId, null);
		for (const cards of inChunks([...new Set(data.comments.map((c) => c.cardId))], 5_000)) await reindexCardComments(t, boardId, cards);
	});
	return { boardId, name: data.board.name, cards: doc.getMap('cards').size, events: data.events.length, peopleFound: people.found, peopleMissing: people.missing };
}
