import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

const DEADLINE = Symbol('flowdeck.handshakeDeadline');
type WithDeadline = Duplex & { [DEADLINE]?: ReturnType<typeof setTimeout> };

/**
 * Puts a deadline on every new TCP connection: by `handshakeTimeoutMs` it must have sent a complete HTTP
 * request and, if that request is a WebSocket upgrade, been authorized and upgraded (the upgrade handler
 * calls `settleHandshake`). Otherwise it is destroyed. Node's own `headersTimeout` is checked only every
 * 30 s and never covers the time an upgrade spends being authorized; this covers both. Later requests on a
 * keep-alive connection fall under `headersTimeout`, lowered to the same value.
 */
export function hardenServer(server: Server, options: { handshakeTimeoutMs: number }): void {
	const ms = options.handshakeTimeoutMs;
	if (ms <= 0) return;
	if (server.headersTimeout === 0 || server.headersTimeout > ms) server.headersTimeout = ms;
	server.on('connection', (socket: WithDeadline) => {
		const timer = setTimeout(() => socket.destroy(), ms);
		timer.unref();
		socket[DEADLINE] = timer;
		socket.once('close', () => clearTimeout(timer));
	});
	// A plain request reached its handler: answering it is the handler's business (and requestTimeout's).
	server.on('request', (req: { socket: Duplex }) => settleHandshake(req.socket));
}

/** The socket finished its handshake (upgraded, or handed to a request handler): lift its deadline. */
export function settleHandshake(socket: Duplex): void {
	const timer = (socket as WithDeadline)[DEADLINE];
	if (timer) clearTimeout(timer);
	delete (socket as WithDeadline)[DEADLINE];
}
