-- learning_event_weeks (0012) is kept by the database, not by the web app: one row per
-- organisation, ISO week (Monday, UTC) and user, counted up by every learning event in the
-- transaction that inserts it. The function runs as its owner (SECURITY DEFINER), so the web
-- app's roles can read the rollup but never write it, and it cannot drift from the events.
CREATE FUNCTION count_learning_event() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  INSERT INTO learning_event_weeks AS w (tenant_id, week_start, user_id, events, completions)
  VALUES (
    NEW.tenant_id,
    date_trunc('week', NEW.occurred_at AT TIME ZONE 'UTC')::date,
    NEW.user_id,
    1,
    CASE WHEN NEW.verb = 'lesson_completed' THEN 1 ELSE 0 END
  )
  ON CONFLICT (tenant_id, week_start, user_id)
  DO UPDATE SET events = w.events + 1, completions = w.completions + EXCLUDED.completions;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION count_learning_event() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER learning_events_count_weeks AFTER INSERT ON learning_events
  FOR EACH ROW EXECUTE FUNCTION count_learning_event();
--> statement-breakpoint
-- The events recorded before the rollup existed.
INSERT INTO learning_event_weeks (tenant_id, week_start, user_id, events, completions)
SELECT tenant_id, date_trunc('week', occurred_at AT TIME ZONE 'UTC')::date, user_id,
  count(*), count(*) FILTER (WHERE verb = 'lesson_completed')
FROM learning_events
GROUP BY 1, 2, 3;
--> statement-breakpoint
GRANT SELECT ON learning_event_weeks TO cookbook_tenant;
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE ON learning_event_weeks FROM cookbook_web;
--> statement-breakpoint
ALTER TABLE learning_event_weeks ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE learning_event_weeks FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON learning_event_weeks TO cookbook_tenant USING (tenant_id = current_tenant_id());
--> statement-breakpoint
-- The trigger writes as the owner; the platform's own reads (exports, erasure) as before.
CREATE POLICY platform_access ON learning_event_weeks TO PUBLIC USING (current_user <> 'cookbook_tenant');
