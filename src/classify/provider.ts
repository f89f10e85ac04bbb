// Per-receiving-provider overrides. Large mailbox providers document their own rejection texts and
// codes (Gmail's "5.7.26 … DMARC policy", Orange's "OFR_416", Cox's "AUP#CXBL"); when the remote MTA
// (or, for a few, the recipient domain) belongs to one of them, its table is consulted before the
// generic rules. Every table is data; the matching helpers at the bottom are shared.
import type { Reason } from './reasons.js';
import { includesAny } from './text.js';

/** What a provider table looks at. `text` is the lower-cased, bounded diagnostic. */
export interface ProviderFacts {
  readonly text: string;
  readonly status: string;
  readonly replyCode: string;
  readonly command: string;
}

interface Provider {
  readonly name: string;
  /** Remote MTA host name suffixes (lower case). */
  readonly hosts: readonly string[];
  /** Recipient domains (exact or parent domain) the provider is known to serve. */
  readonly domains?: readonly string[];
  /** Decoders whose bounces this provider generated itself (its NDRs use its own codes). */
  readonly mtas?: readonly string[];
  readonly decide: (f: ProviderFacts) => Reason | undefined;
}

/** [reason, phrases]: the first reason with a phrase in the text wins. */
type PhraseTable = ReadonlyArray<readonly [Reason, readonly string[]]>;

/** A documented reply: the phrase, plus the codes it is sent with. Codes are compared without their
 *  class digit (Gmail sends the same text as 421 4.7.x and 550 5.7.x). */
interface CodedText {
  readonly reason: Reason;
  readonly reply: string;
  readonly status: string;
  readonly phrase: string;
}

