import * as Y from 'yjs';
import { isCardTarget, isHandoff, isStepSettings, isStoredSignoff, isTimeZone, teamRoleHoldersSchema } from '../process/step-settings.ts';
import { STAGE_KINDS, type Blocker, type ExitCheck, type ExitCriterion, type Label, type StageKind } from '../types.ts';

/**
 * The type and shape of everything a board document may hold, per root map and key: what the server checks
 * an update against before applying it (server/sync/shape-guard.ts) and what a stored board is healed to
 * (heal.ts). Meaning and limits (title length, who may stamp a sign-off) are checked elsewhere; this only makes
 * sure every reader can read the document.
 */

/** A plain value (Yjs `ContentAny`) and the test it must pass. */
export interface ValueShape {
	kind: 'value';
	what: string;
	test(value: unknown): boolean;
}

/** A `Y.Map`: what each key may hold (undefined: the key is not part of the board). */
export interface MapShape {
	kind: 'map';
	what: string;
	key(key: string): Shape | undefined;
}

/** A `Y.Array` whose elements are all of one shape. */
export interface ArrayShape {
	kind: 'array';
	what: string;
	item: ValueShape;
}

/** A `Y.Text` (plain text: strings only). */
export interface TextShape {
	kind: 'text';
	what: string;
}

/** What one place of the document may hold. */
export type Shape = ValueShape | MapShape | ArrayShape | TextShape;

/** A shape that is a Y type (a map, an array or a text). */
export type TypeShape = MapShape | ArrayShape | TextShape;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

const value = (what: string, test: (v: unknown) => boolean): ValueShape => ({ kind: 'value', what, test });
const fields = (what: string, shapes: Record<string, Shape>): MapShape => ({
	kind: 'map',
	what,
	key: (key) => (Object.hasOwn(shapes, key) ? shapes[key] : undefined)
});
const anyKey = (what: string, shape: Shape): MapShape => ({ kind: 'map', what, key: () => shape });

/** Whether `v` is an object whose named fields are all strings (other fields are ignored by readers). */
function stringFields(v: unknown, names: readonly string[]): boolean {
	return isRecord(v) && names.every((name) => isString(v[name]));
}

/** A card label: `{ name, color }`. */
export const isLabel = (v: unknown): v is Label => stringFields(v, ['name', 'color']);
/** A blocker: `{ reason, by, at }`. */
export const isBlocker = (v: unknown): v is Blocker => stringFields(v, ['reason', 'by', 'at']);
/** An exit check: `{ by, at }`. */
export const isExitCheck = (v: unknown): v is ExitCheck => stringFields(v, ['by', 'at']);
/** An exit criterion: `{ id, text }`. */
export const isExitCriterion = (v: unknown): v is ExitCriterion => stringFields(v, ['id', 'text']);
/** One of the stage kinds. */
export const isStageKind = (v: unknown): v is StageKind => STAGE_KINDS.includes(v as StageKind);
/**
 * A string without NUL characters (as a type predicate, for `valuesIn`). PostgreSQL refuses NUL in text and
 * JSON, so a title carrying one would make every history write about its card fail.
 */
export const isString = (v: unknown): v is string => typeof v === 'string' && !v.includes('\u0000');
/** The furthest from the epoch a JavaScript Date reaches, in seconds. */
const MAX_DATE_SECONDS = 8.64e12;

/** A `places` entry: `{ key: cardId, val: [stageId, rank, enteredSeconds] }`. */
export const isPlaceEntry = (v: unknown): boolean =>
	isRecord(v) && isString(v.key) && Array.isArray(v.val) && v.val.length === 3 && isString(v.val[0]) && isString(v.val[1]) && isNumber(v.val[2]) && Math.abs(v.val[2]) <= MAX_DATE_SECONDS;

const STRING = value('text', isString);
/** A lane's soft WIP limit: a whole number of cards, 1–999. */
export const isLaneLimit = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 999;
const NUMBER = value('a number', isNumber);
const BOOLEAN = value('true or false', (v) => typeof v === 'boolean');

const STAGE = fields('a stage', {
	id: STRING,
	name: STRING,
	rank: STRING,
	kind: value(`one of ${STAGE_KINDS.join(', ')}`, isStageKind),
	wipLimit: value('a number or nothing', (v) => v === null || isNumber(v)),
	wipMode: value('soft or hard', (v) => v === 'soft' || v === 'hard'),
	exitCriteria: { kind: 'array', what: 'exit criteria', item: value('an exit criterion { id, text }', isExitCriterion) },
	step: value('step settings { ownerRole, offset, unit, approval } or nothing', (v) => v === null || isStepSettings(v))
});

