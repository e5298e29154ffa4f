// `npm run seed:demo`: creates (once) a demo team and a "Content publishing" board with 90 days of realistic
// history, written through the same document commands and history recorder the sync server uses, back-dated.
import * as Y from 'yjs';
import { and, eq, inArray } from 'drizzle-orm';
import { configFromEnv } from '../server/config.ts';
import { openDatabase } from '../src/lib/server/db/client.ts';
import { users } from '../src/lib/server/db/schema/accounts.ts';
import { boards, boardMembers } from '../src/lib/server/db/schema/boards.ts';
import { signUp } from '../src/lib/server/accounts.ts';
import { createBoard } from '../src/lib/server/boards/boards.ts';
import { drizzleDocumentStore } from '../server/persistence/drizzle-document-store.ts';
import { HistoryWriter } from '../server/history/history-writer.ts';
import { recordHistory } from '../server/history/recorder.ts';
import { boardCommands } from '../src/lib/board/doc/commands.ts';
import { LOCAL } from '../src/lib/board/doc/origins.ts';
import { seedBoard } from '../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../src/lib/board/doc/snapshot.ts';
import { seededRandom } from '../src/lib/board/metrics/stats.ts';

const DEMO_EMAIL = 'demo@flowdeck.local';
const DEMO_PASSWORD = 'flowdeck-demo-2026';
const BOARD_NAME = 'Content publishing';
// The board carries this name until its whole history and document are stored, so a run that died half-way leaves a
// board the next run recognises as unfinished (and replaces) instead of reporting the demo as already there.
const UNFINISHED_NAME = `${BOARD_NAME} (seeding…)`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const config = configFromEnv(process.env);
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir }, config.migrationsFolder);
const db = database.db;
const login = `Log in at ${config.origin ?? `http://localhost:${config.port}`} as ${DEMO_EMAIL} with the password ${DEMO_PASSWORD}`;

