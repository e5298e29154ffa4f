import { z } from 'zod';
import { ALL_KINDS } from '../../board/activity.ts';
import { DomainError } from '../errors.ts';
import { decodeCursor, type FeedCursor, type FeedFilter } from './feed.ts';

const GROUPS = ['card', 'stage', 'member', 'board'];
const id = z.string().min(1).max(64).optional();

/** The activity feed's query string: `person`, `kind` (a group or one kind), `card`, `before` (a cursor). */
const feedQuerySchema = z.object({
	person: id,
	card: id,
	kind: z
		.string()
		.refine((k) => GROUPS.includes(k) || ALL_KINDS.includes(k), 'That kind of activity does not exist.')
		.optional(),
	before: z.string().max(64).optional()
});

/** Parses the feed's query string (empty values count as absent); bad input is a DomainError for a 400. */
export function parseFeedQuery(params: URLSearchParams): { filter: FeedFilter; before: FeedCursor | null } {
	const raw = Object.fromEntries([...params].filter(([k, v]) => v !== '' && ['person', 'card', 'kind', 'before'].includes(k)));
	const parsed = feedQuerySchema.safeParse(raw);
	if (!parsed.success) throw new DomainError('invalid_input', parsed.error.issues[0]?.message ?? 'That activity filter is not valid.');
	const { person, card, kind, before } = parsed.data;
	const cursor = before ? decodeCursor(before) : null;
	if (before && !cursor) throw new DomainError('invalid_input', 'That page of activity does not exist.');
	return { filter: { actorId: person, cardId: card, kind }, before: cursor };
}
