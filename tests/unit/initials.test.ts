import { describe, expect, it } from 'vitest';
import { initials } from '../../src/lib/board/display.ts';

describe("initials: the letters on a person's avatar", () => {
	it.each([
		['Mary Ann Smith', 'MS'],
		['Cher', 'C'],
		['olivia owner', 'OO'],
		['  Jean   Paul  Sartre ', 'JS'],
		['Ada\tLovelace', 'AL']
	])('takes the first and the last word of %j → %s', (name, expected) => {
		expect(initials(name)).toBe(expected);
	});

	it('keeps an accented or non-Latin first letter whole', () => {
		expect(initials('Émile Zola')).toBe('ÉZ');
		expect(initials('E\u0301mile Zola')).toBe('E\u0301Z'); // a combining accent stays with its letter
		expect(initials('Дмитрий Шостакович')).toBe('ДШ');
		expect(initials('李 小龙')).toBe('李小');
	});

	it('passes over emoji and punctuation around the words', () => {
		expect(initials('Mary Smith 🎉')).toBe('MS');
		expect(initials('🚀 Rocket Team')).toBe('RT');
		expect(initials("(Bob) 'Ana'")).toBe('BA');
		expect(initials('Anne-Marie O’Neil')).toBe('AO');
	});

	it('shows a name of emoji alone as its first emoji, never half of one', () => {
		expect(initials('👩‍💻 🎉')).toBe('👩‍💻');
		expect(initials('🎉')).toBe('🎉');
	});

	it('shows "?" for an empty name', () => {
		expect(initials('')).toBe('?');
		expect(initials('   ')).toBe('?');
	});
});
