/**
 * PRIV-1 views as pure functions. Expectations come from PRODUCT.md PRIV-1 (subject, description,
 * update text, contact names and addresses are not shown to US staff) and the audit issue (phones,
 * escalation reasons, attachment names; history keeps `field` but loses `from`/`to` of personal
 * fields; fields added later must not leak).
 */
import { viewFor, viewCase, viewUpdate } from '../../lambdas/domain/kernel/views';
import type { AuditEvent, Case, CaseUpdate } from '../../lambdas/domain/kernel/types';

/** Every personal value below contains this, so one search of the JSON finds any leak. */
const P = 'PERSONAL';

const euCase = (extra: Record<string, unknown> = {}): Case =>
  ({
    caseNumber: '00001234',
    referenceId: 'ABCDEFGHJKMNPQRS',
    kind: 'support',
    subject: `${P} subject`,
    description: `${P} description`,
    severity: 'critical',
    status: 'awaiting_info',
    subStatus: `${P} waiting for Greta`,
    orgId: 'ORG-GLOBEX',
    soldToOrgId: 'ORG-GLOBEX',
    orgName: 'Globex',
    productLine: 'Genesys Cloud CX',
    supportGroup: 'Cloud CX Support',
    ownerId: 'u-eric',
    contactId: `u-${P}`,
    contactName: `${P} Greta`,
    contactEmail: `${P}@globex.example`,
    contactPhone: `+49 ${P} 1234`,
    escalated: true,
    escalation: {
      status: 'accepted',
      reason: `${P}: Hans Müller is blocked`,
      requestedBy: `u-${P}`,
      requestedAt: '2026-01-02T00:00:00.000Z',
      decidedBy: 'u-eric',
      decidedAt: '2026-01-03T00:00:00.000Z',
      comment: `${P} call Hans`,
    },
    closureRequest: { requestedBy: `u-${P}`, requestedAt: '2026-01-04T00:00:00.000Z' },
    waitingSince: '2026-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-04T00:00:00.000Z',
    version: 7,
    needsAction: false,
    ...extra,
  }) as Case;

const update = (extra: Partial<CaseUpdate> = {}): CaseUpdate => ({
  caseNumber: '00001234',
  updateId: '01J00000000000000000000000',
  authorId: `u-${P}`,
  authorName: `${P} Greta`,
  authorKind: 'customer',
  channel: 'email',
  visibility: 'public',
  subject: `${P} Re: phones`,
  body: `${P} body`,
  attachments: [{ name: `${P}-passport.pdf`, contentType: 'application/pdf', size: 1234, key: `k/${P}` }],
  createdAt: '2026-01-02T00:00:00.000Z',
  ...extra,
});

const event = (extra: Partial<AuditEvent>): AuditEvent => ({
  caseNumber: '00001234',
  eventId: 'e1',
  at: '2026-01-02T00:00:00.000Z',
  actorId: 'u-eric',
  actorName: 'Eric',
  actorKind: 'staff',
  action: 'update',
  ...extra,
});

