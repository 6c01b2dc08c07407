import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { authSecret } from "@/lib/auth/secret";

/**
 * Sends anonymous page requests to the sign-in page before anything renders. A convenience only:
 * every page, server action and route handler checks the session itself (lib/auth/session.ts).
 */
export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: authSecret() });
  if (token?.sub) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  const target = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (target !== "/") signIn.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Pages only: the API answers 401 JSON itself; sign-in, invitation links (they let an invitee
  // register, and check the session themselves), Next's assets and public files stay open.
  matcher: ["/((?!api/|sign-in|invite/|_next/|favicon\\.ico|icon\\.svg|robots\\.txt).*)"],
};
