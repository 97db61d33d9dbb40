import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export const PEER_HEADER: 'x-lora-studio-peer';
export function installPeerSecret(): void;
export function stampPeer(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>, remoteAddress: string | undefined | null): void;
export function withSocketPeer<R>(listener: (req: IncomingMessage, res: ServerResponse) => R): (req: IncomingMessage, res: ServerResponse) => R;
export function readPeer(value: string | null | undefined): string | null;
