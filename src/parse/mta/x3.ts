// x3: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const x3: Decoder = { name: 'x3', decode: () => null };
