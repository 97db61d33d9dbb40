import { roleMap, type ListSpec } from './turn-list.ts';

// Role tables per format. Anything not listed is an `unknown_role` error that names the
// accepted values; adding an alias is one line here.

const CANONICAL = { system: { role: 'system' }, user: { role: 'user' }, assistant: { role: 'assistant' }, tool: { role: 'tool' } } as const;

/** OpenAI chat fine-tuning: `developer` is the newer name of `system`, `function` the legacy `tool`. */
export const OPENAI: ListSpec = {
  roleKey: 'role',
  contentKey: 'content',
  roles: roleMap({ ...CANONICAL, developer: { role: 'system' }, function: { role: 'tool' } }),
  parts: true,
  openaiTools: true,
  weightKey: 'weight',
};

/** LLaMA-Factory v1 (v1_sft_demo.jsonl): content is `[{type: 'text', value}]`, plus `loss_weight`. */
export const LLAMAFACTORY_V1: ListSpec = { ...OPENAI, weightKey: 'loss_weight' };

/** LLaMA-Factory's sharegpt tags (README: human/gpt/function_call/observation/system). */
const SHAREGPT_ROLES = {
  human: { role: 'user' },
  gpt: { role: 'assistant' },
  system: { role: 'system' },
  function_call: { role: 'assistant', toolCall: true },
  observation: { role: 'tool' },
} as const;

export const SHAREGPT: ListSpec = {
  roleKey: 'from',
  contentKey: 'value',
  // Many ShareGPT exports in the wild write user/assistant in `from`; they mean the same.
  roles: roleMap({ ...SHAREGPT_ROLES, user: { role: 'user' }, assistant: { role: 'assistant' }, tool: { role: 'tool' } }),
  parts: false,
  openaiTools: false,
};

/** ShareGPT with `tags: {role_tag: role, content_tag: content, user_tag: user, assistant_tag: assistant}`. */
export const SHAREGPT_MESSAGES: ListSpec = {
  roleKey: 'role',
  contentKey: 'content',
  roles: roleMap({ ...CANONICAL, function_call: { role: 'assistant', toolCall: true }, observation: { role: 'tool' } }),
  parts: false,
  openaiTools: false,
};

/** In-house v3: turns[{role, content}]. */
export const TURNS_V3: ListSpec = { roleKey: 'role', contentKey: 'content', roles: roleMap(CANONICAL), parts: false, openaiTools: false };

/** In-house v4: turns[{speaker, text}] — same roles, renamed keys. */
export const TURNS_V4: ListSpec = { roleKey: 'speaker', contentKey: 'text', roles: roleMap(CANONICAL), parts: false, openaiTools: false };
