import type { AppContext } from '../../src/lib/server/context.ts';
import type { RoomExtensionFactory } from '../sync/room-extension.ts';
import type { WriterLog } from '../persistence/board-writer.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { notificationExtension } from './notification-extension.ts';
import { installRiskJobs } from './risk-jobs.ts';
import { BLOCKED_JOB, REMINDER_JOB, ScheduledKeys, runBlockedAlert, runReminder, type ReminderDeps } from './reminders.ts';

/** The notification producers: a room extension for the change feed and the reminder jobs' handlers. */
export interface NotificationProducers {
	/** Goes into the RoomRegistry's extensions (it stays idle until `install`). */
	extension: RoomExtensionFactory;
	/** Binds the running app's context, registers the reminder job handlers and starts the hourly delivery-risk check. */
	install(ctx: AppContext, jobs: Pick<JobRunner, 'handle' | 'enqueue'>): void;
}

/** Builds the producers; the registry needs the extension before the context (which needs the registry) exists. */
export function notificationProducers(log: WriterLog): NotificationProducers {
	let deps: ReminderDeps | null = null;
	return {
		extension: notificationExtension(() => deps, log),
		install(ctx, jobs) {
			const bound: ReminderDeps = { db: ctx.db, clock: ctx.clock, jobs: ctx.jobs, documents: ctx.documents, notify: (input) => ctx.notify(input), scheduled: new ScheduledKeys() };
			deps = bound;
			jobs.handle(REMINDER_JOB, (job) => runReminder(bound, job));
			jobs.handle(BLOCKED_JOB, (job) => runBlockedAlert(bound, job));
			installRiskJobs(ctx, jobs, log);
		}
	};
}
