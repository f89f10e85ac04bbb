// domino: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const domino: Decoder = { name: 'domino', decode: () => null };
