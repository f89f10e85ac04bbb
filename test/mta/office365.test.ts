import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { office365 } from '../../src/parse/mta/office365.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'office365', name));

describe('office365', () => {
  it('reads two recipients from the report and the administrators section', () => {
    const r = parse(fixture('two-recipients-2019.eml'));
    expect(r.mta).toBe('office365');
    expect(r.kind).toBe('bounce');
    expect(r.messageId).toBe('AM0PR07MB4417C1D2E3F4A5B6@AM0PR07MB4417.eurprd07.prod.outlook.com');
    expect(r.recipients.map((x) => x.address)).toEqual(['old.colleague@contoso.example', 'jonas@mail.partner.example']);
    const [local, remote] = r.recipients;
    expect(local?.status).toBe('5.1.10');
    expect(local?.diagnostic).toBe(
      "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient old.colleague@contoso.example not found by SMTP address lookup'",
    );
    expect(remote?.status).toBe('5.7.1');
    expect(remote?.replyCode).toBe('554');
    expect(remote?.remoteMta).toBe('mx01.mail.partner.example');
    expect(remote?.diagnostic).toContain('554 5.7.1 <jonas@mail.partner.example>: Relay access denied');
  });

  it('reads Exchange Online codes as what they mean (5.1.10 is an unknown recipient here)', () => {
    const out = office365.decode(readEmail(fixture('two-recipients-2019.eml')));
    expect(out?.recipients[0]?.reason).toBe('userunknown');
  });

  it('prefers the retry error over the vague 4.4.7 of a delay report', () => {
    const r = parse(fixture('delayed.eml'));
    expect(r.mta).toBe('office365');
    expect(r.kind).toBe('delay');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.action).toBe('delayed');
    expect(x?.status).toBe('4.4.312');
    expect(x?.diagnostic).toContain("returned '450 4.4.312 DNS query failed(ServerFailure)'");
    const raw = office365.decode(readEmail(fixture('delayed.eml')));
    expect(raw?.recipients[0]?.reason).toBe('networkerror');
  });

  it('reads a text-only NDR and the headers returned inline', () => {
    const r = parse(fixture('text-only.eml'));
    expect(r.mta).toBe('office365');
    expect(r.messageId).toBe('nl-2015-05.8821@newsletter.example.org');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]?.address).toBe('p.moreau@fabrikam.example');
    expect(r.recipients[0]?.status).toBe('5.2.2');
    expect(r.recipients[0]?.replyCode).toBe('554');
    expect(r.recipients[0]?.diagnostic).toContain('STOREDRV.Deliver.Exception:QuotaExceededException');
  });

  it('survives junk and truncated copies', () => {
    checkJunk(office365, fixture('two-recipients-2019.eml'));
    checkJunk(office365, fixture('text-only.eml'));
  });
});
