import { env } from '@/env';
import { recordAudit } from '@/server/audit/record';
import { actorUserId, requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { loadActiveIdentity, type ActiveRow } from '@/server/identity/internal';
import { ARTIFACT_URL_PLACEHOLDER, compilePrompt, fillArtifactUrl, type PromptProfile, type ReplicateFluxRequest } from '@/server/prompts';
import { getStorage } from '@/server/storage';
import { toCompilerIdentity } from './identity.ts';
import { loadProfile } from './profiles.ts';
import { chooseReferenceImages, type ChosenReference } from './references.ts';
import type { CompileApiInput, CompileResult } from './schemas.ts';

/** Replicate fetches the weights when the prediction starts, which may wait in a queue. */
export const REPLICATE_WEIGHTS_TTL_SECONDS = 60 * 60;

export interface CompiledForCaller {
  result: CompileResult;
  profile: PromptProfile;
  active: ActiveRow | null;
  references: ChosenReference[];
}

/**
 * Load profile, SYSTEM_PROMPT_CORE and the caller's active identity, run the pure compiler,
 * then do what it leaves to the service: sign the weights URL for Flux via Replicate
 * (audited as a download) and choose reference photos for Character Pack platforms.
 */
export async function compileForCaller({ ctx, input }: { ctx: ServiceContext; input: CompileApiInput }): Promise<CompiledForCaller> {
  const ws = requireWorkspace(ctx);
  const profile = await loadProfile(ctx.db, input.profile);
  const active = await loadActiveIdentity(ctx.db, ws, actorUserId(ctx));
  const identity = active ? toCompilerIdentity(active) : null;
  const compiled = compilePrompt({
    profile,
    systemPromptCore: env().SYSTEM_PROMPT_CORE,
    identity,
    input: { scene: input.scene, style: input.style, negative: input.negative },
  });
  const result: CompileResult = {
    ...compiled,
    identity: active && identity
      ? { version_id: active.version.id, version_number: active.version.number, model_id: active.model.id, model_name: active.model.name, weight: identity.weight }
      : null,
    reference_images: [],
  };

  const request = compiled.structured_request as ReplicateFluxRequest | undefined;
  if (active?.version.artifactKey && request?.kind === 'replicate-flux' && request.input.lora_weights === ARTIFACT_URL_PLACEHOLDER) {
    const signed = await getStorage().driver.presignGet({ key: active.version.artifactKey, expiresInSeconds: REPLICATE_WEIGHTS_TTL_SECONDS });
    result.structured_request = { ...fillArtifactUrl(request, signed.url) };
    await withTransaction(ctx, (tx) =>
      recordAudit(tx, { action: 'artifact.download', targetType: 'lora_version', targetId: active.version.id, metadata: { via: 'compile', profile: profile.id } }),
    );
  }

  let references: ChosenReference[] = [];
  const pack = compiled.character_pack;
  if (active && pack && pack.reference_image_slots > 0) {
    const chosen = await chooseReferenceImages(ctx.db, active.version.datasetId, pack.reference_image_slots);
    references = chosen.images;
    result.reference_images = chosen.images.map(({ item_id, filename, pose }) => ({ item_id, filename, pose }));
    result.warnings = [...result.warnings, ...chosen.warnings];
  }
  return { result, profile, active, references };
}

export async function compileUserPrompt({ ctx, input }: { ctx: ServiceContext; input: CompileApiInput }): Promise<CompileResult> {
  return (await compileForCaller({ ctx, input })).result;
}
