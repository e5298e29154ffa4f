import type { Db } from '../../src/lib/server/db/client.ts';
import type { AccessListener } from '../../src/lib/server/context.ts';
import type { ServerConfig } from '../config.ts';
import type { RegistryCluster, RoomRegistry } from '../sync/room-registry.ts';
import type { SessionWatch } from '../sync/session-watch.ts';
import type { UserInputBudgets } from '../sync/input-budget.ts';
import { CLOSE } from '../sync/protocol.ts';
import { Cluster } from './cluster.ts';
import { BoardLeases } from './leases.ts';
import { remoteBoards } from './remote-commands.ts';
import { serveOwnerLinks } from './owner-links.ts';
import { RelayLinks, type RelayTarget } from './relay-links.ts';
import { clusterAccess } from './cluster-access.ts';
import type { WebSocket } from 'ws';

/** This instance's part in a cluster, as server/app.ts wires it (see docs/scale-out.md). */
export interface ClusterParts {
	cluster: Cluster;
	/** Board leases; also the owner fences every document write checks. */
	leases: BoardLeases;
	/** What the room registry needs: leases before loads, and the owner's room for boards open elsewhere. */
	registryHooks(registry: () => RoomRegistry): RegistryCluster;
	/** Access changes on every instance's sockets. */
	access(local: AccessListener): AccessListener;
	/** Starts serving relayed sockets for boards owned here, and relaying this instance's sockets for others'. */
	serve(deps: { registry: RoomRegistry; sessions: SessionWatch; budgets: UserInputBudgets; pingIntervalMs: number }): void;
	/** Relays an upgraded socket to the board's owner (after `serve`). */
	relay(ws: WebSocket, target: RelayTarget): void;
	/** Closes relayed sockets, stops the leases and disconnects (after the rooms were flushed and released). */
	close(): Promise<void>;
}

/** Joins the cluster when REDIS_URL is set; null otherwise (a single server, as before). */
export async function openCluster(config: ServerConfig, db: Db, log: (message: string, err?: unknown) => void): Promise<ClusterParts | null> {
	if (!config.redisUrl) return null;
	const cluster = new Cluster({ redisUrl: config.redisUrl, prefix: config.cluster?.prefix ?? 'flowdeck:', leaseMs: config.cluster?.leaseMs ?? 3_000, log });
	await cluster.start();
	log(`cluster: joined as instance ${cluster.id} (Redis key prefix ${cluster.options.prefix})`);
	const leases = new BoardLeases(cluster, db);
	let relays: RelayLinks | null = null;
	return {
		cluster,
		leases,
		registryHooks: (registry) => ({ ownership: leases, remote: remoteBoards(cluster, registry) }),
		access: (local) => clusterAccess(local, cluster),
		serve({ registry, sessions, budgets, pingIntervalMs }) {
			leases.onLost = (boardId) => registry.relinquish(boardId);
			serveOwnerLinks({ cluster, registry, sessions, budgets, log });
			relays = new RelayLinks(cluster, pingIntervalMs);
		},
		relay(ws, target) {
			if (!relays) return ws.close(CLOSE.tryAgain, 'Not ready');
			relays.attach(ws, target);
		},
		async close() {
			relays?.close(CLOSE.restart, 'Server restarting');
			leases.stop();
			await cluster.close();
		}
	};
}
