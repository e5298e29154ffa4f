import WebSocket from 'ws';

/** A DevTools-protocol session with a server process started with --inspect. */
export interface InspectorSession {
	call<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
	/** Evaluates an expression in the server (with the command-line API, so `require` works); returns its value. */
	evaluate<T = unknown>(expression: string): Promise<T>;
	close(): void;
}

/** Connects to the inspector at `url` (ws://127.0.0.1:port/uuid). */
export async function openInspector(url: string): Promise<InspectorSession> {
	const ws = new WebSocket(url);
	await new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
	});
	let nextId = 1;
	const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: string }>();
	ws.on('message', (data: Buffer) => {
		const reply = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
		const w = reply.id === undefined ? undefined : waiting.get(reply.id);
		if (!w) return;
		waiting.delete(reply.id!);
		if (reply.error) w.reject(new Error(`${w.method}: ${reply.error.message}`));
		else w.resolve(reply.result);
	});
	const session: InspectorSession = {
		call<T>(method: string, params?: Record<string, unknown>) {
			const id = nextId++;
			return new Promise<T>((resolve, reject) => {
				waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
				ws.send(JSON.stringify({ id, method, params }));
			});
		},
		async evaluate<T>(expression: string) {
			const r = await session.call<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', {
				expression,
				includeCommandLineAPI: true,
				returnByValue: true,
				awaitPromise: true
			});
			if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
			return r.result.value as T;
		},
		close: () => ws.close()
	};
	return session;
}

/** Self time per function in a V8 CPU profile, highest first, as "function (file:line)". */
export function topSelfTime(profile: CpuProfile, top = 25): { fn: string; ms: number; pct: number }[] {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<number, number>();
	for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
	const byFn = new Map<string, number>();
	let total = 0;
	for (const [id, us] of self) {
		const frame = byId.get(id)!.callFrame;
		const file = frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(server|src|tests)\//, '$1/');
		const key = `${frame.functionName || '(anonymous)'} (${file || 'native'}${frame.url ? `:${frame.lineNumber + 1}` : ''})`;
		byFn.set(key, (byFn.get(key) ?? 0) + us);
		total += us;
	}
	return [...byFn.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, top)
		.map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10, pct: Math.round((us / total) * 1000) / 10 }));
}

/** The parts of a V8 CPU profile that `topSelfTime` reads. */
export interface CpuProfile {
	nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
	samples: number[];
	timeDeltas: number[];
}
