import { describe, expect, it } from 'vitest';
import { decode, encode, fitsReadable, MAX_LOCAL_PART, MAX_PATH, VERP_DEFAULTS, VerpError, type VerpConfig } from '../../src/verp/codec.js';
import { rng } from '../support/rng.js';

const ATOM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&\'*+/=?^_`{|}~-';
const LABELS = ['example', 'mail', 'xn--bcher-kva', 'a', 'co', 'sub-domain', 'b2b', 'bücher', '例え', 'москва'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function randomAtom(r: () => number, max: number): string {
  let s = '';
  const n = 1 + Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += pick(r, ATOM.split(''));
  return s;
}

/** A random valid address: dot-atoms with + = . and friends, quoted local parts, UTF-8, IDN domains, long ones. */
function randomAddress(r: () => number): string {
  const kind = r();
  let local: string;
  if (kind < 0.6) local = Array.from({ length: 1 + Math.floor(r() * 3) }, () => randomAtom(r, 12)).join('.');
  else if (kind < 0.75) local = `"${randomAtom(r, 10)} ${randomAtom(r, 6)}"`;
  else if (kind < 0.85) local = pick(r, ['jöe', 'ñandú', '用户', 'пользователь']) + randomAtom(r, 4);
  else local = randomAtom(r, 60); // long: forces the compact form
  const labels = Array.from({ length: 2 + Math.floor(r() * 2) }, () => pick(r, LABELS));
  return `${local}@${labels.join('.')}`;
}

const unsigned: VerpConfig = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };
const signed: VerpConfig = { ...unsigned, secrets: ['new-secret-2026', 'old-secret-2025'] };
const NOW = Date.UTC(2026, 10, 29);

/** A tiny stand-in for the store's recipient-id table. */
class Ids {
  #byAddress = new Map<string, number>();
  #byId = new Map<number, string>();
  id(a: string): number {
    let n = this.#byAddress.get(a);
    if (n === undefined) {
      n = this.#byAddress.size + 1;
      this.#byAddress.set(a, n);
      this.#byId.set(n, a);
    }
    return n;
  }
  address(n: number): string | undefined {
    return this.#byId.get(n);
  }
}

function roundTrip(cfg: VerpConfig, a: string, ids: Ids, sendId?: string): { path: string; back: string | undefined; status: string } {
  const path = encode(a, cfg, { recipientId: ids.id(a), now: NOW, ...(sendId ? { sendId } : {}) });
  const d = decode(path, cfg, NOW);
  const back = d.recipient ?? (d.recipientId !== undefined ? ids.address(d.recipientId) : undefined);
  return { path, back, status: d.status };
}

describe('VERP codec', () => {
  it('writes the classic form', () => {
    expect(encode('joe@example.com', unsigned)).toBe('bounces+joe=example.com@bounces.example.org');
    expect(decode('bounces+joe=example.com@bounces.example.org', unsigned)).toEqual({ status: 'ok', recipient: 'joe@example.com' });
    expect(decode('<BOUNCES+joe=example.com@Bounces.Example.ORG>', unsigned).recipient).toBe('joe@example.com');
  });

  it('round-trips 10,000 generated addresses, unsigned and signed, within RFC 5321 limits', () => {
    const r = rng(7);
    const ids = new Ids();
    let compact = 0;
    for (let i = 0; i < 10_000; i++) {
      const a = randomAddress(r);
      for (const cfg of [unsigned, signed]) {
        const sendId = cfg === signed && r() < 0.3 ? `c${i}` : undefined;
        const { path, back, status } = roundTrip(cfg, a, ids, sendId);
        expect(status, path).toBe('ok');
        expect(back, path).toBe(a);
        const local = path.slice(0, path.lastIndexOf('@'));
        expect(Buffer.byteLength(local), path).toBeLessThanOrEqual(MAX_LOCAL_PART);
        expect(Buffer.byteLength(path)).toBeLessThanOrEqual(MAX_PATH);
        expect(path, 'return paths are ASCII').toMatch(/^[\x21-\x7e]+$/);
        if (!fitsReadable(a, cfg, sendId)) compact++;
      }
    }
    expect(compact).toBeGreaterThan(1000); // the generator does exercise the compact form
  });

  it('keeps tags valid when an MTA lower-cases the local part', () => {
    const path = encode('Joe.Smith+News@Example.com', signed, { now: NOW, sendId: 'spring-sale' });
    const d = decode(path.toLowerCase(), signed, NOW);
    expect(d.status).toBe('ok');
    expect(d.recipient).toBe('joe.smith+news@example.com');
    expect(d.sendId).toBe('spring-sale');
  });

  it('verifies with every configured secret (rotation) but signs with the first', () => {
    const old: VerpConfig = { ...signed, secrets: ['old-secret-2025'] };
    const path = encode('joe@example.com', old, { now: NOW });
    expect(decode(path, signed, NOW).status).toBe('ok');
    const fresh = encode('joe@example.com', signed, { now: NOW });
    expect(decode(fresh, old, NOW).status).toBe('bad-signature');
  });

  it('rejects tampering: another recipient, a changed tag, a changed send id, no tag, a forged secret', () => {
    const path = encode('joe@example.com', signed, { now: NOW, sendId: 'c1' });
    const tag = path.slice(path.lastIndexOf('+') + 1, path.indexOf('@'));
    expect(decode(`bounces+eve=example.com+${tag}@bounces.example.org`, signed, NOW).status).toBe('bad-signature');
    const flipped = tag.slice(0, -1) + (tag.endsWith('a') ? 'b' : 'a');
    expect(decode(`bounces+joe=example.com+${flipped}@bounces.example.org`, signed, NOW).status).toBe('bad-signature');
    expect(decode(`bounces+joe=example.com+${tag.replace('c1.', 'c2.')}@bounces.example.org`, signed, NOW).status).toBe('bad-signature');
    expect(decode('bounces+joe=example.com@bounces.example.org', signed, NOW).status).toBe('unsigned');
    const forged = encode('joe@example.com', { ...signed, secrets: ['guess'] }, { now: NOW });
    expect(decode(forged, signed, NOW).status).toBe('bad-signature');
    const ids = new Ids();
    const compact = encode('x'.repeat(70) + '@example.com', signed, { now: NOW, recipientId: ids.id('x') });
    expect(decode(compact.replace('+r1-', '+r2-'), signed, NOW).status).toBe('bad-signature');
  });

  it('expires tags after the validity period', () => {
    const path = encode('joe@example.com', signed, { now: NOW });
    expect(decode(path, signed, NOW + 60 * 86_400_000).status).toBe('ok');
    expect(decode(path, signed, NOW + 61 * 86_400_000).status).toBe('expired');
  });

  it('refuses what it cannot encode, with a clear error', () => {
    expect(() => encode('x'.repeat(70) + '@example.com', unsigned)).toThrow(VerpError);
    expect(() => encode('not-an-address', unsigned)).toThrow(/not an address/);
    expect(() => encode('joe@example.com', signed, { sendId: 'Bad Id!' })).toThrow(/send id/);
    expect(() => encode('joe@example.com', { ...unsigned, domains: [] })).toThrow(/bounce domain/);
  });

  it('says not-verp for other addresses', () => {
    for (const a of ['joe@example.com', 'bounces@example.org', 'bouncesx+joe=example.com@x.org', 'bounces+@x.org', 'bounces+joe=@x.org']) {
      expect(decode(a, signed, NOW).status, a).toBe('not-verp');
    }
  });
});
