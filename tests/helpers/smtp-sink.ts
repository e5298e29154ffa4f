import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/** One mail the sink received, parsed. */
export interface SinkMail {
	/** Envelope recipients (RCPT TO). */
	to: string[];
	from: string;
	subject: string;
	text: string;
	html: string;
	/** Header lines as they arrived, names lower-cased (first value wins). */
	headers: Map<string, string>;
	messageId: string;
}

/** How the sink answers: take mail, refuse it with a temporary error, or drop the connection. */
export type SinkMode = 'accept' | 'refuse' | 'hangup';

/** A real SMTP server on 127.0.0.1 that keeps what it receives (the test's mail server). */
export interface SmtpSink {
	/** `smtp://127.0.0.1:<port>` for SMTP_URL / smtpMailer. */
	url: string;
	port: number;
	/** Every mail accepted so far, in arrival order. */
	readonly mails: SinkMail[];
	/** How many DATA commands were refused or dropped (a send attempt that failed). */
	readonly refused: number;
	/** Switches the answer: 'refuse' says 451 to each message, 'hangup' answers 421 and closes the connection. */
	setMode(mode: SinkMode): void;
	/** Resolves with the first mail (existing or future) that matches; rejects after `timeoutMs`. */
	waitForMail(predicate: (mail: SinkMail) => boolean, timeoutMs?: number): Promise<SinkMail>;
	close(): Promise<void>;
}

/** Starts an SMTP sink on a random loopback port (no TLS, no auth). */
export async function startSmtpSink(): Promise<SmtpSink> {
	const mails: SinkMail[] = [];
	const waiters: { predicate: (mail: SinkMail) => boolean; resolve: (mail: SinkMail) => void }[] = [];
	let mode: SinkMode = 'accept';
	let refused = 0;
	const temporary = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });
	const server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onConnect(_session, callback) {
			if (mode === 'hangup') {
				refused++;
				return callback(temporary(421, 'Service not available, closing transmission channel'));
			}
			callback();
		},
		onData(stream, session, callback) {
			if (mode !== 'accept') {
				refused++;
				stream.resume();
				stream.on('end', () => callback(temporary(451, 'Requested action aborted: local error in processing')));
				return;
			}
			simpleParser(stream)
				.then((parsed) => {
					const headers = new Map<string, string>();
					for (const line of parsed.headerLines) if (!headers.has(line.key)) headers.set(line.key, line.line.slice(line.line.indexOf(':') + 1).trim());
					const mail: SinkMail = {
						to: session.envelope.rcptTo.map((r) => r.address),
						from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
						subject: parsed.subject ?? '',
						text: parsed.text ?? '',
						html: typeof parsed.html === 'string' ? parsed.html : '',
						headers,
						messageId: parsed.messageId ?? ''
					};
					mails.push(mail);
					for (const w of [...waiters]) {
						if (w.predicate(mail)) {
							waiters.splice(waiters.indexOf(w), 1);
							w.resolve(mail);
						}
					}
					callback();
				})
				.catch((err: Error) => callback(err));
		}
	});
	server.on('error', () => {
		// A client that hangs up mid-session is not the test's failure.
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.server.address() as AddressInfo).port;
	return {
		url: `smtp://127.0.0.1:${port}`,
		port,
		mails,
		get refused() {
			return refused;
		},
		setMode(next) {
			mode = next;
		},
		waitForMail(predicate, timeoutMs = 10_000) {
			const found = mails.find(predicate);
			if (found) return Promise.resolve(found);
			return new Promise<SinkMail>((resolve, reject) => {
				const waiter = {
					predicate,
					resolve: (mail: SinkMail) => {
						clearTimeout(timer);
						resolve(mail);
					}
				};
				const timer = setTimeout(() => {
					waiters.splice(waiters.indexOf(waiter), 1);
					reject(new Error(`No matching mail within ${timeoutMs} ms (received ${mails.length}: ${mails.map((m) => `"${m.subject}" to ${m.to.join(',')}`).join('; ')}).`));
				}, timeoutMs);
				waiters.push(waiter);
			});
		},
		close() {
			return new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
