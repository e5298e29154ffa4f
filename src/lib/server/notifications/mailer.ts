/** One mail to send. */
export interface OutgoingMail {
	to: string;
	subject: string;
	text: string;
	html: string;
	/** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
	headers?: Record<string, string>;
}

/** Sends mail (nodemailer over SMTP in the app; see server/mail/). */
export interface Mailer {
	/** False when no SMTP_URL is set: the app delivers in-app only and says so in settings. */
	readonly configured: boolean;
	/** Sends one mail; resolves with the SMTP message id, rejects when the server refused or was unreachable. */
	send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** The mailer of an app without SMTP. */
export const noMailer: Mailer = {
	configured: false,
	send() {
		return Promise.reject(new Error('No SMTP server is configured (set SMTP_URL).'));
	}
};
