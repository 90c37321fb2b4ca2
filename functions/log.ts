/** Severities Cloud Logging understands in a JSON line's `severity`. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/**
 * What a log line may carry besides its message: identifiers and counts only. Names, e-mails and
 * cell values are personal data and never go to logs; school codes and spreadsheet IDs do.
 */
export interface LogFields {
  runId?: string;
  schoolCode?: string;
  [field: string]: string | number | boolean | undefined;
}

/** Writes one structured event. */
export type Log = (severity: Severity, message: string, fields?: LogFields) => void;

/**
 * Structured logs fit for Cloud Logging: one JSON object per line on stdout, with `severity`,
 * `message`, and the fields at the top level (they become jsonPayload; runId and schoolCode are
 * also labels, so a run or a school can be filtered in the console).
 */
export function jsonLog(write: (line: string) => void = (line) => process.stdout.write(line)): Log {
  return (severity, message, fields = {}) => {
    const labels = Object.fromEntries(
      (['runId', 'schoolCode'] as const).flatMap((key) => (fields[key] === undefined ? [] : [[key, fields[key]]])),
    );
    write(
      `${JSON.stringify({
        severity,
        message,
        ...fields,
        ...(Object.keys(labels).length ? { 'logging.googleapis.com/labels': labels } : {}),
        time: new Date().toISOString(),
      })}\n`,
    );
  };
}

/** An error as it may be logged: its kind and message (ours carry no personal data), never its data. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: 'unknown' };
  const component = (error as { component?: unknown }).component;
  return {
    error: error.name,
    detail: error.message.slice(0, 500),
    ...(typeof component === 'string' ? { component } : {}),
  };
}
