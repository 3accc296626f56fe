export * from "./auth";
export * from "./tenants";
export * from "./course";
export * from "./learning";
