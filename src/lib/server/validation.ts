import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from './auth/passwords.ts';
import { DomainError } from './errors.ts';

const email = z
	.string()
	.trim()
	.toLowerCase()
	.max(254, 'That email address is too long.')
	.pipe(z.email('Enter a valid email address, like name@example.com.'));
const name = (what: string, max: number) =>
	z
		.string()
		.trim()
		.min(1, `Enter a ${what}.`)
		.max(max, `Keep the ${what} under ${max} characters.`);
const password = z.string().max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

/** Sign-up form. */
export const signUpSchema = z.object({ name: name('name', 80), email, password });
/** Sign-in form. */
export const logInSchema = z.object({ email, password: z.string().min(1, 'Enter your password.').max(MAX_PASSWORD_LENGTH) });
/** Change-password form. */
export const changePasswordSchema = z.object({
	currentPassword: z.string().min(1, 'Enter your current password.').max(MAX_PASSWORD_LENGTH),
	newPassword: password
});
/** Board name (create or rename). */
export const boardNameSchema = z.object({ name: name('board name', 100) });
/** Invite creation: role and lifetime in days. */
export const inviteSchema = z.object({
	role: z.enum(['editor', 'viewer'], 'Choose editor or viewer.'),
	days: z.coerce.number().int().refine((d) => [1, 7, 30].includes(d), 'Choose 1, 7 or 30 days.')
});
/** Role change for a member. */
export const memberRoleSchema = z.object({
	userId: z.string().min(1).max(64),
	role: z.enum(['owner', 'editor', 'viewer'], 'Choose owner, editor or viewer.')
});

/** Field name → first problem with it, for inline form errors. */
export type FieldErrors = Record<string, string>;

/** Parses a form against a schema; on failure throws a DomainError carrying every field's first message. */
export function parseForm<T extends z.ZodType>(schema: T, form: FormData): z.output<T> {
	const raw: Record<string, unknown> = {};
	for (const [key, value] of form) if (typeof value === 'string') raw[key] = value;
	const result = schema.safeParse(raw);
	if (result.success) return result.data;
	throw new ValidationError(fieldErrors(result.error));
}

/** Parses an API body against a schema; on failure throws a DomainError carrying every field's first message. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	throw new ValidationError(fieldErrors(result.error));
}

/** A form with one or more bad fields. */
export class ValidationError extends DomainError {
	constructor(readonly fields: FieldErrors) {
		super('invalid_input', Object.values(fields)[0] ?? 'Check the form and try again.');
	}
}

function fieldErrors(error: z.ZodError): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of error.issues) {
		const key = String(issue.path[0] ?? 'form');
		out[key] ??= issue.message;
	}
	return out;
}
