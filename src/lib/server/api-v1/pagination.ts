import { z } from 'zod';
import { ApiProblem } from './problem.ts';

/** The most items one page may hold. */
export const MAX_PAGE = 200;
/** Items per page when the caller does not say. */
export const DEFAULT_PAGE = 50;

/** The query members every list takes: `limit` (1–200) and an opaque `cursor` from the previous page. */
export const pageQuery = {
	limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE).describe(`Items per page (1–${MAX_PAGE}).`),
	cursor: z.string().max(500).optional().describe('Where the page starts: `nextCursor` of the previous page.')
};

/** A list's answer: one page of items and the cursor of the next (null: this was the last page). */
export function pageSchema<T extends z.ZodType>(item: T) {
	return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** A page of items. */
export interface Page<T> {
	data: T[];
	nextCursor: string | null;
}

/** The opaque text of a cursor: the sort key of the last item served, base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
	return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key a cursor holds; a 400 problem for anything this API did not hand out. */
export function decodeCursor(cursor: string): (string | number)[] {
	try {
		const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
		if (Array.isArray(key) && key.length > 0 && key.length <= 4 && key.every((k) => typeof k === 'string' || typeof k === 'number')) return key;
	} catch {
		// Falls through to the refusal below.
	}
	throw new ApiProblem(400, 'invalid_request', 'That cursor is not one this API handed out. Start again without a cursor.', { errors: [{ path: 'cursor', message: 'Not a cursor from this API.' }] });
}

/** Compares sort keys part by part; strings by code units (the board's rank order), numbers numerically. */
function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		const x = a[i] ?? '';
		const y = b[i] ?? '';
		if (x === y) continue;
		if (typeof x === 'number' && typeof y === 'number') return x - y;
		return String(x) < String(y) ? -1 : 1;
	}
	return 0;
}

/**
 * One page of `items` in the order of `key` (which must be unique per item), starting after `cursor`. Items added or
 * removed between pages neither repeat nor shift the rest: the cursor is a key, not an offset.
 */
export function pageOf<T, R = T>(items: readonly T[], key: (item: T) => (string | number)[], query: { limit: number; cursor?: string }, present: (item: T) => R = (i) => i as unknown as R): Page<R> {
	const after = query.cursor ? decodeCursor(query.cursor) : null;
	const sorted = items.map((item) => ({ item, key: key(item) })).sort((a, b) => compareKeys(a.key, b.key));
	const rest = after ? sorted.filter((entry) => compareKeys(entry.key, after) > 0) : sorted;
	const page = rest.slice(0, query.limit);
	const last = page.at(-1);
	return { data: page.map((entry) => present(entry.item)), nextCursor: rest.length > query.limit && last ? encodeCursor(last.key) : null };
}
