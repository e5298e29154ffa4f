import type { Stage } from '../types.ts';

/** A stage's colour: `solid` for dots, borders and the legend; `tint` (translucent) as a chip's background on light and dark pages alike. */
export interface StageColor {
	solid: string;
	tint: string;
}

// Tableau 10, the palette the stats charts colour stages with, so a stage looks the same on both tabs.
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

function tintOf(hex: string): string {
	const n = Number.parseInt(hex.slice(1), 16);
	return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, 0.22)`;
}

/** The colour of the stage at `index` in board order (the palette repeats after ten stages; a negative index is grey). */
export function stageColor(index: number): StageColor {
	const solid = index < 0 ? '#94a3b8' : PALETTE[index % PALETTE.length]!;
	return { solid, tint: tintOf(solid) };
}

/** Every stage's colour by stage id, from its position in board order: the same board always gets the same colours. */
export function stageColors(stages: readonly Pick<Stage, 'id'>[]): Record<string, StageColor> {
	return Object.fromEntries(stages.map((stage, index) => [stage.id, stageColor(index)]));
}
