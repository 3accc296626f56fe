"use client";

import { isLiveSandboxState, serviceTitle } from "@cookbook/lab-runner-api/vocabulary";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type CSSProperties, type RefObject, useEffect, useRef, useState } from "react";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { LabInlineMarkdown, LabMarkdown } from "./lab-markdown";
import { LabTerminal } from "./lab-terminal";
import { ItemBadges } from "./learner-item-badges";
import { Moment } from "./moment";

type LabData = RouterOutputs["labs"]["forLesson"][number];
type Sandbox = NonNullable<LabData["sandbox"]>;
type Service = Sandbox["services"][number];
type Attempt = NonNullable<LabData["lastAttempt"]>;
type Schedule = NonNullable<LabData["schedule"]>;

const stateWords: Record<Service["state"], string> = { starting: "starting…", ready: "ready", failed: "failed", stopped: "stopped" };

const isLive = (s: Sandbox | null): s is Sandbox => s !== null && isLiveSandboxState(s.state);
const servicesDown = (s: Sandbox) => s.services.filter((x) => x.state === "failed" || x.state === "stopped");

function formatLeft(ms: number) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** Counts down to the sandbox's end; rendered only in the browser, whose clock it uses. */
function TimeLeft({ endsAt }: { endsAt: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (now === null) return null;
  const left = Date.parse(endsAt) - now;
  return (
    <span role="timer" aria-label="Time left" className="lab-time-left">
      {left > 0 ? `Time left: ${formatLeft(left)}` : "Time is up"}
    </span>
  );
}

function statusLine(sandbox: Sandbox | null): string {
  if (!sandbox) return "The lab is not running.";
  if (sandbox.state === "provisioning") return "Starting your lab…";
  if (sandbox.state === "running") {
    if (sandbox.services.some((s) => s.state === "starting")) return "Starting services…";
    return servicesDown(sandbox).length > 0 ? "Some services of your lab are not running." : "Your lab is ready.";
  }
  return sandbox.message ?? "The lab is not running.";
}

function Services({ services, provisioning }: { services: Service[]; provisioning: boolean }) {
  if (services.length === 0) return null;
  return (
    <ul className="lab-services" aria-label="Lab services">
      {services.map((s) => (
        <li key={s.name} className={`service-${s.state}`}>
          {/* While the sandbox is set up, a service not launched yet is waiting, not down. */}
          <span className="service-name">{serviceTitle(s.name)}</span>:{" "}
          <span>{provisioning && s.state === "stopped" ? "waiting to start" : stateWords[s.state]}</span>
          {s.reason && <span className="muted"> — {s.reason}</span>}
          {s.logTail && (
            <details>
              <summary>Log of {serviceTitle(s.name)}</summary>
              <pre className="code">{s.logTail}</pre>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * A failed step's hints, one at a time: each press reveals the next, and the last (the one that
 * gives the answer away) says so on its button before it is pressed.
 */
function Hints({ attemptId, stepId, hints }: { attemptId: string; stepId: string; hints: readonly string[] }) {
  const trpc = useTRPC();
  // Each reveal is recorded with the attempt (the gradebook shows how many hints were used); the hint shows either way.
  const reveal = useMutation(trpc.labs.revealHint.mutationOptions());
  const [shown, setShown] = useState(0);
  const last = shown === hints.length - 1;
  return (
    <div className="lab-hints">
      {shown > 0 && (
        <ol aria-label="Hints">
          {hints.slice(0, shown).map((h, i) => (
            <li key={i}>
              {i === hints.length - 1 && hints.length > 1 && <strong>The answer: </strong>}
              <LabInlineMarkdown text={h} />
            </li>
          ))}
        </ol>
      )}
      {shown < hints.length && (
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            reveal.mutate({ attemptId, stepId, hintIndex: shown });
            setShown((n) => n + 1);
          }}
        >
          {last && hints.length > 1
            ? `Show the last hint (${shown + 1} of ${hints.length}): it shows the answer`
            : `Show a hint (${shown + 1} of ${hints.length})`}
        </button>
      )}
      <ErrorText error={reveal.error} />
    </div>
  );
}

function StepResult({ result, attemptId }: { result: Attempt["steps"][number]; attemptId: string }) {
  return (
    <div className={`lab-step-result ${result.passed ? "passed" : "failed"}`}>
      <p className="lab-step-verdict">
        {result.passed ? "✓ Passed" : "✗ Not passed yet"} · {result.earned}/{result.points} points
      </p>
      <ul className="lab-feedback">
        {result.checks.map((c, i) => (
          <li key={i}>
            {c.passed ? "✓" : "✗"} <LabInlineMarkdown text={c.feedback || c.description} />
            {c.timedOut && <span className="muted"> (the check timed out)</span>}
          </li>
        ))}
      </ul>
      {result.hints.length > 0 && <Hints attemptId={attemptId} stepId={result.stepId} hints={result.hints} />}
    </div>
  );
}

const splitKey = "lab-split";
const clampSplit = (percent: number) => Math.min(75, Math.max(25, Math.round(percent)));

/** The steps' share of the split view in percent, kept in the browser for the next lab. */
function useSplit(): [number, (percent: number) => void] {
  const [split, setSplit] = useState(50);
  useEffect(() => {
    const saved = Number(window.localStorage.getItem(splitKey));
    if (saved) setSplit(clampSplit(saved));
  }, []);
  const update = (percent: number) => {
    const next = clampSplit(percent);
    setSplit(next);
    window.localStorage.setItem(splitKey, String(next));
  };
  return [split, update];
}

/** The draggable (and arrow-key) divider between the steps and the terminal. */
function SplitDivider({
  workspace,
  split,
  onSplit,
}: {
  workspace: RefObject<HTMLDivElement | null>;
  split: number;
  onSplit: (percent: number) => void;
}) {
  const fromPointer = (clientX: number) => {
    const box = workspace.current?.getBoundingClientRect();
    if (box && box.width > 0) onSplit(((clientX - box.left) / box.width) * 100);
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable, draggable separator has no native element; <hr> cannot take focus or keys.
    <div
      className="lab-divider"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize steps and terminal"
      aria-valuemin={25}
      aria-valuemax={75}
      aria-valuenow={split}
      tabIndex={0}
      onPointerDown={(event) => event.currentTarget.setPointerCapture(event.pointerId)}
      onPointerMove={(event) => {
        if (event.currentTarget.hasPointerCapture(event.pointerId)) fromPointer(event.clientX);
      }}
      onKeyDown={(event) => {
        if (event.key === "ArrowLeft") onSplit(split - 5);
        else if (event.key === "ArrowRight") onSplit(split + 5);
      }}
    />
  );
}

/** A cohort learner's dates for the lab, in the cohort's zone. */
function LabDates({ schedule, zone, now }: { schedule: Schedule; zone: string; now: Date }) {
  return (
    <p className="muted" data-testid="lab-dates">
      {schedule.state === "locked" ? "Opens" : "Opened"} <Moment at={schedule.opensAt} zone={zone} now={now} /> · Due{" "}
      <Moment at={schedule.dueAt} zone={zone} now={now} />
      {schedule.closesAt && (
        <>
          {" "}
          · {schedule.state === "closed" ? "Closed since" : "Closes"} <Moment at={schedule.closesAt} zone={zone} now={now} />
        </>
      )}
      <ItemBadges item={schedule} />
    </p>
  );
}

/**
 * One lab beside a lesson (a lesson shows a panel per lab): start it, watch its services come
 * up, work in its terminal, check the work step by step, stop it. The sandbox is polled every
 * second while it starts and every few seconds while it runs, so a broker killed from the
 * terminal shows up here. While it runs, the steps and the terminal sit side by side (from
 * 1280 px; below they stack), so the instructions stay in sight of the shell.
 */
export function LabPanel({
  initial,
  labsInLesson,
  zone,
  now,
  labsHref,
}: {
  initial: LabData;
  /** The course's Labs page, linked from the panel's header. */
  labsHref?: string;
  /** How many labs the lesson has: its completion needs every one's full score. */
  labsInLesson: number;
  zone: string | null;
  now: Date;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const { lab, courseId, lessonKey, schedule } = initial;
  // A cohort's lab before it opens or after it closes takes no new start; the server refuses one anyway.
  const startBlocked = schedule !== null && zone !== null && schedule.state !== "open";
  // Like the lesson's text, the lab's summary and instructions (they quote the lesson) wait for it to open.
  const hidden = schedule?.state === "locked";
  const [local, setLocal] = useState<{ sandbox: Sandbox | null; at: number }>({ sandbox: initial.sandbox, at: 0 });
  const [notice, setNotice] = useState<string | null>(null);
  const [attempt, setAttempt] = useState<Attempt | null>(initial.lastAttempt);

  const sandbox = local.sandbox;
  const live = isLive(sandbox);
  const starting = live && (sandbox.state === "provisioning" || sandbox.services.some((s) => s.state === "starting"));
  const status = useQuery({
    ...trpc.labs.status.queryOptions({ sandboxId: sandbox?.id ?? "none" }),
    enabled: live,
    refetchInterval: starting ? 1000 : 3000,
    staleTime: 0,
    retry: false,
  });
  // A poll answered after the last start/check/stop is the newest word on the sandbox.
  const { data: polled, dataUpdatedAt } = status;
  useEffect(() => {
    if (!polled) return;
    setLocal((prev) => (dataUpdatedAt > prev.at && polled.sandbox.id === prev.sandbox?.id ? { sandbox: polled.sandbox, at: dataUpdatedAt } : prev));
  }, [polled, dataUpdatedAt]);
  const update = (next: Sandbox) => setLocal({ sandbox: next, at: Date.now() });

  const start = useMutation(
    trpc.labs.start.mutationOptions({
      onSuccess: (data) => {
        update(data.sandbox);
        // A start from a page that showed no running lab found one (another tab started it).
        setNotice(data.created || isLive(sandbox) ? null : "Your lab was already running: here it is.");
      },
    }),
  );
  const check = useMutation(
    trpc.labs.check.mutationOptions({
      onSuccess: (data) => {
        update(data.sandbox);
        setAttempt(data.attempt);
        // Passing steps (and a full score's completion) show in the lesson's progress.
        router.refresh();
      },
      onError: () => void status.refetch(),
    }),
  );
  const stop = useMutation(
    trpc.labs.stop.mutationOptions({
      onSuccess: (data) => {
        update(data.sandbox);
        setNotice(null);
      },
    }),
  );
  const busy = start.isPending || check.isPending || stop.isPending;
  const running = sandbox?.state === "running";
  const down = sandbox && running ? servicesDown(sandbox) : [];
  const workspace = useRef<HTMLDivElement>(null);
  const [split, setSplit] = useSplit();
  const resultFor = (stepId: string) => attempt?.steps.find((s) => s.stepId === stepId) ?? null;
  const startLab = () => {
    setNotice(null);
    start.mutate({ courseId, lessonKey, labSlug: lab.slug });
  };

  return (
    <section className="lab-panel card" aria-labelledby={`lab-${lab.slug}-title`}>
      <h2 id={`lab-${lab.slug}-title`}>Lab: {lab.title}</h2>
      {labsHref && (
        <p className="muted">
          <Link href={labsHref}>All labs of this course</Link>
        </p>
      )}
      {!hidden && <LabMarkdown text={lab.summary} />}
      <p className="muted">
        Runs {lab.services.map(serviceTitle).join(", ")} for you alone · {lab.steps.length} steps · {lab.maxScore} points
        {initial.attemptCount > 0 && ` · best score so far ${initial.bestAttempt?.score ?? 0}/${initial.bestAttempt?.maxScore ?? lab.maxScore}`}
      </p>
      {schedule && zone && <LabDates schedule={schedule} zone={zone} now={now} />}
      {initial.runnerMessage && (
        <p role="alert" className="error">
          {initial.runnerMessage}
        </p>
      )}

      <div className={`lab-workspace${running ? " split" : ""}`} ref={workspace} style={{ "--lab-split": `${split}%` } as CSSProperties}>
        <div className="lab-work">
          {!initial.enrolled ? (
            <p className="notice">Enroll in the course to do this lab.</p>
          ) : (
            <>
              <div className="lab-controls">
                {!isLive(sandbox) ? (
                  startBlocked && schedule && zone ? (
                    <p className="notice" role="status" aria-label={schedule.state === "locked" ? "Lab locked" : "Lab closed"} data-testid="lab-lock">
                      {schedule.state === "locked" ? (
                        <>
                          🔒 Locked until <Moment at={schedule.opensAt} zone={zone} now={now} />.
                        </>
                      ) : (
                        schedule.closesAt && (
                          <>
                            Closed since <Moment at={schedule.closesAt} zone={zone} now={now} />: the cohort no longer accepts work on it.
                          </>
                        )
                      )}
                    </p>
                  ) : (
                    <button type="button" onClick={startLab} disabled={busy}>
                      {start.isPending ? "Starting…" : sandbox ? "Start the lab again" : "Start lab"}
                    </button>
                  )
                ) : (
                  <>
                    <button type="button" onClick={() => check.mutate({ sandboxId: sandbox.id, courseId })} disabled={busy || !running}>
                      {check.isPending ? "Checking…" : "Check my work"}
                    </button>
                    <button type="button" className="secondary" onClick={() => stop.mutate({ sandboxId: sandbox.id })} disabled={stop.isPending}>
                      {stop.isPending ? "Stopping…" : "Stop lab"}
                    </button>
                    <TimeLeft endsAt={sandbox.endsAt} />
                  </>
                )}
              </div>
              <ErrorText error={start.error ?? check.error ?? stop.error} />
              {live && status.error && (
                <p role="alert" className="error">
                  {status.error.message}
                </p>
              )}

              <div role="status" aria-live="polite" aria-label="Lab status" className="lab-status">
                <p>
                  <strong>{statusLine(sandbox)}</strong>
                  {notice && <span className="muted"> {notice}</span>}
                </p>
                {sandbox && isLive(sandbox) && <Services services={sandbox.services} provisioning={sandbox.state === "provisioning"} />}
              </div>
              {down.length > 0 && (
                <div role="alert" className="notice">
                  <p>
                    {down
                      .map((s) => `${serviceTitle(s.name)} has ${s.state === "failed" ? "failed" : "stopped"}${s.reason ? `: ${s.reason}` : ""}.`)
                      .join(" ")}{" "}
                    Restart the services to go on.
                  </p>
                  <button type="button" onClick={startLab} disabled={busy}>
                    {start.isPending ? "Restarting…" : "Restart services"}
                  </button>
                </div>
              )}
              {attempt && (
                <p role="status" aria-label="Lab score" className="lab-score" data-testid="lab-score">
                  Score: {attempt.score} / {attempt.maxScore}
                  <span className="muted">
                    {attempt.score >= attempt.maxScore
                      ? labsInLesson > 1
                        ? " — every step passes; the lesson is complete once each of its labs is."
                        : " — every step passes, and the lesson is complete."
                      : ` — ${attempt.steps.filter((x) => x.passed).length} of ${attempt.steps.length} steps pass; the steps below say what is missing.`}
                  </span>
                </p>
              )}
              {running && <LabTerminal sandboxId={sandbox.id} />}
            </>
          )}
        </div>
        {running && <SplitDivider workspace={workspace} split={split} onSplit={setSplit} />}
        {!hidden && (
          <div className="lab-instructions">
            <h3>Steps</h3>
            <ol className="lab-steps">
              {lab.steps.map((step) => {
                const result = resultFor(step.id);
                return (
                  <li key={step.id} aria-label={`Step: ${step.title}`}>
                    <h4>
                      {step.title} <span className="muted">({step.points} points)</span>
                    </h4>
                    <LabMarkdown text={step.instructions} terminal={running} />
                    {/* A new attempt starts its hints over: reveals are recorded per attempt. */}
                    {result && attempt && <StepResult key={attempt.id} result={result} attemptId={attempt.id} />}
                  </li>
                );
              })}
            </ol>
          </div>
        )}
      </div>
    </section>
  );
}
