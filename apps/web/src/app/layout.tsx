import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "~/components/sign-out-button";
import { serverApi } from "~/server/trpc/server-caller";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Cookbook Labs",
  description: "The Data Engineering Cookbook as a course, with hands-on labs.",
};

async function Header() {
  const api = await serverApi();
  const me = await api.auth.me();
  const orgs = me ? await api.orgs.list() : null;
  const active = orgs?.memberships.find((m) => m.tenantId === orgs.activeTenantId) ?? null;
  return (
    <header className="site-header">
      <Link href={me ? "/home" : "/"} className="brand">
        Cookbook Labs
      </Link>
      <nav>
        {me ? (
          <>
            <Link href="/orgs" className="org-switch" title="Switch organisation">
              {active ? active.name : "Choose organisation"}
            </Link>
            {active && <Link href="/cohorts">Cohorts</Link>}
            {active && <Link href="/progress">Progress</Link>}
            {active?.role === "owner" && <Link href="/insights">Insights</Link>}
            {active && active.role !== "learner" && <Link href="/team">Team</Link>}
            <Link href="/account" className="muted" title="Your account and data">
              {me.displayName}
            </Link>
            <SignOutButton />
          </>
        ) : (
          <>
            <Link href="/sign-in">Sign in</Link>
            <Link href="/sign-up">Sign up</Link>
          </>
        )}
      </nav>
    </header>
  );
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>
          <Header />
          <main>{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
