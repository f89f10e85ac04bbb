// au one net / KDDI (dion.ne.jp) error notices: "Could not be delivered to: <addr>" and the cause.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'kddi');

describe('kddi', () => {
  it('reads every "Could not be delivered to" block with its cause', () => {
    const r = parse(readFileSync(join(dir, 'remote-domain.eml')));
    expect(r.mta).toBe('kddi');
    expect(r.recipients.map((x) => x.address)).toEqual(['ken@no-such-domain.example', 'mai@y1234567.dion.ne.jp']);
    expect(r.recipients[0]?.reason).toBe('hostunknown');
    expect(r.recipients[0]?.diagnostic).toBe('As the remote domain doesnt exist.');
    expect(r.recipients[1]?.reason).toBe('mailboxfull');
    expect(r.messageId).toBe('yearend-2013@sender.example.jp');
  });

  it('survives junk and ignores ordinary au one net mail', () => {
    const mail = 'From: no-reply@x1.dion.ne.jp\nTo: a@example.org\nSubject: news\n\nYour mail sent on: yesterday was great.\n';
    expect(parse(mail).recipients).toHaveLength(0);
    expect(parse('').recipients).toHaveLength(0);
  });
});
