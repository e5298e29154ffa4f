import { CommandRefusedError } from '../sync/room.ts';
import { RoomElsewhereError, type RegistryCluster, type RoomRegistry } from '../sync/room-registry.ts';
import type { ServerOrigin } from '../../src/lib/board/doc/origins.ts';
import type { NamedCommand } from '../../src/lib/board/doc/named-commands.ts';
import type { BoardQuery } from '../engine/board-reading.ts';
import type { Cluster, ClusterMessage } from './cluster.ts';

/** How long a request may wait for a live owner before it fails (a dead owner fails it sooner). */
const REQUEST_TIMEOUT_MS = 30_000;
const WATCH_MS = 250;

interface Waiting {
	owner: string;
	resolve(value: unknown): void;
	reject(err: Error): void;
	started: number;
}

/**
 * The server command path and board reads across instances: a request goes to the board's owner, which runs it on
 * its room and answers. A refusal comes back as the same CommandRefusedError; an owner that no longer has the board,
 * or died, answers (or times out) as RoomElsewhereError, which the registry retries once the lease has moved.
 */
export function remoteBoards(cluster: Cluster, registry: () => RoomRegistry): RegistryCluster['remote'] {
	const waiting = new Map<string, Waiting>();
	let nextId = 1;
	const timer = setInterval(() => {
		const now = Date.now();
		for (const [id, w] of waiting) {
			if (!cluster.alive(w.owner) || now - w.started > REQUEST_TIMEOUT_MS) {
				waiting.delete(id);
				w.reject(new RoomElsewhereError('', w.owner));
			}
		}
	}, WATCH_MS);
	timer.unref();

	cluster.on('res', (m) => {
		const w = waiting.get(String(m.id));
		if (!w) return;
		waiting.delete(String(m.id));
		if (m.ok) return w.resolve(m.value);
		const e = m.error as { name: string; message: string; index?: number; owner?: string };
		if (e.name === 'CommandRefusedError') return w.reject(new CommandRefusedError(e.index ?? 0, e.message));
		if (e.name === 'RoomElsewhereError') return w.reject(new RoomElsewhereError('', e.owner ?? ''));
		w.reject(new Error(e.message));
	});

	cluster.on('req', (m) => {
		const reply = (body: Omit<ClusterMessage, 't'>) => cluster.send(String(m.from), { t: 'res', id: m.id, ...body });
		void serve(registry(), m).then(
			(value) => reply({ ok: true, value }),
			(err: unknown) => {
				const e = err instanceof Error ? err : new Error(String(err));
				reply({ ok: false, error: { name: e.name, message: e.message, index: (e as { index?: number }).index, owner: (e as { owner?: string }).owner } });
			}
		);
	});

	const request = (owner: string, body: Omit<ClusterMessage, 't'>) =>
		new Promise<unknown>((resolve, reject) => {
			const id = `${cluster.id}:${nextId++}`;
			waiting.set(id, { owner, resolve, reject, started: Date.now() });
			cluster.send(owner, { t: 'req', id, from: cluster.id, ...body });
		});

	return {
		applyAsServer: async (owner, boardId, origin, commands) => (await request(owner, { op: 'apply', board: boardId, origin, commands })) as unknown[],
		readBoard: async (owner, boardId, query) => (await request(owner, { op: 'read', board: boardId, query })) as never
	};
}

/** Runs a request on this instance's room for the board; never forwards it on (a moved board is the asker's retry). */
async function serve(registry: RoomRegistry, m: ClusterMessage): Promise<unknown> {
	const room = await registry.get(String(m.board));
	try {
		if (m.op === 'apply') return await room.applyCommands(m.origin as ServerOrigin, m.commands as NamedCommand[]);
		return await room.read(m.query as BoardQuery);
	} finally {
		room.release();
	}
}
