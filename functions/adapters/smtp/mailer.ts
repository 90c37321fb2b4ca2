import nodemailer from 'nodemailer';
import type { Mailer } from '../../app/ports/mailer.js';
import { InfrastructureError } from '../../errors.js';

/** How the connection to the SMTP server is protected. */
export type SmtpTls = 'starttls' | 'implicit' | 'none';

/** SMTP settings (config.ts reads them from the environment: MONITOR500_SMTP_*). */
export interface SmtpSettings {
  host: string;
  port: number;
  user: string | undefined;
  /** From Secret Manager in deployment (MONITOR500_SMTP_PASSWORD). */
  password: string | undefined;
  /** The sender, «Монитор 500+ <monitor@example.ru>» or a bare address. */
  from: string;
  /** starttls: the server must upgrade the connection (port 587); implicit: TLS from the first byte (465); none: plain (a local relay only). */
  tls: SmtpTls;
  /** Upper bound of connecting, of the server's greeting and of silence on the socket, ms. */
  timeoutMs: number;
}

/**
 * A Mailer on nodemailer: one connection per message (a run sends one message per address, at
 * most a few hundred), TLS as configured and the server's certificate checked. A refusal becomes
 * an InfrastructureError naming the server's reply code only: the server's text may quote the
 * address, and errors reach the logs.
 */
export function smtpMailer(settings: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.tls === 'implicit',
    requireTLS: settings.tls === 'starttls',
    ignoreTLS: settings.tls === 'none',
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    dnsTimeout: settings.timeoutMs,
    tls: { minVersion: 'TLSv1.2' },
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: settings.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
            contentType: a.contentType,
          })),
        });
      } catch (error) {
        const { responseCode, code } = error as { responseCode?: unknown; code?: unknown };
        const reply =
          typeof responseCode === 'number' ? `ответ ${responseCode}` : typeof code === 'string' ? code : 'сбой';
        const temporary = typeof responseCode === 'number' && responseCode >= 400 && responseCode < 500;
        throw new InfrastructureError('smtp', `Почтовый сервер не принял письмо (${reply}).`, {
          reason: temporary ? 'busy' : 'failed',
        });
      }
    },
  };
}
