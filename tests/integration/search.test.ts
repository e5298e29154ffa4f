import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard, deleteBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { searchEntries, searchIndexedBoards } from '../../src/lib/server/db/schema/search.ts';
import { removeSearchEntries, upsertSearchEntry } from '../../src/lib/server/search/projection.ts';
import { searchCards, type SearchResult } from '../../src/lib/server/search/query.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { MARK_START } from '../../src/lib/search/marks.ts';

describe.each(dbKinds())('search (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	const people = {} as Record<'alice' | 'bob' | 'carol', { id: string; cookie: string }>;
	let boardId = '';
	let carolsBoard = '';
	let alice: SyncClient;
	const clients: SyncClient[] = [];
	const db = () => fd.app.ctx.db;
	const cmd = () => boardCommands(alice.doc, { userId: people.alice.id, now: () => new Date() });
	const firstStage = () => readSnapshot(alice.doc).stages[0]!.id;
	const asServer = { kind: 'server', actorId: '' } as { kind: 'server'; actorId: string };
	const search = (who: keyof typeof people, q: string) => searchCards(db(), people[who].id, q);
	const titles = (results: SearchResult[]) => results.map((r) => r.title);
	/** Waits until `who` searching `q` finds exactly the titles `expected` (in that order). */
	const finds = (who: keyof typeof people, q: string, expected: string[]) =>
		waitFor(`"${q}" finds ${JSON.stringify(expected)}`, async () => JSON.stringify(titles(await search(who, q))) === JSON.stringify(expected));
	const marked = (parts: { text: string; hit: boolean }[]) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 }, { searchBackfill: false, search: { descriptionDelayMs: 300 } });
		for (const name of ['alice', 'bob', 'carol'] as const) people[name] = await fd.user(name);
		asServer.actorId = people.alice.id;
		boardId = await createBoard(db(), people.alice.id, 'Launch', new Date());
		const { token } = await createInvite(db(), boardId, people.alice.id, { role: 'viewer', days: 7 }, new Date());
		await acceptInvite(db(), token, people.bob.id, new Date());
		alice = connectBoard(fd.url, boardId, { cookie: people.alice.cookie });
		clients.push(alice);
		await alice.synced();
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('ranks title matches above description matches and marks the words found, as one types', async () => {
		const plan = cmd().addCard(firstStage(), 'Spring launch plan');
		const budget = cmd().addCard(firstStage(), 'Budget review');
		cmd().setDescription(budget, 'Check the numbers before the **launch** and after it.');
		cmd().addCard(firstStage(), 'Newsletter');
		await finds('alice', 'launch', ['Spring launch plan', 'Budget review']);
		const [first, second] = await search('alice', 'launch');
		expect(first).toMatchObject({ boardId, boardName: 'Launch', cardId: plan, source: 'card', title: 'Spring launch plan' });
		expect(marked(first!.titleParts)).toBe('Spring [launch] plan');
		expect(second).toMatchObject({ cardId: budget, title: 'Budget review' });
		expect(marked(second!.snippetParts)).toContain('[launch]');
		expect(second!.snippet).not.toContain(MARK_START);
		// The last word matches as a prefix while typing; a finished word (trailing space) does not.
		expect(titles(await search('alice', 'spring lau'))).toEqual(['Spring launch plan']);
		expect(await search('alice', 'lau ')).toEqual([]);
		// Web-search syntax: quotes and exclusions.
		expect(titles(await search('alice', '"launch plan"'))).toEqual(['Spring launch plan']);
		expect(titles(await search('alice', 'launch -budget'))).toEqual(['Spring launch plan']);
	});

	it('follows renames and description edits from a sync client and from the server command path', async () => {
		const card = cmd().addCard(firstStage(), 'Draft press release');
		await finds('alice', 'press', ['Draft press release']);
		cmd().setTitle(card, 'Final media kit');
		await finds('alice', 'media', ['Final media kit']);
		expect(await search('alice', 'press')).toEqual([]);
		cmd().setDescription(card, 'Quotes from the founders');
		await finds('alice', 'founders', ['Final media kit']);
		// Through the server command path the projection is written before the command resolves (its flush).
		await fd.app.rooms.applyAsServer(boardId, asServer, [{ name: 'setTitle', args: [card, 'Partner toolkit'] }]);
		expect(titles(await search('alice', 'toolkit'))).toEqual(['Partner toolkit']);
		await fd.app.rooms.applyAsServer(boardId, asServer, [{ name: 'setDescription', args: [card, 'Logos and colours'] }]);
		expect(titles(await search('alice', 'colours'))).toEqual(['Partner toolkit']);
		expect(await search('alice', 'founders')).toEqual([]);
	});

	it('gathers a burst of description typing into one write of the final text', async () => {
		const card = cmd().addCard(firstStage(), 'Typing test');
		await finds('alice', 'typing', ['Typing test']);
		const text = 'zebra crossing';
		for (let i = 1; i <= text.length; i++) cmd().setDescription(card, text.slice(0, i));
		await finds('alice', 'crossing', ['Typing test']);
		const [row] = await db().select().from(searchEntries).where(and(eq(searchEntries.boardId, boardId), eq(searchEntries.sourceId, card)));
		expect(row?.body).toBe(text);
	});

	it('drops archived cards and their comments from the results and brings them back when restored', async () => {
		const card = cmd().addCard(firstStage(), 'Retired campaign');
		await finds('alice', 'retired', ['Retired campaign']);
		await upsertSearchEntry(db(), { boardId, cardId: card, source: 'comment', sourceId: 'comment-1', title: '', body: 'Ask the agency about the retired assets' });
		await finds('alice', 'agency', ['Retired campaign']);
		cmd().setArchived(card, true);
		await finds('alice', 'retired', []);
		expect(await search('alice', 'agency')).toEqual([]);
		cmd().setArchived(card, false);
		await finds('alice', 'agency', ['Retired campaign']);
	});

	it('finds a card by its comments: the card’s title, the snippet from the comment', async () => {
		const card = cmd().addCard(firstStage(), 'Webinar');
		await finds('alice', 'webinar', ['Webinar']);
		await upsertSearchEntry(db(), { boardId, cardId: card, source: 'comment', sourceId: 'comment-2', title: 'Comment by Bob', body: 'The speaker cancelled; find a replacement keynote' });
		const [hit] = await search('alice', 'keynote');
		expect(hit).toMatchObject({ cardId: card, source: 'comment', title: 'Webinar' });
		expect(marked(hit!.snippetParts)).toContain('[keynote]');
		// One result per card, even when the card and its comment both match.
		await upsertSearchEntry(db(), { boardId, cardId: card, source: 'comment', sourceId: 'comment-3', title: '', body: 'webinar recording link' });
		expect((await search('alice', 'webinar')).filter((r) => r.cardId === card)).toHaveLength(1);
		expect(await removeSearchEntries(db(), { boardId, source: 'comment', sourceId: 'comment-2' })).toBe(1);
		expect(await search('alice', 'keynote')).toEqual([]);
	});

	it('answers only from boards the caller is a member of', async () => {
		carolsBoard = await createBoard(db(), people.carol.id, 'Carol private', new Date());
		const carol = connectBoard(fd.url, carolsBoard, { cookie: people.carol.cookie });
		clients.push(carol);
		await carol.synced();
		boardCommands(carol.doc, { userId: people.carol.id, now: () => new Date() }).addCard(readSnapshot(carol.doc).stages[0]!.id, 'Secret launch budget');
		await finds('carol', 'launch', ['Secret launch budget']);
		// Bob is a viewer on Alice's board: he finds its cards, never Carol's.
		expect(titles(await search('bob', 'launch'))).toEqual(['Spring launch plan', 'Budget review']);
		expect(titles(await search('alice', 'secret'))).toEqual([]);
		expect(titles(await search('carol', 'spring'))).toEqual([]);
		carol.destroy();
	});

	it('refuses a search with nothing to look for, whatever the syntax, and never fails on user syntax', async () => {
		for (const q of ['', '   ', '!!!', '&|!:*()', '"', '-', 'x'.repeat(201)]) {
			const refusal = await search('alice', q).catch((err: unknown) => err);
			expect(refusal, q).toBeInstanceOf(DomainError);
			expect((refusal as DomainError).code).toBe('invalid_input');
		}
		for (const q of ['launch & (', 'launch:*', '"unclosed launch', "o'brien", 'launch or', '-launch', 'a\\b', 'launch !!! ) <->']) {
			await expect(search('alice', q), q).resolves.toBeInstanceOf(Array);
		}
	});

	it('indexes a board whose projection is missing when its room opens, and at start-up', async () => {
		alice.destroy();
		await waitFor('the room unloads', () => !fd.app.rooms.has(boardId));
		await db().delete(searchEntries).where(eq(searchEntries.boardId, boardId));
		await db().delete(searchIndexedBoards).where(eq(searchIndexedBoards.boardId, boardId));
		expect(await search('alice', 'launch')).toEqual([]);
		// The start-up pass opens boards never indexed, one at a time.
		expect(await fd.app.searchBackfill()).toBe(1);
		expect(titles(await search('alice', 'launch'))).toEqual(['Spring launch plan', 'Budget review']);
		expect(await fd.app.searchBackfill()).toBe(0);
		// A stale row (written while another version served the board) is put right when the room next opens.
		await db().update(searchEntries).set({ title: 'Stale title' }).where(and(eq(searchEntries.boardId, boardId), eq(searchEntries.source, 'card')));
		await waitFor('the room unloads', () => !fd.app.rooms.has(boardId));
		alice = connectBoard(fd.url, boardId, { cookie: people.alice.cookie });
		clients.push(alice);
		await alice.synced();
		await finds('alice', 'stale', []);
		expect(titles(await search('alice', 'launch'))).toEqual(['Spring launch plan', 'Budget review']);
	});

	it('forgets a deleted board, including a description edit still gathering', async () => {
		const card = cmd().addCard(firstStage(), 'Last words');
		await finds('alice', 'last', ['Last words']);
		cmd().setDescription(card, 'unsaved thoughts');
		await waitFor('the server holds the edit', async () => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId: card })).card?.description === 'unsaved thoughts');
		await deleteBoard(db(), boardId, people.alice.id, 'Launch');
		fd.app.ctx.access.boardDeleted(boardId);
		expect(await db().select().from(searchEntries).where(eq(searchEntries.boardId, boardId))).toEqual([]);
		// An edit gathered on another board after the deletion lands once its own delay passed; the deleted board's,
		// due earlier, would have landed before it.
		const carol = connectBoard(fd.url, carolsBoard, { cookie: people.carol.cookie });
		clients.push(carol);
		await carol.synced();
		const other = Object.keys(readSnapshot(carol.doc).cards)[0]!;
		boardCommands(carol.doc, { userId: people.carol.id, now: () => new Date() }).setDescription(other, 'afterwards');
		await finds('carol', 'afterwards', ['Secret launch budget']);
		expect(await db().select().from(searchEntries).where(eq(searchEntries.boardId, boardId))).toEqual([]);
		expect(await search('bob', 'launch')).toEqual([]);
	});
});
