// The load driver: a separate process from both servers, holding every benchmark client. The
// orchestrator (run.ts) calls it over the IPC channel: { id, method, params } → { id, result | error }.
import { startAttack, stopAttack, type AttackParams } from './attacker.ts';
import { runFanout, type FanoutParams } from './fanout.ts';
import { closeIdle, openIdle, type RoomTarget } from './idle.ts';
import { pushBoard, pushState, syncSamples } from './initial-sync.ts';
import { runSoak } from './soak.ts';
import type { Endpoint } from './client.ts';

/** The driver's methods and their parameters. */
export const driverMethods = {
	// Tells the orchestrator when the timed sending starts and ends, so it can watch the server meanwhile.
	fanout: (p: FanoutParams) => runFanout(p, (sending) => process.send?.({ event: sending ? 'sending' : 'sent' })),
	pushBoard: (p: { endpoint: Endpoint; room: string; cards: number; moves: number }) => pushBoard(p.endpoint, p.room, p.cards, p.moves),
	pushState: (p: { endpoint: Endpoint; room: string }) => pushState(p.endpoint, p.room),
	syncSamples: (p: { endpoint: Endpoint; room: string; samples: number; betweenMs: number; expectCards: number }) =>
		syncSamples(p.endpoint, p.room, p.samples, p.betweenMs, p.expectCards),
	openIdle: (p: { rooms: RoomTarget[]; perRoom: number }) => openIdle(p.rooms, p.perRoom),
	closeIdle: (_p: Record<string, never>) => Promise.resolve(closeIdle()),
	soak: (p: { rooms: RoomTarget[]; clients: number; seconds: number; rate: number }) => runSoak(p.rooms, p.clients, p.seconds, p.rate),
	// The isolation phase's attacker (in a driver process of its own): runs from start until stop.
	startAttack: (p: AttackParams) => startAttack(p),
	stopAttack: (_p: Record<string, never>) => stopAttack()
};

/** A call from the orchestrator. */
export type DriverMethod = keyof typeof driverMethods;

if (process.send) {
	// Thousands of providers each add a process 'exit' listener.
	process.setMaxListeners(0);
	process.on('message', (message: { id: number; method: DriverMethod; params: never }) => {
		const handler = driverMethods[message.method] as (p: unknown) => Promise<unknown>;
		handler(message.params).then(
			(result) => process.send!({ id: message.id, result }),
			(err: unknown) => process.send!({ id: message.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
		);
	});
	process.on('disconnect', () => process.exit(0));
}
