/** NOTE-1: the integration topic over SNS PublishBatch (NOTIFY_TOPIC_ARN, set by bindTopic with sns:Publish). */
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import type { IntegrationTopic } from '../domain/notifications/ports';
import { config, ConfigurationError } from './config';

export const snsIntegrationTopic = (topicArn?: string, client?: SNSClient): IntegrationTopic => {
  let sns = client;
  return {
    publishBatch: async (messages) => {
      const arn = topicArn ?? config.notifyTopicArn();
      if (!arn) throw new ConfigurationError('NOTIFY_TOPIC_ARN is empty: this function has no integration topic binding');
      if (messages.length === 0) return { failed: [] };
      if (messages.length > 10) throw new Error('PublishBatch takes at most 10 entries');
      sns ??= new SNSClient({});
      const res = await sns.send(
        new PublishBatchCommand({
          TopicArn: arn,
          PublishBatchRequestEntries: messages.map((m) => ({
            Id: m.id,
            Message: m.body,
            MessageAttributes: Object.fromEntries(
              Object.entries(m.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
            ),
          })),
        }),
      );
      return { failed: (res.Failed ?? []).map((f) => f.Id ?? '') };
    },
  };
};
