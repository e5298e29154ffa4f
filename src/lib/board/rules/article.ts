/**
 * "a" or "an" for a name, by its first sound: "an SEO strategist", "a UX designer", "an editor", "a Designer".
 * An all-capitals first word is read letter by letter (S is "ess": an); otherwise a plain vowel-letter rule, wrong only
 * for the odd "unicorn" / "hour", which reads acceptably either way.
 */
export function withArticle(name: string): string {
	const word = name.trim().split(/\s+/)[0] ?? '';
	// Letters whose spoken name starts with a vowel sound: a, e, ef, aitch, i, el, em, en, o, ar, ess, ex.
	const an = /^[A-Z]{2,}$/.test(word) ? /^[AEFHILMNORSX]/.test(word) : /^[aeiou]/i.test(word);
	return `${an ? 'an' : 'a'} ${name}`;
}
