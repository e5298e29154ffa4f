import type { StageKind } from './types.ts';

/** The workflow every new board starts with. */
export const DEFAULT_STAGES: readonly { name: string; kind: StageKind }[] = [
	{ name: 'Backlog', kind: 'queue' },
	{ name: 'To do', kind: 'queue' },
	{ name: 'In progress', kind: 'active' },
	{ name: 'Review', kind: 'wait' },
	{ name: 'Done', kind: 'done' }
];

/** Label colours offered in the card editor. */
export const LABEL_COLORS = ['slate', 'red', 'amber', 'emerald', 'sky', 'indigo', 'fuchsia'] as const;
