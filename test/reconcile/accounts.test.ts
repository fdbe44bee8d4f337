// Which account an object uses and whether its namespace may (src/reconcile/accounts.ts), as a
// table; then the engine's side: status.account recorded with the create (its intent included),
// and a resource held in another account refused as a replacement with nothing sent.
import { describe, expect, it } from 'vitest';
import type { AwsAccount, AwsAccountSpec } from '../../src/api/index.js';
import { chooseAccount, selects, type NamespaceInfo } from '../../src/reconcile/accounts.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { opsOf, rig, widget } from './engine-fixture.js';

const account = (name: string, spec: Partial<AwsAccountSpec> = {}): AwsAccount => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'AwsAccount',
  metadata: { name },
  spec: { region: 'us-east-1', ...spec },
});
const ACCOUNTS = new Map(
  [
    account('prod', { tenancy: { allowedNamespaces: ['telephony'] } }),
    account('staging', { tenancy: { namespaceSelector: { matchLabels: { tier: 'staging' }, matchExpressions: [{ key: 'team', operator: 'In', values: ['voice', 'cc'] }] } } }),
    account('closed'),
    account('everyone', { tenancy: { namespaceSelector: {} } }),
  ].map((a) => [a.metadata.name, a]),
);
const obj = (namespace: string, accountRef?: string): ManagedObject => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceConnector',
  metadata: { name: 'trunk', namespace },
  spec: accountRef ? { accountRef: { name: accountRef } } : {},
});

describe('chooseAccount', () => {
  const cases: Array<{ reason: string; obj: ManagedObject; ns?: NamespaceInfo; want: string }> = [
    { reason: 'no reference, no annotation: the controller\'s own credentials', obj: obj('telephony'), ns: { name: 'telephony' }, want: 'ok: "" (default)' },
    { reason: 'spec.accountRef, the namespace listed', obj: obj('telephony', 'prod'), ns: { name: 'telephony' }, want: 'ok: "prod" (spec.accountRef)' },
    { reason: 'the namespace annotation', obj: obj('telephony'), ns: { name: 'telephony', annotations: { 'chimevoice.io/account': 'prod' } }, want: 'ok: "prod" (namespace annotation)' },
    { reason: 'spec.accountRef wins over the annotation', obj: obj('telephony', 'everyone'), ns: { name: 'telephony', annotations: { 'chimevoice.io/account': 'prod' } }, want: 'ok: "everyone" (spec.accountRef)' },
    { reason: 'a namespace not listed', obj: obj('sandbox', 'prod'), ns: { name: 'sandbox' }, want: 'AccountNotGranted' },
    { reason: 'an annotation naming an account that does not grant the namespace', obj: obj('sandbox'), ns: { name: 'sandbox', annotations: { 'chimevoice.io/account': 'prod' } }, want: 'AccountNotGranted' },
    { reason: 'the selector: labels and expression hold', obj: obj('qa', 'staging'), ns: { name: 'qa', labels: { tier: 'staging', team: 'cc' } }, want: 'ok: "staging" (spec.accountRef)' },
    { reason: 'the selector: the expression fails', obj: obj('qa', 'staging'), ns: { name: 'qa', labels: { tier: 'staging', team: 'web' } }, want: 'AccountNotGranted' },
    { reason: 'the selector: a namespace not known to the controller has no labels', obj: obj('qa', 'staging'), want: 'AccountNotGranted' },
    { reason: 'an account without tenancy grants nobody', obj: obj('telephony', 'closed'), ns: { name: 'telephony' }, want: 'AccountNotGranted' },
    { reason: 'an empty selector grants every namespace', obj: obj('anything', 'everyone'), ns: { name: 'anything' }, want: 'ok: "everyone" (spec.accountRef)' },
    { reason: 'an account that does not exist', obj: obj('telephony', 'nope'), ns: { name: 'telephony' }, want: 'AccountNotFound' },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const got = chooseAccount(c.obj, c.ns, (name) => ACCOUNTS.get(name));
      expect(got.ok ? `ok: "${got.name}" (${got.from})` : got.reason).toBe(c.want);
    });
  }

  it('says which namespace, which account and where it was named', () => {
    const got = chooseAccount(obj('sandbox'), { name: 'sandbox', annotations: { 'chimevoice.io/account': 'prod' } }, (n) => ACCOUNTS.get(n));
    expect(got.ok ? '' : got.message).toBe(
      'namespace sandbox is not granted AwsAccount prod (the annotation chimevoice.io/account of namespace sandbox): its spec.tenancy neither lists the namespace in allowedNamespaces nor selects it by namespaceSelector, so VoiceConnector trunk writes nothing to AWS',
    );
  });
});

