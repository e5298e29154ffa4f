import { parse, CsvError } from 'csv-parse/sync';
import { CARD_COLUMN_NAMES } from './cards-csv.ts';
import { LABEL_COLORS } from '../../board/defaults.ts';
import { LIMITS, isCalendarDate } from '../../board/limits.ts';
import { stageHasLimit } from '../../board/policy.ts';
import type { Stage } from '../../board/types.ts';
import type { ImportedCard } from '../../board/doc/import-commands.ts';

/** Most cards one CSV import may bring (one transaction on the board). */
export const MAX_IMPORT_ROWS = 2_000;

/** One problem of an import, at the line of the file where its row starts (1 is the header). */
export interface CsvProblem {
	line: number | null;
	message: string;
}

/** What an import would create: each card with its stage, or the problems found (then nothing is created). */
export interface CsvImportPlan {
	cards: { line: number; stageId: string; card: ImportedCard }[];
	problems: CsvProblem[];
}

/** What the board looks like to the import: stages in order, live cards per stage, members by email. */
export interface ImportTarget {
	stages: readonly Stage[];
	liveCards: ReadonlyMap<string, number>;
	/** Lower-cased email → user id, for every member of the board. */
	members: ReadonlyMap<string, string>;
}

// What csv.ts put before free text that a spreadsheet would run as a formula: taken off again, so a round trip is exact.
const unguard = (text: string) => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text);
const quoted = (text: string) => `“${text.slice(0, 60)}”`;
const YES = new Set(['yes', 'true', '1', 'y']);
const NO = new Set(['no', 'false', '0', 'n', '']);

/** The cells of a row by column name. */
type Row = ReadonlyMap<string, string>;

