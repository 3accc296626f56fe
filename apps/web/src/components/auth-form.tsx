"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";

/** Sign in or sign up; a full navigation afterwards so every server component sees the new session. */
export function AuthForm({ mode, next }: { mode: "sign-in" | "sign-up"; next: string }) {
  const trpc = useTRPC();
  const done = () => window.location.assign(next);
  const signIn = useMutation(trpc.auth.signIn.mutationOptions({ onSuccess: done }));
  const signUp = useMutation(trpc.auth.signUp.mutationOptions({ onSuccess: done }));
  const [form, setForm] = useState({ email: "", password: "", displayName: "" });
  const active = mode === "sign-in" ? signIn : signUp;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (mode === "sign-in") signIn.mutate({ email: form.email, password: form.password });
    else signUp.mutate(form);
  }

  return (
    <form onSubmit={submit} className="card form narrow">
      <h1>{mode === "sign-in" ? "Sign in" : "Create your account"}</h1>
      {mode === "sign-up" && (
        <label>
          Name
          <input
            name="displayName"
            autoComplete="name"
            required
            value={form.displayName}
            onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          />
        </label>
      )}
      <label>
        Email
        <input
          name="email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
          required
          minLength={mode === "sign-up" ? 10 : 1}
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
      </label>
      <ErrorText error={active.error} />
      <button type="submit" disabled={active.isPending}>
        {mode === "sign-in" ? "Sign in" : "Sign up"}
      </button>
      <p className="muted">
        {mode === "sign-in" ? (
          <>
            New here? <Link href={`/sign-up?next=${encodeURIComponent(next)}`}>Create an account</Link>
          </>
        ) : (
          <>
            Have an account? <Link href={`/sign-in?next=${encodeURIComponent(next)}`}>Sign in</Link>
          </>
        )}
      </p>
    </form>
  );
}
