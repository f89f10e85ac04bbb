// Opaque page cursors: the position after the last item of a page (an address or an event id), base64url
// so callers treat them as tokens rather than build them.
import { ApiError } from './errors.js';

function badCursor(): ApiError {
  return new ApiError(400, 'invalid-request', 'query/cursor: not a cursor this API issued');
}

export function encodeCursor(position: string | number): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

function decode(cursor: string): unknown {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? (v as { p?: unknown }).p : undefined;
  } catch {
    return undefined;
  }
}

export function addressCursor(cursor: string): string {
  const p = decode(cursor);
  if (typeof p !== 'string') throw badCursor();
  return p;
}

export function idCursor(cursor: string): number {
  const p = decode(cursor);
  if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 0) throw badCursor();
  return p;
}
