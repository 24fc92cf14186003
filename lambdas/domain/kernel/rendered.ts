import type { CaseAccess } from './policy';

/**
 * By construction, the outbound channels (the mailer and the mail queue's notice
 * jobs, push, inbox items, chat frames, the integration topic) accept only `Rendered<T>`: a
 * payload built for a resolved recipient. The brand's symbol is not exported and `Rendered` is
 * produced only by `renderFor` below (the ESLint config forbids `as Rendered` outside this
 * module), so a raw domain object handed to a channel is a type error
 * (test/types/rendered.check.ts).
 */
declare const RENDERED: unique symbol;
export type Channel = 'mail' | 'push' | 'inbox' | 'chat' | 'integration' | 'http';
export type Rendered<T> = T & { readonly [RENDERED]: Channel };
/**
 * Whose payload it is: a recipient's resolved access, or `self`: the caller's own action echoed
 * back to them (an acknowledgement, their availability, an error), carrying nobody else's data.
 */
export type Audience = CaseAccess | 'self';

/**
 * The audience check every outbound payload passes: `access` is the recipient's, resolved for
 * this delivery (policy.ts: who, level now, client, region, Terms), and the payload was built
 * from views of that access. A recipient with no access gets nothing (PRIV-2, PRIV-3): this
 * throws, and the caller must have left them out before.
 */
export const renderFor = <T>(channel: Channel, access: Audience, payload: T): Rendered<T> => {
  if (access === 'none') throw new Error(`${channel}: nothing is rendered for a recipient with no access`);
  return payload as Rendered<T>;
};
