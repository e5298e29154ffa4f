import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { boards } from '../db/schema/boards.ts';
import { DomainError } from '../errors.ts';
import { parseForm } from '../validation.ts';
import { inviteMail } from './compose.ts';
import { enqueueMail } from './jobs.ts';

const schema = z.object({
	inviteEmail: z.union([
		z.literal(''),
		z.string().trim().toLowerCase().max(254, 'That email address is too long.').pipe(z.email('Enter a valid email address, like name@example.com, or leave it empty.'))
	])
});

/** The invite form's optional address to mail the link to (null: none); refuses an address when mail is not set up. */
export function parseInviteEmail(form: FormData, mailer: Mailer): string | null {
	if (!form.has('inviteEmail')) return null;
	const { inviteEmail } = parseForm(schema, form);
	if (!inviteEmail) return null;
	if (!mailer.configured) throw new DomainError('invalid_input', 'Email is not set up on this server: share the link yourself.', 'inviteEmail');
	return inviteEmail;
}

/** Queues the mail that carries an invite link. */
export async function mailInvite(db: Db, jobs: JobQueue, input: { to: string; boardId: string; inviter: string; role: string; link: string; expiresAt: Date }): Promise<void> {
	const [board] = await db.select({ name: boards.name }).from(boards).where(eq(boards.id, input.boardId));
	await enqueueMail(jobs, inviteMail(input.to, { inviter: input.inviter, board: board?.name ?? 'a board', role: input.role, link: input.link, expiresAt: input.expiresAt }), 'invite', null);
}
