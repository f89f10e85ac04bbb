// The multi-phrase matcher must report exactly what naive substring search reports.
import { describe, expect, it } from 'vitest';
import { PhraseIndex } from '../../src/classify/phrase-index.js';

function naive(phrases: readonly string[], text: string): number[] {
  return phrases.flatMap((p, id) => (text.includes(p) ? [id] : [])).sort((a, b) => a - b);
}

describe('PhraseIndex', () => {
  it('finds overlapping, nested and repeated phrases', () => {
    const phrases = ['user unknown', 'unknown', 'user', 'known user', 'nown', 'mailbox full', 'box'];
    const index = new PhraseIndex(phrases);
    const text = 'user unknown user; mailbox fullness';
    expect(index.scan(text).sort((a, b) => a - b)).toEqual(naive(phrases, text));
  });

  it('treats characters outside the alphabet (and non-ASCII) as separators', () => {
    const index = new PhraseIndex(['no such user']);
    expect(index.scan('no such\u00a0user')).toEqual([]);
    expect(index.scan('ユーザー no such user')).toEqual([0]);
    expect(index.scan('no such user')).toEqual([0]);
  });

  it('agrees with naive search on random texts', () => {
    const alphabet = 'abc ';
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const word = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(random() * 4)]).join('');
    const phrases = [...new Set(Array.from({ length: 60 }, () => word(1 + Math.floor(random() * 5))))];
    const index = new PhraseIndex(phrases);
    for (let i = 0; i < 300; i++) {
      const text = word(Math.floor(random() * 80));
      expect(index.scan(text).sort((a, b) => a - b)).toEqual(naive(phrases, text));
    }
  });

  it('agrees with naive search for long phrases (deep states without a full transition row)', () => {
    let seed = 19;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const word = (n: number): string => Array.from({ length: n }, () => 'ab '[Math.floor(random() * 3)]).join('');
    const phrases = [...new Set(Array.from({ length: 80 }, () => word(1 + Math.floor(random() * 14))))];
    const index = new PhraseIndex(phrases);
    for (let i = 0; i < 300; i++) {
      const text = word(Math.floor(random() * 120));
      expect(index.scan(text).sort((a, b) => a - b)).toEqual(naive(phrases, text));
    }
  });

  it('rejects phrases it cannot index', () => {
    expect(() => new PhraseIndex(['ünknown'])).toThrow();
    expect(() => new PhraseIndex(['twice', 'twice'])).toThrow();
  });
});
