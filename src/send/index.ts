// The sending side (see sender.ts).
export { createSender, SendError, SEND_SOURCE, type RecipientOutcome, type Sender, type SenderOptions, type SendMessage, type SendReport } from './sender.js';
export { rejectionReport, statusOf, type Rejection } from './rejection-report.js';
export { unsubscribeHeaders, type UnsubscribeConfig } from './unsubscribe.js';
