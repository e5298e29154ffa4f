import * as Y from 'yjs';
import { isCalendarDate } from '../limits.ts';
import { decisionProblem, mayDecide, type DecisionOutcome } from '../plan/approval.ts';
import { MAX_DECISION_COMMENT, isTimeZone, stepSettingsSchema, teamRoleHoldersSchema } from '../process/step-settings.ts';
import { rankAtIndex } from '../ranks.ts';
import type { Actor, StepSettings, StoredSignoff } from '../types.ts';
import { CommandError } from './command-error.ts';
import { cardMapOf, stageMapOf } from './lookup.ts';
import { LOCAL, type TxOrigin } from './origins.ts';
import { placesOf } from './places.ts';
import { boardMaps, cardKey, mapAt } from './schema.ts';
import { readCard, readProcess, readStage } from './snapshot.ts';
import { liveCardsIn } from './live-cards.ts';
import { authorsOf } from '../process/signoff.ts';

/**
 * The process's writes any editor may make from a browser: a card's target date, a step date set by hand, a stage's
 * step settings and the board's time zone. Each runs in one transaction with the given origin.
 */
export function processCommands(doc: Y.Doc, actor: Actor, origin: TxOrigin = LOCAL) {
	const { stepDues, meta } = boardMaps(doc);
	const tx = (fn: () => void) => doc.transact(fn, origin);
	const cardMap = (id: string) => cardMapOf(doc, id);
	const stageMap = (id: string) => stageMapOf(doc, id);
	return {
		/** Sets the card's target (publish) date, YYYY-MM-DD, or clears it; its plan re-plans from the new date. */
		setTarget(cardId: string, day: string | null): void {
			if (day !== null && !isCalendarDate(day)) throw new CommandError('A target date is a calendar date like 2027-03-31.');
			// The server restamps `at` with its own clock (stamp-guard.ts).
			tx(() => cardMap(cardId).set('target', day === null ? null : { day, at: actor.now().toISOString() }));
		},

		/** Sets one step's due date by hand (kept through re-plans), or resets it to the plan (null). */
		setStepDue(cardId: string, stageId: string, day: string | null): void {
			if (day !== null && !isCalendarDate(day)) throw new CommandError('A due date is a calendar date like 2027-03-31.');
			cardMap(cardId);
			stageMap(stageId);
			tx(() => (day === null ? stepDues.delete(cardKey(cardId, stageId)) : stepDues.set(cardKey(cardId, stageId), day)));
		},

		/** Sets a stage's step settings (owner role, due offset, unit, sign-off), or makes it a plain stage (null). */
		setStageStep(stageId: string, step: StepSettings | null): void {
			let clean: StepSettings | null = null;
			if (step !== null) {
				const parsed = stepSettingsSchema.safeParse(step);
				if (!parsed.success) throw new CommandError(stepProblem(parsed.error.issues[0]?.path ?? [], parsed.error.issues[0]?.message ?? ''));
				clean = parsed.data as StepSettings;
				for (const to of [clean.approval?.onChanges.sendTo, clean.approval?.onReject.sendTo]) if (to) stageMap(to);
			}
			tx(() => stageMap(stageId).set('step', clean));
		},

		/** Sets the IANA time zone the board's plans count days in. */
		setTimeZone(timeZone: string): void {
			if (!isTimeZone(timeZone)) throw new CommandError(`"${timeZone}" is not a time zone this server knows (try Europe/Berlin).`);
			tx(() => meta.set('timeZone', timeZone));
		}
	};
}

/** A message for the first problem with step settings. */
function stepProblem(path: readonly PropertyKey[], message: string): string {
	const field = path.map(String).join('.');
	if (field.startsWith('offset')) return 'A due offset is a whole number of days (at most 3,650 either way), or empty.';
	if (field.startsWith('ownerRole')) return 'An owner role is a team role name of 1 to 60 characters.';
	if (field.startsWith('approval')) return message.startsWith('An approval') ? message : 'That sign-off rule is not complete: name approvers and a quorum.';
	return 'Those step settings are not valid.';
}

/**
 * Writes only the server makes (through the server command path; a browser's write to these roots is reverted):
 * the mirror of the team role holders and approvers' decisions.
 */
