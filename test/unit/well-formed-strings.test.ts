/**
 * Bad input: strings that are not well-formed UTF-16 (a lone surrogate, `"\ud800"`)
 * are refused by every schema, with a 400 naming the field, so they are never stored and sent to
 * other users' strict JSON clients.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  BatchGetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { isWellFormed, str } from '../../lambdas/schemas/common';
import { CreateUpdateBody } from '../../lambdas/schemas/cases';
import { CreateAccessRequestBody } from '../../lambdas/schemas/access-requests';
import { apiEvent, lambdaContext } from '../helpers/events';
import { loadHandlerWithEnv } from '../helpers/function-env';
import { ACME_COMBINATION_ITEM, ACME_ORG_ITEM } from '../helpers/directory-items';

const createCase = loadHandlerWithEnv('create-case');
const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

describe('well-formed strings', () => {
  it('the shared string type refuses lone surrogates, high or low, and keeps pairs and plain text', () => {
    for (const bad of ['\ud800', 'a\udc00b', 'x\ud83d', '\udfff\ud800']) expect(str().safeParse(bad).success).toBe(false);
    for (const good of ['', 'plain', 'Grüße 😀', '\ud83d\ude00', '日本語']) expect(str().safeParse(good).success).toBe(true);
    expect(isWellFormed('\ud800')).toBe(false);
  });

  it('schemas built from it refuse a lone surrogate on the field that holds it', () => {
    const update = CreateUpdateBody.safeParse({ body: 'fine \ud800 not' });
    expect(update.success).toBe(false);
    expect(update.error?.issues.map((i) => i.path.join('.'))).toEqual(['body']);
    const request = CreateAccessRequestBody.safeParse({
      email: 'new.person@acme.example',
      name: 'Ne\udc00w',
      level: 'read_only',
      combinations: [{ orgId: 'ORG-ACME' }],
    });
    expect(request.success).toBe(false);
    expect(request.error?.issues.map((i) => i.path.join('.'))).toContain('name');
  });

  it('every string of every schema module is the shared type (no bare z.string())', () => {
    const dir = join(__dirname, '../../lambdas/schemas');
    const bare = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        // z.string() possibly split over lines; the one allowed is the shared type's own definition.
        [...readFileSync(join(dir, f), 'utf8').matchAll(/z\s*\.string\(\)(\.check\(z\.refine\(isWellFormed)?/g)]
          .filter((m) => !(f === 'common.ts' && m[1]))
          .map((m) => `${f}: ${m[0]}`),
      );
    expect(bare).toEqual([]);
  });

  it('POST /cases with a lone surrogate in subject and description is a 400 naming both, and nothing is written', async () => {
    givenDana();
    const res = await createCase(
      apiEvent({
        routeKey: 'POST /cases',
        sub: 'u-dana',
        body: {
          kind: 'support',
          subject: 'Broken \ud800',
          description: '\udc00',
          severity: 'high',
          orgId: 'ORG-ACME',
          productLine: 'Genesys Cloud CX',
        },
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    const body = JSON.parse((res as { body: string }).body) as { type: string; errors: { path: string }[] };
    expect(body.type).toBe('/problems/validation');
    expect(body.errors.map((e) => e.path).sort()).toEqual(['description', 'subject']);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

const givenDana = () => {
  ddb.on(QueryCommand, { KeyConditionExpression: '#pk = :pk' }).resolves({
    Items: [
      {
        PK: 'USER#u-dana',
        SK: 'PROFILE',
        userId: 'u-dana',
        email: 'dana@acme.example',
        name: 'Dana',
        timeZone: 'UTC',
        termsVersion: '2026-10-01',
        settings: { defaultList: 'all', notifications: {} },
      },
      {
        PK: 'USER#u-dana',
        SK: 'MEMBER#ORG-ACME#ORG-ACME',
        userId: 'u-dana',
        orgId: 'ORG-ACME',
        soldToOrgId: 'ORG-ACME',
        level: 'designated',
        via: 'direct',
      },
    ],
  });
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { SK: string }[] }> }) => {
    const keys = Object.values(input.RequestItems)[0];
    return { Responses: { 'casework-test': keys.Keys.map((k) => (k.SK === 'ORG' ? ACME_ORG_ITEM : ACME_COMBINATION_ITEM)) } };
  });
};
