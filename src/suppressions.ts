// Manual suppression changes (CLI, API, dashboard): each one audited and, in the same unit, queued for the
// webhooks and the users-table hook. Addresses are kept in lower case.
import type { Store, Suppression } from './store/types.js';
import { isAddress } from './parse/address.js';
import { suppressedNotice, unsuppressedNotice } from './notify/events.js';

export class InvalidAddressError extends Error {
  constructor(address: string) {
    super(`not an email address: ${address}`);
    this.name = 'InvalidAddressError';
  }
}

export function normaliseAddress(address: string): string {
  const a = address.trim().replace(/^<(.*)>$/, '$1').toLowerCase();
  if (!isAddress(a) || /\s/.test(a)) throw new InvalidAddressError(address);
  return a;
}

export interface ManualAdd {
  reason: string;
  note?: string;
  /** Days until it lapses; omitted = never. */
  expiresInDays?: number;
  actor?: 'manual';
  now?: number;
}

/** Add (or replace) a manual suppression. */
export async function suppressManually(store: Store, address: string, opts: ManualAdd): Promise<Suppression> {
  const a = normaliseAddress(address);
  const now = opts.now ?? Date.now();
  return store.unit(async (tx) => {
    const prev = await tx.getSuppression(a);
    const s: Suppression = {
      address: a,
      reason: opts.reason,
      fault: prev?.fault ?? 'none',
      kind: 'manual',
      sourceEventId: prev?.sourceEventId ?? null,
      firstSeen: prev?.firstSeen ?? now,
      lastSeen: now,
      count: prev?.count ?? 0,
      expiresAt: opts.expiresInDays === undefined ? null : now + opts.expiresInDays * 86_400_000,
      manual: true,
      rule: 'manual',
      note: opts.note ?? '',
    };
    await tx.putSuppression(s);
    await tx.audit({ address: a, change: prev ? 'update' : 'add', actor: 'manual', reason: opts.reason, eventId: null, at: now, detail: opts.note ?? '' });
    await tx.enqueueOutbox(suppressedNotice(s, prev ? 'update' : 'add', 'manual', now));
    return s;
  });
}

/** Remove a suppression (manual or automatic); false when there was none. */
export async function unsuppress(store: Store, address: string, note = '', now = Date.now()): Promise<boolean> {
  const a = normaliseAddress(address);
  return store.unit(async (tx) => {
    const prev = await tx.getSuppression(a);
    if (!prev) return false;
    await tx.deleteSuppression(a);
    await tx.audit({ address: a, change: 'remove', actor: 'manual', reason: prev.reason, eventId: null, at: now, detail: note });
    await tx.enqueueOutbox(unsuppressedNotice(a, 'remove', 'manual', prev.reason, now, note));
    return true;
  });
}
