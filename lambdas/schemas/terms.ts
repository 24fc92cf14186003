import * as z from 'zod/mini';
import { meta, str } from './common';

export const TermsSchema = meta(z.object({ version: str(), text: str() }), { id: 'Terms' });
export const AcceptTermsBody = meta(z.strictObject({ version: str().check(z.minLength(1), z.maxLength(40)) }), {
  id: 'AcceptTerms',
});
export type AcceptTermsBody = z.infer<typeof AcceptTermsBody>;
export const TermsAcceptedSchema = meta(z.object({ version: str(), acceptedAt: str(), termsAccepted: z.literal(true) }), {
  id: 'TermsAccepted',
});
