// The process review at scale, on the stats phase's 100,000-event board: what GET /api/boards/<id>/process computes
// for a member (the review, the missed-deadline review and every open card's delivery risk, and the JSON text), timed
// warm. The board's live document is stood in for by `liveBoard` (tests/helpers/process-board.ts).
import type { Database } from '../../src/lib/server/db/client.ts';
import { processReview } from '../../src/lib/server/process-review/index.ts';
import { missedDeadlineReview } from '../../src/lib/server/process-review/missed-deadlines.ts';
import { deliveryRisk } from '../../src/lib/server/process-review/risk.ts';
import { parseStatsQuery } from '../../src/lib/server/stats.ts';
import type { CardsReading } from '../../server/engine/board-reading.ts';
import { timeCalls, type RangeTiming } from './timed-calls.ts';

/** Times what the process route computes for `from`–`to` (inclusive days) on the generated board. */
export async function timeProcess(database: Database, board: CardsReading, boardId: string, now: Date, from: string, to: string, counts: { samples: number; warmups: number }): Promise<RangeTiming> {
	const call = async () => {
		const { range } = parseStatsQuery(new URLSearchParams({ from, to }), now);
		const [review, missedDeadlines, risk] = await Promise.all([
			processReview(database.db, boardId, range, { workflow: { stages: board.stages, timeZone: board.process.timeZone } }),
			missedDeadlineReview(database.db, boardId, range, board),
			deliveryRisk(database.db, boardId, now, board)
		]);
		return JSON.stringify({ ...review, missedDeadlines, risk });
	};
	return timeCalls(call, counts, from, to);
}
