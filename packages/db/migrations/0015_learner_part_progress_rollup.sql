-- learner_part_progress (0014) is kept by the database, like learning_event_weeks (0013): every
-- completion counts up, every un-completion (or removal with its account or organisation)
-- counts down, in the transaction of the change; the functions run as their owner so the web
-- app's roles can read the rollup but never write it.

-- The part of the course's current version (highest sequence) a lesson key is in; null when
-- that version has no such lesson (a key only older editions had).
CREATE FUNCTION lesson_part_number(p_course_id uuid, p_lesson_key text) RETURNS integer
  LANGUAGE sql STABLE SET search_path = public, pg_temp AS
$$
  SELECT ch.part_number
  FROM course_versions v
  JOIN lessons l ON l.course_version_id = v.id AND l.key = p_lesson_key
  JOIN chapters ch ON ch.course_version_id = v.id AND ch.number = l.chapter_number
  WHERE v.course_id = p_course_id
  ORDER BY v.sequence DESC
  LIMIT 1
$$;
--> statement-breakpoint
CREATE FUNCTION count_lesson_completion() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  part integer;
BEGIN
  IF TG_OP = 'INSERT' THEN
    part := lesson_part_number(NEW.course_id, NEW.lesson_key);
    IF part IS NOT NULL THEN
      INSERT INTO learner_part_progress AS p (tenant_id, course_id, part_number, user_id, completed)
      VALUES (NEW.tenant_id, NEW.course_id, part, NEW.user_id, 1)
      ON CONFLICT (tenant_id, course_id, part_number, user_id) DO UPDATE SET completed = p.completed + 1;
    END IF;
  ELSE
    part := lesson_part_number(OLD.course_id, OLD.lesson_key);
    IF part IS NOT NULL THEN
      DELETE FROM learner_part_progress
      WHERE tenant_id = OLD.tenant_id AND course_id = OLD.course_id AND part_number = part AND user_id = OLD.user_id AND completed <= 1;
      UPDATE learner_part_progress SET completed = completed - 1
      WHERE tenant_id = OLD.tenant_id AND course_id = OLD.course_id AND part_number = part AND user_id = OLD.user_id;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION count_lesson_completion() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER lesson_completions_count_parts AFTER INSERT OR DELETE ON lesson_completions
  FOR EACH ROW EXECUTE FUNCTION count_lesson_completion();
--> statement-breakpoint
-- A new edition can move lessons between parts: publishing it rebuilds the course's rows from
-- the completions (publishEdition calls this in its transaction). Completions wait meanwhile,
-- so none is counted with the old edition's parts after the rebuild read them.
CREATE FUNCTION rebuild_learner_part_progress(p_course_id uuid) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  LOCK TABLE lesson_completions IN SHARE MODE;
  DELETE FROM learner_part_progress WHERE course_id = p_course_id;
  INSERT INTO learner_part_progress (tenant_id, course_id, part_number, user_id, completed)
  SELECT lc.tenant_id, lc.course_id, ch.part_number, lc.user_id, count(*)
  FROM lesson_completions lc
  JOIN (SELECT id FROM course_versions WHERE course_id = p_course_id ORDER BY sequence DESC LIMIT 1) v ON true
  JOIN lessons l ON l.course_version_id = v.id AND l.key = lc.lesson_key
  JOIN chapters ch ON ch.course_version_id = v.id AND ch.number = l.chapter_number
  WHERE lc.course_id = p_course_id
  GROUP BY 1, 2, 3, 4;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION rebuild_learner_part_progress(uuid) FROM PUBLIC;
--> statement-breakpoint
-- The completions recorded before the rollup existed.
DO $$
DECLARE
  c uuid;
BEGIN
  FOR c IN SELECT id FROM courses LOOP
    PERFORM rebuild_learner_part_progress(c);
  END LOOP;
END
$$;
--> statement-breakpoint
GRANT SELECT ON learner_part_progress TO cookbook_tenant;
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE ON learner_part_progress FROM cookbook_web;
--> statement-breakpoint
ALTER TABLE learner_part_progress ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE learner_part_progress FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON learner_part_progress TO cookbook_tenant USING (tenant_id = current_tenant_id());
--> statement-breakpoint
-- The triggers and the rebuild write as the owner; the platform's own reads as before.
CREATE POLICY platform_access ON learner_part_progress TO PUBLIC USING (current_user <> 'cookbook_tenant');
