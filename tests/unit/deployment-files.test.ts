import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

interface Service {
	image?: string;
	build?: unknown;
	environment?: Record<string, string>;
	depends_on?: Record<string, { condition: string }>;
	healthcheck?: { test: string[] };
	volumes?: string[];
	ports?: string[];
}

// No Docker engine or registry here: the files are checked as text and as YAML, the way compose would read them.
describe('compose.yaml', () => {
	const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
	const { services } = compose;

	it('runs two app instances of one image on PostgreSQL and Redis, with a public ORIGIN', () => {
		for (const name of ['app1', 'app2']) {
			const app = services[name]!;
			expect(app.image, name).toBe('flowdeck:latest');
			expect(app.environment?.DATABASE_URL, name).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
			expect(app.environment?.REDIS_URL, name).toBe('redis://redis:6379');
			expect(app.environment?.ORIGIN, name).toMatch(/^\$\{ORIGIN:-http/);
			// Attachments on a volume both instances share.
			expect(app.volumes, name).toContain('uploads:/app/uploads');
			expect(app.environment?.UPLOAD_DIR, name).toBe('/app/uploads');
			expect(app.healthcheck?.test.join(' '), name).toContain('/ready');
			expect(app.depends_on, name).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
		}
		expect(services.postgres?.image).toBe('postgres:15');
		expect(services.redis?.image).toBe('redis:7');
		expect(services.postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
		expect(services.redis?.healthcheck?.test.join(' ')).toContain('ping');
	});

	it('puts a reverse proxy in front of both, started once they are healthy, with its config mounted', () => {
		const proxy = services.proxy!;
		expect(proxy.image).toMatch(/^nginx:/);
		expect(proxy.depends_on).toEqual({ app1: { condition: 'service_healthy' }, app2: { condition: 'service_healthy' } });
		expect(proxy.volumes).toContain('./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
		expect(proxy.ports?.[0]).toMatch(/:80$/);
	});
});

describe('deploy/nginx.conf', () => {
	const conf = read('deploy/nginx.conf');
	// Comments removed: only directives count.
	const directives = conf.replace(/#.*$/gm, '');

	it('balances over both instances without sticky sessions', () => {
		const upstream = /upstream flowdeck \{([^}]*)\}/.exec(directives)?.[1] ?? '';
		expect(upstream).toMatch(/server app1:3000/);
		expect(upstream).toMatch(/server app2:3000/);
		expect(upstream).not.toMatch(/ip_hash|hash |sticky|least_conn/);
	});

	it('passes WebSocket upgrades (HTTP/1.1, Upgrade and Connection headers) and keeps idle sockets longer than the server’s ping', () => {
		expect(directives).toMatch(/proxy_http_version 1\.1;/);
		expect(directives).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
		expect(directives).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
		expect(directives).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;/);
		const timeout = Number(/proxy_read_timeout (\d+)s;/.exec(directives)?.[1]);
		expect(timeout).toBeGreaterThan(30);
	});

	it('does not expose /metrics publicly', () => {
		expect(directives).toMatch(/location = \/metrics \{\s*return 404;/);
	});
});

describe('Dockerfile', () => {
	const dockerfile = read('Dockerfile');
	const lines = dockerfile.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
	const stages = lines.filter((l) => l.startsWith('FROM '));

	it('builds in stages on Node 20 (bookworm-slim) and runs as a non-root user', () => {
		expect(stages.length).toBeGreaterThanOrEqual(2);
		for (const from of stages) expect(from).toMatch(/^FROM node:20-bookworm-slim\b/);
		const runtime = lines.slice(lines.lastIndexOf(stages.at(-1)!));
		expect(runtime.some((l) => /^RUN npm run build/.test(l))).toBe(false);
		expect(lines.some((l) => /^RUN npm run build/.test(l))).toBe(true);
		const user = runtime.find((l) => l.startsWith('USER '));
		expect(user).toBeDefined();
		expect(user).not.toMatch(/USER (root|0)\b/);
		// USER comes before the command it runs.
		expect(runtime.indexOf(user!)).toBeLessThan(runtime.findIndex((l) => l.startsWith('CMD ')));
	});

	it('exposes 3000, checks /ready, keeps its data on volumes and installs production dependencies only in the runtime', () => {
		expect(lines).toContain('EXPOSE 3000');
		const check = dockerfile.slice(dockerfile.indexOf('HEALTHCHECK'));
		expect(check).toMatch(/HEALTHCHECK[^\n]*\\\n\s*CMD [^\n]*\/ready/);
		expect(dockerfile).toMatch(/VOLUME \["\/app\/data", "\/app\/uploads"\]/);
		expect(dockerfile).toMatch(/npm install --omit=dev/);
	});

	it('leaves node_modules, the build and local data out of the build context (.dockerignore)', () => {
		const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
		for (const entry of ['node_modules', 'build', 'data', '.git', '.env']) expect(ignored).toContain(entry);
	});
});
