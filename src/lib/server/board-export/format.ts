import { z } from 'zod';

/** What a board export says it is (`format`). */
export const EXPORT_FORMAT = 'flowdeck-board';

/** The format version this server writes and the newest it reads (older ones it reads as they were written). */
export const EXPORT_VERSION = 1;

const id = z.string().min(1).max(128);
const time = z.iso.datetime({ offset: true });
const json = z.record(z.string(), z.unknown());

/** Someone the board names: members come with name and email (how a restore finds them), others with their id alone. */
const person = z.object({ id, name: z.string().max(200).nullable(), email: z.string().max(320).nullable() });

/** A whole board as `GET /api/boards/<id>/export.json` writes it and a restore reads it (docs/export-import.md). */
export const boardExportSchema = z.object({
	format: z.literal(EXPORT_FORMAT),
	version: z.literal(EXPORT_VERSION),
	exportedAt: time,
	app: z.object({ name: z.string(), version: z.string() }),
	board: z.object({
		id,
		name: z.string().min(1).max(200),
		createdAt: time,
		templateId: z.string().max(200).nullable(),
		processOwnerId: id.nullable(),
		reminderHours: z.array(z.number().int().min(1).max(24 * 365)).max(10),
		blockedAlertHours: z.number().int().min(1).max(24 * 365),
		complianceTargetPercent: z.number().int().min(0).max(100)
	}),
	people: z.array(person).max(100_000),
	members: z.array(z.object({ userId: id, role: z.enum(['owner', 'editor', 'viewer']), joinedAt: time })).max(100_000),
	teamRoles: z.array(z.object({ id, name: z.string().min(1).max(200), position: z.number().int(), createdAt: time, holders: z.array(id) })).max(1_000),
	/** The board document: `state` (base64 of the server's Yjs state) is what a restore loads; `snapshot` is for reading. */
	document: z.object({ state: z.string().min(1), snapshot: json }),
	/** Every stage the board ever had (deleted ones too): history names stages by id. */
	stages: z.array(z.object({ stageId: id, name: z.string(), kind: z.string(), rank: z.string(), updatedAt: time, deletedAt: time.nullable() })).max(10_000),
	/** The card history the stats are computed from (`card_events`), oldest first. */
	events: z.array(
		z.object({ cardId: id, type: z.string().min(1).max(64), at: time, actorId: id.nullable(), fromStageId: id.nullable(), toStageId: id.nullable(), data: json, ruleId: id.nullable() })
	),
	/** The audit trail beyond card events (`board_activity`), oldest first. */
	activity: z.array(
		z.object({ at: time, actorId: id.nullable(), kind: z.string().min(1).max(64), cardId: id.nullable(), stageId: id.nullable(), data: json, groupKey: z.string().max(500).nullable(), ruleId: id.nullable() })
	),
	/**
	 * The notifications sent about the board, without recipients or contents: what its automation share counts. Absent
	 * in exports written before it was added (then a restore counts only the history's part).
	 */
	sentNotifications: z.array(z.object({ at: time, cardId: id.nullable(), kind: z.string().min(1).max(64), ruleId: id.nullable() })).default([]),
	comments: z.array(z.object({ id, cardId: id, authorId: id, body: z.string().max(100_000), createdAt: time, editedAt: time.nullable() })),
	/** Shared saved views (personal ones stay with their owner's account). */
	views: z.array(z.object({ name: z.string().min(1).max(200), query: z.string().max(10_000), ownerId: id, createdAt: time })).max(10_000),
	rules: z.array(z.object({ id, name: z.string().min(1).max(200), enabled: z.boolean(), definition: json, brokenReason: z.string().nullable(), createdBy: id.nullable(), createdAt: time, updatedAt: time })).max(1_000),
	/** Webhook endpoints without their signing secrets. */
	webhooks: z.array(z.object({ url: z.string().max(2_000), kinds: z.array(z.string().max(64)).max(100), enabled: z.boolean(), createdAt: time })).max(100),
	/** What the board's cards had attached: names and sizes only; the files are not in an export. */
	attachments: z.array(z.object({ cardId: id, fileName: z.string().max(1_000), mimeType: z.string().max(200), size: z.number().int().min(0), uploaderId: id, createdAt: time })),
	/** What an export leaves out, in words (for the person reading it). */
	notIncluded: z.array(z.string())
});

/** A board export, as validated. */
export type BoardExport = z.infer<typeof boardExportSchema>;
