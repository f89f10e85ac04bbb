// The bounce reasons Rebound reports. The vocabulary is Sisimai's (34 names), so results can be compared
// with the reference parser and with other tools that speak it.

export const REASONS = [
  'authfailure', 'badreputation', 'blocked', 'contenterror', 'delivered', 'exceedlimit', 'expired', 'feedback',
  'filtered', 'hasmoved', 'hostunknown', 'mailboxfull', 'mailererror', 'mesgtoobig', 'networkerror', 'norelaying',
  'notaccept', 'notcompliantrfc', 'onhold', 'policyviolation', 'rejected', 'requireptr', 'securityerror',
  'spamdetected', 'speeding', 'suspend', 'syntaxerror', 'systemerror', 'systemfull', 'toomanyconn', 'undefined',
  'userunknown', 'vacation', 'virusdetected',
] as const;

export type Reason = (typeof REASONS)[number];

const REASON_SET: ReadonlySet<string> = new Set(REASONS);

export function isReason(s: string): s is Reason {
  return REASON_SET.has(s);
}
