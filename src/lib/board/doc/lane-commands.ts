import * as Y from 'yjs';
import type { LaneMode } from '../lanes.ts';
import { CommandError } from './command-error.ts';
import { LOCAL, type TxOrigin } from './origins.ts';
import { boardMaps } from './schema.ts';
import { isLaneLimit } from './shape.ts';

/** The key a lane's limit is kept under: lanes of different modes may share a key (a label and a person never do, but "-" does). */
export const laneLimitKey = (mode: LaneMode, laneKey: string): string => `${mode}/${laneKey}`;

/** Writes to the board's swimlane settings (shared by everyone), each in one transaction with the given origin. */
export function laneCommands(doc: Y.Doc, origin: TxOrigin = LOCAL) {
	const { laneLimits } = boardMaps(doc);
	return {
		/** Sets a lane's soft WIP limit (cards in progress in the lane), or removes it (null). */
		setLaneLimit(mode: LaneMode, laneKey: string, limit: number | null): void {
			if (mode === 'none') throw new CommandError('Choose lanes before giving one a limit.');
			if (limit !== null && !isLaneLimit(limit)) throw new CommandError('A lane limit is a whole number from 1 to 999.');
			doc.transact(() => (limit === null ? laneLimits.delete(laneLimitKey(mode, laneKey)) : laneLimits.set(laneLimitKey(mode, laneKey), limit)), origin);
		}
	};
}

/** The board's lane limits as plain data: `laneMode/laneKey` → limit (well-formed entries only). */
export function readLaneLimits(doc: Y.Doc): Record<string, number> {
	const limits: Record<string, number> = {};
	for (const [key, value] of boardMaps(doc).laneLimits) if (isLaneLimit(value)) limits[key] = value;
	return limits;
}
