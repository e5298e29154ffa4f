import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { searchProblem, wantsPrefix } from '../../search/terms.ts';
import { MARK_START, MARK_STOP, splitMarks, unmarked, type MarkedPart } from '../../search/marks.ts';

/** How many cards a search answers at most. */
export const SEARCH_RESULTS = 20;

/** One card found: where it is, its title and a snippet of what matched, with the matched words marked. */
export interface SearchResult {
	boardId: string;
	boardName: string;
	cardId: string;
	/** What matched best: the card itself (title, description) or one of its comments. */
	source: 'card' | 'comment';
	title: string;
	snippet: string;
	titleParts: MarkedPart[];
	snippetParts: MarkedPart[];
}

const HEADLINE = `StartSel=${MARK_START}, StopSel=${MARK_STOP}, MaxWords=24, MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;
const TITLE_HEADLINE = `StartSel=${MARK_START}, StopSel=${MARK_STOP}, HighlightAll=true`;

/**
 * The text-search query for what a person typed. `websearch_to_tsquery` never fails on user syntax (quotes, `-`,
 * `or`, stray symbols); for a plain list of words its last lexeme also matches as a prefix, so the box finds cards as
 * one types. The prefix is added to the query's own text form, whose lexemes the database has already quoted.
 */
function tsquery(q: string): SQL {
	const web = sql`websearch_to_tsquery('simple'::regconfig, ${q})`;
	return wantsPrefix(q) ? sql`(regexp_replace(${web}::text, '''$', ''':*'))::tsquery` : web;
}

/**
 * Cards on the boards `userId` is a member of whose title, description or comments match `q`, best first (ts_rank;
 * a title weighs more than a description), one result per card (its best match), at most 20. Archived cards and their
 * comments are left out. Throws `invalid_input` with a sentence for the person when `q` has nothing to search for.
 */
export async function searchCards(db: Db, userId: string, q: string): Promise<SearchResult[]> {
	const problem = searchProblem(q);
	if (problem) throw new DomainError('invalid_input', problem, 'q');
	// Only the start is trimmed: a trailing space says the last word is finished (no prefix match).
	const text = q.trimStart();
	const rows = await selectRows<{ board_id: string; board_name: string; card_id: string; source: string; title: string; snippet: string }>(
		db,
		sql`with query as (select ${tsquery(text)} as q),
		matches as (
			select distinct on (e.board_id, e.card_id) e.board_id, e.card_id, e.source, e.title, e.body, ts_rank(e.document, query.q) as rank
			from query, search_entries e
			join board_members m on m.board_id = e.board_id and m.user_id = ${userId}
			where numnode(query.q) > 0 and e.document @@ query.q
			order by e.board_id, e.card_id, rank desc, e.source, e.source_id
		),
		best as (
			select matches.*, card.title as card_title
			from matches
			left join search_entries card on card.board_id = matches.board_id and card.source = 'card' and card.source_id = matches.card_id
			where card.archived is not true
			order by rank desc, matches.board_id, matches.card_id
			limit ${SEARCH_RESULTS}
		)
		select best.board_id, b.name as board_name, best.card_id, best.source,
			ts_headline('simple'::regconfig, coalesce(best.card_title, best.title), query.q, ${TITLE_HEADLINE}) as title,
			case when best.body = '' then '' else ts_headline('simple'::regconfig, best.body, query.q, ${HEADLINE}) end as snippet
		from best
		join boards b on b.id = best.board_id
		cross join query
		order by best.rank desc, best.board_id, best.card_id`
	);
	return rows.map((r) => ({
		boardId: r.board_id,
		boardName: r.board_name,
		cardId: r.card_id,
		source: r.source === 'comment' ? 'comment' : 'card',
		title: unmarked(r.title),
		snippet: unmarked(r.snippet),
		titleParts: splitMarks(r.title),
		snippetParts: splitMarks(r.snippet)
	}));
}
