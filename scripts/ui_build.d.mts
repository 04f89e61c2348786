/** Bundles the web view into outdir (default dist/ui); resolves to outdir. */
export function buildUi(outdir?: string, opts?: { minify?: boolean }): Promise<string>;
