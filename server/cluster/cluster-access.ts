import type { AccessListener } from '../../src/lib/server/context.ts';
import type { Cluster } from './cluster.ts';

const METHODS = ['sessionEnded', 'otherSessionsEnded', 'membershipChanged', 'boardDeleted'] as const;

/**
 * Access changes made on one instance reach every instance's sockets: each call runs here at once and is broadcast
 * on the control channel, where every other instance runs it on its own sockets (relayed ones included, as they
 * live on the board's owner). A broadcast that is lost is caught by the session watch's periodic database read
 * (sign-outs) or the next reconnect; see docs/scale-out.md.
 */
export function clusterAccess(local: AccessListener, cluster: Cluster): AccessListener {
	cluster.on('access', (m) => {
		if (m.from === cluster.id) return;
		const method = METHODS.find((name) => name === m.method);
		const args = m.args as string[];
		if (!method || !Array.isArray(args)) return;
		(local[method] as (...a: string[]) => void)(...args);
	});
	const relay =
		(method: (typeof METHODS)[number]) =>
		(...args: string[]) => {
			(local[method] as (...a: string[]) => void)(...args);
			cluster.broadcast({ t: 'access', method, args });
		};
	return {
		sessionEnded: relay('sessionEnded'),
		otherSessionsEnded: relay('otherSessionsEnded'),
		membershipChanged: relay('membershipChanged'),
		boardDeleted: relay('boardDeleted')
	};
}
