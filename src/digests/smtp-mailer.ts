import nodemailer from 'nodemailer';
import type { MailConfig } from '../config/env';
import type { Mailer } from '../sla/digests';

/** The Mailer over SMTP (nodemailer). Undefined config = no mailer: digests are recorded as skipped. */
export function createSmtpMailer(cfg: MailConfig | undefined): (Mailer & { close(): void }) | undefined {
  if (!cfg) return undefined;
  const transport = cfg.url
    ? nodemailer.createTransport(cfg.url)
    : nodemailer.createTransport({
        host: cfg.host,
        port: cfg.port,
        // 465 is implicit TLS; other ports upgrade with STARTTLS when the server offers it.
        secure: cfg.port === 465,
        auth: cfg.user ? { user: cfg.user, pass: cfg.pass ?? '' } : undefined,
      });
  return {
    send: async (m) => {
      await transport.sendMail({ from: cfg.from, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport.close(),
  };
}
