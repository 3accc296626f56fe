import { labs } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { bestBySlug, labStatus, lessonLabMarks } from "./lab-progress";

const [lab] = labs;
if (!lab) throw new Error("the catalogue has no labs");

describe("lab progress", () => {
  const checked = { labSlug: lab.slug, attempts: 2, bestScore: 5, bestMaxScore: 8, firstFullScoreAt: null };

  it("marks a lesson's labs with the learner's best score, none for a lesson without labs", () => {
    expect(lessonLabMarks("1.1-no-lab-here", bestBySlug([checked]))).toEqual([]);
    expect(lessonLabMarks(lab.lessonKey, new Map())).toEqual([{ slug: lab.slug, title: lab.title, best: null }]);
    expect(lessonLabMarks(lab.lessonKey, bestBySlug([checked]))).toEqual([
      { slug: lab.slug, title: lab.title, best: { score: 5, maxScore: 8, done: false } },
    ]);
    const full = { ...checked, bestScore: 8, firstFullScoreAt: new Date() };
    expect(lessonLabMarks(lab.lessonKey, bestBySlug([full]))[0]?.best).toEqual({ score: 8, maxScore: 8, done: true });
  });

  it("says where the learner is: locked by the schedule first, then done, in progress or not started", () => {
    expect(labStatus(undefined, undefined)).toBe("not_started");
    expect(labStatus(undefined, "open")).toBe("not_started");
    expect(labStatus(checked, undefined)).toBe("in_progress");
    expect(labStatus({ ...checked, firstFullScoreAt: new Date() }, "closed")).toBe("done");
    expect(labStatus(undefined, "locked")).toBe("locked");
  });
});
