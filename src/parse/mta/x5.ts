// x5: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const x5: Decoder = { name: 'x5', decode: () => null };
