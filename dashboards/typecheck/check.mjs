// Checks the provisioned Grafana setup without a Grafana server:
//  1. every dashboard JSON type-checks against @grafana/schema (tsc --strict; each panel against its plugin's
//     option types), with excess keys rejected;
//  2. every datasource uid a dashboard or an alert rule names is provisioned;
//  3. every provisioning YAML parses and has apiVersion 1;
//  4. the checker's @grafana/schema, every panel's pluginVersion and the Grafana image in docker-compose.yml are
//     one version: Grafana migrates a panel by its pluginVersion (an XY chart without one is taken for the
//     pre-GA format and its series are rewritten into nonsense), and types of another version prove nothing.
// Exit code 0 when all hold; otherwise each problem is printed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const jsonDir = join(root, 'json');
const provisioning = join(root, 'provisioning');
const build = join(here, 'build');
const problems = [];

rmSync(build, { recursive: true, force: true });
mkdirSync(build);

const dashboards = readdirSync(jsonDir).filter((f) => f.endsWith('.json')).sort();
if (dashboards.length === 0) problems.push(`no dashboards in ${jsonDir}`);
const schemaVersion = JSON.parse(readFileSync(join(here, 'node_modules/@grafana/schema/package.json'), 'utf8')).version;
const compose = YAML.parse(readFileSync(join(root, '..', 'docker-compose.yml'), 'utf8'));
const grafanaImage = compose?.services?.grafana?.image ?? '';
if (grafanaImage !== `grafana/grafana:${schemaVersion}`) {
  problems.push(`docker-compose.yml runs ${grafanaImage} but the dashboards are checked against @grafana/schema `
    + `${schemaVersion}: pin both to one version`);
}
const usedUids = new Set();
for (const file of dashboards) {
  const dashboard = JSON.parse(readFileSync(join(jsonDir, file), 'utf8'));
  for (const panel of dashboard.panels ?? []) {
    if (panel.pluginVersion !== schemaVersion) {
      problems.push(`${file} panel '${panel.title}': pluginVersion ${panel.pluginVersion} is not ${schemaVersion}`);
    }
  }
  const name = file.replace(/\W/g, '_');
  const lines = [
    `import type { CheckedDashboard, PanelTypes } from '../panels';`,
    `export const dashboard = ${JSON.stringify({ ...dashboard, panels: [] }, null, 2)} satisfies CheckedDashboard;`,
  ];
  (dashboard.panels ?? []).forEach((panel, i) => {
    lines.push(`export const panel${i} = ${JSON.stringify(panel, null, 2)} satisfies PanelTypes['${panel.type}'];`);
  });
  writeFileSync(join(build, `${name}.ts`), lines.join('\n') + '\n');
  JSON.stringify(dashboard, (key, value) => {
    if (key === 'datasource' && value && typeof value === 'object' && value.uid && !value.uid.startsWith('-- ')) {
      usedUids.add(`${value.uid} (${file})`);
    }
    return value;
  });
}

const provisionedUids = new Set();
for (const sub of readdirSync(provisioning)) {
  for (const file of readdirSync(join(provisioning, sub)).filter((f) => /\.ya?ml$/.test(f))) {
    const doc = YAML.parse(readFileSync(join(provisioning, sub, file), 'utf8'));
    if (doc?.apiVersion !== 1) problems.push(`${sub}/${file}: apiVersion must be 1`);
    for (const ds of doc?.datasources ?? []) provisionedUids.add(ds.uid);
    for (const group of doc?.groups ?? []) {
      for (const rule of group.rules ?? []) {
        for (const q of rule.data ?? []) {
          if (q.datasourceUid !== '__expr__') usedUids.add(`${q.datasourceUid} (${sub}/${file} rule ${rule.uid})`);
        }
      }
    }
  }
}
for (const used of usedUids) {
  const uid = used.split(' ')[0];
  if (!provisionedUids.has(uid)) problems.push(`datasource uid ${used} is not provisioned`);
}

writeFileSync(join(build, 'tsconfig.json'), JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler',
    skipLibCheck: true, types: [] },
  include: ['*.ts', '../panels.d.ts'],
}));
try {
  execFileSync(process.execPath, [join(here, 'node_modules/typescript/bin/tsc'), '-p', join(build, 'tsconfig.json')],
    { stdio: 'pipe', encoding: 'utf8' });
} catch (e) {
  problems.push(`tsc:\n${e.stdout}${e.stderr}`);
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`dashboards: ${dashboards.length} dashboards type-check against @grafana/schema ${schemaVersion} `
  + `(the Grafana the stack runs), every panel at that version; `
  + `${usedUids.size} datasource references all provisioned`);
