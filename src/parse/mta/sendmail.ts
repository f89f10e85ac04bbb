// sendmail: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const sendmail: Decoder = { name: 'sendmail', decode: () => null };
