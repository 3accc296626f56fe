"use client";

import { useMutation, type UseMutationOptions } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

/** A tRPC mutation that re-renders the server components once it succeeds. */
export function useAction<TData, TError, TVars>(options: UseMutationOptions<TData, TError, TVars>, onDone?: (data: TData) => void) {
  const router = useRouter();
  return useMutation({
    ...options,
    onSuccess: (data, ...rest) => {
      options.onSuccess?.(data, ...rest);
      if (onDone) onDone(data);
      else router.refresh();
    },
  });
}
