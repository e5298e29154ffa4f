import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema/accounts.ts';
import { apiTokens } from '../db/schema/api-tokens.ts';
import { DomainError } from '../errors.ts';
import { hashToken, newId, newSecretToken } from '../ids.ts';
import { findBoardAccess } from '../boards/boards.ts';
import type { SessionUser } from './sessions.ts';

/** Every token starts with this, so secret scanners (and people) can tell a Flowdeck token when they see one. */
export const TOKEN_PREFIX = 'fdk_';
/** How often `last_used_at` is written at most, per token. */
const LAST_USED_EVERY_MS = 60_000;
/** Most live tokens one person may hold (each is a credential to keep track of). */
export const MAX_TOKENS_PER_USER = 50;
/** Most boards one token may be limited to. */
export const MAX_TOKEN_BOARDS = 100;

/** What a token may do: read, or read and write. */
export type TokenScope = 'read' | 'write';

/** What a token grants: its scope and the boards it reaches ('all': every board its owner is a member of). */
export interface TokenGrant {
	tokenId: string;
	scope: TokenScope;
	boards: 'all' | string[];
}

/** A token as its owner's list shows it (never the secret). */
export interface TokenSummary {
	id: string;
	name: string;
	scope: TokenScope;
	boards: 'all' | string[];
	expiresAt: Date | null;
	createdAt: Date;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

/** A new token as its owner asks for it. */
export const newTokenSchema = z.strictObject({
	name: z.string('Give the token a name.').trim().min(1, 'Give the token a name, so you know later what uses it.').max(100, 'Keep the name under 100 characters.'),
	scope: z.enum(['read', 'write'], 'Choose read, or read and write.'),
	boards: z.union([z.literal('all'), z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'That is not a board id.')).min(1, 'Choose at least one board, or all boards.').max(MAX_TOKEN_BOARDS, `A token can name at most ${MAX_TOKEN_BOARDS} boards.`)]),
	expiresAt: z.date().nullable()
});

/** A new token as its owner asks for it. */
export type NewToken = z.infer<typeof newTokenSchema>;

/**
 * Creates a token for `userId` and returns its secret — the only time it exists outside the caller's hands. Boards it
 * is limited to must be boards the person is a member of; an expiry must be in the future.
 */
export async function createApiToken(db: Db, userId: string, input: NewToken, now: Date): Promise<{ token: string; summary: TokenSummary }> {
	const parsed = newTokenSchema.safeParse(input);
	if (!parsed.success) throw new DomainError('invalid_input', parsed.error.issues[0]?.message ?? 'That is not a token.', String(parsed.error.issues[0]?.path[0] ?? ''));
	const { name, scope, expiresAt } = parsed.data;
	if (expiresAt && expiresAt <= now) throw new DomainError('invalid_input', 'Choose an expiry date in the future.', 'expiresAt');
	const boards = parsed.data.boards === 'all' ? 'all' : [...new Set(parsed.data.boards)];
	if (boards !== 'all') {
		for (const boardId of boards) {
			if (!(await findBoardAccess(db, boardId, userId))) throw new DomainError('invalid_input', 'A token can reach only boards you are a member of.', 'boards');
		}
	}
	const live = await db.select({ id: apiTokens.id }).from(apiTokens).where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
	if (live.length >= MAX_TOKENS_PER_USER) throw new DomainError('invalid_input', `You have ${MAX_TOKENS_PER_USER} tokens already. Revoke one you no longer use first.`, 'name');
	const token = TOKEN_PREFIX + newSecretToken();
	const row = { id: newId(), userId, name, secretHash: hashToken(token), scope, boardIds: boards === 'all' ? null : boards, expiresAt, createdAt: now, lastUsedAt: null, revokedAt: null };
	await db.insert(apiTokens).values(row);
	return { token, summary: toSummary(row) };
}

/** The person's tokens, newest first, revoked ones included (so they can see what was cut off); never a secret. */
export async function listApiTokens(db: Db, userId: string): Promise<TokenSummary[]> {
	const rows = await db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
	return rows.map(toSummary);
}

/** Revokes one of the person's own tokens for good; not_found for anyone else's (or an unknown id). */
export async function revokeApiToken(db: Db, userId: string, tokenId: string, now: Date): Promise<void> {
	const updated = await db
		.update(apiTokens)
		.set({ revokedAt: now })
		.where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
		.returning({ id: apiTokens.id });
	if (updated.length === 0) {
		const [mine] = await db.select({ id: apiTokens.id }).from(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)));
		if (!mine) throw new DomainError('not_found', 'That token does not exist.');
	}
}

/** Why a bearer credential was refused; each has its own message for the caller. */
export type TokenRefusal = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked';

/** What `authenticateApiToken` answers. */
export type TokenAuthentication = { ok: true; user: SessionUser; grant: TokenGrant } | { ok: false; reason: TokenRefusal; message: string };

/**
 * Resolves an `Authorization` header to the token's owner and grant, or says precisely why not (no header, not a
 * bearer token, unknown, expired on a date, revoked). Records the use at most once a minute per token.
 */
export async function authenticateApiToken(db: Db, header: string | null, now: Date): Promise<TokenAuthentication> {
	if (!header) return { ok: false, reason: 'missing', message: 'Send a personal access token: Authorization: Bearer fdk_…' };
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	if (!match || !match[1]!.startsWith(TOKEN_PREFIX)) return { ok: false, reason: 'malformed', message: 'The Authorization header must be "Bearer fdk_…" with a Flowdeck personal access token.' };
	const [row] = await db
		.select({ token: apiTokens, email: users.email, userName: users.name })
		.from(apiTokens)
		.innerJoin(users, eq(users.id, apiTokens.userId))
		.where(eq(apiTokens.secretHash, hashToken(match[1]!)))
		.limit(1);
	if (!row) return { ok: false, reason: 'unknown', message: 'This token is not known. Check you copied all of it, or create a new one under Account → Access tokens.' };
	const { token } = row;
	if (token.revokedAt) return { ok: false, reason: 'revoked', message: `This token (“${token.name}”) was revoked on ${token.revokedAt.toISOString().slice(0, 10)}.` };
	if (token.expiresAt && token.expiresAt <= now) return { ok: false, reason: 'expired', message: `This token (“${token.name}”) expired on ${token.expiresAt.toISOString().slice(0, 10)}.` };
	if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
		await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, token.id));
	}
	return {
		ok: true,
		user: { id: token.userId, email: row.email, name: row.userName },
		grant: { tokenId: token.id, scope: toScope(token.scope), boards: token.boardIds ?? 'all' }
	};
}

/** Whether a grant reaches a board (membership is checked on its own: a grant never adds access). */
export function grantReaches(grant: TokenGrant, boardId: string): boolean {
	return grant.boards === 'all' || grant.boards.includes(boardId);
}

function toScope(value: string): TokenScope {
	// A corrupt value is treated as the weaker scope.
	return value === 'write' ? 'write' : 'read';
}

function toSummary(row: typeof apiTokens.$inferSelect): TokenSummary {
	return {
		id: row.id,
		name: row.name,
		scope: toScope(row.scope),
		boards: row.boardIds ?? 'all',
		expiresAt: row.expiresAt,
		createdAt: row.createdAt,
		lastUsedAt: row.lastUsedAt,
		revokedAt: row.revokedAt
	};
}
