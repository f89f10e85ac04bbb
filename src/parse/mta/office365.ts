// office365: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const office365: Decoder = { name: 'office365', decode: () => null };
