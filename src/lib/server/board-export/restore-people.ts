import type { Db } from '../db/client.ts';
import { newId } from '../ids.ts';
import { listCollaborators } from '../templates/new-board.ts';
import type { PeopleMapping } from '../../board/doc/people-remap.ts';
import type { BoardExport } from './format.ts';

/** How a restore maps the export's people: the ids, and who of them has an account here. */
export interface RestorePeople extends PeopleMapping {
	/** Exported ids found here, by email (the restorer themselves among them when their email is in the export). */
	found: number;
	/** Exported people with no account the restorer may add here: their history stays under a stand-in id. */
	missing: number;
}

/**
 * Maps the people of an export to this server's accounts by email (case-insensitive), among those the restorer could
 * add to a board anyway: themselves and people they already share a board with (as for a template's role holders: a
 * restore cannot put a stranger on a board). Everyone else the export names gets a stand-in id nobody has, the same
 * for all their rows, so history still tells their work apart and reads as "someone who left".
 */
export async function mapPeople(db: Db, userId: string, data: BoardExport): Promise<RestorePeople> {
	const here = new Map((await listCollaborators(db, userId)).map((c) => [c.email.toLowerCase(), c.userId]));
	const ids = new Map<string, string>();
	const absent = new Set<string>();
	let found = 0;
	for (const person of data.people) {
		const match = person.email ? here.get(person.email.toLowerCase()) : undefined;
		if (match) {
			ids.set(person.id, match);
			found++;
		} else {
			const standIn = newId();
			ids.set(person.id, standIn);
			absent.add(standIn);
		}
	}
	// Ids the export uses without listing them (a hand-edited file): stand-ins too, never taken as ids of this server.
	const unlisted = (id: string | null) => {
		if (id === null || ids.has(id)) return;
		const standIn = newId();
		ids.set(id, standIn);
		absent.add(standIn);
	};
	for (const e of data.events) unlisted(e.actorId);
	for (const a of data.activity) unlisted(a.actorId);
	for (const c of data.comments) unlisted(c.authorId);
	for (const m of data.members) unlisted(m.userId);
	for (const r of data.teamRoles) r.holders.forEach(unlisted);
	for (const v of data.views) unlisted(v.ownerId);
	for (const r of data.rules) unlisted(r.createdBy);
	unlisted(data.board.processOwnerId);
	return { ids, absent, found, missing: data.people.length - found };
}

/** Replaces every string equal to an old id by its new one, at any depth of a JSON value. */
export function remapJson<T>(value: T, ids: ReadonlyMap<string, string>): T {
	if (typeof value === 'string') return (ids.get(value) ?? value) as T;
	if (Array.isArray(value)) return value.map((v: unknown) => remapJson(v, ids)) as T;
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remapJson(v, ids)])) as T;
	return value;
}

/** Whether a JSON value holds, at any depth, a string of `ids`. */
export function mentionsAny(value: unknown, ids: ReadonlySet<string>): boolean {
	if (typeof value === 'string') return ids.has(value);
	if (Array.isArray(value)) return value.some((v) => mentionsAny(v, ids));
	if (value && typeof value === 'object') return Object.values(value).some((v) => mentionsAny(v, ids));
	return false;
}
