import * as Y from 'yjs';
import { SEED } from './origins.ts';
import { boardMaps, cardKey, splitCardKey } from './schema.ts';

/** How a restore turns the people of an exported board into this server's: each old user id → its new id. */
export interface PeopleMapping {
	/** Old id → new id (a real account here, or a stand-in id nobody has, for someone not mapped). */
	ids: ReadonlyMap<string, string>;
	/** New ids that are no account here: they cannot own cards or hold team roles, so those entries go. */
	absent: ReadonlySet<string>;
}

/** Replaces every string equal to a mapped id, at any depth of a JSON value (ids are random: no text equals one). */
function remapValue(value: unknown, ids: ReadonlyMap<string, string>): unknown {
	if (typeof value === 'string') return ids.get(value) ?? value;
	if (Array.isArray(value)) return value.map((v) => remapValue(v, ids));
	if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
		return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, remapValue(v, ids)]));
	}
	return value;
}

/** Rewrites the plain values of a map (and of the maps nested in it) whose ids change; nested text is left alone. */
function remapMap(map: Y.Map<unknown>, ids: ReadonlyMap<string, string>): void {
	for (const [key, value] of [...map.entries()]) {
		if (value instanceof Y.Map) remapMap(value, ids);
		else if (!(value instanceof Y.AbstractType)) {
			const next = remapValue(value, ids);
			if (JSON.stringify(next) !== JSON.stringify(value)) map.set(key, next);
		}
	}
}

/**
 * Gives a restored board's document this server's people, in one transaction: card owners (keys and values), who
 * blocked, checked, signed off or was handed a card, the team role mirror and step settings. Owners and team role
 * holders who have no account here are removed (nobody can own work who cannot open the board); the rest keep a
 * stand-in id, read as "someone who left". Does nothing when no id changes.
 */
export function remapPeople(doc: Y.Doc, mapping: PeopleMapping): void {
	const changing = new Map([...mapping.ids].filter(([from, to]) => from !== to));
	if (changing.size === 0 && mapping.absent.size === 0) return;
	const maps = boardMaps(doc);
	doc.transact(() => {
		for (const [key, value] of [...maps.owners.entries()]) {
			const [cardId, userId] = splitCardKey(key);
			const next = changing.get(userId) ?? userId;
			if (next === userId && !mapping.absent.has(userId)) continue;
			maps.owners.delete(key);
			if (!mapping.absent.has(next) && typeof value === 'string') maps.owners.set(cardKey(cardId, next), next);
		}
		for (const root of ['meta', 'stages', 'cards', 'exitChecks', 'handoffs', 'signoffs', 'turns', 'process'] as const) remapMap(maps[root], changing);
		const roles = maps.process.get('teamRoles');
		if (roles && typeof roles === 'object' && !Array.isArray(roles)) {
			const kept = Object.fromEntries(Object.entries(roles as Record<string, unknown>).map(([role, holders]) => [role, Array.isArray(holders) ? holders.filter((h) => !mapping.absent.has(h as string)).sort() : holders]));
			maps.process.set('teamRoles', kept);
		}
	}, SEED);
}
