/**
 * Both drivers refuse a statement with 65,534 or more bind parameters (postgres.js throws
 * MAX_PARAMETERS_EXCEEDED; PostgreSQL's wire protocol counts them in 16 bits). Stay well below it.
 */
export const MAX_BIND_PARAMETERS = 60_000;

/** Splits `items` into consecutive slices of at most `size` (at least one item each). */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
	const step = Math.max(1, Math.floor(size));
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
	return out;
}
