import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cardAttachments } from '../db/schema/comments.ts';
import { users } from '../db/schema/accounts.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { insertActivity } from '../activity/write.ts';
import { requireCard, type CardSideDeps } from '../comments/card-access.ts';
import { checkBytes, checkName, INLINE_TYPES, SNIFF_BYTES } from './file-types.ts';
import { formatBytes } from '../../comments/file-kinds.ts';
import { keepUpload, readHead, readStored, readThumbnail, receiveUpload, removeBoardFolder, removeFile, removeStored, storageKey, thumbnailOf, type UploadSettings } from './storage.ts';
import { makeThumbnail } from './thumbnails.ts';

/** What the attachment services need: the card services' slice of the app, and where files go. */
export interface AttachmentDeps extends CardSideDeps {
	uploads: UploadSettings;
}

/** One attachment as the card shows it. */
export interface AttachmentView {
	id: string;
	cardId: string;
	fileName: string;
	mimeType: string;
	size: number;
	uploaderId: string;
	uploader: string;
	createdAt: string;
	/** An image (served inline rather than as a download). */
	image: boolean;
	/**
	 * The page may show `?size=thumb` as its preview: an image with a thumbnail, or one attached before thumbnails
	 * were made (served whole). False for other files and for images that could not be decoded.
	 */
	thumbnail: boolean;
	/** The viewer may remove it (they uploaded it, or own the board). */
	removable: boolean;
}

/** An upload as the route hands it over: the name, the announced length (if any) and the bytes, unread. */
export interface UploadInput {
	fileName: string | null;
	contentLength: number | null;
	body: ReadableStream<Uint8Array> | null;
}

const MAX_NAME = 200;

/** The file name as it will be kept: the last path segment, without control characters, at most 200 characters. */
export function cleanFileName(raw: string | null): string {
	// eslint-disable-next-line no-control-regex -- control characters are what is removed
	const name = (raw ?? '').split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
	if (!name) throw new DomainError('invalid_input', 'Say the file’s name (the `name` query parameter).', 'file');
	if (name.length > MAX_NAME) throw new DomainError('invalid_input', `Keep the file name under ${MAX_NAME} characters.`, 'file');
	return name;
}

/**
 * Stores a file on a card (members who may edit), with a thumbnail for an image. Refused before a byte is read when
 * the name or the announced length is wrong; refused after reading, with nothing kept, when the bytes pass the limit,
 * are not what the name says (a type found from the bytes, never taken from the browser) or are an image of too many
 * pixels. An image that cannot be decoded is kept without a thumbnail.
 */
export async function uploadAttachment(deps: AttachmentDeps, boardId: string, userId: string, cardId: string, input: UploadInput): Promise<AttachmentView> {
	const fileName = cleanFileName(input.fileName);
	checkName(fileName);
	await requireCard(deps, boardId, userId, cardId, 'edit_content');
	const { maxBytes } = deps.uploads;
	if (input.contentLength !== null && input.contentLength > maxBytes) throw new DomainError('too_large', `“${fileName}” is ${formatBytes(input.contentLength)}; a card takes files up to ${formatBytes(maxBytes)}.`, 'file');
	if (!input.body) throw new DomainError('invalid_input', `“${fileName}” is empty.`, 'file');
	const id = newId();
	const received = await receiveUpload(deps.uploads, id, input.body);
	try {
		if (received.size === 0) throw new DomainError('invalid_input', `“${fileName}” is empty.`, 'file');
		const mimeType = checkBytes(fileName, await readHead(received.path, SNIFF_BYTES));
		// Made within the request: it takes a fraction of a second for a phone photo, and a refusal (too many pixels)
		// must reach the uploader before anything is kept.
		const thumbnail = INLINE_TYPES.has(mimeType) ? await makeThumbnail(received.path, thumbnailOf(received.path), fileName) : null;
		const key = storageKey(boardId, id);
		const now = deps.clock.now();
		const row = { id, boardId, cardId, uploaderId: userId, fileName, mimeType, size: received.size, storageKey: key, thumbnail, createdAt: now };
		await keepUpload(deps.uploads, received.path, key, thumbnail === true);
		try {
			await deps.db.transaction(async (tx) => {
				await tx.insert(cardAttachments).values(row);
				await insertActivity(tx as unknown as Db, [{ boardId, at: now, actorId: userId, kind: 'attachment_added', cardId, stageId: null, data: { attachmentId: id, fileName } }]);
			});
		} catch (err) {
			await removeStored(deps.uploads, key);
			throw err;
		}
		deps.cardHub.publish(boardId, { cardId, what: 'attachments' });
		const [me] = await deps.db.select({ name: users.name }).from(users).where(eq(users.id, userId));
		return view(row, me?.name ?? null, userId, true);
	} finally {
		await Promise.all([removeFile(received.path), removeFile(thumbnailOf(received.path))]);
	}
}

