import { describe, expect, it } from 'vitest';
import { LIBRARY_TEMPLATES, libraryTemplate } from '../../src/lib/board/templates/library/index.ts';
import { findJsonSyntaxError } from '../../src/lib/board/templates/json-syntax.ts';
import { exportTemplate, parseTemplateJson } from '../../src/lib/board/templates/template-json.ts';

describe('template files', () => {
	it.each(LIBRARY_TEMPLATES.map((t) => t.id))('%s survives export and import unchanged', (id) => {
		const template = libraryTemplate(id)!;
		const text = exportTemplate(template);
		expect(parseTemplateJson(text)).toEqual({ ok: true, template });
	});

	it('writes pretty JSON that starts with the format header', () => {
		const text = exportTemplate(libraryTemplate('blog-post')!);
		expect(text.split('\n').slice(0, 4)).toEqual(['{', '  "format": "flowdeck.template",', '  "version": 1,', '  "name": "Blog post",']);
	});

	it('a JSON syntax error is one problem that says where it is', () => {
		const text = exportTemplate(libraryTemplate('blog-post')!).replace('"version": 1,', '"version": 1');
		expect(parseTemplateJson(text)).toEqual({
			ok: false,
			problems: [{ path: '(file)', message: 'is not valid JSON: line 4, column 3 (character 53): expected "," or "}", found """' }]
		});
	});

	it('finds errors JSON.parse does not place', () => {
		expect(findJsonSyntaxError('{"a":}')).toMatchObject({ line: 1, column: 6, message: 'expected a value, found "}"' });
		expect(findJsonSyntaxError('{\n  "a": [1, 2,]\n}')).toMatchObject({ line: 2, column: 14, message: 'expected a value, found "]"' });
		expect(findJsonSyntaxError('{"a": 1}\nx')).toMatchObject({ line: 2, column: 1 });
		expect(findJsonSyntaxError('{"a": "line\nbreak"}')).toMatchObject({ line: 1, column: 12 });
		expect(findJsonSyntaxError('')).toMatchObject({ message: 'expected a value, found the end of the text' });
		expect(findJsonSyntaxError('{"a": [true, null, -1.5e3, "\\u00e9"]}')).toBeNull();
	});

	it('reads a file saved with a byte-order mark; refuses one too large to be a template', () => {
		const template = libraryTemplate('campaign')!;
		expect(parseTemplateJson(`\uFEFF${exportTemplate(template)}`)).toEqual({ ok: true, template });
		const result = parseTemplateJson(' '.repeat(1_000_001));
		expect(result.ok ? [] : result.problems.map((p) => p.path + ': ' + p.message)).toEqual(['(file): is too large: at most 1,000,000 characters']);
	});

	it('an imported file with template problems lists them all', () => {
		const json = JSON.parse(exportTemplate(libraryTemplate('blog-post')!)) as { stages: { step: { offset: unknown } }[]; labels: unknown };
		json.stages[2]!.step.offset = '20';
		json.labels = 'none';
		const result = parseTemplateJson(JSON.stringify(json));
		expect(result.ok ? [] : result.problems).toEqual([
			{ path: 'stages[2].step.offset', message: 'must be a whole number of days' },
			{ path: 'labels', message: 'must be a list' }
		]);
	});
});
