import { describe, expect, it } from 'vitest';
import { hashPassword, isCommonPassword, passwordProblem, verifyPassword } from '../../src/lib/server/auth/passwords.ts';

describe('password rules', () => {
	it('refuses fewer than 8 characters', () => {
		expect(passwordProblem('Ab3$xyz')).toMatch(/at least 8/);
		expect(passwordProblem('Ab3$xyzq')).toBeNull();
	});

	it('refuses the most common passwords, whatever their case', () => {
		expect(isCommonPassword('password')).toBe(true);
		expect(isCommonPassword('PASSWORD')).toBe(true);
		expect(isCommonPassword('12345678')).toBe(true);
		expect(passwordProblem('qwertyuiop')).toMatch(/too common/);
		expect(isCommonPassword('plum-orbit-cactus-91')).toBe(false);
	});

	it('refuses absurdly long input', () => {
		expect(passwordProblem('x'.repeat(257))).toMatch(/at most/);
	});

	it('hashes with argon2id at m=19456, t=2, p=1 and verifies only the right password', async () => {
		const hash = await hashPassword('plum-orbit-cactus-91');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPassword(hash, 'plum-orbit-cactus-91')).toBe(true);
		expect(await verifyPassword(hash, 'plum-orbit-cactus-92')).toBe(false);
		expect(await verifyPassword('not a hash', 'anything')).toBe(false);
	});
});
