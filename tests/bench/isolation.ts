import { loadavg } from 'node:os';
import { MAX_CONCURRENT_AT_ONE_SPOT } from '../../server/sync/update-guard.ts';
import { createBoard, inviteMembers, signUpAccounts, type BenchBoard } from './accounts.ts';
import type { AttackFigures, AttackStream } from './attacker.ts';
import { startDriver } from './driver-client.ts';
import { summarizeFanout } from './fanout.ts';
import { SOCKETS_PER_USER, ourEndpoint, probeFigures, probed, profiled, type PhaseContext } from './phases.ts';
import type { FanoutEntry } from './report.ts';
import { sleep } from './stats.ts';

/** The fan-out on board A during one window, with the machine's load around it. */
export type IsolationWindow = FanoutEntry & {
	/** 1-minute load average when the window started and when it ended. */
	load_average_1min: [number, number];
};

/** `results.json` "isolation": other boards' fan-out while one member attacks their own board. */
export interface IsolationResult {
	clients: number;
	rate: number;
	seconds: number;
	baseline: IsolationWindow;
	/** While the attacker sends only what the guards refuse (the crafted frame, wrong-type values). */
	refused_only: IsolationWindow & { attacker: AttackFigures };
	/** While the attacker sends all three streams, the accepted crowded updates too: what the target is read on. */
	attack: IsolationWindow & { attacker: AttackFigures };
	/** Top functions by self time on our server during the attack window (BENCH_PROFILE=1). */
	attack_profile?: { file: string; top: { fn: string; ms: number; pct: number }[] };
	conditions?: Record<string, unknown>;
}

/** What the isolation phase needs of a run (no reference server: it has no guards to measure). */
export type IsolationContext = Pick<PhaseContext, 'cfg' | 'driver' | 'ours' | 'accounts' | 'stamp' | 'log'>;

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Fan-out on a board A (clients spread over accounts as in the fan-out phase) three times after a short warm-up, each on a fresh board:
 * alone; while a newly signed-up user sends into their own board B, from another driver process, what the guards
 * refuse; and while they send that and accepted crowded updates too. Each attack starts a little before A's
 * clients connect and ends when A's sending window has ended.
 */
export async function isolationPhase(ctx: IsolationContext): Promise<IsolationResult> {
	const { cfg, driver, ours, accounts } = ctx;
	const c = cfg.isolation;
	const [attacker] = await signUpAccounts(ours.url, 1);
	const attackerBoard = await createBoard(attacker!, 'Attacker board');
	const members = accounts.slice(0, Math.ceil(c.clients / SOCKETS_PER_USER));
	// Both of A's boards exist before the attack starts: only the sync path is under test, not sign-up or HTTP.
	const boards: BenchBoard[] = [];
	for (const label of ['warm-up', 'baseline', 'refused frames', 'under attack']) {
		const board = await createBoard(accounts[0]!, `Isolation ${label}`);
		await inviteMembers(accounts[0]!, board, members.slice(1));
		boards.push(board);
	}
	const fanout = async (board: BenchBoard, seconds = c.seconds) => {
		const load = loadavg()[0]!;
		const { result, probe } = await probed(ctx, ours, () =>
			driver.call('fanout', {
				endpoints: members.map((m) => ourEndpoint(ours, m.cookie)),
				room: board.boardId,
				clients: c.clients,
				rate: c.rate,
				seconds,
				warmupMoves: c.warmupMoves,
				cards: c.cards
			})
		);
		return { ...summarizeFanout([result]), ...probeFigures([probe]), load_average_1min: [round2(load), round2(loadavg()[0]!)] } as IsolationWindow;
	};

	// Not counted: in a fresh server and driver (`--only=isolation`) the first fan-out also pays for their JIT warm-up.
	await fanout(boards[0]!, 3);
	await ours.collectGarbage();
	await sleep(1_000);
	const baseline = await fanout(boards[1]!);
	ctx.log(`isolation baseline: board A p50 ${baseline.p50_ms} / p99 ${baseline.p99_ms} / max ${baseline.max_ms} ms, ${baseline.lost} lost (loop p99 ${baseline.server_loop_delay_p99_ms} ms)`);

	const attackDriver = startDriver();
	const underAttack = async (label: string, board: BenchBoard, streams: AttackStream[]) => {
		await ours.collectGarbage();
		await sleep(1_000);
		await attackDriver.call('startAttack', {
			baseUrl: ours.url,
			boardId: attackerBoard.boardId,
			cookie: attacker!.cookie,
			craftedInserts: c.craftedInserts,
			crowdedInserts: MAX_CONCURRENT_AT_ONE_SPOT,
			crowdedRate: c.crowdedRate,
			streams
		});
		await sleep(c.attackLeadSeconds * 1000);
		const { result: window, profile } = await profiled(ctx, ours, `isolation-${streams.join('-')}`, () => fanout(board));
		const a = await attackDriver.call('stopAttack', {});
		ctx.log(
			`isolation, ${label}: board A p50 ${window.p50_ms} / p99 ${window.p99_ms} / max ${window.max_ms} ms, ${window.lost} lost (loop p99 ${window.server_loop_delay_p99_ms} ms); ` +
				`attacker sent ${a.crafted.frames} crafted, ${a.poison.frames} wrong-type, ${a.crowded.frames} crowded frames (${a.crowded.updates_integrated} integrated)`
		);
		return { window: { ...window, attacker: a }, profile };
	};
	try {
		const refused = await underAttack('refused frames only', boards[2]!, ['crafted', 'poison']);
		const all = await underAttack('under attack', boards[3]!, ['crafted', 'poison', 'crowded']);
		return {
			clients: c.clients,
			rate: c.rate,
			seconds: c.seconds,
			baseline,
			refused_only: refused.window,
			attack: all.window,
			...(all.profile ? { attack_profile: all.profile } : {})
		};
	} finally {
		attackDriver.stop();
	}
}
