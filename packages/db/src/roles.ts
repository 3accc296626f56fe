import pg from "pg";

/**
 * The login roles the platform's processes connect as. None is a superuser:
 * - owner: owns the schema and runs migrations, course publication and the demo seed;
 * - web: the Next.js server; reads and writes the app's tables, switches to cookbook_tenant;
 * - labRunner: lab-runner; lab_sandboxes only (no users, no sessions).
 * Their privileges are granted by migration 0004, so they hold for an external server too.
 */
export const loginRoles = { owner: "cookbook_owner", web: "cookbook_web", labRunner: "cookbook_lab_runner" } as const;
export type LoginRole = keyof typeof loginRoles;
export const tenantRole = "cookbook_tenant";

/**
 * On the embedded server, as its superuser: creates the login roles (and the tenant role, so
 * the owner holds it with ADMIN OPTION and can grant it) and sets their passwords, then makes
 * the owner own what an older version created as the superuser. Idempotent; runs on every start.
 */
export async function provisionEmbeddedRoles(superuserUrl: string, passwords: Record<LoginRole, string>): Promise<void> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    for (const [key, role] of Object.entries(loginRoles) as [LoginRole, string][]) {
      const password = client.escapeLiteral(passwords[key]);
      const exists = await client.query("select 1 from pg_roles where rolname = $1", [role]);
      const verb = exists.rowCount ? "ALTER" : "CREATE";
      await client.query(`${verb} ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD ${password}`);
    }
    await client.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${tenantRole}') THEN
          CREATE ROLE ${tenantRole} NOLOGIN NOBYPASSRLS;
        END IF;
      END
      $$`);
    await client.query(`GRANT ${tenantRole} TO ${loginRoles.owner} WITH ADMIN OPTION`);
    // drizzle's migrator creates its own schema; the owner creates tables in public.
    await client.query(`GRANT CREATE ON DATABASE ${client.escapeIdentifier(client.database ?? "postgres")} TO ${loginRoles.owner}`);
    await client.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${loginRoles.owner}`);
    await client.query(adoptLegacyObjects);
  } finally {
    await client.end();
  }
}

/**
 * Data directories made before these roles existed hold tables, types and functions owned by
 * the superuser, who ran the migrations then. Hand them to the owner so it can migrate them.
 */
const adoptLegacyObjects = `
  DO $$
  DECLARE
    item record;
    superuser oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
  BEGIN
    FOR item IN SELECT n.nspname FROM pg_namespace n WHERE n.nspname = 'drizzle' AND n.nspowner = superuser LOOP
      EXECUTE format('ALTER SCHEMA %I OWNER TO ${loginRoles.owner}', item.nspname);
    END LOOP;
    -- Tables and views; their indexes and serial sequences follow them.
    FOR item IN
      SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'drizzle') AND c.relowner = superuser AND c.relkind IN ('r', 'p', 'v', 'm')
    LOOP
      EXECUTE format('ALTER TABLE %s OWNER TO ${loginRoles.owner}', item.name);
    END LOOP;
    FOR item IN
      SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typowner = superuser AND t.typtype = 'e'
    LOOP
      EXECUTE format('ALTER TYPE %s OWNER TO ${loginRoles.owner}', item.name);
    END LOOP;
    FOR item IN
      SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.proowner = superuser
    LOOP
      EXECUTE format('ALTER FUNCTION %s OWNER TO ${loginRoles.owner}', item.name);
    END LOOP;
  END
  $$`;

/** The same server and database as `url`, signed in as `role`. */
export function urlAs(url: string, role: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = password;
  return parsed.toString();
}
