import { connectClient, type BenchClient, type Endpoint } from './client.ts';

/** A board (room) and how to reach it. */
export interface RoomTarget {
	endpoint: Endpoint;
	room: string;
}

const open: BenchClient[] = [];

/**
 * Opens `perRoom` synced clients on each room, `parallel` handshakes at a time, and keeps them open
 * (presence on, no edits) until `closeIdle`. Returns how many synced and how long it took.
 */
export async function openIdle(rooms: RoomTarget[], perRoom: number, parallel = 100): Promise<{ opened: number; ms: number; reconnects: number }> {
	const started = performance.now();
	const wanted: RoomTarget[] = [];
	for (let i = 0; i < perRoom; i++) wanted.push(...rooms);
	for (let i = 0; i < wanted.length; i += parallel) {
		const batch = wanted.slice(i, i + parallel).map((t) => connectClient(t.endpoint, t.room));
		open.push(...batch);
		await Promise.all(batch.map((c) => c.synced(60_000)));
	}
	return { opened: open.length, ms: Math.round(performance.now() - started), reconnects: reconnects() };
}

/** Close events seen by the open clients so far (an idle client should see none). */
export function reconnects(): number {
	return open.reduce((sum, c) => sum + c.closes, 0);
}

/** Disconnects every client `openIdle` opened. */
export function closeIdle(): { closed: number; reconnects: number } {
	const seen = reconnects();
	const closed = open.length;
	for (const c of open.splice(0)) c.destroy();
	return { closed, reconnects: seen };
}
