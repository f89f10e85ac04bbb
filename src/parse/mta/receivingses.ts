// receivingses: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const receivingses: Decoder = { name: 'receivingses', decode: () => null };