// ---------------------------------------------------------------------------------------------
// Google (Gmail and Google Workspace inbound): https://support.google.com/a/answer/3726730
const GOOGLE_REPLIES: readonly CodedText[] = [
  coded('authfailure', '451', '4.7.24', 'the spf record of the sending domain'),
  coded('authfailure', '550', '5.7.24', 'the spf record of the sending domain'),
  coded('authfailure', '421', '4.7.26', 'senders to authenticate with either spf or dkim'),
  coded('authfailure', '550', '5.7.26', 'fails to pass spf checks for an spf record with a hard fail'),
  coded('authfailure', '550', '5.7.26', 'has an spf record with a hard fail policy'),
  coded('authfailure', '550', '5.7.26', 'is not accepted due to domain\'s dmarc policy'),
  coded('authfailure', '550', '5.7.1', 'fails to pass authentication checks'),
  coded('authfailure', '550', '5.7.26', 'fails to pass authentication checks'),
  coded('authfailure', '421', '4.7.27', 'senders to authenticate with spf'),
  coded('authfailure', '421', '4.7.27', 'senders to authenticate their email with spf'),
  coded('authfailure', '421', '4.7.30', 'senders to authenticate their email with dkim'),
  coded('authfailure', '550', '5.7.30', 'senders to authenticate with dkim'),
  coded('authfailure', '421', '4.7.32', 'aligned with either the authenticated spf or dkim'),
  coded('authfailure', '421', '4.7.40', 'to add a dmarc record to '),
  coded('badreputation', '421', '4.7.0', 'very low reputation of the sending ip address'),
  coded('badreputation', '421', '4.7.0', 'very low reputation of the sending domain'),
  coded('badreputation', '550', '5.7.1', 'due to the very low reputation of the sending ip address'),
  coded('badreputation', '550', '5.7.1', 'due to the very low reputation of the sending domain'),
  coded('blocked', '421', '4.7.0', 'ip not in whitelist for rcpt domain'),
  coded('blocked', '421', '4.7.0', 'try again later, closing connection.'),
  coded('blocked', '501', '5.5.4', 'empty helo/ehlo argument not allowed'),
  coded('blocked', '501', '5.5.4', 'helo/ehlo argument is invalid'),
  coded('blocked', '421', '4.7.0', 'an unusual rate of unsolicited mail'),
  coded('blocked', '421', '4.7.28', 'an unusual rate of mail'),
  coded('blocked', '550', '5.7.1', 'an unusual rate of unsolicited mail'),
  coded('blocked', '550', '5.7.28', 'an unusual rate of unsolicited mail'),
  coded('exceedlimit', '552', '5.2.3', 'exceeded google\'s message size limits'),
  coded('exceedlimit', '552', '5.3.4', 'exceeds google\'s limit of limit attachments.'),
  coded('exceedlimit', '552', '5.3.4', 'your message exceeded google\'s message header size limits'),
  coded('exceedlimit', '552', '5.3.4', 'bytes per individual header size'),
  coded('expired', '421', '4.7.0', 'connection expired'),
  coded('expired', '451', '4.4.2', 'timeout - closing connection'),
  coded('securityerror', '530', '5.7.0', 'must issue a starttls command first'),
  coded('securityerror', '421', '4.7.0', 'tls required for rcpt domain'),
  coded('mailboxfull', '452', '4.2.2', 'inbox is out of storage space'),
  coded('mailboxfull', '552', '5.2.2', 'inbox is out of storage space and inactive'),
  coded('mailboxfull', '452', '4.2.2', 'is over quota'),
  coded('mailboxfull', '552', '5.2.2', 'is over quota'),
  coded('mailboxfull', '550', '5.7.1', 'email quota exceeded'),
  coded('mesgtoobig', '552', '5.3.4', 'exceeded google\'s message size limits'),
  coded('mesgtoobig', '552', '5.3.4', 'exceeds google\'s message size limit of'),
  coded('networkerror', '554', '5.4.6', 'message exceeded 50 hops'),
  coded('networkerror', '554', '5.6.0', 'message exceeded 50 hops'),
  coded('norelaying', '550', '5.7.0', 'mail relay denied'),
  coded('norelaying', '550', '5.7.1', 'invalid credentials for relay'),
  coded('norelaying', '550', '5.7.1', 'is not authorized to send email directly to our servers'),
  coded('notcompliantrfc', '550', '5.7.1', 'missing a valid address in the from: header'),
  coded('notcompliantrfc', '550', '5.7.1', 'multiple addresses in from: header are not accepted'),
  coded('notcompliantrfc', '550', '5.7.1', 'is not rfc 5322 compliant'),
  coded('notcompliantrfc', '550', '5.7.1', 'missing a valid message-id: header'),
  coded('notcompliantrfc', '550', '5.7.1', 'contains a unicode character in a disallowed header'),
  coded('notcompliantrfc', '550', '5.7.1', 'encoded-word syntax is not permitted'),
  coded('notcompliantrfc', '553', '5.1.7', 'is not a valid rfc 5321 address'),
  coded('notcompliantrfc', '554', '5.6.0', 'mail message is malformed'),
  coded('policyviolation', '552', '5.7.0', 'illegal attachment on your message'),
  coded('policyviolation', '552', '5.7.0', 'blocked because its content presents a potential security issue'),
  coded('policyviolation', '550', '5.7.1', 'you are sending to (or from) has a policy that prohibited'),
  coded('policyviolation', '421', '4.7.28', 'sending messages with the same message-id:'),
  coded('rejected', '550', '5.7.0', 'mail sending denied'),
  coded('rejected', '550', '5.7.1', 'unauthenticated email is not accepted'),
  coded('requireptr', '421', '4.7.0', 'does not have a ptr record'),
  coded('requireptr', '421', '4.7.23', ' have a ptr record, or the ptr record'),
  coded('requireptr', '550', '5.7.1', 'does not meet ipv6 sending guidelines regarding ptr records and authentication'),
  coded('requireptr', '550', '5.7.25', 'does not have a ptr record'),
  coded('requireptr', '550', '5.7.25', 'does not match the ip address of the hostname'),
  coded('securityerror', '454', '4.7.0', 'too many login attempts'),
  coded('securityerror', '503', '5.7.0', 'no identity changes permitted'),
  coded('securityerror', '530', '5.5.1', 'authentication required.'),
  coded('securityerror', '535', '5.7.1', 'application-specific password required'),
  coded('securityerror', '535', '5.7.1', 'please log in with your web browser'),
  coded('securityerror', '534', '5.7.14', 'please log in through your web browser'),
  coded('securityerror', '535', '5.7.1', 'username and password not accepted'),
  coded('spamdetected', '421', '4.7.0', 'due to the nature of the content or the links within'),
  coded('spamdetected', '550', '5.7.1', 'likely unsolicited mail'),
  coded('speeding', '450', '4.2.1', 'is receiving mail too quickly'),
  coded('speeding', '450', '4.2.1', 'peak smtp relay limit exceeded for customer'),
  coded('speeding', '450', '4.2.1', 'rate that prevents additional messages from being delivered'),
  coded('speeding', '550', '5.4.5', 'daily sending quota exceeded'),
  coded('speeding', '550', '5.4.5', 'daily user sending limit exceeded'),
  coded('speeding', '550', '5.4.5', 'daily smtp relay limit exceeded for'),
  coded('speeding', '550', '5.7.1', 'daily smtp relay limit exceeded for'),
  coded('speeding', '550', '5.7.1', 'this mail has been rate limited'),
  coded('suspend', '550', '5.2.1', 'account that you tried to reach is disabled'),
  coded('suspend', '550', '5.2.1', 'account that you tried to reach is inactive'),
  coded('syntaxerror', '451', '4.5.0', 'smtp protocol violation'),
  coded('syntaxerror', '525', '5.7.10', 'smtp protocol violation'),
  coded('syntaxerror', '501', '5.5.2', 'syntax error'),
  coded('syntaxerror', '555', '5.5.2', 'syntax error'),
  coded('syntaxerror', '502', '5.5.1', 'unrecognized command'),
  coded('syntaxerror', '503', '5.5.1', 'bad sequence of commands'),
  coded('syntaxerror', '503', '5.5.1', 'rcpt first'),
  coded('syntaxerror', '503', '5.5.1', 'mail first'),
  coded('syntaxerror', '554', '5.7.0', 'too many unauthenticated commands'),
  coded('systemerror', '421', '4.3.0', 'temporary system problem'),
  coded('systemerror', '421', '4.7.0', 'temporary system problem'),
  coded('systemerror', '421', '4.4.5', 'server busy'),
  coded('systemerror', '451', '4.3.0', 'multiple destination domains per transaction is unsupported'),
  coded('systemerror', '451', '4.3.0', 'mail server temporarily rejected message'),
  coded('systemerror', '452', '4.5.3', 'domain policy size per transaction exceeded'),
  coded('toomanyconn', '452', '4.5.3', 'your message has too many recipients'),
  coded('toomanyconn', '550', '5.5.3', 'too many recipients for this sender'),
  coded('userunknown', '550', '5.1.1', 'the email account that you tried to reach does not exist'),
  coded('userunknown', '553', '5.1.2', 'we weren\'t able to find the recipient domain'),
  coded('userunknown', '553', '5.1.3', 'is not a valid rfc 5321 address'),
];

