import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db/client.ts';
import { dbKinds, openTestDatabase, queryRows } from '../helpers/db.ts';
import { storedDoc } from '../helpers/stored-board.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { boardMembers } from '../../src/lib/server/db/schema/boards.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { readCardEvents } from '../../src/lib/server/history.ts';
import { boardStats, parseStatsQuery } from '../../src/lib/server/stats.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { importTrello, readTrelloUpload, trelloDryRun, type ImportProgress } from '../../src/lib/server/import/trello/import-trello.ts';

const FIXTURE = readFileSync(resolve(import.meta.dirname, '../fixtures/trello/marketing-board.json'));
const NOW = new Date('2025-03-01T12:00:00Z');
const ZONE = 'Europe/Berlin';
const TABLES = ['boards', 'board_members', 'board_updates', 'board_stages', 'card_events', 'card_flow', 'stage_attempts', 'board_activity', 'trello_imports'] as const;

describe.each(dbKinds())('Trello import (%s)', (kind) => {
	let database: Database;
	const ids: Record<string, string> = {};
	const upload = () => readTrelloUpload(FIXTURE, ZONE, NOW);
	const counts = async () => {
		const out: Record<string, number> = {};
		for (const t of TABLES) out[t] = (await queryRows<{ n: number }>(database, sql.raw(`select count(*)::int as n from ${t}`)))[0]!.n;
		return out;
	};
	const refusal = async (run: () => unknown) => {
		try {
			await run();
		} catch (err) {
			if (err instanceof DomainError) return err;
			throw err;
		}
		throw new Error('expected a refusal');
	};

	beforeAll(async () => {
		database = await openTestDatabase(kind);
		const db = database.db;
		for (const name of ['Olivia Park', 'Maya Lopez', 'Leo Chen', 'Priya Raman']) {
			ids[name] = await signUp(db, { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, password: 'plum-orbit-cactus-91' }, NOW);
		}
		// Olivia shares a board with Maya and Leo; Priya (a Trello member too) shares none, so she stays unmapped.
		const shared = await createBoard(db, ids['Olivia Park']!, 'Shared', NOW);
		await db.insert(boardMembers).values(['Maya Lopez', 'Leo Chen'].map((n) => ({ boardId: shared, userId: ids[n]!, role: 'editor', joinedAt: NOW })));
	}, 60_000);
	afterAll(async () => {
		await database?.close();
	});

	it('dry run: stages from lists with guessed kinds, labels with colours, members mapped by name, and what is lost', async () => {
		const report = await trelloDryRun(database.db, ids['Olivia Park']!, upload());
		expect(report.name).toBe('Marketing content');
		expect(report.counts).toEqual({ lists: 5, cards: 13, archivedCards: 3, checklists: 2, checklistItems: 5, labels: 6, members: 3, moves: 21, actions: 39 });
		expect(report.stages.map((s) => [s.name, s.kind, s.closed, s.cards, s.archivedCards])).toEqual([
			['Ideas', 'queue', false, 4, 0],
			['Writing', 'active', false, 2, 1],
			['Review', 'wait', false, 3, 0],
			['Published', 'done', false, 4, 0],
			['Old campaigns', 'active', true, 0, 2]
		]);
		expect(report.labels.map((l) => [l.name, l.trelloColor, l.color])).toEqual([
			['Blog', 'green', 'emerald'],
			['Social', 'sky', 'sky'],
			['Urgent', 'red', 'red'],
			['Video', 'purple_dark', 'fuchsia'],
			['Orange', 'orange', 'amber'],
			['Evergreen', null, 'slate']
		]);
		expect(report.members.map((m) => [m.fullName, m.userId, m.how])).toEqual([
			['Maya Lopez', ids['Maya Lopez'], 'name'],
			['Leo Chen', ids['Leo Chen'], 'name'],
			['Priya Raman', null, 'none']
		]);
		expect(Object.fromEntries(report.losses.map((l) => [l.what, l.count]))).toEqual({
			'Power-up data': 2,
			'Custom fields': 1,
			'Files stored at Trello': 1,
			Comments: 2,
			'Cards with incomplete history': 2,
			'Due dates marked complete': 1
		});
		expect(report.history).toEqual({ from: '2024-12-20T09:00:00.000Z', to: '2025-02-26T11:00:00.000Z', actionsCapped: false, incompleteCards: 2 });
		expect(report.previous).toBeNull();
	});

	it('imports the board in one pass: stages, cards in Trello order, labels, checklists, archived cards, owners; mapped people join as editors', async () => {
		const seen: ImportProgress[] = [];
		const { boardId, name } = await importTrello(database.db, ids['Olivia Park']!, upload(), { kinds: {}, people: {}, secondCopy: false }, ZONE, NOW, (p) => seen.push(p));
		expect(name).toBe('Marketing content');
		// Real progress: the build's steps, then each write step, ending complete.
		expect(seen.filter((p) => p.phase === 'build').at(-1)).toEqual({ phase: 'build', done: 40, total: 40 });
		expect(seen.filter((p) => p.phase === 'write').map((p) => p.done)).toEqual([1, 2, 3, 4]);

		const members = await queryRows<{ name: string; role: string }>(database, sql`select u.name, m.role from board_members m join users u on u.id = m.user_id where m.board_id = ${boardId} order by u.name`);
		expect(members).toEqual([
			{ name: 'Leo Chen', role: 'editor' },
			{ name: 'Maya Lopez', role: 'editor' },
			{ name: 'Olivia Park', role: 'owner' }
		]);

		const snap = readSnapshot(await storedDoc(database.db, boardId));
		expect(snap.stages.map((s) => [s.name, s.kind])).toEqual([
			['Ideas', 'queue'],
			['Writing', 'active'],
			['Review', 'wait'],
			['Published', 'done'],
			['Old campaigns', 'active']
		]);
		const cards = Object.values(snap.cards);
		const titlesIn = (stage: string, archived = false) =>
			cards
				.filter((c) => c.stageId === snap.stages.find((s) => s.name === stage)!.id && c.archived === archived)
				.sort((a, b) => (a.rank < b.rank ? -1 : 1))
				.map((c) => c.title);
		expect(titlesIn('Ideas')).toEqual(['Trend report', 'How-to video script', 'Podcast notes', 'Social calendar Q2']);
		expect(titlesIn('Writing')).toEqual(['Product launch post', 'Newsletter #12']);
		expect(titlesIn('Writing', true)).toEqual(['Holiday campaign teaser']);
		expect(titlesIn('Review')).toEqual(['Webinar recap', 'Landing page copy', 'Press release: Q1 results']);
		expect(titlesIn('Published')).toEqual(['SEO guide for spring', 'Customer story: Acme', 'Case study: Globex', 'Launch teaser']);
		expect(titlesIn('Old campaigns', true)).toEqual(['Old webinar series', 'Spring promo banner']);

		const card = (title: string) => cards.find((c) => c.title === title)!;
		const seo = card('SEO guide for spring');
		expect(seo.labels).toEqual([
			{ name: 'Blog', color: 'emerald' },
			{ name: 'Evergreen', color: 'slate' }
		]);
		expect(seo.checklist.map((i) => [i.text, i.done])).toEqual([
			['Keyword research', true],
			['Proofread', true],
			['Images have alt text', false]
		]);
		expect(seo.owners).toEqual([ids['Maya Lopez']]);
		expect(seo.due).toBe('2025-01-17');
		expect(seo.description).toContain('Keyword cluster');
		expect(seo.description).toContain('[Keyword sheet](https://docs.example.com/keywords)');
		// Priya is unmapped: the card keeps Leo only.
		expect(card('Product launch post').owners).toEqual([ids['Leo Chen']]);
		expect(card('Webinar recap').checklist.map((i) => i.done)).toEqual([true, false]);
		expect(card('Launch teaser').labels.map((l) => l.color)).toEqual(['sky', 'amber']);
		expect(snap.process.labels.map((l) => l.name)).toEqual(['Blog', 'Social', 'Urgent', 'Video', 'Orange', 'Evergreen']);
	});

	it('seeds the history from the moves with their original times: the cumulative flow starts at the first action’s day', async () => {
		const [board] = await queryRows<{ id: string }>(database, sql`select id from boards where name = 'Marketing content'`);
		const events = await readCardEvents(database.db, board!.id);
		expect(events[0]!.at.toISOString()).toBe('2024-12-20T09:00:00.000Z');
		const doc = readSnapshot(await storedDoc(database.db, board!.id));
		const seoId = Object.values(doc.cards).find((c) => c.title === 'SEO guide for spring')!.id;
		const stageName = (id: string | null) => doc.stages.find((s) => s.id === id)?.name ?? null;
		expect(events.filter((e) => e.cardId === seoId && (e.type === 'created' || e.type === 'moved')).map((e) => [e.type, stageName(e.toStageId), e.at.toISOString(), e.actorId])).toEqual([
			['created', 'Ideas', '2025-01-06T09:15:00.000Z', ids['Maya Lopez']],
			['moved', 'Writing', '2025-01-08T10:00:00.000Z', ids['Maya Lopez']],
			['moved', 'Review', '2025-01-13T15:30:00.000Z', ids['Maya Lopez']],
			['moved', 'Published', '2025-01-16T11:00:00.000Z', ids['Leo Chen']]
		]);
		// Priya's moves are the importer's (she is not mapped); the archived card was archived when Trello says.
		const holiday = Object.values(doc.cards).find((c) => c.title === 'Holiday campaign teaser')!.id;
		expect(events.find((e) => e.cardId === holiday && e.type === 'archived')!.at.toISOString()).toBe('2025-02-20T16:00:00.000Z');

		const stats = await boardStats(database.db, board!.id, parseStatsQuery(new URLSearchParams({ from: '2024-12-01', to: '2025-03-01' }), NOW), NOW);
		const firstDay = stats.cfd.find((d) => Object.values(d.counts).some((n) => n > 0))!;
		expect(firstDay.date).toBe('2024-12-20');
		// Lead time from the card_flow the import wrote: created 6 Jan 09:15, done 16 Jan 11:00.
		expect(stats.leadTime.cards.find((c) => c.cardId === seoId)!.hours).toBeCloseTo(241.75, 5);
		expect(stats.throughput.reduce((n, w) => n + w.count, 0)).toBe(4);
	});

	it('notices the same export imported twice: says when and as which board, and imports a second copy only when asked', async () => {
		const before = await counts();
		const report = await trelloDryRun(database.db, ids['Olivia Park']!, upload());
		expect(report.previous).toMatchObject({ boardName: 'Marketing content', sameFile: true, importedAt: NOW.toISOString() });
		const err = await refusal(() => importTrello(database.db, ids['Olivia Park']!, upload(), { kinds: {}, people: {}, secondCopy: false }, ZONE, NOW));
		expect(err.code).toBe('conflict');
		expect(err.message).toBe('You imported this export on 2025-03-01 as “Marketing content”. Choose “Import a second copy” to import it again.');
		expect(await counts()).toEqual(before);
		// Someone else has not imported it: no warning for them (and no link to a board they cannot see).
		expect((await trelloDryRun(database.db, ids['Priya Raman']!, upload())).previous).toBeNull();

		const copy = await importTrello(database.db, ids['Olivia Park']!, upload(), { kinds: { [report.stages[4]!.listId]: 'done' }, people: { [report.members[0]!.memberId]: null }, secondCopy: true }, ZONE, NOW);
		expect(copy.name).toBe('Marketing content (copy)');
		const snap = readSnapshot(await storedDoc(database.db, copy.boardId));
		expect(snap.stages.at(-1)!.kind).toBe('done');
		// Maya left out: nobody owns her cards, and she does not join the copy.
		expect(Object.values(snap.cards).find((c) => c.title === 'SEO guide for spring')!.owners).toEqual([]);
		const roles = await queryRows<{ n: number }>(database, sql`select count(*)::int as n from board_members where board_id = ${copy.boardId}`);
		expect(roles[0]!.n).toBe(2);
	});

	it('refuses a truncated, foreign or broken file with a precise message, creating nothing', async () => {
		const before = await counts();
		const text = FIXTURE.toString('utf8');
		const cut = Buffer.from(text.slice(0, Math.floor(text.length / 2)));
		expect(() => readTrelloUpload(cut, ZONE, NOW)).toThrow(/^The file ends too early: it looks cut off after [\d,]+ characters/);
		expect(() => readTrelloUpload(Buffer.from('{"name": "Plan", "items": []}'), ZONE, NOW)).toThrow(/^This is not a Trello board export: it has no lists, cards or actions\./);
		const board = JSON.parse(text) as Record<string, unknown> & { cards: Record<string, unknown>[] };
		expect(() => readTrelloUpload(Buffer.from(JSON.stringify({ ...board, lists: undefined })), ZONE, NOW)).toThrow('The Trello export has no “lists”.');
		board.cards[2]!.idList = 42;
		expect(() => readTrelloUpload(Buffer.from(JSON.stringify(board)), ZONE, NOW)).toThrow(/^The Trello export’s “cards\[2\]\.idList” is not what Trello writes/);
		expect(() => readTrelloUpload(Buffer.from('{"lists": [1,}'), ZONE, NOW)).toThrow(/^The file is not valid JSON/);
		expect(await counts()).toEqual(before);
	});

	it('a failure half-way through the write leaves no board, no history and no fingerprint', async () => {
		const before = await counts();
		// A real refusal by the database in the middle of the transaction: after the board, its members, its document
		// and its stages are written, the history row of one card is rejected (NOT VALID: the earlier imports' rows stay).
		await database.db.execute(sql`alter table card_events add constraint poison_card check (data->>'title' is distinct from 'Launch teaser') not valid`);
		try {
			const seen: ImportProgress[] = [];
			await expect(importTrello(database.db, ids['Olivia Park']!, upload(), { kinds: {}, people: {}, secondCopy: true }, ZONE, NOW, (p) => seen.push(p))).rejects.toThrow();
			// It failed after writing had begun.
			expect(seen.filter((p) => p.phase === 'write').map((p) => p.done)).toEqual([1, 2]);
		} finally {
			await database.db.execute(sql`alter table card_events drop constraint poison_card`);
		}
		expect(await counts()).toEqual(before);
	});
});
