import { EventEmitter } from 'node:events';

/** Where a remote socket's output goes: the relaying instance, which writes it to the real socket. */
export interface RemoteSocketSink {
	frame(frame: Uint8Array): void;
	close(code: number, reason: string): void;
	/** Whether the relaying instance is still alive (a dead one's sockets are dropped at the next keep-alive). */
	alive(): boolean;
}

/**
 * On the board's owner: a client socket held by another instance, shaped like the `ws` socket a Connection
 * expects, so the room treats it as any other (validation, policy, presence, roles, budgets). Frames from the
 * client arrive through `deliver`; what the room sends goes to the relaying instance.
 */
export class RemoteSocket extends EventEmitter {
	readonly OPEN = 1;
	readyState = 1;
	/** The relay does its own buffering and drops slow clients there. */
	readonly bufferedAmount = 0;
	binaryType = 'nodebuffer';

	constructor(private readonly sink: RemoteSocketSink) {
		super();
	}

	/** A frame from the client, in order. */
	deliver(frame: Uint8Array): void {
		if (this.readyState !== this.OPEN) return;
		this.emit('message', Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), true);
	}

	/** The client's socket (or the relaying instance) is gone. */
	gone(): void {
		if (this.readyState === 3) return;
		this.readyState = 3;
		this.emit('close', 1006, Buffer.alloc(0));
	}

	send(frame: Uint8Array, sent?: (err?: Error) => void): void {
		if (this.readyState === this.OPEN) this.sink.frame(frame);
		if (sent) queueMicrotask(() => sent());
	}

	close(code: number, reason: string): void {
		if (this.readyState !== this.OPEN) return;
		this.sink.close(code, reason);
		this.readyState = 2;
		// As ws does: the close event follows, never within the call.
		setImmediate(() => this.gone());
	}

	terminate(): void {
		this.close(1006, '');
	}

	/** The relay pings the real socket; here a ping only asks whether the relaying instance still lives. */
	ping(): void {
		if (this.sink.alive()) setImmediate(() => this.emit('pong'));
	}

	/** The relay's socket is read regardless: its frames back up in the owner's link queue instead (bounded there). */
	pause(): void {}

	resume(): void {}
}
