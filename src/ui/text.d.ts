// Scenario scripts are bundled as text (esbuild's text loader, scripts/ui_build.mjs).
declare module '*.sh' {
  const text: string;
  export default text;
}
