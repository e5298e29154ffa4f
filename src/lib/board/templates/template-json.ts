import { findJsonSyntaxError } from './json-syntax.ts';
import { TEMPLATE_LIMITS as MAX } from './template-limits.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION, validateTemplate, type ProcessTemplate, type TemplateValidation } from './template.ts';

/** The path a problem with the file as a whole (size, JSON syntax) is reported under. */
export const FILE_PATH = '(file)';

/** `template` as a pretty JSON file, the format header first, ending in a newline. */
export function exportTemplate(template: ProcessTemplate): string {
	// The header is written from the constants, so an export is always readable by this version's import.
	return `${JSON.stringify({ ...template, format: TEMPLATE_FORMAT, version: TEMPLATE_VERSION }, null, 2)}\n`;
}

/** Reads a template file's text: its JSON syntax (one problem, with line and column), then `validateTemplate`. */
export function parseTemplateJson(text: string): TemplateValidation {
	if (text.length > MAX.jsonChars) {
		return { ok: false, problems: [{ path: FILE_PATH, message: `is too large: at most ${MAX.jsonChars.toLocaleString('en')} characters` }] };
	}
	// Editors on Windows save a byte-order mark that JSON.parse refuses.
	const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch (error) {
		const at = findJsonSyntaxError(body);
		const message = at
			? `is not valid JSON: line ${at.line}, column ${at.column} (character ${at.offset + 1}): ${at.message}`
			: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
		return { ok: false, problems: [{ path: FILE_PATH, message }] };
	}
	return validateTemplate(json);
}
