import { defineConfig } from 'drizzle-kit';

/** drizzle-kit reads the schema modules and writes SQL migrations to drizzle/. */
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/*.ts',
	out: './drizzle'
});
