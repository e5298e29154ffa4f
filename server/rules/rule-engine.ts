import { eq } from 'drizzle-orm';
import { boards } from '../../src/lib/server/db/schema/boards.ts';
import type { AppContext } from '../../src/lib/server/context.ts';
import type { BoardChange } from '../../src/lib/board/changes.ts';
import type { ServerOrigin } from '../../src/lib/board/doc/origins.ts';
import { isCommandRefusal } from '../../src/lib/server/board-documents.ts';
import { rules as rulesTable } from '../../src/lib/server/db/schema/automation.ts';
import { MAX_RULE_DEPTH, isTimedTrigger } from '../../src/lib/board/rules/definition.ts';
import { brokenReason } from '../../src/lib/board/rules/validate.ts';
import { failedCondition, timedOccurrence, triggerMatches, wallClock } from '../../src/lib/board/rules/match.ts';
import { RuleActionError, planActions } from '../../src/lib/board/rules/plan-actions.ts';
import { boardMemberNames, boardRoles, listRules, logRun, markBroken, type RuleRecord, type RunOutcome } from '../../src/lib/server/rules/store.ts';
import { runEffect } from './rule-effects.ts';

/** Job kind: one timed rule acting on one card (keyed, so each occurrence fires once). */
export const RULE_FIRE_JOB = 'rules.fire';
/** Job kind: look for timed rules that are due (re-queues itself). */
export const RULE_SWEEP_JOB = 'rules.sweep';
/** How often timed rules are looked at. */
export const SWEEP_EVERY_MS = 5 * 60_000;

type Log = (message: string, err?: unknown) => void;

/**
 * Runs a board's automation rules: event rules from the change feed (the room extension hands changes over), timed
 * rules from the job queue. Work for one board runs one firing at a time, in the order changes arrived; a rule's own
 * changes come back through the feed and may fire rules one level deeper (only when it allows re-triggering), until
 * depth 10, where the chain is stopped and logged as a loop.
 */
export class RuleEngine {
	private readonly cache = new Map<string, Promise<RuleRecord[]>>();
	private readonly queues = new Map<string, Promise<void>>();

	constructor(
		private readonly ctx: AppContext,
		private readonly log: Log,
		/** Told each run's outcome (metrics). */
		private readonly onRun?: (outcome: RunOutcome) => void
	) {}

	/** Forgets a board's cached rules (saved, switched or deleted). */
	invalidate(boardId: string): void {
		this.cache.delete(boardId);
	}

	/** The board's rules (cached until invalidated). */
	rulesOf(boardId: string): Promise<RuleRecord[]> {
		let rules = this.cache.get(boardId);
		if (!rules) {
			rules = listRules(this.ctx.db, boardId);
			this.cache.set(boardId, rules);
			rules.catch(() => this.cache.delete(boardId));
		}
		return rules;
	}

	/** Changes the board applied: queued behind the board's earlier work. */
	changed(boardId: string, changes: readonly BoardChange[]): void {
		if (!changes.some((c) => 'cardId' in c && c.cardId) && !changes.some((c) => c.type === 'stage_deleted')) return;
		this.enqueue(boardId, () => this.handle(boardId, changes));
	}

	/** Resolves once the board's queued rule work is done (tests, shutdown). */
	async idle(boardId?: string): Promise<void> {
		for (;;) {
			const pending = boardId ? [this.queues.get(boardId)].filter(Boolean) : [...this.queues.values()];
			if (pending.length === 0) return;
			await Promise.all(pending);
		}
	}

	private enqueue(boardId: string, work: () => Promise<void>): void {
		const next = (this.queues.get(boardId) ?? Promise.resolve()).then(() =>
			work().catch((err: unknown) => {
				if ((err as Error | null)?.name === 'RoomUnavailableError') return;
				this.log(`board ${boardId}: automation rules failed`, err);
			})
		);
		this.queues.set(boardId, next);
		void next.then(() => {
			if (this.queues.get(boardId) === next) this.queues.delete(boardId);
		});
	}

