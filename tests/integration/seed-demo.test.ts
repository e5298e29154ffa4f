import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { dbKinds, migrationsFolder, queryRows } from '../helpers/db.ts';
import { serverDatabase } from '../helpers/board-fixture.ts';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import { DEMO_COMPLIANCE_TARGET, DEMO_TEMPLATE_NAME } from '../../scripts/demo-process.ts';

const root = resolve(import.meta.dirname, '../..');
const LOGIN = 'as demo@flowdeck.local with the password flowdeck-demo-2026';

/** Runs `scripts/seed-demo.ts` as `npm run seed:demo` does; with `killWhen`, SIGKILLs it once its output matches. */
function runSeed(env: Record<string, string>, killWhen?: RegExp): Promise<{ code: number | null; output: string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed-demo.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const collect = (d: Buffer) => {
		output += d.toString();
		if (killWhen?.test(output) && child.exitCode === null) child.kill('SIGKILL');
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	return new Promise((done) => child.once('exit', (code) => done({ code, output })));
}

/**
 * What the seed leaves in the database: boards (by name, with the template they come from and their compliance target),
 * history rows (and those of the process: target dates, sign-offs), boards with a stored document, team templates,
 * and the risk levels stored for open cards.
 */
async function contents(env: Record<string, string>) {
	const database = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR! }, migrationsFolder);
	try {
		const count = async (query: ReturnType<typeof sql>) => Number((await queryRows<{ n: number | string }>(database, query))[0]!.n);
		return {
			boards: (await queryRows<{ name: string }>(database, sql`select name from boards order by name`)).map((b) => b.name),
			process: await queryRows<{ template: string | null; target: number }>(
				database,
				sql`select t.name as template, b.compliance_target_percent as target from boards b left join process_templates t on t.id = b.template_id order by b.name`
			),
			templates: (await queryRows<{ name: string }>(database, sql`select name from process_templates order by name`)).map((t) => t.name),
			events: await count(sql`select count(*) as n from card_events`),
			targets: await count(sql`select count(*) as n from card_events where type = 'target_changed'`),
			signoffs: await count(sql`select count(*) as n from card_events where type = 'signoff_decided'`),
			atRisk: await count(sql`select count(*) as n from card_risk_levels where level in ('at_risk', 'likely_late')`),
			storedDocuments: await count(sql`select count(distinct board_id) as n from board_updates`)
		};
	} finally {
		await database.close();
	}
}

describe.each(dbKinds())('npm run seed:demo (%s)', (kind) => {
	let remove: () => Promise<void> | void = () => {};
	afterEach(async () => {
		await remove();
	});

	it('a second run changes nothing and prints how to log in', async () => {
		const database = await serverDatabase(kind);
		remove = database.remove;
		const first = await runSeed(database.env);
		expect(first.code, first.output).toBe(0);
		expect(first.output).toContain(LOGIN);
		const seeded = await contents(database.env);
		expect(seeded.boards).toEqual(['Content publishing']);
		expect(seeded.events).toBeGreaterThan(1_000);
		// The board runs the team's blog process: from its template, with a target, dated posts, sign-offs, posts at risk.
		expect(seeded.process).toEqual([{ template: DEMO_TEMPLATE_NAME, target: DEMO_COMPLIANCE_TARGET }]);
		expect(seeded.templates).toEqual([DEMO_TEMPLATE_NAME]);
		expect(seeded.targets).toBeGreaterThan(50);
		expect(seeded.signoffs).toBeGreaterThan(50);
		expect(seeded.atRisk).toBeGreaterThan(0);

		const second = await runSeed(database.env);
		expect(second.code, second.output).toBe(0);
		expect(second.output).toContain(`The demo already exists. Log in at`);
		expect(second.output).toContain(LOGIN);
		expect(await contents(database.env)).toEqual(seeded);
	}, 120_000);

	it('a run killed while writing the history is finished by the next run, not reported as existing', async () => {
		const database = await serverDatabase(kind);
		remove = database.remove;
		const killed = await runSeed(database.env, /Writing 90 days of history/);
		expect(killed.code, killed.output).toBe(null);
		// The case that matters: the killed run left a board without its document (and with part of its history).
		const partial = await contents(database.env);
		expect(partial.boards).toHaveLength(1);
		expect(partial.storedDocuments).toBe(0);

		const rerun = await runSeed(database.env);
		expect(rerun.code, rerun.output).toBe(0);
		expect(rerun.output).toContain('Created "Content publishing"');
		expect(rerun.output).toContain(LOGIN);
		const after = await contents(database.env);
		// One complete demo board, holding its document.
		expect(after.boards).toEqual(['Content publishing']);
		expect(after.storedDocuments).toBe(1);
		expect(after.process).toEqual([{ template: DEMO_TEMPLATE_NAME, target: DEMO_COMPLIANCE_TARGET }]);
		expect(after.templates).toEqual([DEMO_TEMPLATE_NAME]);
		// Card events reference their board (on delete cascade), so one board means no leftover history.
		const third = await runSeed(database.env);
		expect(third.output).toContain('The demo already exists.');
		expect(await contents(database.env)).toEqual(after);
	}, 120_000);
});
