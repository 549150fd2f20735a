import { CHAT_KINDS } from '../chat/kinds';

/** Every kind a destination may have: a chat platform (named in chat/kinds.ts), or the local relay's console. */
export const DESTINATION_KINDS = [...CHAT_KINDS, 'console'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];
