/** STUB of mail-domain's contract (MAIL-CONTRACT.md); replaced by the real module on merge. */
import type { Caller } from './policy';
import type { Deps, Page, PageRequest } from './ports';

export interface SesVerdicts {
  spam: string;
  virus: string;
  spf: string;
  dkim: string;
  dmarc: string;
}

export interface InboundEnvelope {
  transportId: string;
  rawKey: string;
  receivedAt: string;
  recipients: string[];
  verdicts: SesVerdicts;
  size: number;
}

export type InboundOutcome =
  | { outcome: 'attached'; caseNumber: string; updateId: string }
  | { outcome: 'duplicate'; of: string }
  | { outcome: 'rejected'; reason: string; caseNumber?: string };

export type InboundMailView = { transportId: string; receivedAt: string } & InboundOutcome;

export const MAX_INBOUND_BYTES = 40 * 1024 * 1024;

const notMerged = (): never => {
  throw new Error('mail-domain is not merged yet');
};

export const receiveInboundMail = async (_deps: Deps, _envelope: InboundEnvelope, _raw: Uint8Array): Promise<InboundOutcome> =>
  notMerged();

export const listInboundMail = async (_deps: Deps, _caller: Caller, _page: PageRequest): Promise<Page<InboundMailView>> =>
  notMerged();
