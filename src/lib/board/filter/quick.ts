import { parseFilter } from './syntax.ts';

/** A filter one click away: its button label and the query terms it stands for. */
export interface QuickFilter {
	id: string;
	label: string;
	query: string;
}

/** The quick filters every board offers. */
export const QUICK_FILTERS: readonly QuickFilter[] = [
	{ id: 'mine', label: 'My cards', query: 'owner:me' },
	{ id: 'week', label: 'Due this week', query: 'due:<7d -is:done' },
	{ id: 'overdue', label: 'Overdue', query: 'is:overdue' },
	{ id: 'blocked', label: 'Blocked', query: 'is:blocked' },
	{ id: 'approval', label: 'Waiting for approval', query: 'is:waiting-approval' },
	{ id: 'stale', label: 'Stale', query: 'updated:>7d -is:done' }
];

const termsOf = (query: string): string[] => {
	const parsed = parseFilter(query);
	return parsed.ok ? parsed.terms.map((t) => query.slice(t.start, t.end)) : [];
};

/** Whether every term of the quick filter is in the query. */
export function hasQuickFilter(query: string, quick: QuickFilter): boolean {
	const present = new Set(termsOf(query));
	return termsOf(quick.query).every((t) => present.has(t));
}

/** The query with the quick filter's terms added (missing ones only), or taken out when it was on. */
export function toggleQuickFilter(query: string, quick: QuickFilter): string {
	const own = termsOf(quick.query);
	const current = parseFilter(query).ok ? termsOf(query) : [];
	if (hasQuickFilter(query, quick)) {
		// Terms another active quick filter shares stay (Due this week and Stale both say -is:done).
		const kept = new Set(QUICK_FILTERS.filter((q) => q.id !== quick.id && hasQuickFilter(query, q)).flatMap((q) => termsOf(q.query)));
		return current.filter((t) => !own.includes(t) || kept.has(t)).join(' ');
	}
	const base = parseFilter(query).ok ? current : [query.trim()].filter(Boolean);
	return [...base, ...own.filter((t) => !base.includes(t))].join(' ');
}
