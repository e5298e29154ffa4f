import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { dbKinds } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { boardMembers } from '../../src/lib/server/db/schema/boards.ts';
import { notifications } from '../../src/lib/server/db/schema/notifications.ts';
import { webhookDeliveries, webhookEndpoints, rules as rulesTable } from '../../src/lib/server/db/schema/automation.ts';
import { addTeamRole, deleteTeamRole, setTeamRoleHolders } from '../../src/lib/server/boards/team-roles.ts';
import { listRuns, saveRule, type RunOutcome } from '../../src/lib/server/rules/store.ts';
import { ruleEngineOf } from '../../server/rules/install.ts';
import { SWEEP_EVERY_MS } from '../../server/rules/rule-engine.ts';
import { readFeed } from '../../src/lib/server/activity/feed.ts';
import { presentFeed } from '../../src/lib/server/activity/present.ts';
import { builtInRules, setBuiltInHandoff } from '../../src/lib/server/rules/built-in.ts';
import { saveRuleFromForm } from '../../src/lib/server/rules/service.ts';
import { dryRun } from '../../src/lib/server/rules/dry-run.ts';
import type { RuleAction, RuleDefinition, RuleTrigger } from '../../src/lib/board/rules/definition.ts';
import type { Card } from '../../src/lib/board/types.ts';

type Cmd = ReturnType<typeof boardCommands>;
const HOUR = 3_600_000;

