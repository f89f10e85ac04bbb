// BIGLOBE-platform ISPs: "----- The following addresses had delivery problems -----" notices.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'biglobe');

describe('biglobe', () => {
  it('reads every listed address with the non-delivered information', () => {
    const r = parse(readFileSync(join(dir, 'two-addresses.eml')));
    expect(r.mta).toBe('biglobe');
    expect(r.recipients.map((x) => x.address)).toEqual(['sato@mf.inacatv.ne.jp', 'suzuki@mf.inacatv.ne.jp']);
    expect(r.recipients[0]?.diagnostic).toBe('Mail Delivery Failed... User unknown');
    expect(r.messageId).toBe('invite-0210@events.example.jp');
  });

  it('reads the mailbox-full wording, even for a postmaster mailbox', () => {
    const text = [
      'From: postmaster@biglobe.ne.jp', 'To: a@sender.example', 'Subject: Returned mail: Service unavailable', '',
      '   ----- The following addresses had delivery problems -----', 'postmaster@mx9.biglobe.ne.jp', '',
      '   ----- Non-delivered information -----', "The number of messages in recipient's mailbox exceeded the local limit.", '',
    ].join('\n');
    const r = parse(text);
    expect(r.recipients[0]?.address).toBe('postmaster@mx9.biglobe.ne.jp');
    expect(r.recipients[0]?.reason).toBe('mailboxfull');
  });

  it('ignores other senders and junk', () => {
    expect(parse('From: postmaster@example.org\nSubject: Returned mail: x\n\n').mta).not.toBe('biglobe');
    expect(parse('').recipients).toHaveLength(0);
  });
});
