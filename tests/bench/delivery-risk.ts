/**
 * Times the delivery-risk computation (risksOf) for a 1,000-card board with eight stages and 300 past stays each:
 * `node --import tsx tests/bench/delivery-risk.ts`. Reports the median of 20 runs after 3 warm-ups.
 */
import { risksOf } from '../../src/lib/server/process-review/risk.ts';
import { mulberry32 } from '../helpers/prng.ts';
import type { Card, Stage } from '../../src/lib/board/types.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-11-20T12:00:00Z');
const rng = mulberry32(11);
const kinds: Stage['kind'][] = ['queue', 'active', 'wait', 'active', 'wait', 'active', 'active', 'done'];
const stages: Stage[] = kinds.map((kind, i) => ({
	id: `s${i}`, name: `Stage ${i}`, rank: `a${i}`, kind, wipLimit: null, wipMode: 'soft', exitCriteria: [],
	step: kind === 'done' || kind === 'queue' ? null : { ownerRole: null, offset: 14 - i * 2, unit: 'working', approval: null }
}));
const stays = new Map(stages.map((s) => [s.id, Array.from({ length: 300 }, () => Math.floor(rng.next() * 6 * DAY)).sort((a, b) => a - b)]));
const cards = Array.from({ length: 1000 }, (_, i): Card => ({
	id: `card-${i}`, title: `Card ${i}`, description: '', stageId: `s${Math.floor(rng.next() * 7)}`, rank: 'a0', owners: [], due: null, labels: [], blocked: null,
	checklist: [], exitChecks: {}, movedAt: new Date(now - Math.floor(rng.next() * 5 * DAY)).toISOString(), archived: false,
	target: { day: new Date(now + Math.floor(rng.next() * 40 * DAY)).toISOString().slice(0, 10), at: new Date(now).toISOString() },
	stepDues: {}, handoff: null, signoffs: {}
}));
const board = { stages, process: { timeZone: 'Europe/Berlin', teamRoles: {}, labels: [], checklist: [] }, cards };
const times: number[] = [];
for (let run = 0; run < 23; run++) {
	const start = performance.now();
	risksOf(board, stays, now);
	if (run >= 3) times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(`delivery risk, 1,000 open cards × 500 trials: median ${times[10]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
