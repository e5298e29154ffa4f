import { PlanError } from './errors.ts';

/**
 * Who gets the next card of a role: the holder with the fewest open cards on the board; among equals, the next
 * one after `previous` in holder order (round robin, wrapping), or the first when `previous` no longer holds the
 * role. Holders missing from `openCards` have none. Null when nobody holds the role.
 */
export function pickAssignee(holders: readonly string[], openCards: Readonly<Record<string, number>>, previous: string | null): string | null {
	// A holder listed twice would get two turns per round.
	const unique = [...new Set(holders)];
	if (unique.length === 0) return null;
	const load = (userId: string): number => {
		const count = Object.hasOwn(openCards, userId) ? (openCards[userId] ?? 0) : 0;
		if (!Number.isSafeInteger(count) || count < 0) {
			throw new PlanError('invalid_number', `The open card count of ${userId} must be a whole number of at least 0, got ${String(count)}.`);
		}
		return count;
	};
	const fewest = Math.min(...unique.map(load));
	const start = previous === null ? 0 : unique.indexOf(previous) + 1; // not a holder: indexOf is -1, so start at 0
	for (let i = 0; i < unique.length; i++) {
		const candidate = unique[(start + i) % unique.length]!;
		if (load(candidate) === fewest) return candidate;
	}
	return null; // unreachable: some holder has the fewest
}