const CARD = fields('a card', {
	title: STRING,
	due: value('a date or nothing', (v) => v === null || isString(v)),
	labels: value('a list of labels { name, color }', (v) => Array.isArray(v) && v.every(isLabel)),
	blocked: value('a blocker { reason, by, at } or nothing', (v) => v === null || isBlocker(v)),
	archived: BOOLEAN,
	target: value('a target date { day, at } or nothing', (v) => v === null || isCardTarget(v)),
	// Schema 1 kept these in the card; old documents still have them (see places.ts legacyPlace).
	id: STRING,
	stageId: STRING,
	rank: STRING,
	movedAt: STRING,
	createdAt: STRING,
	createdBy: STRING,
	movedBy: STRING
});

const CHECKLIST_ITEM = fields('a checklist item', { id: STRING, cardId: STRING, text: STRING, rank: STRING, done: BOOLEAN });

/** Every root type of a board document and its shape. Roots not listed here are not part of a board. */
export const BOARD_ROOTS: Readonly<Record<string, TypeShape>> = {
	meta: fields('board settings', {
		schemaVersion: NUMBER,
		name: STRING,
		timeZone: value('a time zone', isTimeZone),
		labels: value('a list of labels { name, color }', (v) => Array.isArray(v) && v.length <= 100 && v.every(isLabel)),
		checklist: value('a list of checklist items', (v) => Array.isArray(v) && v.length <= 100 && v.every(isString))
	}),
	stages: anyKey('stages', STAGE),
	cards: anyKey('cards', CARD),
	places: { kind: 'array', what: 'places', item: value('a place { key, val: [stage, rank, seconds] }', isPlaceEntry) },
	checklists: anyKey('checklists', CHECKLIST_ITEM),
	owners: anyKey('owners', value('a user id', isString)),
	exitChecks: anyKey('exit checks', value('an exit check { by, at }', isExitCheck)),
	descriptions: anyKey('descriptions', { kind: 'text', what: 'a description' }),
	stepDues: anyKey('step due dates', value('a date', (v) => isString(v) && /^\d{4}-\d{2}-\d{2}$/.test(v))),
	// Written by the server alone (server/engine/process-guard.ts reverts anyone else's write).
	process: fields('process state', {
		teamRoles: value('team role holders', (v) => teamRoleHoldersSchema.safeParse(v).success),
		// The stages whose built-in hand-off the board's owner switched off (set only while some is off).
		handoffsOff: value('a list of stage ids', (v) => Array.isArray(v) && v.length > 0 && v.length <= 1000 && v.every(isString))
	}),
	handoffs: anyKey('hand-offs', value('a hand-off { stageId, role, userId, at }', isHandoff)),
	signoffs: anyKey('sign-offs', value('a sign-off { decisions, contentAt }', isStoredSignoff)),
	turns: anyKey('hand-off turns', value('a user id', isString)),
	laneLimits: anyKey('lane WIP limits', value('a whole number from 1 to 999', isLaneLimit))
};

/** The shape of a root type, if `name` is one of a board's roots. */
export function rootShape(name: string): TypeShape | undefined {
	return Object.hasOwn(BOARD_ROOTS, name) ? BOARD_ROOTS[name] : undefined;
}

/**
 * What an entry of a type of shape `parent` may hold: under map key `key`, or as an array element (key null).
 * Undefined when nothing may be there (a key the board does not have, a keyed entry in an array, text in a map).
 */
export function childShape(parent: TypeShape, key: string | null): Shape | undefined {
	if (parent.kind === 'map') return key === null ? undefined : parent.key(key);
	if (parent.kind === 'array') return key === null ? parent.item : undefined;
	return undefined;
}

/** The Y type class a type shape stands for. */
export function typeClassOf(shape: TypeShape): typeof Y.Map | typeof Y.Array | typeof Y.Text {
	return shape.kind === 'map' ? Y.Map : shape.kind === 'array' ? Y.Array : Y.Text;
}

/** Whether a live value read from a document fits `shape` (a Y type of the right class, or a value that passes). */
export function fitsShape(shape: Shape, v: unknown): boolean {
	if (shape.kind === 'value') return shape.test(v);
	return v instanceof typeClassOf(shape);
}
