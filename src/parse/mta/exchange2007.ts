// exchange2007: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const exchange2007: Decoder = { name: 'exchange2007', decode: () => null };
