import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../errors.ts';
import { formatBytes } from '../../comments/file-kinds.ts';

/** Where attachments live and how large one may be. */
export interface UploadSettings {
	/** The folder holding `<boardId>/<attachmentId>` files, their thumbnails, and `.incoming/` while uploads arrive. */
	dir: string;
	maxBytes: number;
}

/** The largest attachment unless `UPLOAD_MAX_BYTES` says otherwise: 25 MB. */
export const DEFAULT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

/** How much of a too-large upload is read and dropped so its refusal can still be answered (see receiveUpload). */
const DRAIN_BYTES = 1024 * 1024;

/** The settings from the server's configuration: `UPLOAD_DIR`, else `uploads` in the data folder. */
export function uploadSettings(config: { dir?: string; maxBytes?: number } | undefined, dataDir: string): UploadSettings {
	return { dir: config?.dir ?? resolve(dataDir || 'data', 'uploads'), maxBytes: config?.maxBytes ?? DEFAULT_UPLOAD_MAX_BYTES };
}


// Ids are Flowdeck's own (base32); anything else never reaches the file system, so no key can climb out of the folder.
const SAFE_ID = /^[a-z0-9]{1,64}$/;
const checked = (id: string) => {
	if (!SAFE_ID.test(id)) throw new DomainError('not_found', 'This file does not exist.');
	return id;
};

/** The storage key of an attachment: `<boardId>/<attachmentId>`. */
export const storageKey = (boardId: string, attachmentId: string): string => `${checked(boardId)}/${checked(attachmentId)}`;

/** The file of a storage key. */
export function storedPath(settings: UploadSettings, key: string): string {
	const [board, file, ...rest] = key.split('/');
	if (!board || !file || rest.length > 0) throw new DomainError('not_found', 'This file does not exist.');
	return join(settings.dir, checked(board), checked(file));
}

// A thumbnail sits beside its file under the same name, so whatever removes a board's folder removes it too.
const THUMBNAIL_SUFFIX = '.thumb.webp';

/** The thumbnail of a stored file (or of an upload still in `.incoming/`): `<boardId>/<attachmentId>.thumb.webp`. */
export const thumbnailOf = (path: string): string => `${path}${THUMBNAIL_SUFFIX}`;

/**
 * Writes an upload's bytes to a file in `.incoming/`, counting them as they arrive: past `maxBytes` it stops reading,
 * removes what it wrote and refuses (nothing kept, nothing held in memory beyond one chunk). Resolves with the file
 * and the size.
 */
export async function receiveUpload(settings: UploadSettings, id: string, body: ReadableStream<Uint8Array>): Promise<{ path: string; size: number }> {
	const incoming = join(settings.dir, '.incoming');
	await mkdir(incoming, { recursive: true });
	const path = join(incoming, checked(id));
	let size = 0;
	const tooLarge = new DomainError('too_large', `The file is larger than ${formatBytes(settings.maxBytes)}, the most a card takes.`, 'file');
	const counter = new Transform({
		transform(chunk: Buffer, _enc, done) {
			size += chunk.length;
			if (size <= settings.maxBytes) return done(null, chunk);
			// Past the limit nothing more is written, but a little more is read and dropped: stopping the request
			// outright would close the connection before the browser hears why. adapter-node's own limit
			// (BODY_SIZE_LIMIT, just above ours) ends the stream soon; DRAIN_BYTES bounds it when that is unset.
			if (size > settings.maxBytes + DRAIN_BYTES) return done(tooLarge);
			done();
		}
	});
	try {
		await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), counter, createWriteStream(path, { flags: 'wx' }));
		if (size > settings.maxBytes) throw tooLarge;
	} catch (err) {
		await unlink(path).catch(() => undefined);
		if (err === tooLarge) throw tooLarge;
		// adapter-node's own body limit (BODY_SIZE_LIMIT) ends the stream with a 413 of its own.
		if ((err as { status?: unknown } | null)?.status === 413) throw tooLarge;
		throw new DomainError('invalid_input', 'The upload was interrupted before the whole file arrived. Try again.', 'file');
	}
	return { path, size };
}

/** The first `bytes` of a file (what the type check reads). */
export async function readHead(path: string, bytes: number): Promise<Uint8Array> {
	const handle = await open(path, 'r');
	try {
		const buffer = new Uint8Array(bytes);
		const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** Moves a received upload, and its thumbnail when one was made, to their place under the board's folder. */
export async function keepUpload(settings: UploadSettings, incomingPath: string, key: string, withThumbnail: boolean): Promise<void> {
	const path = storedPath(settings, key);
	await mkdir(join(path, '..'), { recursive: true });
	// The thumbnail first: a file in place always has the thumbnail its row will promise.
	if (withThumbnail) await rename(thumbnailOf(incomingPath), thumbnailOf(path));
	await rename(incomingPath, path);
}

/** Removes a stored file and its thumbnail (either already gone is fine). */
export async function removeStored(settings: UploadSettings, key: string): Promise<void> {
	const path = storedPath(settings, key);
	await Promise.all([removeFile(path), removeFile(thumbnailOf(path))]);
}

/** Removes a file (an incoming one, or a stored one by key); a file already gone is fine. */
export async function removeFile(path: string): Promise<void> {
	await rm(path, { force: true });
}

/** A stored file's bytes as a web stream (for a download response); not_found when the file is gone from disk. */
export async function readStored(settings: UploadSettings, key: string): Promise<ReadableStream<Uint8Array>> {
	const path = storedPath(settings, key);
	// Checked first: a stream that fails after the headers went out would end the download half-way, unexplained.
	await access(path).catch(() => {
		throw new DomainError('not_found', 'This file is missing from the server’s storage. Ask an admin to restore it from a backup.');
	});
	return Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
}

/** A stored file's thumbnail as a web stream with its size, or null when it has none on disk. */
export async function readThumbnail(settings: UploadSettings, key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null> {
	const path = thumbnailOf(storedPath(settings, key));
	const found = await stat(path).catch(() => null);
	if (!found?.isFile()) return null;
	return { body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, size: found.size };
}

/** Removes every file of a board (its folder). */
export async function removeBoardFolder(settings: UploadSettings, boardId: string): Promise<void> {
	await rm(join(settings.dir, checked(boardId)), { recursive: true, force: true });
}
