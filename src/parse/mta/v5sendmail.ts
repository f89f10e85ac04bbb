// v5sendmail: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const v5sendmail: Decoder = { name: 'v5sendmail', decode: () => null };
