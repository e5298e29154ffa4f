// `npm test`: build, then unit + integration tests (Vitest), then browser tests (Playwright),
// and a closing "N passed, N failed" line over all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
	console.error(
		`Chromium was not found at ${chromium}; the browser tests need it.\n` +
			`Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n` +
			`(or set CHROMIUM_PATH to a Chromium binary).`
	);
	process.exit(1);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status;

if (run(bin('vite'), ['build', '--logLevel', 'warn']) !== 0) {
	console.error('The build failed; no tests were run.');
	process.exit(1);
}

const reports = mkdtempSync(join(tmpdir(), 'flowdeck-reports-'));
const vitestJson = join(reports, 'vitest.json');
const playwrightJson = join(reports, 'playwright.json');
const vitestStatus = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const playwrightStatus = run(bin('playwright'), ['test', '--project=chromium'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestJson)) {
	const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
	passed += v.numPassedTests;
	failed += v.numFailedTests;
	skipped += v.numPendingTests + v.numTodoTests;
}
if (existsSync(playwrightJson)) {
	const p = JSON.parse(readFileSync(playwrightJson, 'utf8'));
	passed += p.stats.expected + p.stats.flaky;
	failed += p.stats.unexpected;
	skipped += p.stats.skipped;
}
// A runner that crashed before reporting counts as a failure even if it left no numbers.
if ((vitestStatus !== 0 || playwrightStatus !== 0) && failed === 0) failed = 1;
console.log(`\nflowdeck: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(vitestStatus === 0 && playwrightStatus === 0 ? 0 : 1);