describe.each(dbKinds())('automation rules through real sync clients (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	const clock = new FakeClock(Date.now());
	const clients: SyncClient[] = [];
	let alex: { id: string; cookie: string };
	let sam: { id: string; cookie: string };

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 }, { clock, pollJobs: false });
		alex = await fd.user('Alex');
		sam = await fd.user('Sam');
	}, 60_000);
	// Each test's clients close with it (every open provider holds a process listener).
	afterEach(() => {
		for (const c of clients.splice(0)) c.destroy();
	});
	afterAll(async () => {
		await fd?.close();
	});

	/** A board of Alex's (Sam an editor) with Alex's client on it. */
	async function board(name = 'Launch') {
		const boardId = await createBoard(fd.app.ctx.db, alex.id, name, new Date());
		await fd.app.ctx.db.insert(boardMembers).values({ boardId, userId: sam.id, role: 'editor', joinedAt: new Date() });
		const client = connectBoard(fd.url, boardId, { cookie: alex.cookie });
		clients.push(client);
		await client.synced();
		const cmd = boardCommands(client.doc, { userId: alex.id, now: () => new Date() });
		const stages = readSnapshot(client.doc).stages.map((s) => s.id) as [string, string, string, string, string];
		return { boardId, client, cmd, stages };
	}

	async function rule(boardId: string, definition: Partial<RuleDefinition> & Pick<RuleDefinition, 'trigger' | 'actions'>, name = 'Test rule') {
		const id = await saveRule(fd.app.ctx.db, { boardId, name, userId: alex.id, enabled: true, definition: { conditions: [], allowRetrigger: false, ...definition } }, new Date());
		// What the rule form's service does after saving: the engine forgets its copy and starts timed sweeps if needed.
		await fd.app.ctx.rules!.invalidate(boardId);
		return id;
	}

	const serverCard = async (boardId: string, cardId: string): Promise<Card> => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId })).card!;
	const runsWith = (ruleId: string, outcome: RunOutcome, n = 1) =>
		waitFor(`${n} ${outcome} run(s) of the rule`, async () => {
			const runs = (await listRuns(fd.app.ctx.db, ruleId)).filter((r) => r.outcome === outcome);
			return runs.length >= n ? runs : null;
		});

	const triggers: { name: string; trigger: (s: string[]) => RuleTrigger; act: (cmd: Cmd, card: string, s: string[]) => void }[] = [
		{ name: 'card created', trigger: () => ({ kind: 'card_created' }), act: () => {} },
		{ name: 'entered a stage', trigger: (s) => ({ kind: 'entered_stage', stageId: s[2]! }), act: (cmd, card, s) => void cmd.moveCard(card, s[2]!, 0) },
		{ name: 'left a stage', trigger: (s) => ({ kind: 'left_stage', stageId: s[1]! }), act: (cmd, card, s) => void cmd.moveCard(card, s[2]!, 0) },
		{ name: 'owner changed', trigger: () => ({ kind: 'owner_changed' }), act: (cmd, card) => cmd.addOwner(card, sam.id) },
		{ name: 'due date changed', trigger: () => ({ kind: 'due_changed' }), act: (cmd, card) => cmd.setDue(card, '2030-01-10') },
		{ name: 'labels changed', trigger: () => ({ kind: 'labels_changed' }), act: (cmd, card) => cmd.setLabels(card, [{ name: 'Urgent', color: 'red' }]) },
		{ name: 'blocked changed', trigger: () => ({ kind: 'blocked_changed' }), act: (cmd, card) => cmd.setBlocked(card, 'Waiting for legal') },
		{
			name: 'checklist completed',
			trigger: () => ({ kind: 'checklist_completed' }),
			act: (cmd, card) => {
				const item = cmd.addChecklistItem(card, 'Proofread') as unknown as string;
				cmd.setChecklistDone(card, item, true);
			}
		}
	];

	it.each(triggers)('fires on: $name', async ({ trigger, act }) => {
		const { boardId, cmd, stages } = await board();
		const ruleId = await rule(boardId, { trigger: trigger(stages), actions: [{ kind: 'add_label', label: 'Seen by rule' }] });
		const card = cmd.addCard(stages[1], 'Spring post');
		act(cmd, card, stages);
		const [run] = await runsWith(ruleId, 'done');
		expect(run!.cardId).toBe(card);
		expect((await serverCard(boardId, card)).labels.map((l) => l.name)).toContain('Seen by rule');
		// The activity list says the rule did it.
		const feed = await waitFor('the rule’s change in the activity', async () => {
			const entries = await presentFeed(fd.app.ctx.db, boardId, (await readFeed(fd.app.ctx.db, boardId, {}, { limit: 50 })).rows);
			return entries.find((e) => e.rule === 'Test rule');
		});
		expect(feed.what).toMatch(/by rule “Test rule”$/);
	});

	it('fires when a sign-off is decided', async () => {
		const { boardId, cmd, stages } = await board();
		const ruleId = await rule(boardId, { trigger: { kind: 'approval_decided' }, actions: [{ kind: 'add_label', label: 'Decided' }] });
		const step = { ownerRole: null, offset: null, unit: 'working', approval: { approvers: { userIds: [sam.id], role: null }, quorum: 'all', onChanges: { sendTo: null }, onReject: { archive: false, sendTo: null } } };
		await fd.app.rooms.applyAsServer(boardId, { kind: 'server', actorId: alex.id }, [{ name: 'setStageStep', args: [stages[3], step] }]);
		const card = cmd.addCard(stages[3], 'Needs a sign-off');
		await waitFor('the card reached the server', async () => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId: card })).card);
		await fd.app.rooms.applyAsServer(boardId, { kind: 'server', actorId: sam.id }, [{ name: 'recordDecision', args: [card, stages[3], 'approve', 'Fine'] }]);
		await runsWith(ruleId, 'done');
	});

	type ActionCase = { name: string; action: (ctx: Ctx) => RuleAction | Promise<RuleAction>; before?: (ctx: Ctx) => void | Promise<void>; check: (ctx: Ctx, card: Card) => void | Promise<void> };
	type Ctx = { boardId: string; cmd: Cmd; stages: string[]; card: string };
	const actions: ActionCase[] = [
		{ name: 'assign a user', action: () => ({ kind: 'assign_user', userId: sam.id }), check: (_c, card) => expect(card.owners).toContain(sam.id) },
		{
			name: 'assign a role’s holder',
			action: async ({ boardId }) => {
				const roleId = await addTeamRole(fd.app.ctx.db, boardId, alex.id, 'Designer', new Date(), fd.app.ctx.teamRoles);
				await setTeamRoleHolders(fd.app.ctx.db, boardId, alex.id, roleId, [sam.id], fd.app.ctx.teamRoles);
				return { kind: 'assign_role', roleId };
			},
			check: (_c, card) => expect(card.owners).toEqual([sam.id])
		},
		{ name: 'unassign', before: ({ cmd, card }) => cmd.addOwner(card, alex.id), action: () => ({ kind: 'unassign' }), check: (_c, card) => expect(card.owners).toEqual([]) },
		{ name: 'move to a stage', action: ({ stages }) => ({ kind: 'move', stageId: stages[2]! }), check: ({ stages }, card) => expect(card.stageId).toBe(stages[2]) },
		{ name: 'set the due date from now', action: () => ({ kind: 'set_due', base: 'now', offsetDays: 2 }), check: (_c, card) => expect(card.due).toBe(new Date(clock.now().getTime() + 2 * 24 * HOUR).toISOString().slice(0, 10)) },
		{
			name: 'set the due date from the target date',
			before: async ({ boardId, card }) => void (await fd.app.rooms.applyAsServer(boardId, { kind: 'server', actorId: alex.id }, [{ name: 'setTarget', args: [card, '2030-03-20'] }])),
			action: () => ({ kind: 'set_due', base: 'target', offsetDays: -5 }),
			check: (_c, card) => expect(card.due).toBe('2030-03-15')
		},
		{ name: 'add a label', action: () => ({ kind: 'add_label', label: 'Hot' }), check: (_c, card) => expect(card.labels.map((l) => l.name)).toContain('Hot') },
		{ name: 'remove a label', before: ({ cmd, card }) => cmd.setLabels(card, [{ name: 'Draft', color: 'amber' }]), action: () => ({ kind: 'remove_label', label: 'Draft' }), check: (_c, card) => expect(card.labels).toEqual([]) },
		{ name: 'add checklist items', action: () => ({ kind: 'add_checklist', items: ['Brief', 'Assets'] }), check: (_c, card) => expect(card.checklist.map((i) => i.text)).toEqual(['Brief', 'Assets']) },
		{
			name: 'notify a user with placeholders',
			action: () => ({ kind: 'notify', to: { kind: 'user', userId: sam.id }, message: 'Please look at {card.title} in {stage} on {board}' }),
			check: async ({ boardId }) => {
				const [n] = await fd.app.ctx.db.select().from(notifications).where(and(eq(notifications.userId, sam.id), eq(notifications.boardId, boardId)));
				expect(n).toMatchObject({ kind: 'rule_message', body: 'Please look at Trigger card in In progress on Launch' });
				expect(n!.ruleId).toBeTruthy();
			}
		},
		{
			name: 'send a webhook',
			action: async ({ boardId }) => {
				await fd.app.ctx.db.insert(webhookEndpoints).values({ id: `ep-${boardId}`, boardId, url: 'http://127.0.0.1:9/hook', secret: 'whsec_x', kinds: [], createdAt: new Date() });
				return { kind: 'webhook', url: 'http://127.0.0.1:9/hook' };
			},
			check: async ({ boardId }) => {
				const rows = await fd.app.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, `ep-${boardId}`));
				expect(rows).toHaveLength(1);
				expect(rows[0]!.payload).toMatchObject({ type: 'rule.fired', data: { title: 'Trigger card' } });
			}
		},
		{
			name: 'create a linked card on another board',
			action: async () => {
				const other = await createBoard(fd.app.ctx.db, alex.id, 'Sales', new Date());
				return { kind: 'create_linked_card', boardId: other, title: 'Follow up the leads' };
			},
			check: async ({ boardId }, card) => {
				const target = (card.description.match(/\/b\/([^/?]+)\?card=([^)]+)\)/) ?? []) as string[];
				expect(target[1]).toBeTruthy();
				const linked = await serverCard(target[1]!, target[2]!);
				expect(linked.title).toBe('Follow up the leads');
				expect(linked.description).toContain(`/b/${boardId}?card=${card.id}`);
			}
		},
		{ name: 'archive', action: () => ({ kind: 'archive' }), check: (_c, card) => expect(card.archived).toBe(true) }
	];

	it.each(actions)('does: $name', async (c) => {
		const { boardId, cmd, stages } = await board();
		const card = cmd.addCard(stages[1], 'Trigger card');
		const ctx = { boardId, cmd, stages, card };
		await waitFor('the card reached the server', async () => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId: card })).card);
		await c.before?.(ctx);
		const ruleId = await rule(boardId, { trigger: { kind: 'entered_stage', stageId: stages[2]! }, actions: [await c.action(ctx)] });
		cmd.moveCard(card, stages[2]!, 0);
		await runsWith(ruleId, 'done');
		await c.check(ctx, await serverCard(boardId, card));
	});

	it('records a move the policy net refuses as refused', async () => {
		const { boardId, cmd, stages } = await board();
		cmd.setWipLimit(stages[3]!, 1, 'hard');
		cmd.addCard(stages[3]!, 'Already reviewing');
		const ruleId = await rule(boardId, { trigger: { kind: 'card_created' }, conditions: [{ kind: 'in_stage', stageId: stages[1]! }], actions: [{ kind: 'move', stageId: stages[3]! }] });
		const card = cmd.addCard(stages[1], 'One too many');
		const [run] = await runsWith(ruleId, 'refused');
		expect(run!.message).toMatch(/limit/i);
		expect((await serverCard(boardId, card)).stageId).toBe(stages[1]);
	});

	it('skips a card that fails its condition', async () => {
		const { boardId, cmd, stages } = await board();
		const ruleId = await rule(boardId, { trigger: { kind: 'card_created' }, conditions: [{ kind: 'has_label', label: 'VIP' }], actions: [{ kind: 'archive' }] });
		cmd.addCard(stages[1], 'Ordinary');
		const [run] = await runsWith(ruleId, 'skipped');
		expect(run!.message).toContain('VIP');
	});

	it('does not let a rule’s changes trigger rules unless it allows it, and stops a chain at depth 10 with a loop', async () => {
		const { boardId, cmd, stages } = await board();
		const quiet = await rule(boardId, { trigger: { kind: 'entered_stage', stageId: stages[2]! }, actions: [{ kind: 'add_label', label: 'Quiet' }] });
		const listener = await rule(boardId, { trigger: { kind: 'labels_changed' }, actions: [{ kind: 'assign_user', userId: sam.id }] });
		const card = cmd.addCard(stages[1], 'Quiet card');
		cmd.moveCard(card, stages[2]!, 0);
		await runsWith(quiet, 'done');
		await ruleEngineOf(fd.app.ctx)!.idle(boardId);
		expect(await listRuns(fd.app.ctx.db, listener)).toEqual([]);

		const ping = await rule(boardId, { trigger: { kind: 'entered_stage', stageId: stages[3]! }, actions: [{ kind: 'move', stageId: stages[4]! }], allowRetrigger: true }, 'Ping');
		const pong = await rule(boardId, { trigger: { kind: 'entered_stage', stageId: stages[4]! }, actions: [{ kind: 'move', stageId: stages[3]! }], allowRetrigger: true }, 'Pong');
		const looping = cmd.addCard(stages[1], 'Ping-pong');
		cmd.moveCard(looping, stages[3]!, 0);
		await waitFor('a loop run', async () => [...(await listRuns(fd.app.ctx.db, ping)), ...(await listRuns(fd.app.ctx.db, pong))].some((r) => r.outcome === 'loop'));
		const all = [...(await listRuns(fd.app.ctx.db, ping)), ...(await listRuns(fd.app.ctx.db, pong))].sort((a, b) => a.depth - b.depth);
		expect(all.filter((r) => r.outcome === 'done').map((r) => r.depth)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(all.filter((r) => r.outcome === 'loop').map((r) => r.depth)).toEqual([10]);
	});

	it('switches off a rule whose stage was deleted and tells its creator', async () => {
		const { boardId, cmd, stages } = await board();
		const ruleId = await rule(boardId, { trigger: { kind: 'card_created' }, actions: [{ kind: 'move', stageId: stages[3]! }] }, 'Send to review');
		cmd.deleteStage(stages[3]!, stages[2]!);
		const [row] = await waitFor('the rule is switched off', async () => {
			const rows = await fd.app.ctx.db.select().from(rulesTable).where(eq(rulesTable.id, ruleId));
			return rows[0]?.enabled === false ? rows : null;
		});
		expect(row!.brokenReason).toMatch(/stage/);
		const told = await waitFor('its creator is told', async () => (await fd.app.ctx.db.select().from(notifications).where(and(eq(notifications.userId, alex.id), eq(notifications.kind, 'board_admin'))))[0]);
		expect(told.title).toContain('Send to review');
	});

	it('switches off a rule whose team role was deleted when it next fires', async () => {
		const { boardId, cmd, stages } = await board();
		const roleId = await addTeamRole(fd.app.ctx.db, boardId, alex.id, 'Editor in chief', new Date(), fd.app.ctx.teamRoles);
		const ruleId = await rule(boardId, { trigger: { kind: 'card_created' }, actions: [{ kind: 'assign_role', roleId }] }, 'Give it to the chief');
		await deleteTeamRole(fd.app.ctx.db, boardId, alex.id, roleId, fd.app.ctx.teamRoles);
		cmd.addCard(stages[1], 'Orphan');
		const [run] = await runsWith(ruleId, 'error');
		expect(run!.message).toMatch(/Switched off: Then, action 1: This team role does not exist/);
		const [row] = await fd.app.ctx.db.select().from(rulesTable).where(eq(rulesTable.id, ruleId));
		expect(row).toMatchObject({ enabled: false });
	});

	it('acts on a board nobody has open when a timed rule comes due', async () => {
		const boardId = await createBoard(fd.app.ctx.db, alex.id, 'Quiet board', new Date());
		await fd.app.ctx.db.insert(boardMembers).values({ boardId, userId: sam.id, role: 'editor', joinedAt: new Date() });
		const { stages } = await fd.app.rooms.readBoard(boardId, { kind: 'workflow' });
		const tomorrow = new Date(clock.now().getTime() + 24 * HOUR).toISOString().slice(0, 10);
		const [card] = (await fd.app.rooms.applyAsServer(boardId, { kind: 'server', actorId: alex.id }, [{ name: 'addCard', args: [stages[1]!.id, 'Due soon'] }])) as string[];
		await fd.app.rooms.applyAsServer(boardId, { kind: 'server', actorId: alex.id }, [{ name: 'setDue', args: [card, tomorrow] }]);
		const dueSoon = await rule(boardId, { trigger: { kind: 'due_within', hours: 48 }, actions: [{ kind: 'add_label', label: 'Due soon' }] });
		const daily = await rule(boardId, { trigger: { kind: 'schedule', every: 'day', time: '00:00' }, actions: [{ kind: 'add_checklist', items: ['Daily check'] }] });
		const stale = await rule(boardId, { trigger: { kind: 'no_move', days: 3 }, actions: [{ kind: 'assign_user', userId: sam.id }] });
		const late = await rule(boardId, { trigger: { kind: 'overdue_by', hours: 2 }, actions: [{ kind: 'add_label', label: 'Late' }] });
		await waitFor('the board is closed', () => !fd.app.rooms.has(boardId));

		clock.advance(SWEEP_EVERY_MS);
		await fd.app.jobs.runDue();
		await runsWith(dueSoon, 'done');
		await runsWith(daily, 'done');
		expect(await listRuns(fd.app.ctx.db, stale)).toEqual([]);
		// Once per occasion: another sweep the same day does nothing again.
		clock.advance(SWEEP_EVERY_MS);
		await fd.app.jobs.runDue();
		expect(await listRuns(fd.app.ctx.db, dueSoon)).toHaveLength(1);

		clock.advance(4 * 24 * HOUR);
		await fd.app.jobs.runDue();
		await runsWith(stale, 'done');
		await runsWith(late, 'done');
		await runsWith(daily, 'done', 2);
		const after = await serverCard(boardId, card!);
		expect(after.labels.map((l) => l.name).sort()).toEqual(['Due soon', 'Late']);
		expect(after.owners).toEqual([sam.id]);
	});

	it('lists the process’s hand-offs as built-in rules, one per step, each switched off on its own', async () => {
		const { boardId, cmd, stages } = await board();
		const roleId = await addTeamRole(fd.app.ctx.db, boardId, alex.id, 'Designer', new Date(), fd.app.ctx.teamRoles);
		await setTeamRoleHolders(fd.app.ctx.db, boardId, alex.id, roleId, [sam.id], fd.app.ctx.teamRoles);
		const editorId = await addTeamRole(fd.app.ctx.db, boardId, alex.id, 'Editor', new Date(), fd.app.ctx.teamRoles);
		await setTeamRoleHolders(fd.app.ctx.db, boardId, alex.id, editorId, [sam.id], fd.app.ctx.teamRoles);
		const step = (ownerRole: string) => ({ ownerRole, offset: null, unit: 'working', approval: null });
		await fd.app.rooms.applyAsServer(boardId, { kind: 'server', actorId: alex.id }, [
			{ name: 'setStageStep', args: [stages[2], step('Designer')] },
			{ name: 'setStageStep', args: [stages[3], step('Editor')] }
		]);
		expect(await builtInRules(fd.app.ctx, boardId)).toMatchObject([
			{ stageId: stages[2], stage: 'In progress', role: 'Designer', enabled: true, summary: 'When a card enters In progress: hand it to a Designer (the least busy holder, taking turns)' },
			{ stageId: stages[3], role: 'Editor', enabled: true, summary: expect.stringContaining('hand it to an Editor (') }
		]);

		// Only In progress's hand-off is off: a card entering it keeps no owner, one entering the next step is handed off.
		await setBuiltInHandoff(fd.app.ctx, boardId, alex.id, stages[2], false);
		expect((await builtInRules(fd.app.ctx, boardId)).map((r) => r.enabled)).toEqual([false, true]);
		const kept = cmd.addCard(stages[1], 'No hand-off');
		cmd.moveCard(kept, stages[2]!, 0);
		const other = cmd.addCard(stages[1], 'Hand-off to the editor');
		cmd.moveCard(other, stages[3]!, 0);
		await waitFor('the next step still hands off', async () => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId: other })).card?.owners.includes(sam.id));
		const stillKept = await serverCard(boardId, kept);
		expect(stillKept.stageId).toBe(stages[2]);
		expect(stillKept.owners).toEqual([]);

		await setBuiltInHandoff(fd.app.ctx, boardId, alex.id, stages[2], true);
		expect((await builtInRules(fd.app.ctx, boardId)).map((r) => r.enabled)).toEqual([true, true]);
		expect((await fd.app.rooms.readBoard(boardId, { kind: 'workflow' })).process.handoffsOff).toBeUndefined();
		const handed = cmd.addCard(stages[1], 'Hand-off');
		cmd.moveCard(handed, stages[2]!, 0);
		await waitFor('the process hands it to the designer', async () => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId: handed })).card?.owners.includes(sam.id));
		await expect(setBuiltInHandoff(fd.app.ctx, boardId, alex.id, 'no-such-stage', false)).rejects.toThrow();
		await expect(setBuiltInHandoff(fd.app.ctx, boardId, sam.id, stages[2], false)).rejects.toThrow();
		expect((await builtInRules(fd.app.ctx, boardId)).map((r) => r.enabled)).toEqual([true, true]);
	});

	it('the form saves nothing on bad input, and only the owner may save', async () => {
		const { boardId, stages } = await board();
		const bad = { trigger: { kind: 'due_within', hours: -2 }, conditions: [], actions: [{ kind: 'webhook', url: 'javascript:alert(1)' }, { kind: 'notify', to: { kind: 'owners' }, message: 'Hi {nobody}' }], allowRetrigger: false };
		const outcome = await saveRuleFromForm(fd.app.ctx, boardId, alex.id, { name: '', definition: JSON.stringify(bad) });
		expect(outcome.ok).toBe(false);
		if (!outcome.ok) expect(Object.keys(outcome.errors).sort()).toEqual(['actions.0.url', 'actions.1.message', 'name', 'trigger.hours']);
		if (!outcome.ok) expect(outcome.errors['trigger.hours']).toBe('Hours cannot be negative.');
		const loop = { trigger: { kind: 'entered_stage', stageId: stages[2] }, conditions: [], actions: [{ kind: 'move', stageId: stages[2] }], allowRetrigger: true };
		const third = await saveRuleFromForm(fd.app.ctx, boardId, alex.id, { name: 'Loop', definition: JSON.stringify(loop) });
		expect(third.ok ? null : third.errors['actions.0.stageId']).toMatch(/loop/);
		expect(await fd.app.ctx.db.select().from(rulesTable).where(eq(rulesTable.boardId, boardId))).toEqual([]);

		const good = JSON.stringify({ ...loop, allowRetrigger: false });
		await expect(saveRuleFromForm(fd.app.ctx, boardId, sam.id, { name: 'By an editor', definition: good })).rejects.toMatchObject({ code: 'forbidden' });
		const saved = await saveRuleFromForm(fd.app.ctx, boardId, alex.id, { name: 'Fine', definition: good });
		expect(saved.ok).toBe(true);
	});

	it('dry run lists what the rule then does on the same history', async () => {
		const { boardId, cmd, stages } = await board();
		const a = cmd.addCard(stages[1], 'Alpha');
		const b = cmd.addCard(stages[1], 'Beta');
		cmd.setLabels(b, [{ name: 'VIP', color: 'red' }]);
		cmd.moveCard(a, stages[2]!, 0);
		cmd.moveCard(b, stages[2]!, 0);
		await waitFor('history stored', async () => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId: b })).card?.stageId === stages[2]);
		await fd.app.rooms.get(boardId).then((room) => room.flush().finally(() => room.release()));
		const definition: RuleDefinition = { trigger: { kind: 'entered_stage', stageId: stages[2]! }, conditions: [{ kind: 'has_label', label: 'VIP' }], actions: [{ kind: 'assign_user', userId: sam.id }], allowRetrigger: false };
		const preview = await dryRun(fd.app.ctx, boardId, definition);
		expect(preview.map((p) => p.cardId)).toEqual([b]);

		// The same history performed again with the rule on: it acts on exactly those cards.
		const ruleId = await rule(boardId, definition);
		cmd.moveCard(a, stages[1]!, 0);
		cmd.moveCard(b, stages[1]!, 0);
		cmd.moveCard(a, stages[2]!, 0);
		cmd.moveCard(b, stages[2]!, 0);
		const done = await runsWith(ruleId, 'done');
		await runsWith(ruleId, 'skipped');
		expect(done.map((r) => r.cardId)).toEqual(preview.map((p) => p.cardId));
		expect((await serverCard(boardId, b)).owners).toEqual([sam.id]);
		expect(preview[0]!.actions).toEqual(['assigned Sam']);
	});

	it('dry run of a timed rule lists the cards its sweep then acts on', async () => {
		const { boardId, cmd, stages } = await board();
		const day = (hours: number) => new Date(clock.now().getTime() + hours * HOUR).toISOString().slice(0, 10);
		const soon = cmd.addCard(stages[1], 'Soon');
		cmd.setDue(soon, day(24));
		const later = cmd.addCard(stages[1], 'Later');
		cmd.setDue(later, day(20 * 24));
		cmd.addCard(stages[1], 'Undated');
		await waitFor('due dates stored', async () => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId: later })).card?.due === day(20 * 24));
		await fd.app.rooms.get(boardId).then((room) => room.flush().finally(() => room.release()));
		// The history's times come from the engine's clock, real time: the test's clock catches up before replaying it.
		clock.advance(Math.max(0, Date.now() - clock.now().getTime()) + 1000);
		const definition: RuleDefinition = { trigger: { kind: 'due_within', hours: 48 }, conditions: [], actions: [{ kind: 'add_label', label: 'Due soon' }], allowRetrigger: false };
		const preview = await dryRun(fd.app.ctx, boardId, definition);
		expect(preview.map((p) => p.cardId)).toEqual([soon]);

		const ruleId = await rule(boardId, definition);
		clock.advance(SWEEP_EVERY_MS);
		await fd.app.jobs.runDue();
		const done = await runsWith(ruleId, 'done');
		expect(done.map((r) => r.cardId)).toEqual(preview.map((p) => p.cardId));
	});
});
