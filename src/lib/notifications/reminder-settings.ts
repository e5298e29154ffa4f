import { z } from 'zod';
import '../board/zod-jitless.ts';

/** The longest a reminder threshold or blocked alert may be: 30 days, in hours. */
export const MAX_ALERT_HOURS = 30 * 24;
/** The most reminder thresholds a board may have. */
export const MAX_REMINDER_THRESHOLDS = 4;
/** What a board starts with: reminders 48 and 24 hours before a due date, blocked alerts after 24 hours. */
export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { reminderHours: [48, 24], blockedAlertHours: 24 };

/** A board's reminder settings. */
export interface ReminderSettings {
	/** Hours before a due date when the owner is reminded, largest first. */
	reminderHours: number[];
	/** Hours a card may stay blocked before its owners and the process owner are told. */
	blockedAlertHours: number;
}

const hours = (what: string) =>
	z.coerce
		.number({ error: `${what} must be a number of hours.` })
		.int(`${what} must be a whole number of hours.`)
		.positive(`${what} must be at least 1 hour.`)
		.max(MAX_ALERT_HOURS, `${what} can be at most ${MAX_ALERT_HOURS} hours (30 days).`);

/** Parses "48, 24" into whole hours, refusing blanks, non-numbers, repeats and more than four thresholds. */
const reminderList = z
	.string()
	.max(200, 'List at most four numbers of hours.')
	.transform((text, ctx) => {
		const parts = text.split(/[\s,]+/).filter((p) => p !== '');
		if (parts.length > MAX_REMINDER_THRESHOLDS) {
			ctx.addIssue({ code: 'custom', message: `Give at most ${MAX_REMINDER_THRESHOLDS} reminder times.` });
			return z.NEVER;
		}
		const values: number[] = [];
		// Every bad part is named at once, so fixing "48, -3, abc" takes one round, not two.
		const problems: string[] = [];
		for (const part of parts) {
			const parsed = hours(`Each reminder time ("${part.slice(0, 12)}")`).safeParse(part);
			if (parsed.success) values.push(parsed.data);
			else problems.push(parsed.error.issues[0]?.message ?? 'Give whole numbers of hours.');
		}
		if (problems.length > 0) {
			ctx.addIssue({ code: 'custom', message: problems.join(' ') });
			return z.NEVER;
		}
		if (new Set(values).size !== values.length) {
			ctx.addIssue({ code: 'custom', message: 'Each reminder time may appear once.' });
			return z.NEVER;
		}
		return values.sort((a, b) => b - a);
	});

/** The board settings form: `reminderHours` ("48, 24"; empty: no due reminders) and `blockedAlertHours`. */
export const reminderSettingsFormSchema = z.object({
	reminderHours: reminderList,
	blockedAlertHours: hours('The blocked alert')
});

/** Stored settings read defensively (a hand-edited row falls back to the defaults rather than breaking reminders). */
export function readReminderSettings(row: { reminderHours: unknown; blockedAlertHours: unknown } | undefined): ReminderSettings {
	const list = Array.isArray(row?.reminderHours) ? row.reminderHours.filter((h): h is number => Number.isInteger(h) && h > 0 && h <= MAX_ALERT_HOURS) : DEFAULT_REMINDER_SETTINGS.reminderHours;
	const blocked = Number(row?.blockedAlertHours);
	return {
		reminderHours: [...new Set(list)].sort((a, b) => b - a).slice(0, MAX_REMINDER_THRESHOLDS),
		blockedAlertHours: Number.isInteger(blocked) && blocked > 0 && blocked <= MAX_ALERT_HOURS ? blocked : DEFAULT_REMINDER_SETTINGS.blockedAlertHours
	};
}
