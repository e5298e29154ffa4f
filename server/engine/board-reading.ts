import type * as Y from 'yjs';
import { boardMaps, mapAt } from '../../src/lib/board/doc/schema.ts';
import { readCard, readProcess, readStages } from '../../src/lib/board/doc/snapshot.ts';
import type { BoardProcess, Card, Stage } from '../../src/lib/board/types.ts';

/** What the server may read from a board's document: its workflow and process settings, or one card with them. */
export type BoardQuery = { kind: 'workflow' } | { kind: 'card'; cardId: string };

/** The board's stages in order and its process settings. */
export interface WorkflowReading {
	name: string;
	stages: Stage[];
	process: BoardProcess;
}

/** One card (null when the board has none by that id) with the workflow it is planned against. */
export interface CardReading extends WorkflowReading {
	card: Card | null;
}

/** What a query answers. */
export type BoardReading = WorkflowReading | CardReading;
/** What query `Q` answers. */
export type BoardReadingOf<Q extends BoardQuery> = Q extends { kind: 'card' } ? CardReading : WorkflowReading;

/** Answers `query` from the document (plain data: it crosses threads). */
export function readBoard(doc: Y.Doc, query: BoardQuery): BoardReading {
	const { meta, stages, cards } = boardMaps(doc);
	const name = typeof meta.get('name') === 'string' ? (meta.get('name') as string) : '';
	const workflow: WorkflowReading = { name, stages: readStages(stages), process: readProcess(doc) };
	if (query.kind === 'workflow') return workflow;
	const map = mapAt(cards, query.cardId);
	return { ...workflow, card: map ? readCard(doc, query.cardId, map) : null };
}
