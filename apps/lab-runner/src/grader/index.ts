export { gradeLab, defaultCheckTimeoutMs } from "./grade-lab";
export { seedLab } from "./seed-lab";
export type { CheckGrade, GradeOptions, GradeTarget, LabGrade, StepGrade } from "./lab-grade";
