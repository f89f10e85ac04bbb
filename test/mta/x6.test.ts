import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { x6 } from '../../src/parse/mta/x6.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'x6', name));

describe('x6', () => {
  it('reads a rejected recipient, folded over lines', () => {
    const r = parse(fixture('rejected-recipient.eml'));
    expect(r.mta).toBe('x6');
    expect(r.messageId).toBe('bts-2012-dad@brand.example');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.address).toBe('dad@family.example');
    expect(x?.command).toBe('RCPT');
    expect(x?.remoteMta).toBe('mx3.family.example');
    expect(x?.diagnostic).toBe(
      'SMTP Server <mx3.family.example> rejected recipient <dad@family.example> (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]',
    );
  });

  it('reads the "returned permanent errors" wording with several addresses', () => {
    const raw = fixture('rejected-recipient.eml')
      .toString('latin1')
      .replace(
        /SMTP Server <mx3[\s\S]*?unknown\]\n/,
        'The following recipients returned permanent errors: mom@family.example, kid@family.example. Reason: SMTP Server <192.0.2.9> refused to accept your message (DATA), with the following error message: [554 5.7.1 Message rejected as spam]\n',
      );
    const r = parse(raw);
    expect(r.recipients.map((x) => [x.address, x.command])).toEqual([
      ['mom@family.example', 'DATA'],
      ['kid@family.example', 'DATA'],
    ]);
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(x6, fixture('rejected-recipient.eml'));
  });
});
