import { z } from 'zod';
import { DomainError } from '../../errors.ts';

// The parts of Trello's board JSON export (board menu → Print, export and share → Export as JSON) an import reads.
// Lenient on everything else (Trello adds fields over the years: they pass through unread); strict on what we need.

const id = z.string().min(1);
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected a date');
const optionalText = z.string().nullish().transform((s) => s ?? '');

const list = z.looseObject({ id, name: z.string(), closed: z.boolean().default(false), pos: z.number().default(0) });
const label = z.looseObject({ id, name: optionalText, color: z.string().nullish().transform((c) => c ?? null) });
const attachment = z.looseObject({ name: optionalText, url: optionalText, isUpload: z.boolean().default(false), bytes: z.number().nullish() });
const card = z.looseObject({
	id,
	name: z.string(),
	desc: optionalText,
	closed: z.boolean().default(false),
	idList: id,
	pos: z.number().default(0),
	due: isoDate.nullish().transform((d) => d ?? null),
	dueComplete: z.boolean().default(false),
	dateLastActivity: isoDate.nullish().transform((d) => d ?? null),
	idLabels: z.array(z.string()).default([]),
	idMembers: z.array(z.string()).default([]),
	idChecklists: z.array(z.string()).default([]),
	attachments: z.array(attachment).default([]),
	customFieldItems: z.array(z.unknown()).default([]),
	pluginData: z.array(z.unknown()).default([])
});
const checkItem = z.looseObject({ id, name: z.string(), state: z.enum(['complete', 'incomplete']), pos: z.number().default(0) });
const checklist = z.looseObject({ id, idCard: id, name: optionalText, pos: z.number().default(0), checkItems: z.array(checkItem).default([]) });
const member = z.looseObject({ id, fullName: optionalText, username: optionalText, email: z.string().nullish() });
const ref = z.looseObject({ id: z.string() });
const action = z.looseObject({
	id,
	type: z.string(),
	date: isoDate,
	idMemberCreator: z.string().nullish(),
	data: z
		.looseObject({
			card: z.looseObject({ id: z.string(), closed: z.boolean().optional() }).optional(),
			list: ref.optional(),
			listBefore: ref.optional(),
			listAfter: ref.optional(),
			old: z.looseObject({ closed: z.boolean().optional() }).optional()
		})
		.default({})
});
const plugin = z.looseObject({ idPlugin: z.string().nullish() });

/** Trello's board export, as far as an import reads it. */
export const trelloExportSchema = z.looseObject({
	id,
	name: z.string(),
	desc: optionalText,
	lists: z.array(list),
	cards: z.array(card),
	labels: z.array(label).default([]),
	checklists: z.array(checklist).default([]),
	members: z.array(member).default([]),
	actions: z.array(action).default([]),
	customFields: z.array(z.unknown()).default([]),
	pluginData: z.array(plugin).default([])
});

/** A Trello board export after checking. */
export type TrelloExport = z.infer<typeof trelloExportSchema>;
/** One Trello action (newest first in an export). */
export type TrelloAction = TrelloExport['actions'][number];

/** Trello keeps at most this many actions in a board export: history before the oldest kept one is not in the file. */
export const TRELLO_ACTION_CAP = 1000;

const HOW_TO_EXPORT = 'In Trello, open the board’s menu → Print, export and share → Export as JSON, and upload the file it downloads.';

/**
 * Parses the text of a Trello board export. Refuses, with a message saying where and what, a file that is not JSON
 * (or is cut off), JSON that is not a Trello board export, and an export that lacks or mangles what an import needs.
 */
export function parseTrelloExport(text: string): TrelloExport {
	if (text.trim() === '') throw new DomainError('invalid_input', `The file is empty. ${HOW_TO_EXPORT}`, 'file');
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (err) {
		throw new DomainError('invalid_input', jsonProblem(text, (err as Error).message), 'file');
	}
	if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !('lists' in raw || 'cards' in raw || 'actions' in raw)) {
		throw new DomainError('invalid_input', `This is not a Trello board export: it has no lists, cards or actions. ${HOW_TO_EXPORT}`, 'file');
	}
	const parsed = trelloExportSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		const where = issue.path.length > 0 ? pathText(issue.path) : 'the board';
		const missing = issue.code === 'invalid_type' && issue.message.includes('undefined');
		const message = missing ? `The Trello export has no “${where}”` : `The Trello export’s “${where}” is not what Trello writes (${issue.message})`;
		throw new DomainError('invalid_input', `${message}. The file may have been edited or cut off; export the board from Trello again.`, 'file');
	}
	const board = parsed.data;
	const lists = new Set(board.lists.map((l) => l.id));
	const orphan = board.cards.find((c) => !lists.has(c.idList));
	if (orphan) {
		throw new DomainError('invalid_input', `The card “${orphan.name.slice(0, 80)}” is in a list the export does not have (${orphan.idList.slice(0, 40)}). Export the board from Trello again.`, 'file');
	}
	return board;
}

/** JSON's complaint in words a person can act on: where in the file, and whether the file looks cut off. */
function jsonProblem(text: string, message: string): string {
	const at = /position (\d+)/.exec(message);
	const position = at ? Number(at[1]) : null;
	if (/end of (JSON|data)/i.test(message) || position === text.length || (position !== null && position >= text.trimEnd().length)) {
		return `The file ends too early: it looks cut off after ${text.length.toLocaleString('en')} characters (the download or copy did not finish). Export the board from Trello again.`;
	}
	if (position === null) return `The file is not valid JSON (${message.slice(0, 120)}). ${HOW_TO_EXPORT}`;
	const before = text.slice(0, position);
	const line = before.split('\n').length;
	const column = position - before.lastIndexOf('\n');
	return `The file is not valid JSON: something unexpected at line ${line}, column ${column}. ${HOW_TO_EXPORT}`;
}

/** `cards[3].idList` from a zod issue path. */
function pathText(path: readonly PropertyKey[]): string {
	return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