	private async handle(boardId: string, changes: readonly BoardChange[]): Promise<void> {
		const all = await this.rulesOf(boardId);
		if (changes.some((c) => c.type === 'stage_deleted')) await this.checkBroken(boardId, all);
		const live = all.filter((r) => r.enabled && !isTimedTrigger(r.definition.trigger));
		if (live.length === 0) return;
		const byId = new Map(all.map((r) => [r.id, r]));
		// One firing per rule and card per transaction (an owner swap is a removal and an addition).
		const firings = new Map<string, { rule: RuleRecord; cardId: string; depth: number }>();
		for (const change of changes) {
			if (change.type === 'stage' || !change.cardId) continue;
			let depth = 0;
			if (change.ruleId) {
				if (!(await this.allowsRetrigger(change.ruleId, byId))) continue;
				depth = (change.ruleDepth ?? 0) + 1;
			}
			const event = { type: change.type, cardId: change.cardId, fromStageId: 'fromStageId' in change ? change.fromStageId : null, toStageId: 'toStageId' in change ? change.toStageId : null };
			for (const rule of live) {
				if (!triggerMatches(rule.definition.trigger, event)) continue;
				const key = `${rule.id}/${change.cardId}`;
				if (!firings.has(key)) firings.set(key, { rule, cardId: change.cardId, depth });
			}
		}
		for (const { rule, cardId, depth } of firings.values()) await this.fire(rule, cardId, depth);
	}

	/** Whether rule `ruleId`'s changes may trigger rules: a rule of this board, or of another (a linked card it created). */
	private async allowsRetrigger(ruleId: string, byId: Map<string, RuleRecord>): Promise<boolean> {
		const own = byId.get(ruleId);
		if (own) return own.definition.allowRetrigger;
		const [row] = await this.ctx.db.select({ definition: rulesTable.definition }).from(rulesTable).where(eq(rulesTable.id, ruleId));
		return (row?.definition as { allowRetrigger?: unknown } | undefined)?.allowRetrigger === true;
	}

	/** Switches off (and reports) the enabled rules that name a stage, role or person the board no longer has. */
	async checkBroken(boardId: string, rules?: RuleRecord[]): Promise<void> {
		const list = (rules ?? (await this.rulesOf(boardId))).filter((r) => r.enabled);
		if (list.length === 0) return;
		const scope = await this.scope(boardId);
		for (const rule of list) {
			const reason = brokenReason(rule.definition, scope);
			if (reason) await this.breakRule(rule, reason);
		}
	}

	private async scope(boardId: string) {
		const [reading, roles, members] = await Promise.all([this.ctx.documents.readBoard(boardId, { kind: 'workflow' }), boardRoles(this.ctx.db, boardId), boardMemberNames(this.ctx.db, boardId)]);
		return { reading, roles, members, stages: reading.stages.map((s) => ({ id: s.id, name: s.name, isStep: Boolean(s.step) })) };
	}

	private async breakRule(rule: RuleRecord, reason: string): Promise<void> {
		const now = this.ctx.clock.now();
		const first = await markBroken(this.ctx.db, rule.id, reason, now);
		this.invalidate(rule.boardId);
		if (first && rule.createdBy) {
			await this.ctx.notify({ userId: rule.createdBy, kind: 'board_admin', title: `Rule “${rule.name}” was switched off`, body: `It points at something the board no longer has: ${reason}`, boardId: rule.boardId, ruleId: rule.id });
		}
	}

