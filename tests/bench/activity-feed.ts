// Measures the activity feed on a long history: node --import tsx tests/bench/activity-feed.ts [pglite|postgres]
// (postgres needs TEST_DATABASE_URL). 60,000 card events and 60,000 audit entries by 8 people on 2,000 cards.
import { sql } from 'drizzle-orm';
import { openTestDatabase, type DbKind } from '../helpers/db.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { readFeed, type FeedCursor } from '../../src/lib/server/activity/feed.ts';
import { nameCache, presentFeed } from '../../src/lib/server/activity/present.ts';
import { insertActivity } from '../../src/lib/server/activity/write.ts';

const kind = (process.argv[2] ?? 'pglite') as DbKind;
const database = await openTestDatabase(kind);
const { db } = database;
const people: string[] = [];
for (let i = 0; i < 8; i++) people.push(await signUp(db, { name: `Person ${i}`, email: `p${i}-${Date.now()}@example.com`, password: 'plum-orbit-cactus-91' }, new Date()));
const boardId = await createBoard(db, people[0]!, 'Long history', new Date());
const N = 60_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');
await db.execute(sql`insert into card_events (board_id, card_id, type, at, actor_id, from_stage_id, to_stage_id, data)
	select ${boardId}, 'card' || (i % 2000), case when i % 5 = 0 then 'created' else 'moved' end, to_timestamp((${t0}::bigint + i::bigint * 60000)::double precision / 1000),
		'x', 's1', 's2', jsonb_build_object('title', 'Card ' || (i % 2000)) from generate_series(1, ${N}) as i`);
await db.execute(sql`update card_events set actor_id = (array[${sql.join(people.map((p) => sql`${p}`), sql`, `)}])[1 + id % 8] where board_id = ${boardId}`);
await db.execute(sql`insert into board_activity (board_id, at, actor_id, kind, card_id, stage_id, data)
	select ${boardId}, to_timestamp((${t0}::bigint + i::bigint * 60000 + 30000)::double precision / 1000), 'x',
		case when i % 10 = 0 then 'stage_renamed' else 'title_changed' end, case when i % 10 = 0 then null else 'card' || (i % 2000) end, null,
		case when i % 10 = 0 then jsonb_build_object('from', 'A', 'to', 'B') else jsonb_build_object('from', 'Old', 'to', 'Card ' || (i % 2000)) end
	from generate_series(1, ${N}) as i`);
await db.execute(sql`update board_activity set actor_id = (array[${sql.join(people.map((p) => sql`${p}`), sql`, `)}])[1 + id % 8] where board_id = ${boardId}`);
await db.execute(sql`analyze`);

async function time(label: string, fn: () => Promise<unknown>, runs = 5) {
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const s = performance.now();
		await fn();
		ms.push(performance.now() - s);
	}
	ms.sort((a, b) => a - b);
	console.log(`${kind} ${label}: median ${ms[Math.floor(runs / 2)]!.toFixed(1)} ms (min ${ms[0]!.toFixed(1)}, max ${ms.at(-1)!.toFixed(1)})`);
}
const deep: FeedCursor = { atMs: t0 + 1000 * 60000, src: 'e', id: 1000 };
await time('first page (50)', () => readFeed(db, boardId, {}, { limit: 50 }));
await time('page 110,000 entries deep', () => readFeed(db, boardId, {}, { before: deep, limit: 50 }));
await time('first page, one person', () => readFeed(db, boardId, { actorId: people[3] }, { limit: 50 }));
await time('first page, stages only', () => readFeed(db, boardId, { kind: 'stage' }, { limit: 50 }));
await time('first page, one card', () => readFeed(db, boardId, { cardId: 'card7' }, { limit: 50 }));
const page = await readFeed(db, boardId, {}, { limit: 50 });
await time('sentences for a page (names, titles)', () => presentFeed(db, boardId, page.rows));
await time(
	'CSV export’s work: 120,000 entries as sentences, pages of 2,000',
	async () => {
		let before: FeedCursor | null = null;
		let n = 0;
		const names = nameCache();
		do {
			const p: Awaited<ReturnType<typeof readFeed>> = await readFeed(db, boardId, {}, { before, limit: 2000 });
			n += (await presentFeed(db, boardId, p.rows, names)).length;
			before = p.next;
		} while (before);
		if (n !== 2 * N) throw new Error(`read ${n}`);
	},
	1
);
const at = new Date();
await time(
	'one description edit merged into its minute (upsert)',
	() => insertActivity(db, [{ boardId, at, actorId: people[1]!, kind: 'description_edited', cardId: 'card1', stageId: null, data: { edits: 1, inserted: 1, deleted: 0 } }]),
	20
);
await database.close();