describe('PRIV-1 views', () => {
  it('PRIV-1: a restricted case, list row or search hit carries no personal value, escalation and closure included', () => {
    for (const kind of ['case', 'caseRow', 'searchHit'] as const) {
      const view = viewFor(kind, euCase(), 'restricted');
      expect(JSON.stringify(view)).not.toContain(P);
      // The state stays visible: US staff see that the case exists and where it stands.
      expect(view).toMatchObject({
        caseNumber: '00001234',
        severity: 'critical',
        status: 'awaiting_info',
        orgName: 'Globex',
        escalated: true,
        escalation: { status: 'accepted', requestedAt: '2026-01-02T00:00:00.000Z' },
        closureRequest: { requestedAt: '2026-01-04T00:00:00.000Z' },
        version: 7,
        restricted: true,
      });
    }
  });

  it('PRIV-1: a field added to cases later does not reach restricted callers (allow-list)', () => {
    const view = viewFor('case', euCase({ notes: `${P} new free text`, contactAddress: { street: P } }), 'restricted');
    expect(JSON.stringify(view)).not.toContain(P);
    expect(view).not.toHaveProperty('notes');
    expect(view).not.toHaveProperty('contactAddress');
  });

  it('PRIV-1: a restricted update loses its text, subject, attachment names and customer author', () => {
    for (const mode of ['list', 'full'] as const) {
      const view = viewUpdate(update(), 'restricted', mode);
      expect(JSON.stringify(view)).not.toContain(P);
      expect(view).toMatchObject({ authorKind: 'customer', channel: 'email', restricted: true });
      expect(view.attachments).toEqual([{ contentType: 'application/pdf', size: 1234 }]);
    }
    // Vendor staff are not the EU organisation's personal data.
    expect(
      viewUpdate(update({ authorKind: 'staff', authorId: 'u-eric', authorName: 'Eric' }), 'restricted', 'full'),
    ).toMatchObject({ authorId: 'u-eric', authorName: 'Eric' });
  });

  it('PRIV-1: history keeps the field of a personal change but not its from/to, detail or customer actor', () => {
    const phone = viewFor('historyEvent', event({ field: 'contactPhone', from: `+49 ${P} 1`, to: `+49 ${P} 2` }), 'restricted');
    expect(phone).toMatchObject({ field: 'contactPhone', action: 'update', actorKind: 'staff' });
    expect(phone).not.toHaveProperty('from');
    expect(phone).not.toHaveProperty('to');
    const escalation = viewFor(
      'historyEvent',
      event({
        actorId: `u-${P}`,
        actorName: `${P} Greta`,
        actorKind: 'customer',
        action: 'escalation-requested',
        field: 'escalation',
        from: null,
        to: 'requested',
        detail: `${P}: Hans Müller is blocked`,
      }),
      'restricted',
    );
    expect(JSON.stringify([phone, escalation])).not.toContain(P);
    expect(escalation).toMatchObject({ field: 'escalation', to: 'requested', actorKind: 'customer' });
    // Case state changes stay readable (CASE-9).
    expect(viewFor('historyEvent', event({ field: 'status', from: 'open', to: 'closed' }), 'restricted')).toMatchObject({
      from: 'open',
      to: 'closed',
    });
    // A field the history gains later shows its name only.
    const later = viewFor('historyEvent', event({ field: 'contactAddress', from: P, to: P }), 'restricted');
    expect(JSON.stringify(later)).not.toContain(P);
  });

  it('PRIV-1: staff with full access, and the customer, still see everything', () => {
    for (const access of ['staff', 'read', 'write'] as const) {
      const view = viewCase(euCase(), access);
      expect(view).toMatchObject({ subject: `${P} subject`, contactPhone: `+49 ${P} 1234` });
      expect(view.escalation).toMatchObject({ reason: `${P}: Hans Müller is blocked` });
      expect(view).not.toHaveProperty('restricted');
      expect(view).not.toHaveProperty('waitingSince');
      // S3 keys (rawKey, an attachment's key) are Casework's, never a customer's.
      const { key: _k, ...attachment } = update().attachments[0];
      expect(viewUpdate(update({ rawKey: 'inbound/x' }), access, 'full')).toEqual(
        access === 'staff' ? update({ rawKey: 'inbound/x' }) : update({ attachments: [attachment] }),
      );
      const e = event({ field: 'contactPhone', from: 'a', to: 'b', detail: 'd' });
      expect(viewFor('historyEvent', e, access)).toEqual(e);
    }
  });

  it('CASE-6: email updates list by subject; the full text is fetched on demand', () => {
    const row = viewUpdate(update(), 'staff', 'list');
    expect(row).not.toHaveProperty('body');
    expect(row.subject).toBe(`${P} Re: phones`);
    expect(viewUpdate(update({ channel: 'portal' }), 'staff', 'list')).toHaveProperty('body');
  });
});
