import { z } from './common';

export const TermsSchema = z.object({ version: z.string(), text: z.string() }).openapi('Terms');
export const AcceptTermsBody = z.strictObject({ version: z.string().min(1).max(40) }).openapi('AcceptTerms');
export type AcceptTermsBody = z.infer<typeof AcceptTermsBody>;
export const TermsAcceptedSchema = z
  .object({ version: z.string(), acceptedAt: z.string(), termsAccepted: z.literal(true) })
  .openapi('TermsAccepted');
