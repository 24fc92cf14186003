/** STUB of mail-domain's contract (MAIL-CONTRACT.md); replaced by the real module on merge. */
import type { MimeParser } from '../domain/ports';

export const mimeParser = (): MimeParser => ({});
