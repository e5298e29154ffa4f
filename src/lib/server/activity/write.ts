import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boardActivity } from '../db/schema/activity.ts';
import { inChunks, MAX_BIND_PARAMETERS } from '../db/batches.ts';
import type { ActivityData, RelationalActivityKind } from '../../board/activity.ts';

/** Bind parameters one `board_activity` row takes (every column but the generated id). */
const ACTIVITY_PARAMETERS = 9;
const MINUTE_MS = 60_000;

/** An audit entry to store. */
export interface ActivityRow {
	boardId: string;
	at: Date;
	actorId: string | null;
	kind: string;
	cardId: string | null;
	stageId: string | null;
	data: Record<string, unknown>;
	/** The automation rule that made it (null or absent: a person or the server). */
	ruleId?: string | null;
}

/** A relational audit entry (members, invites, the board's name), typed by its kind. */
export function relationalEntry<K extends RelationalActivityKind>(boardId: string, actorId: string | null, kind: K, data: ActivityData<K>, at: Date): ActivityRow {
	return { boardId, at, actorId, kind, cardId: null, stageId: null, data };
}

/**
 * Stores audit entries (inside the caller's transaction, if any). Description edits are merged into one row per
 * board, card, person and minute: in memory within the batch, then by an upsert on `group_key` with what is stored,
 * so a minute of typing is one entry however many transactions it took, and the table grows with minutes, not keys.
 */
export async function insertActivity(db: Db, rows: readonly ActivityRow[]): Promise<void> {
	if (rows.length === 0) return;
	const plain: (ActivityRow & { groupKey: null })[] = [];
	const merged = new Map<string, ActivityRow & { groupKey: string }>();
	for (const row of rows) {
		const clean = { ...row, data: withoutNul(row.data) as Record<string, unknown> };
		if (row.kind !== 'description_edited') {
			plain.push({ ...clean, groupKey: null });
			continue;
		}
		const groupKey = JSON.stringify(['description', row.cardId, row.actorId, Math.floor(row.at.getTime() / MINUTE_MS)]);
		const seen = merged.get(`${row.boardId}\u0000${groupKey}`);
		if (!seen) merged.set(`${row.boardId}\u0000${groupKey}`, { ...clean, groupKey });
		else seen.data = sumCounts(seen.data, clean.data);
	}
	for (const chunk of inChunks(plain, MAX_BIND_PARAMETERS / ACTIVITY_PARAMETERS)) await db.insert(boardActivity).values(chunk);
	for (const chunk of inChunks([...merged.values()], MAX_BIND_PARAMETERS / ACTIVITY_PARAMETERS)) {
		const sum = (key: string) => sql`coalesce((${boardActivity.data}->>${key})::int, 0) + coalesce((excluded.data->>${key})::int, 0)`;
		await db
			.insert(boardActivity)
			.values(chunk)
			.onConflictDoUpdate({
				target: [boardActivity.boardId, boardActivity.groupKey],
				// The entry keeps its first time (its place in the feed and in any page already read).
				set: { data: sql`jsonb_build_object('edits', ${sum('edits')}, 'inserted', ${sum('inserted')}, 'deleted', ${sum('deleted')})` }
			});
	}
}

function sumCounts(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
	const n = (v: unknown) => (typeof v === 'number' ? v : 0);
	return { edits: n(a.edits) + n(b.edits), inserted: n(a.inserted) + n(b.inserted), deleted: n(a.deleted) + n(b.deleted) };
}

/** PostgreSQL's jsonb cannot hold U+0000 (a hostile client can write it into a name): the audit drops it rather than the entry. */
function withoutNul(value: unknown): unknown {
	if (typeof value === 'string') return value.replaceAll('\u0000', '');
	if (Array.isArray(value)) return value.map(withoutNul);
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll('\u0000', ''), withoutNul(v)]));
	return value;
}
