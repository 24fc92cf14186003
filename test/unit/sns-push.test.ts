/** NOTE-1: the SNS push adapter (platform endpoints for APNs and FCM), against aws-sdk-client-mock. */
import {
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  EndpointDisabledException,
  InvalidParameterException,
  PublishCommand,
  SetEndpointAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { snsPush } from '../../lambdas/adapters/sns-push';
import { renderFor } from '../../lambdas/domain/kernel/rendered';

const APNS = 'arn:aws:sns:eu-west-1:123456789012:app/APNS/casework';
const FCM = 'arn:aws:sns:eu-west-1:123456789012:app/GCM/casework';
const ENDPOINT = 'arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/casework/0b1c';

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());
const push = () => snsPush({ apps: { apns: APNS, fcm: '' }, client: new SNSClient({ region: 'eu-west-1' }) });

describe('NOTE-1: SNS platform endpoints', () => {
  it('NOTE-1: a device becomes an endpoint of its platform application, marked with its user', async () => {
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: ENDPOINT });
    expect(await push().createEndpoint('apns', 'tok-1', 'u-dana')).toBe(ENDPOINT);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)[0].args[0].input).toEqual({
      PlatformApplicationArn: APNS,
      Token: 'tok-1',
      Attributes: { CustomUserData: 'u-dana' },
    });
  });

  it('NOTE-1: the same token with other attributes reuses the endpoint SNS names, re-enabled and re-marked', async () => {
    sns.on(CreatePlatformEndpointCommand).rejects(
      new InvalidParameterException({
        message: `Invalid parameter: Token Reason: Endpoint ${ENDPOINT} already exists with the same Token, but different attributes.`,
        $metadata: {},
      }),
    );
    sns.on(SetEndpointAttributesCommand).resolves({});
    expect(await push().createEndpoint('apns', 'tok-1', 'u-dave')).toBe(ENDPOINT);
    expect(sns.commandCalls(SetEndpointAttributesCommand)[0].args[0].input).toEqual({
      EndpointArn: ENDPOINT,
      Attributes: { CustomUserData: 'u-dave', Token: 'tok-1', Enabled: 'true' },
    });
  });

  it('NOTE-1: another InvalidParameter is not swallowed', async () => {
    sns
      .on(CreatePlatformEndpointCommand)
      .rejects(new InvalidParameterException({ message: 'Invalid parameter: Token', $metadata: {} }));
    await expect(push().createEndpoint('apns', 'bad', 'u-dana')).rejects.toThrow('Invalid parameter: Token');
  });

  it('NOTE-1: a platform without an application is not offered', () => {
    expect(push().offers('apns')).toBe(true);
    expect(push().offers('fcm')).toBe(false);
    const both = snsPush({ apps: { apns: APNS, fcm: FCM } });
    expect(both.offers('fcm')).toBe(true);
  });

  it('NOTE-1: one Publish per device, with the APNs payload and the FCM v1 message', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    const sent = await push().publish(
      ENDPOINT,
      'apns',
      renderFor('push', 'write', { title: 'T', body: 'B', data: { caseNumber: '00000042' } }),
    );
    expect(sent).toBe('sent');
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(input).toMatchObject({ TargetArn: ENDPOINT, MessageStructure: 'json' });
    const message = JSON.parse(input.Message!);
    expect(JSON.parse(message.APNS)).toEqual({
      aps: { alert: { title: 'T', body: 'B' }, sound: 'default' },
      caseNumber: '00000042',
    });
    expect(JSON.parse(message.GCM)).toEqual({
      fcmV1Message: { message: { notification: { title: 'T', body: 'B' }, data: { caseNumber: '00000042' } } },
    });
  });

  it('NOTE-1: EndpointDisabled is reported as disabled (the caller removes the device); other errors throw', async () => {
    sns.on(PublishCommand).rejectsOnce(new EndpointDisabledException({ message: 'Endpoint is disabled', $metadata: {} }));
    expect(await push().publish(ENDPOINT, 'apns', renderFor('push', 'write', { title: 'T', body: 'B', data: {} }))).toBe(
      'disabled',
    );
    sns.on(PublishCommand).rejects(new Error('throttled'));
    await expect(
      push().publish(ENDPOINT, 'apns', renderFor('push', 'write', { title: 'T', body: 'B', data: {} })),
    ).rejects.toThrow('throttled');
    sns.on(DeleteEndpointCommand).resolves({});
    await push().deleteEndpoint(ENDPOINT);
    expect(sns.commandCalls(DeleteEndpointCommand)[0].args[0].input).toEqual({ EndpointArn: ENDPOINT });
  });
});
