/**
 * Where notices go. Three mailers behind one interface:
 * - SmtpMailer: nodemailer over SMTP (SMTP_URL), for real delivery;
 * - OutboxMailer: without SMTP_URL, each mail becomes an .eml file in DATA_DIR/outbox/ that any mail
 *   client opens, named after its contract and notice id (deleted with the contract's data, D-8);
 * - CaptureMailer: keeps the mails in an array (the scenario simulator, tests).
 * All three compose the same MIME message with nodemailer, with a Message-ID derived from the notice id
 * (a repeated send after a crash carries the same id, which mail clients use to drop duplicates).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { NodemailerError, SendMailOptions } from 'nodemailer';
import type { Contact, NoticeKind } from '../../domain/types';
import { FAILURE_TYPES, nonRetryable } from '../errors';
import { writeFileOnce } from '../../files';

export interface OutgoingMail {
  noticeId: string;
  contractId: string;
  /** A notice's kind, or a mail to the staff (a four-eyes request waiting for a supervisor). */
  kind: NoticeKind | 'approvalRequested';
  to: Pick<Contact, 'name' | 'email'>;
  subject: string;
  text: string;
  /** Files sent with it (the invoice's PDF with the invoiceIssued notice). */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export interface SentMail {
  messageId: string;
  /** `smtp:<server reply>`, the .eml path, or `capture`. */
  location: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
  /** D-8: deletes every copy of the contract's mails this side keeps; answers how many. */
  forget(contractId: string): Promise<number>;
  close(): Promise<void>;
}

/** Addresses out of anything that leaves the mailer as text (failure reasons, server replies): they are personal data. */
export function withoutAddresses(text: string): string {
  return text.replace(/<?[^\s<>"',;:()]+@[^\s<>"',;:()]+>?/g, '<address>');
}

/** File-name and Message-ID safe form of a notice id; a short hash keeps two ids that differ only in unsafe characters apart. */
export function safeNoticeId(noticeId: string): string {
  const safe = noticeId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  return safe === noticeId ? safe : `${safe}-${createHash('sha256').update(noticeId).digest('hex').slice(0, 8)}`;
}

/**
 * `<contract>~<notice>.eml`: a contract id never holds `~`, so D-8's deletion finds exactly that contract's
 * mails by the prefix.
 */
export function outboxFileName(contractId: string, noticeId: string): string {
  return `${safeNoticeId(contractId)}~${safeNoticeId(noticeId)}.eml`;
}

function domainOf(from: string): string {
  const m = /@([A-Za-z0-9.-]+)/.exec(from);
  return m?.[1] ?? 'neutrix.invalid';
}

function messageIdFor(noticeId: string, from: string): string {
  return `<notice.${safeNoticeId(noticeId)}@${domainOf(from)}>`;
}

function compose(mail: OutgoingMail, from: string): SendMailOptions {
  return {
    from,
    to: { name: mail.to.name, address: mail.to.email },
    subject: mail.subject,
    text: mail.text,
    messageId: messageIdFor(mail.noticeId, from),
    ...(mail.attachments?.length
      ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })) }
      : {}),
    headers: {
      'X-Neutrix-Notice-Id': mail.noticeId,
      'X-Neutrix-Notice-Kind': mail.kind,
      'X-Neutrix-Contract-Id': mail.contractId,
    },
  };
}

/** Builds the raw RFC 5322 message (as SMTP would carry it). */
async function renderRaw(mail: OutgoingMail, from: string): Promise<{ raw: Buffer; messageId: string }> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await transport.sendMail(compose(mail, from));
  const raw = info.message;
  if (!Buffer.isBuffer(raw)) throw new Error('nodemailer did not buffer the message');
  return { raw, messageId: info.messageId };
}

export class SmtpMailer implements Mailer {
  private readonly transport;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    try {
      const info = await this.transport.sendMail(compose(mail, this.from));
      return { messageId: info.messageId, location: `smtp:${withoutAddresses(info.response)}` };
    } catch (err) {
      throw classifySmtpError(err, mail);
    }
  }

  /** Nothing kept here: the SMTP server has the mail, the ledger a record without the address. */
  async forget(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/**
 * SMTP failures: a permanent rejection (5xx other than 503) will be refused again, so it is non-retryable;
 * an envelope nodemailer itself refuses (an address it cannot use) is bad notice data. Connection trouble,
 * timeouts, 4xx replies and authentication problems (an operator fixes those) are retried.
 */
function classifySmtpError(err: unknown, mail: OutgoingMail): unknown {
  const e = err as NodemailerError;
  if (e?.code === 'EAUTH' || e?.code === 'ENOAUTH') return err;
  if (e?.permanent === true || (typeof e?.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503)) {
    return nonRetryable(
      FAILURE_TYPES.mailRejected,
      `the SMTP server refused the ${mail.kind} notice ${mail.noticeId} for good (${e.responseCode ?? 'permanent'}): ${withoutAddresses(e.response ?? e.message)}`,
    );
  }
  if (e?.code === 'EENVELOPE' && e.responseCode === undefined) {
    return nonRetryable(FAILURE_TYPES.badNoticeData, `cannot address the ${mail.kind} notice ${mail.noticeId}: ${withoutAddresses(e.message)}`);
  }
  // Retried as it is, but its message shows in the Web UI: the same without addresses.
  if (err instanceof Error) err.message = withoutAddresses(err.message);
  return err;
}

export class OutboxMailer implements Mailer {
  constructor(
    readonly dir: string,
    private readonly from: string,
  ) {}

  async send(mail: OutgoingMail): Promise<SentMail> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const { raw, messageId } = await renderRaw(mail, this.from);
    const path = join(this.dir, outboxFileName(mail.contractId, mail.noticeId));
    // Only if absent: an attempt that died after delivering but before the ledger marked the notice sent
    // has delivered it — not a second time. Mode 0600: a mail holds the customer's name and address.
    writeFileOnce(path, raw);
    return { messageId, location: path };
  }

  async forget(contractId: string): Promise<number> {
    if (!existsSync(this.dir)) return 0;
    const prefix = `${safeNoticeId(contractId)}~`;
    const mine = readdirSync(this.dir).filter((f) => f.startsWith(prefix));
    for (const f of mine) rmSync(join(this.dir, f), { force: true }); // with any `.partial` a crash left
    return mine.filter((f) => f.endsWith('.eml')).length;
  }

  async close(): Promise<void> {}
}

export interface CapturedMail extends OutgoingMail {
  from: string;
  messageId: string;
  /** The whole message as SMTP would carry it. */
  raw: string;
}

export class CaptureMailer implements Mailer {
  readonly mails: CapturedMail[] = [];

  constructor(private readonly from: string) {}

  async send(mail: OutgoingMail): Promise<SentMail> {
    const { raw, messageId } = await renderRaw(mail, this.from);
    this.mails.push({ ...mail, from: this.from, messageId, raw: raw.toString('utf8') });
    return { messageId, location: 'capture' };
  }

  /** The captured mails stand for the customer's inbox (what SMTP delivered): nothing of ours to delete. */
  async forget(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}
}
