import { describe, expect, it } from 'vitest';
import { searchProblem, wantsPrefix } from '../../src/lib/search/terms.ts';
import { MARK_START, MARK_STOP, splitMarks } from '../../src/lib/search/marks.ts';
import { matchesWords } from '../../src/lib/search/palette.ts';

describe('search terms', () => {
	it('refuses nothing, symbols alone and over-long searches with a sentence; words in any script pass', () => {
		expect(searchProblem('  ')).toBe('Type a word to search for.');
		expect(searchProblem('!!! -- "')).toBe('Search for words or numbers: symbols alone match nothing.');
		expect(searchProblem('x'.repeat(201))).toMatch(/under 200/);
		for (const ok of ['launch', 'Café', 'Ελληνικά', '2026', '"q3 plan" -draft']) expect(searchProblem(ok), ok).toBeNull();
	});

	it('matches the last word as a prefix only for a plain, unfinished list of words', () => {
		expect(wantsPrefix('spring laun')).toBe(true);
		expect(wantsPrefix('spring laun ')).toBe(false);
		expect(wantsPrefix('"spring launch"')).toBe(false);
		expect(wantsPrefix('launch -draft')).toBe(false);
		expect(wantsPrefix('launch or plan')).toBe(false);
		expect(wantsPrefix('launch!')).toBe(false);
	});
});

describe('marked text', () => {
	it('splits the database’s marks into parts and drops stray marks', () => {
		expect(splitMarks(`a ${MARK_START}<b>${MARK_STOP} c`)).toEqual([
			{ text: 'a ', hit: false },
			{ text: '<b>', hit: true },
			{ text: ' c', hit: false }
		]);
		expect(splitMarks(`${MARK_STOP}plain${MARK_STOP}`)).toEqual([{ text: 'plain', hit: false }]);
	});

	it('palette words match word starts, ignoring case and accents', () => {
		expect(matchesWords('Go to calendar', 'cal')).toBe(true);
		expect(matchesWords('Café launch', 'cafe LAU')).toBe(true);
		expect(matchesWords('Go to calendar', 'endar')).toBe(false);
	});
});
