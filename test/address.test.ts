// Addresses as bounces write them: recognising one, finding one in prose, reading a DSN address field.
import { describe, expect, it } from 'vitest';
import { fieldAddress, findAddress, isAddress } from '../src/parse/address.js';

describe('isAddress', () => {
  it.each([
    'joe@example.com', '"joe smith"@example.com', 'joe@[192.0.2.1]', 'joe@localhost', 'joe@例え.jp',
  ])('accepts %s', (a) => expect(isAddress(a)).toBe(true));

  it.each([
    'joe', '@example.com', 'joe@', 'joe smith@example.com', 'joe@example.com;', 'joe@example.com,', 'joe@exa:mple.com',
    'joe@<example.com>',
  ])('rejects %s', (a) => expect(isAddress(a)).toBe(false));
});

describe('findAddress', () => {
  it.each([
    ['550 5.1.1 <joe@example.com>... User unknown', 'joe@example.com'],
    ['Recipient: joe@example.com; reason: quota', 'joe@example.com'],
    ['bounces+joe=example.com@lists.example.org', 'bounces+joe=example.com@lists.example.org'],
    ['mailto:joe@example.com.', 'joe@example.com'],
    ['("joe"@example.com)', '"joe"@example.com'],
    ['no address here', undefined],
  ])('%s -> %s', (text, want) => expect(findAddress(text)).toBe(want));
});

describe('fieldAddress', () => {
  it.each([
    ['rfc822; joe@example.com', 'joe@example.com'],
    ['RFC822; <joe@example.com>', 'joe@example.com'],
    ['rfc822;joe@example.com;', 'joe@example.com'],
    ['utf-8; joe@例え.jp', 'joe@例え.jp'],
    ['unknown; joe', undefined],
  ])('%s -> %s', (value, want) => expect(fieldAddress(value)).toBe(want));
});
