// The phrase scan answers the command question the same way the plain substring search does.
import { describe, expect, it } from 'vitest';
import { commandInText, REPORTED_COMMANDS } from '../../src/classify/command.js';
import { reasonHits } from '../../src/classify/reason-hits.js';

describe('reasonHits().command()', () => {
  const wordings = REPORTED_COMMANDS.flatMap(([, phrases]) => phrases);

  it.each([
    ['host mx said: 550 5.1.1 unknown user (in reply to rcpt to command)', 'RCPT'],
    ['smtp error from remote mail server after mail from:<a@b.c> size=1', 'MAIL'],
    ['after end of data: 550 rejected', 'DATA'],
    ['did not like our rcpt to: 550 no; also in reply to ehlo command', 'RCPT'],
    ['550 5.7.1 rejected', ''],
    ['', ''],
  ])('%j -> %j', (text, want) => {
    expect(reasonHits(text).command()).toBe(want);
    expect(commandInText(text)).toBe(want);
  });

  it('agrees with commandInText on texts naming several commands', () => {
    let seed = 3;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 4) }, () => wordings[Math.floor(random() * wordings.length)])
        .join(' … ');
      expect(reasonHits(text).command()).toBe(commandInText(text));
    }
  });
});
