import { bigint, boolean, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/**
 * Comments on cards: markdown written by members, kept out of the board document (append-mostly, searched, each with
 * its author). A deleted comment is removed for good; its trace is the `comment_deleted` entry in the activity.
 */
export const cardComments = pgTable(
	'card_comments',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id').notNull(),
		/** No foreign key: a deleted account's comments stay, shown as "someone who left". */
		authorId: text('author_id').notNull(),
		body: text('body').notNull(),
		/** The server's time. */
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		/** Set when the author changed the text (the comment then reads "edited"). */
		editedAt: timestamp('edited_at', { withTimezone: true })
	},
	(t) => [index('card_comments_card_idx').on(t.boardId, t.cardId, t.createdAt)]
);

/**
 * Files on cards. The bytes live on disk under the upload folder at `storage_key` (`<boardId>/<id>`); the row is what
 * the app knows of them: the name it was uploaded as and the type its bytes were found to be.
 */
export const cardAttachments = pgTable(
	'card_attachments',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id').notNull(),
		uploaderId: text('uploader_id').notNull(),
		fileName: text('file_name').notNull(),
		/** The type found from the bytes (never the one the browser claimed). */
		mimeType: text('mime_type').notNull(),
		size: bigint('size', { mode: 'number' }).notNull(),
		storageKey: text('storage_key').notNull(),
		/**
		 * An image's thumbnail: true when a WebP copy is stored beside the file, false when the image could not be
		 * decoded (the page shows a plain icon); null for other files, and for images attached before thumbnails were made.
		 */
		thumbnail: boolean('thumbnail'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [index('card_attachments_card_idx').on(t.boardId, t.cardId, t.createdAt)]
);
