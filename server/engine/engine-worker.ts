// A worker thread of the engine pool (engine-pool.ts): it runs the board engines the main thread opens on it.
// Started through engine-thread.js, which registers the TypeScript loader first.
import { parentPort, workerData } from 'node:worker_threads';
import { EngineDispatch, loadExtensions } from './engine-dispatch.ts';
import { describeError, type RequestMessage, type WorkerMessage } from './engine-protocol.ts';

const port = parentPort;
if (!port) throw new Error('engine-worker.ts runs as a worker thread');

const post = (message: WorkerMessage) => port.postMessage(message);
// Before listening: requests wait in the port until the extensions are loaded.
const extensions = await loadExtensions((workerData as { extensions?: string[] } | null)?.extensions ?? []);
const dispatch = new EngineDispatch((room, event) => post({ room, event }), extensions);

port.on('message', ({ room, id, request }: RequestMessage) => {
	try {
		post({ room, id, ok: true, value: dispatch.handle(room, request) });
	} catch (err) {
		post({ room, id, ok: false, error: describeError(err) });
	}
});
