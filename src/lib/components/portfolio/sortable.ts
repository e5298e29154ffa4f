/** One column of a sortable table: what it sorts by, what it shows, and (optionally) where its cell links. */
export interface Column<T> {
	key: string;
	label: string;
	/** A longer explanation, shown as the header's tooltip and read with it. */
	title?: string;
	/** What the column sorts by; null (nothing to measure) sorts last either way. */
	value: (row: T) => number | string | null;
	/** The cell's text (default: the value, or an en dash for null). */
	format?: (row: T) => string;
	href?: (row: T) => string;
}

/** A table's sort: by which column, which way. */
export interface Sort {
	key: string;
	direction: 'ascending' | 'descending';
}

/** The rows sorted by a column, nulls last whichever way; ties keep their order (a stable sort). */
export function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: Sort): T[] {
	const column = columns.find((c) => c.key === sort.key);
	if (!column) return [...rows];
	const sign = sort.direction === 'ascending' ? 1 : -1;
	return [...rows].sort((a, b) => {
		const [x, y] = [column.value(a), column.value(b)];
		if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
		const order = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
		return sign * order;
	});
}

/** The sort after clicking a column's header: the same column turns around; a new one starts with its natural way. */
export function nextSort(current: Sort, key: string, firstDirection: Sort['direction']): Sort {
	if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
	return { key, direction: firstDirection };
}

/** A share as a whole percentage, or an en dash when there was nothing to measure. */
export const percent = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)} %`);

/** Hours as hours under two days, else days; an en dash for none. */
export const duration = (h: number | null): string => (h === null ? '–' : h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`);
