// 1&1 / IONOS: "Mail delivery failed: returning message to sender" in 1&1's own layout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'einsundeins');

describe('einsundeins', () => {
  it('reads a relayed failure: remote host, command and the remote reply', () => {
    const r = parse(readFileSync(join(dir, 'remote-host.eml')));
    expect(r.mta).toBe('einsundeins');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.address).toBe('claire@orange.example.fr');
    expect(x?.remoteMta).toBe('smtp-in.orange.example.fr');
    expect(x?.command).toBe('RCPT');
    expect(x?.status).toBe('5.1.1');
    expect(x?.diagnostic).toContain('550 5.1.1 Adresse d au moins un destinataire invalide');
    expect(r.messageId).toBe('angebot-0603@smallbiz.example.de');
  });

  it('reads "For the following reason:" and 1&1\'s size-limit wording', () => {
    const text = [
      'From: "Mail Delivery System" <mailer-daemon@kundenserver.de>', 'To: me@home.example',
      'Subject: Mail delivery failed: returning message to sender', '',
      'This message was created automatically by mail delivery software.', '',
      'The following address failed:', '', 'big.files@archive.example', '', 'For the following reason:', '',
      'Mail size limit exceeded. For explanation visit', 'http://postmaster.1and1.com/en/error-messages?ip=%1s', '',
      '--- The header of the original message is following. ---', '', 'From: me@home.example', 'To: big.files@archive.example',
      'Subject: photos', '',
    ].join('\n');
    const r = parse(text);
    expect(r.recipients.map((x) => x.address)).toEqual(['big.files@archive.example']);
    expect(r.recipients[0]?.reason).toBe('mesgtoobig');
  });

  it('ignores junk', () => {
    expect(parse('').recipients).toHaveLength(0);
    expect(parse('From: "Mail Delivery System" <x@kundenserver.de>\nSubject: Mail delivery failed: returning message to sender\n\n').recipients).toHaveLength(0);
  });
});
