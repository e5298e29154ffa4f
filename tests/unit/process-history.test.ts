import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { guardPolicy } from '../../server/sync/policy-guard.ts';
import { runProcess } from '../../server/engine/process-engine.ts';
import { recordHistory, type RecordedChange } from '../../server/history/recorder.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { processCommands, serverProcessCommands } from '../../src/lib/board/doc/process-commands.ts';
import { boardMaps, cardKey, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { POLICY, actorOfOrigin, type ServerOrigin } from '../../src/lib/board/doc/origins.ts';
import { boardChangeSchema } from '../../src/lib/board/changes.ts';
import { entrySentence, type SentenceNames } from '../../src/lib/board/activity-sentence.ts';
import type { StepSettings } from '../../src/lib/board/types.ts';

const NOW = new Date('2027-03-01T10:00:00Z');
const step = (ownerRole: string | null, approval: StepSettings['approval'] = null): StepSettings => ({ ownerRole, offset: 3, unit: 'calendar', approval });

/** A server doc running the policy net, the process and the history recorder, fed by a socket's transactions. */
function setup() {
	const server = new Y.Doc();
	seedBoard(server);
	guardPolicy(server, () => {}, (m, e) => {
		throw new Error(`${m}: ${String(e)}`);
	});
	runProcess(server, () => {}, () => NOW);
	const recorded: RecordedChange[] = [];
	const history = recordHistory(server, { events: (e) => recorded.push(...e), stages: () => {} }, actorOfOrigin, () => NOW);
	const cmd = boardCommands(server, { userId: 'lead', now: () => NOW }, POLICY);
	const decide = (userId: string) => serverProcessCommands(server, { userId, now: () => new Date(NOW.getTime() + 60_000) }, Object.freeze({ kind: 'server', actorId: userId }) as ServerOrigin);
	const [backlog, todo, doing, review] = readSnapshot(server).stages.map((s) => s.id) as [string, string, string, string];
	cmd.setStageStep(todo, step('Writer'));
	cmd.setStageStep(doing, step('Designer'));
	cmd.setStageStep(review, step(null, { approvers: { userIds: [], role: 'Editor' }, quorum: 1, onChanges: { sendTo: todo }, onReject: { archive: true, sendTo: null } }));
	decide('lead').setTeamRoles({ Writer: ['walt'], Designer: [], Editor: ['eddie'] });
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	const conn = Object.freeze({ kind: 'remote' as const, connId: 1, userId: 'alex' });
	const send = (edit: (doc: Y.Doc) => void) => {
		const sv = Y.encodeStateVector(server);
		edit(client);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client, sv), conn);
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		history.flush();
	};
	const clientCmd = { ...boardCommands(client, { userId: 'alex', now: () => NOW }), ...processCommands(client, { userId: 'alex', now: () => NOW }) };
	const take = () => recorded.splice(0).map((c) => ({ type: c.type, actorId: c.actorId, data: c.data }));
	return { server, client, send, clientCmd, decide, take, history, stage: { backlog, todo, doing, review } };
}

const names: SentenceNames = { person: (id) => ({ alex: 'Alex', walt: 'Walt', eddie: 'Eddie' })[id] ?? 'someone who left', stage: (id) => id };

