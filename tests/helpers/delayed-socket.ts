import WebSocket from 'ws';

/** A FIFO that runs each job after its own random delay without ever overtaking an earlier one (like one TCP stream). */
class DelayLine {
	private readonly queue: { due: number; run: () => void }[] = [];
	private timer: ReturnType<typeof setTimeout> | null = null;
	private lastDue = 0;

	constructor(private readonly delayMs: () => number) {}

	push(run: () => void): void {
		// Never earlier than the job before it: order is preserved, only the spacing changes.
		const due = Math.max(this.lastDue, Date.now() + Math.max(0, this.delayMs()));
		this.lastDue = due;
		this.queue.push({ due, run });
		if (!this.timer) this.arm();
	}

	private arm(): void {
		const head = this.queue[0];
		if (!head) return;
		this.timer = setTimeout(() => this.drain(), Math.max(0, head.due - Date.now()));
	}

	private drain(): void {
		this.timer = null;
		const now = Date.now();
		while (this.queue.length > 0 && this.queue[0]!.due <= now) this.queue.shift()!.run();
		this.arm();
	}
}

/**
 * A `ws` WebSocket class for `WebsocketProvider` that sends `headers` on the handshake (as a browser would) and
 * delays every outgoing frame and every incoming message and close event by `delayMs()` each, preserving the
 * order within each direction. Frames still queued when the socket closes are lost, as on a dropped connection.
 */
export function delayedSocketClass(headers: Record<string, string>, delayMs: () => number): typeof WebSocket {
	return class DelayedSocket extends WebSocket {
		private readonly outgoing = new DelayLine(delayMs);
		private readonly incoming = new DelayLine(delayMs);

		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}

		override send(data: unknown, ...rest: unknown[]): void {
			const cb = rest.find((r): r is (err?: Error) => void => typeof r === 'function');
			this.outgoing.push(() => {
				if (this.readyState === WebSocket.OPEN) super.send(data as Buffer, (err) => cb?.(err));
				else cb?.(new Error('socket closed before the delayed frame was sent'));
			});
		}

		override emit(event: string | symbol, ...args: unknown[]): boolean {
			// Field initializers run after super(): anything emitted while constructing goes straight through.
			if ((event !== 'message' && event !== 'close') || (this.incoming as DelayLine | undefined) === undefined) return super.emit(event, ...args);
			this.incoming.push(() => super.emit(event, ...args));
			return true;
		}
	} as unknown as typeof WebSocket;
}
