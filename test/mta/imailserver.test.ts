import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { imailserver } from '../../src/parse/mta/imailserver.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'imailserver', name));

describe('imailserver', () => {
  it('reads one address per line with IMail\'s own texts', () => {
    const r = parse(fixture('two-lines.eml'));
    expect(r.mta).toBe('imailserver');
    expect(r.messageId).toBe('agenda-0811@townhall.example.org');
    expect(r.recipients.map((x) => x.address)).toEqual(['j.doe@county.example.gov', 'r.roe@county.example.gov']);
    expect(r.recipients[0]?.reason).toBe('userunknown');
    expect(r.recipients[0]?.diagnostic).toBe('Invalid final delivery userid: j.doe@county.example.gov');
    expect(r.recipients[1]?.reason).toBe('mailboxfull');
  });

  it('adds the remote server\'s response to the message body', () => {
    const r = parse(fixture('body-response.eml'));
    expect(r.mta).toBe('imailserver');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.address).toBe('marco@posta.example.it');
    expect(x?.command).toBe('DATA');
    expect(x?.replyCode).toBe('554');
    expect(x?.status).toBe('5.7.1');
    expect(x?.diagnostic).toContain('Message rejected as spam by content filter');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(imailserver, fixture('two-lines.eml'));
  });
});
