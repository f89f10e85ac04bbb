// x2: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const x2: Decoder = { name: 'x2', decode: () => null };