describe('selects (Kubernetes label selector semantics)', () => {
  const labels = { tier: 'prod', team: 'voice' };
  it.each([
    [{ matchLabels: { tier: 'prod' } }, true],
    [{ matchLabels: { tier: 'prod', team: 'cc' } }, false],
    [{ matchExpressions: [{ key: 'team', operator: 'NotIn' as const, values: ['cc'] }] }, true],
    [{ matchExpressions: [{ key: 'absent', operator: 'NotIn' as const, values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'Exists' as const }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' as const }] }, false],
    [{ matchExpressions: [{ key: 'absent', operator: 'In' as const, values: ['x'] }] }, false],
  ])('%j → %s', (selector, want) => expect(selects(selector, labels)).toBe(want));
});

describe('the engine and status.account', () => {
  it('records the account with the create intent (before the call) and in the final status', async () => {
    const r = rig({ account: 'prod' });
    const result = await r.engine.reconcile(widget('w'), r.world, true);
    expect(result.phase).toBe('Ready');
    expect(result.status.account).toBe('prod');
    const intent = r.persisted.find((p) => p.status.createPending && p.callsBefore.length === 0);
    expect(intent?.status.account).toBe('prod');
  });

  it('a resource held in another account is a replacement: Stalled AccountChanged, "moves to ...: replace", nothing sent', async () => {
    const r = rig({ account: 'staging', seed: [{ Id: 'w-1', Name: 'w', Size: 1, Region: 'us-east-1' }] });
    const held = widget('w', {}, { status: { account: 'prod', atProvider: { widgetId: 'w-1' } } });
    const result = await r.engine.reconcile(held, r.world, true);
    expect(result.phase).toBe('Stalled');
    expect(result.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'AccountChanged' });
    expect(result.status.conditions?.find((c) => c.type === 'Ready')?.message).toContain('w moves to AwsAccount staging: replace. Its AWS resource is in AwsAccount prod');
    expect(result.status.account).toBe('prod');
    expect(r.cloud.calls).toEqual([]);
    // Deleting it does not delete in the account this engine reaches either.
    const deleted = await r.engine.delete(held, r.world);
    expect(deleted.phase).toBe('Stalled');
    expect(r.cloud.calls).toEqual([]);
  });

  it('plan says the same, and a status from before accounts counts as the controller\'s own account', async () => {
    const r = rig({ account: 'prod', dryRun: true });
    const result = await r.engine.reconcile(widget('w', {}, { status: { atProvider: { widgetId: 'w-1' } } }), r.world, true);
    expect(result.status.conditions?.find((c) => c.type === 'Ready')?.message).toContain("moves to AwsAccount prod: replace. Its AWS resource is in the controller's own account");
    expect(opsOf(result.actions)).toEqual([]);
  });

  it('an object that holds nothing yet may change account freely', async () => {
    const r = rig({ account: 'staging' });
    const result = await r.engine.reconcile(widget('w', {}, { status: { account: 'prod' } }), r.world, true);
    expect(result.phase).toBe('Ready');
    expect(result.status.account).toBe('staging');
  });

  it("the controller's own account leaves status.account absent, and refuses a resource another account holds (accounts switched off later)", async () => {
    const own = rig({ account: '' });
    const made = await own.engine.reconcile(widget('w'), own.world, true);
    expect(made.phase).toBe('Ready');
    expect('account' in made.status).toBe(false);
    expect(own.persisted.every((p) => p.status.account === undefined)).toBe(true);
    const r = rig({ account: '', seed: [{ Id: 'w-1', Name: 'w', Size: 1, Region: 'us-east-1' }] });
    const result = await r.engine.reconcile(widget('w', {}, { status: { account: 'prod', atProvider: { widgetId: 'w-1' } } }), r.world, true);
    expect(result.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'AccountChanged' });
    expect(result.status.conditions?.find((c) => c.type === 'Ready')?.message).toContain("moves to the controller's own account: replace");
    expect(r.cloud.calls).toEqual([]);
  });
});
