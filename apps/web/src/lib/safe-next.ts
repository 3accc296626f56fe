/** Only same-site paths may follow a sign-in: `//evil.example` or `https://...` would be an open redirect. */
export function safeNext(next: string | undefined): string {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/home";
}
