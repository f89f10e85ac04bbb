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

  it('reports the original address when the final one is the server\'s message-store channel (no dot in its domain)', () => {
    const r = parse(fixture('store-channel.eml'));
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ address: 'reader@example.com', reason: 'mailboxfull', diagnostic: 'recipient reached disk quota' });
    expect(r.recipients[0]?.alias).toBeUndefined();
  });

  it('reads PMDF\'s reason, written as free lines under the address fields, and names the original address as the alias', () => {
    const r = parse(fixture('pmdf-free-text.eml'));
    expect(r.mta).toBe('messagingserver');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({
      address: 'READER@vms.hub.example.ch', alias: 'reader@example.ch', reason: 'mailboxfull', hard: false,
      diagnostic: '%MAIL-E-OPENOUT, error opening !AS as output -RMS-E-CRE, ACP file create failed -SYSTEM-F-EXDISKQUOTA, disk quota exceeded',
    });
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(messagingserver, fixture('failed-source-route.eml'));
  });
});
