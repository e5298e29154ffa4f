import nodemailer from 'nodemailer';
import type { Mailer } from '../../src/lib/server/notifications/mailer.ts';

/**
 * A mailer over SMTP (nodemailer) at `smtpUrl` (`smtp://user:pass@host:port`, `smtps://…`), sending as `from`.
 * Bounded timeouts: a mail server that hangs fails the send (the job retries it) instead of holding a job for minutes.
 */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
	const transport = nodemailer.createTransport(smtpUrl, { from });
	transport.set('connectionTimeout', 10_000);
	return {
		configured: true,
		async send(mail) {
			const info = (await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers })) as { messageId: string };
			return { messageId: info.messageId };
		}
	};
}
