/** A file sent with a message. */
export interface MailAttachment {
  filename: string;
  content: Uint8Array;
  contentType: string;
}

/** One e-mail message. */
export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments: MailAttachment[];
}

/** Sends e-mail (SMTP in deployment). Resolves once the server accepted the message; rejects when it did not. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
