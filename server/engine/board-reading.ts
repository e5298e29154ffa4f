import * as Y from 'yjs';
import { boardMaps, mapAt } from '../../src/lib/board/doc/schema.ts';
import { readCard, readProcess, readSnapshot, readStages } from '../../src/lib/board/doc/snapshot.ts';
import type { BoardProcess, BoardSnapshot, Card, Stage } from '../../src/lib/board/types.ts';

/** What the server may read from a board's document: its workflow and process settings, or one card with them. */
export type BoardQuery = { kind: 'workflow' } | { kind: 'card'; cardId: string } | { kind: 'cards' } | { kind: 'export' };

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

/** Every card (archived ones too) with the workflow: what timed rules sweep and reminders scan (they skip archived cards). */
export interface CardsReading extends WorkflowReading {
	cards: Card[];
}

/** The whole document as it is now (every applied edit, stored or not): its Yjs state and a plain snapshot (a board export). */
export interface ExportReading {
	name: string;
	/** `Y.encodeStateAsUpdate` of the server's copy. */
	state: Uint8Array;
	snapshot: BoardSnapshot;
}

/** What a query answers. */
export type BoardReading = WorkflowReading | CardReading | CardsReading | ExportReading;
/** What query `Q` answers. */
export type BoardReadingOf<Q extends BoardQuery> = Q extends { kind: 'card' } ? CardReading : Q extends { kind: 'cards' } ? CardsReading : Q extends { kind: 'export' } ? ExportReading : WorkflowReading;

/** Answers `query` from the document (plain data: it crosses threads). */
export function readBoard<Q extends BoardQuery>(doc: Y.Doc, query: Q): BoardReadingOf<Q> {
	return answer(doc, query) as BoardReadingOf<Q>;
}

function answer(doc: Y.Doc, query: BoardQuery): BoardReading {
	const { meta, stages, cards } = boardMaps(doc);
	const name = typeof meta.get('name') === 'string' ? (meta.get('name') as string) : '';
	if (query.kind === 'export') return { name, state: Y.encodeStateAsUpdate(doc), snapshot: readSnapshot(doc, name) };
	const workflow: WorkflowReading = { name, stages: readStages(stages), process: readProcess(doc) };
	if (query.kind === 'workflow') return workflow;
	if (query.kind === 'cards') return { ...workflow, cards: Object.values(readSnapshot(doc, name).cards) };
	const map = mapAt(cards, query.cardId);
	return { ...workflow, card: map ? readCard(doc, query.cardId, map) : null };
}
