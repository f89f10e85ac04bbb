// Whose fault a bounce is: the recipient's address, our (the sender's) side, a transient condition,
// or nobody's (not a failure). One table; "notaccept" depends on whether the refusal was permanent.
import type { Fault } from '../parse/types.js';
import type { Reason } from './reasons.js';

const FAULT_OF: Readonly<Record<Reason, Fault>> = {
  // The address is bad or unreachable for good.
  userunknown: 'recipient', hostunknown: 'recipient', hasmoved: 'recipient', suspend: 'recipient',
  filtered: 'recipient', notaccept: 'recipient',
  // Something about us: our IP, domain, authentication, content or sending behaviour.
  blocked: 'sender', spamdetected: 'sender', policyviolation: 'sender', authfailure: 'sender',
  badreputation: 'sender', requireptr: 'sender', norelaying: 'sender', rejected: 'sender', speeding: 'sender',
  toomanyconn: 'sender', securityerror: 'sender', virusdetected: 'sender', contenterror: 'sender',
  notcompliantrfc: 'sender', syntaxerror: 'sender', mesgtoobig: 'sender', exceedlimit: 'sender',
  // Conditions that may clear up by themselves.
  mailboxfull: 'transient', networkerror: 'transient', systemerror: 'transient', systemfull: 'transient',
  expired: 'transient', mailererror: 'transient', onhold: 'transient', undefined: 'transient',
  // Not failures.
  delivered: 'none', feedback: 'none', vacation: 'none',
};

/** The party responsible; `permanent` matters only for "notaccept" (4xx: transient). */
export function faultOf(reason: Reason, permanent: boolean): Fault {
  if (reason === 'notaccept' && !permanent) return 'transient';
  return FAULT_OF[reason];
}