describe('the process’s history', () => {
	it('records target dates, step dates set by hand, hand-offs (marked as the process’s) and unstaffed steps with the mover as actor', () => {
		const { send, clientCmd, take, stage } = setup();
		let id = '';
		send(() => (id = clientCmd.addCard(stage.backlog, 'Post')));
		take();
		send(() => clientCmd.setTarget(id, '2027-03-31'));
		send(() => clientCmd.setTarget(id, '2027-04-02'));
		send(() => clientCmd.setTarget(id, null));
		send(() => clientCmd.setStepDue(id, stage.todo, '2027-03-20'));
		send(() => clientCmd.setStepDue(id, stage.todo, null));
		expect(take()).toEqual([
			{ type: 'target_changed', actorId: 'alex', data: { target: '2027-03-31', previous: null } },
			{ type: 'target_changed', actorId: 'alex', data: { target: '2027-04-02', previous: '2027-03-31' } },
			{ type: 'target_changed', actorId: 'alex', data: { target: null, previous: '2027-04-02' } },
			{ type: 'step_due_set', actorId: 'alex', data: { stageId: stage.todo, due: '2027-03-20' } },
			{ type: 'step_due_set', actorId: 'alex', data: { stageId: stage.todo, due: null } }
		]);

		send(() => clientCmd.moveCard(id, stage.todo, 0));
		const handed = take();
		expect(handed.map((e) => e.type)).toEqual(['moved', 'owner_added', 'handed_off']);
		expect(handed[1]).toEqual({ type: 'owner_added', actorId: 'alex', data: { userId: 'walt', via: 'process' } });
		expect(handed[2]).toEqual({ type: 'handed_off', actorId: 'alex', data: { stageId: stage.todo, role: 'Writer', userId: 'walt', via: 'process' } });

		send(() => clientCmd.moveCard(id, stage.doing, 0));
		const unstaffed = take();
		expect(unstaffed.map((e) => e.type)).toEqual(['moved', 'owner_removed', 'handoff_unstaffed']);
		expect(unstaffed[2]).toEqual({ type: 'handoff_unstaffed', actorId: 'alex', data: { stageId: stage.doing, role: 'Designer', via: 'process' } });
		// A person's own owner change is not the process's.
		send(() => clientCmd.addOwner(id, 'eddie'));
		expect(take()).toEqual([{ type: 'owner_added', actorId: 'alex', data: { userId: 'eddie' } }]);
	});

	it('records a decision made through the server with the decider as actor, and nothing of a forged one', () => {
		const { server, send, clientCmd, decide, take, history, stage } = setup();
		let id = '';
		send(() => (id = clientCmd.addCard(stage.review, 'Post')));
		take();
		// A modified client writes a decision into the server's root: undone, never history.
		send((doc) => boardMaps(doc).signoffs.set(cardKey(id, stage.review), { decisions: [{ userId: 'eddie', outcome: 'approve', at: NOW.toISOString(), comment: '' }], contentAt: null }));
		expect(take()).toEqual([]);
		expect(boardMaps(server).signoffs.has(cardKey(id, stage.review))).toBe(false);

		decide('eddie').recordDecision(id, stage.review, 'changes', 'Tighten the intro');
		history.flush();
		const changes = take();
		// The decision, then what it caused: back to the named stage, handed to its role holder.
		expect(changes.map((e) => e.type)).toEqual(['signoff_decided', 'moved', 'owner_added', 'handed_off']);
		expect(changes[0]).toEqual({ type: 'signoff_decided', actorId: 'eddie', data: { stageId: stage.review, outcome: 'changes', comment: 'Tighten the intro' } });
		// The hand-off after a send-back is the process's, on behalf of the decider.
		expect(changes[3]).toMatchObject({ type: 'handed_off', actorId: 'eddie' });
		// A content edit voids approvals (a policy write to the sign-offs): nothing to record.
		send(() => clientCmd.setTitle(id, 'Post, tighter'));
		expect(take().map((e) => e.type)).toEqual(['title_changed']);
	});

	it('every recorded change fits its schema and reads as a sentence', () => {
		const { send, clientCmd, decide, take, history, stage } = setup();
		let id = '';
		send(() => (id = clientCmd.addCard(stage.backlog, 'Post')));
		send(() => clientCmd.setTarget(id, '2027-03-31'));
		send(() => clientCmd.moveCard(id, stage.todo, 0));
		send(() => clientCmd.moveCard(id, stage.doing, 0));
		send(() => clientCmd.moveCard(id, stage.review, 0));
		decide('eddie').recordDecision(id, stage.review, 'approve', '');
		history.flush();
		const all = take();
		for (const change of all) expect(boardChangeSchema.safeParse({ ...change, cardId: id, at: NOW, fromStageId: null, toStageId: null, stageId: null }).success, JSON.stringify(change)).toBe(true);
		const say = (type: string) => {
			const change = all.find((c) => c.type === type)!;
			return entrySentence({ kind: type, actorId: change.actorId, cardId: id, fromStageId: null, toStageId: null, data: change.data }, names, 'Post');
		};
		expect(say('handed_off')).toBe(`Process handed “Post” to Walt for ${stage.todo} (moved by Alex)`);
		expect(say('handoff_unstaffed')).toBe(`No one holds Designer for ${stage.doing} on “Post”`);
		expect(say('signoff_decided')).toBe(`Eddie approved “Post” in ${stage.review}`);
		expect(say('target_changed')).toBe('Alex on “Post” set the target date to Mar 31, 2027');
		expect(say('owner_added')).toBe('Process on “Post” added Walt as owner (moved by Alex)');
		expect(entrySentence({ kind: 'signoff_decided', actorId: 'eddie', cardId: id, fromStageId: null, toStageId: null, data: { stageId: 'x', outcome: 'changes', comment: 'Shorter' } }, names, 'Post')).toBe(
			'Eddie requested changes on “Post”: Shorter'
		);
		expect(entrySentence({ kind: 'step_due_set', actorId: 'alex', cardId: id, fromStageId: null, toStageId: null, data: { stageId: 'Outline', due: null } }, names, 'Post')).toBe(
			'Alex on “Post” reset the due date of Outline to the plan'
		);
	});
});
