import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the server accepted, parsed. */
export interface CapturedMessage {
  /** The envelope's recipients (RCPT TO), lower case. */
  to: string[];
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; sha256: string; size: number }[];
}

/** A real SMTP server on 127.0.0.1 (smtp-server), keeping what it accepted. */
export interface SmtpCapture {
  port: number;
  url: string;
  messages: CapturedMessage[];
  /** Answers RCPT TO with 451 for this address while `times` lasts (a temporary refusal). */
  refuse(address: string, times: number): void;
  /** How many RCPT TO were refused. */
  refused: number;
  close(): Promise<void>;
}

export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMessage[] = [];
  const refusals = new Map<string, number>();
  const capture = {
    port: 0,
    url: '',
    messages,
    refused: 0,
    refuse(address: string, times: number) {
      refusals.set(address.toLowerCase(), times);
    },
    close: async () => {},
  };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const key = address.address.toLowerCase();
      const left = refusals.get(key) ?? 0;
      if (left > 0) {
        refusals.set(key, left - 1);
        capture.refused++;
        const error = new Error('Try again later') as Error & { responseCode: number };
        error.responseCode = 451;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              sha256: createHash('sha256').update(a.content).digest('hex'),
              size: a.size,
            })),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture.port = (server.server.address() as AddressInfo).port;
  capture.url = `smtp://127.0.0.1:${capture.port}`;
  capture.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return capture;
}
