// Line cap for source files (tinygrad's sz.py in spirit): a file holds one idea, about 400 lines at most.
// Fails when a non-test TypeScript file under packages/ or examples/ exceeds MAX lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAX = 450;
const roots = ['packages', 'examples', 'bench'];
const offenders = [];

function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'out') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) {
      const lines = readFileSync(path, 'utf8').split('\n').length;
      if (lines > MAX) offenders.push(`${path}: ${lines} lines`);
    }
  }
}
for (const r of roots) walk(r);
if (offenders.length > 0) {
  console.error(`check-size: these files exceed ${MAX} lines; split them where a reader sees a seam:\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-size: every source file is within ${MAX} lines`);
