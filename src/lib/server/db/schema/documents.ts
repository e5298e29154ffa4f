import { bigint, customType, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/**
 * `bytea` as a Uint8Array on both drivers. postgres.js hands back a Buffer and PGlite a Uint8Array;
 * both are Uint8Arrays, so reads only re-wrap the view and writes pass a Buffer, which both drivers
 * bind as binary.
 */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
	fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
});

/** Yjs updates emitted by the server's copy of a board document, in the order they were written. */
export const boardUpdates = pgTable(
	'board_updates',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		data: bytea('data').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('board_updates_board_id_idx').on(t.boardId, t.id)]
);

/** A board document's compacted state: every update up to some id merged into one. */
export const boardSnapshots = pgTable('board_snapshots', {
	boardId: text('board_id')
		.primaryKey()
		.references(() => boards.id, { onDelete: 'cascade' }),
	data: bytea('data').notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * The fencing token of the server instance that owns a board (several instances on Redis, see docs/scale-out.md).
 * Every document write checks it in its own transaction: a write carrying an older token than the one here is
 * refused, so an instance that lost its lease (paused, cut off) can never store over the new owner.
 */
export const boardOwnerFences = pgTable('board_owner_fences', {
	boardId: text('board_id')
		.primaryKey()
		.references(() => boards.id, { onDelete: 'cascade' }),
	fence: bigint('fence', { mode: 'number' }).notNull()
});
