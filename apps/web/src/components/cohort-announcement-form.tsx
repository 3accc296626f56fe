"use client";

import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

export function AnnouncementForm({ cohortId }: { cohortId: string }) {
  const trpc = useTRPC();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  // As for extensions: the id makes a retried post land once.
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const post = useAction(
    trpc.announcements.post.mutationOptions({
      onSuccess: () => {
        setTitle("");
        setBody("");
        setRequestId(crypto.randomUUID());
      },
    }),
  );
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="post-announcement-heading"
      onSubmit={(e) => {
        e.preventDefault();
        post.mutate({ cohortId, title, body, requestId });
      }}
    >
      <h3 id="post-announcement-heading">Post an announcement</h3>
      <label>
        Title
        <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Message
        <textarea name="body" rows={4} style={{ font: "inherit", width: "100%" }} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <button type="submit" disabled={post.isPending}>
        Post announcement
      </button>
      <ErrorText error={post.error} />
    </form>
  );
}

export function DeleteAnnouncementButton({ announcementId, title }: { announcementId: string; title: string }) {
  const trpc = useTRPC();
  const remove = useAction(trpc.announcements.delete.mutationOptions());
  return (
    <>
      <button
        type="button"
        className="secondary"
        aria-label={`Delete announcement ${title}`}
        onClick={() => remove.mutate({ announcementId })}
        disabled={remove.isPending}
      >
        Delete
      </button>
      <ErrorText error={remove.error} />
    </>
  );
}
