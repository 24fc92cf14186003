import * as z from 'zod';
import { str } from './common';

export const TermsSchema = z.object({ version: str(), text: str() }).meta({ id: 'Terms' });
export const AcceptTermsBody = z.strictObject({ version: str().min(1).max(40) }).meta({ id: 'AcceptTerms' });
export type AcceptTermsBody = z.infer<typeof AcceptTermsBody>;
export const TermsAcceptedSchema = z
  .object({ version: str(), acceptedAt: str(), termsAccepted: z.literal(true) })
  .meta({ id: 'TermsAccepted' });
