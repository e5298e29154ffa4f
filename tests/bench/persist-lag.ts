import * as Y from 'yjs';
import type { SeenRow } from './database.ts';
import type { SentMove } from './fanout.ts';
import { round1, summary } from './stats.ts';

/** Persistence lag figures. */
export interface PersistLag {
	[extra: string]: unknown;
	p99_ms: number;
	p50_ms: number;
	max_ms: number;
	updates: number;
	/** Moves whose row was never found. */
	missing: number;
	rows: number;
	method: string;
}

/**
 * For each sent move, the first stored row whose update covers it (the row's update reaches the move's
 * clock for the sender's client id), and the time from the move's scheduled send to that row:
 * `seen` = when a 5 ms poll of PostgreSQL first returned the committed row; `created` = the row's
 * `created_at` (the server's clock as it issued the INSERT — PGlite cannot be read while the server runs).
 */
export function persistenceLag(sends: SentMove[], rows: SeenRow[], use: 'seen' | 'created'): PersistLag {
	const metas = rows.map((row) => ({ row, to: Y.parseUpdateMeta(row.data).to }));
	const lags: number[] = [];
	let missing = 0;
	for (const send of sends) {
		const hit = metas.find((m) => (m.to.get(send.client) ?? 0) >= send.endClock);
		if (!hit) {
			missing++;
			continue;
		}
		const at = use === 'seen' ? hit.row.seenAt! : hit.row.createdAt;
		lags.push(at - send.scheduledEpochMs);
	}
	const s = summary(lags);
	return {
		p99_ms: s.p99,
		p50_ms: s.p50,
		max_ms: round1(s.max),
		updates: sends.length,
		missing,
		rows: rows.length,
		method: use === 'seen' ? 'PostgreSQL, committed row seen by a 5 ms poll' : 'PGlite, row created_at (read after a restart)'
	};
}
