/** The workbench version recorded in every features_metadata.json and report (kept equal to package.json). */
export const WORKBENCH_VERSION = '0.1.0';
