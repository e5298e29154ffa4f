import * as Y from 'yjs';
import { HttpClient } from './http-client.ts';
import { connectBoard, waitFor, type SyncClient } from './sync-client.ts';
import { createScratchPostgres, type DbKind } from './db.ts';
import { tempDataDir } from './server.ts';
import { sameHistory } from './board-state.ts';

/** Environment for `startServer` on a fresh database of the given kind, and how to remove it afterwards. */
export async function serverDatabase(kind: DbKind): Promise<{ env: Record<string, string>; remove(): Promise<void> | void }> {
	if (kind === 'postgres') {
		const scratch = await createScratchPostgres();
		return { env: { DATABASE_URL: scratch.url }, remove: () => scratch.drop() };
	}
	const data = tempDataDir();
	return { env: { DATA_DIR: data.dir, DATABASE_URL: '' }, remove: () => data.remove() };
}

/**
 * Through the production server's own pages: signs up one account per name (the first owns the board, the others
 * join through an editor invite) and creates a board. Returns the board id and each account's Cookie header.
 */
export async function boardWithMembers(baseUrl: string, names: string[], boardName = 'Board'): Promise<{ boardId: string; cookies: string[] }> {
	const tag = Math.random().toString(36).slice(2, 8);
	const clients = names.map(() => new HttpClient(baseUrl));
	for (const [i, name] of names.entries()) await clients[i]!.signUp(name, `${name.toLowerCase()}-${tag}@example.com`);
	const owner = clients[0]!;
	const created = await owner.post('/?/create', { name: boardName });
	if (created.status !== 303 || !created.location) throw new Error(`board creation failed: ${created.status}`);
	const boardId = created.location.split('/').pop()!;
	for (const member of clients.slice(1)) {
		const res = await owner.post(`/b/${boardId}/settings?/invite`, { role: 'editor', days: '7' });
		const token = /\/invite\/([a-z0-9]+)/.exec(res.body)?.[1];
		if (!token) throw new Error('no invite link on the settings page');
		const joined = await member.post(`/invite/${token}`, {});
		if (joined.status !== 303) throw new Error(`joining failed: ${joined.status}`);
	}
	return { boardId, cookies: clients.map((c) => c.cookieHeader) };
}

/** A client that has received the server's state. */
export async function joinedClient(baseUrl: string, boardId: string, cookie: string): Promise<SyncClient> {
	const client = connectBoard(baseUrl, boardId, { cookie });
	try {
		await client.synced();
	} catch (err) {
		client.destroy();
		throw err;
	}
	return client;
}

/** Waits until every client is connected and all hold the same history. */
export async function converged(clients: SyncClient[], timeoutMs = 15_000): Promise<void> {
	await waitFor(
		'all clients connected and holding the same history',
		() => clients.every((c) => c.provider.synced && c.provider.wsconnected && sameHistory(c.doc, clients[0]!.doc)),
		timeoutMs,
		20
	);
}

/** A copy of a doc's full history (survives destroying the original). */
export function cloneDoc(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

/** Whether `big` already holds every operation in `small` (applying `small` to a copy of `big` changes nothing). */
export function containsHistory(big: Y.Doc, small: Y.Doc): boolean {
	const merged = cloneDoc(big);
	Y.applyUpdate(merged, Y.encodeStateAsUpdate(small));
	return sameHistory(merged, big);
}
