/** Types of scripts/mailpit.mjs (plain Node, so that `npm run up` can run it before an install). */

export interface MailpitPorts {
  smtpPort: number;
  uiPort: number;
}

export interface MailpitUrls {
  /** What Sitepod's SITEPOD_SMTP_URL is set to. */
  smtpUrl: string;
  /** The mailbox page. */
  uiUrl: string;
  /** The HTTP API's base, e.g. http://127.0.0.1:8025/api/v1 */
  apiUrl: string;
}

export function buildMailpit(say?: (line: string) => void): Promise<string>;
export function pickPorts(preferred?: Partial<MailpitPorts>): Promise<MailpitPorts>;
export function mailpitUrls(ports: MailpitPorts): MailpitUrls;
export function mailpitArgs(ports: MailpitPorts): string[];
export function waitForMailpit(apiUrl: string, isAlive?: () => boolean): Promise<void>;
export function startMailpit(options?: {
  say?: (line: string) => void;
  smtpPort?: number;
  uiPort?: number;
}): Promise<MailpitUrls & { pid: number; stop(): Promise<void> }>;
