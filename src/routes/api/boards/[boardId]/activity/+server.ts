import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireBoardAction } from '$lib/server/boards/boards';
import { listMembers } from '$lib/server/boards/members';
import { readActivity, readStages } from '$lib/server/history';
import { DomainError, statusForCode } from '$lib/server/errors';

/** GET /api/boards/<id>/activity[?card=<cardId>] — who did what, when, newest first (members only). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Log in to see board activity.');
	const { db } = locals.ctx;
	try {
		const board = await requireBoardAction(db, params.boardId, locals.user.id, 'view');
		const cardId = url.searchParams.get('card') || undefined;
		if (cardId && cardId.length > 64) error(400, 'That card id is not valid.');
		const [events, stages, members] = await Promise.all([readActivity(db, board.id, { cardId, limit: cardId ? 100 : 50 }), readStages(db, board.id), listMembers(db, board.id, locals.user.id)]);
		const stageName = new Map(stages.map((s) => [s.stageId, s.name]));
		const memberName = new Map(members.map((m) => [m.userId, m.name]));
		return json(
			events.map((e) => ({
				id: e.id,
				at: e.at.toISOString(),
				type: e.type,
				cardId: e.cardId,
				actor: e.actorId ? (memberName.get(e.actorId) ?? 'A former member') : 'Flowdeck',
				from: e.fromStageId ? (stageName.get(e.fromStageId) ?? 'a deleted stage') : null,
				to: e.toStageId ? (stageName.get(e.toStageId) ?? 'a deleted stage') : null,
				data: e.data
			})),
			{ headers: { 'cache-control': 'private, no-store' } }
		);
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
