import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { dbKinds } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { boardMembers } from '../../src/lib/server/db/schema/boards.ts';
import { webhookDeliveries, webhookEndpoints } from '../../src/lib/server/db/schema/automation.ts';
import { notifications } from '../../src/lib/server/db/schema/notifications.ts';
import { createEndpoint, enableEndpoint, listDeliveries, redeliver, requireWebhookOwner, sendTestEvent, type WebhookAdminDeps } from '../../src/lib/server/webhooks/endpoints.ts';
import { WEBHOOK_RETRY_SCHEDULE_MS } from '../../src/lib/server/webhooks/schedule.ts';
import { ValidationError } from '../../src/lib/server/validation.ts';

type Mode = 'ok' | 'fail' | 'hang';

interface Received {
	path: string;
	id: string;
	body: { type: string; timestamp: string; data: Record<string, unknown> };
	verified: boolean;
}

/** A real webhook receiver on 127.0.0.1 that verifies every delivery with the endpoint's secret (standardwebhooks). */
async function startReceiver() {
	const secrets = new Map<string, string>();
	/** Per path: what to answer, in turn (the last repeats). */
	const plans = new Map<string, Mode[]>();
	const received: Received[] = [];
	const sockets = new Set<Socket>();
	let open = 0;
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const path = req.url ?? '/';
			const raw = Buffer.concat(chunks).toString('utf8');
			let verified = false;
			try {
				new Webhook(secrets.get(path) ?? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(raw, req.headers as Record<string, string>);
				verified = true;
			} catch {
				verified = false;
			}
			received.push({ path, id: String(req.headers['webhook-id']), body: JSON.parse(raw) as Received['body'], verified });
			const plan = plans.get(path) ?? ['ok'];
			const mode = plan.length > 1 ? plan.shift()! : plan[0]!;
			if (mode === 'hang') {
				open++;
				res.on('close', () => open--);
				return;
			}
			res.statusCode = mode === 'ok' ? 200 : 500;
			res.end(mode === 'ok' ? 'thanks' : `boom: the receiver is down ${'x'.repeat(600)}`);
		});
	});
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		port,
		url: (path: string) => `http://127.0.0.1:${port}${path}`,
		expect(path: string, secret: string, plan: Mode[] = ['ok']) {
			secrets.set(path, secret);
			plans.set(path, [...plan]);
		},
		at: (path: string) => received.filter((r) => r.path === path),
		get open() {
			return open;
		},
		async close() {
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

describe.each(dbKinds())('webhooks (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let receiver: Awaited<ReturnType<typeof startReceiver>>;
	const clock = new FakeClock();
	const clients: SyncClient[] = [];
	let alex: { id: string; cookie: string };
	let sam: { id: string; cookie: string };

	beforeAll(async () => {
		receiver = await startReceiver();
		fd = await startInProcess(kind, { unloadGraceMs: 100 }, { clock, pollJobs: false, webhookTimeoutMs: 1_500 });
		// The receiver is on loopback; one test switches this off to see the guard refuse it.
		fd.app.ctx.webhookAllowPrivate = true;
		alex = await fd.user('Alex');
		sam = await fd.user('Sam');
	}, 60_000);
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await receiver?.close();
		await fd?.app.ctx.webhooks?.idle();
		await fd?.close();
	});

	const deps = (): WebhookAdminDeps => ({
		db: fd.app.ctx.db,
		jobs: fd.app.jobs,
		clock,
		webhookAllowPrivate: fd.app.ctx.webhookAllowPrivate,
		endpointsChanged: (b) => fd.app.ctx.webhooks?.endpointsChanged(b)
	});
	/** Runs every due job and waits for the sends they started to be recorded. */
	const settle = async () => {
		await fd.app.jobs.runDue();
		await fd.app.ctx.webhooks!.idle();
	};
	const delivery = async (id: string) => (await fd.app.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!;
	const endpointRow = async (id: string) => (await fd.app.ctx.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)))[0]!;
	const board = async (name: string) => {
		const boardId = await createBoard(fd.app.ctx.db, alex.id, name, clock.now());
		await fd.app.ctx.db.insert(boardMembers).values({ boardId, userId: sam.id, role: 'editor', joinedAt: clock.now() });
		return boardId;
	};

	it('sends a signed card.moved event when a card is moved through a real sync client, and redelivers it on request', async () => {
		const boardId = await board('Launch');
		const { id: endpointId, secret } = await createEndpoint(deps(), boardId, alex.id, { url: receiver.url('/moves'), kinds: ['card.moved'] });
		expect(secret).toMatch(/^whsec_/);
		receiver.expect('/moves', secret);

		const client = connectBoard(fd.url, boardId, { cookie: alex.cookie });
		clients.push(client);
		await client.synced();
		const cmd = boardCommands(client.doc, { userId: alex.id, now: () => clock.now() });
		const [todo, doing] = readSnapshot(client.doc).stages.map((s) => s.id);
		const card = cmd.addCard(todo!, 'Spring launch post');
		cmd.moveCard(card, doing!, 0);

		// The room queues the event in the background: run the queue until the receiver has it.
		await waitFor('the move reaches the receiver', async () => {
			await settle();
			return receiver.at('/moves').length > 0;
		});
		const [queued] = await fd.app.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
		const got = receiver.at('/moves');
		// Only the kind it subscribed to: the card's creation is not sent.
		expect(got).toHaveLength(1);
		expect(got[0]).toMatchObject({ verified: true, id: queued!.id, body: { type: 'card.moved', data: { boardId, cardId: card, fromStageId: todo, toStageId: doing, actorId: alex.id } } });
		expect(await delivery(queued!.id)).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 200, responseExcerpt: 'thanks' });

		await redeliver(deps(), boardId, alex.id, queued!.id);
		await settle();
		expect(receiver.at('/moves').map((r) => [r.id, r.verified])).toEqual([
			[queued!.id, true],
			[queued!.id, true]
		]);
		expect(await delivery(queued!.id)).toMatchObject({ status: 'delivered', attempts: 2 });
	});

	it('retries a receiver that answers 500 on its schedule until it is delivered', async () => {
		const boardId = await board('Flaky');
		const { id: endpointId, secret } = await createEndpoint(deps(), boardId, alex.id, { url: receiver.url('/flaky'), kinds: ['card.created'] });
		receiver.expect('/flaky', secret, ['fail', 'fail', 'ok']);
		const id = await sendTestEvent(deps(), boardId, alex.id, endpointId);
		await settle();
		const first = await delivery(id);
		expect(first).toMatchObject({ status: 'retrying', attempts: 1, responseStatus: 500 });
		expect(first.responseExcerpt).toHaveLength(500);
		expect(first.responseExcerpt!.startsWith('boom: the receiver is down')).toBe(true);
		// The log says when it is tried next: the queued attempt, on the schedule.
		const [logged] = (await listDeliveries(fd.app.ctx.db, boardId, alex.id)).get(endpointId)!;
		expect(logged!.nextAttemptAt!.getTime() - first.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(WEBHOOK_RETRY_SCHEDULE_MS[0]! - 1_000);
		expect(logged!.nextAttemptAt!.getTime() - first.lastAttemptAt!.getTime()).toBeLessThanOrEqual(WEBHOOK_RETRY_SCHEDULE_MS[0]! + 1_000);
		// Nothing before its time.
		clock.advance(WEBHOOK_RETRY_SCHEDULE_MS[0]! - 1_000);
		await settle();
		expect((await delivery(id)).attempts).toBe(1);
		clock.advance(1_000);
		await settle();
		expect(await delivery(id)).toMatchObject({ status: 'retrying', attempts: 2 });
		clock.advance(WEBHOOK_RETRY_SCHEDULE_MS[1]!);
		await settle();
		expect(await delivery(id)).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 200 });
		expect(receiver.at('/flaky').map((r) => [r.id, r.verified, r.body.type])).toEqual([
			[id, true, 'webhook.test'],
			[id, true, 'webhook.test'],
			[id, true, 'webhook.test']
		]);
		// The success cancelled the queued retry: later, nothing more is sent.
		clock.advance(WEBHOOK_RETRY_SCHEDULE_MS[2]!);
		await settle();
		expect(receiver.at('/flaky')).toHaveLength(3);
	});

	it('records a hanging receiver as a timeout without holding up other jobs, and retries it', async () => {
		const boardId = await board('Hang');
		const { id: endpointId, secret } = await createEndpoint(deps(), boardId, alex.id, { url: receiver.url('/hang'), kinds: ['card.created'] });
		receiver.expect('/hang', secret, ['hang', 'ok']);
		let pinged = false;
		fd.app.jobs.handle('test.ping', async () => {
			pinged = true;
		});
		const id = await sendTestEvent(deps(), boardId, alex.id, endpointId);
		await fd.app.jobs.enqueue({ kind: 'test.ping' });
		await fd.app.jobs.runDue();
		// The job runner is done while the receiver still holds the request open.
		expect(pinged).toBe(true);
		await waitFor('the receiver holds the request open', () => receiver.open === 1);
		expect((await delivery(id)).status).toBe('sending');
		await fd.app.ctx.webhooks!.idle();
		const row = await delivery(id);
		expect(row).toMatchObject({ status: 'retrying', attempts: 1, responseStatus: null });
		expect(row.lastError).toMatch(/timed out/);
		expect(row.durationMs).toBeGreaterThanOrEqual(1_400);
		clock.advance(WEBHOOK_RETRY_SCHEDULE_MS[0]!);
		await settle();
		expect(await delivery(id)).toMatchObject({ status: 'delivered', attempts: 2 });
	});

	it('disables an endpoint after five deliveries in a row failed and tells the board owners', async () => {
		const boardId = await board('Down');
		const { id: endpointId, secret } = await createEndpoint(deps(), boardId, alex.id, { url: receiver.url('/down'), kinds: ['card.created'] });
		receiver.expect('/down', secret, ['fail']);
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push(await sendTestEvent(deps(), boardId, alex.id, endpointId));
		await settle();
		for (const delay of WEBHOOK_RETRY_SCHEDULE_MS) {
			expect((await endpointRow(endpointId)).enabled).toBe(true);
			clock.advance(delay);
			await settle();
		}
		for (const id of ids) expect(await delivery(id)).toMatchObject({ status: 'failed', attempts: WEBHOOK_RETRY_SCHEDULE_MS.length + 1 });
		expect(receiver.at('/down')).toHaveLength(5 * (WEBHOOK_RETRY_SCHEDULE_MS.length + 1));
		const endpoint = await endpointRow(endpointId);
		expect(endpoint.enabled).toBe(false);
		expect(endpoint.disabledReason).toMatch(/5 deliveries in a row failed/);
		const told = await fd.app.ctx.db.select().from(notifications).where(and(eq(notifications.boardId, boardId), eq(notifications.kind, 'board_admin')));
		expect(told.map((n) => n.userId)).toEqual([alex.id]);
		expect(told[0]!.title).toContain(receiver.url('/down'));
		await expect(sendTestEvent(deps(), boardId, alex.id, endpointId)).rejects.toThrow(/disabled/);

		await enableEndpoint(deps(), boardId, alex.id, endpointId);
		expect(await endpointRow(endpointId)).toMatchObject({ enabled: true, failures: 0, disabledReason: null });
	});

	it('refuses bad URLs and, unless allowed, private targets at save time and at send time', async () => {
		const boardId = await board('Guarded');
		const refusal = async (input: { url: string; kinds: string[] }) => {
			const err = await createEndpoint(deps(), boardId, alex.id, input).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(ValidationError);
			return (err as ValidationError).fields;
		};
		expect(await refusal({ url: 'ftp://example.com/hook', kinds: ['card.moved'] })).toEqual({ url: expect.stringMatching(/https:\/\/ or http:\/\//) });
		expect(await refusal({ url: 'not a url', kinds: [] })).toEqual({ url: expect.stringMatching(/full URL/), kinds: expect.stringMatching(/at least one/) });
		expect(await refusal({ url: receiver.url('/x'), kinds: ['card.exploded'] })).toEqual({ kinds: expect.any(String) });

		const { id: literal, secret } = await createEndpoint(deps(), boardId, alex.id, { url: receiver.url('/private'), kinds: ['card.created'] });
		const { id: named } = await createEndpoint(deps(), boardId, alex.id, { url: `http://localhost:${receiver.port}/private`, kinds: ['card.created'] });
		// The same URL again (as written or as it normalises) is refused: it would double every delivery.
		expect(await refusal({ url: receiver.url('/private'), kinds: ['card.moved'] })).toEqual({ url: expect.stringMatching(/already sends to this URL/) });
		receiver.expect('/private', secret);
		// Allowed, a host name goes through the guarded lookup and is delivered.
		const allowed = await sendTestEvent(deps(), boardId, alex.id, named);
		await settle();
		expect(await delivery(allowed)).toMatchObject({ status: 'delivered', responseStatus: 200 });
		expect(receiver.at('/private')).toHaveLength(1);
		fd.app.ctx.webhookAllowPrivate = false;
		try {
			expect(await refusal({ url: receiver.url('/x'), kinds: ['card.moved'] })).toEqual({ url: expect.stringMatching(/127\.0\.0\.1.*public addresses/) });
			const a = await sendTestEvent(deps(), boardId, alex.id, literal);
			const b = await sendTestEvent(deps(), boardId, alex.id, named);
			await settle();
			for (const id of [a, b]) expect((await delivery(id)).lastError).toMatch(/public addresses/);
			expect(receiver.at('/private')).toHaveLength(1);
		} finally {
			fd.app.ctx.webhookAllowPrivate = true;
		}
		const saved = await fd.app.ctx.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.boardId, boardId));
		expect(saved).toHaveLength(2);
	});

	it('lets only board owners manage webhooks and hides the board from non-members', async () => {
		const boardId = await board('Owners only');
		const stranger = await fd.user('Kim');
		await expect(requireWebhookOwner(fd.app.ctx.db, boardId, stranger.id)).rejects.toMatchObject({ code: 'not_found' });
		await expect(requireWebhookOwner(fd.app.ctx.db, boardId, sam.id)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(createEndpoint(deps(), boardId, sam.id, { url: receiver.url('/x'), kinds: ['card.moved'] })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(requireWebhookOwner(fd.app.ctx.db, boardId, alex.id)).resolves.toBeUndefined();
	});
});
