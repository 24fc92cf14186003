/**
 * NOTE-1: mobile push over SNS platform endpoints. The platform applications (APNs, FCM) are
 * deployment parameters: PUSH_APNS_APP_ARN and PUSH_FCM_APP_ARN, set by the push binding with
 * sns:CreatePlatformEndpoint on them and Publish/SetEndpointAttributes/DeleteEndpoint on their
 * endpoints; an empty value means the deployment offers no push on that platform.
 *
 * Locally fauxqs has no platform endpoints: the push stand-in (local/push.ts) answers the
 * same SNS calls, and the runtime gives its address in AWS_ENDPOINT_URL_SNS_PUSH (AWS sets no
 * such variable, so there the client reaches SNS itself).
 */
import {
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  EndpointDisabledException,
  InvalidParameterException,
  PublishCommand,
  SetEndpointAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import type { PushMessage, PushPlatform, PushService } from '../domain/notifications/ports';
import { config, ENV } from './config';

const APP_ARN_ENV: Record<PushPlatform, string> = { apns: ENV.PUSH_APNS_APP_ARN, fcm: ENV.PUSH_FCM_APP_ARN };

/** SNS names the endpoint that already holds the token: "Endpoint <arn> already exists with the same Token, but different attributes." */
const EXISTING = /Endpoint (arn:\S+) already exists with the same [Tt]oken/;

/** SNS's per-platform message: APNs' `aps` payload, and FCM's HTTP v1 shape (the legacy GCM one is retired). */
export const platformMessage = (m: PushMessage): string => {
  const apns = JSON.stringify({ aps: { alert: { title: m.title, body: m.body }, sound: 'default' }, ...m.data });
  return JSON.stringify({
    default: m.title,
    APNS: apns,
    APNS_SANDBOX: apns,
    GCM: JSON.stringify({ fcmV1Message: { message: { notification: { title: m.title, body: m.body }, data: m.data } } }),
  });
};

export const snsPush = (opts: { apps?: Partial<Record<PushPlatform, string>>; client?: SNSClient } = {}): PushService => {
  let sns = opts.client;
  const client = () => {
    if (sns) return sns;
    const endpoint = config.snsPushEndpoint();
    return (sns = new SNSClient(endpoint ? { endpoint } : {}));
  };
  const appArn = (platform: PushPlatform): string | undefined => opts.apps?.[platform] ?? config.pushApp(platform);
  return {
    offers: (platform) => Boolean(appArn(platform)),
    createEndpoint: async (platform, token, userId) => {
      const app = appArn(platform);
      if (!app) throw new Error(`${APP_ARN_ENV[platform]} is not set: this deployment has no ${platform} application`);
      const attributes = { CustomUserData: userId };
      try {
        const res = await client().send(
          new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: token, Attributes: attributes }),
        );
        if (!res.EndpointArn) throw new Error('SNS returned no EndpointArn');
        return res.EndpointArn;
      } catch (err) {
        // CreatePlatformEndpoint is idempotent only with identical attributes: the token was
        // registered before (by another user, or disabled since). Take the endpoint over.
        const existing = err instanceof InvalidParameterException ? EXISTING.exec(err.message)?.[1] : undefined;
        if (!existing) throw err;
        await client().send(
          new SetEndpointAttributesCommand({
            EndpointArn: existing,
            Attributes: { ...attributes, Token: token, Enabled: 'true' },
          }),
        );
        return existing;
      }
    },
    publish: async (endpointArn, _platform, message) => {
      try {
        await client().send(
          new PublishCommand({ TargetArn: endpointArn, MessageStructure: 'json', Message: platformMessage(message) }),
        );
        return 'sent';
      } catch (err) {
        if (err instanceof EndpointDisabledException) return 'disabled';
        throw err;
      }
    },
    deleteEndpoint: async (endpointArn) => {
      await client().send(new DeleteEndpointCommand({ EndpointArn: endpointArn }));
    },
  };
};
