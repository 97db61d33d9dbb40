// Zod schemas (and inferred types) for protocol v1. Wire format is snake_case JSON; each
// schema and its type share a name. Split by message family under ./schemas/.
export * from './schemas/common.ts';
export * from './schemas/trainer-options.ts';
export * from './schemas/params.ts';
export * from './schemas/job-spec.ts';
export * from './schemas/events-data.ts';
export * from './schemas/events.ts';
export * from './schemas/api.ts';
