import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const lib = fileURLToPath(new URL('./src/lib', import.meta.url));

/** Two projects: fast unit tests, and integration tests against real databases and servers. */
export default defineConfig({
	resolve: { alias: { $lib: lib } },
	test: {
		projects: [
			{
				resolve: { alias: { $lib: lib } },
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				resolve: { alias: { $lib: lib } },
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
