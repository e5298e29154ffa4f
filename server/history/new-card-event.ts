import type { CardEventRow } from '../../src/lib/server/history.ts';

/** One row for `card_events` before it is written (its board is the writer's), with its rule chain's depth (not stored). */
export type NewCardEvent = Omit<CardEventRow, 'boardId'> & { ruleDepth?: number };
