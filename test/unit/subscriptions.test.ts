/**
 * Settings (NOTE-4), alarm filters (NOTE-2), account access and the favorite/account views
 * (PRIV-1, PRIV-2): pure rules, and PATCH /me/settings through its middy chain.
 */
import {
  DynamoDBDocumentClient,
  BatchGetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import { accountAccess, mayChangeSubscriptions } from '../../lambdas/domain/kernel/policy';
import { alarmWanted, mirrorFor } from '../../lambdas/domain/notifications/subscriptions';
import { viewFor } from '../../lambdas/domain/kernel/views';
import type { Case } from '../../lambdas/domain/kernel/types';
import { caller, org } from '../helpers/demo-caller';
import { apiEvent, lambdaContext } from '../helpers/events';
import { loadHandlerWithEnv } from '../helpers/function-env';

// Each handler with exactly the environment CDK gives its function.
const updateSettings = loadHandlerWithEnv('update-settings');
const putFavorite = loadHandlerWithEnv('put-favorite');

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const acme = org('ORG-ACME', { name: 'Acme Corp', alarmMonitoring: true });
const globex = org('ORG-GLOBEX', { name: 'Globex GmbH', gdpr: true });
const initech = org('ORG-INITECH', { name: 'Initech Federal', fedramp: true });
const designatedAt = (o: typeof acme, client: 'web' | 'mobile' = 'web') =>
  caller({ client, orgs: [o], memberships: [{ orgId: o.orgId, soldToOrgId: o.orgId, level: 'designated', via: 'direct' }] });

const givenUser = (settings: unknown = { defaultList: 'all', notifications: {} }) => {
  ddb.on(QueryCommand).resolves({
    Items: [
      {
        PK: 'USER#u-1',
        SK: 'PROFILE',
        userId: 'u-1',
        email: 'pat@acme.example',
        name: 'Pat',
        timeZone: 'UTC',
        termsVersion: CURRENT_TERMS.version,
        settings,
      },
      {
        PK: 'USER#u-1',
        SK: 'MEMBER#ORG-ACME#ORG-ACME',
        userId: 'u-1',
        orgId: 'ORG-ACME',
        soldToOrgId: 'ORG-ACME',
        level: 'designated',
        via: 'direct',
      },
    ],
  });
  ddb.on(BatchGetCommand).callsFake((input) => {
    const keys = Object.values(input.RequestItems)[0] as { Keys: { SK: string }[] };
    return {
      Responses: {
        [process.env.TABLE_NAME!]: keys.Keys.map((k) =>
          k.SK === 'ORG'
            ? { PK: 'ORG#ORG-ACME', SK: 'ORG', ...acme }
            : { endUserOrgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', contracts: [{ contractId: 'c', status: 'active' }] },
        ),
      },
    };
  });
};

const patch = (body: unknown) =>
  updateSettings(apiEvent({ routeKey: 'PATCH /me/settings', sub: 'u-1', body }), lambdaContext) as Promise<{
    statusCode: number;
    body: string;
  }>;

describe('NOTE-4 settings', () => {
  it('NOTE-4: name, email and time zone are refused with 400 naming each, and nothing is written', async () => {
    givenUser();
    const res = await patch({ name: 'New', email: 'x@acme.example', timeZone: 'Europe/Paris', defaultList: 'mine' });
    expect(res.statusCode).toBe(400);
    const paths = (JSON.parse(res.body).errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['email', 'name', 'timeZone']);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('NOTE-4: an unknown toggle or a bad alarm severity is 400 naming it', async () => {
    givenUser();
    const res = await patch({ notifications: { sms: true }, alarms: { severity: 'warning' } });
    expect(res.statusCode).toBe(400);
    const paths = (JSON.parse(res.body).errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['alarms.severity', 'notifications.sms']);
  });

  it("NOTE-4, NOTE-2: toggles, alarm filter and default list are the user's; alarms are mirrored onto the organisation", async () => {
    givenUser();
    ddb.on(TransactWriteCommand).resolves({});
    const res = await patch({
      defaultList: 'mine',
      notifications: { personalCases: true, alarms: true },
      alarms: { severity: 'critical', excludeOrigins: ['lab-01'] },
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      defaultList: 'mine',
      notifications: { personalCases: true, alarms: true, maintenance: false },
      alarms: { severity: 'critical', excludeOrigins: ['lab-01'] },
    });
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items.map((i) => i.Update?.Key)).toEqual([
      { PK: 'USER#u-1', SK: 'PROFILE' },
      { PK: 'ORG#ORG-ACME', SK: 'SUB#u-1' },
      // The caller carries the settings: its snapshot is invalidated with them.
      { PK: 'CALLER#u-1', SK: 'CALLER' },
    ]);
    expect(items[1].Update?.ExpressionAttributeValues?.[':alarms']).toEqual({ severity: 'critical', excludeOrigins: ['lab-01'] });
  });

  it('NOTE-4: changing only the default list writes the profile alone (and invalidates the caller snapshot), no organisation entry', async () => {
    givenUser();
    ddb.on(TransactWriteCommand).resolves({});
    const res = await patch({ defaultList: 'mine' });
    expect(res.statusCode).toBe(200);
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items.map((i) => i.Update?.Key)).toEqual([
      { PK: 'USER#u-1', SK: 'PROFILE' },
      { PK: 'CALLER#u-1', SK: 'CALLER' },
    ]);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('LIST-5 favorites input', () => {
  it('LIST-5: a kind other than case or account, or a malformed id, is 400 naming each, before any write', async () => {
    givenUser();
    const res = (await putFavorite(
      apiEvent({ routeKey: 'PUT /favorites/{kind}/{id}', pathParameters: { kind: 'user', id: 'ORG#X' }, sub: 'u-1' }),
      lambdaContext,
    )) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(400);
    expect((JSON.parse(res.body).errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['id', 'kind']);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('NOTE-2 alarm filters and subscribers', () => {
  it('NOTE-2: severity all takes every alarm; a severity is a minimum (major takes critical); excluded origins are left out', () => {
    const all = { severity: 'all' as const, excludeOrigins: ['Lab-01'] };
    expect(alarmWanted(all, { severity: 'minor', origin: 'prod-02' })).toBe(true);
    expect(alarmWanted(all, { severity: 'critical', origin: 'lab-01' })).toBe(false);
    const major = { severity: 'major' as const, excludeOrigins: [] };
    expect(alarmWanted(major, { severity: 'major' })).toBe(true);
    expect(alarmWanted(major, { severity: 'critical' })).toBe(true);
    expect(alarmWanted(major, { severity: 'minor' })).toBe(false);
    const critical = { severity: 'critical' as const, excludeOrigins: [] };
    expect(alarmWanted(critical, { severity: 'major' })).toBe(false);
    expect(alarmWanted(critical, { severity: 'critical' })).toBe(true);
    const minor = { severity: 'minor' as const, excludeOrigins: ['lab-01'] };
    expect(['critical', 'major', 'minor'].map((severity) => alarmWanted(minor, { severity }))).toEqual([true, true, true]);
    expect(alarmWanted(minor, { severity: 'critical', origin: 'LAB-01' })).toBe(false);
  });

  it('NOTE-2: alarms are mirrored only where the organisation has Remote Alarm Monitoring, and only for Designated Contacts', () => {
    const settings = { defaultList: 'all' as const, notifications: { alarms: true, maintenance: true } };
    expect(mirrorFor(designatedAt(acme), acme, settings)).toMatchObject({ alarms: { severity: 'all' }, maintenance: true });
    expect(mirrorFor(designatedAt(globex), globex, settings)).toMatchObject({ alarms: null, maintenance: true });
    const reader = caller({
      orgs: [acme],
      memberships: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'read_only', via: 'direct' }],
    });
    expect(mirrorFor(reader, acme, settings)).toBeUndefined();
  });

  it('ACC-2, NOTE-2: only a Designated Contact changes subscriptions; read-only and staff do not', () => {
    expect(mayChangeSubscriptions(designatedAt(acme), acme)).toBe(true);
    const reader = caller({
      orgs: [acme],
      memberships: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'read_only', via: 'direct' }],
    });
    expect(mayChangeSubscriptions(reader, acme)).toBe(false);
    expect(mayChangeSubscriptions(caller({ staff: { role: 'analyst', region: 'EU', supportGroups: [] } }), acme)).toBe(false);
  });
});

describe('accounts and favorites views', () => {
  it('PRIV-2: the mobile app never sees a FedRAMP account; the web does', () => {
    expect(accountAccess(designatedAt(initech, 'mobile'), initech)).toBe('none');
    expect(accountAccess(designatedAt(initech), initech)).toBe('write');
  });

  it('PRIV-3: an organisation the caller is no member of does not exist for them; basic members see it', () => {
    expect(accountAccess(designatedAt(acme), globex)).toBe('none');
    const basic = caller({
      orgs: [acme],
      memberships: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'basic', via: 'direct' }],
    });
    expect(accountAccess(basic, acme)).toBe('read');
  });

  it('PRIV-1: US staff see an EU/EEA account restricted, and its favorite case without subject or contact', () => {
    const alice = caller({ staff: { role: 'analyst', region: 'US', supportGroups: [] } });
    expect(accountAccess(alice, globex)).toBe('restricted');
    const c = {
      caseNumber: '00000007',
      subject: 'Anna Schmidt cannot log in',
      description: 'personal',
      contactName: 'Anna Schmidt',
      contactEmail: 'anna@globex.example',
      orgId: 'ORG-GLOBEX',
      severity: 'high',
      status: 'open',
    } as unknown as Case;
    const v = viewFor('favorite', { kind: 'case', id: c.caseNumber, createdAt: 't', available: true, case: c }, 'restricted');
    expect(v.case).toMatchObject({ caseNumber: '00000007', severity: 'high', restricted: true });
    expect(JSON.stringify(v)).not.toMatch(/Anna|anna|personal/);
    const full = viewFor('favorite', { kind: 'case', id: c.caseNumber, createdAt: 't', available: true, case: c }, 'staff');
    expect(full.case?.subject).toBe('Anna Schmidt cannot log in');
  });

  it('PRIV-1: an account view is an allow-list: a field added to organisation items later reaches nobody', () => {
    const withSecret = { ...acme, contracts: ['CT-9'], internalNote: 'x' } as unknown as typeof acme;
    expect(Object.keys(viewFor('account', withSecret, 'write'))).not.toEqual(expect.arrayContaining(['contracts']));
    expect(viewFor('account', withSecret, 'write')).not.toHaveProperty('internalNote');
    expect(viewFor('account', withSecret, 'write')).toMatchObject({ orgId: 'ORG-ACME', name: 'Acme Corp' });
  });
});
