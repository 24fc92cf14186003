/** STUB of mail-domain's contract (MAIL-CONTRACT.md); replaced by the real module on merge. */
import type { MailRepo } from '../domain/ports';
import type { TableRef } from './client';

export const mailRepo = (_ref: TableRef): MailRepo => ({});
