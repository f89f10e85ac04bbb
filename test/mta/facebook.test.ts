import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { facebook } from '../../src/parse/mta/facebook.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'facebook', name));

describe('facebook', () => {
  it('reads the report and Facebook’s response code', () => {
    const r = parse(fixture('preferences.eml'));
    expect(r.mta).toBe('facebook');
    expect(r.messageId).toBe('inv-2012-08-17@sender.example.com');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('someone.profile@facebook.com');
    expect(x?.status).toBe('5.7.1');
    expect(x?.replyCode).toBe('550');
    expect(x?.diagnostic).toBe(
      '550 5.7.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=203.0.113.77#rcp Refused due to recipient preferences',
    );
    expect(facebook.decode(readEmail(fixture('preferences.eml')))?.recipients[0]?.reason).toBe('filtered');
  });

  it('survives junk and truncated copies', () => {
    checkJunk(facebook, fixture('preferences.eml'));
  });
});
