import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/** argon2id parameters from the OWASP cheat sheet (19 MiB, 2 passes, 1 lane). */
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Shortest accepted password. */
export const MIN_PASSWORD_LENGTH = 8;
/** Longest accepted password (argon2 cost is per byte of input; this bounds it). */
export const MAX_PASSWORD_LENGTH = 256;

const COMMON_PASSWORD_COUNT = 10_000;
let commonPasswords: Set<string> | undefined;

/** Whether `password` is among the 10,000 most common passwords (case-insensitive). */
export function isCommonPassword(password: string): boolean {
	commonPasswords ??= new Set(
		(dictionary['passwords-common'] as string[]).slice(0, COMMON_PASSWORD_COUNT).map((p) => p.toLowerCase())
	);
	return commonPasswords.has(password.toLowerCase());
}

/** Why a new password is unacceptable, or null if it is fine. */
export function passwordProblem(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
	if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
	if (isCommonPassword(password)) return 'This password is too common; choose one that is harder to guess.';
	return null;
}

/** argon2id hash of a password, in PHC string form. */
export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

/** Whether `password` matches a stored hash. */
export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	return verify(passwordHash, password).catch(() => false);
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real verify, so an unknown email answers as slowly as a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<void> {
	dummyHash ??= hashPassword('flowdeck-dummy-password-for-timing');
	await verifyPassword(await dummyHash, password);
}
