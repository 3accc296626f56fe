import { AuthForm } from "~/components/auth-form";
import { safeNext } from "~/lib/safe-next";

export default async function SignUp({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  return <AuthForm mode="sign-up" next={safeNext((await searchParams).next)} />;
}
