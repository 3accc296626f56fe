export * from "./auth";
export * from "./tenants";
export * from "./course";
export * from "./learning";
export * from "./labs";
export * from "./cohorts";
export * from "./events";
