// `npm run seed:demo`: creates (once) a demo team and a "Content publishing" board with 90 days of realistic
// history, written through the same document commands and history recorder the sync server uses, back-dated. The board
// runs a blog process (scripts/demo-process.ts): steps due before each post's publishing date, an editors' sign-off,
// and the team template it comes from; most posts come out on time, some late, a few open ones are at risk.
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
import { serverProcessCommands } from '../src/lib/board/doc/process-commands.ts';
import { actorOfOrigin, type ServerOrigin, type TxOrigin } from '../src/lib/board/doc/origins.ts';
import { seedBoard } from '../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../src/lib/board/doc/snapshot.ts';
import { seededRandom } from '../src/lib/board/metrics/stats.ts';
import { insertTeamRoles } from '../src/lib/server/boards/team-roles.ts';
import { checkRiskLevels } from '../src/lib/server/process-review/risk-alerts.ts';
import { readBoard, type CardsReading } from '../server/engine/board-reading.ts';
import { DEMO_ROLES, demoSteps, finishDemoBoard } from './demo-process.ts';

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
	// People's edits reach the server as a socket's (`remote`) writes, sign-off decisions through the server command
	// path (`server`): with those origins the recorder writes exactly what it writes for the real app (target dates too).
	recordHistory(doc, writer, (origin) => actorOfOrigin(origin) ?? actor, now);
	seedBoard(doc);
	const commandsFor = new Map(ids.map((id, i) => [id, boardCommands(doc, { userId: id, now }, Object.freeze({ kind: 'remote', connId: `demo-${i}`, userId: id }) as TxOrigin)]));
	const cmd = () => commandsFor.get(actor)!;
	const asServer = (userId: string) => serverProcessCommands(doc, { userId, now }, Object.freeze({ kind: 'server', actorId: userId }) as ServerOrigin);
	/** A forward move the board's own checks would refuse is a bug in this script, not something to record. */
	const move = (cardId: string, toStageId: string) => {
		const refusal = cmd().moveCard(cardId, toStageId, 0);
		if (refusal) throw new Error(`The demo tried a move the board refuses: ${refusal.message}`);
	};
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
	cmd().addExitCriterion(byName('Outline'), 'Primary keyword chosen');
	cmd().addExitCriterion(byName('Review'), 'Legal approved');
	cmd().addExitCriterion(byName('Design'), 'Images have alt text');
	// The process: team roles (in the database, mirrored into the document as the server does), then each step.
	const roles = DEMO_ROLES.map((r) => ({ name: r.name, holders: r.holders.map((i) => ids[i]!) }));
	await insertTeamRoles(db, boardId, roles, new Date(start));
	asServer(ids[0]!).setTeamRoles(Object.fromEntries(roles.map((r) => [r.name, [...r.holders]])));
	for (const [name, step] of Object.entries(demoSteps(byName))) cmd().setStageStep(byName(name), step);
	await flushMicrotasks();

	const flow = ['Ideas', 'Outline', 'Drafting', 'Review', 'Design', 'Scheduled', 'Published'].map(byName);
	const meanHours = [40, 20, 36, 30, 16, 24]; // time spent in each stage before moving on
	const random = seededRandom(42);
	// Publishing dates draw from their own sequence, so the flow above stays what it was before the demo had a process.
	const planRandom = seededRandom(7);
	const editors = roles.find((r) => r.name === 'Editor')!.holders;
	// The team adds a criterion to Design just after the first post left it in the default 30 days. History does not
	// keep a stage's criteria over time, so the posts that left Design before then count as leaving without it: one of
	// them in the default range (every earlier one in longer ranges: docs/process-review.md, "The demo").
	const defaultRangeStart = Date.parse(`${new Date(end - 29 * DAY).toISOString().slice(0, 10)}T00:00:00Z`);
	const designExits: number[] = [];
	const topics = ['SEO guide', 'Customer story', 'Webinar recap', 'Product launch post', 'Newsletter', 'Trend report', 'How-to video script', 'Case study', 'Landing page copy', 'Podcast notes'];
	type Step = { at: number; run: () => void };
	const steps: Step[] = [];
	const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
	for (let day = 0; day < 88; day++) {
		const arrivals = Math.floor(random() * 3.2);
		for (let a = 0; a < arrivals; a++) {
			let t = start + day * DAY + (8 + random() * 9) * HOUR;
			// Posts started in the last 40 days move a fifth faster: the process review's efficiency has a gain to show.
			const pace = day >= 50 ? 0.8 : 1;
			const who = ids[Math.floor(random() * ids.length)]!;
			const title = `${topics[Math.floor(random() * topics.length)]} #${steps.length + 1}`;
			let cardId = '';
			steps.push({
				at: t,
				run: () => {
					actor = who;
					cardId = cmd().addCard(flow[0]!, title);
					cmd().addOwner(cardId, who);
					for (const item of ['Keyword research', 'Proofread', 'Images have alt text']) cmd().addChecklistItem(cardId, item);
				}
			});
			// The card's whole way to Published, beyond the end too: its publishing date is planned from when it would
			// come out, so most posts make it, some do not, and open ones are at risk or not.
			type Hop = { at: number; from: number; to: number; mover: string; blockFor: number };
			const hops: Hop[] = [];
			let stage = 0;
			while (stage < flow.length - 1) {
				t += (0.3 + random() * 1.7) * meanHours[stage]! * pace * HOUR * (stage === 2 && random() < 0.2 ? 3 : 1);
				const from = stage;
				const back = stage === 3 && random() < 0.15; // the editors ask for changes: back to Drafting
				stage = back ? 2 : stage + 1;
				const mover = ids[Math.floor(random() * ids.length)]!;
				hops.push({ at: t, from, to: stage, mover, blockFor: stage === 2 && random() < 0.15 ? (4 + random() * 30) * HOUR : 0 });
			}
			const published = hops.at(-1)!.at;
			const r = planRandom();
			// A fifth of the posts get a date they miss by a day or two; the rest a day or three to spare, or none.
			const slackDays = r < 0.2 ? -1 - Math.floor(planRandom() * 2) : r < 0.35 ? 0 : 1 + Math.floor(planRandom() * 3);
			const target = dayOf(published + slackDays * DAY);
			const postponed = planRandom() < 0.08; // the publishing date moves three days later while the post is in Review
			for (const hop of hops) {
				if (hop.at >= end) break;
				const { from, to, mover, blockFor } = hop;
				if (from === 4) designExits.push(hop.at);
				steps.push({
					at: hop.at,
					run: () => {
						actor = mover;
						const card = readSnapshot(doc).cards[cardId];
						if (!card) return;
						if (to === flow.length - 1 || (to === 4 && random() < 0.7)) {
							for (const item of card.checklist) if (!item.done && random() < 0.9) cmd().setChecklistDone(cardId, item.id, true);
						}
						if (from === 0) {
							// Picked up: the publishing date is set (and the due date with it, for the stats' deadlines).
							cmd().setTarget(cardId, target);
							cmd().setDue(cardId, target);
						}
						if (from === 3) {
							// The sign-off: an editor who does not own the post approves it, or asks for changes (which sends it back).
							const approver = editors.find((e) => !card.owners.includes(e))!;
							if (to < from) {
								asServer(approver).recordDecision(cardId, flow[3]!, 'changes', 'Tighten the introduction and add a source for the figures.');
								return;
							}
							asServer(approver).recordDecision(cardId, flow[3]!, 'approve', '');
						}
						if (to > from) {
							const stageNow = readSnapshot(doc).stages.find((s) => s.id === flow[from])!;
							for (const c of stageNow.exitCriteria) if (!card.exitChecks[`${stageNow.id}:${c.id}`]) cmd().setExitCheck(cardId, stageNow.id, c.id, true);
						}
						move(cardId, flow[to]!);
						if (postponed && to === 3 && from === 2) {
							const later = dayOf(Date.parse(`${readSnapshot(doc).cards[cardId]!.target!.day}T00:00:00Z`) + 3 * DAY);
							cmd().setTarget(cardId, later);
							cmd().setDue(cardId, later);
						}
						if (blockFor) cmd().setBlocked(cardId, 'Waiting for input from product');
					}
				});
				if (blockFor) steps.push({ at: hop.at + blockFor, run: () => ((actor = mover), readSnapshot(doc).cards[cardId]?.blocked && cmd().setBlocked(cardId, null)) });
			}
			if (published < end && random() < 0.5) {
				steps.push({ at: Math.min(end - HOUR, published + 5 * DAY), run: () => ((actor = who), cmd().setArchived(cardId, true)) });
			}
		}
	}
	const licenceAddedAt = Math.min(...designExits.filter((t) => t >= defaultRangeStart)) + 60_000;
	steps.push({ at: Math.min(licenceAddedAt, end - HOUR), run: () => ((actor = ids[0]!), cmd().addExitCriterion(flow[4]!, 'Image licences recorded')) });
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
	// The levels the hourly risk check would find, so the portfolio counts the posts at risk at first look. Nobody is
	// told: these are the demo's made-up past, not news.
	await checkRiskLevels({ db, notify: async () => null }, boardId, readBoard(doc, { kind: 'cards' }) as CardsReading, new Date(end));
	// Last step: the team template, the target and the real name; from here on the demo counts as complete.
	const workflow = readBoard(doc, { kind: 'workflow' });
	await finishDemoBoard(db, boardId, ids[0]!, { name: BOARD_NAME, stages: workflow.stages, process: workflow.process, teamRoles: roles.map((r) => r.name) }, new Date(start));
	const snapshot = readSnapshot(doc);
	console.log(`Created "${BOARD_NAME}" with ${Object.keys(snapshot.cards).length} cards and ${steps.length} changes of history.`);
	console.log(login);
} finally {
	await database.close();
}
