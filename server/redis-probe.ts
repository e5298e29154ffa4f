import { Redis } from 'ioredis';

/** A small Redis client that only answers "is Redis reachable?" (for GET /ready). */
export interface RedisProbe {
	/** Resolves true when a PING is answered within `timeoutMs`; never rejects. */
	ping(timeoutMs: number): Promise<boolean>;
	/** Closes the connection (shutdown). */
	close(): void;
}

/** Connects to `url` in the background, reconnecting on its own; commands fail at once while it is not connected. */
export function redisProbe(url: string): RedisProbe {
	const client = new Redis(url, {
		lazyConnect: true,
		// While disconnected a PING fails at once instead of waiting in a queue: not connected is not ready.
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		connectTimeout: 2000,
		retryStrategy: (times) => Math.min(times * 200, 2000)
	});
	// Reconnection is the client's job; without a listener ioredis prints every failed attempt as unhandled.
	client.on('error', () => {});
	client.connect().catch(() => {});
	return {
		async ping(timeoutMs) {
			let timer: ReturnType<typeof setTimeout> | undefined;
			const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
			try {
				return await Promise.race([client.ping().then((reply) => reply === 'PONG', () => false), late]);
			} finally {
				clearTimeout(timer);
			}
		},
		close: () => client.disconnect()
	};
}
