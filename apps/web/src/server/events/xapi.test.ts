import { describe, expect, it } from "vitest";
import { statementId, toStatement, type XapiEvent } from "./xapi";

const tenantId = "7d9f1c52-4a0e-4b8e-9a51-0c1f7a3e2b10";
const at = new Date("2025-03-04T05:06:07.089Z");
const event = (over: Partial<XapiEvent>): XapiEvent => ({
  id: 42,
  tenantId,
  userId: "user-abc",
  courseSlug: "data-engineering",
  verb: "lesson_viewed",
  lessonKey: "21.5-how-to-produce",
  labSlug: null,
  score: null,
  maxScore: null,
  occurredAt: at,
  ...over,
});

describe("the xAPI mapping", () => {
  it("makes a viewed lesson a pseudonymous statement about the lesson's page", () => {
    expect(toStatement(event({}), new URL("https://labs.example.org/"))).toEqual({
      id: statementId(tenantId, 42),
      version: "1.0.3",
      actor: { objectType: "Agent", account: { homePage: "https://labs.example.org", name: "user-abc" } },
      verb: { id: "http://id.tincanapi.com/verb/viewed", display: { "en-US": "viewed" } },
      object: {
        objectType: "Activity",
        id: "https://labs.example.org/courses/data-engineering/21.5-how-to-produce",
        definition: { type: "http://adlnet.gov/expapi/activities/lesson" },
      },
      context: {
        platform: "cookbook",
        contextActivities: {
          grouping: [
            {
              objectType: "Activity",
              id: "https://labs.example.org/courses/data-engineering",
              definition: { type: "http://adlnet.gov/expapi/activities/course" },
            },
          ],
        },
      },
      timestamp: "2025-03-04T05:06:07.089Z",
    });
  });

  it("maps every verb to its registry IRI", () => {
    const verbOf = (verb: XapiEvent["verb"], labSlug: string | null = null) => toStatement(event({ verb, labSlug }), "https://x.test").verb.id;
    expect(verbOf("lesson_completed")).toBe("http://adlnet.gov/expapi/verbs/completed");
    expect(verbOf("lab_started", "kafka")).toBe("http://adlnet.gov/expapi/verbs/launched");
    expect(verbOf("lab_checked", "kafka")).toBe("http://adlnet.gov/expapi/verbs/attempted");
    expect(verbOf("lab_passed", "kafka")).toBe("http://adlnet.gov/expapi/verbs/passed");
  });

  it("puts a lab's statements on the lab inside its lesson, with the score raw, max and scaled", () => {
    const s = toStatement(event({ verb: "lab_checked", labSlug: "kafka-sensor-readings", score: 6, maxScore: 8 }), "https://x.test");
    expect(s.object).toEqual({
      objectType: "Activity",
      id: "https://x.test/courses/data-engineering/21.5-how-to-produce#lab-kafka-sensor-readings",
      definition: { type: "http://adlnet.gov/expapi/activities/simulation" },
    });
    expect(s.result).toEqual({ score: { raw: 6, min: 0, max: 8, scaled: 0.75 }, success: false });
    expect(s.context.contextActivities.parent).toEqual([
      {
        objectType: "Activity",
        id: "https://x.test/courses/data-engineering/21.5-how-to-produce",
        definition: { type: "http://adlnet.gov/expapi/activities/lesson" },
      },
    ]);
    const passed = toStatement(event({ verb: "lab_passed", labSlug: "kafka-sensor-readings", score: 8, maxScore: 8 }), "https://x.test");
    expect(passed.result).toEqual({ score: { raw: 8, min: 0, max: 8, scaled: 1 }, success: true });
    expect(toStatement(event({ verb: "lab_checked", labSlug: "l", score: 0, maxScore: 0 }), "https://x.test").result).toEqual({
      score: { raw: 0, min: 0, max: 0 },
      success: false,
    });
  });

  it("gives each event one stable UUID, different per event and per tenant", () => {
    const id = statementId(tenantId, 42);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(statementId(tenantId, 42)).toBe(id);
    expect(statementId(tenantId, 43)).not.toBe(id);
    expect(statementId("00000000-0000-4000-8000-000000000000", 42)).not.toBe(id);
  });

  it("carries no email or display name", () => {
    const text = JSON.stringify(toStatement(event({}), "https://x.test"));
    expect(text).not.toContain("mbox");
    expect(text).not.toContain("@");
  });
});
