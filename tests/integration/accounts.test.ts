import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbKinds, openTestDatabase, queryRows } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import type { Database } from '../../src/lib/server/db/client.ts';
import { changePassword, logIn, register, signUp } from '../../src/lib/server/accounts.ts';
import { ACCOUNT_POLICY } from '../../src/lib/server/auth/throttle.ts';
import { creationLimitsFromEnv } from '../../src/lib/server/auth/rate-limit.ts';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/sessions.ts';
import { refusal } from '../helpers/refusal.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(dbKinds())('accounts and sessions on %s', (kind) => {
	let database: Database;
	const clock = new FakeClock();
	beforeAll(async () => {
		database = await openTestDatabase(kind);
	});
	afterAll(() => database?.close());

	it('migrations create every table from empty', async () => {
		const rows = await queryRows<{ table_name: string }>(
			database,
			sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`
		);
		const names = rows.map((r) => r.table_name);
		expect(names).toEqual(expect.arrayContaining(['users', 'sessions', 'boards', 'board_members', 'board_invites', 'login_throttle']));
	});

	it('signs up, refuses a duplicate email in any case, and saves nothing the second time', async () => {
		await signUp(database.db, { name: 'Ann', email: 'ann@example.com', password: 'plum-orbit-cactus-91' }, clock.now());
		const err = await refusal(() => signUp(database.db, { name: 'Other', email: 'ann@example.com', password: 'another-good-pass-7' }, clock.now()));
		expect(err.code).toBe('email_taken');
		expect(err.field).toBe('email');
		const [count] = await queryRows<{ n: number }>(database, sql`select count(*)::int as n from users where email = 'ann@example.com'`);
		expect(count?.n).toBe(1);
	});

	it('the sign-up form answers a registered email exactly as a new one, and changes nothing', async () => {
		const limits = creationLimitsFromEnv({});
		const address = '10.5.0.1';
		await register(database.db, { name: 'Cleo', email: 'cleo@example.com', password: 'plum-orbit-cactus-91', address }, limits, clock.now());
		await expect(register(database.db, { name: 'Mallory', email: 'cleo@example.com', password: 'another-good-pass-7', address }, limits, clock.now())).resolves.toBeUndefined();
		const rows = await queryRows<{ name: string }>(database, sql`select name from users where email = 'cleo@example.com'`);
		expect(rows).toEqual([{ name: 'Cleo' }]);
		await expect(logIn(database.db, { email: 'cleo@example.com', password: 'plum-orbit-cactus-91', address }, clock.now())).resolves.toHaveProperty('token');
		expect((await refusal(() => logIn(database.db, { email: 'cleo@example.com', password: 'another-good-pass-7', address }, clock.now()))).code).toBe('bad_credentials');
	});

	it('limits sign-ups per address, even sent all at once, and opens again after the window', async () => {
		const limits = creationLimitsFromEnv({ SIGNUP_LIMIT_PER_HOUR: '5' });
		const address = '10.6.0.1';
		const attempt = (i: number) =>
			register(database.db, { name: `Bulk ${i}`, email: `bulk${i}@example.com`, password: 'plum-orbit-cactus-91', address }, limits, clock.now()).then(
				() => 'created',
				(err: { code?: string; retryAfterSeconds?: number }) => `${err.code}:${err.retryAfterSeconds}`
			);
		const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(i)));
		expect(outcomes.filter((o) => o === 'created')).toHaveLength(5);
		expect(outcomes.filter((o) => o !== 'created')).toEqual(Array(7).fill('throttled:3600'));
		const [count] = await queryRows<{ n: number }>(database, sql`select count(*)::int as n from users where email like 'bulk%'`);
		expect(count?.n).toBe(5);
		// Another address is not affected; a weak password is refused before it counts.
		await expect(register(database.db, { name: 'Other', email: 'other-net@example.com', password: 'plum-orbit-cactus-91', address: '10.6.0.2' }, limits, clock.now())).resolves.toBeUndefined();
		expect((await refusal(() => register(database.db, { name: 'W', email: 'w@example.com', password: 'password1', address: '10.6.0.3' }, limits, clock.now()))).code).toBe('invalid_input');
		clock.advance(60 * 60_000);
		await expect(attempt(99)).resolves.toBe('created');
	});

	it('refuses a common password without creating the account', async () => {
		const err = await refusal(() => signUp(database.db, { name: 'Bo', email: 'bo@example.com', password: 'password1' }, clock.now()));
		expect(err.field).toBe('password');
		const login = await refusal(() => logIn(database.db, { email: 'bo@example.com', password: 'password1', address: '10.0.0.9' }, clock.now()));
		expect(login.code).toBe('bad_credentials');
	});

	it('logs in, and answers an unknown email exactly like a wrong password', async () => {
		const ok = await logIn(database.db, { email: 'ann@example.com', password: 'plum-orbit-cactus-91', address: '10.0.0.1' }, clock.now());
		expect(ok.token).toMatch(/^[a-z2-7]{32}$/);
		const t0 = performance.now();
		const wrong = await refusal(() => logIn(database.db, { email: 'ann@example.com', password: 'nope-nope-nope', address: '10.0.0.2' }, clock.now()));
		const t1 = performance.now();
		const unknown = await refusal(() => logIn(database.db, { email: 'who@example.com', password: 'nope-nope-nope', address: '10.0.0.3' }, clock.now()));
		const t2 = performance.now();
		expect(unknown.message).toBe(wrong.message);
		expect(unknown.code).toBe(wrong.code);
		// Both paths run one argon2 verify; an unknown email must not answer in a fraction of the time.
		expect(t2 - t1).toBeGreaterThan((t1 - t0) * 0.4);
	});

	it('stores only the hash of the session token, and resolves the token to its user', async () => {
		const { token } = await logIn(database.db, { email: 'ann@example.com', password: 'plum-orbit-cactus-91', address: '10.0.0.1' }, clock.now());
		const ids = (await queryRows<{ id: string }>(database, sql`select id from sessions`)).map((r) => r.id);
		expect(ids).not.toContain(token);
		const resolved = await validateSessionToken(database.db, token, clock.now());
		expect(resolved?.user.email).toBe('ann@example.com');
		expect(await validateSessionToken(database.db, token + 'x', clock.now())).toBeNull();
	});

	it('renews a session under 15 days from expiry and deletes an expired one', async () => {
		const userId = await signUp(database.db, { name: 'R', email: 'renew@example.com', password: 'plum-orbit-cactus-91' }, clock.now());
		const start = clock.now();
		const { token } = await createSession(database.db, userId, start);
		const renewedAt = new Date(start.getTime() + 20 * DAY);
		const renewed = await validateSessionToken(database.db, token, renewedAt);
		expect(renewed?.renewed).toBe(true);
		expect(renewed?.session.expiresAt.getTime()).toBe(renewedAt.getTime() + 30 * DAY);
		expect(await validateSessionToken(database.db, token, new Date(renewedAt.getTime() + 31 * DAY))).toBeNull();
		// Expired sessions are deleted, so the token stays dead even if the clock went back.
		expect(await validateSessionToken(database.db, token, start)).toBeNull();
	});

	it('throttles an account from one address after 5 failures, while its owner elsewhere still signs in', async () => {
		const email = 'throttle@example.com';
		const password = 'plum-orbit-cactus-91';
		await signUp(database.db, { name: 'T', email, password }, clock.now());
		for (let i = 0; i < 5; i++) {
			const err = await refusal(() => logIn(database.db, { email, password: 'wrong-wrong-1', address: '10.1.0.1' }, clock.now()));
			expect(err.code).toBe('bad_credentials');
		}
		const locked = await refusal(() => logIn(database.db, { email, password, address: '10.1.0.1' }, clock.now()));
		expect(locked.code).toBe('throttled');
		expect(locked.retryAfterSeconds).toBe(30);
		// The stranger guessing from 10.1.0.1 does not lock the owner out from home.
		await expect(logIn(database.db, { email, password, address: '10.1.0.99' }, clock.now())).resolves.toHaveProperty('token');
		clock.advance(31_000);
		await expect(logIn(database.db, { email, password, address: '10.1.0.1' }, clock.now())).resolves.toHaveProperty('token');
	});

	it('locks an account guessed at from many addresses only past a far looser cap', async () => {
		const email = 'spread@example.com';
		const password = 'plum-orbit-cactus-91';
		await signUp(database.db, { name: 'S', email, password }, clock.now());
		// One failure per address: no pair and no address ever reaches its own limit.
		for (let i = 0; i < ACCOUNT_POLICY.lockAfter - 1; i++) {
			await refusal(() => logIn(database.db, { email, password: 'wrong-wrong-1', address: `10.3.${i >> 8}.${i & 255}` }, clock.now()));
		}
		await expect(logIn(database.db, { email, password, address: '10.3.9.1' }, clock.now())).resolves.toHaveProperty('token');
		await refusal(() => logIn(database.db, { email, password: 'wrong-wrong-1', address: '10.3.9.2' }, clock.now()));
		const locked = await refusal(() => logIn(database.db, { email, password, address: '10.3.9.3' }, clock.now()));
		expect(locked.code).toBe('throttled');
		expect(locked.retryAfterSeconds).toBe(ACCOUNT_POLICY.baseLockMs / 1000);
	}, 60_000);

	it('throttles one client address spraying many accounts', async () => {
		const address = '10.2.0.1';
		for (let i = 0; i < 20; i++) {
			await refusal(() => logIn(database.db, { email: `spray${i}@example.com`, password: 'wrong-wrong-1', address }, clock.now()));
		}
		const locked = await refusal(() => logIn(database.db, { email: 'ann@example.com', password: 'plum-orbit-cactus-91', address }, clock.now()));
		expect(locked.code).toBe('throttled');
		// The same account from another address is unaffected.
		await expect(logIn(database.db, { email: 'ann@example.com', password: 'plum-orbit-cactus-91', address: '10.2.0.2' }, clock.now())).resolves.toBeTruthy();
	});

	it('changing the password ends every other session and keeps this one', async () => {
		const email = 'mover@example.com';
		const userId = await signUp(database.db, { name: 'M', email, password: 'plum-orbit-cactus-91' }, clock.now());
		const here = await createSession(database.db, userId, clock.now());
		const elsewhere = await createSession(database.db, userId, clock.now());
		const wrong = await refusal(() =>
			changePassword(database.db, { userId, sessionId: here.session.id, currentPassword: 'not-it-at-all', newPassword: 'fresh-lemon-kite-42' })
		);
		expect(wrong.field).toBe('currentPassword');
		expect(await validateSessionToken(database.db, elsewhere.token, clock.now())).not.toBeNull();
		await changePassword(database.db, { userId, sessionId: here.session.id, currentPassword: 'plum-orbit-cactus-91', newPassword: 'fresh-lemon-kite-42' });
		expect(await validateSessionToken(database.db, here.token, clock.now())).not.toBeNull();
		expect(await validateSessionToken(database.db, elsewhere.token, clock.now())).toBeNull();
		await expect(logIn(database.db, { email, password: 'fresh-lemon-kite-42', address: '10.3.0.1' }, clock.now())).resolves.toBeTruthy();
	});
});
