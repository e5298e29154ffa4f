import { request as httpRequest } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, dbKinds } from '../helpers/db.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { connectBoard, waitFor } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';

type Who = 'owner' | 'editor' | 'viewer' | 'outsider';
const NAMES: Record<Who, string> = { owner: 'Olivia Owner', editor: 'Eddie Editor', viewer: 'Vera Viewer', outsider: 'Otto Outsider' };
const MAX = 64 * 1024;

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d6b1e40000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** A 2000 × 1500 photo-like JPEG (a gradient and a sun) taken with the camera turned: EXIF orientation 6, to be shown upright as 1500 × 2000. */
const turnedPhoto = () => {
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="1500"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#f97316"/><stop offset="1" stop-color="#4f46e5"/></linearGradient></defs><rect width="2000" height="1500" fill="url(#g)"/><circle cx="1400" cy="500" r="300" fill="#fde047"/></svg>`;
	return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).withMetadata({ orientation: 6 }).toBuffer();
};

/** A PNG of a few hundred bytes whose header says 20,000 × 20,000 pixels (400 megapixels): a decompression bomb's shape. */
function pixelBomb(): Buffer {
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const frame = Buffer.alloc(8 + body.length);
		frame.writeUInt32BE(data.length, 0);
		body.copy(frame, 4);
		frame.writeUInt32BE(crc32(body), 4 + body.length);
		return frame;
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(20_000, 0);
	header.writeUInt32BE(20_000, 4);
	header[8] = 1; // 1-bit greyscale: the smallest rows there are
	return Buffer.concat([PNG.subarray(0, 8), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(2501 * 64))), chunk('IEND', Buffer.alloc(0))]);
}

/** Reads Server-Sent Events from a response until `until` holds for one of them (event name and data). */
async function readEvents(res: Response, until: (event: string, data: string) => boolean, timeoutMs = 10_000): Promise<void> {
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	const timer = setTimeout(() => void reader.cancel(), timeoutMs);
	try {
		for (;;) {
			const { value, done } = await reader.read();
			if (done) throw new Error(`the stream ended before the expected event; got: ${buffer}`);
			buffer += decoder.decode(value, { stream: true });
			for (const block of buffer.split('\n\n').slice(0, -1)) {
				const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
				const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
				if (until(event, data)) return;
			}
		}
	} finally {
		clearTimeout(timer);
		await reader.cancel().catch(() => undefined);
	}
}

