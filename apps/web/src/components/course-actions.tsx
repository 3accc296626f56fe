"use client";

import { useEffect } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

export function EnableCourseButton({ courseId }: { courseId: string }) {
  const trpc = useTRPC();
  const enable = useAction(trpc.courses.enable.mutationOptions());
  return (
    <>
      <button type="button" onClick={() => enable.mutate({ courseId })} disabled={enable.isPending}>
        Enable for this organisation
      </button>
      <ErrorText error={enable.error} />
    </>
  );
}

export function EnrollButton({ courseId }: { courseId: string }) {
  const trpc = useTRPC();
  const enroll = useAction(trpc.courses.enroll.mutationOptions());
  return (
    <>
      <button type="button" onClick={() => enroll.mutate({ courseId })} disabled={enroll.isPending}>
        Enroll
      </button>
      <ErrorText error={enroll.error} />
    </>
  );
}

export function CompleteLessonButton({ courseId, lessonKey, complete }: { courseId: string; lessonKey: string; complete: boolean }) {
  const trpc = useTRPC();
  const set = useAction(trpc.courses.setLessonComplete.mutationOptions());
  return (
    <>
      <button
        type="button"
        className={complete ? "secondary" : undefined}
        onClick={() => set.mutate({ courseId, lessonKey, complete: !complete })}
        disabled={set.isPending}
      >
        {complete ? "Mark as not complete" : "Mark complete"}
      </button>
      <ErrorText error={set.error} />
    </>
  );
}

/** Records the lesson as the learner's position, so "Continue" brings them back here. */
export function VisitRecorder({ courseId, lessonKey }: { courseId: string; lessonKey: string }) {
  const trpc = useTRPC();
  const visit = useAction(trpc.courses.visit.mutationOptions(), () => {});
  const { mutate } = visit;
  useEffect(() => mutate({ courseId, lessonKey }), [mutate, courseId, lessonKey]);
  return null;
}
