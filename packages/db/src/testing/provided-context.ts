/** What the integration tests' global setup hands to every test file. */
declare module "vitest" {
  export interface ProvidedContext {
    /** The owner role: factories, publication, anything the platform does at start. */
    databaseUrl: string;
    /** The web app's and lab-runner's own roles, as the launcher gives them. */
    webDatabaseUrl: string;
    labRunnerDatabaseUrl: string;
    /** The embedded server's superuser; absent with an external DATABASE_URL. */
    superuserDatabaseUrl?: string;
  }
}

export {};
