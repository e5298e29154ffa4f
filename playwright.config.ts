import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One throwaway data folder per run; workers inherit it through the environment.
process.env.FLOWDECK_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'flowdeck-e2e-'));
// A random high port per run (workers inherit it), so a run never collides with another server on this machine.
process.env.FLOWDECK_E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 30_000));
const port = Number(process.env.FLOWDECK_E2E_PORT);

/** Browser tests: Debian's Chromium against the production server on a fresh PGlite folder. */
export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	workers: 1,
	retries: 0,
	reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-quic'
			]
		}
	},
	projects: [
		// `npm test`: behaviour. The browser performance measurement runs with `npm run bench:browser`.
		{ name: 'chromium', use: { browserName: 'chromium' }, testIgnore: /performance\.test\.ts$/ },
		{ name: 'perf', use: { browserName: 'chromium' }, testMatch: /performance\.test\.ts$/ }
	],
	webServer: {
		// The demo board (90 days of history) is seeded first, for the stats tests.
		command: 'node --import tsx scripts/seed-demo.ts && node --import tsx server/index.ts',
		url: `http://127.0.0.1:${port}/login`,
		reuseExistingServer: false,
		timeout: 180_000,
		// Every test signs up from 127.0.0.1: lift the per-address sign-up and board limits for the suite.
		env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: process.env.FLOWDECK_E2E_DATA, DATABASE_URL: '', SIGNUP_LIMIT_PER_HOUR: '100000', BOARD_LIMIT_PER_10_MIN: '100000' }
	}
});
