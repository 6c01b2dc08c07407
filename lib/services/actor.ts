/** Who performs a service call: the signed-in user, and the client address for the audit trail. */
export interface Actor {
  userId: string;
  ip?: string | null;
  /** The UserSession the call came through (absent for calls made by the system or by tests). */
  sessionId?: string | null;
}
