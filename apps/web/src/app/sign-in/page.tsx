import { AuthForm } from "~/components/auth-form";
import { safeNext } from "~/lib/safe-next";

export default async function SignIn({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  return <AuthForm mode="sign-in" next={safeNext((await searchParams).next)} />;
}
