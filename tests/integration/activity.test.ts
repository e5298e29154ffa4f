import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbKinds, queryRows } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard, renameBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite, revokeInvite } from '../../src/lib/server/boards/invites.ts';
import { changeMemberRole, leaveBoard, removeMember } from '../../src/lib/server/boards/members.ts';
import { readFeed, type FeedCursor, type FeedFilter, type FeedRow } from '../../src/lib/server/activity/feed.ts';
import { presentFeed } from '../../src/lib/server/activity/present.ts';
import { CARD_EVENT_TYPES } from '../../src/lib/board/activity.ts';

describe.each(dbKinds())('the audit trail (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let priya: { id: string; cookie: string };
	let sam: { id: string; cookie: string };
	let alex: { id: string; cookie: string };
	let boardId = '';
	let started = 0;
	const clients: SyncClient[] = [];

	/** The whole feed (or a filtered one), newest first, read page by page. */
	async function feed(filter: FeedFilter = {}, limit = 200): Promise<FeedRow[]> {
		const rows: FeedRow[] = [];
		let before: FeedCursor | null = null;
		do {
			const page: { rows: FeedRow[]; next: FeedCursor | null } = await readFeed(fd.app.ctx.db, boardId, filter, { before, limit });
			rows.push(...page.rows);
			before = page.next;
		} while (before);
		return rows;
	}

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 });
		priya = await fd.user('Priya');
		sam = await fd.user('Sam');
		alex = await fd.user('Alex');
		started = Date.now();
		boardId = await createBoard(fd.app.ctx.db, priya.id, 'Campaigns', new Date());
		for (const who of [sam, alex]) {
			const { token } = await createInvite(fd.app.ctx.db, boardId, priya.id, { role: 'editor', days: 7 }, new Date());
			await acceptInvite(fd.app.ctx.db, token, who.id, new Date());
		}
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('records every audited change made through a real client with its actor and the server’s time, and reads it as sentences', async () => {
		const client = connectBoard(fd.url, boardId, { cookie: sam.cookie });
		clients.push(client);
		await client.synced();
		// The client claims another user and 1970: neither may reach the audit trail.
		const cmd = boardCommands(client.doc, { userId: 'claimed', now: () => new Date(0) });
		const stage = (name: string) => readSnapshot(client.doc).stages.find((s) => s.name === name)!.id;
		const qa = cmd.addStage('QA', 'active');
		cmd.renameStage(qa, 'Quality');
		cmd.moveStage(qa, 0);
		cmd.setStageKind(qa, 'wait');
		cmd.setWipLimit(stage('Review'), 3, 'soft');
		cmd.setWipLimit(stage('Review'), null, 'soft');
		const criterion = cmd.addExitCriterion(qa, 'Tested on mobile');
		cmd.removeExitCriterion(qa, criterion);
		cmd.deleteStage(qa, null);
		const card = cmd.addCard(stage('Backlog'), 'Draft');
		cmd.setTitle(card, 'Final draft');
		cmd.setLabels(card, [{ name: 'Urgent', color: 'red' }]);
		const item = cmd.addChecklistItem(card, 'Proofread');
		cmd.renameChecklistItem(card, item, 'Proofread twice');
		cmd.setChecklistDone(card, item, true);
		cmd.setChecklistDone(card, item, false);
		cmd.deleteChecklistItem(card, item);
		cmd.addOwner(card, priya.id);
		for (const text of ['H', 'He', 'Hello', 'Hello there']) cmd.setDescription(card, text);

		const kinds = [
			'stage_added',
			'stage_renamed',
			'stage_moved',
			'stage_kind_changed',
			'stage_wip_changed',
			'exit_criterion_added',
			'exit_criterion_removed',
			'stage_deleted',
			'created',
			'title_changed',
			'labels_changed',
			'checklist_item_added',
			'checklist_item_renamed',
			'checklist_item_ticked',
			'checklist_item_unticked',
			'checklist_item_removed',
			'owner_added',
			'description_edited'
		];
		const rows = (await waitFor('every change in the feed', async () => {
			const all = await feed({ actorId: sam.id });
			const edits = all.filter((r) => r.kind === 'description_edited').reduce((n, r) => n + Number(r.data.edits), 0);
			return kinds.every((k) => all.some((r) => r.kind === k)) && edits === 4 ? all : undefined;
		}))!;
		for (const row of rows) {
			expect(row.actorId).toBe(sam.id);
			// The server's clock, not the client's 1970.
			expect(row.at.getTime()).toBeGreaterThanOrEqual(started - 1000);
			expect(row.at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
		}
		// Four keystroke transactions in (at most) two minutes: one entry per minute, not one per keystroke.
		expect(rows.filter((r) => r.kind === 'description_edited').length).toBeLessThanOrEqual(2);
		expect(rows.filter((r) => r.kind === 'stage_wip_changed')).toHaveLength(2);

		const texts = (await presentFeed(fd.app.ctx.db, boardId, rows)).map((e) => e.text);
		expect(texts).toEqual(
			expect.arrayContaining([
				'Sam added the stage QA',
				'Sam renamed the stage QA to Quality',
				'Sam made Quality a waiting stage (was active)',
				'Sam set a soft WIP limit of 3 on Review',
				'Sam removed the WIP limit of Review (was 3)',
				'Sam added the exit criterion “Tested on mobile” to Quality',
				'Sam deleted the stage Quality',
				'Sam renamed the card “Draft” to “Final draft”',
				'Sam on “Final draft” added the label “Urgent”',
				'Sam on “Final draft” renamed the checklist item “Proofread” to “Proofread twice”',
				'Sam on “Final draft” ticked “Proofread twice”',
				'Sam on “Final draft” added Priya as owner'
			])
		);
		// The stats read card_events by type: none of the audit kinds is there.
		const types = await queryRows<{ type: string }>(fd.app.database, sql`select distinct type from card_events where board_id = ${boardId}`);
		for (const { type } of types) expect(CARD_EVENT_TYPES).toContain(type);
	});

	it('records member and board changes made through the services, in their own transaction', async () => {
		const { id: inviteId } = await createInvite(fd.app.ctx.db, boardId, priya.id, { role: 'viewer', days: 1 }, new Date());
		await revokeInvite(fd.app.ctx.db, boardId, priya.id, inviteId, new Date());
		await changeMemberRole(fd.app.ctx.db, boardId, priya.id, sam.id, 'viewer', new Date());
		await renameBoard(fd.app.ctx.db, boardId, priya.id, 'Campaigns 2027', new Date());
		await removeMember(fd.app.ctx.db, boardId, priya.id, sam.id, new Date());
		await leaveBoard(fd.app.ctx.db, boardId, alex.id, new Date());
		// A refused change records nothing: the last owner cannot leave.
		await expect(leaveBoard(fd.app.ctx.db, boardId, priya.id, new Date())).rejects.toThrow();

		const members = await feed({ kind: 'member' });
		expect(members.map((r) => [r.kind, r.actorId])).toEqual([
			['member_left', alex.id],
			['member_removed', priya.id],
			['member_role_changed', priya.id],
			['invite_revoked', priya.id],
			['member_invited', priya.id],
			['member_joined', alex.id],
			['member_invited', priya.id],
			['member_joined', sam.id],
			['member_invited', priya.id]
		]);
		const texts = (await presentFeed(fd.app.ctx.db, boardId, await feed({ kind: 'member' }))).map((e) => e.text);
		expect(texts.slice(0, 4)).toEqual(['Alex left the board', 'Priya removed Sam from the board', 'Priya made Sam a viewer (was editor)', 'Priya revoked an invite link']);
		expect(texts.at(-1)).toBe('Priya created an invite link for editors (valid 7 days)');
		const board = await feed({ kind: 'board' });
		expect((await presentFeed(fd.app.ctx.db, boardId, board)).map((e) => e.text)).toEqual(['Priya renamed the board “Campaigns” to “Campaigns 2027”']);
		// Someone whose account is gone reads as "someone who left".
		await fd.app.ctx.db.execute(sql`delete from users where id = ${alex.id}`);
		const [left] = await presentFeed(fd.app.ctx.db, boardId, await feed({ kind: 'member_left' }));
		expect(left!.text).toBe('Someone who left left the board');
	});

	it('pages through the feed without gaps or repeats, and filters by person, kind and card', async () => {
		const whole = await feed({}, 1000);
		const paged = await feed({}, 3);
		expect(paged.map((r) => `${r.src}${r.id}`)).toEqual(whole.map((r) => `${r.src}${r.id}`));
		for (let i = 1; i < whole.length; i++) expect(whole[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(whole[i]!.at.getTime());
		expect(new Set((await feed({ actorId: priya.id })).map((r) => r.actorId))).toEqual(new Set([priya.id]));
		const stages = await feed({ kind: 'stage' });
		expect(stages.length).toBeGreaterThan(0);
		expect(stages.every((r) => r.kind.startsWith('stage_') || r.kind.startsWith('exit_criterion_'))).toBe(true);
		const card = whole.find((r) => r.kind === 'title_changed')!.cardId!;
		const onCard = await feed({ cardId: card });
		expect(onCard.every((r) => r.cardId === card)).toBe(true);
		expect(new Set(onCard.map((r) => r.src))).toEqual(new Set(['a', 'e']));
	});
});
