import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbKinds, queryRows } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { addDays, dayInZone } from '../../src/lib/board/plan/working-days.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { endStandup, lastStandupEnd, runningStandup, startStandup } from '../../src/lib/server/standup/standups.ts';
import { readStandupSummary, standupView } from '../../src/lib/server/standup/view.ts';
import { FilterQueryError } from '../../src/lib/server/filter/card-filter.ts';

/** The domain error code a promise rejects with. */
const refusal = (p: Promise<unknown>) =>
	p.then(
		() => 'accepted',
		(err: unknown) => (err instanceof DomainError ? err.code : err)
	);

describe.each(dbKinds())('standups (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	const clients: SyncClient[] = [];

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 });
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('shows what changed since the last standup from real history, and a standup’s end starts the next one’s window', async () => {
		const { db, documents } = fd.app.ctx;
		const [owner, editor, viewer, outsider] = [await fd.user('Owner'), await fd.user('Editor'), await fd.user('Viewer'), await fd.user('Outsider')];
		const boardId = await createBoard(db, owner.id, 'Team', new Date());
		for (const [who, role] of [[editor, 'editor'], [viewer, 'viewer']] as const) {
			const { token } = await createInvite(db, boardId, owner.id, { role, days: 7 }, new Date());
			await acceptInvite(db, token, who.id, new Date());
		}

		// An editor works the board from a real sync client: adds, moves, finishes and blocks cards.
		const client = connectBoard(fd.url, boardId, { cookie: editor.cookie });
		clients.push(client);
		await client.synced();
		const cmd = boardCommands(client.doc, { userId: editor.id, now: () => new Date() });
		const stages = readSnapshot(client.doc).stages;
		const stage = (name: string) => stages.find((s) => s.name === name)!.id;
		const shipped = cmd.addCard(stage('To do'), 'Shipped post');
		const stuck = cmd.addCard(stage('To do'), 'Stuck post');
		const late = cmd.addCard(stage('To do'), 'Late post');
		expect(cmd.moveCard(shipped, stage('In progress'), 0)).toBeNull();
		expect(cmd.moveCard(shipped, stage('Done'), 0)).toBeNull();
		cmd.setBlocked(stuck, 'Waiting for legal');
		await waitFor('the client’s edits reached the server', async () => (await standupView(db, documents, boardId, viewer.id, new Date())).changes[stuck]?.some((c) => c.kind === 'blocked'));
		// The owner moves a due date through the server command path (as the API and rules do).
		const yesterday = addDays(dayInZone(new Date(), 'UTC'), -1);
		await documents.applyAsServer(boardId, { kind: 'server', actorId: owner.id }, [{ name: 'setDue', args: [late, yesterday] }]);

		// Before any standup: the window is the previous working day's same time; everyone on the board can read it.
		const startAt = new Date();
		const before = await standupView(db, documents, boardId, viewer.id, startAt);
		expect(before.running).toBeNull();
		expect(Date.parse(before.since)).toBeLessThan(Date.now() - 23 * 3_600_000);
		expect(before.changes[shipped]!.map((c) => c.kind)).toEqual(['created', 'moved', 'finished']);
		expect(before.changes[shipped]![2]).toMatchObject({ to: 'Done', actorId: editor.id });
		expect(before.changes[stuck]!.at(-1)).toMatchObject({ kind: 'blocked', reason: 'Waiting for legal', actorId: editor.id });
		expect(before.changes[late]!.at(-1)).toMatchObject({ kind: 'due_moved', to: yesterday, from: null, actorId: owner.id });

		// Viewers follow but cannot facilitate; a board you may not see does not exist.
		expect(await refusal(startStandup(db, documents, boardId, viewer.id, new Date()))).toBe('forbidden');
		expect(await refusal(standupView(db, documents, boardId, outsider.id, new Date()))).toBe('not_found');
		expect(await refusal(startStandup(db, documents, boardId, outsider.id, new Date()))).toBe('not_found');

		const standup = await startStandup(db, documents, boardId, owner.id, startAt);
		expect((await runningStandup(db, boardId))?.id).toBe(standup.id);
		expect(standup.since).toBe(before.since);
		// Only its facilitator ends it; refusals change nothing.
		expect(await refusal(endStandup(db, documents, boardId, editor.id, standup.id, true, new Date()))).toBe('forbidden');
		expect(await refusal(endStandup(db, documents, boardId, owner.id, 'no-such-standup', true, new Date()))).toBe('not_found');
		expect(await lastStandupEnd(db, boardId)).toBeNull();

		const endAt = new Date();
		const ended = await endStandup(db, documents, boardId, owner.id, standup.id, true, endAt);
		expect(ended.standup.endedAt).toBe(endAt.toISOString());
		expect(ended.summary.finished.map((c) => c.title)).toEqual(['Shipped post']);
		expect(ended.summary.newlyBlocked.map((c) => c.title)).toEqual(['Stuck post']);
		expect(ended.summary.overdue.map((c) => c.title)).toEqual(['Late post']);
		expect(ended.text).toContain('Finished (1):\n- Shipped post (Done)');
		expect((await lastStandupEnd(db, boardId))?.getTime()).toBe(endAt.getTime());
		expect(await runningStandup(db, boardId)).toBeNull();
		const posted = await queryRows<{ kind: string; actor_id: string; data: { finished: number; newlyBlocked: number; overdue: number; text: string } }>(
			fd.app.database,
			sql`select kind, actor_id, data from board_activity where board_id = ${boardId} and kind = 'standup_summary'`
		);
		expect(posted).toHaveLength(1);
		expect(posted[0]).toMatchObject({ actor_id: owner.id, data: { finished: 1, newlyBlocked: 1, overdue: 1 } });
		expect(posted[0]!.data.text).toContain('Stuck post');
		// Ending twice is refused and posts nothing more.
		expect(await refusal(endStandup(db, documents, boardId, owner.id, standup.id, true, new Date()))).toBe('conflict');

		// The next standup looks back only to that end: the earlier changes are gone, a new one shows.
		cmd.setBlocked(stuck, null);
		await waitFor('the unblock is in history', async () => (await standupView(db, documents, boardId, editor.id, new Date())).changes[stuck]?.some((c) => c.kind === 'unblocked'));
		const next = await standupView(db, documents, boardId, editor.id, new Date());
		expect(next.since).toBe(endAt.toISOString());
		expect(Object.keys(next.changes)).toEqual([stuck]);
		expect(next.changes[stuck]!.map((c) => c.kind)).toEqual(['unblocked']);

		// A newer standup replaces one left running (its facilitator closed the tab); the old one can no longer end.
		const left = await startStandup(db, documents, boardId, owner.id, new Date());
		const took = await startStandup(db, documents, boardId, editor.id, new Date());
		expect((await runningStandup(db, boardId))?.id).toBe(took.id);
		expect(await refusal(endStandup(db, documents, boardId, owner.id, left.id, false, new Date()))).toBe('conflict');
		await endStandup(db, documents, boardId, editor.id, took.id, false, new Date());
		// Without `post`, nothing more in the activity.
		expect(await queryRows(fd.app.database, sql`select 1 from board_activity where board_id = ${boardId} and kind = 'standup_summary'`)).toHaveLength(1);
	});

	it('a standup started with a filter walks and sums up only the matching cards; followers read the preview, then the stored summary', async () => {
		const { db, documents } = fd.app.ctx;
		const [owner, viewer, outsider] = [await fd.user('Lead'), await fd.user('Watcher'), await fd.user('Stranger')];
		const boardId = await createBoard(db, owner.id, 'Filtered', new Date());
		const { token } = await createInvite(db, boardId, owner.id, { role: 'viewer', days: 7 }, new Date());
		await acceptInvite(db, token, viewer.id, new Date());
		const client = connectBoard(fd.url, boardId, { cookie: owner.cookie });
		clients.push(client);
		await client.synced();
		const cmd = boardCommands(client.doc, { userId: owner.id, now: () => new Date() });
		const stage = (name: string) => readSnapshot(client.doc).stages.find((s) => s.name === name)!.id;
		const seoPost = cmd.addCard(stage('To do'), 'SEO post');
		const social = cmd.addCard(stage('To do'), 'Social post');
		const seoDraft = cmd.addCard(stage('To do'), 'SEO draft');
		cmd.setLabels(seoPost, [{ name: 'SEO', color: 'sky' }]);
		cmd.setLabels(seoDraft, [{ name: 'SEO', color: 'sky' }]);
		expect(cmd.moveCard(seoPost, stage('Done'), 0)).toBeNull();
		expect(cmd.moveCard(social, stage('Done'), 0)).toBeNull();
		cmd.setBlocked(seoDraft, 'Waiting for data');
		await waitFor('the edits are in history', async () => (await standupView(db, documents, boardId, owner.id, new Date())).changes[seoDraft]?.some((c) => c.kind === 'blocked'));
		await waitFor('the labels reached the server', async () => (await documents.readBoard(boardId, { kind: 'cards' })).cards.filter((c) => c.labels.length > 0).length === 2);

		const standup = await startStandup(db, documents, boardId, owner.id, new Date(), ' label:seo ');
		expect(standup.query).toBe('label:seo');
		expect([...standup.cardIds!].sort()).toEqual([seoPost, seoDraft].sort());
		// Followers learn the filter and its cards from the running standup.
		expect((await standupView(db, documents, boardId, viewer.id, new Date())).running).toMatchObject({ id: standup.id, query: 'label:seo' });

		// A filter with a mistake is refused with its place and changes nothing: the running standup stays.
		const bad = await startStandup(db, documents, boardId, owner.id, new Date(), 'label:seo lable:x').catch((err: unknown) => err);
		expect(bad).toBeInstanceOf(FilterQueryError);
		expect(bad).toMatchObject({ code: 'invalid_input', start: 10, end: 16 });
		expect((await runningStandup(db, boardId))?.id).toBe(standup.id);

		// The preview (what the facilitator and followers see at the wrap-up) covers the filter's cards only.
		const preview = await readStandupSummary(db, documents, boardId, viewer.id, standup.id, new Date());
		expect(preview.final).toBe(false);
		expect(preview.summary.finished.map((c) => c.title)).toEqual(['SEO post']);
		expect(preview.summary.newlyBlocked.map((c) => c.title)).toEqual(['SEO draft']);
		expect(preview.summary.filter).toBe('label:seo');
		expect(preview.text.split('\n')[0]).toBe('Standup on Filtered, cards matching label:seo');
		expect(await refusal(readStandupSummary(db, documents, boardId, outsider.id, standup.id, new Date()))).toBe('not_found');

		const ended = await endStandup(db, documents, boardId, owner.id, standup.id, true, new Date());
		expect(ended.summary.finished.map((c) => c.title)).toEqual(['SEO post']);
		expect(ended.text).not.toContain('Social post');
		// After the end, everyone reads the stored summary, not a new one.
		cmd.setBlocked(seoDraft, null);
		const stored = await readStandupSummary(db, documents, boardId, viewer.id, standup.id, new Date());
		expect(stored).toEqual({ summary: ended.summary, text: ended.text, final: true });
		const posted = await queryRows<{ data: { filter?: string; finished: number } }>(fd.app.database, sql`select data from board_activity where board_id = ${boardId} and kind = 'standup_summary'`);
		expect(posted.map((p) => p.data)).toMatchObject([{ filter: 'label:seo', finished: 1 }]);
	});
});
