import type { OutgoingMail } from '../notifications/mailer.ts';

/** Escapes text for HTML content and attribute values: everything a person typed goes through this. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The origin links in mail point to: ORIGIN, or (unset) localhost on PORT, which only works on the server's own machine. */
export function mailOrigin(publicOrigin: string | null): string {
	return publicOrigin ?? `http://localhost:${process.env.PORT ?? '3000'}`;
}

/** A link to a card (or its board) from mail. */
export function cardUrl(origin: string, boardId: string | null, cardId: string | null): string | null {
	if (!boardId) return null;
	const board = `${origin}/b/${encodeURIComponent(boardId)}`;
	return cardId ? `${board}?card=${encodeURIComponent(cardId)}` : board;
}

/** One block of a mail: a line of text, optionally a link. */
export interface MailBlock {
	heading: string;
	body?: string;
	link?: { href: string; label: string };
}

/** The HTML of a mail: inline styles only (mail clients drop style sheets), every text escaped; `footer` is HTML. */
export function mailHtml(title: string, blocks: MailBlock[], footer: string[]): string {
	const parts = blocks.map((b) => {
		const body = b.body ? `<p style="margin:4px 0 0;white-space:pre-wrap;color:#334155">${escapeHtml(b.body)}</p>` : '';
		const link = b.link ? `<p style="margin:8px 0 0"><a href="${escapeHtml(b.link.href)}" style="color:#4f46e5">${escapeHtml(b.link.label)}</a></p>` : '';
		return `<div style="margin:0 0 16px;padding:12px 16px;border:1px solid #e2e8f0;border-radius:8px"><p style="margin:0;font-weight:600;color:#0f172a">${escapeHtml(b.heading)}</p>${body}${link}</div>`;
	});
	const foot = footer.map((f) => `<p style="margin:4px 0;font-size:12px;color:#64748b">${f}</p>`).join('');
	return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:600px;margin:0 auto;padding:16px">${parts.join('')}${foot}</body></html>`;
}

/** The plain-text part of a mail: its blocks, then the footer lines. */
export function mailText(blocks: MailBlock[], footer: string[]): string {
	const parts = blocks.map((b) => [b.heading, b.body, b.link ? `${b.link.label}: ${b.link.href}` : undefined].filter(Boolean).join('\n'));
	return [...parts, '--', ...footer].join('\n\n') + '\n';
}

/** Unsubscribe headers of RFC 2369 and one-click RFC 8058 (mail clients POST `List-Unsubscribe=One-Click` to the URL). */
export function unsubscribeHeaders(url: string): Record<string, string> {
	return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** The mail of one notification. */
export function notificationMail(input: { to: string; title: string; body: string; link: string | null; kindLabel: string; unsubscribeUrl: string; settingsUrl: string }): OutgoingMail {
	const block: MailBlock = { heading: input.title, body: input.body || undefined, link: input.link ? { href: input.link, label: 'Open the card' } : undefined };
	return {
		to: input.to,
		subject: input.title,
		html: mailHtml(input.title, [block], [
			`You get this because “${escapeHtml(input.kindLabel)}” is set to email in your <a href="${escapeHtml(input.settingsUrl)}">notification settings</a>.`,
			`<a href="${escapeHtml(input.unsubscribeUrl)}">Stop these emails</a>`
		]),
		text: mailText([block], [`You get this because "${input.kindLabel}" is set to email in your notification settings: ${input.settingsUrl}`, `Stop these emails: ${input.unsubscribeUrl}`]),
		headers: unsubscribeHeaders(input.unsubscribeUrl)
	};
}

/** The daily digest: several notifications in one mail. */
export function digestMail(input: { to: string; date: string; items: MailBlock[]; settingsUrl: string }): OutgoingMail {
	const subject = `Your Flowdeck digest for ${input.date}: ${input.items.length} update${input.items.length === 1 ? '' : 's'}`;
	return {
		to: input.to,
		subject,
		html: mailHtml(subject, input.items, [`You get one daily digest instead of single emails. Change this in your <a href="${escapeHtml(input.settingsUrl)}">notification settings</a>.`]),
		text: mailText(input.items, [`You get one daily digest instead of single emails. Change this in your notification settings: ${input.settingsUrl}`])
	};
}

/** The "forgot password" mail. */
export function passwordResetMail(to: string, link: string): OutgoingMail {
	const block: MailBlock = { heading: 'Reset your Flowdeck password', body: 'Someone (hopefully you) asked to reset the password of this account. The link works once, for one hour. If it was not you, ignore this mail: your password stays as it is.', link: { href: link, label: 'Choose a new password' } };
	return { to, subject: 'Reset your Flowdeck password', html: mailHtml(block.heading, [block], []), text: mailText([block], ['Flowdeck']) };
}

/** The mail carrying a board invitation link. */
export function inviteMail(to: string, input: { inviter: string; board: string; role: string; link: string; expiresAt: Date }): OutgoingMail {
	const subject = `${input.inviter} invited you to “${input.board}” on Flowdeck`;
	const block: MailBlock = { heading: subject, body: `You are invited as ${input.role}. The link works until ${input.expiresAt.toUTCString()}.`, link: { href: input.link, label: 'Join the board' } };
	return { to, subject, html: mailHtml(subject, [block], []), text: mailText([block], ['Flowdeck']) };
}
