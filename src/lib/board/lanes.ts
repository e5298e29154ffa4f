import type { Card, Label, Stage } from './types.ts';

/** How a board is cut into rows: not at all, by owner, team role, label, or an Expedite lane pinned on top. */
export type LaneMode = 'none' | 'owner' | 'role' | 'label' | 'expedite';

/** One swimlane: a key that says which field value it stands for, and its title. */
export interface Lane {
	key: string;
	title: string;
	/** For lanes by label: the label as the board uses it (its colour goes to cards dragged or added there). */
	label?: Label;
}

/** What lanes are cut from: the board's people, team roles, stages and labels. */
export interface LaneContext {
	members: Readonly<Record<string, { name: string }>>;
	teamRoles: Readonly<Record<string, readonly string[]>>;
	stages: readonly Stage[];
	/** Labels the board offers (its template's), before those only cards use. */
	labels: readonly Label[];
}

/** The label that puts a card in the Expedite lane. */
export const EXPEDITE_LABEL: Label = { name: 'Expedite', color: 'red' };
/** The key of the catch-all lane (Unassigned, No label, Everything else…). */
export const CATCH_ALL_LANE = '-';
const NONE = CATCH_ALL_LANE;
const isExpedite = (l: Label) => l.name.toLocaleLowerCase() === EXPEDITE_LABEL.name.toLocaleLowerCase();

/** The board's lanes in display order (the catch-all lane last, Expedite first). */
export function boardLanes(mode: LaneMode, cards: Iterable<Card>, ctx: LaneContext): Lane[] {
	switch (mode) {
		case 'none':
			return [{ key: NONE, title: 'All cards' }];
		case 'expedite':
			return [
				{ key: 'expedite', title: 'Expedite' },
				{ key: NONE, title: 'Everything else' }
			];
		case 'owner': {
			const people = Object.entries(ctx.members).sort(([, a], [, b]) => a.name.localeCompare(b.name));
			const known = new Set(people.map(([id]) => id));
			// Former members who still own cards keep a lane, so no card goes missing.
			const former = new Set<string>();
			for (const card of cards) for (const id of card.owners) if (!known.has(id)) former.add(id);
			return [...people.map(([id, m]) => ({ key: id, title: m.name })), ...[...former].map((id) => ({ key: id, title: 'Former member' })), { key: NONE, title: 'Unassigned' }];
		}
		case 'role':
			return [...Object.keys(ctx.teamRoles).sort().map((role) => ({ key: role, title: role })), { key: NONE, title: 'No team role' }];
		case 'label': {
			const labels = new Map<string, Label>();
			for (const l of ctx.labels) if (!labels.has(l.name.toLocaleLowerCase())) labels.set(l.name.toLocaleLowerCase(), l);
			for (const card of cards) for (const l of card.labels) if (!labels.has(l.name.toLocaleLowerCase())) labels.set(l.name.toLocaleLowerCase(), l);
			return [...[...labels.entries()].map(([key, label]) => ({ key, title: label.name, label })), { key: NONE, title: 'No label' }];
		}
	}
}

/**
 * The lane a card shows in: its first owner's, its current step's team role (else its first owner's role), its first
 * label's, or Expedite when it carries that label; the catch-all lane otherwise.
 */
export function laneOf(card: Card, mode: LaneMode, ctx: LaneContext): string {
	switch (mode) {
		case 'none':
			return NONE;
		case 'expedite':
			return card.labels.some(isExpedite) ? 'expedite' : NONE;
		case 'owner':
			return card.owners[0] ?? NONE;
		case 'role': {
			const stepRole = ctx.stages.find((s) => s.id === card.stageId)?.step?.ownerRole;
			if (stepRole && ctx.teamRoles[stepRole]) return stepRole;
			const owner = card.owners[0];
			const held = owner ? Object.keys(ctx.teamRoles).sort().find((role) => ctx.teamRoles[role]!.includes(owner)) : undefined;
			return held ?? NONE;
		}
		case 'label':
			return card.labels[0]?.name.toLocaleLowerCase() ?? NONE;
	}
}

/** What changes on a card dragged from one lane to another: its owners or labels, or why the lanes cannot say. */
export type LaneChange = { owners: string[] } | { labels: Label[] } | { refused: string } | null;

/** The field change that moves a card from lane `from` to lane `toLane` (null: the same lane, nothing to change). */
export function laneChange(card: Pick<Card, 'owners' | 'labels'>, mode: LaneMode, from: string, toLane: Lane, ctx: LaneContext): LaneChange {
	const to = toLane.key;
	if (from === to || mode === 'none') return null;
	switch (mode) {
		case 'owner': {
			// The card leaves the person whose lane it was in and goes to the new one; its other owners stay.
			const rest = card.owners.filter((id) => id !== from && id !== to);
			return { owners: to === NONE ? [] : [to, ...rest] };
		}
		case 'label': {
			const rest = card.labels.filter((l) => l.name.toLocaleLowerCase() !== from && l.name.toLocaleLowerCase() !== to);
			if (to === NONE) return { labels: [] };
			const offered = ctx.labels.find((l) => l.name.toLocaleLowerCase() === to);
			const used = card.labels.find((l) => l.name.toLocaleLowerCase() === to);
			return { labels: [used ?? offered ?? toLane.label ?? { name: toLane.title, color: 'slate' }, ...rest] };
		}
		case 'expedite':
			return { labels: to === 'expedite' ? [EXPEDITE_LABEL, ...card.labels.filter((l) => !isExpedite(l))] : card.labels.filter((l) => !isExpedite(l)) };
		case 'role':
			return { refused: 'Lanes by team role follow each step’s role and owner: drag to another stage, or change the owner in the card.' };
	}
}
