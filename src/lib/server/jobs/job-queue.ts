import type { NewJob } from './queue.ts';

/** Where services put timed work (the server's JobRunner implements it; see server/jobs/job-runner.ts). */
export interface JobQueue {
	/** Adds a job; resolves with its id, or null when its key was used before (it ran, or will). */
	enqueue(job: NewJob): Promise<number | null>;
}
