-- Learning events behind the same second wall as the rest (see 0001_row_level_security.sql),
-- and append-only for the web app: it may add events and read them, never change or remove
-- one (they go with their user or organisation, by the foreign keys).
GRANT SELECT, INSERT ON learning_events TO cookbook_tenant;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON learning_events FROM cookbook_web;
--> statement-breakpoint
ALTER TABLE learning_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE learning_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A learner's events are written for that learner only, like lab attempts (0005).
CREATE POLICY tenant_isolation ON learning_events TO cookbook_tenant
  USING (tenant_id = current_tenant_id())
  WITH CHECK (tenant_id = current_tenant_id() AND user_id = current_app_user_id());
--> statement-breakpoint
CREATE POLICY platform_access ON learning_events TO PUBLIC USING (current_user <> 'cookbook_tenant');
