// Types shared by the parser, its decoders and the classifier. No behaviour lives here.
import type { Reason } from '../classify/reasons.js';

/** What a returned message is, as a whole. */
export type Kind = 'bounce' | 'delay' | 'delivered' | 'complaint' | 'auto-reply' | 'not-bounce';

/** The RFC 3464 Action values, plus "" when a decoder could not tell. */
export type Action = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded' | '';

/** SMTP commands a rejection can be attributed to. */
export type SmtpCommand = 'CONN' | 'HELO' | 'EHLO' | 'STARTTLS' | 'AUTH' | 'MAIL' | 'RCPT' | 'DATA' | 'BDAT' | 'QUIT';

/**
 * One recipient's delivery status as a decoder read it, before classification.
 * Every field but `recipient` may be missing; the classifier fills the gaps.
 */
export interface RawStatus {
  /** The failed address (Final-Recipient, or what the MTA's text names). */
  recipient: string;
  /** Original-Recipient or the address a local alias expanded from. */
  alias?: string | undefined;
  action?: Action | undefined;
  /** Enhanced status code as written ("5.1.1"), possibly generic ("5.0.0"). */
  status?: string | undefined;
  /** Three-digit SMTP reply code. */
  replyCode?: string | undefined;
  /** The remote server's words (Diagnostic-Code text, or the MTA's prose). */
  diagnostic?: string | undefined;
  /** Diagnostic-Code type ("SMTP", "X-UNIX", "X-POSTFIX", …), upper case. */
  diagnosticType?: string | undefined;
  remoteMta?: string | undefined;
  reportingMta?: string | undefined;
  command?: SmtpCommand | undefined;
  /** A reason the decoder is sure of from the format itself (e.g. an MTA's own error token). */
  reason?: Reason | undefined;
  /** ARF Feedback-Type. */
  feedbackType?: string | undefined;
}

/** What one decoder returns for a message it recognises. */
export interface Decoded {
  /** Decoder name, e.g. "postfix", "rfc3464". */
  mta: string;
  recipients: RawStatus[];
  /** When the decoder knows the kind (complaint, auto-reply) it says so; otherwise it is derived. */
  kind?: Kind | undefined;
  /** The headers of the returned original message, when the decoder found them in a text body. */
  original?: string | undefined;
}

/** A classified recipient: the public shape of `rebound parse` output. */
export interface RecipientResult {
  address: string;
  action: Action;
  status: string;
  replyCode: string;
  reason: Reason;
  hard: boolean | null;
  fault: Fault;
  diagnostic: string;
  remoteMta: string;
  command: string;
  alias?: string;
  feedbackType?: string;
}

export type Fault = 'recipient' | 'sender' | 'transient' | 'none';

/** The VERP return path a bounce came back to. */
export interface VerpFound {
  /** The address as found (To, Delivered-To, …). */
  returnPath: string;
  /** The recipient a readable VERP address names; null for a compact token (resolve recipientId). */
  recipient: string | null;
  recipientId?: number | undefined;
}

/** The result of parsing one message. `parse()` always returns one; it never throws. */
export interface ParseResult {
  kind: Kind;
  recipients: RecipientResult[];
  verp: VerpFound | null;
  /** Decoder that read the message, or null when none did. */
  mta: string | null;
  /** Message-ID of the returned original message when found, else of the bounce itself. */
  messageId: string | null;
  /** Subject of the bounce. */
  subject: string;
  /** Limits hit while reading (the message was still parsed as far as the limits allow). */
  limits: string[];
  /** Set when the input could not be read as a message at all. */
  error?: string;
}
