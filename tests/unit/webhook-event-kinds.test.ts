import { describe, expect, it } from 'vitest';
import { isWebhookEventKind, webhookEventKinds, webhookEventOf } from '../../src/lib/webhooks/event-kinds.ts';
import type { BoardChange } from '../../src/lib/board/changes.ts';

const at = new Date('2026-03-02T10:00:00Z');

describe('webhook event kinds from board changes', () => {
	it('maps a card move to card.moved with its stages, actor and details', () => {
		const change: BoardChange = { type: 'moved', cardId: 'c1', actorId: 'u1', at, fromStageId: 's1', toStageId: 's2', data: { direction: 'forward' } };
		expect(webhookEventOf(change)).toEqual({
			kind: 'card.moved',
			data: { change: 'moved', actorId: 'u1', at: at.toISOString(), cardId: 'c1', fromStageId: 's1', toStageId: 's2', details: { direction: 'forward' } }
		});
	});

	it('groups text edits under card.updated, names a rule that acted, and skips what no endpoint can subscribe to', () => {
		const title: BoardChange = { type: 'title_changed', cardId: 'c1', stageId: null, actorId: null, at, ruleId: 'r1', data: { from: 'a', to: 'b' } };
		expect(webhookEventOf(title)).toMatchObject({ kind: 'card.updated', data: { change: 'title_changed', ruleId: 'r1', details: { from: 'a', to: 'b' } } });
		const tick: BoardChange = { type: 'checklist_item_ticked', cardId: 'c1', stageId: null, actorId: 'u1', at, data: { itemId: 'i', text: 't' } };
		expect(webhookEventOf(tick)).toBeNull();
		const stageRow: BoardChange = { type: 'stage', stageId: 's1', name: 'Doing', kind: 'active', rank: 'a0', deleted: false, at };
		expect(webhookEventOf(stageRow)).toBeNull();
	});

	it('only produces kinds the page lists', () => {
		expect(webhookEventKinds).toContain('approval.decided');
		expect(isWebhookEventKind('card.moved')).toBe(true);
		expect(isWebhookEventKind('webhook.test')).toBe(false);
		expect(isWebhookEventKind('toString')).toBe(false);
	});
});
