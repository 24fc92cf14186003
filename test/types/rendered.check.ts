/**
 * By construction: the outbound channels accept only payloads rendered for a resolved
 * recipient by `renderFor` (lambdas/domain/kernel/rendered.ts). This file is type-checked
 * by `npx tsc --noEmit` (tsconfig includes test/**): each `@ts-expect-error` below must be an
 * error, or tsc fails ("Unused '@ts-expect-error' directive"), so a port that starts accepting a
 * raw domain object breaks the build. It is never run.
 */
import type { OutboundMail, MailJob } from '../../lambdas/domain/mail/ports';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import type { InboxItem, PushMessage, TopicMessage } from '../../lambdas/domain/notifications/ports';
import type { ChatDeps } from '../../lambdas/domain/chat/chat';
import { renderFor } from '../../lambdas/domain/kernel/rendered';

export const rawObjectsAreRefused = async (
  deps: Deps,
  chat: ChatDeps,
  raw: {
    mail: OutboundMail;
    push: PushMessage;
    inbox: InboxItem;
    topic: TopicMessage;
  },
) => {
  // @ts-expect-error a raw mail is not Rendered<OutboundMail>
  await deps.mailer.send(raw.mail);
  // @ts-expect-error a notice job's mail must be rendered for its recipient
  await deps.mailQueue.enqueue([{ kind: 'notice', key: 'k', at: '', mail: raw.mail } satisfies MailJob]);
  // @ts-expect-error a raw push message
  await deps.push.publish('arn', 'apns', raw.push);
  // @ts-expect-error a raw inbox item
  await deps.notes.putInboxItems([raw.inbox]);
  // @ts-expect-error a raw chat frame (a case, say)
  await chat.connections.post('conn', { type: 'chat', subject: 'Outage at Initech' });
  // @ts-expect-error a raw integration message
  await deps.integration.publishBatch([raw.topic]);
};

/** The same payloads through the audience check are accepted. */
export const renderedPayloadsPass = async (deps: Deps, chat: ChatDeps, raw: Parameters<typeof rawObjectsAreRefused>[2]) => {
  await deps.mailer.send(renderFor('mail', 'write', raw.mail));
  await deps.mailQueue.enqueue([{ kind: 'notice', key: 'k', at: '', mail: renderFor('mail', 'write', raw.mail) }]);
  await deps.push.publish('arn', 'apns', renderFor('push', 'write', raw.push));
  await deps.notes.putInboxItems([renderFor('inbox', 'write', raw.inbox)]);
  await chat.connections.post('conn', renderFor('chat', 'self', { type: 'sent' }));
  await deps.integration.publishBatch([renderFor('integration', 'restricted', raw.topic)]);
};
