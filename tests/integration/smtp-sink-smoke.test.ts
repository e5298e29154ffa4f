import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { smtpMailer } from '../../server/mail/smtp-mailer.ts';

let sink: SmtpSink;
beforeAll(async () => { sink = await startSmtpSink(); });
afterAll(async () => { await sink.close(); });

test('the sink receives, refuses and hangs up', async () => {
	const mailer = smtpMailer(sink.url, 'Flowdeck <fd@localhost>');
	await mailer.send({ to: 'a@example.com', subject: 'Hi', text: 'plain', html: '<p>html</p>', headers: { 'List-Unsubscribe': '<http://x/u>' } });
	const m = await sink.waitForMail((x) => x.subject === 'Hi');
	expect(m.to).toEqual(['a@example.com']);
	expect(m.text.trim()).toBe('plain');
	expect(m.html).toContain('<p>html</p>');
	expect(m.headers.get('list-unsubscribe')).toBe('<http://x/u>');
	sink.setMode('refuse');
	await expect(mailer.send({ to: 'a@example.com', subject: 'No', text: 't', html: 'h' })).rejects.toThrow(/451/);
	sink.setMode('hangup');
	await expect(mailer.send({ to: 'a@example.com', subject: 'No', text: 't', html: 'h' })).rejects.toThrow();
	expect(sink.refused).toBe(2);
});
