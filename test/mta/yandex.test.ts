import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { yandex } from '../../src/parse/mta/yandex.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'yandex', name));

describe('yandex', () => {
  it('combines the report with the notice, which names the SMTP command', () => {
    const r = parse(fixture('data-rejection.eml'));
    expect(r.mta).toBe('yandex');
    expect(r.messageId).toBe('1570101600.cv@yandex.example.ru');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.address).toBe('hr@corp.example.kz');
    expect(x?.status).toBe('5.3.4');
    expect(x?.replyCode).toBe('552');
    expect(x?.command).toBe('DATA');
    expect(x?.remoteMta).toBe('mx.corp.example.kz');
    expect(x?.diagnostic).toBe('552 5.3.4 Message size exceeds fixed limit');
  });

  it('falls back to the notice when the report part is lost', () => {
    const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'yandex', 'data-rejection.eml'), 'latin1')
      .replace('Content-Type: message/delivery-status', 'Content-Type: application/octet-stream');
    const out = yandex.decode(readEmail(text));
    expect(out?.recipients.map((x) => [x.recipient, x.command, x.status])).toEqual([['hr@corp.example.kz', 'DATA', '5.3.4']]);
    expect(out?.recipients[0]?.diagnostic).toBe('552 5.3.4 Message size exceeds fixed limit');
  });

  it('survives junk and truncated copies', () => {
    checkJunk(yandex, fixture('data-rejection.eml'));
  });
});
