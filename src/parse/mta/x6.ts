// x6: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const x6: Decoder = { name: 'x6', decode: () => null };
