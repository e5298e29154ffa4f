import type { Card, Stage } from '../types.ts';
import { addDays, dayInZone } from '../plan/working-days.ts';
import { FILTER_FIELDS, IS_FLAGS, parseFilter, type FilterError, type FilterField, type FilterTerm } from './syntax.ts';

/** What a query is checked and matched against: the board as the viewer sees it. */
export interface FilterContext {
	/** The viewer (for `owner:me`). */
	userId: string;
	members: Readonly<Record<string, { name: string }>>;
	stages: readonly Stage[];
	/** Team role name → holders' ids. */
	teamRoles: Readonly<Record<string, readonly string[]>>;
	/** Every label name used on the board. */
	labels: Iterable<string>;
	now: Date;
	/** The zone whose calendar days `due:`, `target:` and `is:overdue` compare (the server passes the board's); unset: this machine's. */
	timeZone?: string;
}

/** A card with the facts a query needs that the card itself does not say. */
export interface CardFacts {
	card: Card;
	/** The date the card is due (YYYY-MM-DD): its own due date, else its current step's planned date. */
	due: string | null;
	/** Whether the card's current stage needs a sign-off that is still pending. */
	waitingApproval: boolean;
	/** When anything about the card last changed (ms since the epoch). */
	updatedAt: number;
}

/** A compiled query: tells whether a card matches. */
export type CardPredicate = (facts: CardFacts) => boolean;

/** The outcome of compiling: a predicate (null: no terms, everything matches), or the first mistake with its place. */
export type CompileResult = { ok: true; match: CardPredicate | null; empty: boolean } | { ok: false; error: FilterError };

const HOUR = 3_600_000;
const DURATION_UNITS: Record<string, number> = { h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR };
const DURATION = /^(\d+(?:\.\d+)?)([hdw])$/i;
const PERIOD = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

class TermError extends Error {}

const fold = (text: string) => text.normalize('NFKC').toLocaleLowerCase();
/** A member's handles: the whole name without spaces, its first word, e.g. "Sam Lee" → samlee, sam. */
const handlesOf = (name: string) => {
	const words = fold(name).split(/\s+/).filter(Boolean);
	return new Set([words.join(''), words[0] ?? '', fold(name)]);
};

