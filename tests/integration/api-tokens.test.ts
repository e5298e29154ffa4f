import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { dbKinds, openTestDatabase } from '../helpers/db.ts';
import type { Database } from '../../src/lib/server/db/client.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { apiTokens } from '../../src/lib/server/db/schema/api-tokens.ts';
import { hashToken } from '../../src/lib/server/ids.ts';
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from '../../src/lib/server/auth/api-tokens.ts';
import { DomainError } from '../../src/lib/server/errors.ts';

const T0 = new Date('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(dbKinds())('personal access tokens (%s)', (kind) => {
	let database: Database;
	let ann = '';
	let ben = '';
	let annBoard = '';
	let benBoard = '';

	beforeAll(async () => {
		database = await openTestDatabase(kind);
		ann = await signUp(database.db, { name: 'Ann', email: 'ann@example.com', password: 'plum-orbit-cactus-91' }, T0);
		ben = await signUp(database.db, { name: 'Ben', email: 'ben@example.com', password: 'plum-orbit-cactus-91' }, T0);
		annBoard = await createBoard(database.db, ann, 'Ann’s', T0);
		benBoard = await createBoard(database.db, ben, 'Ben’s', T0);
	}, 60_000);

	afterAll(async () => {
		await database?.close();
	});

	it('stores only the hash, shows the secret once, and says why a token is refused', async () => {
		const { db } = database;
		const { token, summary } = await createApiToken(db, ann, { name: 'Script', scope: 'write', boards: [annBoard], expiresAt: at(3_600_000) }, T0);
		expect(token).toMatch(/^fdk_[a-z0-9]{32}$/);
		const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, summary.id));
		expect(row!.secretHash).toBe(hashToken(token));
		expect(JSON.stringify(row)).not.toContain(token.slice(4));
		expect(JSON.stringify(await listApiTokens(db, ann))).not.toContain(token.slice(4));

		const ok = await authenticateApiToken(db, `Bearer ${token}`, at(1000));
		expect(ok).toMatchObject({ ok: true, user: { id: ann }, grant: { scope: 'write', boards: [annBoard] } });
		expect(await authenticateApiToken(db, null, T0)).toMatchObject({ ok: false, reason: 'missing' });
		expect(await authenticateApiToken(db, `Bearer ${token.slice(0, -1)}x`, T0)).toMatchObject({ ok: false, reason: 'unknown' });
		expect(await authenticateApiToken(db, `Token ${token}`, T0)).toMatchObject({ ok: false, reason: 'malformed' });
		const expired = await authenticateApiToken(db, `Bearer ${token}`, at(3_600_000));
		expect(expired).toMatchObject({ ok: false, reason: 'expired' });
		expect(!expired.ok && expired.message).toContain('expired on 2026-03-02');
		await revokeApiToken(db, ann, summary.id, at(2000));
		expect(await authenticateApiToken(db, `Bearer ${token}`, at(3000))).toMatchObject({ ok: false, reason: 'revoked' });
	});

	it('writes last_used_at at most once a minute', async () => {
		const { db } = database;
		const { token, summary } = await createApiToken(db, ann, { name: 'Busy', scope: 'read', boards: 'all', expiresAt: null }, T0);
		const lastUsed = async () => (await listApiTokens(db, ann)).find((t) => t.id === summary.id)!.lastUsedAt?.toISOString();
		await authenticateApiToken(db, `Bearer ${token}`, at(0));
		expect(await lastUsed()).toBe(at(0).toISOString());
		await authenticateApiToken(db, `Bearer ${token}`, at(59_000));
		expect(await lastUsed()).toBe(at(0).toISOString());
		await authenticateApiToken(db, `Bearer ${token}`, at(61_000));
		expect(await lastUsed()).toBe(at(61_000).toISOString());
	});

	it('refuses bad tokens with a message and stores nothing; nobody revokes another’s token', async () => {
		const { db } = database;
		const before = (await listApiTokens(db, ann)).length;
		const refused = async (input: Parameters<typeof createApiToken>[2]) => {
			const err = await createApiToken(db, ann, input, T0).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(DomainError);
			return (err as DomainError).message;
		};
		expect(await refused({ name: ' ', scope: 'read', boards: 'all', expiresAt: null })).toContain('name');
		expect(await refused({ name: 'X', scope: 'read', boards: [benBoard], expiresAt: null })).toContain('member');
		expect(await refused({ name: 'X', scope: 'read', boards: [], expiresAt: null })).toContain('at least one board');
		expect(await refused({ name: 'X', scope: 'read', boards: 'all', expiresAt: at(-1) })).toContain('future');
		expect((await listApiTokens(db, ann)).length).toBe(before);
		const mine = (await listApiTokens(db, ann))[0]!;
		await expect(revokeApiToken(db, ben, mine.id, T0)).rejects.toMatchObject({ code: 'not_found' });
	});
});
