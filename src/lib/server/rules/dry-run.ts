import { and, asc, eq, gte } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { cardEvents } from '../db/schema/history.ts';
import { boardActivity } from '../db/schema/activity.ts';
import { isTimedTrigger, type RuleDefinition } from '../../board/rules/definition.ts';
import { failedCondition, triggerMatches, type TriggerEvent } from '../../board/rules/match.ts';
import { RuleActionError, planActions } from '../../board/rules/plan-actions.ts';
import { boardMemberNames, boardRoles } from './store.ts';
import { timedFirings } from './dry-run-timed.ts';
import type { Card } from '../../board/types.ts';

/** One thing the rule would have done: when, to which card, and what (or why it could not). */
export interface DryRunEntry {
	at: Date;
	cardId: string;
	title: string;
	actions: string[];
	error: string | null;
}

const DAYS = 30;

/**
 * What `definition` would have done over the board's last 30 days of history: its stored changes replayed in order
 * through the same matcher, conditions and action planner the engine uses. A condition on the card's stage is judged
 * where the card was at that moment; the other conditions (labels, owners, blocked, target date) on the card as it is
 * now, since history does not keep every field. Timed triggers replay the whole history hour by hour (see
 * dry-run-timed.ts): a card's stage, due date, last move and archiving as they then were. Changes made by rules count
 * only when the rule allows re-triggering, as they would.
 */
export async function dryRun(ctx: AppContext, boardId: string, definition: RuleDefinition): Promise<DryRunEntry[]> {
	const timed = isTimedTrigger(definition.trigger);
	const since = new Date(ctx.clock.now().getTime() - DAYS * 86_400_000);
	const [events, activity, reading, roles, members] = await Promise.all([
		// A timed replay needs every card's state when the window opens, so its whole history.
		ctx.db
			.select()
			.from(cardEvents)
			.where(and(eq(cardEvents.boardId, boardId), ...(timed ? [] : [gte(cardEvents.at, since)])))
			.orderBy(asc(cardEvents.at), asc(cardEvents.id)),
		ctx.db.select().from(boardActivity).where(and(eq(boardActivity.boardId, boardId), eq(boardActivity.kind, 'labels_changed'), gte(boardActivity.at, since))).orderBy(asc(boardActivity.at), asc(boardActivity.id)),
		ctx.documents.readBoard(boardId, { kind: 'cards' }),
		boardRoles(ctx.db, boardId),
		boardMemberNames(ctx.db, boardId)
	]);
	const replay: (TriggerEvent & { at: Date; ruleId: string | null })[] = [
		...events.map((e) => ({ type: e.type, cardId: e.cardId, fromStageId: e.fromStageId, toStageId: e.toStageId, at: e.at, ruleId: e.ruleId })),
		...activity.map((a) => ({ type: a.kind, cardId: a.cardId, at: a.at, ruleId: a.ruleId }))
	].sort((a, b) => a.at.getTime() - b.at.getTime());
	const cards = new Map(reading.cards.map((c) => [c.id, c]));
	const roleHolders = Object.fromEntries(roles.map((r) => [r.id, r.holders]));
	const names = Object.fromEntries(members.map((m) => [m.id, m.name]));
	const out: DryRunEntry[] = [];
	/** The entry for the rule acting on `then` at `at`, unless a condition stops it. */
	const act = (at: Date, then: Card) => {
		if (failedCondition(definition.conditions, then, { stages: reading.stages, roleHolders })) return;
		try {
			const plan = planActions(definition.actions, then, { stages: reading.stages, roleHolders, labels: reading.process.labels, names, now: at, timeZone: reading.process.timeZone });
			out.push({ at, cardId: then.id, title: then.title, actions: plan.summary, error: null });
		} catch (err) {
			if (!(err instanceof RuleActionError)) throw err;
			out.push({ at, cardId: then.id, title: then.title, actions: [], error: err.message });
		}
	};
	if (timed) {
		for (const firing of timedFirings(definition.trigger, events, cards, reading.process.timeZone, since.getTime(), ctx.clock.now().getTime())) act(firing.at, firing.card);
		return out;
	}
	const stageAt = new Map<string, string>();
	const seen = new Set<string>();
	for (const event of replay) {
		if (!event.cardId) continue;
		if (event.toStageId) stageAt.set(event.cardId, event.toStageId);
		if (event.ruleId && !definition.allowRetrigger) continue;
		if (!triggerMatches(definition.trigger, event)) continue;
		const now = cards.get(event.cardId);
		if (!now) continue;
		// The engine fires once per rule, card and transaction: changes stamped the same instant are one.
		const key = `${event.cardId}@${event.at.getTime()}`;
		if (seen.has(key)) continue;
		seen.add(key);
		act(event.at, { ...now, stageId: stageAt.get(event.cardId) ?? now.stageId });
	}
	return out;
}