try {
	const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_EMAIL)).limit(1);
	if (existing) {
		const unfinished = db
			.select({ id: boardMembers.boardId })
			.from(boardMembers)
			.innerJoin(boards, eq(boards.id, boardMembers.boardId))
			.where(and(eq(boardMembers.userId, existing.id), eq(boards.name, UNFINISHED_NAME)));
		// Deleting a board cascades to its members, history, card_flow and stored document.
		await db.delete(boards).where(inArray(boards.id, unfinished));
		const [board] = await db
			.select({ id: boards.id })
			.from(boards)
			.innerJoin(boardMembers, and(eq(boardMembers.boardId, boards.id), eq(boardMembers.userId, existing.id)))
			.where(eq(boards.name, BOARD_NAME))
			.limit(1);
		if (board) {
			console.log(`The demo already exists. ${login}`);
			process.exit(0);
		}
	}
	const end = Date.now();
	const start = end - 90 * DAY;
	let clock = start;
	const now = () => new Date(clock);
	const teammates = [
		{ name: 'Maya (demo)', email: DEMO_EMAIL, password: DEMO_PASSWORD },
		{ name: 'Leo (demo)', email: 'leo@flowdeck.local', password: DEMO_PASSWORD },
		{ name: 'Priya (demo)', email: 'priya@flowdeck.local', password: DEMO_PASSWORD }
	];
	const ids: string[] = [];
	for (const t of teammates) {
		const [found] = await db.select({ id: users.id }).from(users).where(eq(users.email, t.email)).limit(1);
		ids.push(found?.id ?? (await signUp(db, t, new Date(start))));
	}
	const boardId = await createBoard(db, ids[0]!, UNFINISHED_NAME, new Date(start));
	await db.insert(boardMembers).values(ids.slice(1).map((userId) => ({ boardId, userId, role: 'editor', joinedAt: new Date(start) })));

	const doc = new Y.Doc();
	const writer = new HistoryWriter(db, boardId, (m, e) => console.error(m, e));
	let actor = ids[0]!;
	const origins = new Map<unknown, string>();
	recordHistory(doc, writer, (origin) => origins.get(origin) ?? actor, now);
	seedBoard(doc);
	const commandsFor = new Map(ids.map((id) => [id, boardCommands(doc, { userId: id, now }, LOCAL)]));
	const cmd = () => commandsFor.get(actor)!;
	const flushMicrotasks = () => new Promise((r) => setTimeout(r, 0));

	// A content workflow: rename the default stages and add Design and Scheduled.
	const byName = (name: string) => readSnapshot(doc).stages.find((s) => s.name === name)!.id;
	cmd().renameStage(byName('Backlog'), 'Ideas');
	cmd().renameStage(byName('To do'), 'Outline');
	cmd().renameStage(byName('In progress'), 'Drafting');
	const design = cmd().addStage('Design', 'active');
	const scheduled = cmd().addStage('Scheduled', 'wait');
	cmd().moveStage(design, 4);
	cmd().moveStage(scheduled, 5);
	cmd().renameStage(byName('Done'), 'Published');
	cmd().setWipLimit(byName('Drafting'), 4, 'soft');
	cmd().addExitCriterion(byName('Review'), 'Legal approved');
	await flushMicrotasks();

	const flow = ['Ideas', 'Outline', 'Drafting', 'Review', 'Design', 'Scheduled', 'Published'].map(byName);
	const meanHours = [40, 20, 36, 30, 16, 24]; // time spent in each stage before moving on
	const random = seededRandom(42);
	const topics = ['SEO guide', 'Customer story', 'Webinar recap', 'Product launch post', 'Newsletter', 'Trend report', 'How-to video script', 'Case study', 'Landing page copy', 'Podcast notes'];
	type Step = { at: number; run: () => void };
	const steps: Step[] = [];
	for (let day = 0; day < 88; day++) {
		const arrivals = Math.floor(random() * 3.2);
		for (let a = 0; a < arrivals; a++) {
			let t = start + day * DAY + (8 + random() * 9) * HOUR;
			const who = ids[Math.floor(random() * ids.length)]!;
			const title = `${topics[Math.floor(random() * topics.length)]} #${steps.length + 1}`;
			let cardId = '';
			const dueInDays = random() < 0.6 ? 5 + Math.floor(random() * 12) : null;
			// Fixed now: `t` moves on with the card's later steps, and the due date counts from its creation.
			const due = dueInDays ? new Date(t + dueInDays * DAY).toISOString().slice(0, 10) : null;
			steps.push({
				at: t,
				run: () => {
					actor = who;
					cardId = cmd().addCard(flow[0]!, title);
					if (due) cmd().setDue(cardId, due);
					cmd().addOwner(cardId, who);
					for (const item of ['Keyword research', 'Proofread', 'Images have alt text']) cmd().addChecklistItem(cardId, item);
				}
			});
			let stage = 0;
			while (stage < flow.length - 1) {
				t += (0.3 + random() * 1.7) * meanHours[stage]! * HOUR * (stage === 2 && random() < 0.2 ? 3 : 1);
				if (t >= end) break;
				const from = stage;
				const back = stage === 3 && random() < 0.2; // sent back from Review for rework
				stage = back ? 2 : stage + 1;
				const to = stage;
				const mover = ids[Math.floor(random() * ids.length)]!;
				const blockFor = to === 2 && random() < 0.15 ? (4 + random() * 30) * HOUR : 0;
				steps.push({
					at: t,
					run: () => {
						actor = mover;
						const card = readSnapshot(doc).cards[cardId];
						if (!card) return;
						if (to === flow.length - 1 || (to === 4 && random() < 0.7)) {
							for (const item of card.checklist) if (!item.done && random() < 0.9) cmd().setChecklistDone(cardId, item.id, true);
						}
						if (from === 3 && !back) {
							const review = readSnapshot(doc).stages.find((s) => s.id === flow[3])!;
							for (const c of review.exitCriteria) cmd().setExitCheck(cardId, review.id, c.id, true);
						}
						cmd().moveCard(cardId, flow[to]!, 0);
						if (blockFor) cmd().setBlocked(cardId, 'Waiting for input from product');
					}
				});
				if (blockFor) steps.push({ at: t + blockFor, run: () => ((actor = mover), readSnapshot(doc).cards[cardId]?.blocked && cmd().setBlocked(cardId, null)) });
			}
			if (stage === flow.length - 1 && random() < 0.5) {
				steps.push({ at: Math.min(end - HOUR, t + 5 * DAY), run: () => ((actor = who), cmd().setArchived(cardId, true)) });
			}
		}
	}
	steps.sort((a, b) => a.at - b.at);
	let done = 0;
	for (const step of steps) {
		clock = step.at;
		step.run();
		await flushMicrotasks();
		if (++done % 200 === 0) process.stdout.write(`\rWriting 90 days of history… ${Math.round((done / steps.length) * 100)}%`);
	}
	process.stdout.write('\n');
	await writer.flush();
	await drizzleDocumentStore(db, { now: () => new Date() }).append(boardId, Y.encodeStateAsUpdate(doc));
	// Last step: from here on the demo counts as complete.
	await db.update(boards).set({ name: BOARD_NAME }).where(eq(boards.id, boardId));
	const snapshot = readSnapshot(doc);
	console.log(`Created "${BOARD_NAME}" with ${Object.keys(snapshot.cards).length} cards and ${steps.length} changes of history.`);
	console.log(login);
} finally {
	await database.close();
}