function decideGoogle(f: ProviderFacts): Reason | undefined {
  if (f.replyCode === '' || f.status === '') return undefined;
  const reply = f.replyCode.slice(1);
  const status = f.status.slice(1);
  for (const rule of GOOGLE_REPLIES) {
    if (rule.reply.slice(1) === reply && rule.status.slice(1) === status && f.text.includes(rule.phrase)) {
      return rule.reason;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Google Workspace outbound relay (the bounce is Google's own, remote MTA "googlemail.com").
function decideGoogleWorkspace(f: ProviderFacts): Reason | undefined {
  const klass = f.status.charAt(0) || f.replyCode.charAt(0);
  if (f.text.includes('null mx')) return 'notaccept';
  if (f.text.includes('because the address couldn\'t be found. check for typos or unnecessary spaces')) {
    return 'userunknown';
  }
  if (includesAny(f.text, [' responded with code nxdomain', 'domain name not found', ' had no relevant answers.'])) {
    return klass === '5' ? 'hostunknown' : 'networkerror';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Microsoft Exchange Online / Outlook.com inbound:
// https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online
interface ExchangeRule {
  readonly reason: Reason;
  /** Exact status, or a "5.7." prefix with an inclusive detail range. */
  readonly status: string;
  readonly range?: readonly [number, number];
  readonly phrase: string;
}

const EXCHANGE_REPLIES: readonly ExchangeRule[] = [
  { reason: 'authfailure', status: '4.7.26', phrase: 'must pass either spf or dkim validation, this message is not signed' },
  { reason: 'authfailure', status: '5.7.23', phrase: 'the message was rejected because of sender policy framework violation' },
  { reason: 'authfailure', status: '5.7.509', phrase: 'does not pass dmarc verification' },
  { reason: 'authfailure', status: '5.7.515', phrase: 'doesn\'t meet the required authentication level' },
  { reason: 'badreputation', status: '4.7.650', phrase: 'has been temporarily rate limited due to ip reputation' },
  { reason: 'blocked', status: '4.4.2', phrase: 'connection dropped' },
  { reason: 'blocked', status: '5.7.25', phrase: 'must have a reverse dns record' },
  { reason: 'blocked', status: '5.7.506', phrase: 'access denied, bad helo' },
  { reason: 'blocked', status: '5.7.507', phrase: 'access denied, rejected by recipient' },
  { reason: 'blocked', status: '5.7.510', phrase: 'does not accept email over ipv6' },
  { reason: 'blocked', status: '5.7.511', phrase: 'access denied, banned sender' },
  { reason: 'blocked', status: '5.7.513', phrase: 'using customer block list' },
  { reason: 'blocked', status: '5.7.', range: [606, 649], phrase: 'access denied, banned sending ip ' },
  { reason: 'blocked', status: '4.7.', range: [500, 899], phrase: 'access denied, please try again later' },
  { reason: 'blocked', status: '5.7.1', phrase: 'part of their network is on our block list (s3150)' },
  { reason: 'contenterror', status: '5.6.11', phrase: 'invalid characters' },
  { reason: 'contenterror', status: '5.5.6', phrase: 'invalid message content' },
  { reason: 'mesgtoobig', status: '5.2.3', phrase: 'resolver.rst.recipsizelimit; message too large for this recipient' },
  { reason: 'mesgtoobig', status: '5.3.4', phrase: 'message size exceeds fixed maximum message size' },
  { reason: 'mesgtoobig', status: '5.3.4', phrase: 'message too big for system' },
  { reason: 'expired', status: '4.4.1', phrase: 'connection timed out' },
  { reason: 'expired', status: '4.4.7', phrase: 'message delayed' },
  { reason: 'expired', status: '4.4.7', phrase: 'message expired' },
  { reason: 'expired', status: '5.4.300', phrase: 'message expired' },
  { reason: 'expired', status: '5.4.316', phrase: 'message expired' },
  { reason: 'securityerror', status: '5.4.317', phrase: 'starttls is required to send mail' },
  { reason: 'securityerror', status: '4.4.317', phrase: 'starttls is required to send mail' },
  { reason: 'mailboxfull', status: '5.2.2', phrase: 'mailbox full' },
  { reason: 'networkerror', status: '5.4.4', phrase: 'smtpsend.dns.nonexistentdomain; nonexistent domain' },
  { reason: 'networkerror', status: '5.4.6', phrase: 'hop count exceeded - possible mail loop' },
  { reason: 'networkerror', status: '4.4.312', phrase: 'dns query failed' },
  { reason: 'networkerror', status: '5.4.312', phrase: 'dns query failed' },
  { reason: 'networkerror', status: '4.4.316', phrase: 'connection refused' },
  { reason: 'networkerror', status: '5.4.316', phrase: 'connection refused' },
  { reason: 'networkerror', status: '5.4.14', phrase: 'routing loop detected' },
  { reason: 'norelaying', status: '5.7.1', phrase: 'unable to relay' },
  { reason: 'norelaying', status: '5.4.1', phrase: 'relay access denied' },
  { reason: 'norelaying', status: '5.7.64', phrase: 'tenantattribution; relay access denied' },
  { reason: 'notaccept', status: '4.3.2', phrase: 'system not accepting network messages' },
  { reason: 'notaccept', status: '4.4.4', phrase: 'hosted tenant which has no mail-enabled subscriptions' },
  { reason: 'policyviolation', status: '5.7.', range: [900, 999], phrase: 'delivery not authorized, message refused' },
  { reason: 'rejected', status: '5.1.7', phrase: 'invalid address' },
  { reason: 'rejected', status: '5.1.8', phrase: 'access denied, bad outbound sender' },
  { reason: 'rejected', status: '5.7.1', phrase: 'delivery not authorized' },
  { reason: 'rejected', status: '5.7.12', phrase: 'sender was not authenticated by organization' },
  { reason: 'rejected', status: '5.7.', range: [501, 503], phrase: 'access denied, spam abuse detected' },
  { reason: 'rejected', status: '5.7.', range: [501, 503], phrase: 'access denied, banned sender' },
  { reason: 'securityerror', status: '5.7.1', phrase: 'client was not authenticated' },
  { reason: 'securityerror', status: '5.7.57', phrase: 'client was not authenticated to send anonymous mail' },
  { reason: 'spamdetected', status: '5.2.1', phrase: 'content filter agent quarantined this message' },
  { reason: 'toomanyconn', status: '4.7.652', phrase: 'has exceeded the maximum number of connections' },
  { reason: 'speeding', status: '5.2.121', phrase: 'recipient\'s per hour message receive limit' },
  { reason: 'speeding', status: '5.2.122', phrase: 'recipient\'s per hour message receive limit' },
  { reason: 'speeding', status: '5.7.508', phrase: 'has exceeded permitted limits within' },
  { reason: 'suspend', status: '5.7.504', phrase: 'recipient address rejected: access denied' },
  { reason: 'suspend', status: '5.7.505', phrase: 'access denied, banned recipient' },
  { reason: 'suspend', status: '5.2.1', phrase: 'mailbox cannot be accessed' },
  { reason: 'systemerror', status: '4.3.2', phrase: 'service not available' },
  { reason: 'systemerror', status: '5.3.5', phrase: 'system incorrectly configured' },
  { reason: 'systemerror', status: '4.7.500', phrase: 'server busy. please try again later from ' },
  { reason: 'systemerror', status: '4.7.700', phrase: 'pfa agent busy, please try again.' },
  { reason: 'systemfull', status: '4.3.1', phrase: 'insufficient system resources' },
  { reason: 'userunknown', status: '5.1.1', phrase: 'resolver.adr.exrecipnotfound; not found' },
  { reason: 'userunknown', status: '5.1.1', phrase: 'user unknown' },
  { reason: 'userunknown', status: '5.1.1', phrase: 'bad destination mailbox address' },
  { reason: 'userunknown', status: '5.1.10', phrase: 'recipient not found' },
  { reason: 'userunknown', status: '5.4.1', phrase: 'recipient address rejected: access denied' },
  { reason: 'userunknown', status: '5.5.0', phrase: 'requested action not taken: mailbox unavailable' },
  { reason: 'userunknown', status: '5.1.351', phrase: 'remote server returned unknown recipient or mailbox unavailable' },
];

/** Outlook.com postmaster error labels, valid with the listed reply code. */
const OUTLOOK_LABELS: ReadonlyArray<readonly [string, string, Reason]> = [
  ['RP-001', '421', 'badreputation'], ['RP-002', '421', 'badreputation'], ['RP-003', '421', 'badreputation'],
  ['SC-001', '550', 'badreputation'], ['SC-002', '550', 'policyviolation'], ['SC-003', '550', 'blocked'],
  ['SC-004', '550', 'blocked'], ['DY-001', '550', 'blocked'], ['DY-002', '550', 'virusdetected'],
  ['OU-001', '550', 'blocked'], ['OU-002', '550', 'badreputation'],
];

function decideExchangeOnline(f: ProviderFacts): Reason | undefined {
  if (f.status === '') return undefined;
  const detail = Number(f.status.slice(f.status.lastIndexOf('.') + 1));
  for (const rule of EXCHANGE_REPLIES) {
    const codeFits = rule.range === undefined
      ? f.status === rule.status
      : f.status.startsWith(rule.status) && detail >= rule.range[0] && detail <= rule.range[1];
    if (codeFits && f.text.includes(rule.phrase)) return rule.reason;
  }
  for (const [label, reply, reason] of OUTLOOK_LABELS) {
    if (f.replyCode === reply && f.text.includes(label.toLowerCase())) return reason;
  }
  return undefined;
}

const HOTMAIL_PHRASES: PhraseTable = [
  ['hostunknown', ['the mail could not be delivered to the recipient because the domain is not reachable']],
  ['userunknown', ['requested action not taken: mailbox unavailable']],
];

// ---------------------------------------------------------------------------------------------
// Yahoo Inc. (Yahoo, AOL): https://senders.yahooinc.com/smtp-error-codes
const YAHOO_PHRASES: PhraseTable = [
  ['authfailure', ['yahoo requires all senders to authenticate with either spf or dkim']],
  ['blocked', [' because the ip is in spamhaus\'s list;', 'not accepted from ip addresses on spamhaus xbl']],
  ['norelaying', ['relaying denied for ']],
  ['notcompliantrfc', ['headers are not rfc compliant']],
  ['policyviolation', ['not accepted for policy reasons']],
  ['rejected', [
    'temporarily deferred due to unexpected volume or user complaints', 'due to unresolvable rfc.5321 domain',
    ' will be permanently deferred',
  ]],
  ['speeding', ['user is receiving mail too quickly']],
  ['suspend', [' is no longer valid.', 'this mailbox is disabled']],
  ['syntaxerror', ['syntax error in parameters or arguments']],
  ['toomanyconn', ['max message per connection reached']],
  ['userunknown', ['dd this user doesn\'t have a ', 'mailbox not found']],
];

const AOL_PHRASES: PhraseTable = [
  ['hostunknown', ['host or domain name not found']],
  ['notaccept', ['type=mx: malformed or unexpected name server reply']],
];

// ---------------------------------------------------------------------------------------------
// Apple iCloud Mail: https://support.apple.com/en-us/102322
const APPLE_PHRASES: PhraseTable = [
  ['authfailure', ['s dmarc policy', 'blocked for failing both spf and dkim autentication checks']],
  ['blocked', [
    'rejected due to having a domain present in the spamhaus', 'rejected due to listing in spamhaus',
    'blocked - see https://support.proofpoint.com/dnsbl-lookup', 'not accepting connections',
  ]],
  ['hasmoved', ['recipient no longer on server']],
  ['mailboxfull', ['user is over quota']],
  ['norelaying', ['relay access denied']],
  ['notaccept', ['host/domain does not accept mail']],
  ['policyviolation', ['due to local policy']],
  ['rejected', ['sender address rejected']],
  ['speeding', ['due to excessive volume']],
  ['userunknown', ['inactive email address', 'user does not exist', 'unknown or illegal alias']],
];

// ---------------------------------------------------------------------------------------------
// Cox: https://www.cox.com/residential/support/email-error-codes.html ("AUP#CXBL" labels)
const COX_LABELS: Readonly<Record<string, Reason>> = {
  CXBL: 'blocked', CXDNS: 'requireptr', CXSNDR: 'authfailure', CXSMTP: 'rejected', CXCNCT: 'toomanyconn',
  CXMXRT: 'toomanyconn', CDRBL: 'blocked', CXTHRT: 'securityerror', CXMJ: 'securityerror',
  IPBL0001: 'blocked', IPBL0010: 'blocked', IPBL0100: 'blocked', IPBL0011: 'blocked', IPBL0101: 'blocked',
  IPBL0110: 'blocked', IPBL0111: 'blocked', IPBL1000: 'blocked', IPBL1001: 'blocked', IPBL1010: 'blocked',
  IPBL1011: 'blocked', IPBL1100: 'blocked', IPBL1101: 'blocked', IPBL1110: 'blocked', IPBL1111: 'blocked',
  IPBL00001: 'blocked', URLBL011: 'spamdetected', URLBL101: 'spamdetected', URLBL110: 'spamdetected',
  URLBL1001: 'spamdetected',
};

const COX_PHRASES: PhraseTable = [
  ['blocked', ['cox too many bad commands from', 'too many invalid recipients']],
  ['requireptr', ['dns check failure - try again later', 'rejected - no rdns']],
  ['policyviolation', ['esmtp no data before greeting', 'attachment extension is forbidden']],
  ['rejected', ['sender rejected']],
  ['systemerror', ['esmtp server temporarily not available']],
  ['toomanyconn', ['too many sessions from', 'requested action aborted: try again later', 'message threshold exceeded']],
  ['userunknown', ['recipient rejected']],
];

function decideCox(f: ProviderFacts): Reason | undefined {
  const label = wordAfter(f.text, 'aup#').toUpperCase();
  return COX_LABELS[label] ?? firstPhrase(f.text, COX_PHRASES);
}

// ---------------------------------------------------------------------------------------------
// Spectrum (Charter): "AUP#I-1310" / "AUP#O-1000" four-digit codes, grouped in ranges.
const SPECTRUM_RANGES: ReadonlyArray<readonly [number, number, Reason]> = [
  [1000, 1000, 'blocked'], [1010, 1010, 'rejected'], [1020, 1080, 'rejected'], [1090, 1090, 'systemerror'],
  [1100, 1150, 'requireptr'], [1160, 1190, 'policyviolation'], [1200, 1210, 'blocked'], [1220, 1250, 'blocked'],
  [1260, 1260, 'networkerror'], [1300, 1340, 'toomanyconn'], [1350, 1490, 'speeding'], [1500, 1500, 'rejected'],
  [1520, 1520, 'rejected'], [1530, 1530, 'mesgtoobig'], [1540, 1540, 'speeding'], [1550, 1550, 'speeding'],
  [1560, 1560, 'policyviolation'], [1580, 1580, 'speeding'],
];

function decideSpectrum(f: ProviderFacts): Reason | undefined {
  const at = f.text.indexOf('aup#');
  if (at < 0) return undefined;
  const code = firstDigitRun(f.text.slice(at + 4, at + 24), 4);
  if (code === undefined) return undefined;
  const n = Number(code);
  for (const [low, high, reason] of SPECTRUM_RANGES) if (n >= low && n <= high) return reason;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// GoDaddy (secureserver.net): "IB401"-style codes, then texts.
const GODADDY_LABELS: Readonly<Record<string, Reason>> = {
  IB401: 'securityerror', IB501: 'notcompliantrfc', IB502: 'notcompliantrfc', IB506: 'rejected',
  IB508: 'authfailure', IB108: 'requireptr', IB212: 'spamdetected', IB705: 'virusdetected', IB605: 'toomanyconn',
  IB007: 'toomanyconn', IB101: 'speeding', IB110: 'blocked', IB111: 'blocked', IB112: 'blocked', IB113: 'blocked',
  IB504: 'speeding', IB510: 'speeding', IB607: 'speeding', IB103: 'badreputation', IB104: 'blocked',
  IB105: 'blocked', IB106: 'blocked',
};

const GODADDY_PHRASES: PhraseTable = [
  ['blocked', ['rbl reject', 'www.spamhaus.org/query/bl?ip=']],
  ['expired', ['has been in the queue too long', 'delivery timeout']],
  ['mailboxfull', ['account storage limit']],
  ['spamdetected', ['message rejected for spam or virus content']],
  ['suspend', ['account disabled']],
  ['systemerror', ['message is looping']],
  ['userunknown', ['recipient not found', 'account does not exist']],
];

function decideGoDaddy(f: ProviderFacts): Reason | undefined {
  const label = 'IB' + wordAfter(f.text, ' ib').toUpperCase();
  return GODADDY_LABELS[label] ?? firstPhrase(f.text, GODADDY_PHRASES);
}

// ---------------------------------------------------------------------------------------------
// Orange / Wanadoo / La Poste (France PTT): "OFR_416", "LPN007_426" — the last three digits say it.
const FRANCE_PTT_CODES: Readonly<Record<string, Reason>> = {
  '101': 'blocked', '102': 'blocked', '103': 'blocked', '104': 'toomanyconn', '305': 'securityerror',
  '401': 'authfailure', '402': 'securityerror', '403': 'rejected', '405': 'rejected', '415': 'rejected',
  '416': 'userunknown', '417': 'mailboxfull', '420': 'suspend', '421': 'rejected', '426': 'suspend',
  '505': 'systemerror', '506': 'spamdetected', '510': 'blocked', '514': 'mesgtoobig', '517': 'authfailure',
  '630': 'policyviolation', '999': 'blocked',
};

function decideFrancePtt(f: ProviderFacts): Reason | undefined {
  let at = -1;
  for (const label of ['lpn', 'ofr', 'ouk']) {
    at = f.text.lastIndexOf(label);
    if (at >= 0) break;
  }
  if (at >= 0) {
    const token = wordAfter(f.text, '', at);
    const code = token.slice(-3);
    const reason = FRANCE_PTT_CODES[code];
    if (reason !== undefined) return reason;
  }
  return f.text.includes('spf/dns de votre nom de domaine') ? 'authfailure' : undefined;
}

// ---------------------------------------------------------------------------------------------
// KDDI au (ezweb.ne.jp, au.com): a bare "550 : User unknown" is the recipient's domain filter.
const KDDI_PHRASES: PhraseTable = [
  ['filtered', ['550 : user unknown']],
  ['userunknown', ['>: user unknown']],
];

// NTT docomo: the DSN status and the SMTP command decide; see the notes per branch.
const DOCOMO_PHRASES: PhraseTable = [
  ['mailboxfull', ['552 too much mail data']],
  ['syntaxerror', ['503 bad sequence of commands', '504 command parameter not implemented']],
  ['toomanyconn', ['552 too many recipients']],
];

function decideDocomo(f: ProviderFacts): Reason | undefined {
  if (f.status === '5.1.1' || f.status === '5.0.911') return 'userunknown';
  // Rejected in reply to DATA with 5.2.0: the recipient's reception filter.
  if (f.status === '5.2.0') return 'filtered';
  const byText = firstPhrase(f.text, DOCOMO_PHRASES);
  if (byText !== undefined) return byText;
  if (f.status === '5.0.0') {
    if (f.command === 'RCPT') return 'userunknown';
    // "550 Unknown user" after DATA: the domain refuses the sender, not the address.
    if (f.command === 'DATA') return 'rejected';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Mimecast: https://community.mimecast.com/s/article/Mimecast-SMTP-Error-Codes-842605754
const MIMECAST_REPLIES: ReadonlyArray<readonly [Reason, string, string]> = [
  ['authfailure', '550', 'spf sender invalid - envelope rejected'],
  ['authfailure', '550', 'dkim sender invalid - envelope rejected'],
  ['authfailure', '550', 'dmarc sender invalid - envelope rejected'],
  ['badreputation', '451', 'internal resources are temporarily unavailable'],
  ['badreputation', '550', 'local ct ip reputation - (reject)'],
  ['blocked', '421', 'sender address blocked'],
  ['blocked', '451', 'recipient temporarily unavailable'],
  ['blocked', '451', 'ip temporarily blacklisted'],
  ['securityerror', '553', 'this route requires encryption (tls)'],
  ['securityerror', '553', 'this route requires tls version 1.2 or greater'],
  ['mesgtoobig', '554', 'maximum email size exceeded'],
  ['networkerror', '451', 'the incorrect hostname used for inbounds'],
  ['networkerror', '550', 'the incorrect hostname used for inbounds'],
  ['networkerror', '554', 'mail loop detected'],
  ['norelaying', '451', 'open relay not allowed'],
  ['norelaying', '451', 'open relay is not allowed'],
  ['notaccept', '451', 'account inbounds disabled'],
  ['onhold', '451', 'account outbounds disabled'],
  ['onhold', '451', 'hostname is not authorized'],
  ['policyviolation', '550', 'anti-spoofing policy - inbound not allowed'],
  ['policyviolation', '550', 'rejected by header-based anti-spoofing policy'],
  ['policyviolation', '550', 'message bounced due to content examination policy'],
  ['policyviolation', '554', 'host network not allowed'],
  ['policyviolation', '554', 'host network, not allowed'],
  ['rejected', '550', 'administrative prohibition envelope blocked'],
  ['rejected', '550', 'envelope blocked - user entry'],
  ['rejected', '550', 'envelope blocked - user domain entry'],
  ['rejected', '550', 'envelope rejected - block policy for envelope from address'],
  ['securityerror', '535', 'incorrect authentication data'],
  ['securityerror', '550', 'submitter failed to authenticate'],
  ['systemerror', '451', 'unable to process connection at this time'],
  ['systemerror', '451', 'message ended early'],
  ['systemerror', '451', 'unable to process command'],
  ['toomanyconn', '451', 'account service is temporarily unavailable'],
  ['toomanyconn', '452', 'too many recipients'],
  ['toomanyconn', '550', 'exceeding outbound thread limit'],
  ['userunknown', '501', 'invalid address'],
  ['userunknown', '503', 'user unknown'],
  ['userunknown', '550', 'invalid recipient'],
  ['virusdetected', '554', 'email rejected due to security policies'],
];

function decideMimecast(f: ProviderFacts): Reason | undefined {
  for (const [reason, reply, phrase] of MIMECAST_REPLIES) {
    if (f.replyCode === reply && f.text.includes(phrase)) return reason;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Broadcom MessageLabs (Symantec Email Security.cloud)
const MESSAGELABS_PHRASES: PhraseTable = [
  ['authfailure', ['domain authentication fail']],
  ['badreputation', ['connection rejected by policy']],
  ['blocked', ['mail rejected because your ip is in the pbl', 'your ip address has been ']],
  ['contenterror', ['stray linefeeds in message']],
  ['securityerror', ['tls/sslv3 connection required', 'please turn on smtp authentication in your mail client']],
  ['norelaying', [' as a relay, ']],
  ['notcompliantrfc', ['550 requested action aborted [4]', 'has detected that this message is not rfc 5322']],
  ['rejected', [
    'sender envelope domain not allowed for sender ip address', 'your domain has been blocked',
    'your email address has been blocked', 'your envelope sender is in my badmailfrom list',
    'your email address has been blacklisted', 'your domain has been blacklisted',
  ]],
  ['spamdetected', ['message filtered', 'filtered by outbound scanning']],
  ['toomanyconn', ['too many recipients received this hour', 'too many messages']],
  ['userunknown', ['no such user', 'invalid recipient', 'mailbox is not allowed']],
];

// ---------------------------------------------------------------------------------------------
// Tencent (QQ Mail): https://service.mail.qq.com/detail/122
const TENCENT_PHRASES: PhraseTable = [
  ['authfailure', ['spf check failed', 'dmarc check failed']],
  ['blocked', ['suspected bounce attacks', 'suspected spam ip', 'connection denied']],
  ['mesgtoobig', ['message too large']],
  ['rejected', ['suspected spam', 'mail is rejected by recipients']],
  ['spamdetected', ['spam is embedded in the email', 'mail content denied']],
  ['speeding', ['mailbox unavailable or access denined', 'frequency of receiving messages is limited']],
  ['suspend', ['is a deactivated mailbox']],
  ['syntaxerror', ['bad address syntax']],
  ['toomanyconn', [
    'ip frequency limited', 'domain frequency limited', 'sender frequency limited', 'connection frequency limited',
  ]],
  ['userunknown', ['mailbox not found']],
];

// ---------------------------------------------------------------------------------------------
// Zoho Mail
const ZOHO_PHRASES: PhraseTable = [
  ['authfailure', ['email rejected per dmarc policy']],
  ['blocked', ['greylisted, try again after some time']],
  ['rejected', ['email cannot be delivered. reason: email flagged as spam', 'mail rejected by destination domain']],
  ['policyviolation', ['email policy violation detected', 'mailbox delivery restricted by policy error']],
  ['systemerror', ['temporary system error']],
  ['userunknown', ['user does not exist']],
  ['virusdetected', [' detected by zoho mail']],
];

// Cloudflare Email Routing: https://developers.cloudflare.com/email-routing/postmaster/
const CLOUDFLARE_PHRASES: PhraseTable = [
  ['blocked', ['found on one or more dnsbls']],
  ['systemerror', ['upstream error']],
];

// ---------------------------------------------------------------------------------------------
// Facebook: "RCP-P1"-style response codes. http://postmaster.facebook.com/response_codes
const FACEBOOK_LABELS: Readonly<Record<string, Reason>> = {
  'POL-P7': 'authfailure', 'POL-P1': 'blocked', 'POL-P2': 'blocked', 'POL-P3': 'blocked', 'POL-P4': 'blocked',
  'POL-T1': 'blocked', 'POL-T2': 'blocked', 'POL-T3': 'blocked', 'MSG-P2': 'contenterror', 'RCP-P2': 'filtered',
  'RCP-P3': 'filtered', 'MSG-P1': 'mesgtoobig', 'INT-P2': 'mesgtoobig', 'MSG-P3': 'notcompliantrfc',
  'DNS-P1': 'rejected', 'DNS-P2': 'rejected', 'DNS-T1': 'rejected', 'DNS-P3': 'requireptr', 'DNS-T2': 'requireptr',
  'POL-P6': 'spamdetected', 'RCP-T4': 'suspend', 'RCP-T1': 'systemerror', 'CON-T1': 'toomanyconn',
  'CON-T2': 'toomanyconn', 'CON-T3': 'toomanyconn', 'CON-T4': 'toomanyconn', 'MSG-T1': 'toomanyconn',
  'RCP-P1': 'userunknown', 'INT-P1': 'userunknown', 'INT-P3': 'userunknown', 'INT-P4': 'userunknown',
  'POL-P5': 'virusdetected',
};

function decideFacebook(f: ProviderFacts): Reason | undefined {
  const dash = f.text.indexOf('-');
  if (dash < 3) return undefined;
  return FACEBOOK_LABELS[f.text.slice(dash - 3, dash + 3).toUpperCase()];
}

// i.ua: "https://mail.i.ua/err/2/" numbered errors.
const IUA_CODES: Readonly<Record<string, Reason>> = {
  '1': 'norelaying', '2': 'userunknown', '3': 'suspend', '4': 'mailboxfull', '5': 'toomanyconn',
  '6': 'norelaying', '7': 'blocked', '8': 'rejected', '9': 'blocked', '10': 'filtered',
};

function decideIua(f: ProviderFacts): Reason | undefined {
  const at = f.text.indexOf('.i.ua/err/');
  if (at < 0) return undefined;
  const end = f.text.indexOf('/', at + 10);
  return end < 0 ? undefined : IUA_CODES[f.text.slice(at + 10, end)];
}

// ---------------------------------------------------------------------------------------------
const PROVIDERS: readonly Provider[] = [
  { name: 'google', hosts: ['aspmx.l.google.com', 'gmail-smtp-in.l.google.com'], decide: decideGoogle },
  { name: 'google-workspace', hosts: ['googlemail.com'], decide: decideGoogleWorkspace },
  {
    name: 'microsoft',
    hosts: ['.prod.outlook.com', '.protection.outlook.com', '.onmicrosoft.com', '.exchangelabs.com'],
    mtas: ['office365'],
    decide: decideExchangeOnline,
  },
  { name: 'outlook', hosts: ['.hotmail.com'], decide: byPhrases(HOTMAIL_PHRASES) },
  { name: 'yahoo', hosts: ['.yahoodns.net'], decide: byPhrases(YAHOO_PHRASES) },
  { name: 'aol', hosts: ['.mail.aol.com', '.mx.aol.com'], decide: byPhrases(AOL_PHRASES) },
  { name: 'apple', hosts: ['.mail.icloud.com', '.apple.com', '.me.com'], decide: byPhrases(APPLE_PHRASES) },
  { name: 'cox', hosts: ['cox.net'], domains: ['cox.net'], decide: decideCox },
  { name: 'spectrum', hosts: ['charter.net'], domains: ['charter.net'], decide: decideSpectrum },
  { name: 'godaddy', hosts: ['smtp.secureserver.net', 'mailstore1.secureserver.net'], decide: decideGoDaddy },
  {
    name: 'france-ptt',
    hosts: ['.laposte.net', '.orange.fr', '.wanadoo.fr'],
    domains: ['laposte.net', 'orange.fr', 'wanadoo.fr'],
    decide: decideFrancePtt,
  },
  { name: 'kddi', hosts: ['.ezweb.ne.jp', 'msmx.au.com'], decide: byPhrases(KDDI_PHRASES) },
  { name: 'nttdocomo', hosts: ['mfsmax.docomo.ne.jp'], decide: decideDocomo },
  { name: 'mimecast', hosts: ['.mimecast.com'], decide: decideMimecast },
  { name: 'messagelabs', hosts: ['.messagelabs.com'], decide: byPhrases(MESSAGELABS_PHRASES) },
  { name: 'tencent', hosts: ['.qq.com'], decide: byPhrases(TENCENT_PHRASES) },
  { name: 'zoho', hosts: ['.zoho.com', '.zohomail.com'], decide: byPhrases(ZOHO_PHRASES) },
  { name: 'cloudflare', hosts: ['.mx.cloudflare.net'], decide: byPhrases(CLOUDFLARE_PHRASES) },
  { name: 'facebook', hosts: ['.facebook.com'], decide: decideFacebook },
  { name: 'iua', hosts: ['.email.ua'], decide: decideIua },
];

/** Host-name suffix -> provider. A suffix starting with "." matches below that domain only; one
 *  without matches the name itself or anything below it. */
const BY_HOST_SUFFIX: ReadonlyMap<string, Provider> = new Map(
  PROVIDERS.flatMap((p) => p.hosts.flatMap((h) => (h.startsWith('.') ? [[h, p]] : [[h, p], ['.' + h, p]]) as [string, Provider][])),
);
const BY_DOMAIN: ReadonlyMap<string, Provider> = new Map(
  PROVIDERS.flatMap((p) => (p.domains ?? []).map((d) => [d, p] as [string, Provider])),
);
const BY_MTA: ReadonlyMap<string, Provider> = new Map(
  PROVIDERS.flatMap((p) => (p.mtas ?? []).map((m) => [m, p] as [string, Provider])),
);

/** Looks up `name` and each of its parent suffixes ("a.b.c", ".b.c", "b.c", ".c", "c"). */
function bySuffix(name: string, table: ReadonlyMap<string, Provider>, withDot: boolean): Provider | undefined {
  let at = 0;
  while (at >= 0 && at < name.length) {
    const hit = table.get(at === 0 ? name : name.slice(at + 1)) ?? (withDot && at > 0 ? table.get(name.slice(at)) : undefined);
    if (hit !== undefined) return hit;
    at = name.indexOf('.', at + 1);
  }
  return undefined;
}

/**
 * The provider a remote MTA host name belongs to; failing that, the provider whose own decoder read
 * the bounce; failing that, the one serving the recipient's domain.
 */
function providerOf(remoteMta: string, recipientDomain: string, mta = ''): Provider | undefined {
  if (remoteMta !== '') {
    const p = bySuffix(remoteMta.toLowerCase(), BY_HOST_SUFFIX, true);
    if (p !== undefined) return p;
  }
  if (mta !== '') {
    const p = BY_MTA.get(mta);
    if (p !== undefined) return p;
  }
  return recipientDomain === '' ? undefined : bySuffix(recipientDomain.toLowerCase(), BY_DOMAIN, false);
}

/** Where a bounce came from, for choosing a provider table. */
export interface Origin {
  readonly remoteMta: string;
  readonly recipientDomain: string;
  /** Decoder name, lower case. */
  readonly mta: string;
}

/** The reason a known receiving provider's own table gives, or undefined. */
export function providerReason(origin: Origin, f: ProviderFacts): Reason | undefined {
  if (f.text === '') return undefined;
  return providerOf(origin.remoteMta, origin.recipientDomain, origin.mta)?.decide(f);
}

/** The provider name for an origin (exposed for tests and diagnostics). */
export function providerName(origin: Origin): string | undefined {
  return providerOf(origin.remoteMta, origin.recipientDomain, origin.mta)?.name;
}

// ---------------------------------------------------------------------------------------------
function coded(reason: Reason, reply: string, status: string, phrase: string): CodedText {
  return { reason, reply, status, phrase };
}

function byPhrases(table: PhraseTable): (f: ProviderFacts) => Reason | undefined {
  return (f) => firstPhrase(f.text, table);
}

function firstPhrase(text: string, table: PhraseTable): Reason | undefined {
  for (const [reason, phrases] of table) if (includesAny(text, phrases)) return reason;
  return undefined;
}

/** The run of non-space characters right after `marker` (or starting at `from` when given). */
function wordAfter(text: string, marker: string, from?: number): string {
  let start: number;
  if (from !== undefined) start = from;
  else {
    const at = text.indexOf(marker);
    if (at < 0) return '';
    start = at + marker.length;
  }
  let end = start;
  while (end < text.length && end - start < 40 && text.charCodeAt(end) > 32) end++;
  return text.slice(start, end).replace(/[^a-z0-9_-]+$/, '');
}

/** The first run of exactly `length` digits in `text`. */
function firstDigitRun(text: string, length: number): string | undefined {
  let run = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') {
      run += ch;
      if (run.length === length) return run;
    } else run = '';
  }
  return undefined;
}
