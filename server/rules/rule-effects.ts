import { and, eq } from 'drizzle-orm';
import { boards } from '../../src/lib/server/db/schema/boards.ts';
import type { AppContext } from '../../src/lib/server/context.ts';
import type { Card } from '../../src/lib/board/types.ts';
import { webhookEndpoints } from '../../src/lib/server/db/schema/automation.ts';
import { queueWebhookEvent } from '../../src/lib/server/webhooks/queue-event.ts';
import { getProcessOwner } from '../../src/lib/server/boards/team-roles.ts';
import { canEditOtherBoard, type RuleRecord } from '../../src/lib/server/rules/store.ts';
import { RuleActionError, fillPlaceholders, type RuleEffect } from '../../src/lib/board/rules/plan-actions.ts';
import type { ServerOrigin } from '../../src/lib/board/doc/origins.ts';
import { recordCardLink } from '../../src/lib/server/portfolio/card-links.ts';

/** What an effect knows about where it runs. */
export interface EffectScope {
	boardId: string;
	boardName: string;
	card: Card;
	stageName: string;
	roleHolders: Record<string, string[]>;
	names: Record<string, string>;
	origin: ServerOrigin;
}

/** The link to a card on a board, absolute when the app knows its public origin. */
export const cardUrl = (ctx: AppContext, boardId: string, cardId: string): string => `${ctx.publicOrigin ?? ''}/b/${boardId}?card=${cardId}`;

/** Does one effect of a rule (after its commands were stored); throws RuleActionError when it cannot. */
export async function runEffect(ctx: AppContext, rule: RuleRecord, effect: RuleEffect, s: EffectScope): Promise<void> {
	switch (effect.kind) {
		case 'notify': {
			const to = effect.to;
			let userIds: string[] = [];
			if (to.kind === 'user') userIds = [to.userId];
			else if (to.kind === 'role') userIds = s.roleHolders[to.roleId] ?? [];
			else if (to.kind === 'owners') userIds = s.card.owners;
			else {
				const owner = await getProcessOwner(ctx.db, s.boardId);
				userIds = owner ? [owner.userId] : [];
			}
			if (userIds.length === 0) throw new RuleActionError('Nobody to notify (no holder, owner or process owner).');
			const body = fillPlaceholders(effect.message, {
				'card.title': s.card.title,
				'card.url': cardUrl(ctx, s.boardId, s.card.id),
				stage: s.stageName,
				owner: s.card.owners.map((o) => s.names[o] ?? 'someone').join(', ') || 'nobody',
				due: s.card.due ?? 'no due date',
				board: s.boardName
			});
			for (const userId of userIds) {
				await ctx.notify({ userId, kind: 'rule_message', title: `${rule.name}: ${s.card.title}`, body, boardId: s.boardId, cardId: s.card.id, ruleId: rule.id });
			}
			return;
		}
		case 'webhook': {
			const [endpoint] = await ctx.db
				.select({ id: webhookEndpoints.id })
				.from(webhookEndpoints)
				.where(and(eq(webhookEndpoints.boardId, s.boardId), eq(webhookEndpoints.url, effect.url), eq(webhookEndpoints.enabled, true)));
			if (!endpoint) throw new RuleActionError(`No enabled webhook endpoint on this board for ${effect.url}: add it under Webhooks.`);
			await queueWebhookEvent({ db: ctx.db, jobs: ctx.jobs, clock: ctx.clock }, s.boardId, 'rule.fired', { ruleId: rule.id, rule: rule.name, cardId: s.card.id, title: s.card.title, stage: s.stageName, url: cardUrl(ctx, s.boardId, s.card.id) }, endpoint.id);
			return;
		}
		case 'create_linked_card': {
			if (!(await canEditOtherBoard(ctx.db, rule.createdBy, effect.boardId))) throw new RuleActionError('The rule’s creator can no longer edit the board the linked card goes to.');
			const other = await ctx.documents.readBoard(effect.boardId, { kind: 'workflow' });
			const stageId = effect.stageId && other.stages.some((x) => x.id === effect.stageId) ? effect.stageId : other.stages[0]?.id;
			if (!stageId) throw new RuleActionError('The other board has no stage to put the card in.');
			const newCardId = String((await ctx.documents.applyAsServer(effect.boardId, s.origin, [{ name: 'addCard', args: [stageId, effect.title] }]))[0]);
			// The hand-off as a relation too, so the portfolio can time the receiving team's pick-up.
			await recordCardLink(ctx.db, { fromBoardId: s.boardId, fromCardId: s.card.id, toBoardId: effect.boardId, toCardId: newCardId, ruleId: rule.id }, ctx.clock.now());
			// Both cards link each other in their descriptions: visible, searchable, and no new document shape.
			await ctx.documents.applyAsServer(effect.boardId, s.origin, [{ name: 'setDescription', args: [newCardId, `Linked from [${s.card.title}](${cardUrl(ctx, s.boardId, s.card.id)}) on ${s.boardName}.`] }]);
			const [otherBoard] = await ctx.db.select({ name: boards.name }).from(boards).where(eq(boards.id, effect.boardId));
			const line = `Linked card: [${effect.title}](${cardUrl(ctx, effect.boardId, newCardId)}) on ${otherBoard?.name ?? 'another board'}.`;
			const description = s.card.description ? `${s.card.description.replace(/\s+$/, '')}\n\n${line}` : line;
			await ctx.documents.applyAsServer(s.boardId, s.origin, [{ name: 'setDescription', args: [s.card.id, description] }]);
			return;
		}
	}
}
