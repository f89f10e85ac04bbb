import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { exchange2007 } from '../../src/parse/mta/exchange2007.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'exchange2007', name));

describe('exchange2007', () => {
  it('reads a German NDR, taking the reply from the administrators section', () => {
    const r = parse(fixture('german-2010.eml'));
    expect(r.mta).toBe('exchange2007');
    expect(r.kind).toBe('bounce');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('h.meier@beispiel-gmbh.example');
    expect(x?.status).toBe('5.1.1');
    expect(x?.replyCode).toBe('550');
    expect(x?.diagnostic).toBe('#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##');
    expect(exchange2007.decode(readEmail(fixture('german-2010.eml')))?.recipients[0]?.reason).toBe('userunknown');
  });

  it('reads a French NDR without a report part: retries, remote host, inline headers', () => {
    const r = parse(fixture('expired-retries.eml'));
    expect(r.mta).toBe('exchange2007');
    expect(r.messageId).toBe('ab12cd34ef56@EX2016.ecole.example.fr');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.address).toBe('parents@association.example.org');
    expect(x?.status).toMatch(/^4\.4\./);
    expect(x?.remoteMta).toBe('mx.association.example.org');
    expect(x?.diagnostic).toContain("returned '550 4.4.7 QUEUE.Expired; message expired'");
    expect(x?.diagnostic).toContain('421 4.3.2 Service not available');
    const raw = exchange2007.decode(readEmail(fixture('expired-retries.eml')))?.recipients[0];
    expect(raw?.reason).toBe('expired'); // QUEUE.Expired
    expect(raw?.status).toBe('4.4.7'); // 4.4.0 says no more than the expiry itself
  });

  it('reads an NDR that came only as HTML', () => {
    const r = parse(fixture('html-only-size.eml'));
    expect(r.mta).toBe('exchange2007');
    expect(r.recipients.map((x) => x.address)).toEqual(['print-desk@corp.example.com']);
    expect(r.recipients[0]?.status).toBe('5.2.3');
    expect(r.recipients[0]?.diagnostic).toBe('#550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient ##');
    expect(exchange2007.decode(readEmail(fixture('html-only-size.eml')))?.recipients[0]?.reason).toBe('mesgtoobig');
  });

  it('leaves other "Undeliverable:" messages alone', () => {
    const other = 'From: postmaster@example.org\r\nSubject: Undeliverable: hello\r\n\r\nYour mail could not be delivered.\r\nuser@example.com\r\n';
    expect(exchange2007.decode(readEmail(other))).toBeNull();
  });

  it('survives junk and truncated copies', () => {
    checkJunk(exchange2007, fixture('german-2010.eml'));
    checkJunk(exchange2007, fixture('expired-retries.eml'));
  });
});
