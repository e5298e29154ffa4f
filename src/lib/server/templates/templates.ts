import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema/accounts.ts';
import { processTemplates } from '../db/schema/templates.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { LIBRARY_TEMPLATES, libraryTemplate } from '../../board/templates/library/index.ts';
import { validateTemplate, type ProcessTemplate } from '../../board/templates/template.ts';
import type { TemplateProblem } from '../../board/templates/problems.ts';

/** Where a template comes from: Flowdeck's library or the team's own (saved or imported). */
export type TemplateSource = 'builtin' | 'team';

/** A template someone can start a board from, with who saved it (team templates). */
export interface TemplateEntry {
	id: string;
	source: TemplateSource;
	template: ProcessTemplate;
	/** The team member who saved it, null for built-ins and for accounts deleted since. */
	createdBy: { id: string; name: string } | null;
}

/** A template that breaks the format's rules: every problem, by path. Nothing was stored. */
export class TemplateProblemsError extends DomainError {
	constructor(readonly problems: TemplateProblem[]) {
		super('invalid_input', problems.length === 1 ? `The template has a problem: ${problems[0]!.path}: ${problems[0]!.message}` : `The template has ${problems.length} problems.`, 'template');
		this.name = 'TemplateProblemsError';
	}
}

const NOT_FOUND = 'That template does not exist, or it was deleted.';

/** The built-in templates in library order, then the team's in name order. */
export async function listTemplates(db: Db): Promise<TemplateEntry[]> {
	const builtin = LIBRARY_TEMPLATES.map(({ id }) => ({ id, source: 'builtin' as const, template: libraryTemplate(id)!, createdBy: null }));
	const rows = await teamRows(db).orderBy(asc(sql`lower(${processTemplates.name})`), asc(processTemplates.id));
	return [...builtin, ...rows.flatMap(toEntry)];
}

/** One template by id (built-in ids first); not_found when there is none. */
export async function getTemplate(db: Db, id: string): Promise<TemplateEntry> {
	const builtin = libraryTemplate(id);
	if (builtin) return { id, source: 'builtin', template: builtin, createdBy: null };
	const [row] = await teamRows(db).where(eq(processTemplates.id, id));
	const entry = row ? toEntry(row) : [];
	if (entry.length === 0) throw new DomainError('not_found', NOT_FOUND);
	return entry[0]!;
}

/**
 * Saves `input` (parsed JSON, not yet trusted) as a team template of `userId` and returns its id. Refused with
 * TemplateProblemsError (every problem, nothing stored) when it breaks the format, or its name is taken by a built-in or
 * team template in any letter case.
 */
export async function saveTemplate(db: Db, userId: string, input: unknown, now: Date = new Date()): Promise<string> {
	const checked = validateTemplate(input);
	if (!checked.ok) throw new TemplateProblemsError(checked.problems);
	const { template } = checked;
	const taken = nameTaken(template.name);
	if (LIBRARY_TEMPLATES.some((t) => t.name.toLowerCase() === template.name.toLowerCase())) throw taken;
	const id = newId();
	// The unique index on lower(name) is the arbiter: a concurrent save of the same name loses here, not silently.
	const inserted = await db
		.insert(processTemplates)
		.values({ id, name: template.name, template, createdBy: userId, createdAt: now, updatedAt: now })
		.onConflictDoNothing()
		.returning({ id: processTemplates.id });
	if (inserted.length === 0) throw taken;
	return id;
}

/** Deletes a team template; only the person who saved it may (forbidden otherwise, not_found when gone). */
export async function deleteTemplate(db: Db, userId: string, id: string): Promise<void> {
	if (libraryTemplate(id)) throw new DomainError('forbidden', 'Built-in templates cannot be deleted.');
	const [row] = await db.select({ createdBy: processTemplates.createdBy }).from(processTemplates).where(eq(processTemplates.id, id));
	if (!row) throw new DomainError('not_found', NOT_FOUND);
	if (row.createdBy !== userId) throw new DomainError('forbidden', 'Only the person who saved this template can delete it.');
	await db.delete(processTemplates).where(eq(processTemplates.id, id));
}

/** Whether `userId` may delete `entry`. */
export function mayDelete(entry: TemplateEntry, userId: string): boolean {
	return entry.source === 'team' && entry.createdBy?.id === userId;
}

function nameTaken(name: string): TemplateProblemsError {
	return new TemplateProblemsError([{ path: 'name', message: `“${name}” is already the name of a template: give this one another name` }]);
}

function teamRows(db: Db) {
	return db
		.select({ id: processTemplates.id, template: processTemplates.template, createdBy: processTemplates.createdBy, creatorName: users.name })
		.from(processTemplates)
		.leftJoin(users, eq(users.id, processTemplates.createdBy))
		.$dynamic();
}

function toEntry(row: { id: string; template: unknown; createdBy: string | null; creatorName: string | null }): TemplateEntry[] {
	// Read back through the format: jsonb does not keep key order, and a row written by an older version must not break the list.
	const checked = validateTemplate(row.template);
	if (!checked.ok) return [];
	const createdBy = row.createdBy && row.creatorName !== null ? { id: row.createdBy, name: row.creatorName } : null;
	return [{ id: row.id, source: 'team', template: checked.template, createdBy }];
}
