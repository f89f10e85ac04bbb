import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { outlook } from '../../src/parse/mta/outlook.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'outlook', name));

describe('outlook', () => {
  it('reads both recipients of a Hotmail report', () => {
    const r = parse(fixture('two-recipients.eml'));
    expect(r.mta).toBe('outlook');
    expect(r.messageId).toBe('COL129-W12A1B2C3D4E5F6@phx.gbl');
    expect(r.recipients.map((x) => [x.address, x.status])).toEqual([
      ['wang@campus.example.edu.cn', '5.1.1'],
      ['lab-list@campus.example.edu.cn', '5.7.1'],
    ]);
    expect(r.recipients[0]?.diagnostic).toBe('550 5.1.1 <wang@campus.example.edu.cn>: Recipient address rejected: User unknown');
  });

  it('uses the notice sentence when the report has no Diagnostic-Code', () => {
    const r = parse(fixture('unreachable-domain.eml'));
    expect(r.mta).toBe('outlook');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]?.address).toBe('reservas@hotel-sin-correo.example.es');
    expect(r.recipients[0]?.status).toBe('4.4.7');
    expect(r.recipients[0]?.diagnostic).toBe(
      'Unable to deliver message to the following recipients, due to being unable to connect successfully to the destination mail server.',
    );
  });

  it('survives junk and truncated copies', () => {
    checkJunk(outlook, fixture('two-recipients.eml'));
  });
});
