-- Hint reveals behind the same second wall as the lab attempts they belong to (see
-- 0003_labs_row_level_security.sql), and append-only for the web app like learning events
-- (0009): a reveal is recorded once and goes only with its attempt, user or organisation.
GRANT SELECT, INSERT ON lab_hint_reveals TO cookbook_tenant;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON lab_hint_reveals FROM cookbook_web;
--> statement-breakpoint
ALTER TABLE lab_hint_reveals ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE lab_hint_reveals FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A learner records reveals for their own attempts only, as they record only their own attempts (0005).
CREATE POLICY tenant_isolation ON lab_hint_reveals TO cookbook_tenant
  USING (tenant_id = current_tenant_id())
  WITH CHECK (
    tenant_id = current_tenant_id()
    AND EXISTS (
      SELECT 1 FROM lab_attempts a
      WHERE a.id = attempt_id AND a.tenant_id = current_tenant_id() AND a.user_id = current_app_user_id()
    )
  );
--> statement-breakpoint
CREATE POLICY platform_access ON lab_hint_reveals TO PUBLIC USING (current_user <> 'cookbook_tenant');
