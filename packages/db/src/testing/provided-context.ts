/** What the integration tests' global setup hands to every test file. */
declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export {};
