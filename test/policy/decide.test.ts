import { describe, expect, it } from 'vitest';
import { countingRun, DAY_MS, decide, POLICY_DEFAULTS, type PolicyConfig, type PolicyEvent } from '../../src/policy/index.js';

const T0 = Date.UTC(2026, 0, 1);
const day = (n: number): number => T0 + n * DAY_MS;

function ev(over: Partial<PolicyEvent>): PolicyEvent {
  return { kind: 'bounce', reason: 'userunknown', hard: true, fault: 'recipient', action: 'failed', at: day(0), trusted: true, ...over };
}

describe('suppression policy', () => {
  const cases: Array<[string, Partial<PolicyEvent>, readonly number[], string, string]> = [
    // name, event, earlier soft bounces (days), outcome, rule
    ['hard bounce suppresses at once', {}, [], 'suppress', 'hard-bounce'],
    ['hostunknown is hard', { reason: 'hostunknown' }, [], 'suppress', 'hard-bounce'],
    ['complaint suppresses', { kind: 'complaint', reason: 'feedback', hard: null, fault: 'none', action: '' }, [], 'suppress', 'complaint'],
    ['auto-reply never suppresses', { kind: 'auto-reply', reason: 'vacation', hard: null, fault: 'none', action: '' }, [], 'record', 'auto-reply'],
    ['delivery notice resets', { kind: 'delivered', reason: 'delivered', hard: null, fault: 'none', action: 'delivered' }, [], 'reset', 'delivered'],
    ['delay is recorded only', { kind: 'delay', reason: 'expired', hard: false, fault: 'transient', action: 'delayed' }, [], 'record', 'delay'],
    ['blocked is the sender\'s fault', { reason: 'blocked', hard: false, fault: 'sender' }, [], 'record', 'sender-fault'],
    ['spam rejection is the sender\'s fault', { reason: 'spamdetected', hard: false, fault: 'sender' }, [1, 2, 3, 4], 'record', 'sender-fault'],
    ['authfailure (DMARC) is the sender\'s fault', { reason: 'authfailure', hard: false, fault: 'sender' }, [], 'record', 'sender-fault'],
    ['rate limit is the sender\'s fault', { reason: 'speeding', hard: false, fault: 'sender' }, [], 'record', 'sender-fault'],
    ['forged bounce changes nothing', { trusted: false }, [], 'record', 'untrusted'],
    ['forged complaint changes nothing', { kind: 'complaint', reason: 'feedback', hard: null, fault: 'none', trusted: false }, [], 'record', 'untrusted'],
    ['first soft bounce is counted', { reason: 'mailboxfull', hard: false, fault: 'transient', at: day(0) }, [], 'count', 'soft-bounce'],
    ['third soft bounce over 3 days suppresses', { reason: 'mailboxfull', hard: false, fault: 'transient', at: day(4) }, [0, 2], 'suppress', 'soft-bounce'],
    ['three soft bounces in one day do not', { reason: 'mailboxfull', hard: false, fault: 'transient', at: day(0) + 3_600_000 }, [0, 0], 'count', 'soft-bounce'],
    ['soft bounces outside the window do not count', { reason: 'systemerror', hard: false, fault: 'transient', at: day(40) }, [0, 5], 'count', 'soft-bounce'],
    ['a quiet period makes counts stale', { reason: 'mailboxfull', hard: false, fault: 'transient', at: day(26) }, [0, 2, 4], 'count', 'soft-bounce'],
    ['notaccept 4xx is soft', { reason: 'notaccept', hard: false, fault: 'transient', at: day(1) }, [], 'count', 'soft-bounce'],
  ];
  it.each(cases)('%s', (_name, over, earlier, outcome, rule) => {
    const d = decide(ev(over), { softBounces: earlier.map(day) });
    expect(d.outcome).toBe(outcome);
    expect(d.rule).toBe(rule);
  });

  it('hard suppressions never expire, soft ones after 30 days', () => {
    expect(decide(ev({}), { softBounces: [] }).expiresAt).toBeNull();
    const d = decide(ev({ reason: 'mailboxfull', hard: false, fault: 'transient', at: day(4) }), { softBounces: [day(0), day(2)] });
    expect(d.expiresAt).toBe(day(34));
    expect(d.softCount).toBe(3);
  });

  it('a later successful delivery resets soft counts', () => {
    const e = ev({ reason: 'mailboxfull', hard: false, fault: 'transient', at: day(5) });
    expect(decide(e, { softBounces: [day(0), day(2)] }).outcome).toBe('suppress');
    expect(decide(e, { softBounces: [day(0), day(2)], lastDelivered: day(3) }).outcome).toBe('count');
  });

  it('configured rules override the defaults, first match wins', () => {
    const cfg: PolicyConfig = {
      ...POLICY_DEFAULTS,
      rules: [
        { reason: 'mailboxfull', action: 'count', count: 2, spreadDays: 0, expiryDays: 7 },
        { fault: 'sender', action: 'ignore' },
        { reason: 'suspend', action: 'suppress', expiryDays: null },
        { kind: 'complaint', action: 'suppress', expiryDays: 365 },
      ],
    };
    const full = decide(ev({ reason: 'mailboxfull', hard: false, fault: 'transient', at: day(1) }), { softBounces: [day(1)] }, cfg);
    expect(full).toMatchObject({ outcome: 'suppress', expiresAt: day(8) });
    expect(decide(ev({ reason: 'suspend', hard: false, fault: 'recipient' }), { softBounces: [] }, cfg).outcome).toBe('suppress');
    expect(decide(ev({ reason: 'blocked', hard: false, fault: 'sender' }), { softBounces: [] }, cfg).outcome).toBe('record');
    expect(decide(ev({ kind: 'complaint', reason: 'feedback', hard: null, fault: 'none' }), { softBounces: [] }, cfg).expiresAt).toBe(day(365));
  });

  it('countingRun keeps the latest run within window and after the last success', () => {
    expect(countingRun([day(0), day(1), day(20)], day(21), 30, 14).length).toBe(2);
    expect(countingRun([day(0), day(1)], day(2), 30, 14, day(1)).length).toBe(1);
    expect(countingRun([], day(0), 30, 14)).toEqual([day(0)]);
  });
});
