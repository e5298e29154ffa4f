import { boardCommands, CommandError, type BoardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { STAGE_KINDS, type BoardSnapshot } from '../../src/lib/board/types.ts';
import type { Rng } from './prng.ts';
import type { SyncClient } from './sync-client.ts';

/** One simulated person at a board: a real sync client, the user it signs in as, and whether it is online. */
export interface Peer {
	name: string;
	userId: string;
	client: SyncClient;
	online: boolean;
}

/** Relative weights of the random steps; commands are what the UI offers, the rest is network weather. */
export const STEP_WEIGHTS = {
	addCard: 10,
	setTitle: 5,
	editDescription: 6,
	moveCard: 12,
	hotMove: 5,
	checklist: 8,
	archive: 3,
	restore: 3,
	owners: 2,
	details: 2,
	addStage: 2,
	renameStage: 2,
	stageWip: 3,
	deleteStage: 2,
	moveStage: 1,
	exitCriteria: 2,
	toggleConnection: 6,
	allOffline: 1,
	join: 1,
	pause: 5
} as const;

/** Weights for plain editing: commands only, no connection changes, pauses or rules that make the server revert moves. */
export const EDIT_ONLY: Partial<Record<StepKind, number>> = { toggleConnection: 0, allOffline: 0, join: 0, pause: 0, stageWip: 0, exitCriteria: 0, deleteStage: 0 };

/** A step kind. */
export type StepKind = keyof typeof STEP_WEIGHTS;

/**
 * Carries out random steps on a set of peers; every choice comes from `rng`. Choices are made against what each
 * peer currently sees, so a replayed seed follows the same script until network timing makes a view differ.
 */
export class RandomEditor {
	/** Steps taken, by kind (for the run summary). */
	readonly counts: Partial<Record<StepKind, number>> = {};
	/** Commands the domain refused locally (WIP limit, exit criteria, stale view): expected, counted for the record. */
	refused = 0;
	/** What the script created and deleted, to check afterwards that nothing created went missing. */
	readonly made = { cards: new Set<string>(), items: new Set<string>(), deletedItems: new Set<string>(), stages: new Set<string>(), deletedStages: new Set<string>() };
	/** The card every peer fights over in `hotMove` steps. */
	private hotCard: string | null = null;
	private serial = 0;

	private readonly weights: Record<StepKind, number>;
	private readonly afterAllOffline: (() => Promise<void>) | undefined;
	private readonly join: (() => Peer) | undefined;
	private readonly maxPeers: number;

	constructor(
		private readonly rng: Rng,
		private readonly peers: Peer[],
		private readonly label: string,
		options: {
			/** Overrides of STEP_WEIGHTS (0 turns a step off). */
			weights?: Partial<Record<StepKind, number>>;
			/** Awaited after an `allOffline` step (e.g. to wait until the server unloaded the room). */
			afterAllOffline?: () => Promise<void>;
			/** A new peer joining mid-run (the `join` step does nothing without it, or once `maxPeers` are there). */
			join?: () => Peer;
			maxPeers?: number;
		} = {}
	) {
		this.weights = { ...STEP_WEIGHTS, ...options.weights };
		this.afterAllOffline = options.afterAllOffline;
		this.join = options.join;
		this.maxPeers = options.maxPeers ?? 8;
	}

	/** Runs one random step; resolves after any wait the step itself involves. */
	async step(): Promise<StepKind> {
		const kind = this.rng.weighted(this.weights);
		this.counts[kind] = (this.counts[kind] ?? 0) + 1;
		const peer = this.rng.pick(this.peers);
		switch (kind) {
			case 'toggleConnection':
				setOnline(peer, !peer.online);
				break;
			case 'allOffline':
				for (const p of this.peers) setOnline(p, false);
				await this.afterAllOffline?.();
				break;
			case 'join':
				if (this.join && this.peers.length < this.maxPeers) this.peers.push(this.join());
				break;
			case 'pause':
				await sleep(this.rng.int(1, 15));
				break;
			case 'hotMove':
				this.hotMove();
				break;
			default:
				this.attempt(peer, (cmd, snap) => this.command(kind, peer, cmd, snap));
		}
		return kind;
	}

	/** Every peer moves the same card in the same tick, none having seen the others' moves. */
	private hotMove(): void {
		if (!this.hotCard) {
			// Cards are never deleted (only archived), so once chosen the hot card stays for the whole run.
			const ids = Object.keys(readSnapshot(this.rng.pick(this.peers).client.doc).cards).sort();
			this.hotCard = ids.length > 0 ? this.rng.pick(ids) : null;
		}
		const hot = this.hotCard;
		if (!hot) return;
		for (const peer of this.peers) {
			this.attempt(peer, (cmd, snap) => {
				if (!snap.cards[hot] || snap.stages.length === 0) return;
				const stage = this.rng.pick(snap.stages);
				if (cmd.moveCard(hot, stage.id, this.rng.int(0, (snap.cardsByStage[stage.id]?.length ?? 0) + 1))) this.refused++;
			});
		}
	}

	private attempt(peer: Peer, fn: (cmd: BoardCommands, snap: BoardSnapshot) => void): void {
		const cmd = boardCommands(peer.client.doc, { userId: peer.userId, now: () => new Date() });
		try {
			fn(cmd, readSnapshot(peer.client.doc));
		} catch (err) {
			if (!(err instanceof CommandError)) throw err;
			this.refused++;
		}
	}

	private text(what: string): string {
		return `${what} ${this.label}.${++this.serial}`;
	}

	private command(kind: StepKind, peer: Peer, cmd: BoardCommands, snap: BoardSnapshot): void {
		const rng = this.rng;
		const cards = Object.values(snap.cards).sort((a, b) => (a.id < b.id ? -1 : 1));
		const live = cards.filter((c) => !c.archived);
		const stage = () => rng.pick(snap.stages);
		const card = () => rng.pick(cards);
		if (snap.stages.length === 0) return;
		switch (kind) {
			case 'addCard':
				this.made.cards.add(cmd.addCard(stage().id, this.text('Card')));
				return;
			case 'setTitle':
				if (cards.length) cmd.setTitle(card().id, this.text('Title'));
				return;
			case 'editDescription': {
				if (!cards.length) return;
				const c = card();
				const text = c.description;
				const at = rng.int(0, text.length);
				const next = rng.chance(0.3) && text.length > 0 ? text.slice(0, at) + text.slice(Math.min(text.length, at + rng.int(1, 6))) : text.slice(0, at) + `[${peer.name}${rng.int(0, 99)}]` + text.slice(at);
				cmd.setDescription(c.id, next);
				return;
			}
			case 'moveCard': {
				if (!live.length) return;
				const to = stage();
				if (cmd.moveCard(rng.pick(live).id, to.id, rng.int(0, (snap.cardsByStage[to.id]?.length ?? 0) + 1))) this.refused++;
				return;
			}
			case 'checklist': {
				if (!cards.length) return;
				const c = card();
				const item = c.checklist.length ? rng.pick(c.checklist) : null;
				const op = item ? rng.pick(['add', 'tick', 'rename', 'move', 'delete'] as const) : 'add';
				if (op === 'add' || !item) this.made.items.add(`${c.id}/${cmd.addChecklistItem(c.id, this.text('Step'))}`);
				else if (op === 'tick') cmd.setChecklistDone(c.id, item.id, !item.done);
				else if (op === 'rename') cmd.renameChecklistItem(c.id, item.id, this.text('Step'));
				else if (op === 'move') cmd.moveChecklistItem(c.id, item.id, rng.int(0, c.checklist.length));
				else {
					cmd.deleteChecklistItem(c.id, item.id);
					this.made.deletedItems.add(`${c.id}/${item.id}`);
				}
				return;
			}
			case 'archive':
				if (live.length) cmd.setArchived(rng.pick(live).id, true);
				return;
			case 'restore':
				if (snap.archived.length) cmd.setArchived(rng.pick(snap.archived).id, false);
				return;
			case 'owners':
				if (!cards.length) return;
				if (rng.chance(0.6)) cmd.addOwner(card().id, rng.pick(this.peers).userId);
				else cmd.removeOwner(card().id, rng.pick(this.peers).userId);
				return;
			case 'details': {
				if (!cards.length) return;
				const c = card();
				const which = rng.int(0, 2);
				if (which === 0) cmd.setDue(c.id, rng.chance(0.8) ? `2026-0${rng.int(1, 9)}-1${rng.int(0, 9)}` : null);
				else if (which === 1) cmd.setLabels(c.id, rng.chance(0.7) ? [{ name: this.text('label'), color: rng.pick(['red', 'sky', 'emerald']) }] : []);
				else cmd.setBlocked(c.id, rng.chance(0.6) ? this.text('Waiting on') : null);
				return;
			}
			case 'addStage':
				this.made.stages.add(cmd.addStage(this.text('Stage'), rng.pick(STAGE_KINDS)));
				return;
			case 'renameStage':
				cmd.renameStage(stage().id, this.text('Stage'));
				return;
			case 'stageWip': {
				const s = stage();
				const limit = rng.chance(0.25) ? null : rng.int(1, 4);
				cmd.setWipLimit(s.id, s.kind === 'done' ? null : limit, rng.chance(0.5) ? 'hard' : 'soft');
				return;
			}
			case 'deleteStage': {
				if (snap.stages.length < 2) return;
				const gone = stage();
				const dest = rng.pick(snap.stages.filter((s) => s.id !== gone.id));
				cmd.deleteStage(gone.id, dest.id);
				this.made.deletedStages.add(gone.id);
				return;
			}
			case 'moveStage':
				cmd.moveStage(stage().id, rng.int(0, snap.stages.length));
				return;
			case 'exitCriteria': {
				const s = stage();
				const criterion = s.exitCriteria.length ? rng.pick(s.exitCriteria) : null;
				const op = rng.int(0, 2);
				if (op === 0 || !criterion) cmd.addExitCriterion(s.id, this.text('Criterion'));
				else if (op === 1) cmd.removeExitCriterion(s.id, criterion.id);
				else if (cards.length) cmd.setExitCheck(card().id, s.id, criterion.id, rng.chance(0.8));
				return;
			}
			default:
				throw new Error(`not a command step: ${kind}`);
		}
	}
}

/**
 * What the script created that is missing from `snap` (cards are never deleted, only archived; checklist items
 * and stages only by the steps that delete them): '[]' when nothing any client made was lost.
 */
export function missingCreations(editor: RandomEditor, snap: BoardSnapshot): string[] {
	const { cards, items, deletedItems, stages, deletedStages } = editor.made;
	const itemKeys = new Set(Object.values(snap.cards).flatMap((c) => c.checklist.map((i) => `${c.id}/${i.id}`)));
	return [
		...[...cards].filter((id) => !snap.cards[id]).map((id) => `card ${id}`),
		...[...items].filter((key) => !deletedItems.has(key) && !itemKeys.has(key)).map((key) => `checklist item ${key}`),
		...[...stages].filter((id) => !deletedStages.has(id) && !snap.stages.some((s) => s.id === id)).map((id) => `stage ${id}`)
	];
}

/** Takes a peer's provider off or back on the network (its doc keeps every edit made meanwhile). */
export function setOnline(peer: Peer, online: boolean): void {
	if (peer.online === online) return;
	peer.online = online;
	if (online) peer.client.provider.connect();
	else peer.client.provider.disconnect();
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
