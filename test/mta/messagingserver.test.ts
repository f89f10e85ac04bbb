import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { messagingserver } from '../../src/parse/mta/messagingserver.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'messagingserver', name));

describe('messagingserver', () => {
  it('reports the address the sender used, not the source route', () => {
    const r = parse(fixture('failed-source-route.eml'));
    expect(r.mta).toBe('messagingserver');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('desk@paper.example.net');
    expect(x?.status).toBe('5.2.2');
    expect(x?.diagnostic).toBe('552 5.2.2 Mailbox over quota');
    expect(x?.remoteMta).toBe('lmtp.paper.example.net');
  });

  it('reads the reason in the Status comment when there is no diagnostic', () => {
    const r = parse(fixture('illegal-host.eml'));
    const x = r.recipients[0];
    expect(x?.address).toBe('friend@typo-domain.example');
    expect(x?.status).toBe('5.4.4');
    expect(x?.diagnostic).toBe('Illegal host/domain name found');
    expect(messagingserver.decode(readEmail(fixture('illegal-host.eml')))?.recipients[0]?.reason).toBe('hostunknown');
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(messagingserver, fixture('failed-source-route.eml'));
  });
});
