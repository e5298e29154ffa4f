import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';
import { idSet } from '../card-subset.ts';
import type { Range } from '../../board/metrics/flow.ts';
import type { HandoffLane } from '../../board/portfolio.ts';

const HOUR = 3_600_000;

/**
 * Cross-team hand-offs between the given boards (both ends among them), made in `range`, one lane per pair of boards,
 * most hand-offs first. **Pick-up** is the receiving card's first move (out of the stage it arrived in) or first owner
 * added, whichever came first, made by a person: a rule's or the process's own assignment is not someone taking the
 * work up. **Done** is the card's first arrival in a done stage of the receiving board (as lead time counts it).
 * Both are counted up to now, whenever they happened; cards not there yet count only in `handedOff`.
 */
export async function readHandoffs(db: Db, boardIds: readonly string[], range: Range): Promise<HandoffLane[]> {
	if (boardIds.length < 2) return [];
	const boards = idSet(boardIds);
	const rows = await selectRows<{ from_board_id: string; to_board_id: string; n: number; picked: number; done: number; pickup: (number | null)[] | null; finish: (number | null)[] | null }>(
		db,
		sql`
		with links as (
			select l.from_board_id, l.to_board_id, (date_part('epoch', l.created_at) * 1000)::bigint as t,
				(select (date_part('epoch', min(e.at)) * 1000)::bigint from card_events e
					where e.board_id = l.to_board_id and e.card_id = l.to_card_id and e.at >= l.created_at
						and e.type in ('moved', 'owner_added') and e.rule_id is null and coalesce(e.data->>'via', '') <> 'process') as picked_t,
				(select min(f.finished_t) from card_flow f where f.board_id = l.to_board_id and f.card_id = l.to_card_id and f.finishing) as done_t
			from card_links l
			where l.to_board_id in ${boards} and l.from_board_id in ${boards}
				and l.created_at >= ${new Date(range.from).toISOString()}::timestamptz and l.created_at < ${new Date(range.to).toISOString()}::timestamptz
		)
		-- percentile_disc skips nulls: the cards not picked up or not done yet.
		select from_board_id, to_board_id, count(*)::int as n, count(picked_t)::int as picked, count(done_t)::int as done,
			percentile_disc(array[0.5, 0.85]) within group (order by picked_t - t) as pickup,
			-- A card created straight into a done stage finished at its hand-off (the link is stored just after it);
			-- greatest() alone would turn a card not done yet (null) into 0.
			percentile_disc(array[0.5, 0.85]) within group (order by case when done_t is not null then greatest(done_t - t, 0) end) as finish
		from links
		group by 1, 2
		order by n desc, 1, 2`
	);
	const hours = (list: (number | null)[] | null, i: number) => (list?.[i] == null ? null : Number(list[i]) / HOUR);
	return rows.map((r) => ({
		fromBoardId: r.from_board_id,
		toBoardId: r.to_board_id,
		handedOff: Number(r.n),
		pickedUp: Number(r.picked),
		done: Number(r.done),
		pickupP50: hours(r.pickup, 0),
		pickupP85: hours(r.pickup, 1),
		doneP50: hours(r.finish, 0),
		doneP85: hours(r.finish, 1)
	}));
}
