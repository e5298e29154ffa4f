import type { AppContext } from '../../src/lib/server/context.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import type { RoomExtensionFactory } from '../sync/room-extension.ts';
import { RULE_FIRE_JOB, RULE_SWEEP_JOB, RuleEngine, SWEEP_EVERY_MS } from './rule-engine.ts';
import type { RunOutcome } from '../../src/lib/server/rules/store.ts';

type Log = (message: string, err?: unknown) => void;

/** The rules' two halves: the room extension (built before the context) and the engine started with it. */
export interface RulesInstaller {
	/** Hands each room's changes to the engine (none for a read-only board). */
	extension: RoomExtensionFactory;
	/** Builds the engine, registers its jobs and hooks, and queues the timed rules’ sweeps when any exist. */
	start(ctx: AppContext, jobs: JobRunner): RuleEngine;
}

const engines = new WeakMap<AppContext, RuleEngine>();

/** The rule engine of a running app (tests wait on it). */
export function ruleEngineOf(ctx: AppContext): RuleEngine | undefined {
	return engines.get(ctx);
}

/** The slot a sweep runs in (so two processes queue one sweep per slot). */
const slotOf = (ms: number): Date => new Date(Math.floor(ms / SWEEP_EVERY_MS) * SWEEP_EVERY_MS);

/** Wires automation rules into the server: `extension` goes to the RoomRegistry, `start` once the context exists; `onRun` hears each run's outcome. */
export function rulesInstaller(log: Log, onRun?: (outcome: RunOutcome) => void): RulesInstaller {
	let engine: RuleEngine | null = null;
	return {
		extension: (room) => (room.readOnly ? {} : { onChange: (_update, changes) => engine?.changed(room.boardId, changes) }),
		start(ctx, jobs) {
			const started = new RuleEngine(ctx, log, onRun);
			engine = started;
			engines.set(ctx, started);
			const queueSweep = (at: Date) => jobs.enqueue({ kind: RULE_SWEEP_JOB, runAt: at, key: `rules.sweep:${at.toISOString()}` });
			// Sweeps chain themselves only while a timed rule is on, so a server without one queues no work every 5 minutes.
			// Saving a rule (or starting) restarts the chain: this slot's sweep (if it has not run) and the next one's
			// (keyed, so a live chain is not doubled).
			const ensureSweeps = async () => {
				if (!(await started.hasTimedRules())) return;
				const now = ctx.clock.now().getTime();
				await queueSweep(slotOf(now));
				await queueSweep(slotOf(now + SWEEP_EVERY_MS));
			};
			const restartSweeps = () => void ensureSweeps().catch((err: unknown) => log('Could not queue the timed rules’ sweep.', err));
			ctx.rules = {
				invalidate: async (boardId) => {
					started.invalidate(boardId);
					await ensureSweeps();
				},
				checkBroken: (boardId) => started.checkBroken(boardId)
			};
			jobs.handle(RULE_SWEEP_JOB, async () => {
				if (await started.sweep()) await queueSweep(slotOf(ctx.clock.now().getTime() + SWEEP_EVERY_MS));
			});
			jobs.handle(RULE_FIRE_JOB, (job) => started.fireQueued(job.payload));
			restartSweeps();
			return started;
		}
	};
}
