import * as z from 'zod';

export const TermsSchema = z.object({ version: z.string(), text: z.string() }).meta({ id: 'Terms' });
export const AcceptTermsBody = z.strictObject({ version: z.string().min(1).max(40) }).meta({ id: 'AcceptTerms' });
export type AcceptTermsBody = z.infer<typeof AcceptTermsBody>;
export const TermsAcceptedSchema = z
  .object({ version: z.string(), acceptedAt: z.string(), termsAccepted: z.literal(true) })
  .meta({ id: 'TermsAccepted' });
