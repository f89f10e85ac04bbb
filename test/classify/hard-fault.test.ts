// Hard/soft and fault: one table each, checked here row by row.
import { describe, expect, it } from 'vitest';
import { faultOf } from '../../src/classify/fault.js';
import { isHard } from '../../src/classify/hard.js';
import { REASONS, type Reason } from '../../src/classify/reasons.js';

describe('isHard', () => {
  it.each(['userunknown', 'hostunknown', 'hasmoved'] as const)('%s is always hard', (reason) => {
    expect(isHard(reason, '5.1.1', '550')).toBe(true);
    expect(isHard(reason, '4.0.0', '')).toBe(true);
  });
  it('notaccept is hard only when permanent', () => {
    expect(isHard('notaccept', '5.1.10', '')).toBe(true);
    expect(isHard('notaccept', '', '556')).toBe(true);
    expect(isHard('notaccept', '4.0.932', '')).toBe(false);
    expect(isHard('notaccept', '4.3.2', '421')).toBe(false);
  });
  it.each(['delivered', 'feedback', 'vacation'] as const)('%s is not a bounce', (reason) => {
    expect(isHard(reason, '2.1.5', '250')).toBeNull();
  });
  it.each(['mailboxfull', 'filtered', 'suspend', 'blocked', 'onhold', 'undefined', 'expired'] as const)(
    '%s is soft even with 5xx', (reason) => {
      expect(isHard(reason, '5.2.2', '550')).toBe(false);
    },
  );
});

describe('faultOf', () => {
  const want: Readonly<Record<Reason, string>> = {
    userunknown: 'recipient', hostunknown: 'recipient', hasmoved: 'recipient', notaccept: 'recipient',
    suspend: 'recipient', filtered: 'recipient',
    blocked: 'sender', spamdetected: 'sender', policyviolation: 'sender', authfailure: 'sender',
    badreputation: 'sender', requireptr: 'sender', norelaying: 'sender', rejected: 'sender', speeding: 'sender',
    toomanyconn: 'sender', securityerror: 'sender', virusdetected: 'sender', contenterror: 'sender',
    notcompliantrfc: 'sender', syntaxerror: 'sender', mesgtoobig: 'sender', exceedlimit: 'sender',
    mailboxfull: 'transient', networkerror: 'transient', systemerror: 'transient', systemfull: 'transient',
    expired: 'transient', mailererror: 'transient', onhold: 'transient', undefined: 'transient',
    delivered: 'none', feedback: 'none', vacation: 'none',
  };
  it.each(REASONS.map((r) => [r, want[r]] as const))('%s -> %s', (reason, fault) => {
    expect(faultOf(reason, true)).toBe(fault);
  });
  it('a temporary notaccept is transient', () => {
    expect(faultOf('notaccept', false)).toBe('transient');
  });
});