	/** Runs `rule` for one card at chain depth `depth` and writes its run log line; resolves with the outcome. */
	async fire(rule: RuleRecord, cardId: string, depth: number): Promise<RunOutcome> {
		const { db, clock, documents } = this.ctx;
		const boardId = rule.boardId;
		const run = async (outcome: RunOutcome, message: string) => {
			this.onRun?.(outcome);
			await logRun(db, { ruleId: rule.id, boardId, cardId, at: clock.now(), outcome, message, depth });
			return outcome;
		};
		if (depth >= MAX_RULE_DEPTH) return run('loop', `Stopped: a chain of rules reached depth ${MAX_RULE_DEPTH}.`);
		const [card, scope] = await Promise.all([documents.readBoard(boardId, { kind: 'card', cardId }), this.scope(boardId)]);
		if (!card.card) return run('skipped', 'The card is gone.');
		if (card.card.archived) return run('skipped', 'The card is archived.');
		const broken = brokenReason(rule.definition, scope);
		if (broken) {
			await this.breakRule(rule, broken);
			return run('error', `Switched off: ${broken}`);
		}
		const roleHolders = Object.fromEntries(scope.roles.map((r) => [r.id, r.holders]));
		const failed = failedCondition(rule.definition.conditions, card.card, { stages: card.stages, roleHolders });
		if (failed) return run('skipped', failed);
		const names = Object.fromEntries(scope.members.map((m) => [m.id, m.name]));
		const origin: ServerOrigin = { kind: 'automation', actorId: rule.createdBy, rule: { id: rule.id, depth } };
		try {
			const plan = planActions(rule.definition.actions, card.card, { stages: card.stages, roleHolders, labels: card.process.labels, names, now: clock.now(), timeZone: card.process.timeZone });
			if (plan.commands.length > 0) await documents.applyAsServer(boardId, origin, plan.commands);
			// Effects see the card as the rule left it (a notice to "the owners" reaches the owner it just assigned).
			const after = plan.commands.length > 0 && plan.effects.length > 0 ? ((await documents.readBoard(boardId, { kind: 'card', cardId })).card ?? card.card) : card.card;
			const stageName = card.stages.find((s) => s.id === after.stageId)?.name ?? '';
			const [board] = plan.effects.length > 0 ? await db.select({ name: boards.name }).from(boards).where(eq(boards.id, boardId)) : [];
			for (const effect of plan.effects) await runEffect(this.ctx, rule, effect, { boardId, boardName: board?.name ?? '', card: after, stageName, roleHolders, names, origin });
			return run('done', plan.summary.join(', '));
		} catch (err) {
			if (isCommandRefusal(err)) return run('refused', err.message);
			if (err instanceof RuleActionError) return run('error', err.message);
			this.log(`rule ${rule.id}: failed on card ${cardId}`, err);
			return run('error', err instanceof Error ? err.message : String(err));
		}
	}

	/** Looks at every enabled timed rule and queues a keyed firing for each card whose occasion came (once each). */
	async sweep(): Promise<boolean> {
		const now = this.ctx.clock.now();
		let any = false;
		for (const boardId of await this.boardsWithEnabledRules()) {
			const timed = (await this.rulesOf(boardId)).filter((r) => r.enabled && isTimedTrigger(r.definition.trigger));
			if (timed.length === 0) continue;
			any = true;
			// Loads the board's room when nobody has it open: timed work goes through the server command path.
			const reading = await this.ctx.documents.readBoard(boardId, { kind: 'cards' });
			const local = wallClock(now, reading.process.timeZone);
			const roleHolders = Object.fromEntries((await boardRoles(this.ctx.db, boardId)).map((r) => [r.id, r.holders]));
			for (const rule of timed) {
				for (const card of reading.cards) {
					const occasion = timedOccurrence(rule.definition.trigger, card, now, local);
					if (!occasion || failedCondition(rule.definition.conditions, card, { stages: reading.stages, roleHolders })) continue;
					await this.ctx.jobs.enqueue({ kind: RULE_FIRE_JOB, payload: { boardId, ruleId: rule.id, cardId: card.id }, key: `rule:${rule.id}:${card.id}:${occasion}` });
				}
			}
		}
		return any;
	}

	/** Whether any board has a timed rule switched on (the sweeps run only while one does). */
	async hasTimedRules(): Promise<boolean> {
		for (const boardId of await this.boardsWithEnabledRules()) {
			if ((await this.rulesOf(boardId)).some((r) => r.enabled && isTimedTrigger(r.definition.trigger))) return true;
		}
		return false;
	}

	private async boardsWithEnabledRules(): Promise<Set<string>> {
		const rows = await this.ctx.db.select({ boardId: rulesTable.boardId }).from(rulesTable).where(eq(rulesTable.enabled, true));
		return new Set(rows.map((r) => r.boardId));
	}

	/** A queued timed firing: the rule (if still on) acts on the card, at depth 0. */
	async fireQueued(payload: Record<string, unknown>): Promise<void> {
		const { boardId, ruleId, cardId } = payload as { boardId: string; ruleId: string; cardId: string };
		const rule = (await this.rulesOf(boardId)).find((r) => r.id === ruleId);
		if (!rule?.enabled) return;
		let done: Promise<RunOutcome> | undefined;
		// In the board's queue, so a timed firing never interleaves with the board's event firings.
		this.enqueue(boardId, () => (done = this.fire(rule, cardId, 0)).then(() => undefined));
		await this.idle(boardId);
		await done;
	}
}
