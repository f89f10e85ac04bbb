// x1: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const x1: Decoder = { name: 'x1', decode: () => null };
