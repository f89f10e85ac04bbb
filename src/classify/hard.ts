// Hard or soft: a hard bounce means the address itself will never accept mail. Only the reasons that
// say so are hard; "notaccept" (the domain takes no mail) is hard when the refusal was permanent.
import type { Reason } from './reasons.js';

const ALWAYS_HARD: ReadonlySet<Reason> = new Set<Reason>(['userunknown', 'hostunknown', 'hasmoved']);
const NOT_A_BOUNCE: ReadonlySet<Reason> = new Set<Reason>(['delivered', 'feedback', 'vacation']);

/**
 * true = hard bounce, false = soft, null = not a bounce (delivered, feedback, vacation).
 * `status` and `replyCode` are the final codes of the recipient.
 */
export function isHard(reason: Reason, status: string, replyCode: string): boolean | null {
  if (NOT_A_BOUNCE.has(reason)) return null;
  if (ALWAYS_HARD.has(reason)) return true;
  if (reason !== 'notaccept') return false;
  return status.startsWith('5') || replyCode.startsWith('5');
}
