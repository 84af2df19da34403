import { readFileSync, readdirSync } from 'node:fs';
import { scanBytes } from '../electron/services/intake/secret-scan';
const dir = '/tmp/ib/e1000';
const files = readdirSync(dir).filter(f=>f.startsWith('log')).map(f => readFileSync(`${dir}/${f}`));
for (let r = 0; r < 3; r++) { const t = performance.now(); for (const x of files) await scanBytes(x, 'a.json'); console.log('scanBytes ms/file', ((performance.now()-t)/files.length).toFixed(3)); }