describe.each(dbKinds())('comments and attachments on cards (%s)', (kind) => {
	let server: TestServer;
	let sink: SmtpSink;
	let cleanup: () => Promise<void> | void = () => {};
	const uploads = tempDataDir();
	const clients = {} as Record<Who | 'anonymous', HttpClient>;
	const emails = {} as Record<Who, string>;
	let boardId = '';
	let cardId = '';

	const cardUrl = () => `${server.url}/api/boards/${boardId}/cards/${cardId}`;
	/** A request as the browser of `who` sends it from our pages (cookie, same Origin). */
	const send = (who: Who | 'anonymous', path: string, init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string>; duplex?: 'half' } = {}) =>
		fetch(path.startsWith('http') ? path : `${cardUrl()}${path}`, { ...init, headers: { cookie: clients[who].cookieHeader, origin: server.url, accept: 'application/json', ...init.headers } });
	const postJson = (who: Who, path: string, body: unknown, method = 'POST') => send(who, path, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
	const upload = (who: Who, name: string, bytes: Buffer) => send(who, `/attachments?name=${encodeURIComponent(name)}`, { method: 'POST', body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } });
	const comments = async (who: Who) => ((await (await send(who, '/comments')).json()) as { comments: { id: string; body: string; editedAt: string | null; author: string; mine: boolean }[] }).comments;
	const attachments = async () => ((await (await send('viewer', '/attachments')).json()) as { attachments: { id: string; fileName: string; mimeType: string }[] }).attachments;
	const activity = async () => ((await (await send('viewer', `${server.url}/api/boards/${boardId}/activity?card=${cardId}`)).json()) as { entries: { kind: string; text: string }[] }).entries;
	const inbox = async (who: Who) => ((await (await send(who, `${server.url}/api/notifications`)).json()) as { unread: number; groups: { entries: { kind: string; title: string; body: string; cardId: string }[] }[] }).groups.flatMap((g) => g.entries);
	const storedFiles = () => (existsSync(join(uploads.dir, boardId)) ? readdirSync(join(uploads.dir, boardId)) : []);
	const incoming = () => (existsSync(join(uploads.dir, '.incoming')) ? readdirSync(join(uploads.dir, '.incoming')) : []);

	beforeAll(async () => {
		sink = await startSmtpSink();
		const env = { SMTP_URL: sink.url, MAIL_FROM: 'Flowdeck <flowdeck@example.com>', JOBS_POLL_MS: '100', UPLOAD_DIR: uploads.dir, UPLOAD_MAX_BYTES: String(MAX) };
		if (kind === 'postgres') {
			const scratch = await createScratchPostgres();
			server = await startServer({ ...env, DATABASE_URL: scratch.url });
			cleanup = () => scratch.drop();
		} else {
			const data = tempDataDir();
			server = await startServer({ ...env, DATA_DIR: data.dir, DATABASE_URL: '' });
			cleanup = () => data.remove();
		}
		for (const who of ['owner', 'editor', 'viewer', 'outsider', 'anonymous'] as const) clients[who] = new HttpClient(server.url);
		for (const who of ['owner', 'editor', 'viewer', 'outsider'] as const) {
			emails[who] = `${who}-${kind}-${Date.now().toString(36)}@example.com`;
			await clients[who].signUp(NAMES[who], emails[who]);
		}
		const created = await clients.owner.post('/?/create', { name: 'Campaigns' });
		boardId = created.location!.split('/').pop()!;
		for (const role of ['editor', 'viewer'] as const) {
			const res = await clients.owner.post(`/b/${boardId}/settings?/invite`, { role, days: '7' });
			const token = /\/invite\/([a-z0-9]+)/.exec(res.body)![1];
			expect((await clients[role].post(`/invite/${token}`, {})).status).toBe(303);
		}
		const client = connectBoard(server.url, boardId, { cookie: clients.owner.cookieHeader });
		await client.synced();
		cardId = boardCommands(client.doc, { userId: 'ignored', now: () => new Date() }).addCard(client.snapshot().stages[0]!.id, 'Spring post');
		await waitFor('the server has the card', async () => (await send('viewer', '/comments')).status === 200);
		client.destroy();
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
		await cleanup();
		await sink?.close();
		uploads.remove();
	});

	it('a comment with a mention is live for the open card, notifies and mails the person mentioned, and is in the card’s activity', async () => {
		// The owner has the card open: the stream is subscribed before the comment is posted.
		const stream = await send('owner', '/stream');
		expect(stream.headers.get('content-type')).toContain('text/event-stream');
		const pushed = readEvents(stream, (event, data) => event === 'card' && data === '{"what":"comments"}');

		const res = await postJson('editor', '/comments', { body: 'Draft is ready, @olivia owner please **review**.' });
		expect(res.status).toBe(201);
		const comment = (await res.json()) as { id: string; author: string; mine: boolean };
		expect(comment).toMatchObject({ author: NAMES.editor, mine: true });
		await pushed;

		const mention = (await inbox('owner')).find((e) => e.kind === 'mention');
		expect(mention).toMatchObject({ title: `${NAMES.editor} mentioned you in “Spring post” on Campaigns`, body: 'Draft is ready, @olivia owner please **review**.', cardId });
		// Nobody else heard of it: the author does not notify themself.
		expect((await inbox('editor')).some((e) => e.kind === 'mention')).toBe(false);
		const mail = await sink.waitForMail((m) => m.to.includes(emails.owner));
		expect(mail.subject).toBe(`${NAMES.editor} mentioned you in “Spring post” on Campaigns`);

		expect((await comments('viewer')).map((c) => [c.body, c.mine])).toEqual([['Draft is ready, @olivia owner please **review**.', false]]);
		await waitFor('the comment is in the card’s activity', async () => (await activity()).some((e) => e.kind === 'comment_added' && e.text === `${NAMES.editor} on “Spring post” commented`));
	});

	it('refuses a mention of someone not on the board, and writes from viewers, outsiders and other sites; stores nothing', async () => {
		const before = await comments('owner');
		const unknown = await postJson('editor', '/comments', { body: 'Ask @Otto Outsider about it' });
		expect(unknown.status).toBe(400);
		expect(((await unknown.json()) as { message: string }).message).toMatch(/^@Otto is not on this board/);
		expect(await inbox('outsider')).toEqual([]);

		expect((await postJson('viewer', '/comments', { body: 'Looks good' })).status).toBe(403);
		expect((await postJson('outsider', '/comments', { body: 'Hello' })).status).toBe(404);
		expect((await send('outsider', '/comments')).status).toBe(404);
		expect((await send('anonymous', '/comments')).status).toBe(401);
		expect((await postJson('editor', '/comments', { body: '   ' })).status).toBe(400);
		const crossSite = await send('editor', '/comments', { method: 'POST', body: JSON.stringify({ body: 'x' }), headers: { 'content-type': 'application/json', origin: 'https://evil.example' } });
		expect(crossSite.status).toBe(403);
		expect(await comments('owner')).toEqual(before);
	});

	it('authors edit (marked edited) and delete their own comments, nobody else’s; both are in the activity', async () => {
		const [first] = await comments('editor');
		expect((await postJson('owner', `/comments/${first!.id}`, { body: 'Hijacked' }, 'PATCH')).status).toBe(403);
		expect((await send('owner', `/comments/${first!.id}`, { method: 'DELETE' })).status).toBe(403);

		const edited = await postJson('editor', `/comments/${first!.id}`, { body: 'Draft is ready for review.' }, 'PATCH');
		expect(edited.status).toBe(200);
		const [after] = await comments('viewer');
		expect(after).toMatchObject({ body: 'Draft is ready for review.' });
		expect(after!.editedAt).not.toBeNull();
		// Search finds a card by its comments' words, as they are now, and forgets a deleted comment at once.
		const search = async (q: string) => ((await (await send('viewer', `${server.url}/api/search?q=${q}`)).json()) as { results: { cardId: string; source: string }[] }).results;
		expect(await search('review')).toEqual([expect.objectContaining({ cardId, source: 'comment' })]);
		expect(await search('hijacked')).toEqual([]);

		expect((await send('editor', `/comments/${first!.id}`, { method: 'DELETE' })).status).toBe(204);
		expect(await comments('viewer')).toEqual([]);
		expect(await search('review')).toEqual([]);
		expect((await send('editor', `/comments/${first!.id}`, { method: 'DELETE' })).status).toBe(404);
		await waitFor('edit and delete are in the activity', async () => {
			const kinds = (await activity()).map((e) => e.kind);
			return kinds.includes('comment_edited') && kinds.includes('comment_deleted');
		});
	});

	it('stores images and PDFs and serves them only to members, with headers that never let a file run as a page', async () => {
		const png = await upload('editor', 'cover.png', PNG);
		expect(png.status).toBe(201);
		const image = (await png.json()) as { id: string; mimeType: string; image: boolean };
		expect(image).toMatchObject({ mimeType: 'image/png', image: true });
		const pdf = (await (await upload('editor', 'brief.pdf', PDF)).json()) as { id: string };

		const shown = await send('viewer', `/attachments/${image.id}`);
		expect(shown.status).toBe(200);
		expect(Buffer.from(await shown.arrayBuffer())).toEqual(PNG);
		expect(shown.headers.get('content-type')).toBe('image/png');
		expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
		expect(shown.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
		expect(shown.headers.get('content-disposition')).toMatch(/^inline; filename="cover.png"/);

		const download = await send('viewer', `/attachments/${pdf.id}`);
		expect(download.headers.get('content-type')).toBe('application/pdf');
		expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="brief.pdf"/);
		expect(download.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");

		expect((await send('outsider', `/attachments/${image.id}`)).status).toBe(404);
		expect((await send('anonymous', `/attachments/${image.id}`)).status).toBe(404);
		expect((await upload('viewer', 'mine.png', PNG)).status).toBe(403);
		expect(storedFiles().sort()).toEqual([image.id, `${image.id}.thumb.webp`, pdf.id].sort());
		await waitFor('the upload is in the activity', async () => (await activity()).some((e) => e.text.endsWith('attached “cover.png”')));
	});

	it('refuses files by size and by type, before reading them where it can, and keeps nothing', async () => {
		const before = storedFiles();
		const refuse = async (res: Response, status: number, message: RegExp) => {
			expect(res.status).toBe(status);
			expect(((await res.json()) as { message: string }).message).toMatch(message);
		};
		await refuse(await upload('editor', 'page.html', Buffer.from('<p>hi</p>')), 415, /web page or script/);
		await refuse(await upload('editor', 'notes.txt', Buffer.from('  <!DOCTYPE html><script>alert(1)</script>')), 415, /contains a web page/);
		await refuse(await upload('editor', 'photo.png', PDF), 415, /named as a PNG image, but its contents are a PDF document/);
		await refuse(await upload('editor', 'tool.exe', Buffer.from('MZ')), 415, /not a kind of file cards take/);
		await refuse(await upload('editor', 'big.pdf', Buffer.concat([PDF, Buffer.alloc(MAX)])), 413, /a card takes files up to 64 KB/);

		// Announced as 2 GB: refused from the header while the body is still coming (only 64 KB is ever sent).
		const early = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const url = new URL(`${cardUrl()}/attachments?name=huge.pdf`);
			const req = httpRequest(url, { method: 'POST', headers: { cookie: clients.editor.cookieHeader, origin: server.url, 'content-type': 'application/pdf', 'content-length': String(2 * 1024 ** 3) } }, (res) => {
				let body = '';
				res.on('data', (d: Buffer) => (body += d.toString()));
				res.on('end', () => {
					resolve({ status: res.statusCode ?? 0, body });
					req.destroy();
				});
			});
			req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
			req.write(Buffer.concat([PDF, Buffer.alloc(MAX)]));
		});
		expect(early.status).toBe(413);
		expect(early.body).toMatch(/2048 MB; a card takes files up to 64 KB/);

		// No length announced (streamed in chunks): refused by counting.
		const chunks = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(PDF);
				for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(MAX / 2));
				controller.close();
			}
		});
		const streamed = await send('editor', '/attachments?name=streamed.pdf', { method: 'POST', body: chunks, headers: { 'content-type': 'application/pdf' }, duplex: 'half' });
		await refuse(streamed, 413, /larger than 64 KB/);

		expect(storedFiles()).toEqual(before);
		expect(incoming()).toEqual([]);
		expect((await attachments()).map((a) => a.fileName).sort()).toEqual(['brief.pdf', 'cover.png']);
	});

	it('an image gets a small, upright WebP thumbnail without its metadata, served to members only and kept by their browser', async () => {
		const photo = await turnedPhoto();
		const res = await upload('editor', 'beach.jpg', photo);
		expect(res.status).toBe(201);
		const attached = (await res.json()) as { id: string; image: boolean; thumbnail: boolean };
		expect(attached).toMatchObject({ image: true, thumbnail: true });

		const onDisk = readFileSync(join(uploads.dir, boardId, `${attached.id}.thumb.webp`));
		const meta = await sharp(onDisk).metadata();
		// Turned upright (the 2000 × 1500 original is a portrait photo) and within 320 × 320.
		expect([meta.format, meta.width, meta.height]).toEqual(['webp', 240, 320]);
		expect([meta.orientation, meta.exif]).toEqual([undefined, undefined]);
		expect(onDisk.length).toBeLessThan(photo.length / 10);

		const thumb = await send('viewer', `/attachments/${attached.id}?size=thumb`);
		expect(thumb.status).toBe(200);
		expect(Buffer.from(await thumb.arrayBuffer())).toEqual(onDisk);
		expect(Object.fromEntries(['content-type', 'x-content-type-options', 'content-security-policy', 'cache-control'].map((h) => [h, thumb.headers.get(h)]))).toEqual({
			'content-type': 'image/webp',
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox",
			'cache-control': 'private, max-age=31536000, immutable'
		});
		expect(thumb.headers.get('content-disposition')).toMatch(/^inline; filename="beach.webp"/);
		// The file itself is unchanged, metadata and all.
		expect(Buffer.from(await (await send('viewer', `/attachments/${attached.id}`)).arrayBuffer())).toEqual(photo);

		expect((await send('outsider', `/attachments/${attached.id}?size=thumb`)).status).toBe(404);
		expect((await send('anonymous', `/attachments/${attached.id}?size=thumb`)).status).toBe(404);
		expect((await send('viewer', `/attachments/${attached.id}?size=huge`)).status).toBe(400);

		// Removing the file removes its thumbnail.
		expect((await send('editor', `/attachments/${attached.id}`, { method: 'DELETE' })).status).toBe(204);
		expect(storedFiles().filter((f) => f.startsWith(attached.id))).toEqual([]);
	});

	it('a PDF, and an image that cannot be decoded, have no thumbnail: asked for one, the file itself is served', async () => {
		const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a photo')]);
		const [pdf, jpeg] = await Promise.all([upload('editor', 'plan.pdf', PDF), upload('editor', 'broken.jpg', broken)]);
		expect([pdf.status, jpeg.status]).toEqual([201, 201]);
		const files = [(await pdf.json()) as { id: string; thumbnail: boolean; image: boolean }, (await jpeg.json()) as { id: string; thumbnail: boolean; image: boolean }];
		expect(files.map((f) => [f.image, f.thumbnail])).toEqual([[false, false], [true, false]]);
		expect(storedFiles().filter((f) => f.endsWith('.thumb.webp') && files.some((file) => f.startsWith(file.id)))).toEqual([]);

		const asked = await Promise.all(files.map((f) => send('viewer', `/attachments/${f.id}?size=thumb`)));
		expect(asked.map((r) => [r.status, r.headers.get('content-type'), r.headers.get('cache-control')])).toEqual([
			[200, 'application/pdf', 'private, no-cache'],
			[200, 'image/jpeg', 'private, no-cache']
		]);
		expect(asked[0]!.headers.get('content-disposition')).toMatch(/^attachment; filename="plan.pdf"/);
		expect(Buffer.from(await asked[1]!.arrayBuffer())).toEqual(broken);
		for (const f of files) expect((await send('editor', `/attachments/${f.id}`, { method: 'DELETE' })).status).toBe(204);
	});

	it('refuses an image of too many pixels (a decompression bomb) with its size, and keeps nothing', async () => {
		const before = { stored: storedFiles(), listed: await attachments() };
		const res = await upload('editor', 'poster.png', pixelBomb());
		expect(res.status).toBe(413);
		expect(((await res.json()) as { message: string }).message).toBe('“poster.png” is 20,000 × 20,000 pixels (400 megapixels); a card takes images up to 100 megapixels. Scale it down and attach it again.');
		expect(storedFiles()).toEqual(before.stored);
		expect(incoming()).toEqual([]);
		expect(await attachments()).toEqual(before.listed);
	});

	it('deleting the board deletes its files and thumbnails', async () => {
		expect(storedFiles().length).toBe(3);
		const res = await clients.owner.post(`/b/${boardId}/settings?/delete`, { confirm: 'Campaigns' });
		expect(res.status).toBe(303);
		expect(existsSync(join(uploads.dir, boardId))).toBe(false);
	});
});
