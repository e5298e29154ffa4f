import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbKinds, queryRows } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { refusal } from '../helpers/refusal.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { boardMembers } from '../../src/lib/server/db/schema/boards.ts';
import { cardsCsv } from '../../src/lib/server/board-export/cards-csv.ts';
import { importCardsCsv } from '../../src/lib/server/board-export/cards-csv-import.ts';
import type { Card } from '../../src/lib/board/types.ts';
import type { NamedCommand } from '../../src/lib/board/doc/named-commands.ts';

describe.each(dbKinds())('cards CSV export and import (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: { id: string; cookie: string };
	let viewer: { id: string; cookie: string };
	let source = '';
	const email = new Map<string, string>();
	const cardsOf = async (boardId: string) => (await fd.app.rooms.readBoard(boardId, { kind: 'cards' })).cards;
	const stageNames = async (boardId: string) => new Map((await fd.app.rooms.readBoard(boardId, { kind: 'workflow' })).stages.map((s) => [s.id, s.name]));
	/** What a person compares after a round trip: everything but ids, ranks and times. */
	const comparable = async (boardId: string) => {
		const names = await stageNames(boardId);
		return (await cardsOf(boardId))
			.map((c: Card) => ({
				title: c.title,
				stage: names.get(c.stageId),
				description: c.description,
				labels: c.labels,
				owners: c.owners.map((o) => email.get(o)).sort(),
				due: c.due,
				target: c.target?.day ?? null,
				blocked: c.blocked?.reason ?? null,
				archived: c.archived,
				checklist: c.checklist.map((i) => ({ text: i.text, done: i.done }))
			}))
			.sort((a, b) => a.title.localeCompare(b.title));
	};
	const newBoard = async (name: string) => {
		const id = await createBoard(fd.app.ctx.db, owner.id, name, new Date());
		await fd.app.ctx.db.insert(boardMembers).values({ boardId: id, userId: viewer.id, role: 'viewer', joinedAt: new Date() });
		return id;
	};
	const count = async (boardId: string) => (await cardsOf(boardId)).length;

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 }, { pollJobs: false, searchBackfill: false });
		owner = await fd.user('Owner');
		viewer = await fd.user('Viewer');
		for (const u of [owner, viewer]) {
			const [row] = await queryRows<{ email: string }>(fd.app.database, sql`select email from users where id = ${u.id}`);
			email.set(u.id, row!.email);
		}
		source = await newBoard('Source');
		const { stages } = await fd.app.rooms.readBoard(source, { kind: 'workflow' });
		const [backlog, , doing] = stages.map((s) => s.id) as [string, string, string];
		const run = (commands: NamedCommand[]) => fd.app.rooms.applyAsServer(source, { kind: 'server', actorId: owner.id }, commands);
		const [a] = (await run([{ name: 'addCard', args: [backlog, '=SUM(A1) looks like a formula'] }])) as [string];
		const [b] = (await run([{ name: 'addCard', args: [doing, 'Launch post, "quoted"'] }])) as [string];
		const [c] = (await run([{ name: 'addCard', args: [doing, 'Old idea'] }])) as [string];
		await run([
			{ name: 'setLabels', args: [a, [{ name: 'Blog', color: 'sky' }, { name: 'Urgent', color: 'red' }]] },
			{ name: 'addOwner', args: [a, owner.id] },
			{ name: 'addOwner', args: [a, viewer.id] },
			{ name: 'setDue', args: [a, '2026-12-31'] },
			{ name: 'setTarget', args: [a, '2027-01-15'] },
			{ name: 'setDescription', args: [a, 'Line one\nline two, with a comma'] },
			{ name: 'addChecklistItem', args: [a, 'Spell-check'] },
			{ name: 'addChecklistItem', args: [a, 'Links work; all of them'] },
			{ name: 'setBlocked', args: [b, 'Waiting for legal'] },
			{ name: 'setArchived', args: [c, true] }
		]);
		const items = (await cardsOf(source)).find((x) => x.id === a)!.checklist;
		await run([{ name: 'setChecklistDone', args: [a, items[0]!.id, true] }]);
	}, 60_000);

	afterAll(async () => {
		await fd?.close();
	});

	it('CSV export → import into another board → the same cards (titles, stages by name, labels, owners, dates, checklist, archived)', async () => {
		const { csv } = await cardsCsv(fd.app.ctx.db, fd.app.ctx.documents, source, viewer.id);
		expect(csv.split('\r\n')[0]).toBe('id,title,stage,description,labels,owners,due,target,blocked,archived,checklist,created');
		// The formula is neutralised for spreadsheets, and the import takes the guard off again.
		expect(csv).toContain(`,'=SUM(A1) looks like a formula,`);
		const target = await newBoard('Target');
		const preview = await importCardsCsv(fd.app.ctx.db, fd.app.ctx.documents, target, owner.id, csv, true);
		expect(preview).toMatchObject({ cards: 3, problems: [], created: false });
		expect(await count(target)).toBe(0);
		const done = await importCardsCsv(fd.app.ctx.db, fd.app.ctx.documents, target, owner.id, csv, false);
		expect(done).toMatchObject({ cards: 3, created: true });
		const [before, after] = await Promise.all([comparable(source), comparable(target)]);
		expect(before.find((c) => c.title.startsWith('=SUM'))).toMatchObject({ owners: [email.get(owner.id), email.get(viewer.id)].sort(), checklist: [{ text: 'Spell-check', done: true }, { text: 'Links work; all of them', done: false }] });
		expect(after).toEqual(before);
		// Imported through the server command path: in history as the importer's.
		const created = await queryRows<{ actor_id: string }>(fd.app.database, sql`select actor_id from card_events where board_id = ${target} and type = 'created'`);
		expect(created.map((r) => r.actor_id)).toEqual([owner.id, owner.id, owner.id]);
	});

	it('a wrong column or bad lines: every problem with its line number, nothing created', async () => {
		const target = await newBoard('Strict');
		const wrongColumn = 'title,Stauts\r\nWrite post,Backlog\r\n';
		const one = await importCardsCsv(fd.app.ctx.db, fd.app.ctx.documents, target, owner.id, wrongColumn, false);
		expect(one.problems).toEqual([{ line: 1, message: 'column “stauts” is not one Flowdeck knows; expected: id, title, stage, description, labels, owners, due, target, blocked, archived, checklist, created.' }]);
		const bad = [
			'title,stage,due,labels,owners,checklist',
			'Fine card,Backlog,,,,',
			'"A card whose',
			'title spans lines",Reveiw,,,,',
			'Bad date,Backlog,2026-02-30,,,',
			'Bad label,Backlog,,Urgent:purple,,',
			'Stranger,Backlog,,,nobody@example.com,',
			',Backlog,,,,',
			'Also fine,In progress,2026-05-01,Blog:sky,,"[x] one\n[ ] two"'
		].join('\r\n');
		const many = await importCardsCsv(fd.app.ctx.db, fd.app.ctx.documents, target, owner.id, bad, false);
		expect(many.created).toBe(false);
		expect(many.problems.map((p) => p.line)).toEqual([3, 5, 6, 7, 8]);
		expect(many.problems[0]!.message).toBe('stage “Reveiw” does not exist on this board; stages are: Backlog, To do, In progress, Review, Done.');
		expect(many.problems[1]!.message).toMatch(/due “2026-02-30” is not a date/);
		expect(many.problems[2]!.message).toMatch(/colour after a colon, one of: slate, red/);
		expect(many.problems[3]!.message).toMatch(/“nobody@example.com” is not a member of this board/);
		expect(many.problems[4]!.message).toBe('the title is empty.');
		expect(await count(target)).toBe(0);
		const broken = await importCardsCsv(fd.app.ctx.db, fd.app.ctx.documents, target, owner.id, 'title\r\n"never closed\r\n', false);
		expect(broken.problems).toEqual([{ line: 2, message: expect.stringMatching(/not valid CSV: Quote Not Closed/) as unknown }]);
		expect(await count(target)).toBe(0);
	});

	it('a hard WIP limit the import would break is reported at the line that breaks it, nothing created', async () => {
		const target = await newBoard('Limited');
		const { stages } = await fd.app.rooms.readBoard(target, { kind: 'workflow' });
		await fd.app.rooms.applyAsServer(target, { kind: 'server', actorId: owner.id }, [{ name: 'setWipLimit', args: [stages[2]!.id, 2, 'hard'] }]);
		const csv = 'title,stage,archived\r\nOne,In progress,no\r\nArchived,In progress,yes\r\nTwo,In progress,\r\nThree,In progress,\r\n';
		const outcome = await importCardsCsv(fd.app.ctx.db, fd.app.ctx.documents, target, owner.id, csv, false);
		expect(outcome.problems).toEqual([{ line: 5, message: 'stage “In progress” has a hard WIP limit of 2 and would be over it with this card.' }]);
		expect(await count(target)).toBe(0);
	});

	it('a viewer cannot import (forbidden) and a non-member can neither export nor import (not found)', async () => {
		const csv = 'title\r\nSneaky\r\n';
		expect((await refusal(() => importCardsCsv(fd.app.ctx.db, fd.app.ctx.documents, source, viewer.id, csv, false))).code).toBe('forbidden');
		const stranger = await fd.user('Stranger');
		expect((await refusal(() => importCardsCsv(fd.app.ctx.db, fd.app.ctx.documents, source, stranger.id, csv, false))).code).toBe('not_found');
		expect((await refusal(() => cardsCsv(fd.app.ctx.db, fd.app.ctx.documents, source, stranger.id))).code).toBe('not_found');
		expect((await cardsOf(source)).map((c) => c.title)).not.toContain('Sneaky');
	});
});
