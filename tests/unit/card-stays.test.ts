import { describe, expect, it } from 'vitest';
import { replayStays, type StayEvent } from '../../src/lib/server/process/card-stays.ts';

const at = (minute: number) => new Date(Date.UTC(2027, 2, 1, 9, minute));
const ev = (type: string, minute: number, toStageId: string | null = null, data: Record<string, unknown> = {}): StayEvent => ({ type, at: at(minute), toStageId, data });

describe('a card’s stays from its history', () => {
	it('each move ends a stay and starts the next; owners are those the card had as it left (a hand-off after the move does not count for the step left)', () => {
		const stays = replayStays([
			ev('created', 0, 'backlog'),
			ev('moved', 1, 'outline'),
			ev('owner_added', 1, null, { userId: 'sam', via: 'process' }),
			ev('moved', 5, 'approve'),
			ev('owner_added', 6, null, { userId: 'helper' }),
			ev('moved', 8, 'draft'),
			ev('owner_removed', 8, null, { userId: 'sam', via: 'process' }),
			ev('owner_added', 8, null, { userId: 'walt', via: 'process' }),
			ev('blocked', 9)
		]);
		expect(stays).toEqual([
			{ stageId: 'backlog', enteredAt: at(0), leftAt: at(1), owners: [] },
			{ stageId: 'outline', enteredAt: at(1), leftAt: at(5), owners: ['sam'] },
			{ stageId: 'approve', enteredAt: at(5), leftAt: at(8), owners: ['sam', 'helper'] },
			{ stageId: 'draft', enteredAt: at(8), leftAt: null, owners: ['helper', 'walt'] }
		]);
	});

	it('an archive ends the stay, a restore starts one; history starts over at the card’s latest creation', () => {
		expect(replayStays([ev('created', 0, 'a'), ev('moved', 1, 'b'), ev('created', 2, 'c'), ev('archived', 3), ev('restored', 4, 'c')])).toEqual([
			{ stageId: 'c', enteredAt: at(2), leftAt: at(3), owners: [] },
			{ stageId: 'c', enteredAt: at(4), leftAt: null, owners: [] }
		]);
		expect(replayStays([])).toEqual([]);
	});
});