/** A card's files, oldest first (any member). */
export async function listAttachments(deps: AttachmentDeps, boardId: string, userId: string, cardId: string): Promise<AttachmentView[]> {
	const { access } = await requireCard(deps, boardId, userId, cardId, 'view');
	const rows = await deps.db
		.select({ a: cardAttachments, uploader: users.name })
		.from(cardAttachments)
		.leftJoin(users, eq(users.id, cardAttachments.uploaderId))
		.where(and(eq(cardAttachments.boardId, boardId), eq(cardAttachments.cardId, cardId)))
		.orderBy(asc(cardAttachments.createdAt), asc(cardAttachments.id));
	return rows.map(({ a, uploader }) => view(a, uploader, userId, access.role === 'owner'));
}

/** A file as opened for download: its row, and the bytes of the file or of its thumbnail (`thumbnailSize` set). */
export interface OpenedAttachment {
	attachment: AttachmentView;
	body: ReadableStream<Uint8Array>;
	/** Set when `body` is the WebP thumbnail (its size in bytes), not the file. */
	thumbnailSize: number | null;
}

/**
 * A file to download (any member; anyone else is told it does not exist): its row and its bytes. Asked for its
 * thumbnail, a file without one (not an image, undecodable, or attached before thumbnails) gives the file itself.
 */
export async function openAttachment(deps: AttachmentDeps, boardId: string, userId: string, cardId: string, attachmentId: string, want: 'file' | 'thumbnail' = 'file'): Promise<OpenedAttachment> {
	const { access } = await requireCard(deps, boardId, userId, cardId, 'view');
	const row = await findAttachment(deps.db, boardId, cardId, attachmentId);
	const attachment = view(row, null, userId, access.role === 'owner');
	const thumbnail = want === 'thumbnail' && row.thumbnail ? await readThumbnail(deps.uploads, row.storageKey) : null;
	if (thumbnail) return { attachment, body: thumbnail.body, thumbnailSize: thumbnail.size };
	return { attachment, body: await readStored(deps.uploads, row.storageKey), thumbnailSize: null };
}

/** Removes a file from a card: its uploader, or an owner of the board. */
export async function removeAttachment(deps: AttachmentDeps, boardId: string, userId: string, cardId: string, attachmentId: string): Promise<void> {
	const { access } = await requireCard(deps, boardId, userId, cardId, 'edit_content');
	const row = await findAttachment(deps.db, boardId, cardId, attachmentId);
	if (row.uploaderId !== userId && access.role !== 'owner') throw new DomainError('forbidden', 'Only the person who attached a file, or a board owner, can remove it.');
	await deps.db.transaction(async (tx) => {
		await tx.delete(cardAttachments).where(eq(cardAttachments.id, row.id));
		await insertActivity(tx as unknown as Db, [{ boardId, at: deps.clock.now(), actorId: userId, kind: 'attachment_removed', cardId, stageId: null, data: { attachmentId: row.id, fileName: row.fileName } }]);
	});
	await removeStored(deps.uploads, row.storageKey);
	deps.cardHub.publish(boardId, { cardId, what: 'attachments' });
}

/**
 * Deletes every file of a card for good, rows, bytes and thumbnails: for a card deleted from its board's document once its
 * grace period for an undo is over (server/cards/card-purge.ts). Archived cards keep their files.
 */
export async function deleteCardFiles(db: Db, uploads: UploadSettings, boardId: string, cardId: string): Promise<void> {
	const rows = await db
		.delete(cardAttachments)
		.where(and(eq(cardAttachments.boardId, boardId), eq(cardAttachments.cardId, cardId)))
		.returning({ key: cardAttachments.storageKey });
	for (const { key } of rows) await removeStored(uploads, key);
}

/** Deletes every file of a board, thumbnails included, from disk (its rows go with the board, by cascade). */
export async function deleteBoardFiles(uploads: UploadSettings, boardId: string): Promise<void> {
	await removeBoardFolder(uploads, boardId);
}

async function findAttachment(db: Db, boardId: string, cardId: string, attachmentId: string) {
	const [row] = await db
		.select()
		.from(cardAttachments)
		.where(and(eq(cardAttachments.id, attachmentId), eq(cardAttachments.boardId, boardId), eq(cardAttachments.cardId, cardId)));
	if (!row) throw new DomainError('not_found', 'This file does not exist (it may have been removed).');
	return row;
}

function view(row: typeof cardAttachments.$inferSelect, uploader: string | null, viewerId: string, isOwner: boolean): AttachmentView {
	return {
		id: row.id,
		cardId: row.cardId,
		fileName: row.fileName,
		mimeType: row.mimeType,
		size: row.size,
		uploaderId: row.uploaderId,
		uploader: uploader ?? 'someone who left',
		createdAt: row.createdAt.toISOString(),
		image: INLINE_TYPES.has(row.mimeType),
		thumbnail: INLINE_TYPES.has(row.mimeType) && row.thumbnail !== false,
		removable: row.uploaderId === viewerId || isOwner
	};
}
