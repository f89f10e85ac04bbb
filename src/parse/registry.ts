// The ordered list of decoders parse() tries; the first that recognises a message wins. MTA- and
// provider-specific decoders come first (each checks a cheap signature before reading further), then the
// standard formats: ARF complaints, RFC 3464 reports, RFC 3834 auto-replies, and last a plain-text scan.
import type { Decoder } from './decoder.js';
import { arf } from './arf.js';
import { rfc3464 } from './rfc3464.js';
import { rfc3834 } from './rfc3834.js';
import { fallback } from './fallback.js';
import { amazonses } from './mta/amazonses.js';
import { amazonworkmail } from './mta/amazonworkmail.js';
import { receivingses } from './mta/receivingses.js';
import { sendgrid } from './mta/sendgrid.js';
import { gmail } from './mta/gmail.js';
import { googlegroups } from './mta/googlegroups.js';
import { yahoo } from './mta/yahoo.js';
import { outlook } from './mta/outlook.js';
import { office365 } from './mta/office365.js';
import { exchange2007 } from './mta/exchange2007.js';
import { exchange2003 } from './mta/exchange2003.js';
import { gmx } from './mta/gmx.js';
import { mailru } from './mta/mailru.js';
import { yandex } from './mta/yandex.js';
import { zoho } from './mta/zoho.js';
import { verizon } from './mta/verizon.js';
import { ezweb } from './mta/ezweb.js';
import { kddi } from './mta/kddi.js';
import { biglobe } from './mta/biglobe.js';
import { einsundeins } from './mta/einsundeins.js';
import { facebook } from './mta/facebook.js';
import { messagelabs } from './mta/messagelabs.js';
import { postfix } from './mta/postfix.js';
import { sendmail } from './mta/sendmail.js';
import { exim } from './mta/exim.js';
import { qmail } from './mta/qmail.js';
import { courier } from './mta/courier.js';
import { opensmtpd } from './mta/opensmtpd.js';
import { dovecot } from './mta/dovecot.js';
import { communigate } from './mta/communigate.js';
import { messagingserver } from './mta/messagingserver.js';
import { domino } from './mta/domino.js';
import { notes } from './mta/notes.js';
import { v5sendmail } from './mta/v5sendmail.js';
import { dragonfly } from './mta/dragonfly.js';
import { imailserver } from './mta/imailserver.js';
import { fml } from './mta/fml.js';
import { mfilter } from './mta/mfilter.js';
import { powermta } from './mta/powermta.js';
import { bigfoot } from './mta/bigfoot.js';
import { activehunter } from './mta/activehunter.js';
import { amavis } from './mta/amavis.js';
import { barracuda } from './mta/barracuda.js';
import { mcafee } from './mta/mcafee.js';
import { mailfoundry } from './mta/mailfoundry.js';
import { mailmarshal } from './mta/mailmarshal.js';
import { mimecast } from './mta/mimecast.js';
import { mxlogic } from './mta/mxlogic.js';
import { surfcontrol } from './mta/surfcontrol.js';
import { trendmicro } from './mta/trendmicro.js';
import { x1 } from './mta/x1.js';
import { x2 } from './mta/x2.js';
import { x3 } from './mta/x3.js';
import { x5 } from './mta/x5.js';
import { x6 } from './mta/x6.js';

export const DECODERS: readonly Decoder[] = [
  amazonses,
  amazonworkmail,
  receivingses,
  sendgrid,
  gmail,
  googlegroups,
  yahoo,
  outlook,
  office365,
  exchange2007,
  exchange2003,
  gmx,
  mailru,
  yandex,
  zoho,
  verizon,
  ezweb,
  kddi,
  biglobe,
  einsundeins,
  facebook,
  messagelabs,
  postfix,
  bigfoot,
  sendmail,
  exim,
  qmail,
  courier,
  opensmtpd,
  communigate,
  messagingserver,
  domino,
  notes,
  v5sendmail,
  dragonfly,
  imailserver,
  fml,
  mfilter,
  powermta,
  activehunter,
  amavis,
  barracuda,
  mcafee,
  mailfoundry,
  mailmarshal,
  mimecast,
  mxlogic,
  surfcontrol,
  trendmicro,
  x1,
  x2,
  x3,
  x5,
  x6,
  arf,
  dovecot, // a Sieve reject says auto-replied, and a delivery agent's rejection may ride in another MTA's report
  rfc3834, // before rfc3464: a challenge-response notice dressed as a delivery report is an auto-reply
  rfc3464,
  fallback,
];
