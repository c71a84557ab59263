export { DEFECTS, isDefect, SETUP_KINDS, setupFor, type Defect, type DefectSetup, type SetupKind } from "./defects.ts";
export { huntWithFcScheduler, runOnce, type HuntOptions, type HuntResult } from "./hunt.ts";
