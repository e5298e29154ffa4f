import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { and, asc, eq } from 'drizzle-orm';
import { dbKinds } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { LOCAL } from '../../src/lib/board/doc/origins.ts';
import { boardMaps } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { addComment } from '../../src/lib/server/comments/service.ts';
import { uploadAttachment } from '../../src/lib/server/attachments/service.ts';
import { storedPath, thumbnailOf } from '../../src/lib/server/attachments/storage.ts';
import { cardAttachments, cardComments } from '../../src/lib/server/db/schema/comments.ts';
import { cardEvents, cardFlow } from '../../src/lib/server/db/schema/history.ts';
import { searchCards } from '../../src/lib/server/search/query.ts';
import { DEFAULT_CARD_PURGE_DELAY_MS } from '../../server/cards/card-purge.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d6b1e40000000049454e44ae426082', 'hex');

describe.each(dbKinds())('deleting a card (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	const clock = new FakeClock(Date.now());
	const people = {} as Record<'alice' | 'bob', { id: string; cookie: string }>;
	let boardId = '';
	let alice: SyncClient;
	let bob: SyncClient;
	let undo: Y.UndoManager;
	const db = () => fd.app.ctx.db;
	const cmd = () => boardCommands(alice.doc, { userId: people.alice.id, now: () => clock.now() }, LOCAL);
	const firstStage = () => readSnapshot(alice.doc).stages[0]!.id;
	const onServer = async (cardId: string) => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId })).card;
	const eventTypes = async (cardId: string) => (await db().select({ type: cardEvents.type }).from(cardEvents).where(and(eq(cardEvents.boardId, boardId), eq(cardEvents.cardId, cardId))).orderBy(asc(cardEvents.id))).map((r) => r.type);
	const searchTitles = async (q: string) => (await searchCards(db(), people.alice.id, q)).map((r) => r.title);
	const files = (cardId: string) => db().select().from(cardAttachments).where(eq(cardAttachments.cardId, cardId));
	const comments = (cardId: string) => db().select().from(cardComments).where(eq(cardComments.cardId, cardId));
	/** Whether a file's bytes and its thumbnail are on disk. */
	const onDisk = (key: string) => [existsSync(storedPath(fd.app.ctx.uploads, key)), existsSync(thumbnailOf(storedPath(fd.app.ctx.uploads, key)))];

	/** A card with an owner, a checklist, a comment and an image (which has a thumbnail). */
	async function richCard(title: string, commentText: string): Promise<{ id: string; fileKey: string }> {
		const id = cmd().addCard(firstStage(), title);
		cmd().addOwner(id, people.alice.id);
		cmd().addChecklistItem(id, 'Proofread');
		await waitFor('the card on the server', () => onServer(id));
		await addComment(fd.app.ctx, boardId, people.alice.id, id, { body: commentText });
		const body = new Blob([new Uint8Array(PNG)]).stream();
		await uploadAttachment(fd.app.ctx, boardId, people.alice.id, id, { fileName: 'cover.png', contentLength: PNG.length, body });
		const [file] = await files(id);
		return { id, fileKey: file!.storageKey };
	}

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 }, { clock, pollJobs: false, searchBackfill: false });
		for (const name of ['alice', 'bob'] as const) people[name] = await fd.user(name);
		boardId = await createBoard(db(), people.alice.id, 'Launch', clock.now());
		const { token } = await createInvite(db(), boardId, people.alice.id, { role: 'viewer', days: 7 }, clock.now());
		await acceptInvite(db(), token, people.bob.id, clock.now());
		alice = connectBoard(fd.url, boardId, { cookie: people.alice.cookie });
		bob = connectBoard(fd.url, boardId, { cookie: people.bob.cookie });
		await Promise.all([alice.synced(), bob.synced()]);
		const maps = boardMaps(alice.doc);
		undo = new Y.UndoManager([maps.cards, maps.places, maps.checklists, maps.owners, maps.exitChecks, maps.descriptions, maps.stepDues], { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
	}, 60_000);

	afterAll(async () => {
		alice?.destroy();
		bob?.destroy();
		await fd?.close();
	});

	it('a viewer’s delete never reaches the board', async () => {
		const id = cmd().addCard(firstStage(), 'Viewer cannot remove this');
		await waitFor('bob sees the card', () => readSnapshot(bob.doc).cards[id]);
		boardCommands(bob.doc, { userId: people.bob.id, now: () => clock.now() }, LOCAL).deleteCard(id);
		// The server reads a socket's frames in order: once it relays Bob's presence, it has read his delete before it.
		bob.provider.awareness.setLocalStateField('marker', 'after-delete');
		await waitFor('bob’s presence relayed', () => [...alice.provider.awareness.getStates().values()].some((s) => s.marker === 'after-delete'));
		expect(await onServer(id)).toMatchObject({ title: 'Viewer cannot remove this' });
		expect(readSnapshot(alice.doc).cards[id]).toBeDefined();
		expect(await eventTypes(id)).not.toContain('deleted');
	});

	it('an editor’s delete: history says deleted, search and stats drop it; one undo brings it back everywhere', async () => {
		const { id, fileKey } = await richCard('Spring launch plan', 'Remember the zeppelin photos');
		await waitFor('found by title and by comment', async () => (await searchTitles('launch')).length === 1 && (await searchTitles('zeppelin')).length === 1);
		cmd().deleteCard(id);
		await waitFor('gone on the server', async () => (await onServer(id)) === null);
		await waitFor('gone for bob', () => !readSnapshot(bob.doc).cards[id]);
		await waitFor('history says deleted', async () => (await eventTypes(id)).at(-1) === 'deleted');
		expect(await eventTypes(id)).toEqual(['created', 'owner_added', 'deleted']);
		await waitFor('search no longer finds it', async () => (await searchTitles('launch')).length === 0 && (await searchTitles('zeppelin')).length === 0);
		const flow = await db().select({ type: cardFlow.type, counted: cardFlow.counted }).from(cardFlow).where(and(eq(cardFlow.boardId, boardId), eq(cardFlow.cardId, id))).orderBy(asc(cardFlow.t), asc(cardFlow.eventId));
		expect(flow.map((r) => [r.type, r.counted])).toEqual([['created', true], ['deleted', false]]);

		undo.undo();
		await waitFor('back on the server', () => onServer(id));
		expect(await onServer(id)).toMatchObject({ title: 'Spring launch plan', owners: [people.alice.id], checklist: [{ text: 'Proofread' }] });
		await waitFor('back for bob', () => readSnapshot(bob.doc).cards[id]);
		await waitFor('history says restored', async () => (await eventTypes(id)).at(-1) === 'restored');
		// Its owner came back with it: no owner_removed/owner_added (nor a second `created`) for the deletion and the undo.
		expect(await eventTypes(id)).toEqual(['created', 'owner_added', 'deleted', 'restored']);
		await waitFor('found again, by title and by comment', async () => (await searchTitles('launch')).length === 1 && (await searchTitles('zeppelin')).length === 1);

		// The purge scheduled by the deletion finds the card back: its file and comment stay.
		clock.advance(DEFAULT_CARD_PURGE_DELAY_MS + 1_000);
		await fd.app.jobs.runDue();
		expect(await files(id)).toHaveLength(1);
		expect(onDisk(fileKey)).toEqual([true, true]);
		expect(await comments(id)).toHaveLength(1);
	});

	it('a card still deleted when its grace period ends loses its files, comments and exit checks for good', async () => {
		const { id, fileKey } = await richCard('Old webinar', 'Recording link');
		const criterion = cmd().addExitCriterion(firstStage(), 'Slides ready');
		cmd().setExitCheck(id, firstStage(), criterion, true);
		const checkKeys = () => [...boardMaps(alice.doc).exitChecks.keys()].filter((k) => k.startsWith(`${id}/`));
		cmd().deleteCard(id);
		await waitFor('gone on the server', async () => (await onServer(id)) === null);
		await waitFor('history says deleted', async () => (await eventTypes(id)).at(-1) === 'deleted');
		// Not yet: an undo may still bring it back whole.
		clock.advance(DEFAULT_CARD_PURGE_DELAY_MS - 60_000);
		await fd.app.jobs.runDue();
		expect(await files(id)).toHaveLength(1);
		expect(onDisk(fileKey)).toEqual([true, true]);
		expect(checkKeys()).toHaveLength(1);
		clock.advance(120_000);
		await fd.app.jobs.runDue();
		expect(await files(id)).toEqual([]);
		expect(onDisk(fileKey)).toEqual([false, false]);
		expect(await comments(id)).toEqual([]);
		await waitFor('its exit check leaves the document', () => checkKeys().length === 0);
		expect(await searchTitles('recording')).toEqual([]);
	});
});