/** Reads a CSV's rows with the line each starts on, or the problem that keeps the file from being read at all. */
function readRows(text: string): { header: string[]; rows: { line: number; cells: string[] }[] } | CsvProblem {
	let records: { record: string[]; info: { lines: number } }[];
	try {
		// One kind of line end: csv-parse counts a CRLF inside a quoted cell as two lines, which would put every later line number off.
		records = parse(text.replace(/\r\n?/g, '\n'), { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
	} catch (err) {
		if (err instanceof CsvError) return { line: (err as CsvError & { lines?: number }).lines ?? null, message: `the file is not valid CSV: ${err.message}` };
		throw err;
	}
	// csv-parse counts the line a record ends on; a quoted cell with line breaks starts that many lines earlier.
	const startLine = (r: (typeof records)[number]) => r.info.lines - r.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
	const [head, ...rest] = records;
	return { header: head ? head.record.map((h) => h.trim().toLowerCase()) : [], rows: rest.map((r) => ({ line: startLine(r), cells: r.record })) };
}

/**
 * Reads a cards CSV against a board and checks every line before anything is created: the header (unknown or repeated
 * columns, no title column), then each row (stage, labels, owners, dates, yes/no, checklist, lengths) and the stages'
 * hard WIP limits for the lot. Problems name the line of the file and what the board has instead.
 */
export function planCsvImport(text: string, target: ImportTarget): CsvImportPlan {
	const parsed = readRows(text);
	if ('message' in parsed) return { cards: [], problems: [parsed] };
	const { header, rows } = parsed;
	const problems: CsvProblem[] = [];
	const expected = `expected: ${CARD_COLUMN_NAMES.join(', ')}`;
	if (header.length === 0) return { cards: [], problems: [{ line: null, message: 'The file is empty: it needs a header line naming its columns (at least “title”).' }] };
	header.forEach((name, i) => {
		if (!CARD_COLUMN_NAMES.includes(name)) problems.push({ line: 1, message: `column ${quoted(name)} is not one Flowdeck knows; ${expected}.` });
		else if (header.indexOf(name) !== i) problems.push({ line: 1, message: `column ${quoted(name)} appears twice.` });
	});
	if (!header.includes('title')) problems.push({ line: 1, message: `there is no “title” column; ${expected}.` });
	if (problems.length > 0) return { cards: [], problems };
	if (rows.length === 0) return { cards: [], problems: [{ line: null, message: 'The file has a header but no cards.' }] };
	if (rows.length > MAX_IMPORT_ROWS) return { cards: [], problems: [{ line: null, message: `The file has ${rows.length} cards; one import takes at most ${MAX_IMPORT_ROWS}. Split it into several files.` }] };
	const cards: CsvImportPlan['cards'] = [];
	const live = new Map(target.liveCards);
	for (const { line, cells } of rows) {
		if (cells.length > header.length) {
			problems.push({ line, message: `has ${cells.length} cells but the header names ${header.length} columns (a comma in a cell needs the cell in double quotes).` });
			continue;
		}
		const row: Row = new Map(header.map((name, i) => [name, cells[i] ?? '']));
		const found = readCard(row, target);
		if (typeof found === 'string') {
			problems.push({ line, message: found });
			continue;
		}
		const stage = target.stages.find((s) => s.id === found.stageId)!;
		// addCard's own check, counted ahead: the board refuses a card past a hard limit, and nothing may be half-imported.
		if (stage.wipMode === 'hard' && stageHasLimit(stage) && (live.get(stage.id) ?? 0) >= stage.wipLimit) {
			problems.push({ line, message: `stage ${quoted(stage.name)} has a hard WIP limit of ${stage.wipLimit} and would be over it with this card.` });
			continue;
		}
		if (!found.card.archived) live.set(stage.id, (live.get(stage.id) ?? 0) + 1);
		cards.push({ line, ...found });
	}
	return { cards: problems.length > 0 ? [] : cards, problems };
}

/** One row as a card and its stage, or what is wrong with it. */
function readCard(row: Row, target: ImportTarget): { stageId: string; card: ImportedCard } | string {
	const cell = (name: string) => unguard(row.get(name) ?? '').trim();
	const title = cell('title');
	if (!title) return 'the title is empty.';
	if (title.length > LIMITS.shortText) return `the title is ${title.length} characters long; at most ${LIMITS.shortText}.`;
	const stageName = cell('stage');
	const stage = stageName ? target.stages.find((s) => s.name.trim().toLowerCase() === stageName.toLowerCase()) : target.stages[0];
	if (!stage) return stageName ? `stage ${quoted(stageName)} does not exist on this board; stages are: ${target.stages.map((s) => s.name).join(', ')}.` : 'this board has no stages.';
	const description = unguard(row.get('description') ?? '');
	if (description.length > LIMITS.description) return `the description is ${description.length} characters long; at most ${LIMITS.description}.`;
	const labels = readLabels(cell('labels'));
	if (typeof labels === 'string') return labels;
	const owners: string[] = [];
	for (const email of cell('owners').split(/[;,]/).map((e) => e.trim()).filter(Boolean)) {
		const id = target.members.get(email.toLowerCase());
		if (!id) return `owner ${quoted(email)} is not a member of this board (owners are written as members’ email addresses).`;
		if (!owners.includes(id)) owners.push(id);
	}
	if (owners.length > LIMITS.ownersPerCard) return `a card can have at most ${LIMITS.ownersPerCard} owners.`;
	const dates: Record<'due' | 'target', string | null> = { due: null, target: null };
	for (const name of ['due', 'target'] as const) {
		const value = cell(name);
		if (value && !isCalendarDate(value)) return `${name} ${quoted(value)} is not a date; write it as YYYY-MM-DD, like 2026-12-31.`;
		dates[name] = value || null;
	}
	const blocked = cell('blocked');
	if (blocked.length > LIMITS.shortText) return `the blocking reason is ${blocked.length} characters long; at most ${LIMITS.shortText}.`;
	const archived = cell('archived').toLowerCase();
	if (!YES.has(archived) && !NO.has(archived)) return `archived ${quoted(archived)} should be yes or no.`;
	const checklist = row.has('checklist') ? readChecklist(unguard(row.get('checklist') ?? '')) : null;
	if (typeof checklist === 'string') return checklist;
	return { stageId: stage.id, card: { title, description, labels, owners, due: dates.due, target: dates.target, blocked: blocked || null, archived: YES.has(archived), checklist } };
}

/** `name:colour;…` as labels, or what is wrong. */
function readLabels(text: string): ImportedCard['labels'] | string {
	const labels: ImportedCard['labels'] = [];
	for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
		const colon = part.lastIndexOf(':');
		const name = (colon < 0 ? part : part.slice(0, colon)).trim();
		const color = colon < 0 ? '' : part.slice(colon + 1).trim().toLowerCase();
		if (!(LABEL_COLORS as readonly string[]).includes(color)) return `label ${quoted(part)} needs a colour after a colon, one of: ${LABEL_COLORS.join(', ')} (like “Urgent:red”).`;
		if (!name || name.length > LIMITS.labelName) return `label ${quoted(part)} needs a name of 1 to ${LIMITS.labelName} characters.`;
		labels.push({ name, color });
	}
	return labels.length > LIMITS.labelsPerCard ? `a card can have at most ${LIMITS.labelsPerCard} labels.` : labels;
}

/** One item a line, `[x] ` done, `[ ] ` (or nothing) to do; or what is wrong. */
function readChecklist(text: string): NonNullable<ImportedCard['checklist']> | string {
	const items = text
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean)
		.map((l) => {
			const mark = /^\[( |x|X)\]\s*/.exec(l);
			return { text: mark ? l.slice(mark[0].length) : l, done: mark ? mark[1] !== ' ' : false };
		});
	if (items.length > LIMITS.checklistItemsPerCard) return `a card can have at most ${LIMITS.checklistItemsPerCard} checklist items.`;
	const bad = items.find((i) => !i.text || i.text.length > LIMITS.shortText);
	return bad ? `checklist item ${quoted(bad.text || '(empty)')} needs 1 to ${LIMITS.shortText} characters.` : items;
}
