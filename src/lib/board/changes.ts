import { z } from 'zod';

/** Fields every change to a card carries: which card, who did it (null: nobody in particular), the server's time. */
const cardBase = {
	cardId: z.string(),
	actorId: z.string().nullable(),
	at: z.date(),
	fromStageId: z.string().nullable(),
	toStageId: z.string().nullable()
};

const cardChange = <T extends string, D extends z.ZodType>(type: T, data: D) => z.object({ type: z.literal(type), ...cardBase, data });
const empty = z.object({});

/**
 * One change the server applied to a board, derived once per transaction after validation and the policy net
 * settled (server/history/recorder.ts). History, activity and everything that reacts to a board read these; nobody
 * derives changes from raw Yjs events a second time. Card changes are stored as `card_events` rows (their `type`
 * is the row's type), stage changes as `board_stages` rows.
 */
export const boardChangeSchema = z.discriminatedUnion('type', [
	cardChange('created', z.object({ title: z.unknown() })),
	cardChange('moved', z.object({ direction: z.enum(['forward', 'backward']).optional(), checklist: z.object({ done: z.number(), total: z.number() }).optional() })),
	cardChange('blocked', z.object({ reason: z.string() })),
	cardChange('unblocked', empty),
	cardChange('due_changed', z.object({ due: z.unknown(), previous: z.unknown() })),
	cardChange('archived', empty),
	cardChange('restored', empty),
	cardChange('owner_added', z.object({ userId: z.string() })),
	cardChange('owner_removed', z.object({ userId: z.string() })),
	cardChange('exit_checked', z.object({ criterionId: z.string().optional() })),
	cardChange('checklist_completed', z.object({ total: z.number() })),
	cardChange('wip_breach', z.object({ limit: z.number(), count: z.number(), over: z.number() })),
	z.object({ type: z.literal('stage'), stageId: z.string(), name: z.string(), kind: z.string(), rank: z.string(), deleted: z.boolean(), at: z.date() })
]);

/** One change the server applied to a board. */
export type BoardChange = z.infer<typeof boardChangeSchema>;

/** A change to a card (everything but stage metadata). */
export type CardChange = Exclude<BoardChange, { type: 'stage' }>;

/** A change to a stage's metadata (its latest name, kind, rank, or its deletion). */
export type StageChange = Extract<BoardChange, { type: 'stage' }>;

/** Whether a change is a stage's. */
export const isStageChange = (change: BoardChange): change is StageChange => change.type === 'stage';
