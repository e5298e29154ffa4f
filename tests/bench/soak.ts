import { CommandError, boardCommands } from '../../src/lib/board/doc/commands.ts';
import { LOCAL } from '../../src/lib/board/doc/origins.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { connectClient, type BenchClient } from './client.ts';
import type { RoomTarget } from './idle.ts';
import { sleep } from './stats.ts';

/** What a soak run did. */
export interface SoakResult {
	sessions: number;
	commands: number;
	failedSessions: number;
}

/**
 * Churn on several boards for `seconds`: `clients` sessions at a time, each joining a board (the first
 * boards more often), syncing, editing for 3–20 s (moves, new cards, titles, descriptions, checklist
 * items; `rate` commands per second over all sessions), then leaving; a new session takes its place.
 * Everyone has left when this resolves.
 */
export async function runSoak(rooms: RoomTarget[], clients: number, seconds: number, rate: number): Promise<SoakResult> {
	const result: SoakResult = { sessions: 0, commands: 0, failedSessions: 0 };
	const endAt = performance.now() + seconds * 1000;
	const perClientMs = (1000 * clients) / rate;
	const session = async (): Promise<void> => {
		// Skewed: half of the sessions go to the first quarter of the boards; the rest get quiet spells (rooms unload).
		const pick = Math.random() < 0.5 ? Math.floor(Math.random() * Math.max(1, rooms.length / 4)) : Math.floor(Math.random() * rooms.length);
		const target = rooms[pick]!;
		const client: BenchClient = connectClient(target.endpoint, target.room);
		result.sessions++;
		try {
			await client.synced(30_000);
			if (boardMaps(client.doc).stages.size === 0) seedBoard(client.doc);
			const commands = boardCommands(client.doc, { userId: `soak-${pick}`, now: () => new Date() }, LOCAL);
			const leaveAt = Math.min(endAt, performance.now() + 3_000 + Math.random() * 17_000);
			while (performance.now() < leaveAt) {
				await sleep(perClientMs * (0.5 + Math.random()));
				if (performance.now() >= leaveAt) break;
				edit(client, commands);
				result.commands++;
			}
		} catch {
			result.failedSessions++;
		} finally {
			client.destroy();
		}
	};
	const worker = async () => {
		while (performance.now() < endAt) await session();
	};
	// Stagger the start so the first sessions do not all end together.
	await Promise.all(Array.from({ length: clients }, async (_, i) => (await sleep((i * 1000) / clients), worker())));
	return result;
}

function edit(client: BenchClient, commands: ReturnType<typeof boardCommands>): void {
	const { stages, cards } = boardMaps(client.doc);
	const stageIds = [...stages.keys()];
	const cardIds = [...cards.keys()];
	const anyStage = () => stageIds[Math.floor(Math.random() * stageIds.length)]!;
	const anyCard = () => cardIds[Math.floor(Math.random() * cardIds.length)]!;
	const roll = Math.random();
	try {
		// Keep boards around 200 cards: a board that only grows would be a different test.
		if (cardIds.length < 20 || (roll < 0.15 && cardIds.length < 200)) commands.addCard(anyStage(), `Soak card ${Date.now() % 100000}`);
		else if (roll < 0.7) commands.moveCard(anyCard(), anyStage(), Math.floor(Math.random() * 10));
		else if (roll < 0.82) commands.setTitle(anyCard(), `Renamed ${Math.random().toString(36).slice(2, 8)}`);
		else if (roll < 0.9) commands.setDescription(anyCard(), `Brief: ${Math.random().toString(36).repeat(3)}`);
		else if (roll < 0.97) commands.addChecklistItem(anyCard(), 'Check the copy');
		else commands.setArchived(anyCard(), true);
	} catch (err) {
		// A card another session archived or a stage limit: the UI would say why; the soak moves on.
		if (!(err instanceof CommandError)) throw err;
	}
}
