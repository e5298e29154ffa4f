import { execSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { root } from './servers.ts';
import { sleep } from './stats.ts';

/** A frozen copy of the app that our server runs from during the benchmark. */
export interface AppSnapshot {
	dir: string;
	/** Commit and uncommitted server-side files at the time of the copy. */
	commit: string;
	dirty: string[];
	remove(): void;
}

/** What our server needs at run time (node_modules is linked, not copied). */
const PARTS = ['build', 'server', 'src', 'drizzle', 'package.json', 'tsconfig.json', '.svelte-kit/tsconfig.json'];

/**
 * Copies the built app and the server sources to a temporary folder, so that a rebuild or an edit in the
 * working tree during a long run (other people's `npm test` rebuilds build/) cannot change or break the
 * server under measurement, and both of its starts run the same code. Retries while build/ is incomplete.
 */
export async function snapshotApp(): Promise<AppSnapshot> {
	for (let attempt = 1; ; attempt++) {
		const dir = mkdtempSync(join(tmpdir(), 'flowdeck-bench-app-'));
		for (const part of PARTS) if (existsSync(join(root, part))) cpSync(join(root, part), join(dir, part), { recursive: true });
		symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
		const missing = missingImports(join(dir, 'build'));
		if (existsSync(join(dir, 'build', 'handler.js')) && missing.length === 0) {
			const git = (args: string) => execSync(`git ${args}`, { cwd: root }).toString().trim();
			return {
				dir,
				commit: git('rev-parse --short HEAD'),
				dirty: git('status --porcelain -- server src drizzle').split('\n').filter(Boolean),
				remove: () => rmSync(dir, { recursive: true, force: true })
			};
		}
		rmSync(dir, { recursive: true, force: true });
		if (attempt >= 12) throw new Error(`build/ is incomplete (${missing[0] ?? 'no handler.js'}); run \`npm run build\` and try again.`);
		await sleep(5_000);
	}
}

/** Relative imports in the built JavaScript that point at files that do not exist (a build in progress). */
function missingImports(buildDir: string): string[] {
	if (!existsSync(buildDir)) return ['build/'];
	const missing: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (name.endsWith('.js')) {
				const text = readFileSync(path, 'utf8');
				// Static imports start a line; dynamic ones are import("./…") not followed by `.` (JSDoc type imports are).
				const specs = [...text.matchAll(/^\s*(?:import|export)\b[^;\n]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']/gm), ...text.matchAll(/\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)(?!\.)/g)];
				for (const m of specs) if (!existsSync(resolve(dirname(path), m[1]!))) missing.push(`${path}: ${m[1]}`);
			}
		}
	};
	walk(buildDir);
	return missing;
}
