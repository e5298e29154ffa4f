import { sql } from 'drizzle-orm';
import { selectRows, type Db } from './db/client.ts';
import { idSet, inCards } from './card-subset.ts';
import { automationShare, type AutomationDay, type AutomationShare } from '../board/metrics/automation.ts';
import type { Range } from '../board/metrics/flow.ts';

/**
 * The automation share of a board over `range`, from what the server recorded: assignments (`owner_added`), moves and
 * due dates set (`due_changed`, `target_changed`) in `card_events`, and the notifications Flowdeck sent about the
 * board (with, on a restored board, those its original sent). A rule's work carries its `rule_id`; the process's hand-offs say `via: 'process'`; everything else is a
 * person's. Notifications are the board's own work (rules' messages count as rules'), except mentions, which a person
 * wrote. `cardIds` counts only the work on those cards (a filter's matches; notifications about no card drop out).
 */
export async function readAutomationShare(db: Db, boardId: string, range: Range, cardIds: readonly string[] | null = null): Promise<AutomationShare> {
	const days = await readAutomationDays(db, [boardId], range, cardIds);
	return automationShare(days.get(boardId) ?? [], range);
}

/**
 * The counted actions per board and UTC day over `range`, for several boards in one statement (the portfolio asks
 * for all of a user's boards at once); boards without any counted action are absent. Counted as `readAutomationShare`.
 */
export async function readAutomationDays(db: Db, boardIds: readonly string[], range: Range, cardIds: readonly string[] | null = null): Promise<Map<string, AutomationDay[]>> {
	const out = new Map<string, AutomationDay[]>();
	if (boardIds.length === 0) return out;
	const cards = inCards(cardIds);
	const boards = idSet(boardIds);
	const from = new Date(range.from).toISOString();
	const to = new Date(range.to).toISOString();
	const rows = await selectRows<{ board_id: string; day: number; total: number; by_rules: number; by_process: number }>(
		db,
		sql`
		select board_id, day, sum(total)::int as total, sum(by_rules)::int as by_rules, sum(by_process)::int as by_process from (
			select board_id, floor(extract(epoch from at) / 86400)::int as day, count(*) as total,
				count(*) filter (where rule_id is not null) as by_rules,
				count(*) filter (where rule_id is null and data->>'via' = 'process') as by_process
			from card_events
			where board_id in ${boards}${cards} and at >= ${from}::timestamptz and at < ${to}::timestamptz
				and type in ('owner_added', 'moved', 'due_changed', 'target_changed')
			group by 1, 2
			union all
			select board_id, floor(extract(epoch from created_at) / 86400)::int, count(*),
				count(*) filter (where rule_id is not null and rule_id <> 'process'),
				count(*) filter (where (rule_id is null or rule_id = 'process') and kind <> 'mention')
			-- A restored board's original's notifications count as they did there (see restored-notifications.ts).
			from (select board_id, card_id, kind, rule_id, created_at from notifications
				union all select board_id, card_id, kind, rule_id, created_at from restored_notifications) sent
			where board_id in ${boards}${cards} and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
			group by 1, 2
		) counted
		group by board_id, day`
	);
	for (const r of rows) {
		const day: AutomationDay = { day: Number(r.day), total: Number(r.total), byRules: Number(r.by_rules), byProcess: Number(r.by_process) };
		const list = out.get(r.board_id);
		if (list) list.push(day);
		else out.set(r.board_id, [day]);
	}
	return out;
}
