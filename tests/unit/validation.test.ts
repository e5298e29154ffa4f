import { describe, expect, it } from 'vitest';
import { parseForm, signUpSchema, ValidationError, inviteSchema } from '../../src/lib/server/validation.ts';

function formOf(values: Record<string, string>): FormData {
	const form = new FormData();
	for (const [k, v] of Object.entries(values)) form.set(k, v);
	return form;
}

describe('form validation', () => {
	it('normalises email and trims the name', () => {
		const parsed = parseForm(signUpSchema, formOf({ name: '  Ann  ', email: ' Ann@Example.COM ', password: 'x' }));
		expect(parsed).toEqual({ name: 'Ann', email: 'ann@example.com', password: 'x' });
	});

	it('reports every bad field with a message', () => {
		try {
			parseForm(signUpSchema, formOf({ name: '', email: 'nope', password: 'x' }));
			expect.unreachable();
		} catch (err) {
			expect(err).toBeInstanceOf(ValidationError);
			const fields = (err as ValidationError).fields;
			expect(fields.name).toMatch(/Enter a name/);
			expect(fields.email).toMatch(/valid email/);
		}
	});

	it('accepts only the offered invite lifetimes and roles', () => {
		expect(parseForm(inviteSchema, formOf({ role: 'viewer', days: '7' }))).toEqual({ role: 'viewer', days: 7 });
		expect(() => parseForm(inviteSchema, formOf({ role: 'owner', days: '7' }))).toThrow(ValidationError);
		expect(() => parseForm(inviteSchema, formOf({ role: 'editor', days: '365' }))).toThrow(ValidationError);
	});
});
