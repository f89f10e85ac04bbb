import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { v5sendmail } from '../../src/parse/mta/v5sendmail.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'v5sendmail', name));

describe('v5sendmail', () => {
  it('reads each recipient line with the dialogue it came from', () => {
    const r = parse(fixture('two-hosts.eml'));
    expect(r.mta).toBe('v5sendmail');
    expect(r.messageId).toBe('9506062122.AA08810@gate.physics.example.edu');
    expect(r.recipients).toHaveLength(2);
    const [wong, curie] = r.recipients;
    expect(wong?.address).toBe('wong@chem.example.edu');
    expect(wong?.command).toBe('RCPT');
    expect(wong?.remoteMta).toBe('mail.chem.example.edu');
    expect(wong?.diagnostic).toBe('User unknown: 550 <wong@chem.example.edu>... User unknown');
    expect(curie?.address).toBe('curie@bio.example.org');
    expect(curie?.command).toBe('');
    expect(curie?.remoteMta).toBe('bio.example.org');
    expect(curie?.diagnostic).toBe('550 Host unknown (Authoritative answer from name server)');
  });

  it('falls back to the returned message when no line names a recipient', () => {
    const raw = fixture('two-hosts.eml')
      .toString('latin1')
      .replace(/While talking[\s\S]*?name server\)\n/, '421 chem.example.edu (smtp)... Deferred: Connection timed out during user open with chem.example.edu\n')
      .replace('To: wong@chem.example.edu, curie@bio.example.org', 'To: wong@chem.example.edu');
    const r = parse(raw);
    expect(r.mta).toBe('v5sendmail');
    expect(r.recipients.map((x) => x.address)).toEqual(['wong@chem.example.edu']);
    expect(r.recipients[0]?.diagnostic).toBe('Deferred: Connection timed out during user open with chem.example.edu');
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(v5sendmail, fixture('two-hosts.eml'));
  });
});
