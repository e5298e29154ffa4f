import { z } from 'zod';
import { isTimeZone } from '../../../board/process/step-settings.ts';
import { DomainError } from '../../errors.ts';
import type { ImportChoices } from './import-trello.ts';
import { TRELLO_MAX_BYTES } from './limits.ts';

const kind = z.enum(['queue', 'active', 'wait', 'done']);
const key = z.string().min(1).max(64);
const choicesSchema = z.object({
	kinds: z.record(key, kind).default({}),
	people: z.record(key, key.nullable()).default({}),
	secondCopy: z.boolean().default(false)
});

/** What an import request carries: the export's bytes, the importer's time zone, and (for the import) their choices. */
export interface ImportRequest {
	bytes: Uint8Array;
	timeZone: string;
	choices: ImportChoices;
}

const tooLarge = () => new DomainError('too_large', `The file is larger than ${TRELLO_MAX_BYTES / 1024 / 1024} MB, the most an import takes. Trello exports of even large boards are smaller: check you chose the board’s JSON export.`, 'file');

/**
 * Reads a multipart import request (`file`, `timeZone`, optional `choices` as JSON): refuses a body announced or found
 * larger than the import limit, a missing file, and choices that are not what the page sends.
 */
export async function readImportRequest(request: Request): Promise<ImportRequest> {
	if (Number(request.headers.get('content-length') ?? 0) > TRELLO_MAX_BYTES + 64 * 1024) throw tooLarge();
	if (!/^multipart\/form-data\b/i.test(request.headers.get('content-type') ?? '')) throw new DomainError('unsupported_type', 'Send the export as a file upload (multipart/form-data).', 'file');
	let form: FormData;
	try {
		form = await request.formData();
	} catch (err) {
		if ((err as { status?: unknown } | null)?.status === 413) throw tooLarge();
		throw new DomainError('invalid_input', 'The upload was interrupted before the whole file arrived. Try again.', 'file');
	}
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) throw new DomainError('invalid_input', 'Choose the Trello export file (a .json file) to import.', 'file');
	if (file.size > TRELLO_MAX_BYTES) throw tooLarge();
	const zone = String(form.get('timeZone') ?? '');
	let choices: ImportChoices = { kinds: {}, people: {}, secondCopy: false };
	const rawChoices = form.get('choices');
	if (typeof rawChoices === 'string') {
		let json: unknown;
		try {
			json = JSON.parse(rawChoices);
		} catch {
			throw new DomainError('invalid_input', 'The import choices are not valid JSON.', 'choices');
		}
		const parsed = choicesSchema.safeParse(json);
		if (!parsed.success) throw new DomainError('invalid_input', `The import choices are not valid: ${parsed.error.issues[0]!.message}.`, 'choices');
		choices = parsed.data;
	}
	return { bytes: new Uint8Array(await file.arrayBuffer()), timeZone: isTimeZone(zone) ? zone : 'UTC', choices };
}
