// Reading a message: transfer decoding and the charset fast path for 7-bit messages.
import { describe, expect, it } from 'vitest';
import { utf8OrLatin } from '../src/parse/charset.js';
import { parseContentType } from '../src/parse/content-type.js';
import { readEmail } from '../src/parse/email.js';
import { decodeQuotedPrintable } from '../src/parse/transfer-encoding.js';

describe('decodeQuotedPrintable', () => {
  it.each([
    ['no escapes at all', 'plain text', 'plain text'],
    ['hex escapes, either case', 'caf=C3=A9 caf=c3=a9', 'caf\xc3\xa9 caf\xc3\xa9'],
    ['a soft line break', 'long li=\nne', 'long line'],
    ['a soft break with trailing blanks', 'long li= \t\nne', 'long line'],
    ['"=" as the last character', 'end=', 'end'],
    ['"=" followed by blanks only', 'end=  ', 'end'],
    ['an invalid escape kept as written', 'a=ZZb =4', 'a=ZZb =4'],
    ['an escape at the very start', '=41BC', 'ABC'],
    ['escapes back to back', '=41=42=43', 'ABC'],
  ])('%s', (_name, input, expected) => {
    expect(decodeQuotedPrintable(input)).toBe(expected);
  });

  it('matches a character-by-character reference on random input', () => {
    // reference: the straightforward loop the slice-copying decoder replaces
    const reference = (text: string): string => {
      let out = '';
      for (let i = 0; i < text.length; i++) {
        if (text[i] !== '=') {
          out += text[i];
          continue;
        }
        let j = i + 1;
        while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
        if (j >= text.length) break;
        if (text[j] === '\n') {
          i = j;
          continue;
        }
        const hex = text.slice(i + 1, i + 3);
        if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2;
        } else {
          out += '=';
        }
      }
      return out;
    };
    const alphabet = ['=', '=', 'A', 'f', '3', 'z', ' ', '\t', '\n', 'x', '0'];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 2000; k++) {
      let s = '';
      for (let i = rand(40); i > 0; i--) s += alphabet[rand(alphabet.length)];
      expect(decodeQuotedPrintable(s)).toBe(reference(s));
    }
  });
});

describe('charsets in a 7-bit message', () => {
  const message = (headers: string, body: string): Buffer => Buffer.from(`${headers}\r\n\r\n${body}`, 'latin1');

  it('leaves ASCII text as it is', () => {
    const e = readEmail(message('Subject: hello\r\nContent-Type: text/plain; charset=utf-8', 'all ascii\r\n'));
    expect(e.parts[0]?.text).toBe('all ascii\n');
  });

  it('still decodes quoted-printable bytes above 0x7f in a 7-bit message', () => {
    const e = readEmail(message(
      'Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable',
      'caf=C3=A9\r\n',
    ));
    expect(e.parts[0]?.text).toBe('café\n');
  });

  it('still decodes base64 in a 7-bit message', () => {
    const body = Buffer.from('grüße', 'utf8').toString('base64');
    const e = readEmail(message('Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64', body));
    expect(e.parts[0]?.text).toBe('grüße');
  });

  it('decodes ISO-2022-JP, which is 7-bit but shifts with ESC', () => {
    const jis = Buffer.from('\x1b$B$3$s$K$A$O\x1b(B', 'latin1'); // こんにちは
    const raw = Buffer.concat([Buffer.from('Subject: x\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\n', 'latin1'), jis]);
    expect(readEmail(raw).parts[0]?.text).toBe('こんにちは');
  });

  it('decodes 8-bit headers and bodies of a message that is not 7-bit', () => {
    const raw = Buffer.concat([
      Buffer.from('Subject: ', 'latin1'), Buffer.from('Grüße', 'utf8'),
      Buffer.from('\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n', 'latin1'), Buffer.from('Zustellung fehlgeschlagen: Grüße\r\n', 'utf8'),
    ]);
    const e = readEmail(raw);
    expect(e.subject).toBe('Grüße');
    expect(e.parts[0]?.text).toBe('Zustellung fehlgeschlagen: Grüße\n');
  });
});

describe('parseContentType', () => {
  it.each([
    ['type and quoted boundary', 'multipart/report; report-type=delivery-status;\n boundary="--=_Part 1;2"', 'multipart/report', { 'report-type': 'delivery-status', boundary: '--=_Part 1;2' }],
    ['a backslash quoting inside a quoted value', 'text/plain; name="a\\"b\\\\c"; charset=utf-8', 'text/plain', { name: 'a"b\\c', charset: 'utf-8' }],
    ['an unterminated quote runs to the end', 'text/plain; charset="utf-8', 'text/plain', { charset: 'utf-8' }],
    ['blanks and stray semicolons', 'TEXT/HTML ;;  charset = "iso-8859-1" ;', 'text/html', { charset: 'iso-8859-1' }],
    ['no semicolon before the parameter', 'text/plain charset=us-ascii', 'text/plain', {}],
    ['RFC 2231 continuations', "application/x; name*0=\"a\"; name*1=\"b\"; title*=utf-8''%E2%82%AC", 'application/x', { name: 'ab', title: '€' }],
    ['a missing value', '', 'text/plain', {}],
  ])('%s', (_name, value, type, params) => {
    const ct = parseContentType(value);
    expect(ct.type).toBe(type);
    expect({ ...ct.params }).toEqual(params);
  });
});

describe('utf8OrLatin', () => {
  const bin = (...parts: Array<string | number[]>): string =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))).toString('latin1');

  it('reads valid UTF-8 as UTF-8 and anything else byte by byte as windows-1252', () => {
    expect(utf8OrLatin(bin('grüße'))).toBe('grüße');
    expect(utf8OrLatin(bin('caf', [0xe9]))).toBe('café');
    expect(utf8OrLatin(bin('price ', [0x80], '5'))).toBe('price €5');
  });

  it('keeps the UTF-8 of mixed text: one stray byte does not turn the rest into mojibake', () => {
    // Postfix quotes an 8-bit local part byte by byte in one field of an otherwise UTF-8 report
    const text = bin('X-Postfix-Sender: rfc822; "nos\\', [0xc3], '\\', [0xbc], 'ch"@example.org\nFinal-Recipient: utf-8; nosüch@example.org');
    expect(utf8OrLatin(text)).toBe('X-Postfix-Sender: rfc822; "nos\\Ã\\¼ch"@example.org\nFinal-Recipient: utf-8; nosüch@example.org');
  });

  it('takes only well-formed sequences as UTF-8 (no overlong forms, surrogates or truncated sequences)', () => {
    expect(utf8OrLatin(bin([0xc0, 0xaf], 'ü'))).toBe('À¯ü'); // overlong "/"
    expect(utf8OrLatin(bin([0xed, 0xa0, 0x80], 'ü'))).toBe('í\u00a0€ü'); // a surrogate half
    expect(utf8OrLatin(bin('ü', [0xe2, 0x82]))).toBe('üâ‚'); // truncated at the end
    expect(utf8OrLatin(bin([0xf0, 0x9f, 0x98, 0x80, 0xff]))).toBe('😀ÿ');
  });
});
