// Entry of an engine worker thread: a fresh thread has no TypeScript loader (the main thread's is not
// inherited), so register tsx's before loading the worker's TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
