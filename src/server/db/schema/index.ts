// Barrel: the whole domain schema (DESIGN.md §2), one file per domain.
export * from './auth.ts';
export * from './catalog.ts';
export * from './workspaces.ts';
export * from './models.ts';
export * from './datasets.ts';
export * from './versions.ts';
export * from './jobs.ts';
export * from './identity.ts';
export * from './governance.ts';
