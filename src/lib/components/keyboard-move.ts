import type { Card, Stage } from '$lib/board/types';

/** A card picked up with the keyboard and where it would land. */
export interface KeyboardMove {
	cardId: string;
	fromStageId: string;
	stageId: string;
	index: number;
}

/** The next landing spot for an arrow key: up/down within the stage, left/right to the neighbouring stage. */
export function nextKeyboardPosition(
	move: KeyboardMove,
	key: string,
	stages: readonly Stage[],
	cardsByStage: Record<string, Card[]>
): KeyboardMove {
	const others = (stageId: string) => (cardsByStage[stageId] ?? []).filter((c) => c.id !== move.cardId).length;
	if (key === 'ArrowUp') return { ...move, index: Math.max(0, move.index - 1) };
	if (key === 'ArrowDown') return { ...move, index: Math.min(others(move.stageId), move.index + 1) };
	const at = stages.findIndex((s) => s.id === move.stageId);
	const nextStage = key === 'ArrowLeft' ? stages[at - 1] : key === 'ArrowRight' ? stages[at + 1] : undefined;
	if (!nextStage) return move;
	return { ...move, stageId: nextStage.id, index: Math.min(move.index, others(nextStage.id)) };
}

/** The board's card lists with the picked card shown at its would-be spot. */
export function moveInPreview(cardsByStage: Record<string, Card[]>, move: KeyboardMove): Record<string, Card[]> {
	const card = Object.values(cardsByStage)
		.flat()
		.find((c) => c.id === move.cardId);
	if (!card) return cardsByStage;
	const result: Record<string, Card[]> = {};
	for (const [stageId, cards] of Object.entries(cardsByStage)) result[stageId] = cards.filter((c) => c.id !== move.cardId);
	const target = result[move.stageId];
	if (target) target.splice(Math.min(move.index, target.length), 0, card);
	return result;
}