export function serverProcessCommands(doc: Y.Doc, actor: Actor, origin: TxOrigin) {
	const { cards, stages, process, signoffs } = boardMaps(doc);
	const places = placesOf(doc);
	const tx = (fn: () => void) => doc.transact(fn, origin);
	return {
		/**
		 * Switches the process's built-in hand-off of one step on or off (the rules tab's built-in rule for the stage).
		 * The off steps are kept as a list of stage ids, only while some step is off; ids of deleted stages are dropped.
		 */
		setHandoffs(stageId: string, enabled: boolean): void {
			stageMapOf(doc, stageId);
			const current = readProcess(doc).handoffsOff ?? [];
			const next = [...new Set(enabled ? current.filter((id) => id !== stageId) : [...current, stageId])].filter((id) => stages.has(id)).sort();
			if (JSON.stringify(next) === JSON.stringify(current)) return;
			tx(() => (next.length === 0 ? process.delete('handoffsOff') : process.set('handoffsOff', next)));
		},

		/** Replaces the document's mirror of who holds each team role (role name → user ids). */
		setTeamRoles(roles: Record<string, string[]>): void {
			const parsed = teamRoleHoldersSchema.safeParse(roles);
			if (!parsed.success) throw new CommandError('Those team roles are not valid.');
			const next = Object.fromEntries(Object.entries(parsed.data).map(([role, holders]) => [role, [...new Set(holders)].sort()]));
			if (JSON.stringify(process.get('teamRoles') ?? null) === JSON.stringify(next)) return;
			tx(() => process.set('teamRoles', next));
		},

		/**
		 * Records the actor's decision on the card's sign-off in its current stage, and carries out what the rule says
		 * for a change request (back to a stage) or a rejection (archived, or to a stage). Refuses a decision by
		 * someone who may not decide (not an approver, or an owner of the card) and one without its required comment.
		 */
		recordDecision(cardId: string, stageId: string, outcome: DecisionOutcome, comment: string): StoredSignoff {
			const map = mapAt(cards, cardId);
			if (!map || map.get('archived') === true) throw new CommandError('That card no longer exists.');
			const card = readCard(doc, cardId, map);
			const stageEntry = mapAt(stages, stageId);
			if (!stageEntry || card.stageId !== stageId) throw new CommandError('The card is no longer in that stage; reload to see where it is.');
			const stage = readStage(stageEntry);
			const rule = stage.step?.approval;
			if (!rule) throw new CommandError(`${stage.name} needs no sign-off.`);
			const clean = comment.replaceAll('\u0000', '').trim();
			if (clean.length > MAX_DECISION_COMMENT) throw new CommandError(`A comment can be at most ${MAX_DECISION_COMMENT} characters.`);
			const problem = decisionProblem({ outcome, comment: clean });
			if (problem) throw new CommandError(problem);
			const holders = rule.approvers.role ? (readProcess(doc).teamRoles[rule.approvers.role] ?? []) : [];
			const authors = authorsOf(card, stageId);
			if (authors.includes(actor.userId)) throw new CommandError('Nobody signs off their own work: this card is yours.');
			if (!mayDecide(rule, holders, actor.userId, authors)) throw new CommandError(`You are not one of the approvers of ${stage.name}.`);
			const before = card.signoffs[stageId] ?? { decisions: [], contentAt: null };
			const record: StoredSignoff = { decisions: [...before.decisions, { userId: actor.userId, outcome, at: actor.now().toISOString(), comment: clean }].slice(-500), contentAt: before.contentAt };
			tx(() => {
				signoffs.set(cardKey(cardId, stageId), record);
				const sendTo = outcome === 'changes' ? rule.onChanges.sendTo : outcome === 'reject' && !rule.onReject.archive ? rule.onReject.sendTo : null;
				if (outcome === 'reject' && rule.onReject.archive) map.set('archived', true);
				else if (sendTo && mapAt(stages, sendTo) && sendTo !== stageId) {
					const siblings = liveCardsIn(doc, sendTo, cardId);
					places.set(cardId, { stageId: sendTo, rank: rankAtIndex(siblings, siblings.length), enteredAt: actor.now().getTime() });
				}
			});
			return record;
		}
	};
}
