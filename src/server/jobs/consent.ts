// Consent before any training (DESIGN §5). The person agrees to an exact, versioned
// statement; we store which version and a sha256 of its text (never a paraphrase), with the
// user, time, IP and user agent. A changed wording gets a new version, old rows stay valid.
import { createHash } from 'node:crypto';
import { consents } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';
import { actorUserId, requireWorkspace, type ServiceContext } from '@/server/http/context';
import { newId } from '@/server/ids';

export const CONSENT_STATEMENT_VERSIONS = ['v1'] as const;
export type ConsentStatementVersion = (typeof CONSENT_STATEMENT_VERSIONS)[number];

export const CONSENT_STATEMENTS: Record<ConsentStatementVersion, Record<'image' | 'text', string>> = {
  v1: {
    image: 'I have the rights to these images and consent to training on them',
    text: 'I have the rights to these conversations and consent to training on them',
  },
};

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The statement must be the exact text of that version for the dataset's modality. */
export function assertConsentStatement(c: { statement_version: ConsentStatementVersion; statement: string }, modality: 'image' | 'text'): string {
  const expected = CONSENT_STATEMENTS[c.statement_version][modality];
  // Trailing whitespace or a final period is not a different statement; anything else is.
  if (c.statement.trim().replace(/\.$/, '') !== expected) {
    throw new ValidationError(`Consent statement does not match ${c.statement_version} for ${modality} datasets. Send exactly: "${expected}".`, [
      { path: 'consent.statement', code: 'invalid_value', message: `expected "${expected}"` },
    ]);
  }
  return expected;
}

/** Write the consent row with ctx.db (inside the job's transaction). */
export async function recordConsent(
  ctx: ServiceContext,
  p: { datasetId: string; jobId: string; version: ConsentStatementVersion; statement: string; datasetHash: string; datasetArchiveSha256: string },
): Promise<string> {
  const id = newId('consent');
  await ctx.db.insert(consents).values({
    id,
    workspaceId: requireWorkspace(ctx),
    userId: actorUserId(ctx),
    datasetId: p.datasetId,
    jobId: p.jobId,
    // The consent covers this content, not whatever the dataset holds later.
    datasetHash: p.datasetHash,
    datasetArchiveSha256: p.datasetArchiveSha256,
    statementVersion: p.version,
    statementHash: sha256Hex(p.statement),
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
  return id;
}
