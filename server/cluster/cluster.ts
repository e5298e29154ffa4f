import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** A message between instances: JSON with a type tag `t` (binary frames travel base64-encoded). */
export type ClusterMessage = { t: string; [key: string]: unknown };

/** How a cluster is set up (REDIS_URL and friends; see docs/scale-out.md). */
export interface ClusterOptions {
	redisUrl: string;
	/** Prefix of every Redis key and channel (several deployments, or test runs, may share one Redis). */
	prefix: string;
	/** How long a board lease lasts without renewal: the failover time after a crash. */
	leaseMs: number;
	log(message: string, err?: unknown): void;
}

/** How often an instance says it is alive, and after how long without a word it counts as gone. */
const HEARTBEAT_MS = 500;
const ALIVE_WITHIN_MS = 2_000;

/**
 * This instance's place among several on one Redis: its id, a command connection and a subscriber, a channel of
 * its own (messages addressed to it) and a control channel every instance hears. Pub/sub may drop messages: every
 * user of it numbers what it sends and treats a gap as a break (see relay-links.ts), never trusting delivery.
 */
export class Cluster {
	/** Unique per process start. */
	readonly id = randomBytes(6).toString('hex');
	/** The command connection (leases, counters, publishing). */
	readonly redis: Redis;
	private readonly sub: Redis;
	private readonly handlers = new Map<string, (message: ClusterMessage) => void>();
	/** Last heartbeat seen per instance (this process's clock when it was read). */
	private beats = new Map<string, number>();
	private timer: ReturnType<typeof setInterval> | null = null;
	/** Told when the subscriber reconnected: whatever was published meanwhile is lost. */
	onResubscribed: () => void = () => {};

	constructor(readonly options: ClusterOptions) {
		const connect = () => new Redis(options.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
		this.redis = connect();
		this.sub = connect();
		for (const conn of [this.redis, this.sub]) conn.on('error', (err: Error) => options.log(`cluster: Redis: ${err.message}`));
	}

	/** The key or channel `name` under this deployment's prefix. */
	key(name: string): string {
		return `${this.options.prefix}${name}`;
	}

	/** Connects, subscribes, and starts the heartbeat; resolves once messages to this instance are heard. */
	async start(): Promise<void> {
		await Promise.all([this.redis.connect(), this.sub.connect()]);
		this.sub.on('message', (_channel: string, raw: string) => this.receive(raw));
		await this.sub.subscribe(this.key(`i:${this.id}`), this.key('control'));
		let first = true;
		this.sub.on('ready', () => {
			if (first) return;
			this.options.log('cluster: Redis subscriber reconnected; open relays resync');
			this.onResubscribed();
		});
		first = false;
		await this.beat();
		this.timer = setInterval(() => void this.beat().catch(() => {}), HEARTBEAT_MS);
		this.timer.unref();
	}

	/** Handles messages of type `t` (one handler per type). */
	on(t: string, handler: (message: ClusterMessage) => void): void {
		this.handlers.set(t, handler);
	}

	/** Sends a message to one instance (dropped silently if it is gone: callers time out or see a gap). */
	send(instance: string, message: ClusterMessage): void {
		this.redis.publish(this.key(`i:${instance}`), JSON.stringify(message)).catch(() => {});
	}

	/** Sends a message to every instance, this one included. */
	broadcast(message: ClusterMessage): void {
		this.redis.publish(this.key('control'), JSON.stringify({ ...message, from: this.id })).catch(() => {});
	}

	/** Whether `instance` sent a heartbeat lately (this one always is). */
	alive(instance: string): boolean {
		if (instance === this.id) return true;
		const seen = this.beats.get(instance);
		return seen !== undefined && Date.now() - seen < ALIVE_WITHIN_MS;
	}

	/** Stops the heartbeat, says goodbye (others stop waiting for this instance) and disconnects. */
	async close(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		await this.redis.hdel(this.key('alive'), this.id).catch(() => {});
		this.sub.disconnect();
		await this.redis.quit().catch(() => this.redis.disconnect());
	}

	private async beat(): Promise<void> {
		// Each instance stamps a counter of its own, and others note when they saw it move: no clocks compared.
		await this.redis.hincrby(this.key('alive'), this.id, 1);
		const all = await this.redis.hgetall(this.key('alive'));
		const now = Date.now();
		const next = new Map<string, number>();
		for (const [instance, count] of Object.entries(all)) {
			const before = this.counts.get(instance);
			next.set(instance, before === count ? (this.beats.get(instance) ?? now) : now);
		}
		this.counts = new Map(Object.entries(all));
		this.beats = next;
	}

	private counts = new Map<string, string>();

	private receive(raw: string): void {
		let message: ClusterMessage;
		try {
			message = JSON.parse(raw) as ClusterMessage;
		} catch {
			return this.options.log('cluster: unreadable message dropped');
		}
		try {
			this.handlers.get(message.t)?.(message);
		} catch (err) {
			this.options.log(`cluster: handling a ${message.t} message failed`, err);
		}
	}
}

/** Bytes to a string that survives JSON. */
export function encodeBytes(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The other way round. */
export function decodeBytes(text: string): Uint8Array {
	return new Uint8Array(Buffer.from(text, 'base64'));
}
