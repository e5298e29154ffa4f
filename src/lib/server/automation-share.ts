import { sql } from 'drizzle-orm';
import { selectRows, type Db } from './db/client.ts';
import { inCards } from './card-subset.ts';
import { automationShare, type AutomationShare } from '../board/metrics/automation.ts';
import type { Range } from '../board/metrics/flow.ts';

/**
 * The automation share of a board over `range`, from what the server recorded: assignments (`owner_added`), moves and
 * due dates set (`due_changed`, `target_changed`) in `card_events`, and the notifications Flowdeck sent about the
 * board. A rule's work carries its `rule_id`; the process's hand-offs say `via: 'process'`; everything else is a
 * person's. Notifications are the board's own work (rules' messages count as rules'), except mentions, which a person
 * wrote. `cardIds` counts only the work on those cards (a filter's matches; notifications about no card drop out).
 */
export async function readAutomationShare(db: Db, boardId: string, range: Range, cardIds: readonly string[] | null = null): Promise<AutomationShare> {
	const cards = inCards(cardIds);
	const from = new Date(range.from).toISOString();
	const to = new Date(range.to).toISOString();
	const rows = await selectRows<{ day: number; total: number; by_rules: number; by_process: number }>(
		db,
		sql`
		select day, sum(total)::int as total, sum(by_rules)::int as by_rules, sum(by_process)::int as by_process from (
			select floor(extract(epoch from at) / 86400)::int as day, count(*) as total,
				count(*) filter (where rule_id is not null) as by_rules,
				count(*) filter (where rule_id is null and data->>'via' = 'process') as by_process
			from card_events
			where board_id = ${boardId}${cards} and at >= ${from}::timestamptz and at < ${to}::timestamptz
				and type in ('owner_added', 'moved', 'due_changed', 'target_changed')
			group by 1
			union all
			select floor(extract(epoch from created_at) / 86400)::int, count(*),
				count(*) filter (where rule_id is not null and rule_id <> 'process'),
				count(*) filter (where (rule_id is null or rule_id = 'process') and kind <> 'mention')
			from notifications
			where board_id = ${boardId}${cards} and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
			group by 1
		) counted
		group by day`
	);
	return automationShare(
		rows.map((r) => ({ day: Number(r.day), total: Number(r.total), byRules: Number(r.by_rules), byProcess: Number(r.by_process) })),
		range
	);
}
