/**
 * The benchmark runner: each section is a module exporting `section: BenchSection`; add one by listing
 * it in SECTIONS. Sections print their own table; the runner picks sections (BENCH_SECTIONS) and sizes.
 */
export interface BenchContext {
  /** 'small' for a quick run (BENCH_SIZES=small), else 'full'. */
  sizes: 'small' | 'full';
  /** Row counts to run, from BENCH_SIZES (a comma list) or the section's defaults. */
  rowsOverride?: number[];
  log(line: string): void;
}

export interface BenchSection {
  name: string;
  run(ctx: BenchContext): Promise<void>;
}

const SECTIONS: Record<string, () => Promise<{ section: BenchSection }>> = {
  report: () => import('./report'),
  prepare: () => import('./prepare'),
  'page-prepare': () => import('./page-prepare'),
  smote: () => import('./smote'),
  upload: () => import('./upload'),
};

/** Runs the selected sections; returns the exit code. */
export async function main(_argv: string[]): Promise<number> {
  const sizesEnv = process.env.BENCH_SIZES ?? 'full';
  const list = /^\d[\d,_]*$/.test(sizesEnv) ? sizesEnv.split(',').map((s) => Number(s.replace(/_/g, ''))) : undefined;
  const ctx: BenchContext = {
    sizes: sizesEnv === 'small' ? 'small' : 'full',
    rowsOverride: list,
    log: (line) => process.stdout.write(line + '\n'),
  };
  const wanted = (process.env.BENCH_SECTIONS ?? Object.keys(SECTIONS).join(',')).split(',').map((s) => s.trim());
  for (const name of wanted) {
    const load = SECTIONS[name];
    if (!load) {
      process.stderr.write(`bench: unknown section '${name}' (known: ${Object.keys(SECTIONS).join(', ')})\n`);
      return 1;
    }
    const { section } = await load();
    ctx.log(`\n== ${section.name} ==`);
    await section.run(ctx);
  }
  return 0;
}
