import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema (`npm run db:generate -- --name <what>`) and
// committed with the journal; they run automatically at start (src/server/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/server/db/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});
