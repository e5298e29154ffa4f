const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** How urgent a due date is: none, later, due within 48 hours, or overdue. */
export type DueStatus = 'none' | 'later' | 'soon' | 'overdue';

/** Classifies a YYYY-MM-DD due date (end of that day, local time) against `now`. */
export function dueStatus(due: string | null, now: Date): DueStatus {
	if (!due) return 'none';
	const [y, m, d] = due.split('-').map(Number);
	const end = new Date(y!, m! - 1, d!, 23, 59, 59, 999).getTime();
	if (end < now.getTime()) return 'overdue';
	if (end - now.getTime() <= 48 * HOUR) return 'soon';
	return 'later';
}

/** A compact age like "5m", "3h", "2d", "6w" since an ISO time. */
export function shortAge(since: string, now: Date): string {
	const ms = Math.max(0, now.getTime() - Date.parse(since));
	if (!Number.isFinite(ms)) return '';
	if (ms < HOUR) return `${Math.max(1, Math.round(ms / 60000))}m`;
	if (ms < DAY) return `${Math.round(ms / HOUR)}h`;
	if (ms < 14 * DAY) return `${Math.round(ms / DAY)}d`;
	return `${Math.round(ms / (7 * DAY))}w`;
}

/** Up to two initials for an avatar. */
export function initials(name: string): string {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? parts[parts.length - 1]![0] : '')).toUpperCase();
}

const AVATAR_COLORS = ['#4f46e5', '#0891b2', '#059669', '#d97706', '#dc2626', '#c026d3', '#7c3aed', '#2563eb'];

/** A stable colour for a user id (the same on every screen). */
export function colorFor(id: string): string {
	let h = 0;
	for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
	return AVATAR_COLORS[h % AVATAR_COLORS.length]!;
}

/** Checklist progress like "3/5", or null when there is no checklist. */
export function checklistProgress(items: readonly { done: boolean }[]): { text: string; complete: boolean } | null {
	if (items.length === 0) return null;
	const done = items.filter((i) => i.done).length;
	return { text: `${done}/${items.length}`, complete: done === items.length };
}