/** The local calendar day `days` after `now`'s, as YYYY-MM-DD (tiles read due dates in local time too). */
function localDay(now: Date, days = 0, timeZone?: string): string {
	if (timeZone) return addDays(dayInZone(now, timeZone), days);
	const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function durationMs(term: FilterTerm): number {
	const m = DURATION.exec(term.value);
	if (!m) throw new TermError(`“${term.value}” is not a duration: write a number and h, d or w, e.g. ${term.field}:>5d.`);
	return Number(m[1]) * DURATION_UNITS[m[2]!.toLowerCase()]!;
}

/** A day test for `due:` and `target:` values. */
function dayTest(term: FilterTerm, now: Date, timeZone?: string): (day: string | null) => boolean {
	const value = fold(term.value);
	if (value === 'none') return (day) => day === null;
	if (term.field === 'due' && value === 'today') return (day) => day === localDay(now, 0, timeZone);
	if (term.field === 'due' && value === 'tomorrow') return (day) => day === localDay(now, 1, timeZone);
	if (DURATION.test(value)) {
		const days = Math.ceil(durationMs(term) / (24 * HOUR));
		const limit = localDay(now, days, timeZone);
		// "Due within 7 days" includes what is already late; ">7d" is further out than that.
		return term.op === '>' ? (day) => day !== null && day > limit : (day) => day !== null && day <= limit;
	}
	if (PERIOD.test(value)) {
		if (term.op === '<') return (day) => day !== null && day < value;
		if (term.op === '>') return (day) => day !== null && day.slice(0, value.length) > value;
		return (day) => day !== null && day.startsWith(value);
	}
	throw new TermError(`“${term.value}” is not a date for ${term.field}: ${FILTER_FIELDS[term.field!]}.`);
}

/** Compiles one field term into a test of a card, or throws a TermError naming what is wrong. */
function compileTerm(term: FilterTerm, ctx: FilterContext): CardPredicate {
	const value = fold(term.value);
	switch (term.field) {
		case null:
			return ({ card }) => fold(card.title).includes(value) || fold(card.description).includes(value);
		case 'owner': {
			if (value === 'me') return ({ card }) => card.owners.includes(ctx.userId);
			if (value === 'none') return ({ card }) => card.owners.length === 0;
			const handle = value.replace(/^@/, '');
			const ids = Object.entries(ctx.members)
				.filter(([, m]) => handlesOf(m.name).has(handle))
				.map(([id]) => id);
			if (ids.length === 0) throw new TermError(`No one called “${term.value}” is on this board.`);
			return ({ card }) => card.owners.some((o) => ids.includes(o));
		}
		case 'role': {
			const role = Object.keys(ctx.teamRoles).find((name) => fold(name) === value);
			if (!role) throw new TermError(`This board has no team role “${term.value}”.`);
			const holders = ctx.teamRoles[role] ?? [];
			const stagesOfRole = new Set(ctx.stages.filter((s) => s.step?.ownerRole === role).map((s) => s.id));
			return ({ card }) => stagesOfRole.has(card.stageId) || card.owners.some((o) => holders.includes(o));
		}
		case 'label': {
			if (![...ctx.labels].some((l) => fold(l) === value)) throw new TermError(`No card on this board has the label “${term.value}”.`);
			return ({ card }) => card.labels.some((l) => fold(l.name) === value);
		}
		case 'stage': {
			const ids = new Set(ctx.stages.filter((s) => fold(s.name) === value).map((s) => s.id));
			if (ids.size === 0) throw new TermError(`This board has no stage “${term.value}”.`);
			return ({ card }) => ids.has(card.stageId);
		}
		case 'is':
			return isTest(term, ctx);
		case 'due': {
			const test = dayTest(term, ctx.now, ctx.timeZone);
			return ({ due }) => test(due);
		}
		case 'target': {
			const test = dayTest(term, ctx.now, ctx.timeZone);
			return ({ card }) => test(card.target?.day ?? null);
		}
		case 'age':
		case 'updated': {
			const ms = durationMs(term);
			const since = (facts: CardFacts) => ctx.now.getTime() - (term.field === 'age' ? Date.parse(facts.card.movedAt) : facts.updatedAt);
			return term.op === '<' ? (facts) => since(facts) < ms : (facts) => since(facts) > ms;
		}
	}
}

function isTest(term: FilterTerm, ctx: FilterContext): CardPredicate {
	const doneStages = new Set(ctx.stages.filter((s) => s.kind === 'done').map((s) => s.id));
	switch (fold(term.value) as (typeof IS_FLAGS)[number]) {
		case 'blocked':
			return ({ card }) => card.blocked !== null;
		case 'overdue': {
			const today = localDay(ctx.now, 0, ctx.timeZone);
			return ({ card, due }) => due !== null && due < today && !doneStages.has(card.stageId);
		}
		case 'waiting-approval':
			return ({ waitingApproval }) => waitingApproval;
		case 'unassigned':
			return ({ card }) => card.owners.length === 0;
		case 'done':
			return ({ card }) => doneStages.has(card.stageId);
		default:
			throw new TermError(`“is:${term.value}” is not a flag: ${FILTER_FIELDS.is}.`);
	}
}

/**
 * Compiles a query against a board. Terms of one field OR together (`label:seo label:social`), different fields
 * AND, a `-` excludes what its term matches (so `-label:a -label:b` excludes both); free words must all appear.
 */
export function compileFilter(text: string, ctx: FilterContext): CompileResult {
	const parsed = parseFilter(text);
	if (!parsed.ok) return parsed;
	const anyOf = new Map<FilterField, CardPredicate[]>();
	const allOf: CardPredicate[] = [];
	for (const term of parsed.terms) {
		let test: CardPredicate;
		try {
			test = compileTerm(term, ctx);
		} catch (error) {
			if (error instanceof TermError) return { ok: false, error: { message: error.message, start: term.start, end: term.end } };
			throw error;
		}
		if (term.negated) allOf.push((facts) => !test(facts));
		else if (term.field === null) allOf.push(test);
		else anyOf.set(term.field, [...(anyOf.get(term.field) ?? []), test]);
	}
	for (const tests of anyOf.values()) allOf.push(tests.length === 1 ? tests[0]! : (facts) => tests.some((t) => t(facts)));
	if (allOf.length === 0) return { ok: true, match: null, empty: true };
	return { ok: true, match: (facts) => allOf.every((t) => t(facts)), empty: false };
}
