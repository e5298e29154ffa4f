import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boards } from '../db/schema/boards.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { parseForm } from '../validation.ts';
import { readReminderSettings, reminderSettingsFormSchema, type ReminderSettings } from '../../notifications/reminder-settings.ts';

/** A board's reminder thresholds and blocked alert time (defaults when never set). */
export async function getReminderSettings(db: Db, boardId: string): Promise<ReminderSettings> {
	const [row] = await db.select({ reminderHours: boards.reminderHours, blockedAlertHours: boards.blockedAlertHours }).from(boards).where(eq(boards.id, boardId));
	return readReminderSettings(row);
}

/**
 * Saves a board's reminder settings from its settings form (board owners only). Bad values are refused with a
 * message per field and nothing saved. New thresholds apply to reminders scheduled from now on (a due date set or
 * changed, or the board's next load); reminders already queued keep their time.
 */
export async function saveReminderSettings(db: Db, boardId: string, userId: string, form: FormData): Promise<ReminderSettings> {
	await requireBoardAction(db, boardId, userId, 'manage_members');
	const { reminderHours, blockedAlertHours } = parseForm(reminderSettingsFormSchema, form);
	await db.update(boards).set({ reminderHours, blockedAlertHours }).where(eq(boards.id, boardId));
	return { reminderHours, blockedAlertHours };
}
