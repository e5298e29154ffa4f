import type { AccessListener } from '../../src/lib/server/context.ts';
import type { Db } from '../../src/lib/server/db/client.ts';
import { findBoardAccess } from '../../src/lib/server/boards/boards.ts';
import type { RoomRegistry } from './room-registry.ts';
import type { Connection } from './connection.ts';
import { CLOSE } from './protocol.ts';
import { encodeNotice } from '../../src/lib/sync-protocol/notice.ts';
import { canEditBoard, type Role } from '../../src/lib/server/auth/permissions.ts';

/** Tells live sockets about access changes made through the routes: sign-outs, role changes, removals, deletions. */
export function syncAccessListener(registry: RoomRegistry, db: Db, log: (message: string, err?: unknown) => void): AccessListener {
	// Role re-reads are async; a newer change for the same member must win over an older read finishing late.
	const generation = new Map<string, number>();
	// Upgrades being authorized right now check again if this moved (see admissions.ts).
	const changed = () => registry.admissions.accessChanged();
	return {
		sessionEnded(sessionId) {
			changed();
			for (const { conn } of registry.connections()) {
				if (conn.identity.sessionId === sessionId) conn.close(CLOSE.sessionEnded, 'Signed out');
			}
		},
		otherSessionsEnded(userId, keepSessionId) {
			changed();
			for (const { conn } of registry.connections()) {
				if (conn.userId === userId && conn.identity.sessionId !== keepSessionId) conn.close(CLOSE.sessionEnded, 'Signed out');
			}
		},
		membershipChanged(boardId, userId) {
			changed();
			const key = `${boardId}\n${userId}`;
			const mine = (generation.get(key) ?? 0) + 1;
			generation.set(key, mine);
			// Until the new role is known, the member's frames wait: a write sent just after a demotion must not
			// land under the old role. Held frames are handled, in order, under whatever role the read finds.
			const held: Connection[] = [];
			for (const { boardId: b, conn } of registry.connections()) {
				if (b === boardId && conn.userId === userId) {
					conn.hold();
					held.push(conn);
				}
			}
			void findBoardAccess(db, boardId, userId)
				.then((access) => {
					// A newer change is being read: its result decides (these sockets stay held until then).
					if (generation.get(key) !== mine) return;
					generation.delete(key);
					for (const { boardId: b, conn } of registry.connections()) {
						if (b !== boardId || conn.userId !== userId) continue;
						if (!access) {
							conn.close(CLOSE.noAccess, 'You no longer have access to this board');
							continue;
						}
						const before = conn.role;
						conn.role = access.role;
						if (before !== access.role) conn.send(encodeNotice({ type: 'role', role: access.role, message: roleMessage(before, access.role) }));
					}
				})
				.catch((err: unknown) => {
					// Fail closed: if we cannot tell what their role is now, they reconnect and are checked afresh.
					log(`could not re-check access to board ${boardId}`, err);
					for (const { boardId: b, conn } of registry.connections()) {
						if (b === boardId && conn.userId === userId) conn.close(CLOSE.unresponsive, 'Access check failed');
					}
				})
				.finally(() => {
					for (const conn of held) conn.release();
				});
		},
		boardDeleted(boardId) {
			changed();
			registry.discard(boardId);
		}
	};
}

/** What a member is told when their role on an open board changes. */
function roleMessage(before: Role, after: Role): string {
	if (!canEditBoard(after)) return 'You can now only view this board: an owner changed your role. Changes you had not saved yet were dropped.';
	if (!canEditBoard(before)) return `You can edit this board again (your role is now ${after}).`;
	return `Your role on this board is now ${after}.`;
}
