import { turnPath, type Conversation, type IssueSink, type Turn } from './types.ts';

// Conversation rules, on normalized roles (README "Rules"):
//  1. content is not empty or whitespace-only (every turn is checked);
//  2. `system` may only be the first turn;
//  3. there is at least one `user` turn, and the first non-system turn is `user`;
//  4. user and assistant alternate: no two user or two assistant turns in a row;
//  5. a `tool` turn follows an assistant tool call or another tool turn, and is followed by
//     an assistant turn;
//  6. the last turn is `assistant` (it is what the model learns to produce).
// Rules 2–6 need every role: when a turn could not be read (already an error), they are
// skipped rather than reporting knock-on errors about a turn that is not there.

/** A string is blank only if its first character is whitespace (ASCII, NBSP or ≥ U+1680). */
function isBlank(s: string): boolean {
  if (s.length === 0) return true;
  const c = s.charCodeAt(0);
  return (c <= 32 || c === 0xa0 || c >= 0x1680) && s.trim() === '';
}

const orderError = (sink: IssueSink, t: Turn, why: string) => sink.error(turnPath(t, 'role'), 'invalid_role_order', why);

export function checkConversation(conv: Conversation, sink: IssueSink, rolesComplete: boolean): void {
  const turns = conv.turns;
  for (const t of turns) {
    if (isBlank(t.content)) sink.error(turnPath(t, 'content'), 'empty_content', `Empty ${t.role} content.`);
  }
  if (!rolesComplete) return;
  if (turns.length === 0) {
    sink.error(conv.field, 'empty_conversation', 'The conversation has no turns.');
    return;
  }
  const hasUser = turns.some((t) => t.role === 'user');
  if (!hasUser) sink.error(conv.field, 'missing_user_turn', 'The conversation has no user turn.');
  let prev: Turn | null = null;
  for (let i = 0; i < turns.length; i++) {
    const t = turns[i]!;
    switch (t.role) {
      case 'system':
        if (i > 0) orderError(sink, t, 'A system message is only allowed as the first turn.');
        continue; // a system turn does not take part in alternation
      case 'user':
        if (prev?.role === 'user') orderError(sink, t, 'Two user turns in a row; merge them or add the assistant reply between them.');
        else if (prev?.role === 'tool') orderError(sink, t, 'A tool result must be followed by an assistant turn, not a user turn.');
        else if (prev?.toolCall) orderError(sink, t, 'An assistant tool call must be followed by a tool result.');
        break;
      case 'assistant':
        if (prev === null && hasUser) orderError(sink, t, 'The conversation must start with a user turn (after an optional system message).');
        else if (prev?.role === 'assistant' && !prev.toolCall) orderError(sink, t, 'Two assistant turns in a row; merge them.');
        else if (prev?.toolCall) orderError(sink, t, 'An assistant tool call must be followed by a tool result.');
        break;
      case 'tool':
        if (!(prev?.toolCall || prev?.role === 'tool')) orderError(sink, t, 'A tool result must follow an assistant tool call.');
        break;
    }
    prev = t;
  }
  const last = turns[turns.length - 1]!;
  if (last.role !== 'assistant') sink.error(turnPath(last, 'role'), 'last_turn_not_assistant', `The last turn must be the assistant's reply, not ${last.role}.`);
}
