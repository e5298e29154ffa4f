import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';
import { idSet } from '../card-subset.ts';
import type { Range } from '../../board/metrics/flow.ts';

/** A board's finished work over a range, as the stats tab counts it (see docs/stats.md, "Deadlines" and "Lead time"). */
export interface BoardFlowFigures {
	/** Cards that first reached a done stage in the range. */
	throughput: number;
	/** Of those with a due date (a real calendar date) when they finished, how many finished by the end of its day. */
	withDue: number;
	onTime: number;
	/** Nearest-rank median of their lead time, hours; null when none finished. */
	leadTimeP50: number | null;
}

const HOUR = 3_600_000;

/**
 * The finished-work figures of several boards in one statement over `card_flow`'s finishing rows (one per finished
 * card, along `card_flow_finishing_idx`): the same counts and nearest-rank median (`percentile_disc`, as `summarize`)
 * the stats endpoint computes for each board alone. Boards with nothing finished in the range are absent.
 */
export async function readFlowFigures(db: Db, boardIds: readonly string[], range: Range): Promise<Map<string, BoardFlowFigures>> {
	const out = new Map<string, BoardFlowFigures>();
	if (boardIds.length === 0) return out;
	const rows = await selectRows<{ board_id: string; n: number; with_due: number; on_time: number; lead_p50: number | null }>(
		db,
		sql`
		select board_id, count(*)::int as n, count(deadline_t)::int as with_due,
			count(*) filter (where finished_t <= deadline_t)::int as on_time,
			percentile_disc(0.5) within group (order by finished_t - created_t) as lead_p50
		from card_flow
		where board_id in ${idSet(boardIds)}
			and finishing and finished_t >= ${Math.round(range.from)}::bigint and finished_t < ${Math.round(range.to)}::bigint
		group by board_id`
	);
	for (const r of rows) {
		out.set(r.board_id, {
			throughput: Number(r.n),
			withDue: Number(r.with_due),
			onTime: Number(r.on_time),
			leadTimeP50: r.lead_p50 === null ? null : Number(r.lead_p50) / HOUR
		});
	}
	return out;
}
