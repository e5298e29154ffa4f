import { describe, expect, it } from 'vitest';
import {
	SESSION_ABSOLUTE_TTL_MS,
	SESSION_TTL_MS,
	judgeSession,
	newSessionTimes
} from '../../src/lib/server/auth/session-rules.ts';
import { FakeClock } from '../helpers/clock.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('session lifetime rules', () => {
	it('a new session expires in 30 days and never outlives 90', () => {
		const clock = new FakeClock();
		const times = newSessionTimes(clock.now());
		expect(times.expiresAt.getTime() - clock.now().getTime()).toBe(30 * DAY);
		expect(times.absoluteExpiresAt.getTime() - clock.now().getTime()).toBe(90 * DAY);
	});

	it('is left alone while 15 or more days remain', () => {
		const clock = new FakeClock();
		const times = newSessionTimes(clock.now());
		clock.advance(15 * DAY);
		expect(judgeSession(times, clock.now())).toEqual({ verdict: 'valid' });
	});

	it('is renewed to 30 days from now once under 15 days remain', () => {
		const clock = new FakeClock();
		const times = newSessionTimes(clock.now());
		clock.advance(15 * DAY + 1);
		const judgement = judgeSession(times, clock.now());
		expect(judgement.verdict).toBe('renew');
		if (judgement.verdict === 'renew') expect(judgement.expiresAt.getTime()).toBe(clock.now().getTime() + SESSION_TTL_MS);
	});

	it('expires at its expiry instant', () => {
		const clock = new FakeClock();
		const times = newSessionTimes(clock.now());
		clock.advance(30 * DAY);
		expect(judgeSession(times, clock.now()).verdict).toBe('expired');
	});

	it('renewals stop at the absolute cap, and the session dies there', () => {
		const clock = new FakeClock();
		const start = clock.now().getTime();
		let times = newSessionTimes(clock.now());
		// An active user: seen every 16 days, renewed whenever due.
		for (let i = 0; i < 10; i++) {
			clock.advance(16 * DAY);
			const j = judgeSession(times, clock.now());
			if (j.verdict === 'expired') break;
			if (j.verdict === 'renew') times = { ...times, expiresAt: j.expiresAt };
			expect(times.expiresAt.getTime()).toBeLessThanOrEqual(start + SESSION_ABSOLUTE_TTL_MS);
		}
		expect(judgeSession(times, new Date(start + SESSION_ABSOLUTE_TTL_MS)).verdict).toBe('expired');
	});
});
