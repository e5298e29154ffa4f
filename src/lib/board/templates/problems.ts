import type { z } from 'zod';
import '../zod-jitless.ts';

/** One thing wrong with a template, naming its field by path, e.g. `stages[3].step.offset`. */
export interface TemplateProblem {
	path: string;
	message: string;
}

/** The path a problem at the template itself (not one of its fields) is reported under. */
export const ROOT_PATH = '(template)';

/** `['stages', 3, 'step']` as people read it: `stages[3].step`. */
export function formatPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const part of path) {
		if (typeof part === 'number') out += `[${part}]`;
		else out += out === '' ? String(part) : `.${String(part)}`;
	}
	return out === '' ? ROOT_PATH : out;
}

const NOUNS: Record<string, string> = {
	string: 'text',
	number: 'a number',
	int: 'a whole number',
	boolean: 'true or false',
	array: 'a list',
	object: 'an object',
	null: 'null'
};

/**
 * Zod's generic messages in words an author of a template file understands. Used as the per-parse error map;
 * schemas that know better (offsets, colours) carry their own messages, which take precedence.
 */
export const plainMessages: z.core.$ZodErrorMap = (issue) => {
	switch (issue.code) {
		case 'invalid_type':
			return issue.input === undefined ? 'is missing' : `must be ${NOUNS[issue.expected] ?? issue.expected}`;
		case 'too_small':
			if (issue.origin === 'string') return 'must not be blank';
			return `must be at least ${String(issue.inclusive ? issue.minimum : Number(issue.minimum) + 1)}`;
		case 'too_big':
			if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
			return `must be at most ${String(issue.maximum)}`;
		case 'invalid_value':
			return issue.values.length === 1
				? `must be ${JSON.stringify(issue.values[0])}`
				: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
		case 'unrecognized_keys':
			return 'is not a field of a Flowdeck template';
		default:
			return undefined;
	}
};

/** Zod's issues as problems; an unknown field is reported at its own path, so a typo is easy to find. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): TemplateProblem[] {
	return issues.flatMap((issue) =>
		issue.code === 'unrecognized_keys'
			? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: issue.message }))
			: [{ path: formatPath(issue.path), message: issue.message }]
	);
}

/**
 * `problems` in the order of the template's fields, then by stage (or label, or item) number, so that an author
 * reads them top to bottom; problems at the same place keep their order.
 */
export function inTemplateOrder(problems: readonly TemplateProblem[], fieldOrder: readonly string[]): TemplateProblem[] {
	const rank = (p: TemplateProblem): [number, number] => {
		const match = /^([^.[]+)(?:\[(\d+)\])?/.exec(p.path);
		const field = match?.[1] ?? '';
		const position = p.path === ROOT_PATH ? -1 : fieldOrder.indexOf(field);
		return [position === -1 && p.path !== ROOT_PATH ? fieldOrder.length : position, match?.[2] === undefined ? -1 : Number(match[2])];
	};
	return problems
		.map((p, i) => ({ p, i, r: rank(p) }))
		.sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i)
		.map(({ p }) => p);
}
