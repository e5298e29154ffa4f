import type { Card, Label, Stage } from '../types.ts';
import type { NamedCommand } from '../doc/named-commands.ts';
import { LABEL_COLORS } from '../defaults.ts';
import { addDays, dayInZone } from '../plan/working-days.ts';
import type { RuleAction, RuleRecipient } from './definition.ts';

/** What a rule does besides changing its own board's document (done after the commands are stored). */
export type RuleEffect =
	| { kind: 'notify'; to: RuleRecipient; message: string }
	| { kind: 'webhook'; url: string }
	| { kind: 'create_linked_card'; boardId: string; stageId: string | null; title: string };

/** What a rule's actions come to for one card: commands for the board, then effects, and a line per action. */
export interface PlannedActions {
	commands: NamedCommand[];
	effects: RuleEffect[];
	summary: string[];
}

/** What planning reads besides the card. */
export interface PlanScope {
	stages: readonly Pick<Stage, 'id' | 'name'>[];
	/** Team role id → its holders (members), in a stable order. */
	roleHolders: Readonly<Record<string, readonly string[]>>;
	/** Labels the board offers (their colours). */
	labels: readonly Label[];
	/** Member id → name, for the summary. */
	names: Readonly<Record<string, string>>;
	now: Date;
	timeZone: string;
}

/** An action that cannot be done on this card (a role nobody holds, no target date to count from). */
export class RuleActionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RuleActionError';
	}
}

/**
 * Turns a rule's actions into named commands for the card's board (one transaction) and the effects that follow.
 * Pure: the dry run uses it too. Throws RuleActionError for an action that cannot apply to this card.
 */
export function planActions(actions: readonly RuleAction[], card: Card, scope: PlanScope): PlannedActions {
	const commands: NamedCommand[] = [];
	const effects: RuleEffect[] = [];
	const summary: string[] = [];
	const owners = new Set(card.owners);
	let labels = [...card.labels];
	const name = (userId: string) => scope.names[userId] ?? 'someone';
	const stageName = (id: string) => scope.stages.find((s) => s.id === id)?.name ?? 'a stage';
	const cmd = (name: NamedCommand['name'], ...args: unknown[]) => commands.push({ name, args });
	for (const a of actions) {
		switch (a.kind) {
			case 'assign_user':
				if (!owners.has(a.userId)) cmd('addOwner', card.id, a.userId);
				owners.add(a.userId);
				summary.push(`assigned ${name(a.userId)}`);
				break;
			case 'assign_role': {
				const holder = scope.roleHolders[a.roleId]?.[0];
				if (!holder) throw new RuleActionError('Nobody holds the team role to assign.');
				if (!owners.has(holder)) cmd('addOwner', card.id, holder);
				owners.add(holder);
				summary.push(`assigned ${name(holder)}`);
				break;
			}
			case 'unassign':
				for (const o of owners) cmd('removeOwner', card.id, o);
				owners.clear();
				summary.push('unassigned');
				break;
			case 'move':
				if (card.stageId !== a.stageId) cmd('moveCard', card.id, a.stageId, 0);
				summary.push(`moved to ${stageName(a.stageId)}`);
				break;
			case 'set_due': {
				let due: string;
				if (a.base === 'now') due = dayInZone(new Date(scope.now.getTime() + a.offsetDays * 86_400_000), scope.timeZone);
				else {
					if (!card.target) throw new RuleActionError('The card has no target date to count from.');
					due = addDays(card.target.day, a.offsetDays);
				}
				cmd('setDue', card.id, due);
				summary.push(`due ${due}`);
				break;
			}
			case 'add_label':
				if (!labels.some((l) => l.name.toLowerCase() === a.label.toLowerCase())) {
					const color = scope.labels.find((l) => l.name.toLowerCase() === a.label.toLowerCase())?.color ?? LABEL_COLORS[0];
					labels = [...labels, { name: a.label, color }];
					cmd('setLabels', card.id, labels);
				}
				summary.push(`label ${a.label} added`);
				break;
			case 'remove_label':
				if (labels.some((l) => l.name.toLowerCase() === a.label.toLowerCase())) {
					labels = labels.filter((l) => l.name.toLowerCase() !== a.label.toLowerCase());
					cmd('setLabels', card.id, labels);
				}
				summary.push(`label ${a.label} removed`);
				break;
			case 'add_checklist':
				for (const item of a.items) cmd('addChecklistItem', card.id, item);
				summary.push(`${a.items.length} checklist item(s) added`);
				break;
			case 'archive':
				cmd('setArchived', card.id, true);
				summary.push('archived');
				break;
			case 'notify':
				effects.push({ kind: 'notify', to: a.to, message: a.message });
				summary.push('notified');
				break;
			case 'webhook':
				effects.push({ kind: 'webhook', url: a.url });
				summary.push('webhook sent');
				break;
			case 'create_linked_card':
				effects.push({ kind: 'create_linked_card', boardId: a.boardId, stageId: a.stageId ?? null, title: a.title?.trim() || card.title });
				summary.push('linked card created');
				break;
		}
	}
	return { commands, effects, summary };
}

/** Fills a message's placeholders ({card.title}, {card.url}, {stage}, {owner}, {due}, {board}). */
export function fillPlaceholders(message: string, values: Record<string, string>): string {
	return message.replace(/\{([^{}]*)\}/g, (whole, key: string) => values[key.trim()] ?? whole);
}
