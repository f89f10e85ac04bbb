import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { courier } from '../../src/parse/mta/courier.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'courier', name));

describe('courier', () => {
  it('combines the report with the command and host of the text', () => {
    const r = parse(fixture('undeliverable.eml'));
    expect(r.mta).toBe('courier');
    expect(r.recipients).toHaveLength(2);
    const [client, info] = r.recipients;
    expect(client?.address).toBe('client@customer.example.fr');
    expect(client?.command).toBe('RCPT');
    expect(client?.remoteMta).toBe('mx.customer.example.fr');
    expect(client?.diagnostic).toBe('550 5.2.1 <client@customer.example.fr>: mailbox disabled');
    expect(info?.address).toBe('info@gone.example');
    expect(info?.diagnostic).toBe('No such domain.');
    const decoded = courier.decode(readEmail(fixture('undeliverable.eml')));
    expect(decoded?.recipients[1]?.reason).toBe('hostunknown');
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(courier, fixture('undeliverable.eml'));
  });
});
