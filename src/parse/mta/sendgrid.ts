// sendgrid: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const sendgrid: Decoder = { name: 'sendgrid', decode: () => null };
