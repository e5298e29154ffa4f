import * as Y from 'yjs';
import { DomainError } from '../errors.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, boardExportSchema, type BoardExport } from './format.ts';
import { SCHEMA_VERSION } from '../../board/doc/schema.ts';
import { healBoard } from '../../board/doc/heal.ts';
import { LOAD } from '../../board/doc/origins.ts';
import { assertUpdateV1 } from '../../../../server/sync/update-guard.ts';

/** A board export that passed every check, with its document decoded into a fresh Y.Doc of the server's own. */
export interface ParsedExport {
	data: BoardExport;
	doc: Y.Doc;
}

const refuse = (message: string) => new DomainError('invalid_input', message, 'file');

/** Where a zod issue is, as a person reads it: `events[12].at`. */
function place(path: readonly PropertyKey[]): string {
	return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/**
 * Reads an uploaded board export, refusing with a precise message (and nothing created): not JSON or cut short, not a
 * Flowdeck board export, from a newer Flowdeck (format or document version), or damaged (which field, where). The
 * document's bytes are checked structurally before Yjs decodes them, then loaded into the server's own Y.Doc (only
 * what that doc re-encodes is ever stored).
 */
export function parseBoardExport(text: string): ParsedExport {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (err) {
		const why = (err as Error).message.replace(/^JSON\.parse: /, '');
		throw refuse(`This file is not complete JSON (${why}): it may have been cut short while downloading or copying. Export the board again and upload the whole file.`);
	}
	if (!raw || typeof raw !== 'object' || Array.isArray(raw) || (raw as { format?: unknown }).format !== EXPORT_FORMAT) {
		throw refuse(`This is not a Flowdeck board export: its "format" should be "${EXPORT_FORMAT}". Export the board from its settings page (Download board).`);
	}
	const version = (raw as { version?: unknown }).version;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw refuse('This Flowdeck board export has no format version; it is damaged. Export the board again.');
	if (version > EXPORT_VERSION) {
		throw refuse(`This export comes from a newer Flowdeck (format version ${version}); this server reads up to ${EXPORT_VERSION}. Upgrade this server first.`);
	}
	const parsed = boardExportSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw refuse(`This board export is damaged at ${place(issue.path) || 'its top level'}: ${issue.message}. Export the board again.`);
	}
	return { data: parsed.data, doc: decodeDocument(parsed.data.document.state) };
}

/** The export's document in a fresh Y.Doc, after the same structural checks as a client's update, healed of unreadable entries. */
function decodeDocument(base64: string): Y.Doc {
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) throw refuse('The board document in this export is not base64; the file is damaged. Export the board again.');
	const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
	try {
		assertUpdateV1(bytes);
	} catch (err) {
		throw refuse(`The board document in this export is damaged (${(err as Error).message}). Export the board again.`);
	}
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, bytes, LOAD);
	} catch (err) {
		throw refuse(`The board document in this export does not load (${(err as Error).message}). Export the board again.`);
	}
	const schema = doc.getMap('meta').get('schemaVersion');
	if (typeof schema === 'number' && schema > SCHEMA_VERSION) {
		throw refuse(`This export’s board document comes from a newer Flowdeck (document version ${schema}); this server reads up to ${SCHEMA_VERSION}. Upgrade this server first.`);
	}
	healBoard(doc);
	return doc;
}
